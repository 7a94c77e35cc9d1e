"""Echo state networks (reservoir computing): a fixed random recurrent reservoir, and a
linear readout fitted by scikit-learn's Ridge."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ESNConfig:
    units: int = 300  # reservoir size
    spectral_radius: float = 0.9  # largest |eigenvalue| of the recurrent matrix
    leak: float = 0.3  # leak rate: 1 = no memory of the previous state beyond the recurrence
    input_scaling: float = 0.5
    density: float = 0.1  # share of non-zero recurrent weights
    ridge: float = 1.0  # readout regularisation (small values overfit the noisy series)
    washout: int = 50  # first states dropped before fitting (the start-up transient)
    seed: int = 0

    def __post_init__(self):
        if self.units < 1:
            raise ValueError(f"the reservoir needs at least one unit, got {self.units}")
        if not self.spectral_radius > 0:
            raise ValueError(f"a spectral radius of {self.spectral_radius} makes every recurrent "
                             "weight 0 (or flips them): the reservoir has no memory at all. "
                             "Choose a radius above 0 (0.8–1.0 is usual)")
        if not 0 < self.leak <= 1 or not 0 < self.density <= 1:
            raise ValueError(f"leak and density must be in (0, 1], got {self.leak}, "
                             f"{self.density}")
        if self.input_scaling < 0 or self.ridge < 0 or self.washout < 0:
            raise ValueError("input_scaling, ridge and washout must be >= 0")


class EchoStateNetwork:
    """x_t = (1 - a) x_(t-1) + a tanh(W_in u_t + W x_(t-1)); y_t = readout([1, u_t, x_t])."""

    def __init__(self, config: ESNConfig = ESNConfig()):
        rng = np.random.default_rng(config.seed)
        n = config.units
        w = rng.uniform(-1, 1, size=(n, n)) * (rng.random((n, n)) < config.density)
        radius = float(np.max(np.abs(np.linalg.eigvals(w)))) if n > 1 else float(abs(w[0, 0]))
        self.w = w * (config.spectral_radius / radius) if radius > 0 else w
        self.w_in = rng.uniform(-1, 1, size=n) * config.input_scaling
        self.config = config
        self.readout = None

    def spectral_radius(self) -> float:
        """The recurrent matrix's largest |eigenvalue| (what was asked, up to rounding)."""
        return float(np.max(np.abs(np.linalg.eigvals(self.w))))

    def effective_radius(self) -> float:
        """Largest |eigenvalue| of the leaky linearised update (1 - a) I + a W; at or above 1
        the echo state property is not guaranteed and the reservoir may not forget its start."""
        a = self.config.leak
        return float(np.max(np.abs(np.linalg.eigvals((1 - a) * np.eye(len(self.w)) + a * self.w))))

    def states(self, inputs: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
        """Reservoir states for a 1-D input sequence, shape (len(inputs), units)."""
        a = self.config.leak
        x = np.zeros(len(self.w)) if start is None else start.copy()
        out = np.empty((len(inputs), len(self.w)))
        for t, u in enumerate(inputs):
            x = (1 - a) * x + a * np.tanh(self.w_in * u + self.w @ x)
            out[t] = x
        return out

    def _features(self, inputs: np.ndarray, states: np.ndarray) -> np.ndarray:
        return np.column_stack([inputs, states])

    def fit(self, series: np.ndarray) -> "EchoStateNetwork":
        """Fit the readout to predict series[t + 1] from the state after series[t]."""
        from sklearn.linear_model import Ridge

        washout = self.config.washout
        if len(series) <= washout + 2:
            raise ValueError(f"the series ({len(series)} values) must be longer than the "
                             f"washout ({washout}) + 2")
        states = self.states(series[:-1])
        self.readout = Ridge(alpha=self.config.ridge).fit(
            self._features(series[:-1], states)[washout:], series[1:][washout:])
        self.last_state, self.last_input = states[-1], series[-2]
        self.train_end = series[-1]
        return self

    def one_step(self, history: np.ndarray, future: np.ndarray) -> np.ndarray:
        """Teacher-forced forecasts of each ``future`` value from the true values before it."""
        states = self.states(np.concatenate([history, future[:-1]]))[len(history) - 1:]
        inputs = np.concatenate([history[-1:], future[:-1]])
        return self.readout.predict(self._features(inputs, states))

    def free_run(self, history: np.ndarray, steps: int) -> np.ndarray:
        """Forecast ``steps`` values, each fed back as the next input (no true values used)."""
        x = self.states(history)[-1]
        u = history[-1]
        a = self.config.leak
        out = np.empty(steps)
        for t in range(steps):
            y = float(self.readout.predict(self._features(np.array([u]), x[None, :]))[0])
            out[t] = y
            x = (1 - a) * x + a * np.tanh(self.w_in * y + self.w @ x)
            u = y
        return out
