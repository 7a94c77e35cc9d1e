"""The one run panel of every page that trains: each active run's progress and Stop button, and
what went wrong with runs that ended badly, redrawn every second while a run is queued or
running. While none is, the store is watched every few seconds, so that a run started in another
browser (the instructor's projector, a student's laptop) or from a terminal appears without a
click; when a run starts or ends, the whole page reruns once (choices that depend on finished
runs, and the polling rate, follow)."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.runs import cluster
from core.runs.curves import run_progress
from core.runs.snapshot import Snapshot
from core.runs.store import ACTIVE
from core.runs.worker import request_stop
from dashboard import cache, literal

ACTIVE_POLL_SECONDS = 1.0
IDLE_POLL_SECONDS = 3.0
BAD_ENDS = ("failed", "diverged", "interrupted")


def run_panel(store, kind: str, key: str,
              draw: Callable[[list[dict], Snapshot], None] | None = None,
              shown: int = 8, errors: bool = True) -> None:
    """Status of ``kind``'s newest ``shown`` runs (with ``errors``: a line for each that ended
    badly), then ``draw(runs, snap)`` for the page's own charts and tables; all live. Everything
    is read from the tick's shared snapshot (``snap`` answers the store's read calls), so any
    number of viewers cost the store one read a tick."""
    runs = cache.snapshot(store, fresh=True).list(kind)
    active = any(r["status"] in ACTIVE for r in runs)
    st.fragment(run_every=ACTIVE_POLL_SECONDS if active else None)(_live)(
        store, kind, key, draw, shown, errors, active)
    if not active:
        st.fragment(run_every=IDLE_POLL_SECONDS)(_watch)(store, kind, _signature(runs))


def _live(store, kind, key, draw, shown, errors, active) -> None:
    snap = cache.snapshot(store)
    runs = snap.list(kind)
    if active and not any(r["status"] in ACTIVE for r in runs):
        st.rerun()  # the last run ended: redraw the page once; polling stops
    if cluster.enabled():
        _cluster_line(runs)
    for run in runs[:shown]:
        _status(store, snap, run, key, errors)
    if draw is not None:
        draw(runs, snap)


def _status(store, snap: Snapshot, run: dict, key: str, errors: bool) -> None:
    label = f"Run {run['id']} · {literal.md(run['name'], 80)} · {run['status']}"
    if run["status"] in ACTIVE:
        fraction, words = run_progress(run, snap.metrics(run["id"], "epoch"),
                                       snap.metrics(run["id"], "progress"),
                                       snap.count(run["id"], "batch"))
        if run["status"] == "queued" and cluster.enabled():
            words = "waiting in the cluster's queue"
        where = f" · on {literal.md(run['place'], 80)}" if run.get("place") else ""
        st.progress(fraction, text=f"{label} · {words}{where}")
        st.button("Stop", key=f"{key}.stop.{run['id']}!", on_click=request_stop,
                  args=(store, run["id"]), help="Stops after the current batch; the curve is kept.")
    elif errors and run["status"] in BAD_ENDS and run["error"]:
        st.warning(f"{label}: {literal.md(run['error'], 300)}")


def _cluster_line(runs: list[dict]) -> None:
    """Where jobs go and how much room the cluster has now; runs it has not started yet."""
    room = cache.cluster_capacity()
    waiting = sum(r["status"] == "queued" for r in runs)
    gpus = f"{room['free GPUs']:g} of {room['GPUs']:g} GPUs free" if room["GPUs"] else "no GPU"
    st.caption(f"Jobs run on the Ray cluster ({literal.md(cluster.configured_address(), 60)}): "
               f"{room['nodes']} node{'s' * (room['nodes'] != 1)}, {room['free CPUs']:g} of "
               f"{room['CPUs']:g} CPUs free, {gpus}; {waiting} run{'s' * (waiting != 1)} of this "
               "page waiting in its queue.")


def _watch(store, kind: str, seen: list[tuple]) -> None:
    """Draws nothing: reruns the page when the store's runs differ from those it was drawn with."""
    if _signature(cache.snapshot(store).list(kind)) != seen:
        st.rerun()


def _signature(runs: list[dict]) -> list[tuple]:
    return [(r["id"], r["status"]) for r in runs]
