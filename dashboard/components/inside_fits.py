"""The sections of the Inside the RNN page that wait on a fit in the background: residual
connections against vanishing gradients, and forecasting real series."""
from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from core.data import series
from core.rnn import esn
from core.rnn.forecast import forecast_reading
from core.rnn.residual import residual_reading
from dashboard import cache, figures
from dashboard.components.background import when_ready
from dashboard.components.charts import show, show_table


RESIDUAL_READING = (
    "**Reading the plot.** Without skips (dashed), the gradient reaching a layer is the product "
    "of every layer's derivative above it: with sigmoid (derivative at most 1/4) it shrinks by a "
    "factor at each layer and the first layers get nothing, so they cannot learn; relu keeps "
    "some layers alive but multiplies by its weights. With a skip connection (solid), each layer "
    "adds its branch to what it was given, h_i = h_(i−1) + f(W_i h_(i−1)), so the gradient has a "
    "shortcut that is *added*, not multiplied: the lecture's \"the gradient is larger via the "
    "shortcut\". The LSTM's carry, c_t = f·c_(t−1) + i·g, is the same idea through time: with its "
    "forget gate open, its curve on *Vanishing gradients* stays up where the SimpleRNN's falls. (The "
    "branches are scaled by 1/√depth so that their sum does not blow up at initialisation, as "
    "SkipInit and Fixup do.)")


def residual(depth: int, activation: str) -> None:
    """Gradients per layer of a deep stack, with and without skips, at initialisation at once;
    after training when the background fit of both stacks ends (checked every second)."""
    job = cache.residual_job(depth, activation)
    when_ready(job, _residual_as_it_comes, depth, activation, job)
    st.caption(f"{depth} hidden layers of 32 {activation} units on 512 real IMDB reviews (the "
               "1,000 most frequent words, multi-hot; training loss and accuracy on them); "
               "gradients by tf.GradientTape, training by 10 steps of Adam (learning rate 0.01), "
               "same seed for both stacks. The output layer starts small, so both stacks start "
               "at loss ln 2 = 0.693: they predict 0.5 for every review.")
    st.markdown(RESIDUAL_READING)


def _residual_as_it_comes(done: bool, depth: int, activation: str, job) -> None:
    result = job.result() if done else cache.residual_at_initialisation(depth, activation)
    phases = ("at initialisation", "after training") if done else ("at initialisation",)
    curves = {f"{'with skips' if skip else 'plain'} · {phase}": result[skip][phase]
              for skip in (False, True) for phase in phases}
    show(figures.layer_gradients(curves, depth), key="inside.residual_chart")
    waiting = "training…"
    rows = [{"stack": "with skips" if skip else "plain",
             "layer 1 gradient at initialisation": f"{result[skip]['at initialisation'][0]:.1e}",
             "loss at initialisation": f"{result[skip]['loss at initialisation']:.3f}",
             "loss after 10 steps": (f"{result[skip]['loss after training']:.3f}"
                                     if done else waiting),
             "accuracy after 10 steps": (f"{result[skip]['accuracy after training']:.1%}"
                                         if done else waiting)}
            for skip in (False, True)]
    show_table(pd.DataFrame(rows), hide_index=True)
    timing = getattr(job, "timing", {})
    if done:
        st.markdown(residual_reading(result, 10))
        if "end" in timing:
            st.caption(f"Both stacks trained in {timing['end'] - timing['start']:.1f} s, measured "
                       "(a first visit also builds TensorFlow's graphs for these shapes).")
    else:
        so_far = (f"{time.monotonic() - timing['start']:.0f} s so far" if "start" in timing
                  else "waiting for another background fit to end")
        st.caption(f"Training both stacks for 10 steps of Adam in the background ({so_far}); "
                   "the curves at initialisation are drawn already and every control stays "
                   "live.")


def forecasting(name: str, test_share: float, delay: int, esn_settings: dict) -> None:
    """Echo state network at once, then the time-delay network and a GRU (fitted once per
    series and window, while the echo state network's chart is already on the page)."""
    dates, values = series.load_series(name)
    n_test = series.held_out(len(values), test_share)
    try:
        config = esn.ESNConfig(**esn_settings)  # the config owns its validation
    except ValueError as error:
        st.error(f"This reservoir cannot run: {error}.")
        return
    reservoir = cache.esn_forecasts(name, test_share, config)
    if reservoir["effective_radius"] >= 1.0:
        st.warning(f"The effective spectral radius is {reservoir['effective_radius']:.2f} (≥ 1): "
                   "the reservoir may not forget its starting state (no echo state property), "
                   "and free-running forecasts can blow up. Lower the radius or the leak rate.")
    st.caption(f"Spectral radius: asked {esn_settings['spectral_radius']:.2f}, measured "
               f"{reservoir['radius']:.2f}; effective (with leak) "
               f"{reservoir['effective_radius']:.2f}.")
    lines = {"echo state (one step)": reservoir["one_step"],
             "echo state (free running)": reservoir["free_run"]}
    if delay >= len(values) - n_test - 1:
        _draw_forecasts(name, test_share, dates, n_test, lines, "esn")
        st.error(f"A window of {delay} values is longer than the training part "
                 f"({len(values) - n_test} values): the time-delay network and the GRU need a "
                 "shorter window.")
    else:
        job = cache.network_forecasts_job(name, test_share, delay)
        when_ready(job, _forecasts_as_they_come, name, test_share, dates, n_test, lines, job,
                   delay)
    show(figures.reservoir_traces(reservoir["states"]), key="inside.reservoir_chart")


def _forecasts_as_they_come(done, name, test_share, dates, n_test, lines, job, delay):
    """The forecast chart with the echo state network's lines at once, and the time-delay
    network's and the GRU's when their background fit ends (checked every second)."""
    if not done:
        st.caption(f"Fitting the time-delay network and the GRU on windows of {delay} in the "
                   "background (a few seconds, once per series and window); the echo state "
                   "network's forecasts are drawn already and every control stays live.")
        _draw_forecasts(name, test_share, dates, n_test, lines, "esn")
        return
    try:
        lines = lines | job.result()
    except ValueError as error:
        st.error(f"The time-delay network and the GRU could not be fitted: {error}.")
    _draw_forecasts(name, test_share, dates, n_test, lines, "all")


def _draw_forecasts(name, test_share, dates, n_test, lines, stage: str) -> None:
    result = cache.forecast_comparison(name, test_share, lines)
    show(figures.forecasts(dates[-n_test:], result.truth, result.lines,
                           dates[-n_test - 3 * n_test // 2:-n_test],
                           result.history[-(3 * n_test // 2):]),
         key=f"inside.forecast_chart.{stage}")
    st.dataframe(pd.DataFrame(result.errors).style.format({"RMSE": "{:.3f}", "MAE": "{:.3f}"}),
                    hide_index=True)
    st.markdown(forecast_reading(result.errors))
