"""Char-level text corpora (Nietzsche, tiny Shakespeare) and the lecture's window counting."""
from __future__ import annotations

from functools import lru_cache

from core import paths
from core.data import datasets

CORPORA = {"nietzsche": "nietzsche", "shakespeare": "shakespeare",  # corpus -> data set
           "imdb_reviews": "imdb"}


@lru_cache(maxsize=4)
def _raw_text(name: str) -> str:
    if name not in CORPORA:
        raise KeyError(f"unknown corpus {name!r}; known: {', '.join(CORPORA)}")
    if name == "imdb_reviews":
        return imdb_reviews_text()
    (path,) = datasets.resolve_dataset(CORPORA[name])
    return paths.read_text(path)


def imdb_reviews_text() -> str:
    """IMDB's reviews without their labels, one a line: the 50,000 unlabelled ones, then the
    25,000 train reviews (Keras's order). No test review is in it, so a model trained on it has
    never read the reviews its states are scored on."""
    from core.data import imdb

    reviews = [*imdb.read_unlabelled(), *imdb.load_imdb_reviews("train")["text"]]
    return "\n".join(imdb.plain(text) for text in reviews) + "\n"


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
