"""Run pickers that follow the store: a run that starts or finishes anywhere (this browser,
another one, a terminal) joins the chart or becomes the chosen model, unless the user chose
otherwise; renamed runs show their new names.

The user's choice lives under ``<key>.chosen`` and the runs already seen under ``<key>.seen``
(plain session keys). The widget's own key carries a signature of the runs and their names,
so a new run or a new name draws a fresh widget seeded with the updated choice."""
from __future__ import annotations

import zlib
from collections.abc import Callable

import streamlit as st

from dashboard import state


def _widget_key(key: str, labels: dict[int, str]) -> str:
    signature = zlib.crc32(repr(sorted(labels.items())).encode("utf-8"))
    return state.transient(f"{key}.{signature:08x}")


def _update(key: str, ids: list[int], default: Callable[[list[int]], list[int]]
            ) -> tuple[list[int], list[int]]:
    """(the choice after adding runs not seen before and dropping runs that are gone, the
    runs not seen before)."""
    seen = st.session_state.get(f"{key}.seen")
    if seen is None:
        chosen, new = default(ids), []
    else:
        new = [i for i in ids if i not in seen]
        chosen = [i for i in st.session_state.get(f"{key}.chosen", []) if i in ids] + new
    st.session_state[f"{key}.seen"] = list(ids)
    return chosen, new


def first_choice(ids: list[int], default_count: int, worth_drawing: set[int] | None = None,
                 under_way: set[int] = frozenset()) -> list[int]:
    """The runs a chart first draws, of ``ids`` (newest first): every run ``under_way`` (a
    race just queued draws all its runs, however many), then the newest others of
    ``worth_drawing`` (runs with points, not runs stopped before they drew anything) up to
    ``default_count`` in all."""
    others = [i for i in ids if i not in under_way
              and (worth_drawing is None or i in worth_drawing)]
    keep = set(under_way) | set(others[:max(0, default_count - len(under_way))])
    return [i for i in ids if i in keep]


def runs_multiselect(label: str, labels: dict[int, str], key: str, default_count: int = 4,
                     container=st, worth_drawing: set[int] | None = None,
                     under_way: set[int] = frozenset(), **kwargs) -> list[int]:
    """Run ids to show, from ``labels`` (id -> name, newest first): new runs are added. The
    first choice is :func:`first_choice`."""
    ids = list(labels)
    chosen, _ = _update(key, ids, lambda ids: first_choice(ids, default_count, worth_drawing,
                                                           under_way))
    picked = container.multiselect(label, ids, chosen, key=_widget_key(key, labels),
                                   format_func=lambda i: f"{i} · {labels[i]}", **kwargs)
    st.session_state[f"{key}.chosen"] = picked
    return picked


def run_selectbox(label: str, labels: dict[int, str], key: str, container=st,
                  **kwargs) -> int | None:
    """One run id from ``labels`` (id -> name, newest first): a newly finished run is chosen."""
    ids = list(labels)
    if not ids:
        return None
    chosen, new = _update(key, ids, lambda ids: ids[:1])
    index = ids.index((new or chosen or ids)[0])
    picked = container.selectbox(label, ids, index=index, key=_widget_key(key, labels),
                                 format_func=lambda i: f"run {i} · {labels[i]}", **kwargs)
    st.session_state[f"{key}.chosen"] = [picked]
    return picked
