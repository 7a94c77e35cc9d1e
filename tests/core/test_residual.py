"""Residual connections: the gradient reaching deep layers' first layers, with and without skips."""
from __future__ import annotations

import numpy as np
import pytest

from core.rnn import residual


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
