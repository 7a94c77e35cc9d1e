"""Running jobs off the UI thread: one thread per run, one training at a time, heartbeats.

Two cores train one model at a time well; two at once, each slower. So runs take turns: a job
that takes turns (``job.takes_turns = True``) asks for one per epoch, so the curves of a race
grow together; any other job is given a turn when it starts and hands it on (:class:`Shares`)
whenever others wait: after every epoch, and after :data:`TURN_SECONDS` of work within a long
epoch or stage (a char language model, word2vec, the sentiment probe). Turns go round the
people who wait (the instructor first, then whoever was served longest ago), not first come,
first served: one student's race of 14 models, or one student's 50-million-character language
model, does not hold the machine while the class waits.
"""
from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from core.runs.store import RunDiverged, RunStore, describe_error

Job = Callable[..., "dict | None"]  # (store, run id, stop_flag) -> summary
HEARTBEAT_SECONDS = 10.0
TURN_SECONDS = 60.0  # the longest a run keeps the machine while others wait, within an epoch
WAIT_POLL_SECONDS = 0.5  # a waiting run also checks its stop flag this often (Stop wakes it)
LOG = logging.getLogger("seqlab.worker")
_STOPS: dict[tuple[str, int], threading.Event] = {}  # (store file, run id) -> in-process stop


@dataclass(frozen=True)
class _Ticket:
    who: object  # the run asking
    owner: str  # whose run it is: turns go round owners
    first: bool  # the instructor's runs are served before the rest
    order: int  # when it asked


def next_fair(waiting: list, served: dict[str, int]):
    """Whom to serve next among ``waiting`` (items with ``owner``, ``first`` and ``order``):
    the instructor's first, then the owner served longest ago (``served``: owner -> when; never
    served goes first), then whoever asked first. None when nobody waits. The embedded worker's
    turns and the cluster's queue both use it."""
    if not waiting:
        return None
    return min(waiting, key=lambda t: (not t.first, served.get(t.owner, -1), t.order))


class Turns:
    """One training at a time. A run that waits is served by :meth:`next_in_line`: the
    instructor's runs first, then the owner served longest ago (never served: first), then the
    one that asked first. One owner's runs rotate among themselves."""

    def __init__(self):
        self._changed = threading.Condition()
        self._waiting: list[_Ticket] = []
        self._holder: _Ticket | None = None
        self._owners: dict[object, tuple[str, bool]] = {}  # run -> (owner, instructor's)
        self._served: dict[str, int] = {}  # owner -> when last served
        self._asked: dict[object, int] = {}  # run -> its place, taken when it was queued
        self._clock = itertools.count()

    def enrol(self, who, owner: str, first: bool = False) -> None:
        """Say whose run ``who`` is (a run not enrolled is its own owner)."""
        with self._changed:
            self._owners[who] = (owner, first)

    def reserve(self, who, owner: str, first: bool = False) -> None:
        """Take ``who``'s place in line now, when its run is queued: until its thread asks
        (or leaves), it counts as waiting there, so a race's runs take their first turns in
        the order they were queued, not in the order their threads happen to reach the line
        (the race's first model, the quickest to a first point, goes first)."""
        with self._changed:
            self._owners[who] = (owner, first)
            self._asked[who] = next(self._clock)

    def leave(self, who) -> None:
        with self._changed:
            self._owners.pop(who, None)
            self._asked.pop(who, None)

    def next_in_line(self) -> _Ticket | None:
        """The ticket served next: of the runs waiting, and the runs queued whose threads have
        not asked yet (:meth:`reserve`), which nobody may pass."""
        arrived = {t.who for t in self._waiting}
        queued = [_Ticket(who, *self._owners.get(who, (f"run:{who}", False)), place)
                  for who, place in self._asked.items() if who not in arrived]
        return next_fair(self._waiting + queued, self._served)

    def _wait_for_turn(self, who, should_stop, poll: float) -> bool:
        """Queue ``who`` and wait (the condition held) until it holds the machine: True; False
        when ``should_stop()`` says so first. Its ticket never outlives the wait, whatever
        ``should_stop`` raises, so the line cannot stall behind a run that is gone."""
        owner, first = self._owners.get(who, (f"run:{who}", False))
        place = self._asked.pop(who, None)
        ticket = _Ticket(who, owner, first, next(self._clock) if place is None else place)
        self._waiting.append(ticket)
        try:
            while self._holder is not None or self.next_in_line() is not ticket:
                if should_stop and should_stop():
                    return False
                self._changed.wait(poll)
            self._holder = ticket
            self._served[owner] = next(self._clock)
            return True
        finally:
            self._waiting.remove(ticket)
            self._changed.notify_all()

    @contextmanager
    def turn(self, who, should_stop: Callable[[], bool] | None = None,
             poll: float | None = None) -> Iterator[bool]:
        """Hold the machine while the block runs; yields False (without the turn) when
        ``should_stop()`` says so while waiting (checked every ``poll`` seconds)."""
        with self._changed:
            mine = self._wait_for_turn(who, should_stop, WAIT_POLL_SECONDS if poll is None
                                       else poll)
        if not mine:
            yield False
            return
        try:
            yield True
        finally:
            with self._changed:
                if self._holder is not None and self._holder.who == who:
                    self._holder = None
                self._changed.notify_all()

    def share(self, who, should_stop: Callable[[], bool] | None = None,
              poll: float | None = None) -> bool:
        """From inside ``who``'s turn: when others wait, let the next in line go first and
        wait for a turn again (the fair order decides). True once ``who`` holds the machine
        again (at once when nobody waits, or when ``who`` holds no turn here); False when
        ``should_stop()`` said so while waiting (``who`` then holds nothing)."""
        with self._changed:
            if self._holder is None or self._holder.who != who or not self._waiting:
                return True
            self._holder = None
            return self._wait_for_turn(who, should_stop, WAIT_POLL_SECONDS if poll is None
                                       else poll)

    def wake(self) -> None:
        """Let waiting runs check their stop flags now."""
        with self._changed:
            self._changed.notify_all()

    def waiting(self) -> int:
        """How many runs wait for a turn."""
        with self._changed:
            return len(self._waiting)


TURNS = Turns()


class Shares:
    """A long job's way of taking turns from inside its one turn: :meth:`now` between epochs
    or stages, :meth:`tick` inside them (it shares once :data:`TURN_SECONDS` of work have
    passed since the run last took the machine). Each returns False when the run was asked to
    stop while it waited; the job then stops. Where no turns are kept (a Ray actor runs one job
    alone), both return True at once."""

    def __init__(self, run_id: int, stopping: Callable[[], bool], seconds: float | None = None):
        self.run_id, self.stopping, self.seconds = run_id, stopping, seconds
        self.since = time.monotonic()

    def now(self) -> bool:
        took = TURNS.share(self.run_id, self.stopping)
        self.since = time.monotonic()
        return took

    def tick(self) -> bool:
        limit = TURN_SECONDS if self.seconds is None else self.seconds
        return time.monotonic() - self.since < limit or self.now()

    def stopping_or_stopped_while_waiting(self) -> bool:
        """A stop check that also shares the machine when due: for loops that ask one."""
        return self.stopping() or not self.tick()


def should_stop(store: RunStore, run_id: int, stop_flag=None) -> Callable[[], bool]:
    """The one stop check jobs poll: this process's flag (at once) or the store (any process)."""
    return lambda: bool(stop_flag and stop_flag()) or store.stop_requested(run_id)


def request_stop(store: RunStore, run_id: int, *, by) -> None:
    """Stop a run (``by``: who asks, :class:`people.NotAllowed` if they may not): through the
    store for a worker in any process, and at once (next batch, or out of the queue) if its
    worker is in this one."""
    store.request_stop(run_id, by=by)
    event = _STOPS.get((str(store.path), run_id))
    if event is not None:
        event.set()
        TURNS.wake()


def start_run(store: RunStore, run_id: int, job: Job) -> threading.Thread:
    """Run ``job`` for run ``run_id`` in a daemon thread; it waits (status 'queued') while
    another training holds the slot. The outcome, including any error, goes to the store."""
    _STOPS[(str(store.path), run_id)] = threading.Event()
    run = store.get(run_id)
    TURNS.reserve(run_id, run.get("owner") or "operator", bool(run.get("by_instructor")))
    thread = threading.Thread(target=_run, args=(store, run_id, job), daemon=True,
                              name=f"seqlab-run-{run_id}")
    thread.start()
    return thread


def _run(store: RunStore, run_id: int, job: Job) -> None:
    stop = _STOPS[(str(store.path), run_id)]
    try:
        _run_taking_turns(store, run_id, job, stop)
    except Exception as error:  # outside the job: the queue itself failed (a store gone, locked)
        _record_failure(store, run_id, error)
    finally:
        TURNS.leave(run_id)  # never left in line: its place would hold up every run behind it
        _STOPS.pop((str(store.path), run_id), None)


def _record_failure(store: RunStore, run_id: int, error: Exception) -> None:
    """Say in the lab's log, and on the run if the store still answers, why a run could not
    wait for or take its turn; the line of waiting runs has already moved on."""
    LOG.error("run %s failed while waiting for its turn: %s", run_id, describe_error(error),
              exc_info=error)
    try:
        store.finish(run_id, "failed", error="could not wait for its turn: "
                                             + describe_error(error))
    except Exception as again:  # the store itself is what failed: the log keeps the reason
        LOG.error("run %s: the store did not take the failure either: %s", run_id, again)


def _run_taking_turns(store: RunStore, run_id: int, job: Job, stop: threading.Event) -> None:
    """A job that takes turns per epoch runs at once; any other waits for one whole turn
    (queued, with heartbeats)."""
    run = store.get(run_id)
    TURNS.enrol(run_id, run.get("owner") or "operator", bool(run.get("by_instructor")))
    try:
        if getattr(job, "takes_turns", False):
            execute(store, run_id, job, stop)
            return
        with _beating(store, run_id), \
                TURNS.turn(run_id, should_stop(store, run_id, stop.is_set)) as mine:
            if mine:
                execute(store, run_id, job, stop)
            else:
                store.finish(run_id, "stopped")
    finally:
        TURNS.leave(run_id)


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
    with _beating(store, run_id):
        try:
            summary = job(store, run_id, stop.is_set)
            status = "stopped" if store.stop_requested(run_id) else "finished"
            store.finish(run_id, status, summary=summary)
        except RunDiverged as error:
            store.finish(run_id, "diverged", error=str(error))
        except Exception as error:  # the one broad except: the UI shows what went wrong
            store.finish(run_id, "failed", error=describe_error(error))


@contextmanager
def _beating(store: RunStore, run_id: int) -> Iterator[None]:
    """Heartbeats for the run every HEARTBEAT_SECONDS while the block runs."""
    done = threading.Event()
    beat = threading.Thread(target=_beat, args=(store, run_id, done), daemon=True)
    beat.start()
    try:
        yield
    finally:
        done.set()


def _beat(store: RunStore, run_id: int, done: threading.Event) -> None:
    while not done.wait(HEARTBEAT_SECONDS):
        store.heartbeat(run_id)
