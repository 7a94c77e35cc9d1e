"""The lecture's exercise: a Dense layer without bias or activation, fed a one-hot vector,
is an Embedding lookup; fed any vector v, it returns the v-weighted sum of the rows."""
from __future__ import annotations

import numpy as np


def dense_versus_embedding(vocab_size: int = 6, dim: int = 3, k: int = 2,
                           v: np.ndarray | None = None, seed: int = 0) -> dict:
    """Run both Keras layers with the same weight matrix W (vocab_size x dim).

    Returns W, Dense(one_hot(k)), Embedding(k), and for a vector ``v``: Dense(v) and v @ W.
    """
    import keras

    if not 0 <= k < vocab_size:
        raise ValueError(f"k must be in 0..{vocab_size - 1}, got {k}")
    rng = np.random.default_rng(seed)
    weights = rng.normal(size=(vocab_size, dim)).round(2).astype(np.float32)
    v = rng.integers(0, 3, size=vocab_size).astype(np.float32) if v is None else \
        np.asarray(v, dtype=np.float32)
    if v.shape != (vocab_size,):
        raise ValueError(f"v must have shape ({vocab_size},), got {v.shape}")
    dense = keras.layers.Dense(dim, use_bias=False, activation=None)
    dense.build((None, vocab_size))
    dense.set_weights([weights])
    embedding = keras.layers.Embedding(vocab_size, dim)
    embedding.build((None,))
    embedding.set_weights([weights])
    one_hot = np.eye(vocab_size, dtype=np.float32)[k]
    return {
        "W": weights, "one_hot": one_hot, "k": k, "v": v,
        "dense_one_hot": np.asarray(dense(one_hot[None, :]))[0],
        "embedding_k": np.asarray(embedding(np.array([k])))[0],
        "dense_v": np.asarray(dense(v[None, :]))[0],
        "weighted_rows": v @ weights,
    }
