"""Inside the RNN's figures: gate saturation, gradients through time and through layers, states and
activations, forecasts and reservoirs."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from dashboard.figures.base import LAYOUT, plain, token_grid


def gate_saturation(fractions: dict[str, tuple[np.ndarray, np.ndarray]]) -> go.Figure:
    """Per gate, one point per unit: the fraction of time it is below 0.1 (x) and above 0.9
    (y), as Karpathy, Johnson & Fei-Fei's saturation plot."""
    fig = go.Figure()
    for gate, (closed, opened) in fractions.items():
        fig.add_trace(go.Scatter(x=closed, y=opened, mode="markers", name=f"{gate} gate",
                                 text=[f"unit {i}" for i in range(len(closed))],
                                 hovertemplate="%{text}: shut %{x:.0%}, open %{y:.0%}"
                                               "<extra></extra>"))
    fig.update_layout(title="Gate saturation: how often each unit's gate is shut or open",
                      xaxis=dict(title="fraction of time < 0.1 (shut)", range=[-0.02, 1.02]),
                      yaxis=dict(title="fraction of time > 0.9 (open)", range=[-0.02, 1.02]),
                      height=420, **LAYOUT)
    return fig


def on_log_axis(norms, name: str, where: list, unit: str) -> tuple[list, str]:
    """Values for a log axis, which cannot draw 0: an exact zero is left out (a gap, not a line
    drawn near 1e-30), and the series' name says where it is exactly 0 (``where``: each value's
    x, ``unit``: what x counts)."""
    norms = np.asarray(norms, float)
    zero = norms == 0
    y = [None if z else float(v) for v, z in zip(norms, zero)]
    if not zero.any():
        return y, name
    at = [where[i] for i in np.flatnonzero(zero)]
    span = f"{at[0]}" if len(at) == 1 else f"{min(at)}–{max(at)}"
    return y, f"{name} (exactly 0 {unit} {span}: not drawn on a log axis)"


def gradient_norms(curves: dict[str, np.ndarray]) -> go.Figure:
    """Gradient norm of the last output w.r.t. each earlier input, log scale, by steps back."""
    fig = go.Figure()
    for name, norms in curves.items():
        back = np.arange(len(norms))[::-1]  # 0 = the last step
        y, label = on_log_axis(norms, name, [int(b) for b in back], "at steps back")
        fig.add_trace(go.Scatter(x=back, y=y, mode="lines", name=plain(label)))
    fig.update_layout(title="How much each earlier input still moves the last output",
                      xaxis=dict(title="steps before the end", autorange="reversed"),
                      yaxis=dict(title="‖∂ h_T / ∂ x_t‖", type="log", exponentformat="power"),
                      height=420, **LAYOUT)
    return fig


def state_heatmap(values: np.ndarray, labels: list[str], title: str, zmid: float | None = 0.0
                  ) -> go.Figure:
    """units x time heatmap of a state or gate sequence (values: time x units)."""
    fig = go.Figure(go.Heatmap(z=values.T, x=[plain(f"{i}:{l}") for i, l in enumerate(labels)],
                               colorscale="RdBu" if zmid is not None else "Viridis", zmid=zmid,
                               hovertemplate="step %{x}<br>unit %{y}<br>%{z:.3f}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="time step (input)", yaxis_title="unit",
                      height=max(260, 12 * values.shape[1] + 140), **LAYOUT)
    return fig


def activation_strip(tokens: list[str], values: np.ndarray, title: str, per_row: int = 30
                     ) -> go.Figure:
    """Tokens as cells coloured by one unit's activation."""
    z, text, rows = token_grid(tokens, values, per_row)
    fig = go.Figure(go.Heatmap(z=z, text=text, texttemplate="%{text}", colorscale="RdBu",
                               zmid=0, xgap=1, ygap=1,
                               hovertemplate="%{text}: %{z:.3f}<extra></extra>"))
    fig.update_layout(title=title, xaxis=dict(visible=False),
                      yaxis=dict(visible=False, autorange="reversed"), height=90 + 28 * rows,
                      **LAYOUT)
    return fig


def forecasts(dates, truth: np.ndarray, lines: dict[str, np.ndarray], history_dates=None,
              history: np.ndarray | None = None) -> go.Figure:
    """The held-out end of a series and each model's forecast of it."""
    fig = go.Figure()
    if history is not None:
        fig.add_trace(go.Scatter(x=history_dates, y=history, name="train (end)", mode="lines",
                                 line=dict(color="#bbbbbb")))
    fig.add_trace(go.Scatter(x=dates, y=truth, name="truth", mode="lines",
                             line=dict(color="black", width=2)))
    for name, values in lines.items():
        fig.add_trace(go.Scatter(x=dates, y=values, name=name, mode="lines"))
    fig.update_layout(title="Forecasts of the held-out end of the series", height=440,
                      legend=dict(orientation="h", y=-0.15), **LAYOUT)
    return fig


def reservoir_traces(states: np.ndarray, units: int = 8, last: int = 300) -> go.Figure:
    """A few reservoir units over the last steps of the training part."""
    fig = go.Figure([go.Scatter(y=states[-last:, i], mode="lines", name=f"unit {i}")
                     for i in range(min(units, states.shape[1]))])
    fig.update_layout(title="Reservoir state traces (fixed random weights; only the readout "
                            "is learned)", xaxis_title="step", yaxis_title="state", height=320,
                      **LAYOUT)
    return fig


def layer_gradients(curves: dict[str, np.ndarray], depth: int) -> go.Figure:
    """Gradient norm reaching each layer's weights (1 = nearest the input), log scale; dashed
    lines for the plain stack, solid for the one with skip connections."""
    fig = go.Figure()
    palette = {"at initialisation": "#1f77b4", "after training": "#d62728"}
    for name, norms in curves.items():
        phase = "after training" if "after" in name else "at initialisation"
        y, label = on_log_axis(norms, name, list(range(1, depth + 1)), "in layers")
        fig.add_trace(go.Scatter(x=np.arange(1, depth + 1), y=y,
                                 mode="lines+markers", name=plain(label),
                                 line=dict(color=palette[phase],
                                           dash="solid" if "skip" in name else "dash")))
    fig.update_layout(title="How much gradient reaches each layer of a deep stack",
                      xaxis=dict(title="layer (1 = nearest the input; the loss is after the last)"),
                      yaxis=dict(title="‖∂ loss / ∂ W_layer‖", type="log", exponentformat="power"),
                      height=440, legend=dict(orientation="h", y=-0.2), **LAYOUT)
    return fig
