"""n-gram statistics for n = 1..5 on the 25,000 IMDB train reviews: ours vs CountVectorizer.

Both give identical counts (tests/core/test_ngrams.py checks it on small corpora; here the
distinct counts are compared too). Usage: python bench/ngram_stats.py [--max-n 5]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.data import imdb  # noqa: E402
from core.tokens import ngrams  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-n", type=int, default=5)
    args = parser.parse_args()
    reviews = imdb.read_reviews()
    texts = reviews.loc[reviews["split"] == "train", "text"].tolist()
    start = time.perf_counter()
    ours, _ = ngrams.ngram_statistics(texts, args.max_n)
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    reference = ngrams.ngram_statistics_sklearn(texts, args.max_n)
    base_s = time.perf_counter() - start
    same = ours["distinct"].tolist() == reference["distinct"].tolist()
    print(json.dumps({"bench": "imdb_ngram_statistics", "max_n": args.max_n,
                      "baseline_countvectorizer_s": round(base_s, 2), "ours_s": round(ours_s, 2),
                      "speedup": round(base_s / ours_s, 2), "identical_counts": same,
                      "distinct": ours["distinct"].tolist()}))


if __name__ == "__main__":
    main()
