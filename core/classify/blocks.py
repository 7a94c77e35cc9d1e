"""Keras layers of our own that the classifiers use, registered so that saved models load in
safe mode (no Lambda layers, no pickled code)."""
from __future__ import annotations

import keras


@keras.saving.register_keras_serializable(package="seqlab")
class PositionEmbedding(keras.layers.Layer):
    """Adds a learned vector for each position 0 … maxlen − 1 to the word vectors (batch,
    time, dim): the Transformer's only sense of word order. Positions count back from the end,
    where left-padded reviews have their words: the last word is at maxlen − 1 whatever the
    input's length, so a review cut to a short length bucket (Fast) and the same review padded
    to maxlen (the saved model on the page) give every word the same position. At the full
    length this is position i for step i, as before; steps beyond maxlen share position 0."""

    def __init__(self, maxlen: int, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.maxlen, self.dim = maxlen, dim
        self.supports_masking = True  # a padding mask passes through unchanged
        self.positions = keras.layers.Embedding(maxlen, dim, name="position_vectors")

    def build(self, input_shape):
        self.positions.build((None,))
        super().build(input_shape)

    def call(self, x):
        steps = keras.ops.shape(x)[1]
        index = keras.ops.arange(steps) + (self.maxlen - steps)
        return x + self.positions(keras.ops.clip(index, 0, self.maxlen - 1))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "maxlen": self.maxlen, "dim": self.dim}
