"""The one run panel of every page that trains: each active run's progress and Stop button, and
what went wrong with runs that ended badly, redrawn every second while a run is queued or
running (every half second in the moments after Train, until the first point). While none is,
the store is watched every few seconds, so that a run started in another browser (the
instructor's projector, a student's laptop) or from a terminal appears without a click; when a
run starts or ends, is renamed or deleted, the whole page reruns once (choices that depend on
finished runs, such as Try a review's models, and the polling rate, follow). What else a page
draws live (the class board) rides on the same tick: Streamlit runs a session's fragments one
at a time, so each other poll would delay a click on the page.

In a class, a page follows this person's runs, the runs the instructor shows to the class and
the runs added from the class board (``<key>.added``); others' runs are counted, not drawn."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from core.runs import cluster, people
from core.runs.curves import run_progress
from core.runs.people import NotAllowed
from core.runs.snapshot import Snapshot
from core.runs.store import ACTIVE
from core.runs.worker import request_stop
from dashboard import cache, literal, state
from dashboard.components.person import me

ACTIVE_POLL_SECONDS = 1.0
STARTING_POLL_SECONDS = 0.5  # right after Train, until the first point is drawn
IDLE_POLL_SECONDS = 3.0
BAD_ENDS = ("failed", "diverged", "interrupted")


def launch(store, kind: str, configs: list) -> tuple[list[int], str | None]:
    """Queue ``configs`` of job ``kind`` as this person's runs, all or none: the new runs' ids,
    or none and why not (a class's limit, missing data), in words for the page."""
    from core import jobs
    from core.data.datasets import DatasetUnavailable

    try:
        return jobs.launch_all(store, kind, configs, owner=me()), None
    except DatasetUnavailable as error:
        return [], f"The data is missing: {error}"
    except NotAllowed as error:
        return [], f"Not queued: {literal.md(str(error), 300)}"


def queue_runs(store, kind: str, configs: list) -> list[int]:
    """:func:`launch`, saying on the page why nothing was queued."""
    ids, problem = launch(store, kind, configs)
    if problem:
        st.error(problem)
    return ids


def followed(runs: list[dict], key: str) -> list[dict]:
    """The runs this page follows for this person: theirs, the shown ones, the added ones (in a
    one-person lab, all)."""
    return people.followed(me(), runs, st.session_state.get(f"{key}.added", ()))


def finished(store, kind: str, key: str) -> list[dict]:
    """``kind``'s finished runs with a model that this person's views use (``followed`` with
    the added runs of the page ``key``), newest first."""
    return followed(store.finished_with_model(kind), key)


@dataclass(frozen=True)
class Panel:
    """What one page's run panel draws: ``kind``'s runs under the session key ``key``, then
    ``draw(runs, snap)``, then ``after(snap)`` (see :func:`run_panel`)."""

    store: object
    kind: str
    key: str
    draw: Callable[[list[dict], Snapshot], None] | None
    shown: int
    errors: bool
    after: Callable[[Snapshot], None] | None


def run_panel(store, kind: str, key: str,
              draw: Callable[[list[dict], Snapshot], None] | None = None,
              shown: int = 8, errors: bool = True,
              after: Callable[[Snapshot], None] | None = None,
              after_every: float = IDLE_POLL_SECONDS) -> None:
    """Status of ``kind``'s runs this page follows (every active one, with Stop where this
    person may; with ``errors``, a line for each of the newest ``shown`` that ended badly), then
    ``draw(runs, snap)`` for the page's own charts and tables, then ``after(snap)`` (refreshed
    at least every ``after_every`` seconds, also while no run is active); all live. Everything
    is read from the tick's shared snapshot (``snap`` answers the store's read calls), so any
    number of viewers cost the store one read a tick."""
    panel = Panel(store, kind, key, draw, shown, errors, after)
    snap = cache.snapshot(store, fresh=True)
    runs = followed(snap.list(kind), key)
    active = any(r["status"] in ACTIVE for r in runs)
    starting = active and _awaited(snap, runs)
    seen = _signature(runs)
    every = STARTING_POLL_SECONDS if starting else ACTIVE_POLL_SECONDS if active else None
    with st.container():  # one place on the page however many fragments: nothing below moves
        st.fragment(run_every=every)(_live)(panel, active, starting, seen)
        if not active:
            every = min(IDLE_POLL_SECONDS, after_every) if after else IDLE_POLL_SECONDS
            st.fragment(run_every=every)(_watch)(panel, seen)


def _live(panel: Panel, active: bool, starting: bool, seen: list[tuple]) -> None:
    store, key = panel.store, panel.key
    # read the store now after this person's Stop (the tick's snapshot may predate the click)
    # and while a first point is due any moment
    snap = cache.snapshot(store, fresh=st.session_state.pop(f"{key}.acted", False) or starting)
    everyone = snap.list(panel.kind)
    runs = followed(everyone, key)
    if active and (not any(r["status"] in ACTIVE for r in runs)
                   or _settled(_signature(runs)) != _settled(seen)):
        st.rerun()  # a run ended, or a finished one was renamed or deleted: redraw the page once
    with st.container():  # the runs' status in one place: the page's charts below stay put
        _status(panel, snap, everyone, runs)
    if panel.draw is not None:
        panel.draw(runs, snap)
    if active and panel.after is not None:
        panel.after(snap)
    if starting and not _awaited(snap, runs):
        st.rerun()  # the first point is drawn: the page again, polling at the usual rate


def _status(panel: Panel, snap: Snapshot, everyone: list[dict], runs: list[dict]) -> None:
    """Where jobs go, a refusal to say, Stop all of mine, each active run with its Stop, runs
    that ended badly, and how many runs of others are under way."""
    store, key = panel.store, panel.key
    if cluster.enabled():
        _cluster_line(runs)
    notice = st.session_state.pop(state.PEOPLE_NOTICE + f".{key}", None)
    if notice:
        st.warning(notice)
    _stop_all(store, key, [r for r in runs if r["status"] in ACTIVE])
    for run in runs:
        if run["status"] in ACTIVE:
            _active(store, snap, run, key)
    for run in runs[:panel.shown]:
        if panel.errors and run["status"] in BAD_ENDS and run["error"]:
            st.warning(f"Run {run['id']} · {literal.md(run['name'], 80)} · {run['status']}: "
                       f"{literal.md(run['error'], 300)}")
    others = sum(r["status"] in ACTIVE for r in everyone) - sum(r["status"] in ACTIVE for r in runs)
    if others:
        st.caption(f"{others} run{'s' * (others != 1)} of others queued or running; the machine "
                   "takes turns among people, the instructor first.")


def _stop(store, run_ids: list[int], key: str) -> None:
    """Stop each run (a callback: runs before the page is drawn again, so the page shows
    'stopping…' at once); a refused one says why."""
    st.session_state[f"{key}.acted"] = True
    for run_id in run_ids:
        try:
            request_stop(store, run_id, by=me())
        except (NotAllowed, KeyError) as error:
            st.session_state[state.PEOPLE_NOTICE + f".{key}"] = str(error).strip("'\"")


def _stop_all(store, key: str, active: list[dict]) -> None:
    person = me()
    mine = [r["id"] for r in active if people.owns(person, r) and not r["stop_requested"]]
    if len(mine) > 1:
        st.button(f"Stop all of mine ({len(mine)})", key=f"{key}.stop_all!", on_click=_stop,
                  args=(store, mine, key), help="Stops every run of yours that is queued or "
                  "running; their curves are kept.")


def _active(store, snap: Snapshot, run: dict, key: str) -> None:
    label = f"Run {run['id']} · {literal.md(run['name'], 80)}"
    if people.is_class():
        label += f" · {literal.md(run.get('owner_name') or 'instructor', 40)}'s"
    fraction, words = run_progress(run, snap.metrics(run["id"], "epoch"),
                                   snap.metrics(run["id"], "progress"),
                                   snap.count(run["id"], "batch"))
    if run["status"] == "queued" and cluster.enabled():
        words = "waiting in the cluster's queue"
    if run["stop_requested"]:
        words = "stopping…"
    where = f" · on {literal.md(run['place'], 80)}" if run.get("place") else ""
    text = f"{label} · {run['status']} · {words}{where}"
    if run["stop_requested"] or not people.may_change(me(), run):
        st.progress(fraction, text=text)
        return
    bar, button = st.columns([6, 1], vertical_alignment="bottom")
    bar.progress(fraction, text=text)
    button.button("Stop", key=f"{key}.stop.{run['id']}!", on_click=_stop,
                  args=(store, [run["id"]], key),
                  help="A queued run stops at once, a running one after its current batch; "
                       "the curve is kept.")


def _cluster_line(runs: list[dict]) -> None:
    """Where jobs go and how much room the cluster has now; runs it has not started yet."""
    room = cache.cluster_capacity()
    waiting = sum(r["status"] == "queued" for r in runs)
    gpus = f"{room['free GPUs']:g} of {room['GPUs']:g} GPUs free" if room["GPUs"] else "no GPU"
    st.caption(f"Jobs run on the Ray cluster ({literal.md(cluster.configured_address(), 60)}): "
               f"{room['nodes']} node{'s' * (room['nodes'] != 1)}, {room['free CPUs']:g} of "
               f"{room['CPUs']:g} CPUs free, {gpus}; {waiting} run{'s' * (waiting != 1)} of this "
               "page waiting in its queue.")


def _watch(panel: Panel, seen: list[tuple]) -> None:
    """Reruns the page when the runs it follows differ from those it was drawn with (a run of
    this person's or a shown one started, ended, was renamed or deleted); else draws
    ``panel.after``."""
    snap = cache.snapshot(panel.store)
    if _signature(followed(snap.list(panel.kind), panel.key)) != seen:
        st.rerun()
    if panel.after is not None:
        panel.after(snap)


FIRST_POINT_WINDOW = 10.0  # seconds after a press in which the panel polls fast, reading fresh


def _awaited(snap: Snapshot, runs: list[dict]) -> bool:
    """Whether runs queued in the last :data:`FIRST_POINT_WINDOW` seconds are active and none
    of ``runs`` has a batch or an epoch to draw yet (the moments after Train or Race)."""
    active = [r for r in runs if r["status"] in ACTIVE]
    return (any(time.time() - r["created"] < FIRST_POINT_WINDOW for r in active)
            and not any(snap.count(r["id"], "batch") or snap.count(r["id"], "epoch")
                        for r in active))


def _signature(runs: list[dict]) -> list[tuple]:
    return [(r["id"], r["status"], r["name"]) for r in runs]


def _settled(signature: list[tuple]) -> list[tuple]:
    """The part of a signature that active runs' progress does not change: runs that ended."""
    return [(i, status, name) for i, status, name in signature if status not in ACTIVE]
