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


def test_on_a_projector_a_legend_below_clears_the_axis_title_and_colour_bars_have_room():
    import numpy as np

    curves = {"plain · at initialisation": np.ones(5), "with skips · after training": np.ones(5)}
    big = figures.for_projector(figures.layer_gradients(curves, 5))
    assert big.layout.legend.y <= -0.35 and big.layout.margin.b >= 170
    strip = figures.for_projector(figures.activation_strip(list("abc"), np.array([0.1, -0.2, 0.3]),
                                                           "Unit 0"))
    assert strip.layout.height >= 320
    assert all(t.colorbar.nticks == 3 for t in strip.data if t.type == "heatmap")
