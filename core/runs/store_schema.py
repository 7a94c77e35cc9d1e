"""The run store's tables, the columns added since the first stores (an older file gets them
when opened), and moving a damaged file aside. A part of :class:`~core.runs.store.RunStore`."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

# Columns added since the first stores (an older file gets them when opened), and their types.
_ADDED = {"place": "TEXT", "owner": "TEXT", "owner_name": "TEXT", "by_instructor": "INTEGER",
          "shown": "INTEGER DEFAULT 0", "host": "TEXT", "boot": "TEXT", "pstart": "INTEGER"}
COLUMNS = {"kind", "name", "status", "started", "finished", "heartbeat", "pid", "error",
            "stop_requested", "summary", *_ADDED}  # what _update may set

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, name TEXT NOT NULL,
    config TEXT NOT NULL, status TEXT NOT NULL, created REAL NOT NULL, started REAL,
    finished REAL, heartbeat REAL, pid INTEGER, error TEXT, stop_requested INTEGER DEFAULT 0,
    summary TEXT DEFAULT '{}', place TEXT);
CREATE TABLE IF NOT EXISTS files (
    run_id INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (run_id, name));
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT NOT NULL, seen REAL,
    instructor_key TEXT);
CREATE TABLE IF NOT EXISTS wrong_keys (who TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, level TEXT NOT NULL,
    step INTEGER NOT NULL, wall REAL NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS metrics_run ON metrics(run_id, level, step);
CREATE TABLE IF NOT EXISTS openings (question TEXT PRIMARY KEY, opening INTEGER NOT NULL,
    opened REAL, revealed REAL, answer TEXT);
CREATE TABLE IF NOT EXISTS answers (question TEXT NOT NULL, opening INTEGER NOT NULL,
    person TEXT NOT NULL, answer TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (question, opening, person));
CREATE TABLE IF NOT EXISTS predictions (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE, data TEXT NOT NULL);
"""


def create_schema(db: sqlite3.Connection) -> None:
    """Create what is missing in the store ``db`` (``sqlite3.DatabaseError`` when the file is
    not a store at all)."""
    db.executescript(SCHEMA)
    db.execute("SELECT count(*) FROM runs").fetchone()
    columns = {row[1] for row in db.execute("PRAGMA table_info(runs)")}
    for column, kind in _ADDED.items():  # a store from before these existed
        if column not in columns:
            db.execute(f"ALTER TABLE runs ADD COLUMN {column} {kind}")
    if "instructor_key" not in {r[1] for r in db.execute("PRAGMA table_info(people)")}:
        db.execute("ALTER TABLE people ADD COLUMN instructor_key TEXT")


def move_aside(path: Path) -> Path:
    """Rename the damaged store ``path`` (and its WAL and shared-memory files) to a new name;
    returns it."""
    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    while aside.exists():
        aside = aside.with_name(aside.name + "x")
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.replace(aside.with_name(aside.name + suffix))
    path.replace(aside)
    return aside
