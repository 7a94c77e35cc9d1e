"""A class's questions in the run store: each question's opening (opened, revealed, the answer
computed at the reveal), every person's answer to it (person, question, answer, time), and the
predictions people make for their runs. Who may do what is decided here, with the people rules
(``core.runs.people``): only the instructor opens, reveals, resets and reads everyone's answers;
a student answers once per opening and may change it until the reveal. A part of
:class:`~core.runs.store.RunStore`."""
from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass

from core.runs.people import NotAllowed, Person, asking, check_instructor, check_may_change, \
    is_class

SELF_PACED = "questions_self_paced"  # the class setting: True lets every student go alone
MAX_PREDICTED_EPOCH = 1000


@dataclass(frozen=True)
class Opening:
    """Where a question stands for the class: ``opening`` counts the times it was opened (or
    reset; 0: never), ``open`` whether answers are taken, ``revealed`` whether the answer is
    shown, ``answer`` the one computed at the reveal (None for a personal question)."""

    question: str
    opening: int = 0
    open: bool = False
    revealed: bool = False
    answer: str | None = None


@dataclass(frozen=True)
class Standing:
    """What a page of questions needs to know in one read: whether they are paced, each
    question's :class:`Opening`, the asker's answer to its current opening, and every question
    open now on any page (the sidebar's links to them follow it)."""

    paced: bool
    openings: dict[str, Opening]
    mine: dict[str, str]
    open_now: tuple[str, ...] = ()


def _paced(self_paced) -> bool:
    """The rule: a class paces its questions unless the instructor let it go alone."""
    return is_class() and not self_paced


class ClassQuestions:
    """Openings, answers and predictions (mixed into ``RunStore``: it uses ``self._connect``,
    ``self.setting`` and ``self.get``)."""

    def paced(self) -> bool:
        """Whether the instructor paces the questions: a class, unless the instructor let it go
        alone (then, as in a one-person lab, each person answers and then sees the answer)."""
        return _paced(self.setting(SELF_PACED, False))

    def opening(self, question: str) -> Opening:
        with self._connect() as db:
            row = db.execute("SELECT * FROM openings WHERE question = ?", (question,)).fetchone()
        return Opening(question) if row is None else _opening(row)

    def openings(self) -> dict[str, Opening]:
        """Every question the class has opened, by id."""
        with self._connect() as db:
            rows = db.execute("SELECT * FROM openings").fetchall()
        return {r["question"]: _opening(r) for r in rows}

    def standing(self, person: Person, questions: list[str]) -> Standing:
        """:class:`Standing` of ``questions`` for ``person``, in one connection (a page polls
        it every second for every student)."""
        person = asking(person)
        marks = ",".join("?" * len(questions))
        with self._connect() as db:
            alone = db.execute("SELECT value FROM settings WHERE name = ?",
                               (SELF_PACED,)).fetchone()
            rows = db.execute("SELECT * FROM openings").fetchall()
            mine = db.execute(
                "SELECT a.question, a.answer FROM answers a LEFT JOIN openings o ON "
                f"o.question = a.question WHERE a.person = ? AND a.question IN ({marks}) "
                "AND a.opening = coalesce(o.opening, 0)", (person.id, *questions)).fetchall()
        found = {r["question"]: _opening(r) for r in rows}
        return Standing(_paced(alone is not None and json.loads(alone["value"])),
                        {q: found.get(q, Opening(q)) for q in questions},
                        {r["question"]: r["answer"] for r in mine},
                        tuple(q for q, opening in found.items() if opening.open))

    def open_question(self, question: str, *, by: Person) -> Opening:
        """Open ``question`` for answers, as a new opening (earlier answers stay in the record,
        under their opening): the instructor's call. Resetting is opening again."""
        check_instructor(by, "open a question")
        with self._connect(write_first=True) as db:
            db.execute("INSERT INTO openings (question, opening, opened) VALUES (?, 1, ?) "
                       "ON CONFLICT(question) DO UPDATE SET opening = opening + 1, "
                       "opened = excluded.opened, revealed = NULL, answer = NULL",
                       (question, time.time()))
        return self.opening(question)

    def reveal_question(self, question: str, answer: str | None, *, by: Person) -> Opening:
        """Show the class ``question``'s ``answer`` (computed now by its ``core`` function; None
        for a personal question) and take no more answers: the instructor's call."""
        check_instructor(by, "reveal an answer")
        with self._connect(write_first=True) as db:
            done = db.execute("UPDATE openings SET revealed = ?, answer = ? WHERE question = ? "
                              "AND opened IS NOT NULL", (time.time(), answer, question)).rowcount
        if not done:
            raise NotAllowed("open the question before revealing its answer")
        return self.opening(question)

    def answer(self, person: Person, question: str, answer: str) -> None:
        """Keep ``person``'s ``answer`` (already read by ``core.questions.model.read_answer``).
        Paced: only while the question is open, and changeable until the reveal. Alone: once;
        the answer is shown as soon as it is given."""
        person = asking(person)
        with self._connect(write_first=True) as db:
            row = db.execute("SELECT * FROM openings WHERE question = ?", (question,)).fetchone()
            opening = row["opening"] if row else 0
            if self.paced():
                if row is None or row["opened"] is None:
                    raise NotAllowed("the instructor has not opened this question yet")
                if row["revealed"] is not None:
                    raise NotAllowed("the answer is already revealed: answers are closed until "
                                     "the instructor asks again")
            elif db.execute("SELECT 1 FROM answers WHERE question = ? AND opening = ? AND "
                            "person = ?", (question, opening, person.id)).fetchone():
                raise NotAllowed("you have answered this question and seen the answer")
            db.execute("INSERT OR REPLACE INTO answers (question, opening, person, answer, at) "
                       "VALUES (?, ?, ?, ?, ?)", (question, opening, person.id, answer,
                                                  time.time()))

    def current_answers(self, question: str) -> list[tuple[str, str]]:
        """(person id, answer) of the question's current opening: for its tally, which shows
        counts only (the ids let a personal question check each person's own answer)."""
        with self._connect() as db:
            return [(r["person"], r["answer"]) for r in db.execute(
                "SELECT a.person, a.answer FROM answers a LEFT JOIN openings o ON "
                "o.question = a.question WHERE a.question = ? AND "
                "a.opening = coalesce(o.opening, 0) ORDER BY a.at", (question,))]

    def all_answers(self, *, by: Person) -> list[dict]:
        """Every answer kept (person, name, question, opening, answer, time, and the answer
        revealed for that opening if it is the current one): the instructor's alone."""
        check_instructor(by, "see everyone's answers")
        with self._connect() as db:
            return [dict(r) for r in db.execute(
                "SELECT a.person, p.name, a.question, a.opening, a.answer, a.at, "
                "CASE WHEN o.opening = a.opening THEN o.answer END AS revealed_answer, "
                "CASE WHEN o.opening = a.opening AND o.revealed IS NOT NULL THEN 1 ELSE 0 END "
                "AS revealed FROM answers a LEFT JOIN people p ON p.id = a.person "
                "LEFT JOIN openings o ON o.question = a.question ORDER BY a.question, a.at")]

    def predict(self, run_id: int, prediction: dict, *, by: Person) -> None:
        """Keep what ``by`` predicts for run ``run_id`` (their own): ``best`` (validation
        accuracy, 0 to 1) and ``epoch`` (where it peaks), or ``bits`` (a language model's
        validation bits per character after its first epoch, 0 to 16)."""
        check_may_change(by, self.get(run_id), "predict")
        clean = {}
        for name, low, high in (("best", 0.0, 1.0), ("bits", 0.0, 16.0),
                                ("epoch", 1, MAX_PREDICTED_EPOCH)):
            value = prediction.get(name)
            if value is None:
                continue
            if (isinstance(value, bool) or not isinstance(value, (int, float))
                    or not math.isfinite(value) or not low <= value <= high):
                raise ValueError(f"a predicted {name} must be a number from {low} to {high}, "
                                 f"got {value!r}")
            clean[name] = int(value) if name == "epoch" else float(value)
        if not clean:
            raise ValueError("a prediction needs best, epoch or bits")
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO predictions (run_id, data) VALUES (?, ?)",
                       (run_id, json.dumps(clean)))

    def predictions(self) -> dict[int, dict]:
        """Every run's prediction, by run id."""
        with self._connect() as db:
            return {r["run_id"]: json.loads(r["data"])
                    for r in db.execute("SELECT run_id, data FROM predictions")}


def _opening(row) -> Opening:
    return Opening(row["question"], row["opening"], row["opened"] is not None and
                   row["revealed"] is None, row["revealed"] is not None, row["answer"])
