"""GloVe 6B vectors: a fast exact parser of the text format, and a binary cache."""
from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path

import numpy as np

from core import paths
from core.data import datasets, diskcache
from core.embeddings.space import EmbeddingSpace
from core.embeddings.wordlist import WordList

DIMS = (50, 100, 200, 300)
LECTURE_DIM = 100  # the lecture uses glove.6B.100d


def parse_glove(source: str | Path | io.IOBase, dim: int | None = None
                ) -> tuple[list[str], np.ndarray]:
    """Words and float32 vectors of a GloVe text file (``word v1 ... vd`` per line).

    pandas' C parser with quoting and NA detection off, so words such as "null", "nan", "n/a",
    "#" and '"' stay words. Accepts a path (plain, .gz or .xz: pandas reads a path much faster
    than a Python file object) or a binary file object.
    """
    import pandas as pd

    if dim is None:  # read the width from the first line
        with (paths.open_binary(Path(source)) if isinstance(source, (str, Path)) else
              _peek(source)) as f:
            dim = len(f.readline().split()) - 1
        if dim < 1:
            raise ValueError("not a GloVe file: expected 'word v1 v2 ...' on every line")
    frame = pd.read_csv(source, sep=" ", header=None, quoting=csv.QUOTE_NONE, na_filter=False,
                        engine="c", encoding="utf-8", compression="infer",
                        dtype={0: object, **{j: np.float32 for j in range(1, dim + 1)}})
    if frame.shape[1] != dim + 1:
        raise ValueError(f"not a GloVe file: lines have {frame.shape[1] - 1} numbers, not {dim}")
    return frame[0].tolist(), frame.iloc[:, 1:].to_numpy(np.float32)


class _peek:
    """Read the first line of a file object, then rewind it."""

    def __init__(self, f):
        self.f = f

    def __enter__(self):
        self.pos = self.f.tell()
        return self.f

    def __exit__(self, *exc):
        self.f.seek(self.pos)


def _glove_file(dim: int) -> datasets.DataFile:
    if dim not in DIMS:
        raise ValueError(f"GloVe 6B comes in {DIMS} dimensions, got {dim}")
    return datasets.dataset(f"glove{dim}").files[0]


def glove_available(dim: int) -> bool:
    """Whether the GloVe file of ``dim`` dimensions is on this machine (cache or mirror)."""
    return datasets.locate(_glove_file(dim)) is not None


@lru_cache(maxsize=2)
def load_glove(dim: int = 50) -> EmbeddingSpace:
    """GloVe 6B at ``dim`` dimensions (all 400,000 words) as an :class:`EmbeddingSpace`.

    The text is parsed once, then read from a binary cache keyed by the file's checksum.
    """
    f = _glove_file(dim)
    path = datasets.resolve(f, f"glove{dim}")

    def build() -> dict[str, np.ndarray]:
        words, vectors = parse_glove(path)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
        return {**WordList.from_words(words).arrays(), "vectors": vectors, "unit": unit}

    key = diskcache.cache_key(f.sha256 or f"{path.stat().st_size}", "glove-mapped-2")
    arrays = diskcache.cached_mapped(f"glove{dim}", key, build)
    return EmbeddingSpace(WordList.from_arrays(arrays), arrays["vectors"], f"GloVe 6B {dim}d",
                          unit=arrays["unit"])


def imdb_coverage(space: EmbeddingSpace, size: int) -> tuple[list[str], np.ndarray]:
    """The words of Keras IMDB ids below ``size`` and which of them ``space`` has a vector for
    (the rows of the lecture's frozen embedding matrix that GloVe fills)."""
    from core.data import imdb
    from core.embeddings.space import embedding_matrix

    words = imdb.words_by_id(size)
    return words, embedding_matrix(words, space, size)[1]
