"""Manage runs, on every page that trains: rename, delete, export, and (the instructor) show a
run to the class. Every action is a callback bound to the run id its button names, fixed when
the button is drawn, never to what a picker holds when the click arrives; the store decides
who may do it (``core.runs.people``)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.runs import people
from core.runs.people import NotAllowed
from dashboard import literal
from dashboard.components.person import me


def history_csv(store, run_id: int) -> bytes:
    """Per-epoch history of a run as CSV (progress records for jobs that keep no epochs)."""
    records = store.metrics(run_id, "epoch") or store.metrics(run_id, "progress")
    return pd.DataFrame(records).to_csv(index=False).encode("utf-8")


def _act(key: str, action, done: str) -> None:
    """Do a user's action on a run; say what happened, or why it was refused, on the page's
    next run."""
    try:
        action()
        st.session_state[f"{key}.manage_notice"] = ("success", done)
    except (NotAllowed, ValueError, KeyError) as error:
        st.session_state[f"{key}.manage_notice"] = ("error", str(error).strip("'\""))


def _rename(store, run_id: int, key: str) -> None:
    _act(key, lambda: store.rename(run_id, st.session_state[f"{key}.name.{run_id}!"], by=me()),
         f"Renamed run {run_id}.")


def _delete(store, run_id: int, key: str) -> None:
    _act(key, lambda: store.delete(run_id, by=me()),
         f"Deleted run {run_id}, its curves and its files.")


def _show(store, run_id: int, key: str) -> None:
    shown = st.session_state[f"{key}.show.{run_id}!"]
    _act(key, lambda: store.show_to_class(run_id, shown, by=me()),
         f"Run {run_id} is {'now' if shown else 'no longer'} on every chart of the class.")


def _take_home(path, run: dict, key: str, container) -> None:
    """A trained model as a zip its library loads without the lab (built when the button is
    pressed), as its job kind registered it (``core.jobs.TakeHome``)."""
    from core import jobs

    kind = jobs.KINDS.get(run.get("kind"))
    home = kind.take_home if kind else None
    if home is None:
        return
    if home.check is not None:
        try:
            home.check(path, run)
        except ValueError as error:
            container.caption(str(error).capitalize() + ".")
            return
    container.download_button("Take it home (.zip)", lambda: home.build(path, run),
                              f"run-{run['id']}-take-home.zip", "application/zip",
                              key=f"{key}.home!", help=home.help)


def manage(store, runs: list[dict], key: str) -> None:
    """Rename, delete, export one of ``runs`` (widget keys under ``key``)."""
    kind, text = st.session_state.pop(f"{key}.manage_notice", (None, None))
    slot = st.container()  # drawn empty too: the controls below stay where they were
    if text:
        (slot.success if kind == "success" else slot.error)(literal.md(text, 300))
    person = me()
    runs = [r for r in runs if people.may_change(person, r) or people.follows(person, r)]
    if not runs:
        st.caption("No runs of yours yet.")
        return
    names = {r["id"]: r["name"] for r in runs}
    run_id = st.selectbox("Run", list(names), index=None, placeholder="Pick a run",
                          key=f"{key}.manage!", format_func=lambda i: f"{i} · {names[i]}")
    if run_id is None:
        return
    run = next(r for r in runs if r["id"] == run_id)
    c1, c2, c3, c4 = st.columns(4)
    c3.download_button("History (CSV)", history_csv(store, run_id), f"run-{run_id}.csv",
                       "text/csv", key=f"{key}.csv!")
    path = store.model_path(run)
    if path is not None and path.is_file():
        c4.download_button("Model", path.read_bytes(), path.name, key=f"{key}.model!")
        _take_home(path, run, key, c4)
    else:
        c4.caption("No saved model (the run has not finished).")
    if not people.may_change(person, run):
        c1.caption(f"Run {run_id} is {literal.md(run.get('owner_name') or 'the instructor', 40)}"
                   "'s: only they or the instructor can change it.")
        return
    c1.text_input("New name", run["name"], key=f"{key}.name.{run_id}!", max_chars=100)
    c1.button(f"Rename run {run_id}", key=f"{key}.rename!", on_click=_rename,
              args=(store, run_id, key))
    with c2.popover("Delete…", help="Deletes the run, its curves and every file it saved."):
        st.markdown(f"Delete run {run_id} ({literal.md(run['name'])}), its curves and its "
                    "files? This cannot be undone.")
        st.button(f"Yes, delete run {run_id}", key=f"{key}.delete!", type="primary",
                  on_click=_delete, args=(store, run_id, key))
    if person.instructor and people.is_class():
        c2.toggle("Show to the class", bool(run.get("shown")), key=f"{key}.show.{run_id}!",
                  on_change=_show, args=(store, run_id, key),
                  help="Puts this run on every student's chart.")
