"""How the number of distinct n-grams explodes with n, measured on a real corpus."""
from __future__ import annotations

import time
from functools import lru_cache

import numpy as np
import pandas as pd

from core.data import diskcache

TOP_PER_N = 20_000  # the most frequent n-grams kept per n, for showing n-gram ids


def ngram_statistics_sklearn(texts: list[str], max_n: int = 5) -> pd.DataFrame:
    """Reference for :func:`ngram_statistics` with scikit-learn's ``CountVectorizer`` per n
    (exact, but it builds every n-gram as a string: minutes on IMDB, used by tests and bench)."""
    from core.tokens.rules import count_vectorizer

    rows = []
    for n in range(1, max_n + 1):
        try:
            matrix = count_vectorizer(ngram_range=(n, n)).fit_transform(texts)
        except ValueError:  # no document has n words
            rows.append({"n": n, "distinct": 0, "running": 0, "non-zeros": 0})
            continue
        rows.append({"n": n, "distinct": matrix.shape[1], "running": int(matrix.sum()),
                     "non-zeros": int(matrix.nnz)})
    return pd.DataFrame(rows)


def ngram_statistics(texts: list[str], max_n: int = 5, top: int = TOP_PER_N
                     ) -> tuple[pd.DataFrame, dict[int, list[str]]]:
    """Per n = 1..max_n: distinct n-grams, running n-grams, non-zeros and sparsity of the
    document x n-gram count matrix, and seconds taken; plus the ``top`` n-grams of each n.

    Exact: an n-gram's id is the rank of the pair (its (n-1)-gram's id, its last word's id)
    among all such pairs, so n-grams are compared as integers, never built as strings.
    """
    from core.tokens.rules import word_tokens

    if max_n < 1:
        raise ValueError(f"max_n must be >= 1, got {max_n}")
    start = time.perf_counter()
    docs = [word_tokens(t) for t in texts]
    stoi: dict[str, int] = {}
    words = np.array([stoi.setdefault(w, len(stoi)) for d in docs for w in d], dtype=np.int64)
    doc_of = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
    itos = np.array(list(stoi), dtype=object)
    tokenize_seconds = time.perf_counter() - start
    rows, tops = [], {}
    gram = words  # id of the n-gram starting at each position (valid where `valid`)
    for n in range(1, max_n + 1):
        start = time.perf_counter()
        if n > 1:  # extend each (n-1)-gram by the word n-1 places further on
            gram = gram[:-1] * max(len(stoi), 1) + words[n - 1:]
        valid = doc_of[:len(gram)] == doc_of[n - 1:]  # the n words lie in one document
        keys, first, gram_valid = np.unique(gram[valid], return_index=True, return_inverse=True)[:3]
        gram_ids = np.full(len(gram), -1, dtype=np.int64)
        gram_ids[valid] = gram_valid
        gram = gram_ids
        counts = np.bincount(gram_valid, minlength=len(keys))
        pairs = np.unique(doc_of[:len(gram)][valid] * len(keys) + gram_valid).size
        positions = np.flatnonzero(valid)[first]
        best = np.lexsort((positions, -counts))[:top]  # ties: first seen first
        tops[n] = [" ".join(itos[words[p:p + n]]) for p in positions[best]]
        cells = len(texts) * len(keys)
        rows.append({"n": n, "distinct": len(keys), "running": int(valid.sum()),
                     "non-zeros": int(pairs), "sparsity": 1.0 - pairs / cells if cells else 1.0,
                     "seconds": time.perf_counter() - start + (tokenize_seconds if n == 1 else 0)})
    return pd.DataFrame(rows), tops


@lru_cache(maxsize=1)
def imdb_ngram_statistics(max_n: int = 5) -> tuple[pd.DataFrame, dict[int, list[str]]]:
    """:func:`ngram_statistics` of the 25,000 IMDB train reviews, computed once, disk-cached."""
    from core.data import imdb

    def make() -> dict[str, np.ndarray]:
        reviews = imdb.read_reviews()
        table, tops = ngram_statistics(reviews.loc[reviews["split"] == "train", "text"].tolist(),
                                       max_n)
        arrays = {f"col_{c}": table[c].to_numpy() for c in table.columns}
        for n, grams in tops.items():
            arrays[f"top_{n}"] = np.frombuffer("\n".join(grams).encode("utf-8"), dtype=np.uint8)
        return arrays

    key = diskcache.cache_key(imdb.reviews_checksum(), str(max_n), str(TOP_PER_N), "ngrams")
    arrays = diskcache.cached_arrays("imdb_ngrams", key, make)
    table = pd.DataFrame({k[4:]: v for k, v in arrays.items() if k.startswith("col_")})
    tops = {int(k[4:]): v.tobytes().decode("utf-8").split("\n") if len(v) else []
            for k, v in arrays.items() if k.startswith("top_")}
    return table, tops
