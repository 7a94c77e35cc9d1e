"""Word2vec with negative sampling, trained in Keras on IMDB reviews, both ways the lecture names:
skip-gram (predict the neighbours of the k-th word) and CBOW (continuous bag of words: predict
the k-th word from the average of its neighbours)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import paths
from core.data import diskcache
from core.embeddings import motion
from core.embeddings.space import EmbeddingSpace
from core.runs.callbacks import BatchMeans, progress_reporter

KIND = "word2vec"  # run kind in the store
METHODS = ("skipgram", "cbow")


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
    method: str = "skipgram"  # "skipgram" or "cbow" (see the module docstring)

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
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
    ids, doc_of = _subsampled(ids, doc_of, counts, subsample, rng)
    reach = rng.integers(1, window + 1, size=len(ids))
    targets, contexts = [], []
    for d in range(1, window + 1):
        same = doc_of[:-d] == doc_of[d:]
        forward = same & (reach[:-d] >= d)  # target i sees i + d
        backward = same & (reach[d:] >= d)  # target i + d sees i
        targets += [ids[:-d][forward], ids[d:][backward]]
        contexts += [ids[d:][forward], ids[:-d][backward]]
    return np.concatenate(targets), np.concatenate(contexts)


def cbow_windows(ids: np.ndarray, doc_of: np.ndarray, window: int, counts: np.ndarray,
                 subsample: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(contexts (n, 2 * window), targets (n,)): every word whose ``window`` words on each side
    lie in its own document, after the same subsampling as skip-gram."""
    ids, doc_of = _subsampled(ids, doc_of, counts, subsample, rng)
    span = 2 * window + 1
    if len(ids) < span:
        return np.zeros((0, 2 * window), ids.dtype), np.zeros(0, ids.dtype)
    windows = np.lib.stride_tricks.sliding_window_view(ids, span)
    docs = np.lib.stride_tricks.sliding_window_view(doc_of, span)
    whole = (docs == docs[:, :1]).all(axis=1)  # the window never crosses into another review
    windows = windows[whole]
    return np.delete(windows, window, axis=1), windows[:, window]


def _subsampled(ids, doc_of, counts, subsample, rng):
    """Unknown words dropped, and frequent words dropped with probability 1 - sqrt(t / f)."""
    freq = counts / counts.sum()
    keep_p = np.minimum(1.0, np.sqrt(subsample / np.maximum(freq, 1e-12)) + subsample / np.maximum(freq, 1e-12))
    keep = (ids >= 0) & (rng.random(len(ids)) < keep_p[np.maximum(ids, 0)])
    return ids[keep], doc_of[keep]


def negative_table(counts: np.ndarray) -> np.ndarray:
    """Sampling probabilities for negatives: unigram counts ** 0.75, normalised."""
    p = counts.astype(np.float64) ** 0.75
    return p / p.sum()


def build_model(vocab_size: int, dim: int, negatives: int, learning_rate: float):
    """Skip-gram: target id and (1 + negatives) context ids -> one logit per context."""
    import keras
    from keras import layers

    target = keras.Input(shape=(), dtype="int32", name="target")
    context = keras.Input(shape=(1 + negatives,), dtype="int32", name="context")
    word = layers.Embedding(vocab_size, dim, name="word_vectors")(target)
    return _scored([target, context], word, context, vocab_size, dim, learning_rate, "skipgram")


def build_cbow_model(vocab_size: int, dim: int, window: int, negatives: int,
                     learning_rate: float):
    """CBOW: 2 * window context ids, averaged, and (1 + negatives) candidate middle words ->
    one logit per candidate (the true middle word is candidate 0)."""
    import keras
    from keras import layers

    context = keras.Input(shape=(2 * window,), dtype="int32", name="context")
    candidates = keras.Input(shape=(1 + negatives,), dtype="int32", name="candidates")
    average = layers.GlobalAveragePooling1D(name="average")(
        layers.Embedding(vocab_size, dim, name="word_vectors")(context))
    return _scored([context, candidates], average, candidates, vocab_size, dim, learning_rate,
                   "cbow")


def _scored(inputs, vector, candidates, vocab_size: int, dim: int, learning_rate: float, name):
    """Both methods' head: ``vector`` dotted with each candidate's output vector, softmax over
    the candidates (negative sampling as a (1 + negatives)-way choice), compiled with Adam."""
    import keras
    from keras import layers

    out = layers.Embedding(vocab_size, dim, name="output_vectors")(candidates)
    logits = layers.Dot(axes=(1, 2))([vector, out])  # (batch, 1 + negatives)
    model = keras.Model(inputs, logits, name=name)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def training_data(config: Word2VecConfig, ids, doc_of, counts, rng):
    """Model inputs and labels for ``config.method``: the true word is always candidate 0,
    followed by ``negatives`` words drawn from the unigram distribution ** 0.75."""
    if config.method == "cbow":
        first, true = cbow_windows(ids, doc_of, config.window, counts, config.subsample, rng)
    else:
        first, true = skipgram_pairs(ids, doc_of, config.window, counts, config.subsample, rng)
    order = rng.permutation(len(true))
    negatives = rng.choice(config.vocab_size, size=(len(true), config.negatives),
                           p=negative_table(counts))
    candidates = np.concatenate([true[:, None], negatives], axis=1)[order].astype(np.int32)
    return [first[order].astype(np.int32), candidates], np.zeros(len(true), dtype=np.int32)


def cache_key(config: Word2VecConfig) -> str:
    from core.data import imdb

    return diskcache.cache_key(imdb.reviews_checksum(), repr(config), "word2vec")


def load_word2vec(config: Word2VecConfig = Word2VecConfig()) -> EmbeddingSpace | None:
    """The trained space for ``config`` from the disk cache, or None if not trained yet."""
    arrays = diskcache.read_arrays("word2vec", cache_key(config))  # reads; never writes
    if arrays is None or "vectors" not in arrays or "words" not in arrays:
        return None
    return EmbeddingSpace(arrays["words"].tobytes().decode("utf-8").split("\n"),
                          arrays["vectors"], space_name(config))


def save_space(space: EmbeddingSpace, path) -> None:
    """Write a trained space as plain arrays (words as UTF-8 lines), atomically."""
    blob = np.frombuffer("\n".join(space.words).encode("utf-8"), dtype=np.uint8)
    paths.atomic_save(path, lambda tmp: np.savez(tmp, words=blob, vectors=space.vectors))


def load_space(path, name: str) -> EmbeddingSpace | None:
    """A space written by :func:`save_space` (None when the file is missing or damaged)."""
    try:
        with np.load(path, allow_pickle=False) as a:
            return EmbeddingSpace(a["words"].tobytes().decode("utf-8").split("\n"),
                                  a["vectors"], name)
    except (OSError, ValueError, KeyError):
        return None


def train_word2vec(config: Word2VecConfig, report=None, should_stop=None, snapshot_to=None
                   ) -> EmbeddingSpace:
    """Train on the IMDB train reviews; ``report(step, total, loss)`` is called every 50 batches
    and ``should_stop()`` is checked after every batch. The result is cached on disk."""
    import keras

    from core.data import imdb

    keras.utils.set_random_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    ids, doc_of, words = imdb.train_word_ids(config.vocab_size, config.reviews)
    counts = np.bincount(ids[ids >= 0], minlength=config.vocab_size) + 1
    inputs, labels = training_data(config, ids, doc_of, counts, rng)
    model = (build_cbow_model(config.vocab_size, config.dim, config.window, config.negatives,
                              config.learning_rate) if config.method == "cbow" else
             build_model(config.vocab_size, config.dim, config.negatives, config.learning_rate))
    total = -(-len(labels) // config.batch_size) * config.epochs
    callbacks = [progress_reporter(total, report, should_stop,
                                   BatchMeans(config.batch_size, len(labels)))]
    if snapshot_to is not None:  # the teaching words' vectors at every epoch
        position = {w: i for i, w in enumerate(words)}
        known = [w for w in motion.teaching_words(snapshot_to.parent.parent)[0] if w in position]
        callbacks.append(motion.snapshot_callback(snapshot_to, "word_vectors",
                                                  np.array([position[w] for w in known]), known))
    model.fit(inputs, labels, batch_size=config.batch_size, epochs=config.epochs, verbose=0,
              callbacks=callbacks)
    vectors = model.get_layer("word_vectors").get_weights()[0].astype(np.float32)
    if not (should_stop and should_stop()):  # a run stopped early is not kept as "trained"
        blob = np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)
        diskcache.write_arrays("word2vec", cache_key(config), {"words": blob, "vectors": vectors})
    return EmbeddingSpace(words, vectors, space_name(config))


def space_name(config: Word2VecConfig) -> str:
    return f"word2vec {'CBOW' if config.method == 'cbow' else 'skip-gram'} (IMDB)"


def train_run(store, run_id: int, stop_flag=None) -> dict:
    """The job: train run ``run_id``'s Word2VecConfig, reporting progress to the store; its
    summary keeps the cost (seconds per epoch, the last batches' loss) for comparisons."""
    import time

    from core.runs.worker import Shares, should_stop

    config = Word2VecConfig(**store.get(run_id)["config"])

    def report(step: int, total: int, loss: float) -> None:
        store.log(run_id, "progress", step, {"loss": loss, "total": total})

    started = time.perf_counter()
    stopping = should_stop(store, run_id, stop_flag)
    shares = Shares(run_id, stopping)  # a long fit hands the machine on when others wait
    space = train_word2vec(config, report, shares.stopping_or_stopped_while_waiting,
                           store.file_path(run_id,
                                           motion.snapshot_path(run_id, store.path.parent).name))
    seconds = time.perf_counter() - started
    losses = [p["loss"] for p in store.metrics(run_id, "progress")][-5:]
    if stopping():
        return {"seconds": seconds}
    path = store.file_path(run_id, f"run-{run_id}.w2v.npz")  # the run's product, in its folder
    save_space(space, path)
    return {"model": path.name,
            "seconds": seconds, "seconds_per_epoch": seconds / config.epochs,
            "final_loss": float(np.mean(losses)) if losses else None}


def cost_row(run: dict) -> dict:
    """A finished word2vec run's line in the cost comparison: method, settings, time, loss."""
    c, s = run["config"], run["summary"]
    return {"run": run["id"], "method": "CBOW" if c.get("method") == "cbow" else "skip-gram",
            "reviews": c["reviews"], "dim": c["dim"], "window": c["window"],
            "epochs": c["epochs"],
            "s per epoch (with data)": round(s["seconds_per_epoch"], 1) if s.get("seconds_per_epoch") else None,
            "final loss": round(s["final_loss"], 3) if s.get("final_loss") is not None else None}


NEAREST = '''"""The nearest words in this word2vec space: python nearest.py wonderful [k]
(numpy only, no lab). vectors.txt is in GloVe's text format: a word, then its numbers."""
import sys
from pathlib import Path

import numpy as np

lines = (Path(__file__).parent / "vectors.txt").read_text(encoding="utf-8").splitlines()
words = [line.split(" ", 1)[0] for line in lines]
vectors = np.array([line.split(" ")[1:] for line in lines], dtype="float32")
unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
index = {w: i for i, w in enumerate(words)}


def nearest(word, k=10):
    """The k words with the highest cosine similarity to ``word``, and their scores."""
    scores = unit @ unit[index[word]]
    return [(words[i], round(float(scores[i]), 4)) for i in np.argsort(-scores, kind="stable")
            if i != index[word]][:k]


if __name__ == "__main__":
    word = (sys.argv[1:] or ["wonderful"])[0].lower()
    if word not in index:
        raise SystemExit(f"{word!r} is not in this space's {len(words):,} words")
    for w, s in nearest(word, int((sys.argv[2:] or [10])[0])):
        print(f"{s:.4f}  {w}")
'''


def bundle(path) -> bytes:
    """A trained space to take home: ``vectors.txt`` (GloVe's text format, read by numpy, or by
    the Embeddings page's code) and ``nearest.py``."""
    import io
    import zipfile

    space = load_space(path, "word2vec")
    if space is None:
        raise ValueError("this run's space file is missing or damaged")
    text = "".join(w + " " + " ".join(f"{v:.6f}" for v in row) + "\n"
                   for w, row in zip(space.words, space.vectors))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("vectors.txt", text)
        z.writestr("nearest.py", NEAREST)
    return buffer.getvalue()
