"""The training chart: no two runs look alike, an accuracy axis stays within [0, 1], a race is
drawn whole."""
from __future__ import annotations

from dashboard import figures


def _series(i: int, values: list[float]) -> dict:
    return {"name": f"{i}·dense", "epoch_x": list(range(1, len(values) + 1)), "train": values,
            "val": values, "batch_x": [], "batch_raw": [], "batch_smooth": []}


def test_fourteen_runs_get_fourteen_looks():
    """Twelve colours that stay apart for colour-blind eyes (test_palette.py), and a marker
    per run: no two of fourteen runs share both."""
    fig = figures.training_curves([_series(i, [0.5, 0.6]) for i in range(14)], "loss", "epoch")
    looks = {(t.line.color, t.marker.symbol) for t in fig.data
             if t.name and t.name.endswith("validation")}
    assert len(looks) == 14


def test_a_race_just_queued_is_drawn_whole():
    """The first choice of a chart draws every run under way (a race of six queued at once),
    then the newest others with points, up to four in all (issue 34)."""
    from dashboard.components.follow import first_choice

    ids = [9, 8, 7, 6, 5, 4, 3, 2, 1]  # newest first; 9..4 the race just queued
    assert first_choice(ids, 4, {9, 8, 7, 6, 5, 4, 2}, {9, 8, 7, 6, 5, 4}) == [9, 8, 7, 6, 5, 4]
    assert first_choice(ids, 4, {3, 2, 1}, {9}) == [9, 3, 2, 1]
    assert first_choice(ids, 4, {3, 1}) == [3, 1]


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


def test_pushes_of_a_model_near_chance_stay_pale():
    """The word-push scale spans at least ±0.05: pushes of 0.002 are not painted dark."""
    import numpy as np

    from dashboard.figures.training import PUSH_SCALE

    noise = figures.word_importance(["a", "film"], np.array([0.002, -0.001]))
    assert noise.data[0].zmax == PUSH_SCALE == -noise.data[0].zmin
    strong = figures.word_importance(["a", "film"], np.array([0.3, -0.1]))
    assert strong.data[0].zmax == 0.3


def test_a_gradient_of_exactly_zero_is_a_named_gap_not_a_line_near_1e_minus_30():
    import numpy as np

    from dashboard.figures import inside

    fig = inside.layer_gradients({"plain · at initialisation": np.array([0, 0, 0, 1e-5, 1e-3]),
                                  "with skips · at initialisation": np.ones(5)}, 5)
    assert fig.data[0].y[:3] == (None, None, None) and fig.data[0].y[3] == 1e-5
    assert fig.data[0].name.endswith("(exactly 0 in layers 1–3: not drawn on a log axis)")
    assert fig.data[1].name == "with skips · at initialisation"
    steps = inside.gradient_norms({"SimpleRNN": np.array([0.0, 0.0, 1e-3, 1.0])})
    assert "exactly 0 at steps back 2–3" in steps.data[0].name


def test_a_prediction_is_drawn_beside_its_run_from_before_its_first_point():
    waiting = _series(0, []) | {"prediction": {"best": 0.9, "epoch": 4}}
    fig = figures.training_curves([waiting], "accuracy", "epoch")
    level, star = [t for t in fig.data if "predicted" in t.name]
    assert list(level.y) == [0.9, 0.9] and list(level.x) == [1, 4] and level.line.dash == "dash"
    assert list(star.x) == [4] and list(star.y) == [0.9] and star.marker.symbol == "star-open"
    assert level.line.color == star.marker.color == fig.data[0].line.color  # the run's colour
    assert fig.layout.yaxis.range[1] >= 0.9  # the prediction is inside the axis
    on_loss = figures.training_curves([waiting], "loss", "epoch")
    assert not [t for t in on_loss.data if "predicted" in t.name]  # no accuracy on a loss axis
    bits = _series(0, [2.1, 1.9]) | {"prediction": {"bits": 2.5, "epoch": 1}}
    chart = figures.bits_per_char([bits], None)
    assert [t.name for t in chart.data if "predicted" in t.name][0].endswith("after epoch 1 2.50")


def test_the_cost_table_is_rebuilt_when_what_it_shows_changes_and_not_per_batch():
    """The cost table is built once per :func:`train_views.cost_key` (not per snapshot, which
    changes with every batch): whatever changes the table must change the key."""
    from core.runs.snapshot import Snapshot
    from dashboard.components.train_views import cost_key, cost_table

    run = {"id": 1, "name": "lstm", "owner_name": "Ann", "shown": 0, "status": "running",
           "config": {"kind": "lstm"}, "summary": {}, "error": None, "place": "embedded",
           "started": 100.0}
    epoch = {"step": 1, "wall": 110.0, "seconds": 10.0, "loss": 0.6, "accuracy": 0.7,
             "val_loss": 0.5, "val_accuracy": 0.8, "epoch_x": 1.0, "samples_per_s": 200.0}
    batch = {"step": 1, "wall": 101.0, "loss": 0.7, "epoch_x": 0.1}

    def made(runs, records):
        snap = Snapshot(1, 0.0, tuple(runs), records)
        return cost_key(snap, runs), cost_table(snap, runs).to_dict("records")

    key, table = made([run], {})
    assert made([run], {(1, "batch"): (batch,)}) == (key, table)  # a batch: the same table
    for runs, records in (([run], {(1, "epoch"): (epoch,)}),
                          ([{**run, "name": "renamed"}], {}),
                          ([{**run, "shown": 1}], {}),
                          ([{**run, "status": "finished", "summary": {"params": 9}}], {}),
                          ([{**run, "status": "failed", "error": "out of memory"}], {})):
        other_key, other_table = made(runs, records)
        assert other_table != table and other_key != key, runs
