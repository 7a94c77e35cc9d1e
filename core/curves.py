"""Turning run metrics into curves: smoothing and summaries."""
from __future__ import annotations

import numpy as np


def smooth(values, weight: float) -> np.ndarray:
    """Exponential moving average with bias correction (as TensorBoard's, debiased): the
    first points are not dragged towards zero. ``weight`` 0 returns the values unchanged."""
    if not 0 <= weight < 1:
        raise ValueError(f"weight must be in [0, 1), got {weight}")
    values = np.asarray(values, dtype=float)
    out, ema = np.empty_like(values), 0.0
    for t, v in enumerate(values, start=1):
        ema = weight * ema + (1 - weight) * v
        out[t - 1] = ema / (1 - weight ** t) if weight else v
    return out


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
