"""Inside the RNN's computations: small stacks, gradients through time and through layers,
forecasts."""
from __future__ import annotations

import streamlit as st

from dashboard.cache.runs import run_store, trained_model


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

    x, y = imdb_bag()
    config = residual.StackConfig(depth=depth, activation=activation)
    return {skip: residual.gradient_norms(config, x, y, skip, train=False)
            for skip in (False, True)}


@st.cache_resource(show_spinner=False)
def imdb_bag():
    from core.rnn import residual

    return residual.imdb_bag()


@st.cache_data(show_spinner=False, max_entries=64)
def esn_forecasts(name: str, test_share: float, config) -> dict:
    """The echo state network's forecasts of a series' held-out end (well under a second)."""
    from core.rnn import forecast

    return forecast.esn_forecasts(forecast.named_split(name, test_share), config)


@st.cache_data(show_spinner=False, max_entries=64)
def forecast_comparison(name: str, test_share: float, lines: dict):
    """Forecasts side by side in the series' units, with errors."""
    from core.rnn import forecast

    return forecast.compare(forecast.named_split(name, test_share), lines)
