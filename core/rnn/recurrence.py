"""One step of SimpleRNN, LSTM and GRU in numpy, with Keras's weight layout and gate order.

Shapes: x (batch, input_dim), h and c (batch, units); ``kernel`` (input_dim, k*units),
``recurrent`` (units, k*units), ``bias`` (k*units,) or for the GRU (2, 3*units).
"""
from __future__ import annotations

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # stable for large |x|


def simple_rnn_step(x, h, kernel, recurrent, bias):
    """h_t = tanh(x W + h_(t-1) U + b)."""
    return np.tanh(x @ kernel + h @ recurrent + bias)


def lstm_step(x, h, c, kernel, recurrent, bias):
    """Keras LSTM (gates in the order input, forget, candidate, output).

    Returns (h_t, c_t, gates) where gates maps 'input', 'forget', 'candidate', 'output'."""
    return lstm_update(x @ kernel + h @ recurrent + bias, c)


def lstm_update(z, c):
    """The LSTM after its pre-activations z = x W + h U + b, shape (batch, 4*units)."""
    i, f, g, o = np.split(z, 4, axis=-1)
    i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)
    c = f * c + i * g
    return o * np.tanh(c), c, {"input": i, "forget": f, "candidate": g, "output": o}


def gru_step(x, h, kernel, recurrent, bias):
    """Keras GRU with reset_after=True (the default): gates update z, reset r, candidate.

    Returns (h_t, gates)."""
    units = h.shape[-1]
    xs = x @ kernel + bias[0]
    hs = h @ recurrent + bias[1]
    z = sigmoid(xs[..., :units] + hs[..., :units])
    r = sigmoid(xs[..., units:2 * units] + hs[..., units:2 * units])
    candidate = np.tanh(xs[..., 2 * units:] + r * hs[..., 2 * units:])
    return z * h + (1 - z) * candidate, {"update": z, "reset": r, "candidate": candidate}
