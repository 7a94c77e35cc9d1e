"""Classical baselines beside the networks: TF-IDF bag of words (or of uni+bigrams) and logistic
regression, scikit-learn, on the same reviews, split and run store as every other classifier.

C is chosen on the validation rows (never on test); each C tried is one point of its curve.
The fitted model is kept as plain arrays (vocabulary, idf, weights) in an ``.npz`` file, loaded
without pickle, and scores new text with the same TF-IDF settings.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from core import paths
from core.classify.models import Architecture, TrainConfig, register
from core.data import imdb

C_GRID = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)  # inverse regularisation tried
TFIDF = dict(min_df=2, sublinear_tf=True)  # as measured in the issue: 0.904 test with bigrams


def vectorizer(ngrams: int, vocabulary=None):
    """The TF-IDF settings of every bag-of-words run (words as Keras splits them), the same
    whether it is fitted or rebuilt from a saved vocabulary (min_df then has nothing to do;
    sublinear tf must stay: without it a reloaded model scored repeated words otherwise)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=lambda t: _grams(t, ngrams), vocabulary=vocabulary, **TFIDF)


def _grams(text: str, ngrams: int) -> list[str]:
    words = imdb.keras_words(text)
    return words + [" ".join(words[i:i + 2]) for i in range(len(words) - 1)] if ngrams == 2 else words


class BowModel:
    """A fitted bag-of-words logistic regression, from arrays only."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray, coef: np.ndarray, intercept: float,
                 ngrams: int):
        self.vocabulary, self.ngrams = vocabulary, ngrams
        self.vectorizer = vectorizer(ngrams, {w: i for i, w in enumerate(vocabulary)})
        self.vectorizer.idf_ = idf
        self.coef, self.intercept = coef, intercept

    def predict_texts(self, texts: list[str]) -> np.ndarray:
        """P(positive) of each text."""
        scores = self.vectorizer.transform(texts) @ self.coef + self.intercept
        return 1 / (1 + np.exp(-scores))

    def known(self, text: str) -> tuple[int, int]:
        """(n-grams of ``text`` in the vocabulary, all its n-grams)."""
        grams = _grams(text, self.ngrams)
        return sum(g in self.vectorizer.vocabulary for g in grams), len(grams)

    def save(self, path: Path) -> None:
        """Save as plain arrays (atomically: a reader never sees half a file)."""
        blob = np.frombuffer("\n".join(self.vocabulary).encode("utf-8"), dtype=np.uint8)
        arrays = dict(vocabulary=blob, idf=self.vectorizer.idf_, coef=self.coef,
                      intercept=np.array([self.intercept]), ngrams=np.array([self.ngrams]))
        paths.atomic_save(path, lambda tmp: np.savez(tmp, **arrays))

    @classmethod
    def load(cls, path: Path) -> "BowModel":
        with np.load(path, allow_pickle=False) as a:
            return cls(a["vocabulary"].tobytes().decode("utf-8").split("\n"), a["idf"], a["coef"],
                       float(a["intercept"][0]), int(a["ngrams"][0]))


def _texts(config: TrainConfig) -> dict:
    reviews, test = imdb.load_imdb_reviews("train"), imdb.load_imdb_reviews("test")
    train, val = imdb.split_rows(config.train_size, config.validation_split)
    return {"train": (list(reviews["text"][train]), reviews["label"].to_numpy()[train]),
            "val": (list(reviews["text"][val]), reviews["label"].to_numpy()[val]),
            "test": (list(test["text"]), test["label"].to_numpy())}


def train_run(store, run_id: int, config: TrainConfig, stop_flag=None) -> dict:
    """The job for the bag-of-words kinds: vectorise, try each C (one curve point each, scored
    on validation), keep the best, score it on test, save it as arrays."""
    from sklearn.linear_model import LogisticRegression

    from core.runs.worker import should_stop

    steps, started = len(C_GRID) + 2, time.perf_counter()
    data = _texts(config)
    vec = vectorizer(config.ngrams)
    x_train = vec.fit_transform(data["train"][0])
    x_val = vec.transform(data["val"][0])
    store.log(run_id, "progress", 1, {"total": steps})
    best, stopping = (-1.0, None, None), should_stop(store, run_id, stop_flag)
    for i, c in enumerate(C_GRID, start=1):
        if stopping():
            return {"params": None}
        t0 = time.perf_counter()
        model = LogisticRegression(C=c, max_iter=1000).fit(x_train, data["train"][1])
        val_acc = float(model.score(x_val, data["val"][1]))
        seconds = time.perf_counter() - t0
        store.log(run_id, "epoch", i, {
            "accuracy": float(model.score(x_train, data["train"][1])), "val_accuracy": val_acc,
            "C": c, "seconds": seconds, "samples": x_train.shape[0],
            "samples_per_s": x_train.shape[0] / seconds, "batches": i, "epoch_x": float(i)})
        store.log(run_id, "progress", i + 1, {"total": steps})
        best = max(best, (val_acc, c, model), key=lambda b: b[0])
    _, c, model = best
    words = vec.get_feature_names_out().tolist()
    fitted = BowModel(words, vec.idf_, model.coef_[0], float(model.intercept_[0]), config.ngrams)
    test_acc = float(np.mean((fitted.predict_texts(data["test"][0]) >= 0.5) == data["test"][1]))
    path = store.file_path(run_id, f"run-{run_id}.npz")
    fitted.save(path)
    store.log(run_id, "progress", steps, {"total": steps})
    return {"params": len(words) + 1, "model": path.name, "train_samples": x_train.shape[0],
            "best_C": c, "test_accuracy": test_acc, "test_at_best": test_acc,
            "best_epoch": C_GRID.index(c) + 1, "seconds": time.perf_counter() - started}


def _describe(config: TrainConfig) -> tuple[list[dict], int | None]:
    grams = "words and word pairs" if config.ngrams == 2 else "words"
    return [{"layer": "tf-idf", "type": f"TfidfVectorizer over {grams}, min_df=2, sublinear tf",
             "output shape": "(None, n-grams kept)", "parameters": "fitted"},
            {"layer": "output", "type": f"LogisticRegression, C from {C_GRID} on validation",
             "output shape": "(None, 1)", "parameters": "one weight per n-gram + 1"}], None


register(Architecture(
    "bow_logreg", "No neural network: TF-IDF of words and word pairs + logistic regression, "
                  "C chosen on validation. The baseline every sequence model has to beat.",
    body=None, preset=dict(ngrams=2), fit=train_run, describe=_describe, family="bag",
    keras=False))
register(Architecture(
    "bow_logreg_unigrams", "The same without word pairs: single words only, order fully "
                           "gone. What do the pairs add?",
    body=None, preset=dict(ngrams=1), fit=train_run, describe=_describe, family="bag",
    keras=False))


BIGRAM_TOKENS = 20_000  # the textbook's bag of bigrams: the commonest words and word pairs kept


def build_bigram_dense(train_texts, max_tokens: int = BIGRAM_TOKENS, units: int = 16):
    """The textbook's bag-of-bigrams network (Chollet, 2nd ed., ch. 11): raw text ->
    TextVectorization(ngrams=2, multi_hot) adapted on ``train_texts`` -> Dense(16, relu) ->
    Dropout(0.5) -> Dense(1, sigmoid)."""
    import keras
    from keras import layers

    vectorize = layers.TextVectorization(max_tokens=max_tokens, ngrams=2,
                                         output_mode="multi_hot", name="bag_of_bigrams")
    vectorize.adapt(list(train_texts))
    inputs = keras.Input(shape=(1,), dtype="string", name="review")
    x = layers.Dense(units, activation="relu", name="dense")(vectorize(inputs))
    outputs = layers.Dense(1, activation="sigmoid", name="output")(
        layers.Dropout(0.5, name="dropout")(x))
    return keras.Model(inputs, outputs, name="bigram_dense")


def train_bigram_dense(store, run_id: int, config: TrainConfig, stop_flag=None) -> dict:
    """The job for bigram_dense: the same rows, callbacks, turns and test scores as the other
    networks; only its input is the raw review text."""
    from core.classify.models import make_optimizer
    from core.classify.training import Feed, train_in_turns

    import tensorflow as tf  # string tensors: Keras takes no numpy array of Python strings

    def prepare():
        texts = _texts(config)
        data = {f"{k}_{part}": (tf.constant(v[0])[:, None] if k == "x" else v[1])
                for part, v in texts.items() for k in ("x", "y")}
        model = build_bigram_dense(texts["train"][0], units=config.units)
        model.compile(optimizer=make_optimizer(config), loss="binary_crossentropy",
                      metrics=["accuracy"])
        return model, Feed(config, data), []

    return train_in_turns(store, run_id, config, stop_flag, prepare, save=save_bigram_dense)


def save_bigram_dense(model, path: Path, store=None, run_id: int | None = None) -> None:
    """Save a trained bigram_dense as its layers after the bag (``path``, a .keras file over
    the multi-hot vector) and its vocabulary beside it (JSON): Keras 3.15 cannot load a saved
    TextVectorization ("repeated term"), so :class:`BigramModel` puts it back together."""
    import keras

    bag = model.get_layer("bag_of_bigrams")
    inputs = keras.Input(shape=(bag.vocabulary_size(),), name="bag")
    x = model.get_layer("dropout")(model.get_layer("dense")(inputs))
    paths.atomic_save(path, keras.Model(inputs, model.get_layer("output")(x),
                                        name=BIGRAM_HEAD).save)
    terms = bag.get_vocabulary(include_special_tokens=False)
    vocab = path.with_suffix(".vocab.json")
    if store is not None:  # recorded with the run, so deleting the run deletes it
        vocab = store.file_path(run_id, vocab.name)
    paths.atomic_write_text(vocab, json.dumps(terms))


BIGRAM_HEAD = "bigram_dense_head"  # the name of a saved bigram_dense's layers after the bag


class BigramModel:
    """A trained bigram_dense from its files: a TextVectorization given the saved vocabulary,
    then the saved layers. Scores text like :class:`BowModel`."""

    def __init__(self, head, terms: list[str]):
        from keras import layers

        seen, unique = set(), []
        for i, term in enumerate(terms):  # a term Keras would refuse (empty, or again) keeps
            unique.append(term if term and term not in seen else f"\x00{i}")  # its column
            seen.add(term)
        self.head = head
        self.count = layers.TextVectorization(ngrams=2, output_mode="count", vocabulary=unique)

    @classmethod
    def load(cls, head, path: Path) -> "BigramModel":
        return cls(head, json.loads(path.with_suffix(".vocab.json").read_text(encoding="utf-8")))

    def _counts(self, texts: list[str]) -> np.ndarray:
        import tensorflow as tf

        return self.count(tf.constant(texts)[:, None]).numpy()  # column 0: unknown n-grams

    def predict_texts(self, texts: list[str]) -> np.ndarray:
        """P(positive) of each text."""
        bag = (self._counts(texts) > 0).astype("float32")  # multi-hot, as trained
        return self.head.predict(bag, verbose=0).reshape(-1)

    def known(self, text: str) -> tuple[int, int]:
        """(n-grams of ``text`` in the vocabulary, all its n-grams)."""
        counts = self._counts([text])[0]
        return int(counts[1:].sum()), int(counts.sum())


train_bigram_dense.takes_turns = True  # asks for a turn per epoch, as the other networks


register(Architecture(
    "bigram_dense", "The textbook's bag of bigrams in Keras: the 20,000 commonest words and word "
                    "pairs as 0/1, then Dense(16). Order is almost gone, and it is fast.",
    body=None, preset=dict(units=16, batch_size=32), fit=train_bigram_dense, family="bag",
    describe=lambda config: ([{"layer": "bag_of_bigrams", "type": "TextVectorization(ngrams=2, "
                               f"max_tokens={BIGRAM_TOKENS}, multi_hot)",
                               "output shape": f"(None, {BIGRAM_TOKENS})",
                               "parameters": 0},
                              {"layer": "dense", "type": f"Dense({config.units}, relu) + "
                               "Dropout(0.5)", "output shape": f"(None, {config.units})",
                               "parameters": BIGRAM_TOKENS * config.units + config.units},
                              {"layer": "output", "type": "Dense(1, sigmoid)",
                               "output shape": "(None, 1)", "parameters": config.units + 1}],
                             BIGRAM_TOKENS * config.units + 2 * config.units + 1)))
