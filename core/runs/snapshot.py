"""One shared, read-only view of a run store per tick, for every reader in the process.

Thirty students following one race would otherwise each read the store every second (the runs,
then every metric of every run, parsed from JSON). A :class:`SharedSnapshot` reads it at most
once per tick for all of them, and only what is new since the last read (metrics rows by rowid);
its ``version`` changes only when something did, so charts and tables built from a snapshot can
be built once per version and shared too.

A :class:`Snapshot` answers the store's read calls (``list``, ``get``, ``metrics``, ``count``,
``predictions``), so code that draws from a store draws from a snapshot unchanged.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from core.runs.store import RunStore

MARK_STALE_EVERY = 5.0  # seconds between checks for dead workers (a write; reads need none)


@dataclass(frozen=True)
class Snapshot:
    """The store as it was at ``taken`` (never changes once made)."""

    version: int
    taken: float
    runs: tuple[dict, ...]
    records: dict[tuple[int, str], tuple[dict, ...]] = field(default_factory=dict)
    predicted: dict[int, dict] = field(default_factory=dict)

    def list(self, kind: str | None = None) -> list[dict]:
        return [r for r in self.runs if kind is None or r["kind"] == kind]

    def get(self, run_id: int) -> dict:
        for run in self.runs:
            if run["id"] == run_id:
                return run
        raise KeyError(f"no run with id {run_id}")

    def metrics(self, run_id: int, level: str) -> list[dict]:
        return list(self.records.get((run_id, level), ()))

    def count(self, run_id: int, level: str) -> int:
        return len(self.records.get((run_id, level), ()))

    def predictions(self) -> dict[int, dict]:
        return dict(self.predicted)


class SharedSnapshot:
    """A store's latest :class:`Snapshot`, refreshed at most every ``tick`` seconds, whoever
    asks (thread-safe: sessions ask from their own threads)."""

    def __init__(self, store: RunStore, tick: float = 0.5):
        self.store, self.tick = store, tick
        self._lock = threading.Lock()
        self._snapshot = Snapshot(0, 0.0, ())
        self._last_row = 0
        self._stale_checked = 0.0

    def current(self, fresh: bool = False) -> Snapshot:
        """The latest snapshot; ``fresh``: read the store now whatever its age (a page drawn
        after a user's action must show its result)."""
        with self._lock:
            now = time.monotonic()
            if fresh or now - self._snapshot.taken >= self.tick:
                self._snapshot = self._refresh(now)
            return self._snapshot

    def _refresh(self, now: float) -> Snapshot:
        old = self._snapshot
        if now - self._stale_checked >= MARK_STALE_EVERY:
            self.store.mark_stale()
            self._stale_checked = now
        runs = tuple(self.store.list(mark_stale=False))
        ids = {r["id"] for r in runs}
        records = dict(old.records)
        if {r["id"] for r in old.runs} - ids:  # a run was deleted: sqlite may reuse its rowids
            records, self._last_row = {}, 0
        rows, self._last_row = self.store.metrics_since(self._last_row)
        fresh: dict[tuple[int, str], list[dict]] = {}
        for run_id, level, record in rows:
            if run_id in ids:
                fresh.setdefault((run_id, level), []).append(record)
        for key, new in fresh.items():
            merged = records.get(key, ()) + tuple(new)
            if any(a["step"] > b["step"] for a, b in zip(merged, merged[1:])):
                merged = tuple(sorted(merged, key=lambda r: r["step"]))
            records[key] = merged
        predicted = self.store.predictions()
        changed = (runs != old.runs or bool(fresh) or len(records) != len(old.records)
                   or predicted != old.predicted)
        return Snapshot(old.version + changed, now, runs, records, predicted)
