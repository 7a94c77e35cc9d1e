"""The run store, its shared snapshot, and what the runs trained: models loaded in safe mode, their
spaces, their traces and their code."""
from __future__ import annotations

import json
import threading

import streamlit as st


def run_store():
    """The shared persistent run store (one per runs folder)."""
    from core import paths

    return _run_store(str(paths.runs_dir()))


@st.cache_resource(show_spinner=False)
def _run_store(folder: str):
    from core.runs.store import RunStore

    return RunStore(f"{folder}/runs.sqlite")


SNAPSHOT_TICK = 0.75  # seconds: a little less than a live panel's poll (run_panel's
# ACTIVE_POLL_SECONDS, 1 s), so that every poll reads a new snapshot; at 1 s a poll that came a
# moment early reused the last one, and a new point waited up to 2 s to be drawn


def snapshot(store, fresh: bool = False):
    """The store as every session sees it this tick: read once per tick for all sessions
    (``core.runs.snapshot``); ``fresh`` reads it now (a whole page's run, after a user's
    action). Read-only."""
    return _shared_snapshot(str(store.path), store).current(fresh)


@st.cache_resource(show_spinner=False)
def _shared_snapshot(path: str, _store):
    from core.runs.snapshot import SharedSnapshot

    return SharedSnapshot(_store, tick=SNAPSHOT_TICK)


@st.cache_data(show_spinner=False, ttl=1.0)
def cluster_capacity() -> dict[str, float]:
    """The Ray cluster's room now, asked once a second for every viewer."""
    from core.runs import cluster

    return cluster.capacity()


@st.cache_resource(show_spinner=False, max_entries=64)
def per_version(what: str, version: int, args: tuple, _build):
    """``_build()``, built once per snapshot version for every session asking for the same
    ``what`` and ``args`` (a chart or table of live runs), and shared: never change it."""
    return _build()


@st.cache_resource(show_spinner=False)
def warm_training(_config) -> threading.Thread:
    """Once per server: ``core.classify.training.warm`` for the settings of the first page that
    asks, in a background thread (a first race's runs then skip the data's first load; later
    settings differ only in a cheap padding). Its modules are imported here, in the page's
    thread."""
    from core.classify import training
    from core.data import datasets, imdb  # noqa: F401  (what warm uses, imported first)

    thread = threading.Thread(target=training.warm, args=(_config,), daemon=True,
                              name="warm-training")
    thread.start()
    return thread


def shared(what: str, args: tuple, build):
    """``build()`` once for every session asking for the same ``what`` and ``args`` (which must
    name everything the result is made from), and shared: never change it. For what changes
    less often than the snapshot (a cost table changes when an epoch ends, not every batch)."""
    return per_version(what, 0, args, build)


@st.cache_data(show_spinner="Building the model (the first time imports TensorFlow)…")
def model_summary(config) -> tuple[list[dict], int]:
    """Layers of the model ``config`` builds: name, output shape, parameters; and the total."""
    from core.classify import models

    return models.summary(config)


@st.cache_data(show_spinner="Writing the code…", max_entries=64)
def train_cells(config, measured: dict | None) -> list:
    """Train & compare's code for ``config`` (``core.classify.code.train_cells``)."""
    from core.classify import code

    return code.train_cells(config, measured)


@st.cache_data(show_spinner="Writing the code…", max_entries=64)
def char_cells(config, vocab: int, measured: dict | None, prime: str, temperature: float,
               length: int) -> list:
    """Generate text's code for a char model (``core.language.code.char_cells``)."""
    from core.language import code

    return code.char_cells(config, vocab, measured, prime, temperature, length)


def trained_model(run_id: int):
    """Run ``run_id``'s saved model (Keras in safe mode, or a baseline's arrays); read-only.
    Cached by the file (its path and time), not the run id: another store's run of the same
    id, or a file written again, is another model."""
    store = run_store()
    path = store.model_path(store.get(run_id))
    if path is None:
        raise ValueError(f"run {run_id} saved no model")
    return _model_file(str(path), path.stat().st_mtime if path.is_file() else None)


@st.cache_resource(show_spinner="Loading the trained model…", max_entries=16)
def _model_file(path: str, mtime: float | None):  # noqa: ARG001  (part of the key)
    from core.classify import inference

    return inference.load_trained(path)


def _model_key(run: dict) -> tuple[str, float | None]:
    path = run_store().model_path(run)
    if path is None:
        raise ValueError(f"run {run['id']} saved no model")
    return str(path), path.stat().st_mtime if path.is_file() else None


def review_verdicts(runs: list[dict], text: str) -> list[dict]:
    """``core.classify.inference.verdicts`` of ``runs`` for ``text``, each run's answer kept
    by its model file and the text: a page rerun (a press of Race, a new run finishing) asks
    only the models it has not asked about this text."""
    return [{"run": run["id"], "name": run["name"],
             **_verdict(*_model_key(run), json.dumps(run["config"], sort_keys=True), text)}
            for run in runs]


@st.cache_data(show_spinner=False, max_entries=512)
def _verdict(path: str, mtime: float | None, config: str, text: str) -> dict:
    from core.classify import inference

    row = inference.verdicts([{"id": 0, "name": "", "config": json.loads(config)}],
                             lambda _: _model_file(path, mtime), text)[0]
    return {k: v for k, v in row.items() if k not in ("run", "name")}


def review_explanation(run: dict, text: str):
    """``core.classify.inference.explain`` of ``run``'s model for ``text``, kept likewise."""
    return _explanation(*_model_key(run), json.dumps(run["config"], sort_keys=True), text)


@st.cache_data(show_spinner=False, max_entries=64)
def _explanation(path: str, mtime: float | None, config: str, text: str):
    from core.classify import inference

    return inference.explain(_model_file(path, mtime), json.loads(config), text)


def classifier_space(run_id: int, num_words: int, name: str):
    """The Embedding layer of finished run ``run_id`` as a space (read-only)."""
    store = run_store()
    return _classifier_space(str(store.model_path(store.get(run_id))), run_id, num_words, name)


@st.cache_resource(show_spinner="Reading the classifier's Embedding layer…", max_entries=16)
def _classifier_space(path: str, run_id: int, num_words: int, name: str):  # noqa: ARG001
    from core.classify import inference

    return inference.classifier_space(trained_model(run_id), num_words, name)


def char_file(run_id: int) -> tuple[str, float | None]:
    """Char run ``run_id``'s model file and its time: the key of what is loaded from it (a run
    of the same id in another store, or a file written again, is another model)."""
    store = run_store()
    path = store.model_path(store.get(run_id))
    if path is None:
        raise ValueError(f"run {run_id} saved no model")
    return str(path), path.stat().st_mtime if path.is_file() else None


def char_generator(run_id: int):
    """A generator for char run ``run_id`` (read-only: its state is passed explicitly)."""
    return _char_generator(*char_file(run_id), run_id)


@st.cache_resource(show_spinner="Loading the language model…", max_entries=8)
def _char_generator(path: str, mtime: float | None, run_id: int):  # noqa: ARG001
    from pathlib import Path

    from core.language import charlm

    return charlm.load_generator(Path(path))


@st.cache_data(show_spinner="Running the model over your text…", max_entries=32)
def model_trace(source: tuple, text: str):
    """(layer kind, tokens, states and gates) of a trained model over ``text``."""
    from core.classify import inference
    from core.language import generation

    origin, run_id = source
    config = run_store().get(run_id)["config"]
    if origin == "char":
        return ("lstm", *generation.trace_text(_char_model(run_id),
                                               char_generator(run_id).chars, config["lower"],
                                               text))
    return (config["kind"],
            *inference.trace_text(trained_model(run_id), config["kind"], config["num_words"], text))


def _char_model(run_id: int):
    return _char_model_file(*char_file(run_id))


@st.cache_resource(show_spinner=False, max_entries=8)
def _char_model_file(path: str, mtime: float | None):  # noqa: ARG001
    import keras

    return keras.saving.load_model(path, safe_mode=True, compile=False)
