"""The instructor's own questions: a small TOML file (``questions.toml`` beside the lab, or the
file ``$SEQLAB_QUESTIONS`` names), read when the lab starts. Each question is a
``[[question]]`` table::

    [[question]]
    page = "inside"                  # text, embeddings, train, generate or inside
    prompt = "How many gates has an LSTM cell?"
    choices = ["2", "3", "4"]        # multiple choice: the answer is one of them
    answer = "3"
    explain = "Input, forget and output: the candidate is not a gate."   # optional

    [[question]]
    page = "train"
    prompt = "How many parameters has LSTM(32) reading 32-dimensional inputs?"
    answer = 8320                    # a number (no choices) ...
    tolerance = 0.05                 # ... right within 5 % of it (optional, default 0)
    unit = "parameters"              # optional

``id`` is optional (default ``file.1``, ``file.2`` …). A file that cannot be read as questions
raises :class:`QuestionFileError`, whose message names the file and the line."""
from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from core import paths
from core.questions.model import PAGES, Question, Reveal

FILE_ENV = "SEQLAB_QUESTIONS"
MAX_FILE_BYTES = 256_000
KEYS = {"id", "page", "prompt", "choices", "answer", "explain", "tolerance", "unit"}


class QuestionFileError(ValueError):
    """A questions file the lab cannot use; the message names the file and the line."""


def questions_file() -> Path:
    """``$SEQLAB_QUESTIONS``, else ``questions.toml`` in the project folder (it may not exist)."""
    return Path(os.environ.get(FILE_ENV) or paths.PROJECT_ROOT / "questions.toml")


def _table_lines(text: str) -> list[int]:
    """The line (1-based) of each ``[[question]]`` header, in order."""
    return [i for i, line in enumerate(text.splitlines(), 1)
            if re.match(r"\s*\[\[\s*question\s*\]\]", line)]


def parse_questions(text: str, source: str = "questions.toml") -> tuple[Question, ...]:
    """The questions in ``text`` (a questions file's contents), or :class:`QuestionFileError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:  # its message ends "(at line L, column C)"
        raise QuestionFileError(f"{source}: not valid TOML: {error}") from None
    extra = set(data) - {"question"}
    if extra:
        raise QuestionFileError(f"{source}: unknown table {sorted(extra)[0]!r}: every question "
                                "starts with a [[question]] line")
    tables = data.get("question", [])
    if not isinstance(tables, list):
        raise QuestionFileError(f"{source}: write [[question]] (two brackets), one per question")
    lines = _table_lines(text)
    out, seen = [], set()
    for n, table in enumerate(tables, 1):
        line = lines[n - 1] if n - 1 < len(lines) else 1
        try:
            question = _question(table, n, source)
        except (ValueError, TypeError) as error:
            raise QuestionFileError(f"{source}, line {line} (question {n}): {error}") from None
        if question.id in seen:
            raise QuestionFileError(f"{source}, line {line} (question {n}): the id "
                                    f"{question.id!r} is used twice")
        seen.add(question.id)
        out.append(question)
    return tuple(out)


def _question(table: dict, n: int, source: str) -> Question:
    unknown = set(table) - KEYS
    if unknown:
        raise ValueError(f"unknown key {sorted(unknown)[0]!r} (use {', '.join(sorted(KEYS))})")
    for key in ("page", "prompt", "answer"):
        if key not in table:
            raise ValueError(f"it needs a {key}")
    prompt, explain = table["prompt"], table.get("explain", "")
    if not isinstance(prompt, str) or not prompt.strip() or len(prompt) > 1000:
        raise ValueError("prompt must be text of 1 to 1,000 characters")
    if not isinstance(explain, str) or len(explain) > 2000:
        raise ValueError("explain must be text of at most 2,000 characters")
    qid = str(table.get("id", f"file.{n}"))
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", qid):
        raise ValueError(f"id must be 1 to 40 letters, digits, '.', '_' or '-', got {qid!r}")
    if table["page"] not in PAGES:
        raise ValueError(f"page must be one of {', '.join(PAGES)}, got {table['page']!r}")
    answer, choices = table["answer"], table.get("choices")
    if choices is not None:
        if (not isinstance(choices, list) or not 2 <= len(choices) <= 8
                or not all(isinstance(c, str) and c.strip() and len(c) <= 40 for c in choices)):
            raise ValueError("choices must be a list of 2 to 8 texts of at most 40 characters")
        if len(set(choices)) != len(choices):
            raise ValueError("two choices are the same")
        if answer not in choices:
            raise ValueError(f"the answer {answer!r} is not one of the choices")
        if "tolerance" in table:
            raise ValueError("tolerance is for a number's answer, and this question has choices")
        right = str(answer)
    else:
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            raise ValueError(f"without choices the answer must be a number, got {answer!r}")
        right = float(answer)
    tolerance = table.get("tolerance", 0.0)
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)):
        raise ValueError("tolerance must be a number (a share, such as 0.05)")
    reveal = Reveal(right, explain.strip() or "The instructor's answer.")
    return Question(qid, table["page"], prompt.strip(), lambda ask: reveal,
                    tuple(choices) if choices else None, float(tolerance),
                    str(table.get("unit", ""))[:40], source=source)


def load_questions(path: Path | None = None) -> tuple[Question, ...]:
    """The questions in ``path`` (default :func:`questions_file`); none when it does not exist;
    :class:`QuestionFileError` when it cannot be used."""
    path = path or questions_file()
    if not path.is_file():
        return ()
    if path.stat().st_size > MAX_FILE_BYTES:
        raise QuestionFileError(f"{path.name}: {path.stat().st_size:,} bytes, more than a "
                                f"questions file may have ({MAX_FILE_BYTES:,})")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise QuestionFileError(f"{path.name}: not UTF-8 text ({error.reason})") from None
    return parse_questions(text, path.name)
