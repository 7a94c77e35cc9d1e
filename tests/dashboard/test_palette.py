"""The runs' colours stay apart for colour-blind eyes, and runs differ by marker too (issue 32)."""
from __future__ import annotations

import numpy as np
import pytest
from plotly.colors import qualitative

from dashboard.figures import embeddings, palette, training


def test_ciede2000_agrees_with_sharmas_published_pairs():
    a = np.array([[50, 2.6772, -79.7751], [50, 2.5, 0], [50, 2.5, 0]])
    b = np.array([[50, 0, -82.7485], [73, 25, -18], [50, 0, -2.5]])
    assert palette.delta_e2000(a, b) == pytest.approx([2.0425, 27.1492, 4.3065], abs=1e-4)


@pytest.mark.parametrize("vision", palette.VISIONS)
def test_the_first_twelve_run_colours_stay_apart_in_every_vision(vision):
    smallest, pair = palette.smallest_difference(palette.RUN_COLOURS, vision)
    assert smallest >= palette.MIN_DELTA_E, f"{pair} only {smallest:.1f} apart ({vision})"


def test_the_colours_before_failed_the_same_measure():
    """The measure can fail: plotly's Dark24, the lab's run colours before, gives a
    deuteranope two runs 0.6 apart (pink and red)."""
    old = [c.lower() for c in qualitative.Dark24[:12]]
    assert palette.smallest_difference(old, "deuteranopia")[0] < 1


def test_every_run_colour_stands_out_from_white_and_runs_differ_by_marker():
    assert palette.contrast_with_white(palette.RUN_COLOURS).min() >= 3.0
    styles = [palette.run_style(i) for i in range(144)]
    assert len({(s["color"], s["symbol"]) for s in styles}) == 144
    fig = training.training_curves([dict(name=f"run {i}", epoch_x=[1], train=[0.5], val=[0.6],
                                         batch_x=[], batch_raw=[], batch_smooth=[])
                                    for i in range(3)], "accuracy", "epoch")
    symbols = {t.name.split(" · ")[0]: t.marker.symbol for t in fig.data}
    assert len(set(symbols.values())) == 3


def test_the_moving_map_moves_only_when_asked_can_pause_and_never_tweens():
    coords = np.random.default_rng(0).normal(size=(3, 4, 2))
    fig = embeddings.moving_map(coords, list("abcd"), ["g"] * 4, ["epoch 0", "1", "2"])
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["▶ play", "❚❚ pause"]
    assert all(b.args[1]["transition"]["duration"] == 0 for b in buttons)
    assert all(s.args[1]["transition"]["duration"] == 0 for s in fig.layout.sliders[0].steps)
    assert fig.layout.sliders[0].transition.duration == 0
    assert not fig.layout.updatemenus[0].active or fig.layout.updatemenus[0].showactive is False
