"""Real time series from the mirror, chronological splits, time-delay windows, error measures."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from core.data import datasets

SERIES = {  # name -> (data set, value column, what it is)
    "sunspots": ("sunspots", "Sunspots", "Monthly mean sunspot number, 1749–1983"),
    "airline": ("airline", "Passengers", "Monthly airline passengers (thousands), 1949–1960"),
    "min_temperatures": ("min_temperatures", "Temp", "Daily minimum temperature (°C), Melbourne, "
                                                     "1981–1990"),
    "beijing_pm25": ("beijing_pm25", "pm2.5", "Daily mean PM2.5 (µg/m³), Beijing, 2010–2014"),
}


@lru_cache(maxsize=8)
def load_series(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(dates as numpy datetime64, float64 values) of series ``name``; Beijing PM2.5 is the
    daily mean of the hourly readings (missing hours skipped, days with none dropped)."""
    import pandas as pd

    if name not in SERIES:
        raise KeyError(f"unknown series {name!r}; known: {', '.join(SERIES)}")
    dataset, column, _ = SERIES[name]
    (path,) = datasets.resolve_dataset(dataset)
    frame = pd.read_csv(path)
    if name == "beijing_pm25":
        frame["date"] = pd.to_datetime(frame[["year", "month", "day"]])
        daily = frame.groupby("date")[column].mean().dropna()
        return daily.index.to_numpy(), daily.to_numpy(dtype=np.float64)
    dates = pd.to_datetime(frame.iloc[:, 0]).to_numpy()
    return dates, frame[column].to_numpy(dtype=np.float64)


@dataclass(frozen=True)
class Split:
    """A chronological split: the model learns from ``train`` and is scored on ``test``,
    the held-out end of the series. Values are scaled by the train part's mean and std."""

    train: np.ndarray
    test: np.ndarray
    mean: float
    std: float

    def unscale(self, x: np.ndarray) -> np.ndarray:
        return x * self.std + self.mean


def held_out(length: int, test_share: float) -> int:
    """How many values at the end of a series of ``length`` are held out: ``test_share`` of
    them, at least one."""
    if not 0 < test_share < 0.9:
        raise ValueError(f"test_share must be in (0, 0.9), got {test_share}")
    return max(1, int(length * test_share))


def split_series(values: np.ndarray, test_share: float = 0.2) -> Split:
    """The last ``test_share`` held out; scaling statistics from the train part only."""
    n_test = held_out(len(values), test_share)
    train, test = values[:-n_test], values[-n_test:]
    mean, std = float(train.mean()), float(train.std() or 1.0)
    return Split((train - mean) / std, (test - mean) / std, mean, std)


def delay_windows(values: np.ndarray, delay: int) -> tuple[np.ndarray, np.ndarray]:
    """Time-delay inputs: row t holds values[t - delay .. t - 1], target values[t]. Only the
    past enters a row, never the value it predicts (no leakage from the future)."""
    if delay < 1:
        raise ValueError(f"delay must be >= 1, got {delay}")
    if delay >= len(values):
        raise ValueError(f"a window of {delay} needs a series longer than {delay} values, "
                         f"got {len(values)}")
    x = np.lib.stride_tricks.sliding_window_view(values[:-1], delay)
    return x, values[delay:]


def errors(truth: np.ndarray, forecast: np.ndarray) -> dict[str, float]:
    """RMSE and MAE."""
    diff = np.asarray(forecast, dtype=float) - np.asarray(truth, dtype=float)
    return {"RMSE": float(np.sqrt(np.mean(diff ** 2))), "MAE": float(np.mean(np.abs(diff)))}
