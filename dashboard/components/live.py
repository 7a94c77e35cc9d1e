"""Live run panels shared by the pages that train: redrawn every second while a run is queued or
running, and watched every few seconds while none is, so that a run started in another browser
(the instructor's projector, a student's laptop) or from a terminal appears without a click."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.runs.store import ACTIVE

ACTIVE_POLL_SECONDS = 1.0
IDLE_POLL_SECONDS = 3.0


def live_runs(store, kind: str, draw: Callable[[list[dict]], None]) -> None:
    """Draw ``kind``'s runs (newest first) with ``draw(runs)`` in a fragment that polls the
    store while a run is active; when a run starts or ends anywhere, the whole page reruns
    (so choices that depend on finished runs, and the polling rate, follow)."""
    runs = store.list(kind)
    active = any(r["status"] in ACTIVE for r in runs)
    st.fragment(run_every=ACTIVE_POLL_SECONDS if active else None)(_live)(
        store, kind, draw, active)
    if not active:
        st.fragment(run_every=IDLE_POLL_SECONDS)(_watch)(store, kind, _signature(runs))


def _live(store, kind: str, draw, active: bool) -> None:
    runs = store.list(kind)
    if active and not any(r["status"] in ACTIVE for r in runs):
        st.rerun()  # the last run ended: redraw the page once; polling stops
    draw(runs)


def _watch(store, kind: str, seen: list[tuple]) -> None:
    """Draws nothing: reruns the page when the store's runs differ from those it was drawn with."""
    if _signature(store.list(kind)) != seen:
        st.rerun()


def _signature(runs: list[dict]) -> list[tuple]:
    return [(r["id"], r["status"]) for r in runs]
