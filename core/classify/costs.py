"""The cost table's words for a run: how it trained (scikit-learn, plain fit, or what Fast
turned on) and whether Keras could use its cuDNN kernels; with the curves' own cost figures
(``core.runs.curves.cost_row``), one row per run."""
from __future__ import annotations

import dataclasses

from core.classify.models import ARCHITECTURES, TrainConfig, speedups
from core.runs import curves


def cost_rows(runs: list[dict], epochs_of, target: float = curves.TARGET_ACCURACY
              ) -> list[dict]:
    """One cost-table row per run (``epochs_of(run_id)``: its epoch records), with how it
    trained beside where it ran."""
    rows = []
    for run in runs:
        row = curves.cost_row(run, epochs_of(run["id"]), target)
        at = list(row).index("ran on")
        items = list(row.items())
        rows.append(dict(items[:at] + [("trained with", trained_with(run["config"]))] + items[at:]))
    return rows


def trained_with(config: dict) -> str:
    """How a stored run's config trained, in a few words: scikit-learn, plain fit, or the
    speed-ups Fast applied to it (a kind no longer registered: "—")."""
    arch = ARCHITECTURES.get(config.get("kind"))
    if arch is None:
        return "—"
    if not arch.keras:
        return "scikit-learn"
    known = {f.name for f in dataclasses.fields(TrainConfig)}
    try:
        done = speedups(TrainConfig(**{k: v for k, v in config.items() if k in known}))
    except (TypeError, ValueError):
        return "—"
    return " + ".join(name for name, on in done.items() if on) or "plain fit"


def cudnn_report(config: TrainConfig, on_gpu: bool) -> str:
    """Whether Keras ran this config's recurrent layers on its cuDNN kernels, and if not why.
    Keras (TensorFlow backend) uses them on a GPU when every LSTM/GRU layer keeps tanh and
    sigmoid activations, a bias, no recurrent dropout, no unrolling (GRU: reset_after), and its
    mask, if any, is right-padded; the lab pads on the left as the lecture does, so masking
    turns cuDNN off. Empty for kinds without LSTM or GRU layers (SimpleRNN has no cuDNN kernel)."""
    if config.kind not in ARCHITECTURES or not any(
            cell in config.kind for cell in ("lstm", "gru")):
        return ""
    if not on_gpu:
        return "CPU (cuDNN needs a GPU)"
    reasons = [why for why, bad in (
        ("recurrent dropout", config.recurrent_dropout > 0),
        ("masking of left padding", config.mask_zero or speedups(config)["mask"])) if bad]
    return f"GPU without cuDNN ({', '.join(reasons)})" if reasons else "GPU with cuDNN"
