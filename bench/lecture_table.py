"""Every classifier kind's IMDB results from the run store, beside the lecture's where it gives
them: the newest finished command-line run of each kind (`python -m core train all`). Prints a
Markdown table: parameters, best validation accuracy (epoch), test accuracy at that epoch and
after the last, seconds per epoch and in all. Usage: python bench/lecture_table.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.classify import costs, models, training  # noqa: E402
from core.runs import curves  # noqa: E402
from core.runs.store import RunStore  # noqa: E402

LECTURE_VAL = {"dense": "≈ 0.75", "cnn": "≈ 0.84", "simple_rnn": "≈ 0.84", "lstm": "≈ 0.89"}


def main() -> None:
    store = RunStore()
    runs = {}
    for run in store.list(training.KIND):  # newest first
        kind = run["config"]["kind"]
        if run["status"] == "finished" and "command line" in run["name"] and kind not in runs:
            runs[kind] = run
    print("| model | parameters | lecture: best val | best val (epoch) | test at best "
          "| test at last | s/epoch | total s | trained with |")
    print("|---|---:|---|---|---:|---:|---:|---:|---|")
    total = 0.0
    for kind in models.KINDS:
        run = runs.get(kind)
        lecture = LECTURE_VAL.get(kind, "")
        if run is None:
            print(f"| {kind} | | {lecture} | not run | | | | | |")
            continue
        s = curves.run_summary(store.metrics(run["id"], "epoch"))
        seconds = (run["finished"] or 0) - (run["started"] or 0)
        total += seconds
        dim = run["config"]["embedding_dim"]
        params = f"{run['summary']['params']:,}" + (f" (GloVe {dim}d)" if kind == "glove_dense" else "")
        best_at = run["summary"].get("test_at_best", float("nan"))
        print(f"| {kind} | {params} | {lecture} | {s['best val acc']:.3f} ({s['best epoch']}) "
              f"| {best_at:.3f} | {run['summary'].get('test_accuracy', float('nan')):.3f} "
              f"| {s['s/epoch']:.1f} | {seconds:.0f} | {costs.trained_with(run['config'])} |")
    print(f"\nAll kinds, end to end (training, validation, test evaluation): {total / 60:.1f} min")


if __name__ == "__main__":
    main()
