"""IMDB from the mirror into padded arrays: cold (empty cache) and warm (binary cache) seconds.

The baseline is the plain path a notebook takes every time: pandas.read_csv of the gzip, the
Keras tokenisation in Python, then padding. Usage: python bench/imdb_parse.py
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def baseline_seconds() -> float:
    import numpy as np
    import pandas as pd

    from core.data import datasets, imdb

    start = time.perf_counter()
    frame = pd.read_csv(datasets.resolve_dataset("imdb")[0], keep_default_na=False)
    index = imdb.load_word_index()
    train = frame[frame["split"] == "train"]
    seqs = [[1] + [index[w] + 3 if index.get(w, 10**9) + 3 < 10000 else 2
                   for w in imdb.keras_words(t)] for t in train["text"]]
    x = np.zeros((len(seqs), 500), dtype=np.int32)
    for i, s in enumerate(seqs):
        s = s[-500:]
        x[i, -len(s):] = s
    return time.perf_counter() - start


def ours_seconds() -> dict:
    from core.data import imdb

    start = time.perf_counter()
    imdb.load_imdb()
    cold = time.perf_counter() - start
    for f in (imdb._review_arrays, imdb.read_reviews, imdb.load_word_index, imdb.rank_sequences):
        f.cache_clear()  # a new process: only the disk cache remains
    start = time.perf_counter()
    imdb.load_imdb()
    return {"cold": cold, "warm": time.perf_counter() - start}


def main() -> None:
    os.environ["SEQLAB_CACHE_DIR"] = tempfile.mkdtemp(prefix="seqlab-bench-")
    ours = ours_seconds()
    base = baseline_seconds()
    print(json.dumps({"bench": "imdb_parse_to_padded_arrays",
                      "baseline_read_csv_tokenize_pad_s": round(base, 3),
                      "ours_cold_s": round(ours["cold"], 3), "ours_warm_s": round(ours["warm"], 3),
                      "speedup_warm_vs_baseline": round(base / ours["warm"], 1),
                      "target_warm_s": 1.0}))


if __name__ == "__main__":
    main()
