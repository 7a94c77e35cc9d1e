"""The lecture's IMDB sentiment models, rebuilt exactly, and their training settings."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

KINDS = ("dense", "glove_dense", "cnn", "simple_rnn", "lstm", "gru")
OPTIMIZERS = ("rmsprop", "adam", "sgd")
LECTURE_PARAMS = {"dense": 80161, "glove_dense": 1320065, "cnn": 1315937, "simple_rnn": 322113,
                  "lstm": 328353, "gru": 326369}  # at the presets below (glove_dense at 100d)


@dataclass(frozen=True)
class TrainConfig:
    kind: str = "lstm"
    num_words: int = 10000  # vocabulary: word ids >= num_words become "unknown"
    maxlen: int = 500  # reviews cut (from the front) or padded to this many words
    embedding_dim: int = 32
    units: int = 32  # recurrent units / Dense units / Conv1D filters
    epochs: int = 10
    batch_size: int = 128
    optimizer: str = "rmsprop"
    learning_rate: float = 0.001  # RMSprop's default
    train_size: int = 25000  # training reviews used (before the validation split)
    validation_split: float = 0.2  # last share of the training reviews, as Keras's fit does
    mask_zero: bool = False  # let recurrent layers skip the padding
    seed: int = 0
    fast: bool = False  # XLA compilation with whole batches only (no ragged last batch)

    def __post_init__(self):
        checks = [
            (self.kind in KINDS, f"kind must be one of {KINDS}, got {self.kind!r}"),
            (self.optimizer in OPTIMIZERS, f"optimizer must be one of {OPTIMIZERS}, got "
                                           f"{self.optimizer!r}"),
            (self.num_words >= 5, f"num_words must be >= 5 (ids 0-3 are reserved), got "
                                  f"{self.num_words}"),
            (self.maxlen >= 1, f"maxlen must be >= 1, got {self.maxlen}"),
            (self.epochs >= 1, f"epochs must be >= 1, got {self.epochs}"),
            (self.batch_size >= 1, f"batch_size must be >= 1, got {self.batch_size}"),
            (self.embedding_dim >= 1 and self.units >= 1, "embedding_dim and units must be >= 1"),
            (0 < self.learning_rate < 10, f"learning_rate must be in (0, 10), got "
                                          f"{self.learning_rate}"),
            (10 <= self.train_size <= 25000, f"train_size must be 10..25000, got "
                                             f"{self.train_size}"),
            (0 < self.validation_split < 0.9, f"validation_split must be in (0, 0.9), got "
                                              f"{self.validation_split}"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)
        if self.kind == "cnn" and self.maxlen < 41:
            raise ValueError(f"the cnn needs maxlen >= 41 (two 7-wide convolutions and a pool "
                             f"of 5), got {self.maxlen}")
        if self.kind == "glove_dense" and self.embedding_dim not in (50, 100, 200, 300):
            raise ValueError(f"glove_dense takes GloVe's sizes 50/100/200/300, got "
                             f"{self.embedding_dim}")
        n_train = int(self.train_size * (1 - self.validation_split))
        if self.batch_size > n_train:
            raise ValueError(f"batch_size {self.batch_size} is larger than the {n_train} "
                             f"training reviews left after the validation split")


PRESETS: dict[str, TrainConfig] = {
    "dense": TrainConfig("dense", maxlen=20, embedding_dim=8, batch_size=32),
    "glove_dense": TrainConfig("glove_dense", maxlen=100, embedding_dim=100, batch_size=32),
    "cnn": TrainConfig("cnn", maxlen=500, embedding_dim=128, learning_rate=1e-4),
    "simple_rnn": TrainConfig("simple_rnn"),
    "lstm": TrainConfig("lstm"),
    "gru": TrainConfig("gru"),
}


def preset(kind: str, **changes) -> TrainConfig:
    """The lecture's settings for ``kind``, with ``changes`` applied (and validated)."""
    if kind not in PRESETS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    return dataclasses.replace(PRESETS[kind], **changes)


def with_available_glove(config: TrainConfig) -> tuple[TrainConfig, str | None]:
    """``config`` with a GloVe size this machine has (the largest below the one asked for,
    else the smallest above), and a sentence saying so when it had to change."""
    if config.kind != "glove_dense":
        return config, None
    from core.embeddings import glove

    have = [d for d in glove.DIMS if glove.glove_available(d)]
    if not have or config.embedding_dim in have:
        return config, None
    below = [d for d in have if d < config.embedding_dim]
    dim = max(below) if below else min(have)
    changed = dataclasses.replace(config, embedding_dim=dim)
    return changed, (f"GloVe {config.embedding_dim}d is not on this machine; {dim}d stands in "
                     f"(`python -m core data fetch glove{config.embedding_dim}` for the "
                     f"lecture's).")


def build_model(kind: str, num_words: int = 10000, maxlen: int = 500, embedding_dim: int = 32,
                units: int = 32, mask_zero: bool = False, embedding_matrix=None, **_):
    """The lecture's architecture ``kind`` as an uncompiled Keras model over int ids (maxlen,).

    ``embedding_matrix`` (num_words, embedding_dim) initialises and freezes the Embedding
    (the glove_dense preset). The cnn ends in a sigmoid: the lecture's has no activation yet
    trains with binary cross-entropy, which then treats raw scores as probabilities.
    """
    import keras
    from keras import layers

    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    recurrent = kind in ("simple_rnn", "lstm", "gru")
    embedding = layers.Embedding(num_words, embedding_dim, name="embedding",
                                 mask_zero=mask_zero and recurrent,
                                 trainable=embedding_matrix is None)
    stack = [keras.Input(shape=(maxlen,), dtype="int32", name="word_ids"), embedding]
    if kind == "dense":
        stack += [layers.Flatten()]
    elif kind == "glove_dense":
        stack += [layers.Flatten(), layers.Dense(units, activation="relu")]
    elif kind == "cnn":
        stack += [layers.Conv1D(units, 7, activation="relu"), layers.MaxPooling1D(5),
                  layers.Conv1D(units, 7, activation="relu"), layers.GlobalMaxPooling1D()]
    else:
        cell = {"simple_rnn": layers.SimpleRNN, "lstm": layers.LSTM, "gru": layers.GRU}[kind]
        stack += [cell(units, name="recurrent")]
    stack += [layers.Dense(1, activation="sigmoid", name="output")]
    model = keras.Sequential(stack, name=kind)
    if embedding_matrix is not None:
        embedding.set_weights([embedding_matrix])
    return model


def build_from_config(config: TrainConfig, embedding_matrix=None):
    """:func:`build_model` with a :class:`TrainConfig`'s sizes (units 32 for glove_dense)."""
    return build_model(config.kind, config.num_words, config.maxlen, config.embedding_dim,
                       config.units, config.mask_zero, embedding_matrix)


def make_optimizer(config: TrainConfig):
    import keras

    cls = {"rmsprop": keras.optimizers.RMSprop, "adam": keras.optimizers.Adam,
           "sgd": keras.optimizers.SGD}[config.optimizer]
    return cls(learning_rate=config.learning_rate)
