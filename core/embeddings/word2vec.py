"""Word2vec skip-gram with negative sampling, trained in Keras on IMDB reviews."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.data import diskcache
from core.embeddings.space import EmbeddingSpace
from core.runs.callbacks import BatchMeans, progress_reporter

KIND = "word2vec"  # run kind in the store


@dataclass(frozen=True)
class Word2VecConfig:
    vocab_size: int = 10000  # most frequent words that get a vector
    dim: int = 64  # vector size
    window: int = 4  # largest distance of a context word (each pair draws 1..window)
    negatives: int = 4  # random "not context" words per true pair
    subsample: float = 1e-4  # drop frequent words with probability 1 - sqrt(t / f)
    reviews: int = 25000  # IMDB train reviews to use
    epochs: int = 1
    batch_size: int = 4096  # large batches: the model is tiny, the step overhead is not
    learning_rate: float = 0.01  # Adam
    seed: int = 0

    def __post_init__(self):
        if self.vocab_size < 10 or self.dim < 2 or self.window < 1 or self.negatives < 1:
            raise ValueError(f"need vocab_size >= 10, dim >= 2, window >= 1, negatives >= 1; "
                             f"got {self}")
        if not 1 <= self.reviews <= 25000 or self.epochs < 1 or self.batch_size < 1:
            raise ValueError(f"need 1 <= reviews <= 25000, epochs >= 1, batch_size >= 1; got {self}")
        if not self.learning_rate > 0 or not self.subsample > 0:
            raise ValueError(f"learning_rate and subsample must be > 0, got {self}")


def skipgram_pairs(ids: np.ndarray, doc_of: np.ndarray, window: int, counts: np.ndarray,
                   subsample: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(target, context) pairs within one document, after subsampling frequent words; each
    target draws its own window 1..``window``, so near words count more (as word2vec does)."""
    freq = counts / counts.sum()
    keep_p = np.minimum(1.0, np.sqrt(subsample / np.maximum(freq, 1e-12)) + subsample / np.maximum(freq, 1e-12))
    keep = (ids >= 0) & (rng.random(len(ids)) < keep_p[np.maximum(ids, 0)])
    ids, doc_of = ids[keep], doc_of[keep]
    reach = rng.integers(1, window + 1, size=len(ids))
    targets, contexts = [], []
    for d in range(1, window + 1):
        same = doc_of[:-d] == doc_of[d:]
        forward = same & (reach[:-d] >= d)  # target i sees i + d
        backward = same & (reach[d:] >= d)  # target i + d sees i
        targets += [ids[:-d][forward], ids[d:][backward]]
        contexts += [ids[d:][forward], ids[:-d][backward]]
    return np.concatenate(targets), np.concatenate(contexts)


def negative_table(counts: np.ndarray) -> np.ndarray:
    """Sampling probabilities for negatives: unigram counts ** 0.75, normalised."""
    p = counts.astype(np.float64) ** 0.75
    return p / p.sum()


def build_model(vocab_size: int, dim: int, negatives: int, learning_rate: float):
    """Keras model: target id and (1 + negatives) context ids -> one logit per context."""
    import keras
    from keras import layers

    target = keras.Input(shape=(), dtype="int32", name="target")
    context = keras.Input(shape=(1 + negatives,), dtype="int32", name="context")
    t = layers.Embedding(vocab_size, dim, name="target_embedding")(target)
    c = layers.Embedding(vocab_size, dim, name="context_embedding")(context)
    logits = layers.Dot(axes=(1, 2))([t, c])  # (batch, 1 + negatives)
    model = keras.Model([target, context], logits, name="skipgram")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def cache_key(config: Word2VecConfig) -> str:
    from core.data import imdb

    return diskcache.cache_key(imdb.reviews_checksum(), repr(config), "word2vec")


def load_word2vec(config: Word2VecConfig = Word2VecConfig()) -> EmbeddingSpace | None:
    """The trained space for ``config`` from the disk cache, or None if not trained yet."""
    arrays = diskcache.read_arrays("word2vec", cache_key(config))  # reads; never writes
    if arrays is None or "vectors" not in arrays or "words" not in arrays:
        return None
    return EmbeddingSpace(arrays["words"].tobytes().decode("utf-8").split("\n"),
                          arrays["vectors"], "word2vec (IMDB)")


def train_word2vec(config: Word2VecConfig, report=None, should_stop=None) -> EmbeddingSpace:
    """Train on the IMDB train reviews; ``report(step, total, loss)`` is called every 50 batches
    and ``should_stop()`` is checked after every batch. The result is cached on disk."""
    import keras

    from core.data import imdb

    keras.utils.set_random_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    ids, doc_of, words = imdb.train_word_ids(config.vocab_size, config.reviews)
    counts = np.bincount(ids[ids >= 0], minlength=config.vocab_size) + 1
    targets, contexts = skipgram_pairs(ids, doc_of, config.window, counts, config.subsample, rng)
    order = rng.permutation(len(targets))
    negatives = rng.choice(config.vocab_size, size=(len(targets), config.negatives),
                           p=negative_table(counts))
    x_context = np.concatenate([contexts[:, None], negatives], axis=1)[order].astype(np.int32)
    x_target = targets[order].astype(np.int32)
    labels = np.zeros(len(x_target), dtype=np.int32)  # the true context is always column 0
    model = build_model(config.vocab_size, config.dim, config.negatives, config.learning_rate)
    total = -(-len(x_target) // config.batch_size) * config.epochs
    model.fit([x_target, x_context], labels, batch_size=config.batch_size, epochs=config.epochs,
              verbose=0, callbacks=[progress_reporter(total, report, should_stop,
                                                      BatchMeans(config.batch_size, len(x_target)))])
    vectors = model.get_layer("target_embedding").get_weights()[0].astype(np.float32)
    if not (should_stop and should_stop()):  # a run stopped early is not kept as "trained"
        blob = np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)
        diskcache.write_arrays("word2vec", cache_key(config), {"words": blob, "vectors": vectors})
    return EmbeddingSpace(words, vectors, "word2vec (IMDB)")


def train_run(store, run_id: int, stop_flag=None) -> dict:
    """The job: train run ``run_id``'s Word2VecConfig, reporting progress to the store."""
    config = Word2VecConfig(**store.get(run_id)["config"])

    def report(step: int, total: int, loss: float) -> None:
        store.log(run_id, "progress", step, {"loss": loss, "total": total})

    train_word2vec(config, report,
                   lambda: bool(stop_flag and stop_flag()) or store.stop_requested(run_id))
    return {"model": str(diskcache.cache_path("word2vec", cache_key(config)))}
