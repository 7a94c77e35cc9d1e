"""Training the IMDB models into the run store: data, a metrics callback, the job, the CLI.

``python -m core.training lstm cnn --epochs 10`` trains presets headless into the same store
the dashboard reads, so a class can be prepared in advance.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

from core import paths
from core.callbacks import store_metrics
from core.models import (KINDS, PRESETS, TrainConfig, build_from_config, make_optimizer,
                         with_available_glove)
from core.runs import RunDiverged, RunStore
from core.worker import run_in_foreground, start_run

KIND = "imdb"  # run kind in the store


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
    callback = store_metrics(store, run_id, len(data["x_train"]), config.batch_size, stop_flag)
    model.fit(data["x_train"], data["y_train"], epochs=config.epochs,
              batch_size=config.batch_size, validation_data=(data["x_val"], data["y_val"]),
              verbose=0, callbacks=[callback])
    if callback.diverged:  # its weights are useless: no model file, no test score
        raise RunDiverged(callback.diverged)
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
    run_id = store.create(KIND, dataclasses.asdict(config), name or config.kind)
    start_run(store, run_id, train_run)
    return run_id


def open_store() -> RunStore:
    """The dashboard's run store for a command line, saying once if a damaged one was moved."""
    store = RunStore()
    if store.moved_aside:
        print(f"The run store was damaged; it was moved to {store.moved_aside} and a fresh one "
              "was started.", file=sys.stderr, flush=True)
    return store


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
    store = open_store()
    changes = {k: v for k, v in (("epochs", args.epochs), ("train_size", args.train_size))
               if v is not None}
    for kind in kinds:
        config = dataclasses.replace(PRESETS[kind], seed=args.seed, fast=args.fast, **changes)
        config, note = with_available_glove(config)
        if note:
            print(note, flush=True)
        run_id = store.create(KIND, dataclasses.asdict(config), f"{kind} (command line)")
        start_time = time.perf_counter()
        try:
            run_in_foreground(store, run_id, train_run)
        except KeyboardInterrupt:
            return 130
        run = store.get(run_id)
        print(f"run {run_id} {kind}: {run['status']} in {time.perf_counter() - start_time:.0f} s "
              f"{run['summary'].get('test_accuracy', '')}{' ' + run['error'] if run['error'] else ''}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
