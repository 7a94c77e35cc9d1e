"""Exact search over all 400,000 GloVe words: top-10 nearest and analogy latency (medians over
random query words), PCA of 2,000 words, and the seconds to build the LSI and PPMI spaces from
the IMDB train split. Usage: python bench/embedding_search.py [--queries 200]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.embeddings import glove, spaces  # noqa: E402


def _median_ms(fn, args_list) -> float:
    times = []
    for args in args_list:
        start = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    g = glove.load_glove(50)
    g.nearest("the", 1)  # normalised rows computed once, as the page does at load
    rng = np.random.default_rng(0)
    pool = g.words[:50_000]
    words = [pool[i] for i in rng.integers(0, len(pool), args.queries)]
    nearest_cos = _median_ms(lambda w: g.nearest(w, 10, "cosine"), [(w,) for w in words])
    nearest_euc = _median_ms(lambda w: g.nearest(w, 10, "euclidean"), [(w,) for w in words])
    triples = [tuple(pool[i] for i in rng.integers(0, len(pool), 3)) for _ in range(args.queries)]
    analogy = _median_ms(lambda a, b, c: g.analogy(a, b, c, 10), triples)
    g.project(pool[:2000], 2)  # warm scikit-learn's lazy imports
    pca = _median_ms(lambda: g.project(pool[:2000], 2), [()] * 5)
    os.environ["SEQLAB_CACHE_DIR"] = tempfile.mkdtemp(prefix="seqlab-bench-")
    build = {}
    for name, fn in (("lsi", spaces.imdb_lsi_space), ("ppmi", spaces.imdb_ppmi_space)):
        if name == "lsi":
            from core.data import imdb

            imdb.read_reviews()  # parsing the CSV is not part of building a space
            imdb.rank_sequences()
        start = time.perf_counter()
        fn()
        build[name] = round(time.perf_counter() - start, 2)
    print(json.dumps({"bench": "embedding_search", "vocabulary": len(g),
                      "nearest10_cosine_median_ms": nearest_cos,
                      "nearest10_euclidean_median_ms": nearest_euc,
                      "analogy_median_ms": analogy, "pca_2000_words_median_ms": pca,
                      "build_lsi_s": build["lsi"], "build_ppmi_s": build["ppmi"],
                      "targets_ms": {"nearest": 30, "analogy": 60, "pca": 500}}))


if __name__ == "__main__":
    main()
