"""Seconds-long fits the pages poll (the n-gram baseline, residual stacks, network forecasts): one
at a time in a background thread, beside the page, never in a control's path. Each returns a
``Future``; a page draws what is done."""
from __future__ import annotations

import queue
import threading
import time
from concurrent.futures import Future

import streamlit as st

from dashboard.cache.inside import imdb_bag
from dashboard.cache.runs import char_file, char_generator, run_store


class OneAtATime:
    """Runs what is submitted one call at a time, in order, in a daemon thread, each with the
    ``Future`` of its result: a one-worker ``ThreadPoolExecutor`` whose thread does not keep a
    stopping server alive (the executor's is joined at exit, after the fit in progress and
    every one queued behind it: a minute for the residual stacks). The training threads are
    daemons for the same reason."""

    def __init__(self, name: str):
        self._calls: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._work, daemon=True, name=name).start()

    def submit(self, fn, *args, **kwargs) -> Future:
        future: Future = Future()
        self._calls.put((future, fn, args, kwargs))
        return future

    def _work(self) -> None:
        while True:
            future, fn, args, kwargs = self._calls.get()
            if not future.set_running_or_notify_cancel():
                continue  # cancelled while it waited
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:  # handed to whoever polls it, as an executor does
                future.set_exception(error)
            else:
                future.set_result(result)


_FITS = OneAtATime("seqlab-background")


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
