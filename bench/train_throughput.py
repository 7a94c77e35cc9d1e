"""Training throughput: the lecture's plain model.fit (../shared/bench/reference_fit.py) vs our
worker with metrics recording into the run store, same model and data, one run. Also the Fast
option against plain fit (for the recurrent kinds: length buckets, masked padding and XLA; see
``core.classify.models.speedups``; bench/race.py times it end to end on the lecture's six), and
the time from pressing Train to the first point.

Every run, ours as well as the baseline, is a fresh process. This machine's speed drifts
(single epochs at half or 1.3x the usual speed), so the sides take turns over ``--rounds``
(order rotated each round), and a side's throughput is the median of all its epochs after the
first (tracing) one: robust to a stray fast or slow epoch. The ratio of the best epochs is
printed beside it; with a handful of epochs it follows whichever side got the one fast epoch.

Accuracy is each run's best validation accuracy (as the lecture reads it). Two plain runs of one
config differ by a few points on full data (multithreaded float sums round differently).

Usage: python bench/train_throughput.py [--kinds cnn lstm] [--fast-kinds simple_rnn lstm gru]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.runs.people import OPERATOR  # noqa: E402

from core.classify import models, training  # noqa: E402
from core.data import imdb  # noqa: E402
from core.runs.store import RunStore  # noqa: E402
from core.runs.worker import start_run  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "bench" / "reference_fit.py"


def reference(kind: str, data: Path, epochs: int) -> dict:
    """The lecture's plain fit on the 25,000 train reviews, in its own process."""
    out = subprocess.run([sys.executable, str(REFERENCE), "--kind", kind, "--data", str(data),
                          "--epochs", str(epochs)], check=True, capture_output=True, text=True)
    rows = [json.loads(line) for line in out.stdout.strip().splitlines()]
    return {"rates": [r["samples_per_s"] for r in rows[1:]],
            "best_val_acc": max(r["val_acc"] for r in rows)}


def ours(kind: str, epochs: int, fast: bool) -> dict:
    """Our worker's run, in its own process like the baseline (a process that has trained
    before may run slower or faster; that is not the worker's cost)."""
    out = subprocess.run([sys.executable, __file__, "--one-run", kind, "--epochs", str(epochs)]
                         + ["--fast"] * fast, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def one_run(kind: str, epochs: int, fast: bool) -> dict:
    """Press Train as the page does (keras imported and IMDB read already, as in the server):
    epoch rates after the first, best validation accuracy, time from press to first point."""
    import keras  # noqa: F401  the Train page has imported it (model summaries) before Train

    imdb.load_imdb()
    store = RunStore(Path(tempfile.mkdtemp()) / "runs.sqlite")
    config = models.preset(kind, epochs=epochs, fast=fast)
    run_id = store.create(training.KIND, dataclasses.asdict(config), f"bench {config.kind}", owner=OPERATOR)
    pressed = time.perf_counter()
    thread = start_run(store, run_id, training.train_run)
    first = None
    while thread.is_alive():
        if first is None and store.metrics(run_id, "batch"):
            first = time.perf_counter() - pressed
        time.sleep(0.05)
    done = store.metrics(run_id, "epoch")
    return {"rates": [e["samples_per_s"] for e in done[1:]],
            "best_val_acc": max(e["val_accuracy"] for e in done), "first_point_s": first}


def compare(kind: str, sides: list[str], epochs: int, rounds: int) -> dict:
    """Plain fit ("base"), our worker ("ours") and our worker with the fast option ("fast"),
    taking turns over ``rounds`` with the order rotated, so drift hits every side alike."""
    config = models.preset(kind, epochs=epochs)
    (x, y), _ = imdb.load_imdb(num_words=config.num_words, maxlen=config.maxlen)
    data = Path(tempfile.mkdtemp()) / "imdb.npz"
    np.savez(data, x_train=x, y_train=y)
    runs: dict[str, list[dict]] = {side: [] for side in sides}
    for r in range(rounds):
        for side in sides[r % len(sides):] + sides[:r % len(sides)]:
            if side == "base":
                runs[side].append(reference(kind, data, epochs))
            else:
                runs[side].append(ours(kind, epochs, fast=side == "fast"))
    rates = {side: [x for run in done for x in run["rates"]] for side, done in runs.items()}
    best = {side: max(r) for side, r in rates.items()}
    median = {side: statistics.median(r) for side, r in rates.items()}
    name = {"base": "plain_fit", "ours": "ours", "fast": "fast"}
    row = {"kind": kind, "epochs": epochs, "rounds": rounds}
    for side in sides:
        row |= {f"{name[side]}_samples_per_s": [round(x) for x in rates[side]],
                f"{name[side]}_best_val_acc": [round(run["best_val_acc"], 4)
                                               for run in runs[side]]}
    for side, goal in (("ours", "ours_ratio"), ("fast", "fast_speedup_vs_plain_fit")):
        if side in sides:
            row |= {goal: round(median[side] / median["base"], 3),
                    f"{goal}_of_best_epochs": round(best[side] / best["base"], 3)}
    if "ours" in sides:
        row["press_to_first_point_s"] = [round(run["first_point_s"], 2) for run in runs["ours"]]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kinds", nargs="*", default=["cnn", "lstm"],
                        help="our worker vs plain fit (the 0.95x goal)")
    parser.add_argument("--fast-kinds", nargs="*", default=["simple_rnn", "lstm", "gru"],
                        help="the Fast option vs plain fit (the 1.3x goal)")
    parser.add_argument("--epochs", type=int, default=3, help="per run; the first is not timed")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each side per kind")
    parser.add_argument("--one-run", metavar="KIND", help=argparse.SUPPRESS)
    parser.add_argument("--fast", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_run:
        print(json.dumps(one_run(args.one_run, args.epochs, args.fast)))
        return
    for kind in dict.fromkeys(args.kinds + args.fast_kinds):
        sides = ["base"] + ["ours"] * (kind in args.kinds) + ["fast"] * (kind in args.fast_kinds)
        row = compare(kind, sides, args.epochs, args.rounds)
        print(json.dumps({"bench": "training_throughput", **row,
                          "targets": {"ours_ratio": 0.95, "fast_speedup_vs_plain_fit": 1.3,
                                      "press_to_first_point_s": 5}}), flush=True)


if __name__ == "__main__":
    main()
