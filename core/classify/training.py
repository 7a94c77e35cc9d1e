"""Training the IMDB classifiers into the run store: their data, the job, where models go.

``python -m core train lstm cnn --epochs 10`` (core/cli.py) runs it headless into the same
store the dashboard reads, so a class can be prepared in advance.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from core import paths
from core.classify.buckets import as_dataset, bucket_bounds, epoch_batches, lengths
from core.classify.costs import cudnn_report
from core.classify.models import (ARCHITECTURES, TrainConfig, build_from_config, make_optimizer,
                                  speedups)
from core.runs.callbacks import best_weights, store_metrics, validate_unless_stopped
from core.runs.store import RunDiverged, RunStore
from core.runs.worker import TURNS, should_stop

KIND = "imdb"  # run kind in the store


def prepare_data(config: TrainConfig) -> dict[str, np.ndarray]:
    """Train / validation / test arrays for ``config``: the first ``train_size`` reviews of
    Keras's shuffled train split, the last ``validation_split`` of them held out (as ``fit``'s
    ``validation_split`` does), and all 25,000 test reviews."""
    from core.data.imdb import load_imdb, split_rows

    (x, y), (x_test, y_test) = load_imdb(num_words=config.num_words, maxlen=config.maxlen)
    train, val = split_rows(config.train_size, config.validation_split)
    return {"x_train": x[train], "y_train": y[train], "x_val": x[val], "y_val": y[val],
            "x_test": x_test, "y_test": y_test}


def warm(config: TrainConfig) -> None:
    """Load what a run of ``config`` reads before its first batch and keeps for the next ones
    (the parsed IMDB arrays and Keras's order of them): a page calls it in the background when
    it opens, so the first race of a lab's life starts as soon as later ones. Imports nothing
    (call :func:`prepare_data`'s imports first: a module imported in two threads at once can
    deadlock, as TensorFlow's do). Missing data is left for the run to report."""
    from core.data.datasets import DatasetUnavailable

    try:
        prepare_data(config)
    except DatasetUnavailable:
        pass


def glove_matrix(config: TrainConfig) -> np.ndarray:
    """The frozen GloVe embedding matrix for Keras IMDB ids below ``num_words``."""
    from core.data import imdb
    from core.embeddings import glove
    from core.embeddings.space import embedding_matrix

    words = imdb.words_by_id(config.num_words)
    return embedding_matrix(words, glove.load_glove(config.embedding_dim), config.num_words)[0]


def model_path(run_id: int, store: RunStore | None = None) -> Path:
    """Where run ``run_id``'s trained model is saved: beside its store's file (by default the
    dashboard's store in ``paths.runs_dir``), so two stores never share a model file."""
    folder = store.path.parent if store is not None else paths.runs_dir()
    return folder / "models" / f"run-{run_id}.keras"


def snapshots(store, run_id: int, config: TrainConfig):
    """The callback keeping the teaching words' Embedding rows at every epoch (the words this
    run's vocabulary knows), for the Embeddings page's moving map."""
    from core.data import datasets, imdb
    from core.embeddings import motion

    words, _ = motion.teaching_words(store.path.parent)
    try:
        ids = imdb.word_ids(words, config.num_words)
    except datasets.DatasetUnavailable:  # no word index here: no moving map, the run goes on
        return None
    known = [(w, i) for w, i in zip(words, ids) if i != 2]
    path = store.file_path(run_id, motion.snapshot_path(run_id, store.path.parent).name)
    return motion.snapshot_callback(path, "embedding",
                                    np.array([i for _, i in known]), [w for w, _ in known])


class Feed:
    """What ``fit`` and ``evaluate`` read for ``config``: the padded arrays as they are, or,
    when its speed-ups say so, length buckets (whole training batches, reshuffled each epoch)."""

    def __init__(self, config: TrainConfig, data: dict):
        self.config, self.data = config, data
        self.bounds = None
        if speedups(config)["buckets"]:
            self.bounds = bucket_bounds(lengths(data["x_train"]), config.maxlen,
                                        ARCHITECTURES[config.kind].min_maxlen)
        n = len(data["x_train"])
        self.n_train = n if self.bounds is None else n - n % config.batch_size  # per epoch
        self.validation = self._split("val")

    def _split(self, split: str, rng=None):
        x, y = self.data[f"x_{split}"], self.data[f"y_{split}"]
        if self.bounds is None:
            return x, y
        return as_dataset(epoch_batches(
            x, y, self.bounds, self.config.batch_size, rng, whole=split == "train"))

    def fit(self, model, epoch: int, callbacks: list) -> None:
        """Train ``model`` for epoch ``epoch`` (0-based); ``callbacks`` validate at its end
        (:func:`validate_unless_stopped` on ``self.validation``)."""
        if self.bounds is None:  # validation: the callbacks' validate_unless_stopped
            model.fit(self.data["x_train"], self.data["y_train"], initial_epoch=epoch,
                      epochs=epoch + 1, batch_size=self.config.batch_size, verbose=0,
                      callbacks=callbacks)
            return
        rng = np.random.default_rng((self.config.seed, epoch))
        model.fit(self._split("train", rng), initial_epoch=epoch, epochs=epoch + 1, verbose=0,
                  callbacks=callbacks, shuffle=False)

    def evaluate(self, model, split: str = "test") -> tuple[float, float]:
        """(loss, accuracy) of ``model`` on ``split``."""
        if self.bounds is None:
            x, y = self._split(split)
            return tuple(model.evaluate(x, y, batch_size=512, verbose=0))
        return tuple(model.evaluate(self._split(split), verbose=0))


def epoch_seed(seed: int, epoch: int) -> int:
    """The global seed set at the start of epoch ``epoch``'s turn: it depends only on the
    run's own seed, so runs racing in one process do not shuffle each other's batches."""
    return seed if epoch == 0 else (seed * 1_000_003 + epoch) % 2 ** 31


def fit_taking_turns(model, feed: Feed, config: TrainConfig, callbacks: list, run_id, stopping,
                     start: int = 0) -> int:
    """``model.fit`` one epoch per turn of the machine (runs in a race share it epoch by epoch,
    the worker's turns going round their owners), from epoch ``start`` (0-based); returns the
    number of whole epochs trained."""
    import keras

    for epoch in range(start, config.epochs):
        with TURNS.turn(run_id, stopping) as mine:
            if not mine:
                return epoch
            keras.utils.set_random_seed(epoch_seed(config.seed, epoch))
            feed.fit(model, epoch, callbacks)
        if model.stop_training:  # stopped or diverged during this epoch
            return epoch
    return config.epochs


def train_in_turns(store, run_id: int, config: TrainConfig, stop_flag, prepare, save=None
                   ) -> dict:
    """The Keras kinds' job: ``prepare() -> (model, feed, extra callbacks)`` runs in the run's
    first turn, right after its seed is set, so a queued run holds no data and no model, and
    its initial weights depend on its own seed alone; then the epochs, one turn each; then
    :func:`finish_keras_run` (with ``save``)."""
    import keras

    stopping = should_stop(store, run_id, stop_flag)
    with TURNS.turn(run_id, stopping) as mine:
        if not mine:  # stopped while waiting for its first turn
            return {}
        keras.utils.set_random_seed(epoch_seed(config.seed, 0))
        model, feed, extra = prepare()
        callback = store_metrics(store, run_id, feed.n_train, config.batch_size, stop_flag)
        best = best_weights("val_accuracy")
        callbacks = [validate_unless_stopped(feed.validation), callback, best, *extra]
        feed.fit(model, 0, callbacks)
    done = 0 if model.stop_training else fit_taking_turns(
        model, feed, config, callbacks, run_id, stopping, start=1)
    return finish_keras_run(store, run_id, model, feed, best, done, config, callback, save)


def test_scores(model, feed: Feed, best, epochs: int) -> dict:
    """Test loss and accuracy after the last epoch, and accuracy with the weights of the best
    validation epoch (``best``: a :func:`best_weights` callback after fitting)."""
    loss, acc = feed.evaluate(model)
    scores = {"test_loss": float(loss), "test_accuracy": float(acc), "best_epoch": best.epoch,
              "test_at_best": float(acc)}
    if best.weights is not None and best.epoch != epochs:
        model.set_weights(best.weights)
        scores["test_at_best"] = float(feed.evaluate(model)[1])
    return scores


def train_run(store: RunStore, run_id: int, stop_flag=None) -> dict:
    """The job: train run ``run_id``'s config, save the model, evaluate on the test reviews."""
    config = TrainConfig(**store.get(run_id)["config"])
    stopping = should_stop(store, run_id, stop_flag)
    fit = ARCHITECTURES[config.kind].fit
    if fit is not None and getattr(fit, "takes_turns", False):  # its own per-epoch turns
        return fit(store, run_id, config, stop_flag)
    if fit is not None:  # not a Keras model: one turn for all of it
        with TURNS.turn(run_id, stopping) as mine:
            return fit(store, run_id, config, stop_flag) if mine else {}

    def prepare():
        data = prepare_data(config)
        matrix = glove_matrix(config) if ARCHITECTURES[config.kind].pretrained else None
        model = build_from_config(config, matrix)
        model.compile(optimizer=make_optimizer(config), loss="binary_crossentropy",
                      metrics=["accuracy"], jit_compile=speedups(config)["xla"])
        return model, Feed(config, data), [c for c in [snapshots(store, run_id, config)] if c]

    return train_in_turns(store, run_id, config, stop_flag, prepare)


def finish_keras_run(store, run_id, model, feed: Feed, best, done: int, config, callback,
                     save=None) -> dict:
    """After fitting: refuse a diverged run, save the model (``save(model, path, store,
    run_id)`` if given, else :func:`save_keras`), score a complete run on test (after its last epoch and at
    its best validation epoch); the run's summary."""
    if callback.diverged:  # its weights are useless: no model file, no test score
        raise RunDiverged(callback.diverged)
    summary = {"params": int(model.count_params()), "train_samples": feed.n_train}
    cudnn = cudnn_report(config, on_gpu())
    if cudnn:
        summary["cudnn"] = cudnn
    path = store.file_path(run_id, model_path(run_id, store).name)
    (save or save_keras)(model, path, store, run_id)
    summary["model"] = path.name  # in <store>/models
    if done == config.epochs:  # a stopped run keeps its curve; testing it would mislead
        summary.update(test_scores(model, feed, best, done))
    return summary


def save_keras(model, path: Path, store=None, run_id: int | None = None) -> None:
    """Keras's own ``model.save``, atomically (a reader never sees half a file)."""
    paths.atomic_save(path, model.save)


def on_gpu() -> bool:
    """Whether TensorFlow sees a GPU in this process (on a cluster: the one Ray gave the job)."""
    import tensorflow as tf

    return bool(tf.config.list_physical_devices("GPU"))


BAG_OF_BIGRAMS_BELOW = 1500  # Chollet, DLwP 2nd ed., ch. 11: the samples / words-per-sample ratio


def samples_to_words(config: TrainConfig) -> dict:
    """The textbook's rule of thumb on the reviews ``config`` actually trains on: training
    samples divided by the mean words per sample. Below about 1,500, a bag-of-bigrams model
    is expected to beat sequence models; above, sequence models start to win."""
    from core.data import imdb

    n_train = imdb.split_rows(config.train_size, config.validation_split)[0].stop
    mean_words = float(imdb.train_word_counts()[:n_train].mean())
    ratio = n_train / mean_words
    return {"samples": n_train, "mean_words": mean_words, "ratio": ratio,
            "threshold": BAG_OF_BIGRAMS_BELOW, "bag_of_bigrams_expected": ratio < BAG_OF_BIGRAMS_BELOW}


train_run.takes_turns = True  # it asks the worker for a turn per epoch (see fit_taking_turns)


def race_at(runs: list[dict], train_size: int) -> dict[str, tuple[str, float]]:
    """What finished runs on ``train_size`` reviews show, by family ("bag", "sequence",
    "flat"): the kind with the best test accuracy at its best validation epoch, and that score."""
    best: dict[str, tuple[str, float]] = {}
    for run in runs:
        kind, score = run["config"].get("kind"), run["summary"].get("test_at_best")
        if (run["status"] != "finished" or score is None or kind not in ARCHITECTURES
                or run["config"].get("train_size") != train_size):
            continue
        family = ARCHITECTURES[kind].family
        if family not in best or score > best[family][1]:
            best[family] = (kind, score)
    return best
