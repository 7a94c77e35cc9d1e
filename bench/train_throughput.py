"""Training throughput: the lecture's plain model.fit (../shared/bench/reference_fit.py) vs our
worker with metrics recording into the run store, same model and data, one run. Also the fast
(XLA) option against plain fit, and the time from pressing Train to the first point.

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
    """Last epoch of the lecture's plain fit on the first 25,000 train reviews."""
    (x, y), _ = imdb.load_imdb(num_words=10000, maxlen=maxlen)
    data = Path(tempfile.mkdtemp()) / "imdb.npz"
    np.savez(data, x_train=x, y_train=y)
    out = subprocess.run([sys.executable, str(REFERENCE), "--kind", kind, "--data", str(data),
                          "--epochs", str(epochs)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


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
    return {**epochs[-1], "first_point_s": first, "status": store.get(run_id)["status"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kinds", nargs="*", default=["cnn", "lstm"])
    parser.add_argument("--fast-kinds", nargs="*", default=["simple_rnn", "lstm", "gru"])
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    store = RunStore(Path(tempfile.mkdtemp()) / "runs.sqlite")
    import keras  # noqa: F401  the Train page has imported it (model summaries) before Train

    imdb.load_imdb()  # and the server has read the IMDB cache once
    for kind in args.kinds:
        config = models.preset(kind, epochs=args.epochs)
        base = reference(kind, config.maxlen, args.epochs)
        mine = ours(store, config)
        print(json.dumps({"bench": "worker_vs_plain_fit", "kind": kind, "epoch": args.epochs,
                          "plain_fit_samples_per_s": base["samples_per_s"],
                          "ours_samples_per_s": round(mine["samples_per_s"], 1),
                          "ratio": round(mine["samples_per_s"] / base["samples_per_s"], 3),
                          "plain_val_acc": base.get("val_acc"),
                          "ours_val_acc": round(mine.get("val_accuracy", float("nan")), 4),
                          "press_to_first_point_s": round(mine["first_point_s"], 2),
                          "target_ratio": 0.95}), flush=True)
    for kind in args.fast_kinds:
        plain = ours(store, models.preset(kind, epochs=args.epochs))
        fast = ours(store, models.preset(kind, epochs=args.epochs, fast=True))
        print(json.dumps({"bench": "fast_xla_vs_plain", "kind": kind, "epoch": args.epochs,
                          "plain_samples_per_s": round(plain["samples_per_s"], 1),
                          "fast_samples_per_s": round(fast["samples_per_s"], 1),
                          "speedup": round(fast["samples_per_s"] / plain["samples_per_s"], 3),
                          "plain_val_acc": round(plain.get("val_accuracy", float("nan")), 4),
                          "fast_val_acc": round(fast.get("val_accuracy", float("nan")), 4),
                          "target_speedup": 1.3}), flush=True)


if __name__ == "__main__":
    main()
