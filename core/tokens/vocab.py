"""Vocabularies: tokens ranked by frequency in a corpus, with ids, coverage and IDF."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from core.data import diskcache

PAD, UNK = "", "[UNK]"  # ids 0 and 1, as in Keras's TextVectorization


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Tokens in order of corpus frequency. ``counts[i]`` is how often ``words[i]`` occurs,
    ``doc_freq[i]`` in how many of ``n_docs`` documents; ``total`` counts every running token
    of the corpus, so coverage is measured against the whole corpus, not the kept words."""

    words: tuple[str, ...]
    counts: np.ndarray  # (len(words),) int64
    total: int
    doc_freq: np.ndarray | None = None  # (len(words),) int64; None for character vocabularies
    n_docs: int = 0

    def __post_init__(self):
        if len(self.words) != len(self.counts):
            raise ValueError(f"words and counts differ in length: {len(self.words)} vs "
                             f"{len(self.counts)}")

    def __len__(self) -> int:
        return len(self.words) + 2  # with padding and [UNK]

    @cached_property
    def stoi(self) -> dict[str, int]:
        """Token -> id (vocabulary words start at 2)."""
        return {w: i + 2 for i, w in enumerate(self.words)}

    def itos(self, i: int) -> str:
        """Id -> token; 0 is padding, 1 and anything out of range is ``[UNK]``."""
        if i == 0:
            return PAD
        return self.words[i - 2] if 2 <= i < len(self.words) + 2 else UNK

    def ids(self, tokens: list[str]) -> list[int]:
        """Ids of ``tokens``; unknown tokens get 1."""
        return [self.stoi.get(t, 1) for t in tokens]

    def decode(self, ids: list[int]) -> list[str]:
        """Tokens of ``ids``; padding is dropped, unknown ids become ``[UNK]``."""
        return [self.itos(i) for i in ids if i != 0]

    def top(self, k: int, stop_words: frozenset[str] | None = None) -> "Vocabulary":
        """The ``k`` most frequent tokens, optionally without ``stop_words``."""
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        keep = np.arange(len(self.words))
        if stop_words:
            keep = np.array([i for i, w in enumerate(self.words) if w not in stop_words], dtype=int)
        keep = keep[:k]
        return Vocabulary(tuple(self.words[i] for i in keep), self.counts[keep], self.total,
                          None if self.doc_freq is None else self.doc_freq[keep], self.n_docs)

    def coverage(self) -> float:
        """Fraction of the corpus's running tokens that are in this vocabulary."""
        return float(self.counts.sum() / self.total) if self.total else 0.0

    def coverage_curve(self) -> np.ndarray:
        """Coverage of the top 1, 2, ... tokens: cumulative counts / total."""
        return np.cumsum(self.counts) / max(self.total, 1)

    def idf(self) -> np.ndarray:
        """scikit-learn's smoothed IDF: ln((1 + n) / (1 + df)) + 1 for each word."""
        if self.doc_freq is None:
            raise ValueError("this vocabulary has no document frequencies (a character vocabulary)")
        return np.log((1 + self.n_docs) / (1 + self.doc_freq)) + 1.0


def count_vocabulary(texts: list[str]) -> Vocabulary:
    """Word vocabulary of ``texts`` (standardised as :mod:`core.text` does), most frequent first."""
    from core.tokens.rules import count_vectorizer

    vectorizer = count_vectorizer()
    matrix = vectorizer.fit_transform(texts)
    words = vectorizer.get_feature_names_out()
    counts = np.asarray(matrix.sum(axis=0)).ravel().astype(np.int64)
    doc_freq = np.diff(matrix.tocsc().indptr).astype(np.int64)
    order = np.lexsort((words, -counts))  # by count, ties alphabetical
    return Vocabulary(tuple(words[order].tolist()), counts[order], int(counts.sum()),
                      doc_freq[order], len(texts))


def char_vocabulary(texts: list[str]) -> Vocabulary:
    """Character vocabulary of ``texts`` after standardisation, most frequent first."""
    from core.tokens.rules import standardize

    counter = Counter()
    for t in texts:
        counter.update(standardize(t))
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    counts = np.array([c for _, c in items], dtype=np.int64)
    return Vocabulary(tuple(c for c, _ in items), counts, int(counts.sum()))


def _to_arrays(v: Vocabulary) -> dict[str, np.ndarray]:
    blob = "\n".join(v.words).encode("utf-8")  # no token contains a newline (tokens are \w runs)
    arrays = {"words": np.frombuffer(blob, dtype=np.uint8), "counts": v.counts,
              "total": np.array(v.total), "n_docs": np.array(v.n_docs)}
    if v.doc_freq is not None:
        arrays["doc_freq"] = v.doc_freq
    return arrays


def _from_arrays(a: dict[str, np.ndarray]) -> Vocabulary:
    words = tuple(a["words"].tobytes().decode("utf-8").split("\n")) if len(a["words"]) else ()
    return Vocabulary(words, a["counts"], int(a["total"]), a.get("doc_freq"), int(a["n_docs"]))


@lru_cache(maxsize=2)
def imdb_vocabulary(level: str = "word") -> Vocabulary:
    """The vocabulary of the 25,000 IMDB train reviews (``level`` "word" or "char"), disk-cached."""
    from core.data import imdb

    if level not in ("word", "char"):
        raise ValueError(f"level must be 'word' or 'char', got {level!r}")
    build = count_vocabulary if level == "word" else char_vocabulary

    def make() -> dict[str, np.ndarray]:
        reviews = imdb.read_reviews()
        return _to_arrays(build(reviews.loc[reviews["split"] == "train", "text"].tolist()))

    key = diskcache.cache_key(imdb.reviews_checksum(), level, "vocab")
    return _from_arrays(diskcache.cached_arrays(f"imdb_vocab_{level}", key, make))
