"""The class board on Train & compare, live: every run of the class training now or finished,
its epoch, best validation accuracy so far and its owner's prediction, refreshed on the run
panel's tick (at least every :data:`BOARD_SECONDS`); and the prediction a person makes before
pressing Train."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from core.classify import training
from core.runs import people
from core.runs.board import BOARD_NAMES, board_rows, names_shown
from core.runs.people import NotAllowed
from dashboard import cache
from dashboard.components.charts import show_table
from dashboard.components.person import me

BOARD_SECONDS = 2.0  # a run's new epoch reaches the board within this (plus its write)
FORMATS = {"best val acc": "{:.4f}", "predicted best": "{:.2f}", "at epoch": "{:.0f}",
           "predicted epoch": "{:.0f}", "test at best": "{:.4f}"}


def class_board(store) -> Callable | None:
    """In a class, what draws the board from a tick's snapshot, for the run panel to draw
    after its chart (``run_panel(..., after=...)``): everyone's runs, live, and a way to put
    any of them on my chart (kept under ``train.added``, which the run panel follows). None
    outside a class."""
    return partial(_board, store) if people.is_class() else None


def board_table(snap, names: bool) -> pd.DataFrame:
    """The board's rows as a table, numbers formatted ("—" where a run has none yet)."""
    table = pd.DataFrame(board_rows(snap.list(training.KIND), lambda i: snap.metrics(i, "epoch"),
                                    snap.predictions(), names))
    for column, style in FORMATS.items():
        if column in table:
            table[column] = ["—" if v is None or v != v else style.format(v)
                             for v in table[column]]
    return table


def _board(store, snap) -> None:
    person = me()
    allowed = bool(store.setting(BOARD_NAMES, False))  # one read a tick
    names = names_shown(person, allowed)
    table = cache.per_version("train.board", snap.version, (str(store.path), names),
                              lambda: board_table(snap, names))
    st.subheader("Class board")
    if person.instructor:
        st.toggle("Students see names on the board", allowed,
                  key="train.board_names!", on_change=_allow_names, args=(store,),
                  help="Off: students see every run and its numbers, without whose it is.")
        if said := st.session_state.pop("train.board.said", None):
            st.warning(said)
    if table.empty:
        st.caption("No runs in the class yet.")
        return
    st.caption("Everyone's runs, training now and finished, best validation accuracy first, "
               "each owner's prediction beside what the run reached"
               + ("." if names else " (names hidden by the instructor).")
               + " Add any of them to your chart.")
    show_table(table, hide_index=True)
    rows = table.set_index("run")
    added = [i for i in st.session_state.get("train.added", []) if i in set(table["run"])]
    st.multiselect("Add to my chart", list(table["run"]), added, key="train.board!",
                   format_func=lambda i: f"{i} · {rows.loc[i, 'name']}"
                                         + (f" ({rows.loc[i, 'by']})" if names else ""),
                   on_change=_add_to_chart)


def _add_to_chart() -> None:
    st.session_state["train.added"] = list(st.session_state["train.board!"])


def _allow_names(store) -> None:
    try:
        store.set_setting(BOARD_NAMES, bool(st.session_state["train.board_names!"]), by=me())
    except NotAllowed as refused:
        st.session_state["train.board.said"] = str(refused)


def prediction_inputs(kinds: list[str], epochs: int) -> dict[str, dict]:
    """Per model, what this person predicts (best validation accuracy and the epoch it peaks),
    if they choose to predict: an empty dict otherwise."""
    if not st.toggle("Predict before you train", key="train.predict",
                     help="Say what you expect: the chart draws your prediction beside the "
                          "curve as it grows, and the class board lists it beside the result."):
        return {}
    out = {}
    for kind in kinds:
        c1, c2 = st.columns(2)
        best = c1.number_input(f"{kind}: best validation accuracy", 0.5, 1.0, 0.85, 0.01,
                               key=f"train.predict.{kind}.best")
        peak = c2.number_input(f"{kind}: the epoch it peaks", 1, max(1, epochs), max(1, epochs),
                               key=f"train.predict.{kind}.epoch")
        out[kind] = {"best": float(best), "epoch": int(peak)}
    return out


def keep_predictions(store, ids: list[int], kinds: list[str], predicted: dict[str, dict]
                     ) -> list[str]:
    """Keep each new run's prediction (its model's); why the store refused any, to show."""
    refused = []
    for run_id, kind in zip(ids, kinds):
        if kind in predicted:
            try:
                store.predict(run_id, predicted[kind], by=me())
            except (NotAllowed, ValueError) as why:
                refused.append(f"Prediction for run {run_id} not kept: {why}")
    return refused
