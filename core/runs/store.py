"""A persistent store of training runs: config, status, metrics, errors (stdlib sqlite3, WAL).

Workers write, pages read; every call opens its own short connection, so threads and processes
can share one file. A run whose worker stopped sending heartbeats is marked interrupted, never
left "running" forever.
"""
from __future__ import annotations

import json
import socket
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

from core import paths
from core.runs.liveness import ProcessId, alive, this_process
from core.runs.people import Person, check_instructor, check_may_change, check_room
from core.runs.store_files import RunFiles
from core.runs.store_people import ClassRecords
from core.runs.store_questions import ClassQuestions
from core.runs.store_schema import COLUMNS, create_schema, move_aside

ACTIVE = ("queued", "running")
FINAL = ("finished", "stopped", "failed", "interrupted", "diverged")
STALE_AFTER = 60.0  # seconds without a heartbeat before a running run counts as dead
class RunDiverged(Exception):
    """A job ends with this when its loss became NaN or exploded; the message says why."""


def describe_error(error: BaseException) -> str:
    """A failed run's error in plain words: the message of the errors our code raises on
    purpose (bad settings, missing data), the type as well for anything unexpected."""
    if isinstance(error, MemoryError):
        return "the machine ran out of memory: use fewer reviews, a shorter maxlen or fewer units"
    if isinstance(error, KeyError) and error.args:
        return str(error.args[0])
    if isinstance(error, (ValueError, FileNotFoundError, RunDiverged)):  # data sets missing too
        return str(error)
    return f"{type(error).__name__}: {error}"


class RunStore(RunFiles, ClassRecords, ClassQuestions):
    """Runs and their metrics in one sqlite file (default ``runs.sqlite`` in ``paths.runs_dir``).

    A file that is not a readable store (damaged, or not a database at all) is moved aside,
    never deleted, and a fresh store starts; ``moved_aside`` then names where it went."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else paths.runs_dir() / "runs.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.moved_aside: Path | None = None
        try:
            self._create_schema()
        except sqlite3.DatabaseError:
            self.moved_aside = self._move_aside()
            self._create_schema()

    def _create_schema(self) -> None:
        with self._connect() as db:
            create_schema(db)

    def _move_aside(self) -> Path:
        return move_aside(self.path)

    @contextmanager
    def _connect(self, write_first: bool = False):
        """One connection, one transaction. ``write_first``: take the write lock before the
        first read (BEGIN IMMEDIATE), so a check and the write it guards see no other writer
        between them."""
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            with db:  # one transaction per call
                if write_first:
                    db.execute("BEGIN IMMEDIATE")
                yield db
        finally:
            db.close()

    def create(self, kind: str, config: dict, name: str | None = None, *,
               owner: Person) -> int:
        """A new queued run of ``owner`` (the command line passes ``people.OPERATOR``); returns
        its id. In a class, :class:`~core.runs.people.NotAllowed` when it would pass a limit.
        This process answers for it until a worker starts it."""
        return self.create_many(kind, [(config, name)], owner=owner)[0]

    def create_many(self, kind: str, runs: list[tuple[dict, str | None]], *,
                    owner: Person) -> list[int]:
        """Queue all of ``runs`` ((config, name) pairs) for ``owner``, or none: the room check
        and the inserts are one transaction, so presses at the same instant cannot pass a
        limit together. Returns the new ids in order."""
        self.mark_stale()
        me, now = this_process(), time.time()
        with self._connect(write_first=True) as db:
            active = [_as_dict(r) for r in db.execute(
                "SELECT * FROM runs WHERE status IN ('queued', 'running')")]
            check_room(owner, active, len(runs), self._limits(db))
            return [int(db.execute(
                "INSERT INTO runs (kind, name, config, status, created, heartbeat, pid, host, "
                "boot, pstart, owner, owner_name, by_instructor) "
                "VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (kind, name or kind, json.dumps(config, sort_keys=True), now, now, me.pid,
                 me.host, me.boot, me.started, owner.id, owner.name, int(owner.instructor))
            ).lastrowid) for config, name in runs]

    def start(self, run_id: int, place: str | None = None) -> None:
        """Mark a run as running in this process, at ``place`` (default: the embedded worker
        on this host)."""
        now = time.time()
        self._update(run_id, status="running", started=now, heartbeat=now, **_answered_here(),
                     place=(place or f"embedded worker on {socket.gethostname()}")[:200])

    def adopt(self, run_id: int) -> None:
        """This process now answers for the run (a cluster's store keeper takes over queued
        runs, so that a restart of the process that queued them does not mark them dead)."""
        self._update(run_id, **_answered_here())

    def log(self, run_id: int, level: str, step: int, data: dict[str, float]) -> None:
        """Append one metrics record (``level`` 'batch', 'epoch' or 'progress'); a heartbeat."""
        now = time.time()
        with self._connect() as db:
            db.execute("INSERT INTO metrics (run_id, level, step, wall, data) VALUES (?, ?, ?, ?, ?)",
                       (run_id, level, step, now, json.dumps(data)))
            db.execute("UPDATE runs SET heartbeat = ? WHERE id = ?", (now, run_id))

    def finish(self, run_id: int, status: str, error: str | None = None,
               summary: dict | None = None) -> None:
        """Record how a run ended: finished, stopped or failed (with the error)."""
        if status not in FINAL:
            raise ValueError(f"status must be one of {FINAL}, got {status!r}")
        fields = dict(status=status, finished=time.time(), error=error)
        if summary is not None:
            fields["summary"] = json.dumps(summary)
        self._update(run_id, **fields)

    def request_stop(self, run_id: int, *, by: Person) -> None:
        """Ask the worker to stop after the current batch (``by``: who asks; the run's owner or
        the instructor in a class, :class:`~core.runs.people.NotAllowed` otherwise)."""
        check_may_change(by, self.get(run_id), "stop")
        self._update(run_id, stop_requested=1)

    def stop_requested(self, run_id: int) -> bool:
        return bool(self.get(run_id)["stop_requested"])

    def rename(self, run_id: int, name: str, *, by: Person) -> None:
        check_may_change(by, self.get(run_id), "rename")
        name = name.strip()
        if not name:
            raise ValueError("a run's name cannot be empty")
        self._update(run_id, name=name[:100])

    def show_to_class(self, run_id: int, shown: bool = True, *, by: Person) -> None:
        """Put a run on every chart of the class (or take it off): the instructor's call."""
        check_instructor(by, "show a run to the class")
        self._update(run_id, shown=int(shown))

    def delete(self, run_id: int, *, by: Person) -> list[Path]:
        """Delete a run that is not active (stop it first), with its curves and every file it
        wrote; returns the files removed. A run whose worker is gone is interrupted first."""
        self.mark_stale()
        run = self.get(run_id)
        check_may_change(by, run, "delete")
        if run["status"] in ACTIVE:
            raise ValueError(f"run {run_id} is still {run['status']}: stop it first")
        files = self.files(run_id)
        with self._connect() as db:
            db.execute("DELETE FROM runs WHERE id = ?", (run_id,))
            db.execute("DELETE FROM files WHERE run_id = ?", (run_id,))
        removed = [f for f in files if f.is_file()]
        for file in removed:
            file.unlink(missing_ok=True)
        return removed

    def check_room(self, owner: Person, adding: int) -> None:
        """Raise :class:`~core.runs.people.NotAllowed` if ``owner`` may not queue ``adding``
        more runs now (a preview for the page: :meth:`create_many` checks again as it writes)."""
        active = [r for r in self.list() if r["status"] in ACTIVE]
        check_room(owner, active, adding, self.limits())

    def get(self, run_id: int) -> dict:
        """One run as a dict (config and summary parsed); ``KeyError`` if there is none."""
        with self._connect() as db:
            row = db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise KeyError(f"no run with id {run_id}")
        return _as_dict(row)

    def list(self, kind: str | None = None, mark_stale: bool = True) -> list[dict]:
        """All runs (of ``kind``), newest first, after marking dead ones interrupted (unless
        ``mark_stale`` is False)."""
        if mark_stale:
            self.mark_stale()
        query, args = "SELECT * FROM runs", ()
        if kind:
            query, args = query + " WHERE kind = ?", (kind,)
        with self._connect() as db:
            return [_as_dict(r) for r in db.execute(query + " ORDER BY id DESC", args)]

    def metrics(self, run_id: int, level: str) -> list[dict]:
        """Metrics records of a run at ``level``, in step order, each with step and wall."""
        with self._connect() as db:
            rows = db.execute("SELECT step, wall, data FROM metrics WHERE run_id = ? AND level = ? "
                              "ORDER BY step", (run_id, level)).fetchall()
        return [{"step": r["step"], "wall": r["wall"], **json.loads(r["data"])} for r in rows]

    def metrics_since(self, row: int) -> tuple[list[tuple[int, str, dict]], int]:
        """Every metrics record added after row ``row`` (of any run), as (run id, level,
        record), in the order written; and the last row read (pass it next time)."""
        with self._connect() as db:
            rows = db.execute("SELECT rowid, run_id, level, step, wall, data FROM metrics "
                              "WHERE rowid > ? ORDER BY rowid", (row,)).fetchall()
        out = [(r["run_id"], r["level"], {"step": r["step"], "wall": r["wall"],
                                          **json.loads(r["data"])}) for r in rows]
        return out, (rows[-1]["rowid"] if rows else row)

    def count(self, run_id: int, level: str) -> int:
        """How many metrics records a run has at ``level`` (cheap: nothing is parsed)."""
        with self._connect() as db:
            return db.execute("SELECT count(*) FROM metrics WHERE run_id = ? AND level = ?",
                              (run_id, level)).fetchone()[0]

    def mark_stale(self, after: float = STALE_AFTER) -> int:
        """Mark active runs as interrupted when the process that answers for them is gone (on
        this machine: same host, boot, pid and process start, so a reused pid does not count)
        or, while running, they sent no heartbeat for ``after`` seconds. Returns how many."""
        now = time.time()
        with self._connect() as db:
            rows = db.execute("SELECT id, status, pid, host, boot, pstart, heartbeat FROM runs "
                              "WHERE status IN ('queued', 'running')").fetchall()
            dead = [r["id"] for r in rows if _gone(r) or (
                r["status"] == "running" and (r["heartbeat"] or 0) < now - after)]
            for run_id in dead:
                db.execute("UPDATE runs SET status = 'interrupted', finished = ?, error = "
                           "COALESCE(error, 'the worker stopped reporting (server restart or "
                           "crash); the curve so far is kept') WHERE id = ?", (now, run_id))
        return len(dead)

    def heartbeat(self, run_id: int) -> None:
        self._update(run_id, heartbeat=time.time())

    def _update(self, run_id: int, **fields) -> None:
        unknown = set(fields) - COLUMNS
        if unknown:
            raise ValueError(f"not a run column: {', '.join(sorted(unknown))}")
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self._connect() as db:
            cur = db.execute(f"UPDATE runs SET {sets} WHERE id = ?", (*fields.values(), run_id))
            if cur.rowcount == 0:
                raise KeyError(f"no run with id {run_id}")


def _answered_here() -> dict:
    """The columns that name this process as the one answering for a run."""
    me = this_process()
    return {"pid": me.pid, "host": me.host, "boot": me.boot, "pstart": me.started}


def _gone(row: sqlite3.Row) -> bool:
    """Whether the process that answers for an active run is gone (False when it is on
    another host: the heartbeat rule decides there)."""
    if not row["pid"]:
        return True
    if row["host"] is None:  # a run from before hosts were recorded: this machine's pid
        return alive(ProcessId(socket.gethostname(), "", row["pid"], 0)) is False
    process = ProcessId(row["host"], row["boot"] or "", row["pid"], row["pstart"] or 0)
    return alive(process) is False


def _as_dict(row: sqlite3.Row) -> dict:
    out = dict(row)
    out["config"] = json.loads(out["config"])
    out["summary"] = json.loads(out["summary"] or "{}")
    return out
