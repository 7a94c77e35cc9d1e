"""Train & compare's figures: training curves, and a review's words by their push and attention."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from dashboard.figures.base import LAYOUT, plain, token_grid
from dashboard.figures.palette import run_style


class SharedFigure(go.Figure):
    """A figure drawn by many sessions and never changed: its dict (which ``st.plotly_chart``
    asks for, as a deep copy, every time it draws) is made once."""

    def to_dict(self) -> dict:
        if getattr(self, "_shared_dict", None) is None:
            self._shared_dict = super().to_dict()
        return self._shared_dict


def training_curves(series: list[dict], metric: str, x: str, shared: bool = False) -> go.Figure:
    """Overlaid runs: per-epoch train and validation ``metric`` (markers), the smoothed
    per-batch curve (line) and the raw batch curve (faint). Each series dict holds: name,
    epoch_x, train, val, batch_x, batch_raw, batch_smooth. ``shared``: a :class:`SharedFigure`."""
    fig = SharedFigure() if shared else go.Figure()
    for i, s in enumerate(series):
        style = run_style(i)  # colours apart for colour-blind eyes too, and a marker per run
        color = style["color"]
        name = plain(s["name"])
        if len(s["batch_x"]):
            fig.add_trace(go.Scatter(x=s["batch_x"], y=s["batch_raw"], mode="lines", opacity=0.2,
                                     line=dict(color=color, width=1), showlegend=False,
                                     hoverinfo="skip"))
            fig.add_trace(go.Scatter(x=s["batch_x"], y=s["batch_smooth"], mode="lines",
                                     line=dict(color=color, width=1.5),
                                     name=f"{name} · batches (smoothed)"))
        fig.add_trace(go.Scatter(x=s["epoch_x"], y=s["train"], mode="markers+lines",
                                 line=dict(color=color, dash="dot"),
                                 marker=dict(size=7, symbol=style["symbol"]),
                                 name=f"{name} · train"))
        fig.add_trace(go.Scatter(x=s["epoch_x"], y=s["val"], mode="markers+lines",
                                 line=dict(color=color, width=3),
                                 marker=dict(size=9, symbol=style["symbol"]),
                                 name=f"{name} · validation"))
        if _predicted(s, metric) is not None:
            _prediction(fig, s, metric, x, color, name)
    fig.update_layout(xaxis_title={"epoch": "epoch", "step": "batch", "wall": "seconds since start",
                                   "train s": "seconds of its own training"}[x],
                      yaxis_title=metric, height=460, legend=dict(orientation="h", y=-0.2),
                      **LAYOUT)
    if metric == "accuracy":  # never outside [0, 1], even with no point drawn yet
        fig.update_yaxes(range=accuracy_range(series))
    return fig


def _predicted(s: dict, metric: str) -> float | None:
    """The value a run's owner predicted on this chart's metric: the best validation accuracy,
    or a language model's validation bits per character after its first epoch."""
    prediction = s.get("prediction") or {}
    return prediction.get({"accuracy": "best", "bits per character": "bits"}.get(metric, ""))


def _prediction(fig: go.Figure, s: dict, metric: str, x: str, color: str, name: str) -> None:
    """A run's prediction as a dashed level across its curve (from before its first point),
    and on the epoch axis a star at the predicted epoch."""
    value, peak = _predicted(s, metric), s["prediction"].get("epoch")
    xs = [v for v in [*s["epoch_x"], *s["batch_x"]] if v is not None and v == v]
    if x == "epoch":
        xs += [1, peak or 1]
    low, high = (min(xs), max(xs)) if xs else (0, 1)
    what = "best" if metric == "accuracy" else "after epoch 1"
    fig.add_trace(go.Scatter(x=[low, high if high > low else low + 1], y=[value, value],
                             mode="lines", line=dict(color=color, dash="dash", width=2),
                             name=f"{name} · predicted {what} {value:.2f}"))
    if x == "epoch" and peak:
        fig.add_trace(go.Scatter(x=[peak], y=[value], mode="markers", marker=dict(
            symbol="star-open", size=16, color=color, line_width=2),
            name=f"{name} · predicted {'peak' if metric == 'accuracy' else 'value'} "
                 f"(epoch {peak})"))


def accuracy_range(series: list[dict], pad: float = 0.02) -> list[float]:
    """The y range of an accuracy chart: the values drawn (and predicted), padded, within
    [0, 1]."""
    values = [v for s in series for key in ("train", "val", "batch_raw") for v in s[key]
              if v is not None and v == v]
    values += [s["prediction"]["best"] for s in series if (s.get("prediction") or {}).get("best")
               is not None]
    if not values:
        return [0.0, 1.0]
    return [max(0.0, min(values) - pad), min(1.0, max(values) + pad)]


PUSH_SCALE = 0.05  # a push smaller than 0.05 in P(positive) is drawn pale, never dark


def word_importance(words: list[str], deltas: np.ndarray, per_row: int = 14) -> go.Figure:
    """The review's words as coloured cells: green pushed towards positive, red towards
    negative (change in P(positive) when the word is removed)."""
    n = len(words)
    z, text, rows = token_grid(words, deltas, per_row)
    # the scale spans at least ±PUSH_SCALE: a model near chance (pushes of 0.002) stays pale
    limit = max(PUSH_SCALE, float(np.nanmax(np.abs(z)))) if n else 1.0
    fig = go.Figure(go.Heatmap(z=z, text=text, texttemplate="%{text}", colorscale="RdYlGn",
                               zmid=0, zmin=-limit, zmax=limit, xgap=2, ygap=2,
                               hovertemplate="%{text}: %{z:+.3f}<extra></extra>",
                               colorbar=dict(title="Δ P(pos)")))
    fig.update_layout(title="Each word's push: P(positive) with it minus without it",
                      xaxis=dict(visible=False), yaxis=dict(visible=False, autorange="reversed"),
                      height=80 + 34 * rows, **LAYOUT)
    return fig


def attention(tokens: list[str], per_head: np.ndarray, per_row: int = 14) -> go.Figure:
    """The attention each token receives, averaged over the heads, as coloured cells (darker:
    more), like the word pushes beside it; each head's own row in the hover."""
    mean = per_head.mean(axis=0)
    z, text, rows = token_grid(tokens, mean, per_row)
    fig = go.Figure(go.Heatmap(z=z, text=text, texttemplate="%{text}", colorscale="Blues",
                               zmin=0, zmax=float(mean.max()) if len(mean) else 1.0,
                               xgap=2, ygap=2,
                               hovertemplate="%{text}: %{z:.3f} of the attention<extra></extra>",
                               colorbar=dict(title="attention")))
    fig.update_layout(title=f"Where self-attention looks: the share each token receives "
                            f"(mean of {len(per_head)} heads)",
                      xaxis=dict(visible=False), yaxis=dict(visible=False, autorange="reversed"),
                      height=80 + 34 * rows, **LAYOUT)
    return fig
