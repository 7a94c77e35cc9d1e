"""One-step forecasts on a held-out series end: time-delay network, echo state network, GRU."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.data import series
from core.rnn import esn


@dataclass(frozen=True)
class ForecastConfig:
    delay: int = 12  # past values fed to the time-delay network and the GRU
    hidden: int = 32  # time-delay network: Dense units; GRU: recurrent units
    epochs: int = 25
    seed: int = 0

    def __post_init__(self):
        if self.delay < 1 or self.hidden < 1 or self.epochs < 1:
            raise ValueError(f"delay, hidden and epochs must be >= 1, got {self}")


def _windows(split: series.Split, delay: int):
    """Train windows from the train part; test windows whose targets are the test part, their
    inputs reaching back into the end of the train part (the past is known)."""
    x_train, y_train = series.delay_windows(split.train, delay)
    joined = np.concatenate([split.train[-delay:], split.test])
    x_test, y_test = series.delay_windows(joined, delay)
    return x_train, y_train, x_test, y_test


def _fit(model, x, y, config: ForecastConfig):
    import keras

    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    model.fit(x, y, epochs=config.epochs, batch_size=128, verbose=0,
              callbacks=[keras.callbacks.EarlyStopping("loss", patience=8,
                                                       restore_best_weights=True)])
    return model


def tdnn_forecast(split: series.Split, config: ForecastConfig) -> np.ndarray:
    """Waibel's time-delay idea: the previous ``delay`` values side by side into a Dense net."""
    import keras

    keras.utils.set_random_seed(config.seed)
    x_train, y_train, x_test, _ = _windows(split, config.delay)
    model = keras.Sequential([keras.Input(shape=(config.delay,)),
                              keras.layers.Dense(config.hidden, activation="tanh"),
                              keras.layers.Dense(1)])
    _fit(model, x_train, y_train, config)
    return model.predict(x_test, verbose=0).reshape(-1)


def gru_forecast(split: series.Split, config: ForecastConfig) -> np.ndarray:
    """A small GRU reading the same ``delay`` values one at a time."""
    import keras

    keras.utils.set_random_seed(config.seed)
    x_train, y_train, x_test, _ = _windows(split, config.delay)
    model = keras.Sequential([keras.Input(shape=(config.delay, 1)),
                              keras.layers.GRU(config.hidden), keras.layers.Dense(1)])
    _fit(model, x_train[..., None], y_train, config)
    return model.predict(x_test[..., None], verbose=0).reshape(-1)


def esn_forecasts(split: series.Split, config: esn.ESNConfig) -> dict[str, np.ndarray]:
    """Echo state network: one-step and free-running forecasts of the test part, and the
    reservoir states over the train part."""
    net = esn.EchoStateNetwork(config).fit(split.train)
    return {"one_step": net.one_step(split.train, split.test),
            "free_run": net.free_run(split.train, len(split.test)),
            "states": net.states(split.train), "radius": net.spectral_radius(),
            "effective_radius": net.effective_radius()}


def error_table(split: series.Split, forecasts: dict[str, np.ndarray]) -> list[dict]:
    """RMSE and MAE in the series' own units for each forecast, and for 'same as last value'."""
    truth = split.unscale(split.test)
    persistence = split.unscale(np.concatenate([split.train[-1:], split.test[:-1]]))
    rows = [{"model": "persistence (last value)", **series.errors(truth, persistence)}]
    return rows + [{"model": name, **series.errors(truth, split.unscale(f))}
                   for name, f in forecasts.items()]


NETWORKS = {"time-delay net (one step)": tdnn_forecast, "GRU (one step)": gru_forecast}


def network_forecasts(split: series.Split, config: ForecastConfig) -> dict[str, np.ndarray]:
    """The two trained forecasters (seconds each, more for long windows), by display name."""
    return {name: forecast(split, config) for name, forecast in NETWORKS.items()}


@dataclass(frozen=True)
class Comparison:
    """Forecasts of a series' held-out end in the series' own units, with their errors."""
    truth: np.ndarray  # the held-out end
    history: np.ndarray  # the training part
    lines: dict[str, np.ndarray]  # model name -> forecast of the held-out end
    errors: list[dict]  # one row per model (and persistence): RMSE, MAE


def compare(split: series.Split, forecasts: dict[str, np.ndarray]) -> Comparison:
    """Forecasts (on the split's scaled values) side by side in the series' own units."""
    return Comparison(truth=split.unscale(split.test), history=split.unscale(split.train),
                      lines={k: split.unscale(v) for k, v in forecasts.items()},
                      errors=error_table(split, forecasts))


def named_split(name: str, test_share: float) -> series.Split:
    """Series ``name`` from the data mirror, its last ``test_share`` held out."""
    return series.split_series(series.load_series(name)[1], test_share)


def forecast_reading(errors: list[dict]) -> str:
    """What the error table says, computed from it: the one-step forecaster with the lowest
    RMSE, set against repeating the last value, and the free-running forecast apart (it sees no
    true value after the training part, so it is not a fair rival of the one-step ones)."""
    by_name = {row["model"]: row["RMSE"] for row in errors}
    persistence = by_name.pop("persistence (last value)")
    one_step = {name: rmse for name, rmse in by_name.items() if "free running" not in name}
    if not one_step or not all(np.isfinite(list(one_step.values()))):
        return ""
    best = min(one_step, key=one_step.get)
    ratio = one_step[best] / persistence if persistence > 0 else float("inf")
    against = (f"{1 - ratio:.0%} below repeating the last value ({persistence:.3g})"
               if ratio < 1 else
               f"no better than repeating the last value ({persistence:.3g}): on this series "
               "and window, none of the one-step forecasters has learned more than 'tomorrow "
               "is like today'")
    text = f"Lowest one-step RMSE: **{best}**, {one_step[best]:.3g}, {against}."
    free = [name for name in by_name if "free running" in name]
    if free and np.isfinite(by_name[free[0]]):
        text += (f" Free running, the echo state network reaches {by_name[free[0]]:.3g}: it feeds "
                 "its own forecasts back for the whole held-out part, a harder task.")
    return text
