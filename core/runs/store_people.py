"""The class a store keeps: people's names (and which browser id signed in as the instructor,
with which key), wrong keys typed lately, and the class-wide settings (limits, watched words),
which only the instructor changes. A part of :class:`~core.runs.store.RunStore`."""
from __future__ import annotations

import dataclasses
import json
import time

from core.runs.people import (Limits, NotAllowed, Person, check_instructor, key_digest, sign_in,
                              sign_out)

SIGN_IN_WINDOW = 600.0  # seconds over which wrong instructor keys are counted
SIGN_IN_PER_BROWSER = 5  # wrong keys one browser may type in that window
SIGN_IN_OVERALL = 30  # wrong keys all browsers together may type in it (new ids are free)


class ClassRecords:
    """People, sign-ins and settings (mixed into ``RunStore``: it uses ``self._connect``)."""

    def person(self, person_id: str) -> Person | None:
        """The person with this browser id, as last named, and the instructor if they signed
        in with the key that is configured now; None if unknown."""
        with self._connect() as db:
            row = db.execute("SELECT name, instructor_key FROM people WHERE id = ?",
                             (person_id,)).fetchone()
        if row is None:
            return None
        signed = row["instructor_key"] is not None and row["instructor_key"] == key_digest()
        return Person(person_id, row["name"], instructor=signed)

    def remember(self, person: Person) -> None:
        """Keep ``person``'s name for their browser id, so a reload finds them again. Whether
        the id is the instructor's is the store's own record, set only by :meth:`sign_in`:
        remembering a person built as the instructor by hand does not make the id one."""
        with self._connect() as db:
            db.execute("INSERT INTO people (id, name, seen) VALUES (?, ?, ?) ON CONFLICT(id) "
                       "DO UPDATE SET name = excluded.name, seen = excluded.seen",
                       (person.id, person.name, time.time()))

    @staticmethod
    def _remember(db, person: Person) -> None:
        db.execute("INSERT OR REPLACE INTO people (id, name, seen, instructor_key) "
                   "VALUES (?, ?, ?, ?)", (person.id, person.name, time.time(),
                                           key_digest() if person.instructor else None))

    def setting(self, name: str, default=None):
        """A class-wide setting (JSON value), or ``default``."""
        with self._connect() as db:
            row = db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return default if row is None else json.loads(row["value"])

    def set_setting(self, name: str, value, *, by: Person) -> None:
        """Change a class-wide setting: the instructor's call in a class."""
        check_instructor(by, f"change the class's {name.replace('_', ' ')}")
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)",
                       (name, json.dumps(value)))

    def limits(self) -> Limits:
        """How many runs may be queued or running at once (the instructor may change them)."""
        with self._connect() as db:
            return self._limits(db)

    @staticmethod
    def _limits(db) -> Limits:
        row = db.execute("SELECT value FROM settings WHERE name = 'limits'").fetchone()
        return Limits(**(json.loads(row["value"]) if row else {}))

    def set_limits(self, limits: Limits, *, by: Person) -> None:
        self.set_setting("limits", dataclasses.asdict(limits), by=by)

    def sign_in(self, person: Person, key: str) -> Person:
        """``person`` signed in as the instructor under a new id (remembered), or
        :class:`~core.runs.people.NotAllowed`: a wrong key, or too many wrong keys lately
        (:data:`SIGN_IN_PER_BROWSER` from this browser, :data:`SIGN_IN_OVERALL` from all, in
        :data:`SIGN_IN_WINDOW` seconds)."""
        now = time.time()
        with self._connect(write_first=True) as db:
            db.execute("DELETE FROM wrong_keys WHERE at < ?", (now - SIGN_IN_WINDOW,))
            rows = db.execute("SELECT who, at FROM wrong_keys ORDER BY at").fetchall()
            mine = [r["at"] for r in rows if r["who"] == person.id]
            if len(mine) >= SIGN_IN_PER_BROWSER or len(rows) >= SIGN_IN_OVERALL:
                oldest = (mine if len(mine) >= SIGN_IN_PER_BROWSER else [r["at"] for r in rows])[0]
                wait = max(1, int(oldest + SIGN_IN_WINDOW - now))
                raise NotAllowed(f"too many wrong instructor keys were typed "
                                 f"{'in this browser ' * (len(mine) >= SIGN_IN_PER_BROWSER)}"
                                 f"lately: try again in {wait} s")
            try:
                signed = sign_in(person, key)
            except NotAllowed as refused:
                db.execute("INSERT INTO wrong_keys (who, at) VALUES (?, ?)", (person.id, now))
                error = refused
            else:
                error = None
                self._remember(db, signed)
        if error is not None:
            raise error
        return signed

    def sign_out(self, person: Person) -> Person:
        """A student under a new id (remembered); the id ``person`` had is no instructor's."""
        student = sign_out(person)
        with self._connect() as db:
            db.execute("UPDATE people SET instructor_key = NULL WHERE id = ?", (person.id,))
            self._remember(db, student)
        return student
