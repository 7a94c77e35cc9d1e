"""Running jobs off the UI thread: one thread per run, one training at a time, heartbeats."""
from __future__ import annotations

import threading
from typing import Callable

from core.runs import RunStore

Job = Callable[[RunStore, int], "dict | None"]  # (store, run id) -> summary
TRAINING_SLOTS = threading.BoundedSemaphore(1)  # 2 cores: a second training waits in the queue
HEARTBEAT_SECONDS = 10.0


def start_run(store: RunStore, run_id: int, job: Job) -> threading.Thread:
    """Run ``job`` for run ``run_id`` in a daemon thread; it waits (status 'queued') while
    another training holds the slot. The outcome, including any error, goes to the store."""
    thread = threading.Thread(target=_run, args=(store, run_id, job), daemon=True,
                              name=f"seqlab-run-{run_id}")
    thread.start()
    return thread


def _run(store: RunStore, run_id: int, job: Job) -> None:
    with TRAINING_SLOTS:
        if store.stop_requested(run_id):  # stopped while it was waiting in the queue
            store.finish(run_id, "stopped")
            return
        store.start(run_id)
        done = threading.Event()
        beat = threading.Thread(target=_beat, args=(store, run_id, done), daemon=True)
        beat.start()
        try:
            summary = job(store, run_id)
            status = "stopped" if store.stop_requested(run_id) else "finished"
            store.finish(run_id, status, summary=summary)
        except Exception as error:  # the one broad except: the UI shows what went wrong
            store.finish(run_id, "failed", error=f"{type(error).__name__}: {error}")
        finally:
            done.set()


def _beat(store: RunStore, run_id: int, done: threading.Event) -> None:
    while not done.wait(HEARTBEAT_SECONDS):
        store.heartbeat(run_id)
