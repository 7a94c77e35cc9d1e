"""Inside the RNN: numpy steps equal Keras; gradients; reservoirs; windows without leakage."""
from __future__ import annotations

import keras
import numpy as np
import pytest

from core.data import series
from core.rnn import esn, inside


@pytest.mark.parametrize("kind, cls", [("simple_rnn", keras.layers.SimpleRNN),
                                       ("lstm", keras.layers.LSTM), ("gru", keras.layers.GRU)])
def test_numpy_steps_equal_keras(kind, cls):
    keras.utils.set_random_seed(0)
    layer = cls(5, return_sequences=True)
    x = np.random.default_rng(0).normal(size=(1, 9, 3)).astype("float32")
    expected = np.asarray(layer(x))[0]
    got = inside.trace(kind, x[0], inside.layer_weights(layer))
    assert np.allclose(got["h"], expected, atol=1e-5)


def test_lstm_trace_exposes_gates_in_range():
    keras.utils.set_random_seed(0)
    layer = keras.layers.LSTM(4)
    layer.build((None, 6, 2))
    got = inside.trace("lstm", np.ones((6, 2)), inside.layer_weights(layer))
    for gate in ("input", "forget", "output"):
        assert got[gate].shape == (6, 4) and ((got[gate] > 0) & (got[gate] < 1)).all()


@pytest.mark.parametrize("kind", inside.RECURRENT)
def test_gradient_norms_have_one_finite_value_per_step(kind):
    x = np.random.default_rng(0).normal(size=(30, 4))
    norms = inside.gradient_norms(kind, x, units=8)
    assert norms.shape == (30,) and np.isfinite(norms).all() and norms[-1] > 0


def test_simple_rnn_gradients_vanish_faster_with_smaller_recurrent_weights():
    x = np.random.default_rng(0).normal(size=(40, 4))
    small = inside.gradient_norms("simple_rnn", x, units=8, recurrent_scale=0.3)
    large = inside.gradient_norms("simple_rnn", x, units=8, recurrent_scale=1.0)
    assert small[0] / small[-1] < large[0] / large[-1]


def test_reservoir_spectral_radius_is_what_was_asked():
    net = esn.EchoStateNetwork(esn.ESNConfig(units=60, spectral_radius=0.7, seed=1))
    assert net.spectral_radius() == pytest.approx(0.7, rel=1e-6)


def test_ridge_readout_recovers_a_known_linear_target():
    """With leak 1 and a tiny input scaling the reservoir is nearly linear; a target that is
    a linear function of the input is then recovered almost exactly."""
    rng = np.random.default_rng(0)
    u = rng.normal(size=600)
    net = esn.EchoStateNetwork(esn.ESNConfig(units=50, leak=1.0, input_scaling=0.01,
                                             ridge=1e-9, washout=20))
    states = net.states(u)
    from sklearn.linear_model import Ridge

    target = 3.0 * u - 0.5
    fit = Ridge(alpha=1e-9).fit(np.column_stack([u, states])[20:], target[20:])
    assert np.allclose(fit.predict(np.column_stack([u, states])[20:]), target[20:], atol=1e-4)


def test_esn_forecasts_have_the_right_length():
    values = np.sin(np.arange(400) / 8.0)
    split = series.split_series(values, 0.2)
    net = esn.EchoStateNetwork(esn.ESNConfig(units=40)).fit(split.train)
    assert net.one_step(split.train, split.test).shape == (80,)
    assert net.free_run(split.train, 10).shape == (10,)


@pytest.mark.parametrize("change, message", [({"units": 0}, "at least one unit, got 0"),
                                             ({"spectral_radius": 0.0}, "spectral radius of 0.0")])
def test_bad_reservoirs_are_refused(change, message):
    with pytest.raises(ValueError, match=message):
        esn.ESNConfig(**change)


def test_delay_windows_use_only_the_past():
    values = np.arange(10.0)
    x, y = series.delay_windows(values, 3)
    assert x[0].tolist() == [0, 1, 2] and y[0] == 3
    assert (x.max(axis=1) < y).all()  # every input value comes before its target
    with pytest.raises(ValueError, match="longer than 10"):
        series.delay_windows(values, 10)


def test_split_scales_with_the_train_part_only():
    split = series.split_series(np.r_[np.zeros(8), np.full(2, 100.0)], 0.2)
    assert split.mean == 0.0 and split.test.tolist() == [100.0, 100.0]
    assert np.allclose(split.unscale(split.test), [100.0, 100.0])


def test_every_series_in_the_mirror_loads():
    from core import paths

    if paths.mirror_dir() is None:
        pytest.skip("the offline data mirror is absent")
    lengths = {name: len(series.load_series(name)[1]) for name in series.SERIES}
    assert lengths["sunspots"] == 2820 and lengths["airline"] == 144
    assert lengths["min_temperatures"] == 3650 and lengths["beijing_pm25"] > 1700
    assert all(np.isfinite(series.load_series(n)[1]).all() for n in series.SERIES)


@pytest.mark.parametrize("kind", ["simple_rnn", "lstm"])
@pytest.mark.parametrize("arrangement", inside.ARRANGEMENTS)
def test_layers_in_series_and_in_parallel_equal_keras(kind, arrangement):
    """The lecture's exercise: two layers in series (the second reads the first's states) and
    one layer twice as wide, stepped in numpy, equal to Keras with the same weights."""
    x = np.eye(26)[[18, 4, 16]]  # "seq"
    units = inside.stack_shapes(arrangement, 3)
    weights, keras_states = inside.keras_stack_states(kind, units, 0, x)
    steps = inside.trace_stack(kind, x, weights)
    assert [s["h"].shape for s in steps] == [(3, n) for n in units]
    for ours, theirs in zip(steps, keras_states):
        assert np.allclose(ours["h"], theirs, atol=1e-5)
    sizes = [26] + units[:-1]
    expected = sum(inside.layer_params(kind, i, n) for i, n in zip(sizes, units))
    assert expected == sum(w["kernel"].size + w["recurrent"].size + w["bias"].size for w in weights)


def test_parameter_counts_of_the_three_layer_kinds():
    assert inside.layer_params("simple_rnn", 32, 32) == 32 * (32 + 32 + 1)
    assert inside.layer_params("lstm", 32, 32) == 8320  # 4 x 32 x 65, as in the lecture
    assert inside.layer_params("gru", 32, 32) == 3 * 32 * (32 + 32 + 2)


def test_the_gradient_reading_says_what_the_curves_show():
    import numpy as np

    from core.rnn.inside import gradient_reading

    steps = np.arange(101)
    said = " ".join(gradient_reading({
        "simple_rnn": 10.0 ** (-0.08 * (100 - steps)),  # 1e-8 from 100 steps back
        "lstm": np.ones(101),
        "carry": np.r_[50.0, np.ones(100)],
        "gru": np.r_[np.inf, np.nan, 10.0 ** (0.1 * (100 - steps[2:]))]}))
    assert "simple_rnn: the oldest input's gradient falls to 1e-08" in said
    assert "lstm: the oldest input's gradient stays within 10x" in said
    assert "carry: the oldest input's gradient is 50 times the newest input's" in said
    assert "The gru curve leaves the float range 99 steps back" in said
    assert "gru: the oldest input's gradient grows to" in said and "(exploding)" in said
    assert "falls fastest for the simple_rnn and slowest for the gru" in said


def test_gates_held_open_keep_the_past_where_keras_initialisation_does_not():
    from core.rnn import inside

    def ratio(kind, shift):
        g = inside.untrained_gradient_norms(kind, 100, 1.0, gate_shift=shift)
        return g[0] / g[-1]

    for kind in ("lstm", "gru"):
        assert ratio(kind, 0.0) < 1e-6  # half-open gates at initialisation: vanishing
        assert ratio(kind, inside.GATES_OPEN) > 0.1  # held open: the past is kept
    assert ratio("simple_rnn", inside.GATES_OPEN) < 1e-6  # no gate to open


def test_the_forecast_reading_names_the_best_one_step_forecaster_from_the_table():
    from core.rnn.forecast import forecast_reading
    rows = [{"model": "persistence (last value)", "RMSE": 10.0, "MAE": 8.0},
            {"model": "echo state (one step)", "RMSE": 6.0, "MAE": 5.0},
            {"model": "echo state (free running)", "RMSE": 30.0, "MAE": 25.0},
            {"model": "GRU (one step)", "RMSE": 7.0, "MAE": 6.0}]
    text = forecast_reading(rows)
    assert "**echo state (one step)**, 6" in text and "40% below" in text
    assert "Free running" in text and "30" in text
    rows[1]["RMSE"] = rows[3]["RMSE"] = 12.0
    assert "no better than repeating the last value" in forecast_reading(rows)
    assert forecast_reading(rows[:1]) == ""
