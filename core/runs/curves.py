"""Turning run metrics into curves: smoothing and summaries."""
from __future__ import annotations

import numpy as np

TARGET_ACCURACY = 0.85  # the cost table's "seconds to" target, unless the page sets another


def smooth(values, weight: float) -> np.ndarray:
    """Exponential moving average with bias correction (as TensorBoard's, debiased): the
    first points are not dragged towards zero. ``weight`` 0 returns the values unchanged.
    It is pandas's ``ewm(alpha=1 - weight, adjust=True)``."""
    import pandas as pd

    if not 0 <= weight < 1:
        raise ValueError(f"weight must be in [0, 1), got {weight}")
    values = np.asarray(values, dtype=float)
    if not weight or not len(values):
        return values.copy()
    return pd.Series(values).ewm(alpha=1 - weight, adjust=True).mean().to_numpy()


def run_summary(epochs: list[dict]) -> dict:
    """Seconds per epoch and samples/s (over whole epochs, when there are any), best validation
    accuracy and its epoch."""
    if not epochs:
        return {}
    val = [e.get("val_accuracy", np.nan) for e in epochs]
    best = int(np.nanargmax(val)) if not np.all(np.isnan(val)) else None
    whole = [e for e in epochs if not e.get("partial")] or epochs  # Stop cuts the last short
    return {"epochs": len(epochs), "s/epoch": float(np.mean([e["seconds"] for e in whole])),
            "samples/s": float(np.mean([e["samples_per_s"] for e in whole])),
            "best val acc": None if best is None else float(val[best]),
            "best epoch": None if best is None else epochs[best]["step"]}


def shown_name(run: dict) -> str:
    """A run's name where the class sees it: a run the instructor shows carries its owner's
    name too ("lstm · Ann"), so a student's chart and cost table say whose it is."""
    owner = run.get("owner_name")
    return f"{run['name']} · {owner}" if run.get("shown") and owner else run["name"]


def run_curve(run: dict, epochs: list[dict], batches: list[dict], metric: str, x: str,
              weight: float, scale: float = 1.0) -> dict:
    """One run's curve for a chart: per-epoch train and validation ``metric`` and the per-batch
    values (raw and smoothed), against ``x``: "epoch" (batches placed by ``epoch_x``, their
    position in epochs, so they show from the first batch and a cut epoch ends where it was
    stopped), "step" (batches), "wall" (seconds since the run started) or "train s" (the run's
    own training seconds, summed over its epochs: fair in a race, where runs take turns; its
    batches by their ``train_s``). Values are multiplied by ``scale`` (1 / ln 2: nats to bits)."""
    t0 = run.get("started") or 0.0
    batches = [b for b in batches if metric in b]
    epoch_x = {"epoch": [e.get("epoch_x", e["step"]) for e in epochs],
               "step": [e.get("batches") for e in epochs],
               "wall": [e["wall"] - t0 for e in epochs],
               "train s": list(np.cumsum([e.get("seconds", 0.0) for e in epochs]))}[x]
    batch_x = {"epoch": [b.get("epoch_x") for b in batches],
               "step": [b["step"] for b in batches],
               "wall": [b["wall"] - t0 for b in batches],
               "train s": [b.get("train_s") for b in batches]}[x]
    if None in batch_x:  # records from before epoch_x (train_s) was kept: no batch line there
        batches, batch_x = [], []
    raw = [b[metric] * scale for b in batches]
    return {"name": f"{run['id']}·{shown_name(run)}", "epoch_x": epoch_x,
            "train": [_scaled(e.get(metric), scale) for e in epochs],
            "val": [_scaled(e.get(f"val_{metric}"), scale) for e in epochs],
            "partial": [bool(e.get("partial")) for e in epochs],
            "batch_x": batch_x, "batch_raw": raw,
            "batch_smooth": list(smooth(raw, weight)) if raw else []}


def _scaled(value, scale: float):
    return None if value is None else value * scale


def epoch_label(record: dict) -> str:
    """'epoch 3', or 'epoch 1 (stopped at 43%)' for a record of a cut epoch."""
    step = record["step"]
    position = record.get("epoch_x", step)
    if record.get("partial") or position < step:
        return f"epoch {step} (stopped at {position - (step - 1):.0%})"
    return f"epoch {step}"


def seconds_to(run: dict, epochs: list[dict], target: float) -> float | None:
    """Seconds from a run's start to the end of its first epoch with validation accuracy at
    least ``target`` (None if it never got there)."""
    reached = [e for e in epochs if e.get("val_accuracy", -1) >= target]
    return reached[0]["wall"] - (run.get("started") or reached[0]["wall"]) if reached else None


def cost_row(run: dict, epochs: list[dict], target: float = TARGET_ACCURACY) -> dict:
    """A run's line in the cost table: parameters, time, throughput, seconds to reach validation
    accuracy ``target``, best validation accuracy and its epoch, test accuracy at that epoch and
    after the last, and a note saying why a run has no test score."""
    s = run_summary(epochs)
    note = run.get("error") or ""
    if not note and run["status"] == "stopped":
        note = "stopped before the end: not scored on the test reviews"
    elif not note and run["status"] in ("queued", "running"):
        note = run["status"]
    best_c = run["summary"].get("best_C")
    if best_c is not None and not note:  # a scikit-learn baseline: its points are values of C
        note = (f"C = {best_c:g} chosen on validation from the {len(epochs)} values tried (one "
                "point each); Epochs does not apply")
    return {"run": run["id"], "name": shown_name(run), "model": run["config"].get("kind", ""),
            "status": run["status"], "params": run["summary"].get("params"),
            "s/epoch": s.get("s/epoch"), "samples/s": s.get("samples/s"),
            f"s to val {target:.2f}": seconds_to(run, epochs, target),
            "best val acc": s.get("best val acc"),
            "at epoch": None if best_c is not None else s.get("best epoch"),
            "test at best": run["summary"].get("test_at_best"),
            "test at last": run["summary"].get("test_accuracy"), "ran on": ran_on(run),
            "note": note}


def ran_on(run: dict) -> str:
    """Where a run trained, in a few words: this machine's own worker, or a Ray node (CPU or
    GPU, and for LSTM/GRU runs whether Keras used cuDNN)."""
    place = run.get("place") or ""
    if not place:
        return "—"
    if place.startswith("embedded"):
        where = "this machine"
    else:
        head, _, rest = place.partition(", ")
        where = f"{head.replace('Ray node ', 'Ray ').split(' (')[0]}, {rest.split(',')[0]}"
    cudnn = run["summary"].get("cudnn", "")
    return f"{where} · {cudnn}" if cudnn.startswith("GPU") else where


def run_progress(run: dict, epochs: list[dict], progress: list[dict], batches: int = 1
                 ) -> tuple[float, str]:
    """How far an active run is, in [0, 1], and a few words for its progress bar: by its
    ``progress`` records (step of total) when the job writes them, else by whole epochs
    (``batches``: how many batch records it has; none yet means it waits for its turn on the
    embedded worker, and is still starting, loading its data, on a Ray node, which takes no
    turns)."""
    if progress:
        last = progress[-1]
        loss = f" · loss {last['loss']:.3f}" if "loss" in last else ""
        return min(1.0, last["step"] / max(last["total"], 1)), f"{last['step'] / max(last['total'], 1):.0%}{loss}"
    total = run["config"].get("epochs") or 1
    if not epochs and run["status"] == "running":
        if batches:
            return 0.0, f"epoch 1/{total} under way"
        on_ray = (run.get("place") or "").startswith("Ray ")
        return 0.0, "starting on its node (data, model)" if on_ray else "waiting for its turn"
    return min(1.0, len(epochs) / total), f"epoch {len(epochs)}/{total}"
