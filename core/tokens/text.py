"""Text to numbers: one-hot, bag-of-words, the lossy round trip, word order, hashing.

Conventions follow Keras's ``TextVectorization``: id 0 is padding, id 1 is the unknown token
``[UNK]``, and vocabulary words take ids 2, 3, ... in order of frequency.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from core.tokens.rules import (
    MAX_TEXT_CHARS,
    STOP_WORDS,
    WORD_PATTERN,
    cap_text,
    char_tokens,
    count_vectorizer,
    ngrams,
    standardize,
    word_tokens,
)

if TYPE_CHECKING:  # only for annotations: vocab needs the rules, never this module
    from core.tokens.vocab import Vocabulary

BOW_MODES = ("counts", "frequencies", "binary", "tf-idf")
__all__ = ["BOW_MODES", "MAX_TEXT_CHARS", "STOP_WORDS", "WORD_PATTERN", "bag_of_words",
           "cap_text", "char_codes", "char_tokens", "collision_stats", "cosine", "hash_buckets",
           "ngrams", "one_hot", "order_loss", "round_trip", "standardize", "word_tokens"]


def char_codes(text: str, limit: int = 400) -> list[dict]:
    """"Idea zero": each character with its Unicode code point and UTF-8 bytes (first ``limit``)."""
    return [{"char": c, "code point": ord(c), "ASCII": ord(c) < 128,
             "UTF-8 bytes": " ".join(f"{b:02x}" for b in c.encode("utf-8", "surrogatepass"))}
            for c in text[:limit]]


def round_trip(text: str, vocab: Vocabulary, stop_words: frozenset[str] | None = None) -> dict:
    """Text -> words -> ids -> text again: what standardisation and a finite vocabulary lose.
    Words that became [UNK] are split into the removed ``stop_words`` and the rest (outside
    the vocabulary)."""
    words = word_tokens(text)
    ids = vocab.ids(words)
    lost = {w for w, i in zip(words, ids) if i == 1}
    stopped = lost & (stop_words or frozenset())
    return {"tokens": words, "ids": ids, "decoded": " ".join(vocab.decode(ids)),
            "unknown": sorted(lost - stopped), "stop_words": sorted(stopped)}


def one_hot(ids: list[int], size: int) -> np.ndarray:
    """One row per token, one column per vocabulary id: (len(ids), size) of 0/1 uint8."""
    out = np.zeros((len(ids), size), dtype=np.uint8)
    out[np.arange(len(ids)), np.asarray(ids, dtype=np.int64)] = 1
    return out


def bag_of_words(text: str, vocab: Vocabulary, mode: str = "counts") -> np.ndarray:
    """The bag-of-words vector of ``text`` over ``vocab``'s words (length ``len(vocab.words)``).

    counts: occurrences; frequencies: counts / all words of the text (unknown ones included);
    binary: 0/1; tf-idf: counts x the IDF of each word over the vocabulary's corpus, L2-normed.
    """
    if mode not in BOW_MODES:
        raise ValueError(f"mode must be one of {BOW_MODES}, got {mode!r}")
    counts = count_vectorizer(vocab.words).transform([text]).toarray()[0].astype(np.float64)
    if mode == "frequencies":
        total = len(word_tokens(text))
        return counts / total if total else counts
    if mode == "binary":
        return (counts > 0).astype(np.float64)
    if mode == "tf-idf":
        transformer = TfidfTransformer()
        transformer.idf_ = vocab.idf()
        return transformer.transform(counts[None, :]).toarray()[0]
    return counts


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity; 0.0 when either vector is all zeros."""
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    return float(a @ b / (na * nb)) if na and nb else 0.0


def order_loss(a: str, b: str, max_n: int = 1) -> dict:
    """Bag-of-n-grams (1..max_n) of two texts over their joint features, and their cosine."""
    vectorizer = count_vectorizer(ngram_range=(1, max_n))
    try:
        matrix = vectorizer.fit_transform([a, b]).toarray()
    except ValueError:  # neither text has a word
        return {"features": [], "a": np.zeros(0), "b": np.zeros(0), "cosine": 0.0}
    return {"features": list(vectorizer.get_feature_names_out()), "a": matrix[0], "b": matrix[1],
            "cosine": cosine(matrix[0].astype(float), matrix[1].astype(float))}


def hash_buckets(words: list[str], n_features: int) -> np.ndarray:
    """The bucket scikit-learn's ``HashingVectorizer`` puts each word in (signed MurmurHash3)."""
    if n_features < 1:
        raise ValueError(f"n_features must be >= 1, got {n_features}")
    if not words:
        return np.zeros(0, dtype=np.int64)
    hasher = HashingVectorizer(n_features=n_features, analyzer=lambda w: [w], norm=None,
                               alternate_sign=False)
    return hasher.transform(words).tocsr().indices.astype(np.int64)


def collision_stats(words: list[str], n_features: int) -> dict:
    """How many of ``words`` share a bucket with another word, measured and as expected."""
    buckets = hash_buckets(words, n_features)
    _, inverse, sizes = np.unique(buckets, return_inverse=True, return_counts=True)
    k = len(words)
    return {"words": k, "buckets": n_features, "used buckets": int(len(sizes)),
            "collided words": int((sizes[inverse] > 1).sum()),
            "collision rate": float((sizes[inverse] > 1).mean()) if k else 0.0,
            "expected rate": float(1 - (1 - 1 / n_features) ** (k - 1)) if k else 0.0}


def collision_curve(words: list[str], sizes) -> list[dict]:
    """:func:`collision_stats` of ``words`` for each hash table size in ``sizes``."""
    return [collision_stats(words, m) for m in sizes]
