"""Seconds-long fits the pages poll (the n-gram baseline, residual stacks, network forecasts): one
at a time in a background thread, beside the page, never in a control's path. Each returns a
``Future``; a page draws what is done."""
from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor

import streamlit as st

from dashboard.cache.inside import imdb_bag
from dashboard.cache.runs import char_file, char_generator, run_store

_FITS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seqlab-background")


@st.cache_resource(show_spinner=False, max_entries=8)
def ngram_job(config) -> Future:
    """The char LM config's n-gram baseline (``core.language.ngram.Baseline``), fitted in the
    background (a few seconds, once per corpus and split): a Future the page polls."""
    from core.language import ngram

    return _FITS.submit(ngram.for_config, config)


def head_to_head(run_id: int):
    """The char LM ``run_id`` against the best n-gram on its validation text."""
    return _head_to_head(*char_file(run_id), run_id)


@st.cache_data(show_spinner="Reading the validation text with both models…", max_entries=8)
def _head_to_head(path: str, mtime: float | None, run_id: int):  # noqa: ARG001
    from core.language import charlm, comparison, ngram

    config = charlm.CharConfig(**run_store().get(run_id)["config"])
    return comparison.validation_head_to_head(char_generator(run_id), config,
                                              ngram_job(ngram.same_text(config)).result())


@st.cache_data(show_spinner=False, max_entries=64)
def ngram_text(config, prime: str, length: int, temperature: float, seed: int) -> str:
    """Text the n-gram baseline (its best n) writes after ``prime`` at ``temperature``."""
    return ngram_job(config).result().write(prime, length, temperature, seed)


@st.cache_resource(show_spinner=False, max_entries=64)
def residual_job(depth: int, activation: str) -> Future:
    """The same before and after training both stacks (two 10-step Adam runs), fitted in the
    background: a Future the page polls, so no control waits for it. Its ``timing`` holds the
    monotonic time the fit started and ended (how long it takes depends on the activation and
    on whether TensorFlow has traced these shapes before: the page says what it measured)."""
    from core.rnn import residual

    timing: dict[str, float] = {}

    def fit():
        timing["start"] = time.monotonic()
        try:
            x, y = imdb_bag()
            config = residual.StackConfig(depth=depth, activation=activation)
            return {skip: residual.gradient_norms(config, x, y, skip) for skip in (False, True)}
        finally:
            timing["end"] = time.monotonic()

    job = _FITS.submit(fit)
    job.timing = timing
    return job


@st.cache_resource(show_spinner=False, max_entries=32)
def network_forecasts_job(name: str, test_share: float, delay: int) -> Future:
    """The time-delay network's and the GRU's forecasts, fitted in the background (seconds,
    once per series and window): a Future the page polls, so no control waits for it."""
    from core.rnn import forecast

    return _FITS.submit(forecast.network_forecasts, forecast.named_split(name, test_share),
                        forecast.ForecastConfig(delay=delay))
