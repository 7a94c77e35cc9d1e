"""The race in class time: the lecture's six IMDB presets end to end on full data (train on
20,000 reviews, validate on 5,000 every epoch, score the 25,000 test reviews), plain against
Fast, in one run.

Both sides are the lab's own command line in a fresh process, with a run store of their own:
``python -m core train lecture --epochs 10 --seed S`` (plain ``model.fit`` on reviews padded to
the lecture's lengths, as the lecture trains; our callbacks cost under 5 % of it,
bench/train_throughput.py) and the same with ``--fast`` (length buckets, masked padding and XLA
where each helps: ``core.classify.models.speedups``). A side's wall time runs from the command's
start to its exit: TensorFlow's import, data loading, XLA compilation and the test scores
included.

Plain runs of one config differ by 0.01-0.02 in best validation accuracy from run to run
(multithreaded float sums), so with ``--seeds N`` each side runs N seeds (sides alternating)
and the accuracies compared are the means over seeds.

Goal (issue 12): Fast end to end <= 8 min on 2 cores, each kind's best validation accuracy at
most 0.01 below plain fit's.

With ``--small``: the case a class starts most, 2,000 reviews × 2 epochs of the recurrent kinds
(simple_rnn, lstm, gru); there Fast must not be slower than plain fit (it leaves XLA off when
compiling would cost more than it saves).

Usage: python bench/race.py [--epochs 10] [--seeds 1] [--kinds lecture] [--train-size 25000]
       python bench/race.py --small [--seeds 2]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.runs.store import RunStore  # noqa: E402

GOAL_SECONDS, GOAL_ACCURACY = 8 * 60, 0.01
SMALL_NOISE = 1.05  # --small: Fast's wall time at most plain's, within the machine's noise


def race(kinds: list[str], epochs: int, seed: int, fast: bool, train_size: int | None) -> dict:
    """One side: the command line in a fresh process with its own runs folder; its wall time
    and, per kind, best validation accuracy (epoch), test at best and at last, seconds."""
    runs = Path(tempfile.mkdtemp(prefix="race-"))
    command = [sys.executable, "-m", "core", "train", *kinds, "--epochs", str(epochs),
               "--seed", str(seed)] + ["--fast"] * fast
    if train_size:
        command += ["--train-size", str(train_size)]
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                   env={**os.environ, "SEQLAB_RUNS_DIR": str(runs)})
    wall = time.perf_counter() - start
    store = RunStore(runs / "runs.sqlite")
    rows = {}
    for run in store.list():
        epochs_ = store.metrics(run["id"], "epoch")
        val = [e["val_accuracy"] for e in epochs_]
        summary = run["summary"]
        rows[run["config"]["kind"]] = {
            "status": run["status"], "best_val": max(val), "best_epoch": 1 + val.index(max(val)),
            "test_at_best": summary.get("test_at_best"), "test_at_last": summary.get("test_accuracy"),
            "seconds": round(run["finished"] - run["started"], 1)}
    return {"wall_s": round(wall, 1), "kinds": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kinds", nargs="+", default=["lecture"])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--train-size", type=int, help="default: all 25,000 training reviews")
    parser.add_argument("--small", action="store_true",
                        help="2,000 reviews x 2 epochs of simple_rnn, lstm, gru")
    args = parser.parse_args()
    if args.small:
        args.kinds, args.epochs, args.train_size = ["simple_rnn", "lstm", "gru"], 2, 2000
    sides: dict[str, list[dict]] = {"plain": [], "fast": []}
    for seed in range(args.seeds):
        for side in ("plain", "fast") if seed % 2 == 0 else ("fast", "plain"):
            done = race(args.kinds, args.epochs, seed, side == "fast", args.train_size)
            sides[side].append(done)
            print(json.dumps({"bench": "race", "side": side, "seed": seed, **done}), flush=True)
    wall = {side: statistics.mean(d["wall_s"] for d in done) for side, done in sides.items()}
    kinds = list(sides["plain"][0]["kinds"])
    gaps = {}
    for kind in kinds:
        mean = {side: statistics.mean(d["kinds"][kind]["best_val"] for d in done)
                for side, done in sides.items()}
        gaps[kind] = {"plain_best_val": round(mean["plain"], 4),
                      "fast_best_val": round(mean["fast"], 4),
                      "fast_minus_plain": round(mean["fast"] - mean["plain"], 4)}
    print(json.dumps({"bench": "race", "epochs": args.epochs, "seeds": args.seeds,
                      "plain_wall_s": round(wall["plain"], 1), "fast_wall_s": round(wall["fast"], 1),
                      "speedup": round(wall["plain"] / wall["fast"], 2), "best_val": gaps,
                      "goal_met": (wall["fast"] <= wall["plain"] * SMALL_NOISE if args.small
                                   else wall["fast"] <= GOAL_SECONDS and all(
                                       g["fast_minus_plain"] >= -GOAL_ACCURACY
                                       for g in gaps.values())),
                      "targets": ({"fast_wall_s_at_most": f"plain x {SMALL_NOISE}"}
                                  if args.small else {"fast_wall_s": GOAL_SECONDS,
                                                      "fast_minus_plain_at_least": -GOAL_ACCURACY}
                                  )}), flush=True)


if __name__ == "__main__":
    main()
