"""Residual connections against vanishing gradients, in a deep feed-forward stack.

h_0 = W_in x; then for each layer i: h_i = f(W_i h_(i-1) + b_i), or with a skip connection
h_i = h_(i-1) + f(W_i h_(i-1) + b_i) / sqrt(depth); the output is sigmoid(w h_depth). (The
1/sqrt(depth) keeps the sum of many branches from blowing up at initialisation, as SkipInit and
Fixup do for deep residual networks without normalisation.) The output weights start small
(OUTPUT_SCALE of Glorot's), so both stacks start at the same loss, ln 2 = 0.693 (they predict
0.5 for every review), and differ only in what training does next. The gradient of the
loss reaching layer i's weights is computed with ``tf.GradientTape`` on real IMDB data (reviews
as multi-hot word vectors), at initialisation and after a few steps of Adam. Through the
shortcut the gradient is added rather than only multiplied, the same reason the LSTM's carry
keeps gradients alive through time. Plain TensorFlow ops on a list of variables: a change of
depth costs no model building, so the page answers within a second.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ACTIVATIONS = ("sigmoid", "tanh", "relu")
OUTPUT_SCALE = 0.01  # the output layer's share of Glorot's weights: both stacks start at ln 2


@dataclass(frozen=True)
class StackConfig:
    depth: int = 30  # hidden layers
    activation: str = "sigmoid"
    width: int = 32  # units per hidden layer
    steps: int = 10  # training steps before the second measurement (>= 1)
    learning_rate: float = 0.01  # Adam's (plain gradient descent diverged for deep sigmoid skips)
    seed: int = 0

    def __post_init__(self):
        if not 1 <= self.depth <= 100:
            raise ValueError(f"depth must be in 1..100, got {self.depth}")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {self.activation!r}")
        if self.width < 1 or self.steps < 1 or not self.learning_rate > 0:
            raise ValueError(f"need width >= 1, steps >= 1, learning_rate > 0, got {self}")


def imdb_bag(n_reviews: int = 512, num_words: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """The first ``n_reviews`` IMDB train reviews as multi-hot vectors of their ``num_words``
    most frequent words (float32), and their labels."""
    from core.data.imdb import load_imdb

    (x, y), _ = load_imdb(num_words=num_words, maxlen=500)
    bag = np.zeros((n_reviews, num_words), np.float32)
    rows = np.repeat(np.arange(n_reviews), x.shape[1])
    bag[rows, x[:n_reviews].ravel()] = 1.0
    bag[:, :3] = 0.0  # padding, start and unknown markers are not words
    return bag, y[:n_reviews].astype(np.float32)


def _weights(config: StackConfig, inputs: int):
    """Glorot-uniform weights (Keras's default for Dense) and zero biases, seeded. The hidden
    layers' weights are one variable of shape (depth, width, width), their biases one of
    (depth, width): Adam then updates four variables, not 2·depth + 2 (its per-variable
    Python loop was 90 % of the time in eager mode)."""
    import tensorflow as tf

    rng = np.random.default_rng(config.seed)

    def glorot(n_in, n_out):
        limit = np.sqrt(6 / (n_in + n_out))
        return rng.uniform(-limit, limit, (n_in, n_out)).astype(np.float32)

    first = glorot(inputs, config.width)
    hidden = np.stack([glorot(config.width, config.width) for _ in range(config.depth)])
    return {"input": tf.Variable(first), "hidden": tf.Variable(hidden),
            "bias": tf.Variable(np.zeros((config.depth, config.width), np.float32)),
            "output": tf.Variable(glorot(config.width, 1) * OUTPUT_SCALE)}


def _loss(weights: dict, x, y, activation, skip: bool):
    import tensorflow as tf

    h = x @ weights["input"]
    depth = weights["hidden"].shape[0]
    branch = 1 / np.sqrt(depth)
    for i in range(depth):
        out = activation(h @ weights["hidden"][i] + weights["bias"][i])
        h = h + branch * out if skip else out
    logits = tf.squeeze(h @ weights["output"], -1)
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
    return loss, tf.reduce_mean(tf.cast((logits > 0) == (y > 0.5), tf.float32))


def gradient_norms(config: StackConfig, x: np.ndarray, y: np.ndarray, skip: bool,
                   train: bool = True) -> dict[str, np.ndarray]:
    """‖∂loss/∂W_i‖ for every hidden layer i (1 = nearest the input), at initialisation and
    (``train``) after ``config.steps`` steps of Adam on (x, y); and the training loss and
    accuracy before and after. Without ``train``, the "at initialisation" entries only (one
    forward and backward pass: what a page can draw at once)."""
    import keras
    import tensorflow as tf

    activation = getattr(tf.nn, config.activation)
    weights = _weights(config, x.shape[1])
    variables = [weights["hidden"], weights["input"], weights["bias"], weights["output"]]
    optimizer = keras.optimizers.Adam(learning_rate=config.learning_rate)
    x, y = tf.constant(x), tf.constant(y)
    out = {}
    for step in range(config.steps + 1 if train else 1):  # measure first and last, else learn
        with tf.GradientTape() as tape:
            loss, accuracy = _loss(weights, x, y, activation, skip)
        grads = tape.gradient(loss, variables)
        phase = ("at initialisation" if step == 0 else
                 "after training" if step == config.steps else None)
        if phase:
            out[phase] = tf.norm(tf.reshape(grads[0], (config.depth, -1)), axis=1).numpy()
            out[f"loss {phase}"] = float(loss)
            out[f"accuracy {phase}"] = float(accuracy)
        if train and step < config.steps:
            optimizer.apply_gradients(zip(grads, variables))
    return out


def residual_reading(results: dict[bool, dict], steps: int) -> str:
    """What the table says, computed from it: how far each stack's training loss moved from
    ln 2 in ``steps`` steps, and which one learned."""
    moved = {skip: r["loss at initialisation"] - r["loss after training"]
             for skip, r in results.items()}
    words = {skip: (f"its loss went from {results[skip]['loss at initialisation']:.3f} to "
                    f"{results[skip]['loss after training']:.3f} (training accuracy "
                    f"{results[skip]['accuracy after training']:.0%})") for skip in results}
    learned = {skip: m > 0.05 for skip, m in moved.items()}
    if learned[True] and not learned[False]:
        verdict = "only the stack with skips learned: the plain one is stuck predicting 0.5"
    elif learned[True] and learned[False]:
        verdict = ("both learned (a shallow or relu stack still passes enough gradient down); "
                   + ("the skips learned faster" if moved[True] > moved[False] else
                      "the plain stack learned as fast or faster here"))
    elif learned[False]:
        verdict = "only the plain stack learned at this setting"
    else:
        verdict = f"neither learned much in {steps} steps"
    return (f"In {steps} steps: with skips, {words[True]}; plain, {words[False]}. So {verdict}.")
