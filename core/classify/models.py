"""The IMDB sentiment classifiers: one registry of architectures (the lecture's six, and any
added later), their training settings, and the Keras models they build.

Every architecture reads int word ids (maxlen,) through an Embedding and ends in Dense(1,
sigmoid); an :class:`Architecture` says what goes between, its preset, the lecture's parameter
count and what it teaches. A new kind is one :func:`register` call: the Train page, the command
line and the run store pick it up from :data:`ARCHITECTURES`.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from core.classify.bodies import cell, kim, then, transformer

OPTIMIZERS = ("rmsprop", "adam", "sgd")


@dataclass(frozen=True)
class Architecture:
    name: str
    teaches: str  # one line for the page: what this model shows about sequences
    body: Callable | None  # (config, keras.layers, x) -> x: between the Embedding and output
    preset: dict = field(default_factory=dict)  # TrainConfig changes that make the preset
    lecture_params: int | None = None  # the lecture's parameter count at the preset
    recurrent: bool = False  # its Embedding can mask padding; Inside the RNN can trace it
    pretrained: bool = False  # its Embedding is GloVe, frozen
    min_maxlen: int = 1  # the shortest input its layers accept
    any_length: bool = False  # its layers read any length (so Fast cuts batches to length
    #                          buckets); recurrent kinds always do
    masks: bool = False  # its layers honour a padding mask (Fast masks it); recurrent ones do
    fit: Callable | None = None  # a kind that is not a Keras model: (store, run id, config,
    #                              stop_flag) -> summary replaces build, compile and fit
    describe: Callable | None = None  # such a kind's model summary: config -> (rows, total)
    family: str = "sequence"  # "sequence" (reads word order), "bag" (counts words and pairs),
    #                           or "flat" (word vectors side by side: position, not order)
    keras: bool = True  # a Keras network (False: scikit-learn's)


ARCHITECTURES: dict[str, Architecture] = {}
KINDS: tuple[str, ...] = ()  # the registered names, in order (kept in step by register)
PRESETS: dict[str, "TrainConfig"] = {}
LECTURE_PARAMS: dict[str, int] = {}


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
    recurrent_dropout: float = 0.0  # dropout on the recurrent state (Chollet ch. 6); 0 = off
    ngrams: int = 2  # bag-of-words kinds: 1 = words, 2 = words and word pairs
    seed: int = 0
    fast: bool = False  # the speed-ups measured to keep accuracy, per kind: see speedups()

    def __post_init__(self):
        checks = [
            (self.kind in ARCHITECTURES, f"kind must be one of {KINDS}, got {self.kind!r}"),
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
        if not 0 <= self.recurrent_dropout < 1:
            raise ValueError(f"recurrent_dropout must be in [0, 1), got {self.recurrent_dropout}")
        if self.maxlen < ARCHITECTURES[self.kind].min_maxlen:
            raise ValueError(f"the {self.kind} needs maxlen >= "
                             f"{ARCHITECTURES[self.kind].min_maxlen}, got {self.maxlen}")
        from core.embeddings.glove import DIMS

        if ARCHITECTURES[self.kind].pretrained and self.embedding_dim not in DIMS:
            raise ValueError(f"the {self.kind} takes GloVe's sizes "
                             f"{'/'.join(map(str, DIMS))}, got {self.embedding_dim}")
        from core.data.imdb import split_rows

        n_train = split_rows(self.train_size, self.validation_split)[0].stop
        if self.batch_size > n_train and ARCHITECTURES[self.kind].fit is None:
            raise ValueError(f"batch_size {self.batch_size} is larger than the {n_train} "
                             f"training reviews left after the validation split")


def register(arch: Architecture) -> Architecture:
    """Add (or replace) an architecture and its preset; returns it."""
    global KINDS
    ARCHITECTURES[arch.name] = arch
    KINDS = tuple(ARCHITECTURES)
    PRESETS[arch.name] = TrainConfig(arch.name, **arch.preset)
    if arch.lecture_params is not None:
        LECTURE_PARAMS[arch.name] = arch.lecture_params
    return arch


def unregister(name: str) -> None:
    """Remove an architecture added with :func:`register` (a test's toy kind, say)."""
    global KINDS
    ARCHITECTURES.pop(name, None)
    PRESETS.pop(name, None)
    LECTURE_PARAMS.pop(name, None)
    KINDS = tuple(ARCHITECTURES)


register(Architecture(
    "dense", "Word order is thrown away: Flatten puts 20 word vectors side by side.",
    then(lambda c, layers: layers.Flatten()),
    dict(maxlen=20, embedding_dim=8, batch_size=32), lecture_params=80161, family="flat"))
register(Architecture(
    "glove_dense", "Pretrained GloVe vectors, frozen: what a model gets from knowing words first.",
    then(lambda c, layers: layers.Flatten(),
          lambda c, layers: layers.Dense(c.units, activation="relu")),
    dict(maxlen=100, embedding_dim=100, batch_size=32), lecture_params=1320065, pretrained=True,
    family="flat"))
register(Architecture(
    "cnn", "1D convolutions read 7-word windows anywhere in the review: local order, in parallel.",
    then(lambda c, layers: layers.Conv1D(c.units, 7, activation="relu"),
          lambda c, layers: layers.MaxPooling1D(5),
          lambda c, layers: layers.Conv1D(c.units, 7, activation="relu"),
          lambda c, layers: layers.GlobalMaxPooling1D()),
    dict(maxlen=500, embedding_dim=128, learning_rate=1e-4), lecture_params=1315937,
    min_maxlen=41, any_length=True))  # two 7-wide convolutions and a pool of 5
register(Architecture(
    "simple_rnn", "A state carried word by word; its gradient fades within a few dozen steps.",
    then(cell("SimpleRNN")), lecture_params=322113, recurrent=True))
register(Architecture(
    "lstm", "A gated carry keeps what matters across hundreds of words.",
    then(cell("LSTM")), lecture_params=328353, recurrent=True))
register(Architecture(
    "gru", "The LSTM's idea with two gates instead of three: fewer parameters, similar memory.",
    then(cell("GRU")), lecture_params=326369, recurrent=True))
register(Architecture(
    "kim_cnn", "Kim (2014), as the lecture describes it: 3-, 4- and 5-word detectors side by "
               "side, each keeps its strongest match anywhere in the review.",
    kim, dict(maxlen=500, embedding_dim=128, units=100), min_maxlen=5, any_length=True))
register(Architecture(
    "stacked_lstm", "Two LSTM layers in series: the second reads the first's states, a deeper "
                    "view of the sequence for about the same parameters as wide_lstm.",
    then(cell("LSTM", "recurrent_1", sequences=True), cell("LSTM")), recurrent=True))
register(Architecture(
    "wide_lstm", "One LSTM layer with more units in parallel (50): the same parameter budget as "
                 "stacked_lstm spent on width instead of depth.",
    then(cell("LSTM", units=50)), recurrent=True))
register(Architecture(
    "bidirectional_lstm", "Two LSTMs, one reading forwards and one backwards: each word seen "
                          "with what comes before and after it.",
    then(lambda c, layers: layers.Bidirectional(cell("LSTM")(c, layers), name="recurrent")),
    recurrent=True))
register(Architecture(
    "transformer", "Beyond the lecture: self-attention lets every word look at every other at "
                   "once, no recurrence; where sequence models went next.",
    transformer, dict(maxlen=300, embedding_dim=32, units=32), any_length=True, masks=True))


def preset(kind: str, **changes) -> TrainConfig:
    """The preset settings of ``kind`` (the lecture's, for its six), with ``changes`` applied
    (and validated)."""
    if kind not in PRESETS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    return dataclasses.replace(PRESETS[kind], **changes)


def with_available_glove(config: TrainConfig) -> tuple[TrainConfig, str | None]:
    """``config`` with a GloVe size this machine has (the largest below the one asked for,
    else the smallest above), and a sentence saying so when it had to change."""
    if not ARCHITECTURES[config.kind].pretrained:
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
                units: int = 32, mask_zero: bool = False, embedding_matrix=None,
                recurrent_dropout: float = 0.0, variable_length: bool = False, **_):
    """Architecture ``kind`` as an uncompiled Keras model over int ids (maxlen,).

    ``embedding_matrix`` (num_words, embedding_dim) initialises and freezes the Embedding
    (the glove_dense preset). The cnn ends in a sigmoid: the lecture's has no activation yet
    trains with binary cross-entropy, which then treats raw scores as probabilities.
    """
    import keras
    from keras import layers

    if kind not in ARCHITECTURES:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    arch = ARCHITECTURES[kind]
    config = TrainConfig(kind, num_words=num_words, maxlen=maxlen, embedding_dim=embedding_dim,
                         units=units, mask_zero=mask_zero, train_size=25000,
                         recurrent_dropout=recurrent_dropout)
    embedding = layers.Embedding(num_words, embedding_dim, name="embedding",
                                 mask_zero=mask_zero and (arch.recurrent or arch.masks),
                                 trainable=embedding_matrix is None)
    inputs = keras.Input(shape=(None if variable_length else maxlen,), dtype="int32",
                         name="word_ids")
    x = arch.body(config, layers, embedding(inputs))
    model = keras.Model(inputs, layers.Dense(1, activation="sigmoid", name="output")(x), name=kind)
    if embedding_matrix is not None:
        embedding.set_weights([embedding_matrix])
    return model


def build_from_config(config: TrainConfig, embedding_matrix=None):
    """:func:`build_model` with a :class:`TrainConfig`'s sizes (units 32 for glove_dense) and
    its speed-ups (:func:`speedups`)."""
    fast = speedups(config)
    return build_model(config.kind, config.num_words, config.maxlen, config.embedding_dim,
                       config.units, config.mask_zero or fast["mask"], embedding_matrix,
                       config.recurrent_dropout, variable_length=fast["buckets"])


# Training reviews × epochs from which XLA pays on 2 cores. Measured (LSTM, 2,000 reviews, 2
# epochs, fresh process each): plain 13.2 s, buckets + mask 13.0 s, with XLA 27-33 s (the first
# epoch 12 s of compiling, the second 0.6 s instead of 1.2); XLA saves about 0.4 ms per review
# and epoch, so its ~10 s of compiling pays from about 27,000 (bench/race.py --small).
XLA_FROM = 40_000


def speedups(config: TrainConfig) -> dict[str, bool]:
    """What ``config.fast`` does for its kind, as measured on a 2-core CPU (bench/race.py):

    - ``buckets``: batches of reviews of similar length, cut to their bucket's length
      (core/classify/buckets.py), for kinds that read any length (recurrent, convolutional,
      the Transformer);
    - ``mask``: recurrent layers and the Transformer's attention and average skip the padding
      (``mask_zero``), so what is left of it after bucketing changes nothing;
    - ``xla``: ``jit_compile`` for the recurrent kinds (1.4-2.6x per step there; it makes the
      lecture's CNN 2x slower, so not there), and only when the run is long enough to pay for
      compiling a graph per bucket: at least XLA_FROM training reviews × epochs.
    """
    from core.data.imdb import split_rows

    arch = ARCHITECTURES[config.kind]
    buckets = config.fast and (arch.recurrent or arch.any_length)
    reviews = split_rows(config.train_size, config.validation_split)[0].stop
    return {"buckets": buckets, "mask": buckets and (arch.recurrent or arch.masks),
            "xla": config.fast and arch.recurrent and reviews * config.epochs >= XLA_FROM}


def make_optimizer(config: TrainConfig):
    import keras

    cls = {"rmsprop": keras.optimizers.RMSprop, "adam": keras.optimizers.Adam,
           "sgd": keras.optimizers.SGD}[config.optimizer]
    return cls(learning_rate=config.learning_rate)


def summary(config: TrainConfig) -> tuple[list[dict], int | None]:
    """The layers ``config`` builds (name, type, output shape, parameters) and the total (None
    when it is known only after fitting)."""
    if ARCHITECTURES[config.kind].describe is not None:
        return ARCHITECTURES[config.kind].describe(config)
    model = build_from_config(config)
    rows = [{"layer": layer.name, "type": type(layer).__name__,
             "output shape": str(layer.output.shape), "parameters": layer.count_params()}
            for layer in model.layers]
    return rows, int(model.count_params())
