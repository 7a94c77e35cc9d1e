"""GloVe 6B 50d: the lecture's loop vs our parser on the same uncompressed text file, and vs
loading our binary cache. Prints JSON with both ratios.

The two parsers alternate over ``--rounds`` (the machine's speed drifts by ±20 %); each side's
time is its best round. Usage: python bench/glove_load.py [--rounds 3]
"""
from __future__ import annotations

import argparse
import json
import lzma
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import paths  # noqa: E402
from core.data import datasets  # noqa: E402
from core.embeddings import glove  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "bench" / "reference_glove_load.py"


def lecture_loop(text: Path) -> dict:
    """The lecture's loop, in its own process, on ``text``."""
    return json.loads(subprocess.run([sys.executable, str(REFERENCE), str(text)], check=True,
                                     capture_output=True, text=True).stdout)


def ours(text: Path) -> tuple[float, list[str]]:
    start = time.perf_counter()
    words, _ = glove.parse_glove(text)
    return time.perf_counter() - start, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    text = paths.cache_dir() / "bench" / "glove.6B.50d.txt"
    if not text.is_file():  # the same plain file for both parsers (not timed)
        text.parent.mkdir(parents=True, exist_ok=True)
        with lzma.open(datasets.resolve_dataset("glove50")[0]) as src, open(text, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
    import pandas  # noqa: F401  imports are outside the timing, as in the lecture script

    lectures, parses = [], []
    for r in range(args.rounds):  # alternate which side goes first
        for side in (("lecture", "ours") if r % 2 == 0 else ("ours", "lecture")):
            if side == "lecture":
                lectures.append(lecture_loop(text))
            else:
                seconds, words = ours(text)
                parses.append(seconds)
    lecture = min(lectures, key=lambda x: x["seconds"])
    parse_s = min(parses)
    intact = len(words) == 400_000 and len(set(words)) == 400_000 and all(
        w in set(words) for w in ("null", "nan", "n/a", "#"))
    glove.load_glove(50)  # make sure the binary cache exists
    glove.load_glove.cache_clear()
    start = time.perf_counter()
    space = glove.load_glove(50)
    cached_s = time.perf_counter() - start
    print(json.dumps({
        "bench": "glove_50d_load", "rounds": args.rounds,
        "lecture_loop_rounds_s": [x["seconds"] for x in lectures],
        "ours_parse_rounds_s": [round(x, 3) for x in parses], "lecture_loop_s": lecture["seconds"],
        "lecture_loop_words": lecture["words"], "ours_parse_s": round(parse_s, 3),
        "ours_words": len(words), "every_word_intact": intact,
        "ours_binary_cache_s": round(cached_s, 4), "cache_words": len(space),
        "parse_speedup": round(lecture["seconds"] / parse_s, 1),
        "parse_speedup_worst_case": round(min(x["seconds"] for x in lectures) / max(parses), 1),
        "cache_speedup": round(lecture["seconds"] / cached_s, 1),
        "targets": {"parse_speedup": 5, "cache_speedup": 100}}))


if __name__ == "__main__":
    main()
