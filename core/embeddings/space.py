"""Word embedding spaces with one interface: lookup, exact nearest words, analogies, PCA."""
from __future__ import annotations

import difflib
from functools import cached_property
from typing import Sequence

import numpy as np

from core.embeddings.wordlist import WordList

METRICS = ("cosine", "euclidean")


class EmbeddingSpace:
    """``words[i]`` has vector ``vectors[i]`` (float32, shape (len(words), dim)).

    Search is exact and brute force over every word: one matrix-vector product, then
    ``argpartition`` for the top k (400,000 x 50 GloVe: a few milliseconds).
    """

    def __init__(self, words: Sequence[str], vectors: np.ndarray, name: str = "embedding space",
                 unit: np.ndarray | None = None):
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or len(words) != len(vectors):
            raise ValueError(f"need one vector per word: {len(words)} words, vectors of shape "
                             f"{vectors.shape}")
        self.words = words if isinstance(words, WordList) else list(words)
        self.vectors = vectors
        self.name = name
        if unit is not None:  # precomputed unit-length rows (a cache may store them)
            self.__dict__["_unit"] = unit

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return self.find(word) >= 0

    def __repr__(self) -> str:
        return f"EmbeddingSpace({self.name!r}, {len(self):,} words x {self.dim} dims)"

    @property
    def dim(self) -> int:
        return self.vectors.shape[1]

    @cached_property
    def _stoi(self) -> dict[str, int]:
        index: dict[str, int] = {}
        for i, w in enumerate(self.words):
            index.setdefault(w, i)  # the first occurrence wins if a word repeats
        return index

    def find(self, word: str) -> int:
        """Row of ``word``, or -1 (a memory-mapped word list bisects; a list uses a dict)."""
        if isinstance(self.words, WordList):
            return self.words.find(word)
        return self._stoi.get(word, -1)

    @cached_property
    def _norms(self) -> np.ndarray:
        return np.linalg.norm(self.vectors, axis=1)

    @cached_property
    def _unit(self) -> np.ndarray:
        return self.vectors / np.maximum(self._norms, 1e-12)[:, None]

    def index(self, word: str) -> int:
        """Row of ``word``; ``KeyError`` names the word and this space."""
        row = self.find(word) if isinstance(word, str) else -1
        if row < 0:
            raise KeyError(f"{word!r} is not in the {self.name} vocabulary ({len(self):,} words)")
        return row

    def vector(self, word: str) -> np.ndarray:
        """The vector of ``word``, shape (dim,)."""
        return self.vectors[self.index(word)]

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words."""
        return float(self._unit[self.index(a)] @ self._unit[self.index(b)])

    def nearest(self, query: str | np.ndarray, k: int = 10, metric: str = "cosine",
                exclude: Sequence[str] = ()) -> list[tuple[str, float]]:
        """The ``k`` nearest words to a word or vector, best first, with their scores.

        cosine: similarity, higher is nearer; euclidean: distance, lower is nearer. A query word
        and the words in ``exclude`` are left out. ``k`` beyond the vocabulary returns everything.
        """
        if metric not in METRICS:
            raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        skip = {self.index(w) for w in exclude}
        if isinstance(query, str):
            skip.add(self.index(query))
            query = self.vector(query)
        query = np.asarray(query, dtype=np.float32)
        if query.shape != (self.dim,):
            raise ValueError(f"query vector must have shape ({self.dim},), got {query.shape}")
        scores = self._scores(query, metric)
        better = -scores if metric == "cosine" else scores  # ascending = better first
        take = min(k + len(skip), len(self))
        top = np.argpartition(better, take - 1)[:take] if take < len(self) else np.arange(len(self))
        top = top[np.lexsort((top, better[top]))]  # by score, ties by row: deterministic
        return [(self.words[i], float(scores[i])) for i in top if i not in skip][:k]

    def _scores(self, query: np.ndarray, metric: str) -> np.ndarray:
        if metric == "cosine":
            norm = np.linalg.norm(query)
            return self._unit @ (query / norm) if norm else np.zeros(len(self), np.float32)
        squared = self._norms ** 2 - 2 * (self.vectors @ query) + query @ query
        return np.sqrt(np.maximum(squared, 0))

    def analogy(self, a: str, b: str, c: str, k: int = 5) -> list[tuple[str, float]]:
        """a is to b as c is to ?: nearest (cosine) to unit(b) - unit(a) + unit(c), inputs excluded."""
        target = self._unit[self.index(b)] - self._unit[self.index(a)] + self._unit[self.index(c)]
        return self.nearest(target, k, "cosine", exclude=(a, b, c))

    def project(self, words: Sequence[str], n_components: int = 2) -> np.ndarray:
        """PCA coordinates of ``words``' vectors, shape (len(words), n_components); deterministic."""
        from sklearn.decomposition import PCA

        if n_components not in (2, 3):
            raise ValueError(f"n_components must be 2 or 3, got {n_components}")
        if len(words) < n_components:
            raise ValueError(f"need at least {n_components} words to project, got {len(words)}")
        rows = self.vectors[[self.index(w) for w in words]].astype(np.float64)
        coords = PCA(n_components=n_components, svd_solver="full").fit_transform(rows)
        return coords * np.sign(coords[np.abs(coords).argmax(axis=0), range(n_components)])

    def axis_projection(self, negative: str, positive: str, words: Sequence[str]) -> np.ndarray:
        """Where each word falls on the direction negative -> positive (scalar projection of its
        unit vector onto unit(positive) - unit(negative)); shape (len(words),)."""
        direction = self._unit[self.index(positive)] - self._unit[self.index(negative)]
        direction /= max(np.linalg.norm(direction), 1e-12)
        return self._unit[[self.index(w) for w in words]] @ direction

    def close_spellings(self, word: str, n: int = 5) -> list[str]:
        """Vocabulary words spelled like ``word`` (for 'did you mean' messages)."""
        word = word.strip()
        if not word:
            return []
        lower = word.lower()
        if lower != word and lower in self:
            return [lower]
        candidates = [w for w in self._by_initial.get(lower[:1], ())
                      if abs(len(w) - len(lower)) <= 2]
        return difflib.get_close_matches(lower, candidates, n=n, cutoff=0.75)

    @cached_property
    def _by_initial(self) -> dict[str, list[str]]:
        """The 200,000 most frequent words by their first character, most frequent first: a
        'did you mean' looks at one list, not all of them (0.45 s a word on GloVe before)."""
        groups: dict[str, list[str]] = {}
        for w in self.words[:200_000]:
            groups.setdefault(w[:1], []).append(w)
        return groups


def embedding_matrix(words_by_id: Sequence[str], space: EmbeddingSpace, size: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """The lecture's pretrained embedding matrix: row i is the vector of ``words_by_id[i]``
    (row 0 and rows of words the space lacks stay zero), for ids below ``size``.

    Returns (matrix (size, dim) float32, found (size,) bool)."""
    if size < 1:
        raise ValueError(f"size must be >= 1, got {size}")
    matrix = np.zeros((size, space.dim), dtype=np.float32)
    found = np.zeros(size, dtype=bool)
    for i, word in enumerate(words_by_id[:size]):
        row = space.find(word) if i and word else -1  # id 0 is padding
        if row >= 0:
            matrix[i] = space.vectors[row]
            found[i] = True
    return matrix, found


def neighbour_overlap(lists: dict[str, list[str]]) -> np.ndarray:
    """Jaccard overlap of every pair of neighbour lists, shape (len(lists), len(lists))."""
    sets = [set(v) for v in lists.values()]
    return np.array([[len(a & b) / len(a | b) if a | b else 0.0 for b in sets] for a in sets])
