"""Every Streamlit cache in one place, each a thin wrapper around one ``core`` function.

``cache_resource`` holds large read-only objects shared by all sessions (never mutate them);
``cache_data`` holds small results and returns copies. ``core`` modules are imported inside
the wrappers, so a page pays only for what it uses (Home must start in well under a second).
"""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    import pandas as pd

    from core.tokens import vocab


# Seconds-long fits the pages poll (forecasts, residual stacks, the n-gram baseline): one at
# a time, beside the page, never in a control's path.
_FITS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seqlab-background")


@st.cache_data(ttl=30, show_spinner=False)
def data_status() -> list[dict]:
    """The data status rows (refreshed every 30 s, so a fetch shows up)."""
    from core.data import datasets

    return datasets.status()


@st.cache_resource(show_spinner="Reading the 50,000 IMDB reviews…")
def imdb_train_reviews() -> pd.DataFrame:
    """The 25,000 IMDB train reviews in Keras's order (read-only)."""
    from core.data import imdb

    return imdb.load_imdb_reviews("train")


@st.cache_resource(show_spinner="Counting the IMDB train vocabulary (once)…")
def imdb_vocabulary(level: str) -> vocab.Vocabulary:
    """The IMDB train vocabulary at ``level`` "word" or "char" (read-only)."""
    from core.tokens import vocab

    return vocab.imdb_vocabulary(level)


@st.cache_resource(show_spinner=False)
def top_vocabulary(k: int, drop_stop_words: bool) -> vocab.Vocabulary:
    """The top-``k`` IMDB train words, optionally without English stop words (read-only)."""
    from core.tokens import text

    return imdb_vocabulary("word").top(k, text.STOP_WORDS if drop_stop_words else None)


@st.cache_resource(show_spinner="Counting n-grams in 25,000 reviews (once, about a minute)…")
def imdb_ngram_statistics() -> tuple[pd.DataFrame, dict[int, list[str]]]:
    """Distinct n-grams and sparsity for n = 1..5 on the IMDB train split (read-only)."""
    from core.tokens import ngrams

    return ngrams.imdb_ngram_statistics()


@st.cache_data(show_spinner=False, max_entries=64)
def collision_curve(k: int, sizes: tuple[int, ...]) -> pd.DataFrame:
    """Measured and expected collision rates of the top-``k`` words for each table size."""
    import pandas as pd

    from core.tokens import text

    return pd.DataFrame(text.collision_curve(list(imdb_vocabulary("word").words[:k]), sizes))


@st.cache_resource(show_spinner="Loading GloVe (the first time parses 400,000 lines)…")
def glove_space(dim: int):
    """GloVe 6B at ``dim`` dimensions as an EmbeddingSpace, normalised rows ready (read-only)."""
    from core.embeddings import glove

    space = glove.load_glove(dim)
    space.nearest(space.words[0], 1)  # computes the unit vectors once, not on a user's click
    space.close_spellings("~")  # and the 'did you mean' lists
    return space


@st.cache_resource(show_spinner="Building the LSI space from 25,000 reviews (once)…")
def lsi_space():
    """LSI word vectors of the IMDB train reviews (read-only)."""
    from core.embeddings import spaces

    return spaces.imdb_lsi_space()


@st.cache_resource(show_spinner="Building the PPMI space from 25,000 reviews (once)…")
def ppmi_space():
    """PPMI + SVD word vectors of the IMDB train reviews (read-only)."""
    from core.embeddings import spaces

    return spaces.imdb_ppmi_space()


@st.cache_resource(show_spinner=False)
def word2vec_space(path: str, stamp: float, name: str):
    """The word2vec space a run saved at ``path``; ``stamp`` (the file's mtime) is part of the
    key. None when the file is missing or damaged."""
    from core.embeddings import word2vec

    return word2vec.load_space(path, name)


def run_store():
    """The shared persistent run store (one per runs folder)."""
    from core import paths

    return _run_store(str(paths.runs_dir()))


@st.cache_data(show_spinner=False, max_entries=32)
def moving_map(path: str, stamp: float):
    """A run's aligned moving map (``stamp``: the file's mtime, so new epochs show up)."""
    from pathlib import Path

    from core.embeddings import motion

    return motion.moving_map(Path(path))


@st.cache_resource(show_spinner=False)
def _run_store(folder: str):
    from core.runs.store import RunStore

    return RunStore(f"{folder}/runs.sqlite")


SNAPSHOT_TICK = 1.0  # seconds: as often as a live panel redraws (run_panel.ACTIVE_POLL_SECONDS)


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


@st.cache_data(show_spinner="Running both Keras layers (the first time imports TensorFlow)…")
def dense_embedding_exercise(k: int, v: tuple[float, ...], seed: int) -> dict:
    """The Dense-vs-Embedding exercise computed by Keras."""
    import numpy as np

    from core.embeddings import exercise

    return exercise.dense_versus_embedding(vocab_size=len(v), dim=3, k=k, v=np.array(v), seed=seed)


@st.cache_data(show_spinner=False, max_entries=16)
def imdb_embedding_matrix(dim: int, size: int) -> tuple:
    """GloVe rows for the Keras IMDB word ids below ``size``: (words, found mask)."""
    from core.embeddings import glove

    return glove.imdb_coverage(glove_space(dim), size)


@st.cache_data(show_spinner=False, max_entries=16)
def samples_to_words(config) -> dict:
    """The textbook's rule of thumb on the reviews ``config`` trains on."""
    from core.classify import training

    return training.samples_to_words(config)


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


@st.cache_data(show_spinner="Building the model (the first time imports TensorFlow)…")
def model_summary(config) -> tuple[list[dict], int]:
    """Layers of the model ``config`` builds: name, output shape, parameters; and the total."""
    from core.classify import models

    return models.summary(config)


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


def classifier_space(run_id: int, num_words: int, name: str):
    """The Embedding layer of finished run ``run_id`` as a space (read-only)."""
    store = run_store()
    return _classifier_space(str(store.model_path(store.get(run_id))), run_id, num_words, name)


@st.cache_resource(show_spinner="Reading the classifier's Embedding layer…", max_entries=16)
def _classifier_space(path: str, run_id: int, num_words: int, name: str):  # noqa: ARG001
    from core.classify import inference

    return inference.classifier_space(trained_model(run_id), num_words, name)


def _char_file(run_id: int) -> tuple[str, float | None]:
    """Char run ``run_id``'s model file and its time: the key of what is loaded from it (a run
    of the same id in another store, or a file written again, is another model)."""
    from core.language import charlm

    path = charlm.model_files(run_id)[0]
    return str(path), path.stat().st_mtime if path.is_file() else None


def char_generator(run_id: int):
    """A generator for char run ``run_id`` (read-only: its state is passed explicitly)."""
    return _char_generator(*_char_file(run_id), run_id)


@st.cache_resource(show_spinner="Loading the language model…", max_entries=8)
def _char_generator(path: str, mtime: float | None, run_id: int):  # noqa: ARG001
    from core.language import charlm

    return charlm.load_generator(run_id)


@st.cache_resource(show_spinner=False, max_entries=8)
def ngram_job(config) -> Future:
    """The char LM config's n-gram baseline (``core.language.ngram.Baseline``), fitted in the
    background (a few seconds, once per corpus and split): a Future the page polls."""
    from core.language import ngram

    return _FITS.submit(ngram.for_config, config)


def head_to_head(run_id: int):
    """The char LM ``run_id`` against the best n-gram on its validation text."""
    return _head_to_head(*_char_file(run_id), run_id)


@st.cache_data(show_spinner="Reading the validation text with both models…", max_entries=8)
def _head_to_head(path: str, mtime: float | None, run_id: int):  # noqa: ARG001
    from core.language import charlm, ngram

    config = charlm.CharConfig(**run_store().get(run_id)["config"])
    return ngram.validation_head_to_head(char_generator(run_id), config,
                                         ngram_job(ngram.same_text(config)).result())


@st.cache_data(show_spinner=False, max_entries=64)
def ngram_text(config, prime: str, length: int, temperature: float, seed: int) -> str:
    """Text the n-gram baseline (its best n) writes after ``prime`` at ``temperature``."""
    baseline = ngram_job(config).result()
    stoi = {ch: i for i, ch in enumerate(baseline.chars)}
    prime_ids = [stoi[ch] for ch in prime if ch in stoi]
    out = baseline.model.generate(prime_ids, length, temperature, seed, baseline.best)
    return "".join(baseline.chars[i] for i in out)


@st.cache_data(show_spinner="Reading the corpus…", max_entries=8)
def corpus_numbers(corpus: str, lower: bool, maxlen: int, step: int, seq_len: int,
                   max_chars: int = 0) -> dict:
    """The lecture's data-preparation numbers for a corpus (its first ``max_chars`` characters
    if > 0), and the fast variant's."""
    from core.language import charlm

    return charlm.corpus_numbers(corpus, lower, maxlen, step, seq_len, max_chars)


@st.cache_data(show_spinner=False, max_entries=32)
def small_stack(kind: str, units: tuple[int, ...], seed: int, inputs) -> tuple:
    """Small Keras recurrent layers in series: their weights and each one's own states."""
    from core.rnn import inside

    return inside.keras_stack_states(kind, list(units), seed, inputs)


@st.cache_data(show_spinner="Computing gradients through time…", max_entries=64)
def gradient_curve(kind: str, length: int, scale: float, run_id: int | None,
                   gate_shift: float = 0.0):
    """Gradient norms for ``kind`` over ``length`` steps: untrained weights (gates shifted by
    ``gate_shift``) and random inputs, or a trained run's recurrent layer fed the embeddings
    of a real review's last words."""
    from core.classify import inference
    from core.rnn import inside

    if run_id is None:
        return inside.untrained_gradient_norms(kind, length, scale, gate_shift=gate_shift)
    num_words = run_store().get(run_id)["config"]["num_words"]
    return inference.trained_gradient_norms(trained_model(run_id), kind, num_words, length, scale)


@st.cache_data(show_spinner="Measuring gradients layer by layer…", max_entries=64)
def residual_at_initialisation(depth: int, activation: str) -> dict:
    """Gradient norms per layer of a deep stack on real IMDB data, without and with skips, at
    initialisation only (a forward and backward pass each: drawn at once)."""
    from core.rnn import residual

    x, y = _imdb_bag()
    config = residual.StackConfig(depth=depth, activation=activation)
    return {skip: residual.gradient_norms(config, x, y, skip, train=False)
            for skip in (False, True)}


@st.cache_resource(show_spinner=False, max_entries=64)
def residual_job(depth: int, activation: str) -> Future:
    """The same before and after training both stacks (two 10-step Adam runs: a second or
    two), fitted in the background: a Future the page polls, so no control waits for it."""
    from core.rnn import residual

    def fit():
        x, y = _imdb_bag()
        config = residual.StackConfig(depth=depth, activation=activation)
        return {skip: residual.gradient_norms(config, x, y, skip) for skip in (False, True)}

    return _FITS.submit(fit)


@st.cache_resource(show_spinner=False)
def _imdb_bag():
    from core.rnn import residual

    return residual.imdb_bag()


@st.cache_data(show_spinner="Running the model over your text…", max_entries=32)
def model_trace(source: tuple, text: str):
    """(layer kind, tokens, states and gates) of a trained model over ``text``."""
    from core.classify import inference
    from core.language import charlm

    origin, run_id = source
    config = run_store().get(run_id)["config"]
    if origin == "char":
        return ("lstm", *charlm.trace_text(_char_model(run_id), char_generator(run_id).chars,
                                          config["lower"], text))
    return (config["kind"],
            *inference.trace_text(trained_model(run_id), config["kind"], config["num_words"], text))


def _char_model(run_id: int):
    return _char_model_file(*_char_file(run_id))


@st.cache_resource(show_spinner=False, max_entries=8)
def _char_model_file(path: str, mtime: float | None):  # noqa: ARG001
    import keras

    return keras.saving.load_model(path, safe_mode=True, compile=False)


@st.cache_data(show_spinner=False, max_entries=64)
def esn_forecasts(name: str, test_share: float, config) -> dict:
    """The echo state network's forecasts of a series' held-out end (well under a second)."""
    from core.rnn import forecast

    return forecast.esn_forecasts(forecast.named_split(name, test_share), config)


@st.cache_resource(show_spinner=False, max_entries=32)
def network_forecasts_job(name: str, test_share: float, delay: int) -> Future:
    """The time-delay network's and the GRU's forecasts, fitted in the background (seconds,
    once per series and window): a Future the page polls, so no control waits for it."""
    from core.rnn import forecast

    return _FITS.submit(forecast.network_forecasts, forecast.named_split(name, test_share),
                        forecast.ForecastConfig(delay=delay))


@st.cache_data(show_spinner=False, max_entries=64)
def forecast_comparison(name: str, test_share: float, lines: dict):
    """Forecasts side by side in the series' units, with errors."""
    from core.rnn import forecast

    return forecast.compare(forecast.named_split(name, test_share), lines)
