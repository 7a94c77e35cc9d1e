"""Questions in a class: which there are (built in, and the instructor's file), what one person
sees of one (their answer, and the answer once it is theirs to see), the projector's tally,
the reveal (the answer computed now), and the instructor's records (CSV, share right)."""
from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass

from core.questions import builtin
from core.questions.model import Ask, NotReady, Question, Reveal, Tally, is_right, right_of, \
    seed_of, tally
from core.questions.toml_file import QuestionFileError, load_questions, questions_file
from core.runs.people import Person, asking, check_instructor
from core.runs.store_questions import Opening, Standing

_FILE: dict = {}  # the instructor's file as last read: (path, mtime) -> questions or problem


def all_questions() -> tuple[tuple[Question, ...], str | None]:
    """Every question (the built-in ones, then the instructor's file's) and what is wrong with
    the file, if anything (its questions are then left out; the built-in ones stay)."""
    path = questions_file()
    stamp = (str(path), path.stat().st_mtime if path.is_file() else None)
    if stamp not in _FILE:
        try:
            _FILE.clear()
            _FILE[stamp] = (load_questions(path), None)
        except QuestionFileError as error:
            _FILE[stamp] = ((), str(error))
    theirs, problem = _FILE[stamp]
    return builtin.QUESTIONS + theirs, problem


def on_page(page: str) -> tuple[Question, ...]:
    return tuple(q for q in all_questions()[0] if q.page == page)


def open_pages(open_now, current: str) -> list[str]:
    """The pages (url paths, in the order first opened) other than ``current`` where a question
    of ``open_now`` (ids: ``Standing.open_now``) is open; a question no longer known (the
    instructor's file changed since) is left out."""
    known = {q.id: q.page for q in all_questions()[0]}
    pages = [known[q] for q in open_now if q in known and known[q] != current]
    return list(dict.fromkeys(pages))


def find(question_id: str) -> Question:
    for question in all_questions()[0]:
        if question.id == question_id:
            return question
    raise KeyError(f"no question {question_id!r}")


_REVEALS: dict[tuple, tuple[float, Reveal]] = {}
REVEAL_KEPT = 600.0  # seconds a computed answer is reused (pages poll; answers cost seconds)


def computed(store, question: Question, opening: Opening, seed: int = 0) -> Reveal:
    """``question``'s answer for this opening (and seed, for a personal question), computed
    by its ``core`` function once and reused for :data:`REVEAL_KEPT` seconds by every page
    that polls it (a question that reads the class's runs is computed again at each reveal)."""
    key = (str(store.path), question.id, question.source, opening.opening, opening.revealed,
           seed if question.personal else 0)
    now = time.monotonic()
    kept = _REVEALS.get(key)
    if kept is None or now - kept[0] > REVEAL_KEPT:
        if len(_REVEALS) > 1024:
            _REVEALS.clear()
        kept = _REVEALS[key] = (now, question.reveal(Ask(store, key[-1])))
    return kept[1]


def ask_for(store, question: Question, person: Person, opening: Opening | None = None) -> Ask:
    """What ``question``'s functions read for ``person`` (their seed in this opening)."""
    opening = opening or store.opening(question.id)
    return Ask(store, seed_of(asking(person).id, question.id, opening.opening))


@dataclass(frozen=True)
class Seen:
    """One person's view of a question: ``opening``, ``answer`` (theirs, or None), ``may_answer``
    (and if not, why), ``reveal`` (the answer, once they may see it) and ``right`` (whether
    theirs is)."""

    opening: Opening
    answer: str | None
    may_answer: bool
    why_not: str
    reveal: Reveal | None = None
    right: bool | None = None
    problem: str = ""  # the answer could not be computed (NotReady's message)
    start: tuple[str, ...] = ()


def seen_by(store, question: Question, person: Person, standing: Standing | None = None) -> Seen:
    """What ``person`` sees of ``question`` now (``standing``: the store's
    :meth:`~core.runs.store.RunStore.standing` of the page, read once). Paced: they answer
    while it is open and see the answer after the instructor reveals it. Alone: they answer
    once, then see it."""
    standing = standing or store.standing(person, [question.id])
    opening, paced = standing.openings[question.id], standing.paced
    mine = standing.mine.get(question.id)
    if paced and not (opening.open or opening.revealed):
        return Seen(opening, mine, False, "the instructor has not opened this question yet")
    if paced and opening.open:
        return Seen(opening, mine, True, "")
    if not paced and mine is None:
        return Seen(opening, None, True, "")
    ask = ask_for(store, question, person, opening)
    try:
        shown = computed(store, question, opening, ask.seed)
    except NotReady as missing:
        return Seen(opening, mine, False, "", None, None, str(missing), missing.start)
    if paced and opening.answer is not None and not question.personal:
        shown = Reveal(_typed(question, opening.answer), shown.explain, shown.rows)
    right = None if mine is None else is_right(question, mine, shown.answer)
    return Seen(opening, mine, False, "answers are closed: the answer is revealed" if paced
                else "you have answered", shown, right)


def _typed(question: Question, answer: str) -> str | float:
    return float(answer) if question.numeric else answer


def class_tally(store, question: Question, *, by: Person) -> Tally:
    """The projector's tally of the current opening (counts, never names), with how many are
    right once the answer is revealed: the instructor's (anyone's in a one-person lab)."""
    check_instructor(by, "see the class's tally")
    opening = store.opening(question.id)
    answers = store.current_answers(question.id)
    given = [a for _, a in answers]
    if not opening.revealed:
        return tally(question, given)
    if question.personal:
        good = sum(is_right(question, a, right_of(question, Ask(store, seed_of(
            p, question.id, opening.opening)))) for p, a in answers)
        return Tally(len(given), tally(question, given).counts, good)  # each their own answer
    return tally(question, given, _typed(question, opening.answer))


def reveal(store, question: Question, *, by: Person) -> Reveal:
    """Compute ``question``'s answer now (``NotReady`` if the class has not made what it
    needs) and show it to the class: the instructor's call."""
    check_instructor(by, "reveal an answer")
    shown = question.reveal(Ask(store, 0))
    opening = store.reveal_question(question.id, None if question.personal
                                    else str(shown.answer), by=by)
    _REVEALS[(str(store.path), question.id, question.source, opening.opening, True, 0)] = (
        time.monotonic(), shown)
    return shown


CSV_COLUMNS = ("person", "name", "question", "page", "opening", "answer", "right answer",
               "right", "answered at")


def answer_rows(store, *, by: Person) -> list[dict]:
    """One row per person and question (their answer in the latest opening they answered),
    with the right answer where it was revealed: the instructor's alone."""
    latest: dict[tuple[str, str], dict] = {}
    for row in store.all_answers(by=by):
        key = (row["person"], row["question"])
        if key not in latest or row["opening"] >= latest[key]["opening"]:
            latest[key] = row
    out = []
    for row in latest.values():
        try:
            question = find(row["question"])
        except KeyError:
            question = None
        right_answer = row["revealed_answer"] if row["revealed"] else None
        if question is not None and question.personal and row["revealed"]:
            right_answer = right_of(question, Ask(store, seed_of(row["person"], row["question"],
                                                                  row["opening"])))
        right = (None if question is None or right_answer is None
                 else is_right(question, row["answer"], _typed(question, str(right_answer))))
        out.append({"person": row["person"], "name": row["name"] or "", "question":
                    row["question"], "page": question.page if question else "",
                    "opening": row["opening"], "answer": row["answer"],
                    "right answer": "" if right_answer is None else str(right_answer),
                    "right": "" if right is None else ("yes" if right else "no"),
                    "answered at": time.strftime("%Y-%m-%d %H:%M:%S",
                                                 time.localtime(row["at"]))})
    return sorted(out, key=lambda r: (r["question"], r["name"], r["person"]))


def answers_csv(store, *, by: Person) -> str:
    """:func:`answer_rows` as CSV text (the instructor's download)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(answer_rows(store, by=by))
    return buffer.getvalue()


def share_right(store, *, by: Person) -> list[dict]:
    """Per question with revealed answers: how many answered and the share right."""
    totals: dict[str, list[int]] = {}
    for row in answer_rows(store, by=by):
        if row["right"]:
            count = totals.setdefault(row["question"], [0, 0])
            count[0] += 1
            count[1] += row["right"] == "yes"
    return [{"question": q, "answered": n, "right": r, "share right": round(r / n, 3)}
            for q, (n, r) in sorted(totals.items())]
