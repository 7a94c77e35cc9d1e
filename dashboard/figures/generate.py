"""Generate text's figures: next-character distributions, generated text by probability, bits per
character, the sentiment unit's data efficiency."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from dashboard.figures.base import LAYOUT, plain, token_grid
from dashboard.figures.training import training_curves


def next_char_distribution(chars: list[str], raw: np.ndarray, reweighted: np.ndarray,
                           temperature: float, top: int = 30) -> go.Figure:
    """The model's next-character distribution beside the temperature-reweighted one."""
    order = np.argsort(-raw, kind="stable")[:top]
    visible = {" ": "␣ (space)", "\n": "⏎ (new line)", "\t": "⇥ (tab)"}  # no blank ticks
    labels = [plain(visible.get(chars[i]) or repr(chars[i])[1:-1] or "''") for i in order]
    fig = go.Figure([go.Bar(name="model (T = 1)", x=labels, y=raw[order]),
                     go.Bar(name=f"reweighted, T = {temperature:g}", x=labels, y=reweighted[order])])
    fig.update_layout(barmode="group", yaxis=dict(title="probability", range=[0, 1]),
                      xaxis_title=f"the {len(order)} most likely next characters", height=340,
                      **LAYOUT)
    return fig


def char_probabilities(text: str, probs: np.ndarray, per_row: int = 40) -> go.Figure:
    """Generated characters as cells coloured by the probability each had when drawn."""
    z, shown, rows = token_grid(list(text), probs, per_row)
    fig = go.Figure(go.Heatmap(z=z, text=shown, texttemplate="%{text}", colorscale="Blues",
                               zmin=0, zmax=1, xgap=1, ygap=1, colorbar=dict(title="P"),
                               hovertemplate="'%{text}' drawn with P = %{z:.3f}<extra></extra>"))
    fig.update_layout(title="Each generated character, coloured by its probability when drawn",
                      xaxis=dict(visible=False), yaxis=dict(visible=False, autorange="reversed"),
                      height=90 + 24 * rows, **LAYOUT)
    return fig


def bits_per_char(series: list[dict], uniform_bits: float | None,
                  baselines: dict[str, float] | None = None) -> go.Figure:
    """Train/validation bits per character per epoch (and smoothed batches), the uniform
    guess's line when the alphabet's size is known, and a line for each baseline (name ->
    validation bits per character)."""
    fig = training_curves(series, "bits per character", "epoch")
    if uniform_bits is not None:
        fig.add_hline(y=uniform_bits, line_dash="dash", line_color="#7f7f7f",
                      annotation_text=f"uniform guess: log2(V) = {uniform_bits:.2f} bits")
    for name, bits in (baselines or {}).items():
        fig.add_hline(y=bits, line_dash="dot", line_color="#d62728",
                      annotation_text=f"{name}: {bits:.2f} bits", annotation_position="bottom right")
    fig.update_layout(height=380)
    return fig


def data_efficiency(rows: list[dict], features: dict[str, str], units: dict[str, dict]
                    ) -> go.Figure:
    """Test accuracy by labelled reviews (log axis): an L1 logistic regression on each kind of
    the char LM's states (feature -> its name here) beside the bag of words on the same
    reviews, and each kind's best single unit alone."""
    labels = [r["labels"] for r in rows]
    fig = go.Figure([go.Scatter(x=labels, y=[r[key]["accuracy"] for r in rows],
                                mode="lines+markers", name=f"{name} + L1 logistic regression")
                     for key, name in features.items()])
    fig.add_trace(go.Scatter(x=labels, y=[r["bag_accuracy"] for r in rows], mode="lines+markers",
                             name="bag of words (TF-IDF) + logistic regression"))
    for (key, name), dash in zip(features.items(), ("dot", "dash")):
        unit = units[key]
        fig.add_hline(y=unit["test_accuracy"], line_dash=dash, line_color="#7f7f7f",
                      annotation_text=f"{name}, unit {unit['unit']} alone: "
                                      f"{unit['test_accuracy']:.1%}",
                      annotation_position="bottom right" if dash == "dot" else "top right")
    fig.update_layout(title="Test accuracy by the number of labelled reviews",
                      xaxis=dict(title="labelled train reviews", type="log", tickvals=labels,
                                 ticktext=[f"{n:,}" for n in labels]),
                      yaxis=dict(title="test accuracy", range=[0.4, 1.0], tickformat=".0%"),
                      height=400, legend=dict(orientation="h", y=-0.25), **LAYOUT)
    return fig
