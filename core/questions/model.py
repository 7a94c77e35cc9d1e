"""What a question is, how an answer is read and checked, and how a class's answers are tallied
(counts only: a tally never carries a name)."""
from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

PAGES = ("text", "embeddings", "train", "generate", "inside")  # the pages that teach (url paths)
MAX_ANSWER_CHARS = 100  # a number or a choice; anything longer is refused with a message


@dataclass(frozen=True)
class Reveal:
    """A question's answer, computed when it is revealed: ``answer`` (the right choice's text,
    or the number), ``explain`` (sentences with the numbers behind it) and ``rows`` (a table of
    them, possibly empty)."""

    answer: str | float
    explain: str
    rows: tuple[dict, ...] = ()


class NotReady(Exception):
    """A question whose answer needs something the class has not made yet (a trained run, a data
    set): the message says what, and ``start`` (if any) names the runs that would make it."""

    def __init__(self, message: str, start: tuple[str, ...] = ()):
        super().__init__(message)
        self.start = start


@dataclass(frozen=True)
class Ask:
    """What a computed question may read: the run store (answers that depend on the class's
    runs) and the asker's seed (a personal question gives each person their own material)."""

    store: object = None
    seed: int = 0


@dataclass(frozen=True)
class Question:
    """One question: ``choices`` (the options, or a function computing them from the data; None
    for a number), ``reveal`` (``reveal(ask)`` computes the :class:`Reveal`; may raise
    :class:`NotReady`) and, for a personal question, ``material`` (``material(ask)``: what this
    person is asked about, such as a text written at a temperature only the lab knows)."""

    id: str
    page: str
    prompt: str
    reveal: Callable[[Ask], Reveal]
    choices: tuple[str, ...] | Callable[[], tuple[str, ...]] | None = None
    tolerance: float = 0.0  # a number's: the share of the true value an answer may be off
    unit: str = ""
    material: Callable[[Ask], str] | None = None  # personal: each person's own
    right: Callable[[Ask], str | float] | None = None  # personal: a person's right answer,
    # cheaply (a tally checks everyone's); default: the reveal's answer
    source: str = "built in"  # or the file it came from
    start: tuple[str, ...] = field(default=(), compare=False)  # models to train for its answer

    def __post_init__(self):
        if self.page not in PAGES:
            raise ValueError(f"page must be one of {', '.join(PAGES)}, got {self.page!r}")
        if not 0 <= self.tolerance < 1:
            raise ValueError(f"tolerance must be a share from 0 to below 1, got {self.tolerance}")

    @property
    def numeric(self) -> bool:
        return self.choices is None

    @property
    def personal(self) -> bool:
        return self.material is not None

    def options(self) -> tuple[str, ...]:
        """The choices (computed from the data the first time for built-in ones)."""
        if self.choices is None:
            return ()
        return tuple(self.choices() if callable(self.choices) else self.choices)


def right_of(question: Question, ask: Ask) -> str | float:
    """The right answer for the person ``ask`` names (everyone's is the same unless the
    question is personal)."""
    return question.right(ask) if question.right else question.reveal(ask).answer


def seed_of(person_id: str, question_id: str, opening: int) -> int:
    """A personal question's seed for one person and one opening (stable across reloads)."""
    return zlib.crc32(f"{person_id}|{question_id}|{opening}".encode("utf-8"))


def read_answer(question: Question, raw: object) -> str:
    """``raw`` as the text a store keeps for ``question``: one of the choices, or a finite
    number; ``ValueError`` with a message for the person otherwise (nothing is kept)."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        raise ValueError("give an answer first")
    if len(text) > MAX_ANSWER_CHARS:
        raise ValueError(f"an answer has at most {MAX_ANSWER_CHARS} characters; this one has "
                         f"{len(text):,}")
    if not question.numeric:
        if text not in question.options():
            raise ValueError("pick one of the choices")
        return text
    try:
        value = float(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise ValueError(f"{text!r} is not a number: type digits, such as 1200 or 0.85") from None
    if not math.isfinite(value):
        raise ValueError("give a finite number")
    return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def is_right(question: Question, answer: str, right: str | float) -> bool:
    """Whether ``answer`` (as :func:`read_answer` keeps it) counts as ``right``: the same choice,
    or a number within the question's tolerance of it."""
    if not question.numeric:
        return answer == right
    value, target = float(answer), float(right)
    return abs(value - target) <= question.tolerance * abs(target) + 1e-12


@dataclass(frozen=True)
class Tally:
    """How many answered and how the answers fall (no names): ``counts`` per choice, or for a
    number per bin (``bins``: labels in order)."""

    answered: int
    counts: dict[str, int]
    right: int | None = None  # after the reveal
    right_label: str | None = None  # the choice, or the number's bin, the right answer is in


def tally(question: Question, answers: list[str], right: str | float | None = None) -> Tally:
    """The tally of ``answers``: per choice (every choice listed, in order), or for a number in
    up to eight bins of equal width over the answers' range (one bin when all agree)."""
    good = None if right is None else sum(is_right(question, a, right) for a in answers)
    if not question.numeric:
        seen = Counter(answers)
        return Tally(len(answers), {c: seen.get(c, 0) for c in question.options()}, good,
                     None if right is None else str(right))
    values = sorted(float(a) for a in answers)
    if not values:
        return Tally(0, {}, good)
    low, high = values[0], values[-1]
    if low == high:
        label = _number(low)
        return Tally(len(values), {label: len(values)}, good,
                     label if right is not None and is_right(question, repr(low), right) else None)
    width = (high - low) / 8
    counts: dict[str, int] = {}
    holds = None
    for i in range(8):
        start = low + i * width
        last = i == 7
        label = f"{_number(start)} to {_number(start + width)}"
        counts[label] = sum(start <= v < start + width or (last and v == high) for v in values)
        if right is not None and (start <= float(right) < start + width
                                  or (last and float(right) == high)):
            holds = label
    return Tally(len(values), counts, good, holds)


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
