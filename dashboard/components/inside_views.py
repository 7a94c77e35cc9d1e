"""The sections of the Inside the RNN page."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import charlm, inside, series, training
from dashboard import cache, figures

READING_GUIDE = (
    "**Reading the plot.** Each curve shows how strongly the last output still depends on the "
    "input a given number of steps back (log scale: one grid line is a factor of ten). A "
    "SimpleRNN multiplies by its recurrent matrix and a tanh derivative at every step, so its "
    "curve falls off a cliff: inputs more than a few dozen steps back barely matter, and they "
    "get no training signal. The LSTM's carry and the GRU's update gate add the past instead of "
    "only multiplying it, so their curves fall far more slowly. Scale the recurrent weights up "
    "and a SimpleRNN can explode instead of vanish; scale them down and everything vanishes "
    "faster.")


def unrolled(kind: str, word: str, units: int, seed: int) -> None:
    """A tiny layer stepped through the letters of a word, beside Keras's own output."""
    letters = [c for c in word.lower() if "a" <= c <= "z"][:12]
    if not letters:
        st.info("Type a word with letters a–z: each letter is one step (one-hot, 26 inputs).")
        return
    x = np.eye(26)[[ord(c) - 97 for c in letters]]
    weights, keras_h = cache.small_layer(kind, units, seed, x.tobytes(), x.shape)
    steps = inside.trace(kind, x, weights)
    st.plotly_chart(figures.state_heatmap(steps["h"], letters, "The state h after each step "
                                          "(the unrolled chain: one column per copy of the cell)"),
                    key="inside.unrolled_chart")
    t = st.slider("Step to inspect", 0, len(letters) - 1, len(letters) - 1, key="inside.step",
                  help="Which step's arithmetic to show.")
    prev = steps["h"][t - 1] if t else np.zeros(units)
    if kind == "simple_rnn":
        rows = {"x_t · W": x[t] @ weights["kernel"], "h_(t−1) · U": prev @ weights["recurrent"],
                "b": weights["bias"], "h_t = tanh(sum of the three)": steps["h"][t]}
    else:
        rows = {f"{gate} gate": steps[gate][t] for gate in ("input", "forget", "candidate", "output")}
        rows["carry c_t = forget · c_(t−1) + input · candidate"] = steps["c"][t]
        rows["h_t = output · tanh(c_t)"] = steps["h"][t]
    table = pd.DataFrame(rows, index=[f"unit {i}" for i in range(units)]).T
    st.dataframe(table.style.format("{:.4f}"))
    diff = float(np.abs(keras_h - steps["h"]).max())
    st.caption(f"Keras's {kind} layer with the same weights gives the same states: largest "
               f"difference {diff:.1e} (float32 rounding).")


def gradients(length: int, scale: float, source: str) -> None:
    """Gradient norms through time for the three layer kinds."""
    curves = {}
    for kind in inside.RECURRENT:
        run = _trained_run(kind) if source == "trained" else None
        if source == "trained" and run is None:
            st.caption(f"No finished {kind} run on Train & compare: its curve uses untrained "
                       "weights.")
        curves[kind + (f" (run {run['id']})" if run else " (untrained)")] = cache.gradient_curve(
            kind, length, scale, run["id"] if run else None)
    st.plotly_chart(figures.gradient_norms(curves), key="inside.gradients_chart")
    st.markdown(READING_GUIDE)


def _trained_run(kind: str) -> dict | None:
    for run in cache.run_store().list(training.KIND):
        if (run["status"] == "finished" and run["config"]["kind"] == kind
                and training.model_path(run["id"]).is_file()):
            return run
    return None


def model_sources() -> dict[str, tuple[str, int]]:
    """Finished recurrent models to look inside: label -> ('char' or 'imdb', run id)."""
    store = cache.run_store()
    out = {}
    for run in store.list(charlm.KIND):
        if run["status"] == "finished" and charlm.model_files(run["id"])[0].is_file():
            out[f"Generate text run {run['id']} · {run['name']} (LSTM)"] = ("char", run["id"])
    for run in store.list(training.KIND):
        kind = run["config"]["kind"]
        if (run["status"] == "finished" and kind in inside.RECURRENT
                and training.model_path(run["id"]).is_file()):
            out[f"Train & compare run {run['id']} · {run['name']} ({kind})"] = ("imdb", run["id"])
    return out


def states(source: tuple[str, int], text: str) -> None:
    """Hidden state and gates of a trained model over typed text; one unit colours the text."""
    kind, tokens, result = cache.model_trace(source, text)
    if not tokens:
        st.info("None of this text can be read by the model (empty, or no known characters).")
        return
    st.plotly_chart(figures.state_heatmap(result["h"], tokens, "Hidden state h (units × time)"),
                    key="inside.h_chart")
    gates = [g for g in ("input", "forget", "output", "update", "reset") if g in result]
    if gates:
        gate = st.radio("Gate", gates, key="inside.gate", horizontal=True,
                        help="Gate activations are between 0 (closed) and 1 (open).")
        st.plotly_chart(figures.state_heatmap(result[gate], tokens, f"{gate} gate (units × time)",
                                              zmid=None), key="inside.gate_chart")
    unit = st.slider("Unit to colour the text by", 0, result["h"].shape[1] - 1,
                     int(np.argmax(result["h"].std(axis=0))), key="inside.unit",
                     help="Starts at the unit that varies most over this text.")
    st.plotly_chart(figures.activation_strip(tokens, result["h"][:, unit],
                                             f"Unit {unit} of h over the text"),
                    key="inside.strip_chart")


def forecasting(name: str, test_share: float, delay: int, esn_settings: dict) -> None:
    """Time-delay network, echo state network and a GRU on one series' held-out end."""
    dates, values = series.load_series(name)
    n_test = max(1, int(len(values) * test_share))
    if delay >= len(values) - n_test - 1:
        st.error(f"A window of {delay} values is longer than the training part "
                 f"({len(values) - n_test} values). Choose a shorter window.")
        return
    if esn_settings["units"] < 1:
        st.error("The reservoir needs at least one unit.")
        return
    if esn_settings["spectral_radius"] <= 0:
        st.error("A spectral radius of 0 makes every recurrent weight 0: the reservoir has no "
                 "memory at all. Choose a radius above 0 (0.8–1.0 is usual).")
        return
    result = cache.forecasts(name, test_share, delay, tuple(sorted(esn_settings.items())))
    if result["effective_radius"] >= 1.0:
        st.warning(f"The effective spectral radius is {result['effective_radius']:.2f} (≥ 1): the "
                   "reservoir may not forget its starting state (no echo state property), and "
                   "free-running forecasts can blow up. Lower the radius or the leak rate.")
    st.caption(f"Spectral radius: asked {esn_settings['spectral_radius']:.2f}, measured "
               f"{result['radius']:.2f}; effective (with leak) {result['effective_radius']:.2f}.")
    split_dates = dates[-n_test:]
    st.plotly_chart(figures.forecasts(split_dates, result["truth"], result["lines"],
                                      dates[-n_test - 3 * n_test // 2:-n_test],
                                      result["history"][-(3 * n_test // 2):]),
                    key="inside.forecast_chart")
    st.dataframe(pd.DataFrame(result["errors"]).style.format({"RMSE": "{:.3f}", "MAE": "{:.3f}"}),
                 hide_index=True)
    st.plotly_chart(figures.reservoir_traces(result["states"]), key="inside.reservoir_chart")
