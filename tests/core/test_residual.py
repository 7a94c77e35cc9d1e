"""Residual connections: the gradient reaching deep layers' first layers, with and without skips."""
from __future__ import annotations

import numpy as np
import pytest

from core.rnn import residual
from tests.conftest import requires_mirror


def _tiny():
    rng = np.random.default_rng(0)
    x = (rng.random((64, 20)) < 0.2).astype(np.float32)
    return x, (x[:, 0] > 0).astype(np.float32)


def test_a_skip_connection_carries_the_gradient_down_a_deep_sigmoid_stack():
    x, y = _tiny()
    config = residual.StackConfig(depth=20, activation="sigmoid", width=8, steps=2)
    plain = residual.gradient_norms(config, x, y, skip=False)
    skips = residual.gradient_norms(config, x, y, skip=True)
    assert plain["at initialisation"].shape == (20,)
    assert skips["at initialisation"][0] > 100 * plain["at initialisation"][0]
    assert plain["at initialisation"][0] < plain["at initialisation"][-1]  # it vanishes downward


def test_same_seed_same_norms_and_training_moves_the_weights():
    x, y = _tiny()
    config = residual.StackConfig(depth=3, activation="tanh", width=8, steps=3)
    a, b = (residual.gradient_norms(config, x, y, skip=True) for _ in range(2))
    assert np.array_equal(a["at initialisation"], b["at initialisation"])
    assert a["loss after training"] != a["loss at initialisation"]


@pytest.mark.parametrize("change, message", [({"depth": 0}, "depth must be in 1..100"),
                                             ({"activation": "gelu"}, "activation must be one of"),
                                             ({"steps": 0}, "steps >= 1")])
def test_bad_stacks_are_refused(change, message):
    with pytest.raises(ValueError, match=message):
        residual.StackConfig(**change)


@requires_mirror
@pytest.mark.parametrize("depth", [20, 60])
def test_on_real_reviews_a_deep_sigmoid_stack_learns_only_with_skips(depth):
    """Both stacks start at ln 2; after 10 steps the one with skips has learned and the plain
    one has not, and the sentence under the table says so."""
    x, y = residual.imdb_bag()
    config = residual.StackConfig(depth=depth, activation="sigmoid")
    result = {skip: residual.gradient_norms(config, x, y, skip) for skip in (False, True)}
    for skip in (False, True):
        assert result[skip]["loss at initialisation"] == pytest.approx(np.log(2), abs=0.005)
    assert result[True]["loss after training"] < 0.6
    assert result[False]["loss after training"] > 0.68
    assert "only the stack with skips learned" in residual.residual_reading(result, 10)
