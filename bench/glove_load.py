"""GloVe 6B 50d: the lecture's loop vs our parser on the same uncompressed text file, and vs
loading our binary cache. Prints JSON with both ratios. Usage: python bench/glove_load.py
"""
from __future__ import annotations

import json
import lzma
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import datasets, glove, paths  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "bench" / "reference_glove_load.py"


def main() -> None:
    text = paths.cache_dir() / "bench" / "glove.6B.50d.txt"
    if not text.is_file():  # the same plain file for both parsers (not timed)
        text.parent.mkdir(parents=True, exist_ok=True)
        with lzma.open(datasets.resolve_dataset("glove50")[0]) as src, open(text, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
    lecture = json.loads(subprocess.run([sys.executable, str(REFERENCE), str(text)], check=True,
                                        capture_output=True, text=True).stdout)
    import pandas  # noqa: F401  imports are outside the timing, as in the lecture script

    start = time.perf_counter()
    words, vectors = glove.parse_glove(text)
    parse_s = time.perf_counter() - start
    intact = len(words) == 400_000 and len(set(words)) == 400_000 and all(
        w in set(words) for w in ("null", "nan", "n/a", "#"))
    glove.load_glove(50)  # make sure the binary cache exists
    glove.load_glove.cache_clear()
    start = time.perf_counter()
    space = glove.load_glove(50)
    cached_s = time.perf_counter() - start
    print(json.dumps({
        "bench": "glove_50d_load", "lecture_loop_s": lecture["seconds"],
        "lecture_loop_words": lecture["words"], "ours_parse_s": round(parse_s, 3),
        "ours_words": len(words), "every_word_intact": intact,
        "ours_binary_cache_s": round(cached_s, 4), "cache_words": len(space),
        "parse_speedup": round(lecture["seconds"] / parse_s, 1),
        "cache_speedup": round(lecture["seconds"] / cached_s, 1),
        "targets": {"parse_speedup": 5, "cache_speedup": 100}}))


if __name__ == "__main__":
    main()
