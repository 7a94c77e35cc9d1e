"""The store keeper: one Ray actor per run store, on the store's machine, that owns the store's
writes for jobs on the cluster and holds the cluster's queue of runs.

A run is started (its :class:`~core.runs.remote.JobRunner` actor created) only when the
cluster has room for everything it asks for (CPUs, GPUs, custom resources), in the fair order
of the embedded worker's turns (:func:`pick`, a pure function: the instructor's runs first,
then round the owners). A run that asks for more than the whole cluster has is marked failed
with the reason instead of waiting forever; a run deleted while the keeper looks at it is
forgotten; an actor that cannot be created marks its run failed. Whatever goes wrong in a
pass is written to ``cluster-queue.log`` beside the store (the lab's log for the cluster), and
the queue goes on.
"""
from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from core import paths
from core.runs.remote import JobRunner
from core.runs.store import ACTIVE, RunStore, describe_error
from core.runs.worker import next_fair

DISPATCH_SECONDS = 0.25  # how often the keeper's queue looks for room, stops and lost actors
LOG_NAME = "cluster-queue.log"  # beside the store: what went wrong in the keeper's passes


@dataclass
class Queued:
    """A run waiting in the keeper's queue for room on the cluster."""

    run_id: int
    owner: str
    first: bool  # the instructor's
    order: int
    job: object
    options: dict  # the run's actor options: resources, name, environment


def demand(options: dict) -> dict[str, float]:
    """What an actor with these Ray options asks the cluster for, by resource name."""
    asked = {"CPU": float(options.get("num_cpus", 1)), "GPU": float(options.get("num_gpus", 0))}
    asked.update({k: float(v) for k, v in (options.get("resources") or {}).items()})
    return {k: v for k, v in asked.items() if v > 0}


def pick(queue: list, served: dict[str, int], free: dict[str, float],
         total: dict[str, float], clock) -> tuple[list, list, dict[str, int]]:
    """Which of ``queue`` (:class:`Queued`) start now: (to start, in order; never fit, because
    they ask for more than ``total``, the whole cluster; ``served`` afterwards). The fair next
    run that does not fit in ``free`` now waits, and so does everyone behind it: a smaller run
    never jumps the line. ``clock`` numbers the turns (an ``itertools.count``)."""
    waiting, served, free = list(queue), dict(served), dict(free)
    start, never = [], []
    while waiting:
        ticket = next_fair(waiting, served)
        need = demand(ticket.options)
        if any(amount > total.get(name, 0.0) for name, amount in need.items()):
            never.append(ticket)
            waiting.remove(ticket)
            continue
        if any(amount > free.get(name, 0.0) for name, amount in need.items()):
            break
        waiting.remove(ticket)
        served[ticket.owner] = next(clock)
        start.append(ticket)
        for name, amount in need.items():
            free[name] = free.get(name, 0.0) - amount
    return start, never, served


def too_large(need: dict[str, float], total: dict[str, float]) -> str:
    """Why a run cannot start on this cluster, for the person who queued it."""
    asked = ", ".join(f"{v:g} {k}" for k, v in need.items())
    has = ", ".join(f"{total.get(k, 0):g} {k}" for k in need)
    return (f"it asks for {asked} and the whole cluster has {has}: it could never start. "
            "Ask for less ($SEQLAB_RAY_CPUS), or add a node that has room for it.")


class StoreKeeper:
    """The actor that owns a run store's writes for jobs on the cluster. Its store methods
    mirror :class:`RunStore`'s; a dispatcher thread starts runs, takes stopped ones out of the
    queue and marks a run interrupted when its actor dies."""

    def __init__(self, path: str):
        self.store = RunStore(path)
        self._lock = threading.Lock()
        self._queue: list[Queued] = []
        self._starting: dict[int, dict[str, float]] = {}  # run -> what it asked for, until
        # its actor runs it (Ray's free resources do not count it yet)
        self._actors: dict[int, tuple[object, object]] = {}  # run -> (actor, its wait() ref)
        self._served: dict[str, int] = {}
        self._clock = itertools.count()
        self._passes = 0  # dispatch passes done: a test waits for some instead of sleeping
        threading.Thread(target=self._dispatch_forever, daemon=True,
                         name="seqlab-cluster-queue").start()

    def enqueue(self, run_id: int, job, options: dict) -> None:
        """Queue run ``run_id`` (``options``: its actor's resources, name and environment)."""
        run = self.store.get(run_id)
        self.store.adopt(run_id)  # the keeper answers for it: restarts keep it queued
        with self._lock:
            self._queue.append(Queued(run_id, run.get("owner") or "operator",
                                      bool(run.get("by_instructor")), next(self._clock), job,
                                      options))

    def queued(self) -> list[int]:
        """The runs waiting for room, in the order they will start (for tests and pages)."""
        with self._lock:
            everything = {name: float("inf") for t in self._queue for name in demand(t.options)}
            order, _, _ = pick(self._queue, self._served, everything, everything,
                               itertools.count(max(self._served.values(), default=0) + 1))
        return [ticket.run_id for ticket in order]

    def passes(self) -> int:
        """How many times the dispatcher has looked at the queue and the cluster's room."""
        return self._passes

    def _log(self, message: str) -> None:
        """A line in the lab's log for the cluster (beside the store) and on the keeper's
        own output."""
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}"
        print(f"seqlab cluster queue: {line}", flush=True)
        try:
            with open(self.store.path.parent / LOG_NAME, "a", encoding="utf-8") as log:
                log.write(line + "\n")
        except OSError:
            pass  # the store's folder is gone: the keeper's own output keeps the line

    def _dispatch_forever(self) -> None:
        while True:
            try:
                self._dispatch()
            except Exception as error:  # noqa: BLE001  the queue must outlive any one failure
                self._log(f"a pass failed: {describe_error(error)}")
            self._passes += 1
            time.sleep(DISPATCH_SECONDS)

    def _status(self, run_id: int) -> str | None:
        """A run's status, or None when it was deleted meanwhile."""
        try:
            return self.store.get(run_id)["status"]
        except KeyError:
            return None

    def _end(self, run_id: int, status: str, error: str) -> None:
        """Mark a run ended with the reason, if it still exists and is active."""
        if self._status(run_id) in ACTIVE:
            self.store.finish(run_id, status, error=error)

    def _dispatch(self) -> None:
        """One pass: drop stopped and deleted runs from the queue, notice ended or lost actors,
        start the next runs while the cluster has room for them."""
        import ray

        with self._lock:
            for ticket in list(self._queue):
                status = self._status(ticket.run_id)
                if status not in ACTIVE or self.store.stop_requested(ticket.run_id):
                    self._queue.remove(ticket)
                    self._end(ticket.run_id, "stopped",
                              "stopped while waiting in the cluster's queue")
        self._reap()
        total = ray.cluster_resources()
        free = dict(ray.available_resources())
        for need in self._starting.values():
            for name, amount in need.items():
                free[name] = free.get(name, 0.0) - amount
        with self._lock:
            start, never, self._served = pick(self._queue, self._served, free, total,
                                              self._clock)
            for ticket in never:
                self._queue.remove(ticket)
                self._end(ticket.run_id, "failed", too_large(demand(ticket.options), total))
            for ticket in start:
                self._queue.remove(ticket)
                self._launch(ticket)

    def _launch(self, ticket: Queued) -> None:
        """Create the run's actor; a failure marks the run failed (it is out of the queue)."""
        import ray

        try:
            runner = ray.remote(JobRunner).options(**ticket.options).remote(
                self._handle(), ticket.run_id, ticket.job)
        except Exception as error:  # noqa: BLE001  Ray refused the actor: say so on the run
            self._log(f"run {ticket.run_id} could not start: {describe_error(error)}")
            self._end(ticket.run_id, "failed",
                      f"its Ray actor could not be created: {describe_error(error)}")
            return
        self._actors[ticket.run_id] = (runner, runner.wait.remote())
        self._starting[ticket.run_id] = demand(ticket.options)

    def _reap(self) -> None:
        """Forget actors whose run ended (or was deleted); mark a run interrupted when its
        actor died with the run still active (its worker process or node was lost)."""
        import ray

        for run_id in list(self._starting):
            if self._status(run_id) != "queued":
                self._starting.pop(run_id, None)
        refs = {ref: run_id for run_id, (_, ref) in self._actors.items()}
        if not refs:
            return
        ready, _ = ray.wait(list(refs), num_returns=len(refs), timeout=0)
        for ref in ready:
            run_id = refs[ref]
            self._actors.pop(run_id, None)
            self._starting.pop(run_id, None)
            try:
                ray.get(ref)
            except Exception as error:  # noqa: BLE001  the actor exited: after its run, or lost
                self._end(run_id, "interrupted", f"its Ray worker was lost "
                          f"({type(error).__name__}); the curve so far is kept")

    def _handle(self):
        import ray

        return ray.get_runtime_context().current_actor

    def get(self, run_id: int) -> dict:
        return self.store.get(run_id)

    def start(self, run_id: int, place: str) -> None:
        self.store.start(run_id, place)

    def log(self, run_id: int, level: str, step: int, data: dict) -> None:
        self.store.log(run_id, level, step, data)

    def heartbeat(self, run_id: int) -> None:
        self.store.heartbeat(run_id)

    def stop_requested(self, run_id: int) -> bool:
        return self.store.stop_requested(run_id)

    def metrics(self, run_id: int, level: str) -> list[dict]:
        return self.store.metrics(run_id, level)

    def put_file(self, run_id: int, name: str, data: bytes) -> None:
        """Write a job's file into the store's ``models`` folder (a bare file name only),
        recorded with its run."""
        paths.atomic_write_bytes(self.store.file_path(run_id, name), data)

    def finish(self, run_id: int, status: str, error: str | None = None,
               summary: dict | None = None) -> None:
        self.store.finish(run_id, status, error=error, summary=summary)

    def inputs(self, run_id: int) -> dict[str, bytes]:
        """The files a run reads from the store's folder: each config value ``upload:NAME``
        names ``uploads/NAME.txt`` (an uploaded text); they go with the job to its node."""
        config = self.store.get(run_id)["config"]
        names = [v[7:] for v in config.values() if isinstance(v, str) and v.startswith("upload:")]
        folder = self.store.path.parent / "uploads"
        return {f"{n}.txt": (folder / f"{n}.txt").read_bytes() for n in names
                if Path(n).name == n and (folder / f"{n}.txt").is_file()}
