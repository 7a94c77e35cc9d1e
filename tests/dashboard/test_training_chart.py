"""The training chart: no two runs share a colour, an accuracy axis stays within [0, 1]."""
from __future__ import annotations

from dashboard import figures


def _series(i: int, values: list[float]) -> dict:
    return {"name": f"{i}·dense", "epoch_x": list(range(1, len(values) + 1)), "train": values,
            "val": values, "batch_x": [], "batch_raw": [], "batch_smooth": []}


def test_fourteen_runs_get_fourteen_colours():
    fig = figures.training_curves([_series(i, [0.5, 0.6]) for i in range(14)], "loss", "epoch")
    colours = {t.line.color for t in fig.data if t.name and t.name.endswith("validation")}
    assert len(colours) == 14


def test_an_accuracy_axis_never_leaves_zero_to_one():
    empty = figures.training_curves([_series(1, []), _series(2, [])], "accuracy", "epoch")
    assert list(empty.layout.yaxis.range) == [0.0, 1.0]
    some = figures.training_curves([_series(1, [0.5, 0.99])], "accuracy", "epoch")
    low, high = some.layout.yaxis.range
    assert 0.0 <= low < 0.5 and 0.99 < high <= 1.0
