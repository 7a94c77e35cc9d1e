"""GloVe 6B vectors: a fast exact parser of the text format, and a binary cache."""
from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path

import numpy as np

from core import datasets, diskcache, paths
from core.embeddings import EmbeddingSpace

DIMS = (50, 100, 200, 300)
LECTURE_DIM = 100  # the lecture uses glove.6B.100d


def parse_glove(source: str | Path | io.IOBase) -> tuple[list[str], np.ndarray]:
    """Words and float32 vectors of a GloVe text file (``word v1 ... vd`` per line).

    pandas' C parser with quoting and NA detection off, so words such as "null", "nan", "n/a",
    "#" and '"' stay words. Accepts a path (plain, .gz or .xz) or a binary file object.
    """
    import pandas as pd

    if isinstance(source, (str, Path)):
        with paths.open_binary(Path(source)) as f:
            return parse_glove(f)
    frame = pd.read_csv(source, sep=" ", header=None, quoting=csv.QUOTE_NONE, na_filter=False,
                        keep_default_na=False, engine="c", dtype={0: str}, encoding="utf-8")
    if frame.shape[1] < 2:
        raise ValueError("not a GloVe file: expected 'word v1 v2 ...' on every line")
    return frame[0].tolist(), frame.iloc[:, 1:].to_numpy(np.float32)


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
        blob = "\n".join(words).encode("utf-8")
        return {"words": np.frombuffer(blob, dtype=np.uint8), "vectors": vectors}

    key = diskcache.cache_key(f.sha256 or f"{path.stat().st_size}", "glove")
    arrays = diskcache.cached_arrays(f"glove{dim}", key, build)
    words = arrays["words"].tobytes().decode("utf-8").split("\n")
    return EmbeddingSpace(words, arrays["vectors"], f"GloVe 6B {dim}d")
