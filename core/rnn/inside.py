"""Looking inside recurrent layers: states and gates step by step, and gradients through time."""
from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np

from core.rnn.recurrence import gru_step, lstm_step, simple_rnn_step

RECURRENT = ("simple_rnn", "lstm", "gru")


def layer_weights(layer) -> dict[str, np.ndarray]:
    """kernel, recurrent and bias of a Keras SimpleRNN / LSTM / GRU layer as float64 arrays."""
    kernel, recurrent, bias = (np.asarray(w, np.float64) for w in layer.get_weights())
    return {"kernel": kernel, "recurrent": recurrent, "bias": bias}


def trace(kind: str, inputs: np.ndarray, weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Run a recurrent layer over ``inputs`` (time, input_dim) in numpy from a zero state.

    Returns 'h' (time, units) and, for LSTM, 'c' and the gates; for GRU, its gates."""
    if kind not in RECURRENT:
        raise ValueError(f"kind must be one of {RECURRENT}, got {kind!r}")
    units = weights["recurrent"].shape[0]
    h, c = np.zeros((1, units)), np.zeros((1, units))
    out: dict[str, list] = {"h": []}
    for x in np.asarray(inputs, np.float64):
        x = x[None, :]
        if kind == "simple_rnn":
            h = simple_rnn_step(x, h, weights["kernel"], weights["recurrent"], weights["bias"])
            gates = {}
        elif kind == "lstm":
            h, c, gates = lstm_step(x, h, c, weights["kernel"], weights["recurrent"],
                                    weights["bias"])
            gates = {**gates, "c": c}
        else:
            h, gates = gru_step(x, h, weights["kernel"], weights["recurrent"], weights["bias"])
        out["h"].append(h[0])
        for name, value in gates.items():
            out.setdefault(name, []).append(value[0])
    return {k: np.array(v) for k, v in out.items()}


def open_gates(kind: str, bias: np.ndarray, shift: float) -> np.ndarray:
    """``bias`` of a Keras layer with the gate that keeps the past pushed open by ``shift``:
    the LSTM's forget gate (bias block 2 of i, f, c, o), the GRU's update gate (block 1 of z,
    r, h; Keras's GRU keeps z of the old state). A SimpleRNN has no gate: unchanged."""
    bias = np.array(bias, np.float32, copy=True)
    units = bias.shape[-1] // (4 if kind == "lstm" else 3)
    if kind == "lstm":
        bias[units:2 * units] += shift
    elif kind == "gru":
        bias[..., :units] += shift
    return bias


def gradient_norms(kind: str, inputs: np.ndarray, units: int = 32, weights=None,
                   recurrent_scale: float = 1.0, seed: int = 0, gate_shift: float = 0.0
                   ) -> np.ndarray:
    """|d sum(h_T) / d x_t| for every step t of ``inputs`` (time, input_dim): how much each
    earlier input still moves the last output. Keras layer, ``tf.GradientTape``; ``weights``
    (kernel, recurrent, bias) from a trained layer, else Keras's initialisation with ``seed``;
    the recurrent matrix is multiplied by ``recurrent_scale`` and the gate that keeps the past
    pushed open by ``gate_shift`` (:func:`open_gates`). Steps whose gradient left the float
    range are NaN or inf."""
    import keras

    if kind not in RECURRENT:
        raise ValueError(f"kind must be one of {RECURRENT}, got {kind!r}")
    inputs = np.asarray(inputs, np.float32)
    if inputs.ndim != 2 or len(inputs) < 1:
        raise ValueError(f"inputs must have shape (time, input_dim), got {inputs.shape}")
    n_units = units if weights is None else np.asarray(weights[1]).shape[0]
    layer, lock, grads = _gradient_function(kind, n_units, inputs.shape[1])
    with lock:  # one shared layer per shape: sessions take turns
        if weights is None:
            keras.utils.set_random_seed(seed)
            fresh = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM,
                     "gru": keras.layers.GRU}[kind](n_units)
            fresh.build((1, *inputs.shape))
            weights = fresh.get_weights()
        values = [np.asarray(w, np.float32) for w in weights]
        values[1] = values[1] * recurrent_scale
        values[2] = open_gates(kind, values[2], gate_shift)
        layer.set_weights(values)
        with np.errstate(over="ignore", invalid="ignore"):
            return np.linalg.norm(grads(inputs[None]).numpy()[0].astype(np.float64), axis=1)


@lru_cache(maxsize=16)
def _gradient_function(kind: str, units: int, input_dim: int):
    """A layer and a traced gradient function for any sequence length (traced once)."""
    import keras
    import tensorflow as tf

    layer = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM,
             "gru": keras.layers.GRU}[kind](units)
    layer.build((1, None, input_dim))

    @tf.function(input_signature=[tf.TensorSpec([1, None, input_dim], tf.float32)])
    def grads(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            total = tf.reduce_sum(layer(x))
        return tape.gradient(total, x)

    return layer, threading.Lock(), grads


GATES_OPEN = 4.0  # the gate-bias shift of the "gates held open" view: sigmoid(1 + 4) = 0.993


def untrained_gradient_norms(kind: str, length: int, scale: float, units: int = 32,
                             gate_shift: float = 0.0):
    """:func:`gradient_norms` of a freshly initialised layer on random inputs (seed 0)."""
    inputs = np.random.default_rng(0).normal(0, 0.3, size=(length, units))
    return gradient_norms(kind, inputs, units=units, recurrent_scale=scale, gate_shift=gate_shift)


def gradient_reading(curves: dict[str, np.ndarray]) -> list[str]:
    """What the gradient curves on screen show, sentence by sentence, computed from them: per
    curve the oldest input's gradient against the newest's (vanishing, kept, or exploding),
    which falls fastest and slowest, and any curve that left the float range."""
    said, kept = [], {}
    for label, norms in curves.items():
        norms = np.asarray(norms, np.float64)
        bad = ~np.isfinite(norms)
        if bad.any():
            last_bad = int(np.nonzero(bad)[0].max())
            said.append(f"The {label} curve leaves the float range {len(norms) - 1 - last_bad} "
                        "steps back and is cut there: its gradient exploded past what a 32-bit "
                        "float holds.")
            norms = norms[last_bad + 1:]
        if len(norms) < 2 or norms[-1] <= 0:
            continue
        kept[label] = (norms[0] / norms[-1], len(norms) - 1)
    for label, (ratio, steps) in kept.items():
        if ratio == 0:
            words = f"underflows to 0 within {steps} steps (vanished completely)"
        elif ratio < 0.1:
            words = f"falls to {ratio:.0e} of the newest input's over {steps} steps (vanishing)"
        elif ratio <= 10:
            words = f"stays within 10x of the newest input's over {steps} steps (kept)"
        elif ratio <= 1000:
            words = f"is {ratio:.0f} times the newest input's over {steps} steps (kept, and grows)"
        else:
            words = f"grows to {ratio:.0e} times the newest input's over {steps} steps (exploding)"
        said.append(f"{label}: the oldest input's gradient {words}.")
    if len(kept) > 1:
        order = sorted(kept, key=lambda k: kept[k][0])
        said.append(f"Here it falls fastest for the {order[0]} and slowest for the {order[-1]}.")
    return said


ARRANGEMENTS = ("one layer", "two in series", "one twice as wide")


def layer_params(kind: str, inputs: int, units: int) -> int:
    """Parameters of one SimpleRNN / LSTM / GRU layer: kernel, recurrent matrix and bias for
    each of its 1 / 4 / 3 blocks (Keras's GRU keeps two biases per block: reset_after)."""
    blocks = {"simple_rnn": 1, "lstm": 4, "gru": 3}[kind]
    biases = 2 if kind == "gru" else 1
    return blocks * units * (inputs + units + biases)


def stack_shapes(arrangement: str, units: int) -> list[int]:
    """Units per layer of an arrangement: [n]; [n, n] (in series); [2n] (in parallel)."""
    if arrangement not in ARRANGEMENTS:
        raise ValueError(f"arrangement must be one of {ARRANGEMENTS}, got {arrangement!r}")
    return {"one layer": [units], "two in series": [units, units],
            "one twice as wide": [2 * units]}[arrangement]


def trace_stack(kind: str, inputs: np.ndarray, weights: list[dict]) -> list[dict]:
    """:func:`trace` through layers in series: each layer reads the states of the one below."""
    out, x = [], inputs
    for layer in weights:
        steps = trace(kind, x, layer)
        out.append(steps)
        x = steps["h"]
    return out


def keras_stack_states(kind: str, units: list[int], seed: int, inputs: np.ndarray):
    """Fresh Keras layers of ``units`` in series (seeded): their weights and each one's states
    over ``inputs`` (time, input_dim), to set beside :func:`trace_stack`."""
    import keras

    keras.utils.set_random_seed(seed)
    cell = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM}[kind]
    x = keras.Input(shape=(None, np.asarray(inputs).shape[1]))
    outputs, h = [], x
    for n in units:
        layer = cell(n, return_sequences=True)
        h = layer(h)
        outputs.append((layer, h))
    model = keras.Model(x, [h for _, h in outputs])
    states = model(np.asarray(inputs, "float32")[None])
    states = states if isinstance(states, (list, tuple)) else [states]
    return [layer_weights(layer) for layer, _ in outputs], [np.asarray(s)[0] for s in states]
