"""Char-level text corpora (Nietzsche, tiny Shakespeare) and the lecture's window counting."""
from __future__ import annotations

from functools import lru_cache

from core import paths
from core.data import datasets

CORPORA = {"nietzsche": "nietzsche", "shakespeare": "shakespeare"}  # corpus -> data set


@lru_cache(maxsize=4)
def _raw_text(name: str) -> str:
    if name not in CORPORA:
        raise KeyError(f"unknown corpus {name!r}; known: {', '.join(CORPORA)}")
    (path,) = datasets.resolve_dataset(CORPORA[name])
    return paths.read_text(path)


def load_text(name: str = "nietzsche", lower: bool = True) -> str:
    """The whole corpus as one string, lower-cased as the lecture does unless ``lower=False``."""
    text = _raw_text(name)
    return text.lower() if lower else text


def count_windows(text_length: int, maxlen: int = 60, step: int = 3) -> int:
    """How many (window, next character) pairs ``range(0, len - maxlen, step)`` makes."""
    if maxlen < 1 or step < 1:
        raise ValueError(f"maxlen and step must be >= 1, got maxlen={maxlen}, step={step}")
    return len(range(0, text_length - maxlen, step))


def corpus_stats(text: str, maxlen: int = 60, step: int = 3) -> dict[str, int]:
    """The lecture's numbers for a corpus: length, distinct characters, training windows."""
    return {"length": len(text), "unique_chars": len(set(text)),
            "sequences": count_windows(len(text), maxlen, step)}
