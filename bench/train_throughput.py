"""Training throughput: the lecture's plain model.fit (../shared/bench/reference_fit.py) vs our
worker with metrics recording into the run store, same model and data, one run. Also the fast
(XLA) option against plain fit, and the time from pressing Train to the first point. Throughput
is the best epoch after the first (tracing) one: this machine flips between two speeds.

Usage: python bench/train_throughput.py [--kinds cnn lstm] [--fast-kinds simple_rnn lstm gru]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import imdb, models, training  # noqa: E402
from core.runs import RunStore  # noqa: E402
from core.worker import start_run  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "bench" / "reference_fit.py"


def reference(kind: str, maxlen: int, epochs: int) -> dict:
    """The lecture's plain fit on the 25,000 train reviews: its best epoch after the first
    (this machine switches between two speeds; the best epoch is the undisturbed one)."""
    (x, y), _ = imdb.load_imdb(num_words=10000, maxlen=maxlen)
    data = Path(tempfile.mkdtemp()) / "imdb.npz"
    np.savez(data, x_train=x, y_train=y)
    out = subprocess.run([sys.executable, str(REFERENCE), "--kind", kind, "--data", str(data),
                          "--epochs", str(epochs)], check=True, capture_output=True, text=True)
    rows = [json.loads(line) for line in out.stdout.strip().splitlines()]
    return {**rows[-1], "samples_per_s": max(r["samples_per_s"] for r in rows[1:])}


def ours(store: RunStore, config: models.TrainConfig) -> dict:
    """Last epoch of our worker's run (started as the page starts it), plus time to 1st point."""
    run_id = store.create(training.KIND, dataclasses.asdict(config), f"bench {config.kind}")
    pressed = time.perf_counter()
    thread = start_run(store, run_id, training.train_run)
    first = None
    while thread.is_alive():
        if first is None and store.metrics(run_id, "batch"):
            first = time.perf_counter() - pressed
        time.sleep(0.05)
    epochs = store.metrics(run_id, "epoch")
    return {**epochs[-1], "samples_per_s": max(e["samples_per_s"] for e in epochs[1:]),
            "first_point_s": first, "status": store.get(run_id)["status"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kinds", nargs="*", default=["cnn", "lstm"],
                        help="compared with plain fit (the 0.95x goal)")
    parser.add_argument("--fast-kinds", nargs="*", default=["simple_rnn", "lstm", "gru"],
                        help="also trained with the fast (XLA) option (the 1.3x goal)")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    store = RunStore(Path(tempfile.mkdtemp()) / "runs.sqlite")
    import keras  # noqa: F401  the Train page has imported it (model summaries) before Train

    imdb.load_imdb()  # and the server has read the IMDB cache once
    for kind in dict.fromkeys(args.kinds + args.fast_kinds):
        config = models.preset(kind, epochs=args.epochs)
        base = reference(kind, config.maxlen, args.epochs)
        mine = ours(store, config)
        row = {"kind": kind, "epoch": args.epochs,
               "plain_fit_samples_per_s": base["samples_per_s"],
               "plain_fit_val_acc": base.get("val_acc"),
               "ours_samples_per_s": round(mine["samples_per_s"], 1),
               "ours_ratio": round(mine["samples_per_s"] / base["samples_per_s"], 3),
               "ours_val_acc": round(mine.get("val_accuracy", float("nan")), 4),
               "press_to_first_point_s": round(mine["first_point_s"], 2)}
        if kind in args.fast_kinds:
            fast = ours(store, models.preset(kind, epochs=args.epochs, fast=True))
            row |= {"fast_samples_per_s": round(fast["samples_per_s"], 1),
                    "fast_speedup_vs_plain_fit": round(fast["samples_per_s"]
                                                       / base["samples_per_s"], 3),
                    "fast_val_acc": round(fast.get("val_accuracy", float("nan")), 4)}
        print(json.dumps({"bench": "training_throughput", **row,
                          "targets": {"ours_ratio": 0.95, "fast_speedup": 1.3}}), flush=True)


if __name__ == "__main__":
    main()
