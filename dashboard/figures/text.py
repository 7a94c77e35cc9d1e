"""Text to numbers' figures: code points, coverage, one-hot rows, bags of words, order loss, the
n-gram explosion, hashing collisions."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.base import LAYOUT, plain, plains


def code_points(codes: list[dict]) -> go.Figure:
    """Bar per character: its Unicode code point (log axis: emoji sit far above ASCII)."""
    labels = [plain(f"{i}:{c['char']!r}") for i, c in enumerate(codes)]
    colors = ["#1f77b4" if c["ASCII"] else "#d62728" for c in codes]
    fig = go.Figure(go.Bar(x=labels, y=[c["code point"] for c in codes], marker_color=colors,
                           hovertemplate="%{x}<br>code point %{y}<extra></extra>"))
    wide = any(not c["ASCII"] for c in codes)  # a log axis only when emoji dwarf ASCII
    fig.update_layout(title="Idea zero: every character is already a number (red: beyond ASCII)",
                      yaxis_type="log" if wide else "linear", yaxis_title="code point",
                      height=320, **LAYOUT)
    return fig


def coverage(curve: np.ndarray, k: int, title: str) -> go.Figure:
    """Share of the corpus's running words covered by the top-k words, with k marked."""
    ks = np.unique(np.geomspace(1, len(curve), num=min(400, len(curve))).astype(int))
    fig = go.Figure(go.Scatter(x=ks, y=curve[ks - 1], mode="lines", name="coverage"))
    k = min(k, len(curve))
    fig.add_trace(go.Scatter(x=[k], y=[curve[k - 1]], mode="markers+text", name=f"top {k:,}",
                             text=[f"{curve[k - 1]:.1%}"], textposition="top left",
                             marker=dict(size=12, color="#d62728")))
    fig.update_layout(title=title, xaxis_type="log", xaxis_title="vocabulary size k",
                      yaxis=dict(title="share of running words", tickformat=".0%", range=[0, 1.02]),
                      height=340, showlegend=False, **LAYOUT)
    return fig


def one_hot(matrix: np.ndarray, tokens: list[str], columns: list[str]) -> go.Figure:
    """Tokens x vocabulary columns as a 0/1 heatmap."""
    fig = go.Figure(go.Heatmap(z=matrix, x=plains(columns),
                               y=[plain(f"{i}: {t}") for i, t in enumerate(tokens)],
                               colorscale=[[0, "#f4f4f4"], [1, "#1f4e9c"]], showscale=False,
                               xgap=1, ygap=1,
                               hovertemplate="token %{y}<br>column %{x}<br>%{z}<extra></extra>"))
    fig.update_layout(title="One-hot: one row per token, a single 1 in its word's column",
                      yaxis_autorange="reversed", height=max(260, 22 * len(tokens) + 120),
                      xaxis_tickangle=-45, **LAYOUT)
    return fig


def bag_of_words(words: list[str], values: np.ndarray, mode: str, limit: int = 40) -> go.Figure:
    """The non-zero entries of a bag-of-words vector, largest first (at most ``limit``)."""
    order = np.argsort(-values, kind="stable")[:limit]
    fig = go.Figure(go.Bar(x=[plain(words[i]) for i in order], y=values[order],
                           hovertemplate="%{x}: %{y:.4g}<extra></extra>"))
    fig.update_layout(title=f"Bag of words ({mode}): the text as one vector, order gone",
                      yaxis_title=mode, height=340, **LAYOUT)
    return fig


def order_loss(features: list[str], a: np.ndarray, b: np.ndarray, label_a: str, label_b: str
               ) -> go.Figure:
    """Two bag-of-n-gram vectors as grouped bars over their joint features."""
    features = plains(features)
    fig = go.Figure([go.Bar(name=label_a, x=features, y=a), go.Bar(name=label_b, x=features, y=b)])
    fig.update_layout(barmode="group", yaxis_title="count", height=320, **LAYOUT)
    return fig


def ngram_explosion(table: pd.DataFrame) -> go.Figure:
    """Distinct n-grams (bars) and the share of non-zero cells of the document x n-gram count
    matrix (line), both on log axes: one explodes as the other collapses."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=table["n"], y=table["distinct"], name="distinct n-grams",
                         text=[f"{v:,}" for v in table["distinct"]], textposition="outside"))
    density = (1 - table["sparsity"]) * 100
    fig.add_trace(go.Scatter(x=table["n"], y=density, name="non-zero cells (%)",
                             mode="lines+markers+text", text=[f"{d:.4f}%" for d in density],
                             textposition="top right", textfont=dict(color="#000000"),
                             line=dict(color="#d62728")), secondary_y=True)  # readable on bars
    fig.update_yaxes(title_text="distinct n-grams", type="log", dtick=1, tickformat="~s",
                     secondary_y=False)  # one tick a power of ten: 100k, 1M, 10M
    fig.update_yaxes(title_text="% of matrix cells that are non-zero", type="log", dtick=1,
                     tickformat="~g", secondary_y=True, showgrid=False)
    fig.update_layout(title="n-gram explosion on the 25,000 IMDB train reviews",
                      xaxis=dict(title="n", dtick=1), height=400, **LAYOUT)
    return fig


def collisions(curve: pd.DataFrame, chosen: int) -> go.Figure:
    """Share of words that share a hash bucket, measured vs expected, by table size."""
    fig = go.Figure([
        go.Scatter(x=curve["buckets"], y=curve["collision rate"], mode="lines+markers",
                   name="measured"),
        go.Scatter(x=curve["buckets"], y=curve["expected rate"], mode="lines",
                   name="expected 1-(1-1/m)^(k-1)", line=dict(dash="dot")),
    ])
    fig.add_vline(x=chosen, line_color="#d62728", annotation_text=f"m = {chosen:,}")
    fig.update_layout(title="Hashing trick: how many words share a bucket with another word",
                      xaxis=dict(title="hash table size m", type="log"),
                      yaxis=dict(title="words in a shared bucket", tickformat=".0%"),
                      height=340, **LAYOUT)
    return fig
