"""Keras layers of our own that the classifiers use, registered so that saved models load in
safe mode (no Lambda layers, no pickled code)."""
from __future__ import annotations

import keras


@keras.saving.register_keras_serializable(package="seqlab")
class PositionEmbedding(keras.layers.Layer):
    """Adds a learned vector for each position 0 … maxlen − 1 to the word vectors (batch,
    time, dim): the Transformer's only sense of word order."""

    def __init__(self, maxlen: int, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.maxlen, self.dim = maxlen, dim
        self.supports_masking = True  # a padding mask passes through unchanged
        self.positions = keras.layers.Embedding(maxlen, dim, name="position_vectors")

    def build(self, input_shape):
        self.positions.build((None,))
        super().build(input_shape)

    def call(self, x):
        return x + self.positions(keras.ops.arange(keras.ops.shape(x)[1]))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "maxlen": self.maxlen, "dim": self.dim}
