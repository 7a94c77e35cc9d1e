"""Training the IMDB models into the run store: data, a metrics callback, the job, the CLI.

``python -m core.training lstm cnn --epochs 10`` trains presets headless into the same store
the dashboard reads, so a class can be prepared in advance.
"""
from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import time
from pathlib import Path

import numpy as np

from core import paths
from core.models import (KINDS, PRESETS, TrainConfig, build_from_config, make_optimizer,
                         with_available_glove)
from core.runs import RunStore

KIND = "imdb"  # run kind in the store
BATCH_LOG_SECONDS = 0.25  # at most 4 batch records a second: cheap, and smooth enough to watch
STOP_POLL_SECONDS = 0.5  # how often the store is asked whether another process said stop


def prepare_data(config: TrainConfig) -> dict[str, np.ndarray]:
    """Train / validation / test arrays for ``config``: the first ``train_size`` reviews of
    Keras's shuffled train split, the last ``validation_split`` of them held out (as ``fit``'s
    ``validation_split`` does), and all 25,000 test reviews."""
    from core.imdb import load_imdb

    (x, y), (x_test, y_test) = load_imdb(num_words=config.num_words, maxlen=config.maxlen)
    x, y = x[:config.train_size], y[:config.train_size]
    n_train = int(len(x) * (1 - config.validation_split))
    if config.fast:  # whole batches only: a ragged last batch would make XLA compile again
        n_train -= n_train % config.batch_size
    return {"x_train": x[:n_train], "y_train": y[:n_train],
            "x_val": x[-int(len(x) * config.validation_split):],
            "y_val": y[-int(len(x) * config.validation_split):],
            "x_test": x_test, "y_test": y_test}


def glove_matrix(config: TrainConfig) -> np.ndarray:
    """The frozen GloVe embedding matrix for Keras IMDB ids below ``num_words``."""
    from core import glove, imdb
    from core.embeddings import embedding_matrix

    words = imdb.words_by_id(config.num_words)
    return embedding_matrix(words, glove.load_glove(config.embedding_dim), config.num_words)[0]


def model_path(run_id: int, store: RunStore | None = None) -> Path:
    """Where run ``run_id``'s trained model is saved: beside its store's file (by default the
    dashboard's store in ``paths.runs_dir``), so two stores never share a model file."""
    folder = store.path.parent if store is not None else paths.runs_dir()
    return folder / "models" / f"run-{run_id}.keras"


def _callback_class():
    import keras

    class StoreMetrics(keras.callbacks.Callback):
        """Writes batch and epoch metrics to the run store as plain floats; stops when asked."""

        def __init__(self, store: RunStore, run_id: int, n_train: int, batch_size: int,
                     stop_flag=None):
            super().__init__()
            self.store, self.run_id, self.n_train = store, run_id, n_train
            self.batch_size = batch_size
            self.stop_flag = stop_flag or (lambda: False)
            self.step, self.last_log, self.last_poll = 0, 0.0, 0.0

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch_start, self.epoch_batches = time.perf_counter(), 0

        def on_train_batch_end(self, batch, logs=None):
            self.step += 1
            self.epoch_batches += 1
            now = time.perf_counter()
            if now - self.last_log >= BATCH_LOG_SECONDS or self.step == 1:
                self.last_log = now
                self.store.log(self.run_id, "batch", self.step, _floats(logs))
            if self.stop_flag() or (now - self.last_poll >= STOP_POLL_SECONDS and
                                    self._store_says_stop(now)):
                self.model.stop_training = True

        def _store_says_stop(self, now: float) -> bool:
            self.last_poll = now
            return self.store.stop_requested(self.run_id)

        def on_epoch_end(self, epoch, logs=None):
            """One record per epoch; an epoch cut short by Stop says so ("partial") and counts
            only the reviews it trained on."""
            seconds = time.perf_counter() - self.epoch_start
            samples = min(self.epoch_batches * self.batch_size, self.n_train)
            self.store.log(self.run_id, "epoch", epoch + 1, {
                **_floats(logs), "seconds": seconds, "samples": samples,
                "samples_per_s": samples / seconds, "batches": self.step,
                **({"partial": 1.0} if samples < self.n_train else {})})

    return StoreMetrics


def _floats(logs) -> dict[str, float]:
    return {k: float(v) for k, v in (logs or {}).items() if _finite_number(v)}


def _finite_number(v) -> bool:
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def train_run(store: RunStore, run_id: int, stop_flag=None) -> dict:
    """The job: train run ``run_id``'s config, save the model, evaluate on the test reviews."""
    import keras

    config = TrainConfig(**store.get(run_id)["config"])
    keras.utils.set_random_seed(config.seed)
    data = prepare_data(config)
    matrix = glove_matrix(config) if config.kind == "glove_dense" else None
    model = build_from_config(config, matrix)
    model.compile(optimizer=make_optimizer(config), loss="binary_crossentropy",
                  metrics=["accuracy"], jit_compile=config.fast)
    callback = _callback_class()(store, run_id, len(data["x_train"]), config.batch_size,
                                 stop_flag)
    model.fit(data["x_train"], data["y_train"], epochs=config.epochs,
              batch_size=config.batch_size, validation_data=(data["x_val"], data["y_val"]),
              verbose=0, callbacks=[callback])
    path = model_path(run_id, store)
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    summary = {"params": int(model.count_params()), "model": path.name,
               "train_samples": len(data["x_train"])}
    if not model.stop_training:  # a stopped run keeps its curve; testing it would mislead
        loss, acc = model.evaluate(data["x_test"], data["y_test"], batch_size=512, verbose=0)
        summary.update(test_loss=float(loss), test_accuracy=float(acc))
    return summary


def start(store: RunStore, config: TrainConfig, name: str | None = None) -> int:
    """Queue a run of ``config`` in a background worker; returns its id."""
    from core.worker import start_run

    run_id = store.create(KIND, dataclasses.asdict(config), name or config.kind)
    start_run(store, run_id, train_run)
    return run_id


def main(argv: list[str] | None = None) -> int:
    """Train presets headless into the run store, one after another."""
    parser = argparse.ArgumentParser(prog="python -m core.training", description=__doc__)
    parser.add_argument("kinds", nargs="+", choices=KINDS + ("all",))
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--train-size", type=int)
    parser.add_argument("--fast", action="store_true", help="XLA compilation, whole batches")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    kinds = KINDS if "all" in args.kinds else args.kinds
    store = RunStore()
    changes = {k: v for k, v in (("epochs", args.epochs), ("train_size", args.train_size))
               if v is not None}
    for kind in kinds:
        config = dataclasses.replace(PRESETS[kind], seed=args.seed, fast=args.fast, **changes)
        config, note = with_available_glove(config)
        if note:
            print(note, flush=True)
        run_id = store.create(KIND, dataclasses.asdict(config), f"{kind} (command line)")
        store.start(run_id)
        start_time = time.perf_counter()
        try:
            summary = train_run(store, run_id)
            store.finish(run_id, "stopped" if store.stop_requested(run_id) else "finished",
                         summary=summary)
        except KeyboardInterrupt:
            store.finish(run_id, "stopped", error="interrupted from the keyboard")
            return 130
        except Exception as error:  # recorded for the dashboard, then the next preset
            store.finish(run_id, "failed", error=f"{type(error).__name__}: {error}")
        run = store.get(run_id)
        print(f"run {run_id} {kind}: {run['status']} in {time.perf_counter() - start_time:.0f} s "
              f"{run['summary'].get('test_accuracy', '')}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
