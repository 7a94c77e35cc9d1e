"""Vanishing-gradient curves: seconds to recompute the gradient norms of SimpleRNN, LSTM and
GRU (all three, as the page does when a slider moves) over 100 steps with tf.GradientTape.
Usage: python bench/gradients.py [--steps 100] [--repeats 5]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.rnn import inside  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    x = np.random.default_rng(0).normal(0, 0.3, size=(args.steps, 32))
    for kind in inside.RECURRENT:  # first call imports TensorFlow: not timed
        inside.gradient_norms(kind, x[:5])
    times = []
    for r in range(args.repeats):
        start = time.perf_counter()
        for kind in inside.RECURRENT:
            inside.gradient_norms(kind, x, recurrent_scale=1.0 + 0.1 * r)
        times.append(time.perf_counter() - start)
    print(json.dumps({"bench": "gradient_norms_three_kinds", "steps": args.steps,
                      "median_s": round(statistics.median(times), 3),
                      "runs_s": [round(t, 3) for t in times], "target_s": 1.0}))


if __name__ == "__main__":
    main()
