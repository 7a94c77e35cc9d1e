"""What the registered IMDB networks do between the Embedding and the sigmoid output, as
``body(config, layers, x) -> x`` functions (``layers`` is ``keras.layers``; Keras is imported
only when a model is built): layers in series, a recurrent cell, Kim's CNN, a Transformer
block."""
from __future__ import annotations


def then(*make):
    """A body that applies layers one after another: each ``make(config, layers)`` -> layer."""
    def body(config, layers, x):
        for new in make:
            x = new(config, layers)(x)
        return x
    return body


def cell(cell: str, name: str = "recurrent", sequences: bool = False, units=None):
    return lambda config, layers: getattr(layers, cell)(
        units or config.units, name=name, return_sequences=sequences,
        recurrent_dropout=config.recurrent_dropout)


def kim(config, layers, x):
    """Kim (2014): parallel convolutions over 3, 4 and 5 words, each max-pooled over time."""
    pooled = [layers.GlobalMaxPooling1D(name=f"max_over_time_{k}")(
        layers.Conv1D(config.units, k, activation="relu", name=f"conv_{k}_words")(x))
        for k in (3, 4, 5)]
    return layers.Dropout(0.5)(layers.Concatenate()(pooled))


def transformer(config, layers, x):
    """One encoder block: positions added, 2-head self-attention and a feed-forward layer,
    each with a residual connection and layer norm; then the average over positions."""
    from core.classify.blocks import PositionEmbedding

    x = PositionEmbedding(config.maxlen, config.embedding_dim, name="positions")(x)
    attended = layers.MultiHeadAttention(2, config.embedding_dim // 2, name="attention")(x, x)
    x = layers.LayerNormalization(name="norm_1")(layers.Add(name="residual_1")([x, attended]))
    fed = layers.Dense(config.embedding_dim, name="feed_out")(
        layers.Dense(config.units, activation="relu", name="feed_in")(x))
    x = layers.LayerNormalization(name="norm_2")(layers.Add(name="residual_2")([x, fed]))
    return layers.Dropout(0.1)(layers.GlobalAveragePooling1D()(x))
