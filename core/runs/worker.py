"""Running jobs off the UI thread: one thread per run, one training at a time, heartbeats.

Two cores train one model at a time well; two at once, each slower. So runs take turns: a job
that takes turns (``job.takes_turns = True``) asks for one per epoch, and runs that wait are
served first come, first served, so the curves of a race grow together; any other job holds
one turn for its whole run.
"""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable

from core.runs.store import RunDiverged, RunStore, describe_error

Job = Callable[..., "dict | None"]  # (store, run id, stop_flag) -> summary
HEARTBEAT_SECONDS = 10.0
_STOPS: dict[tuple[str, int], threading.Event] = {}  # (store file, run id) -> in-process stop


class Turns:
    """One training at a time; runs waiting for a turn are served in the order they asked."""

    def __init__(self):
        self._changed = threading.Condition()
        self._waiting: deque[object] = deque()
        self._holder: object | None = None

    @contextmanager
    def turn(self, who, should_stop: Callable[[], bool] | None = None) -> Iterator[bool]:
        """Hold the machine while the block runs; yields False (without the turn) when
        ``should_stop()`` says so while waiting."""
        ticket = (who, object())
        with self._changed:
            self._waiting.append(ticket)
            while self._holder is not None or self._waiting[0] is not ticket:
                if should_stop and should_stop():
                    self._waiting.remove(ticket)
                    self._changed.notify_all()
                    break
                self._changed.wait(0.5)
            else:
                self._waiting.popleft()
                self._holder = ticket
        if self._holder is not ticket:
            yield False
            return
        try:
            yield True
        finally:
            with self._changed:
                self._holder = None
                self._changed.notify_all()

    def waiting(self) -> int:
        """How many runs wait for a turn."""
        with self._changed:
            return len(self._waiting)


TURNS = Turns()


def should_stop(store: RunStore, run_id: int, stop_flag=None) -> Callable[[], bool]:
    """The one stop check jobs poll: this process's flag (at once) or the store (any process)."""
    return lambda: bool(stop_flag and stop_flag()) or store.stop_requested(run_id)


def request_stop(store: RunStore, run_id: int) -> None:
    """Stop a run: at once (next batch) if its worker is in this process, and through the
    store for a worker in another process (it polls twice a second)."""
    event = _STOPS.get((str(store.path), run_id))
    if event is not None:
        event.set()
    store.request_stop(run_id)


def start_run(store: RunStore, run_id: int, job: Job) -> threading.Thread:
    """Run ``job`` for run ``run_id`` in a daemon thread; it waits (status 'queued') while
    another training holds the slot. The outcome, including any error, goes to the store."""
    _STOPS[(str(store.path), run_id)] = threading.Event()
    thread = threading.Thread(target=_run, args=(store, run_id, job), daemon=True,
                              name=f"seqlab-run-{run_id}")
    thread.start()
    return thread


def _run(store: RunStore, run_id: int, job: Job) -> None:
    stop = _STOPS[(str(store.path), run_id)]
    try:
        _run_taking_turns(store, run_id, job, stop)
    finally:
        _STOPS.pop((str(store.path), run_id), None)


def _run_taking_turns(store: RunStore, run_id: int, job: Job, stop: threading.Event) -> None:
    """A job that takes turns per epoch runs at once; any other waits for one whole turn."""
    if getattr(job, "takes_turns", False):
        execute(store, run_id, job, stop)
        return
    with TURNS.turn(run_id, should_stop(store, run_id, stop.is_set)) as mine:
        if mine:
            execute(store, run_id, job, stop)
        else:
            store.finish(run_id, "stopped")


def run_in_foreground(store: RunStore, run_id: int, job: Job) -> str:
    """Run ``job`` for run ``run_id`` in this thread (the command line's way), with the same
    start, heartbeat and outcome as a background run; returns the final status. Ctrl-C stops
    the run (recorded as stopped) and is raised again."""
    stop = _STOPS.setdefault((str(store.path), run_id), threading.Event())
    try:
        _run_taking_turns(store, run_id, job, stop)
    except KeyboardInterrupt:
        store.finish(run_id, "stopped", error="interrupted from the keyboard")
        raise
    finally:
        _STOPS.pop((str(store.path), run_id), None)
    return store.get(run_id)["status"]


def execute(store: RunStore, run_id: int, job: Job, stop: threading.Event) -> None:
    """Run ``job`` in this thread now and record how it ended (finished, stopped, diverged or
    failed): the one path every run takes, here or on a cluster node."""
    if store.stop_requested(run_id):  # stopped while it was waiting in the queue
        store.finish(run_id, "stopped")
        return
    store.start(run_id)
    done = threading.Event()
    beat = threading.Thread(target=_beat, args=(store, run_id, done), daemon=True)
    beat.start()
    try:
        summary = job(store, run_id, stop.is_set)
        status = "stopped" if store.stop_requested(run_id) else "finished"
        store.finish(run_id, status, summary=summary)
    except RunDiverged as error:
        store.finish(run_id, "diverged", error=str(error))
    except Exception as error:  # the one broad except: the UI shows what went wrong
        store.finish(run_id, "failed", error=describe_error(error))
    finally:
        done.set()


def _beat(store: RunStore, run_id: int, done: threading.Event) -> None:
    while not done.wait(HEARTBEAT_SECONDS):
        store.heartbeat(run_id)
