"""Cells that count, timed: the char LSTM's states over 10,000 characters of Nietzsche (the
Generate page's fast model, 128 units, traced in numpy as the Inside page does), every named
property and a regular expression, and every unit ranked for each (goal: under 2 s on 2 cores,
tracing apart and ranking apart). Usage: python bench/cells.py [--chars 10000]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.language import charlm  # noqa: E402
from core.rnn import cells  # noqa: E402

GOAL_S = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=10_000)
    args = parser.parse_args()
    config = charlm.CharConfig()
    text = charlm.load_corpus(config)[:args.chars]
    chars = charlm.alphabet(charlm.load_corpus(config))
    model = charlm.build_fast_model(len(chars), config.embedding_dim, config.units)
    start = time.perf_counter()
    read, steps = charlm.trace_text(model, chars, config.lower, text, limit=args.chars)
    trace_s = time.perf_counter() - start
    start = time.perf_counter()
    props = cells.properties("".join(read), r"\w+ing\b")
    ranked = cells.rank_units(steps["h"], props)
    saturation = {g: cells.saturation(steps[g]) for g in ("input", "forget", "output")}
    rank_s = time.perf_counter() - start
    print(json.dumps({"bench": "cells", "characters": len(read), "units": steps["h"].shape[1],
                      "properties": len(props), "trace_s": round(trace_s, 2),
                      "properties_ranking_and_saturation_s": round(rank_s, 3),
                      "goal_s": GOAL_S, "met": trace_s + rank_s < GOAL_S,
                      "gates": list(saturation)}, indent=1))


if __name__ == "__main__":
    main()
