"""The lecture's IMDB results beside ours, from the run store: the newest finished run of each
preset made by `python -m core train all --epochs 10`. Prints a Markdown table.
Usage: python bench/lecture_table.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.classify import models, training  # noqa: E402
from core.runs import curves  # noqa: E402
from core.runs.store import RunStore  # noqa: E402

LECTURE_VAL = {"dense": "≈ 0.75", "glove_dense": "(not given)", "cnn": "≈ 0.84",
               "simple_rnn": "≈ 0.84", "lstm": "≈ 0.89", "gru": "(not given)"}


def main() -> None:
    store = RunStore()
    runs = {}
    for run in store.list(training.KIND):  # newest first
        kind = run["config"]["kind"]
        if run["status"] == "finished" and "command line" in run["name"] and kind not in runs:
            runs[kind] = run
    print("| model | parameters | lecture: best val acc | ours: best val acc (epoch) "
          "| ours: test acc (after epoch 10) | s/epoch | total s |")
    print("|---|---:|---|---|---:|---:|---:|")
    total = 0.0
    for kind in models.KINDS:
        run = runs.get(kind)
        if run is None:
            print(f"| {kind} | | {LECTURE_VAL[kind]} | not run | | | |")
            continue
        epochs = store.metrics(run["id"], "epoch")
        s = curves.run_summary(epochs)
        seconds = (run["finished"] or 0) - (run["started"] or 0)
        total += seconds
        dim = run["config"]["embedding_dim"]
        params = f"{run['summary']['params']:,}" + (f" (GloVe {dim}d)" if kind == "glove_dense" else "")
        print(f"| {kind} | {params} | {LECTURE_VAL[kind]} | {s['best val acc']:.3f} "
              f"({s['best epoch']}) | {run['summary'].get('test_accuracy', float('nan')):.3f} "
              f"| {s['s/epoch']:.1f} | {seconds:.0f} |")
    print(f"\nAll presets, end to end (training, validation, test evaluation): {total / 60:.1f} min")


if __name__ == "__main__":
    main()
