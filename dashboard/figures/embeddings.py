"""Embeddings' figures: nearest words, word maps (still and moving), semantic axes, GloVe coverage,
word2vec's loss."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.base import LAYOUT, plain, plains


def scored_words(pairs: list[tuple[str, float]], title: str, score: str) -> go.Figure:
    """Horizontal bars of (word, score), best at the top."""
    fig = go.Figure(go.Bar(x=[s for _, s in pairs], y=[plain(w) for w, _ in pairs],
                           orientation="h", hovertemplate="%{y}: %{x:.3f}<extra></extra>"))
    fig.update_layout(title=plain(title), xaxis_title=score, yaxis_autorange="reversed",
                      height=max(220, 26 * len(pairs) + 90), **LAYOUT)
    return fig


def word_map(coords: np.ndarray, words: list[str], groups: list[str], title: str,
             listed: set[str] | None = None) -> go.Figure:
    """PCA scatter of words in 2D or 3D, coloured by group; labels drawn when there are few.
    In 3D only the ``listed`` words are labelled (every point names its word on hover): each
    label is a WebGL texture, and without a GPU 77 of them took the browser about a second."""
    frame = pd.DataFrame(coords, columns=["PC1", "PC2", "PC3"][:coords.shape[1]])
    frame["word"], frame["group"] = plains(words), plains(groups)
    shown = set(plains(listed)) if listed is not None and coords.shape[1] == 3 else None
    labelled = len(words) <= 300
    mode = "markers+text" if labelled else "markers"
    traces = []
    for group, part in frame.groupby("group", sort=False):
        text = part["word"] if shown is None else [w if w in shown else "" for w in part["word"]]
        common = dict(name=group, mode=mode, text=text, hovertext=part["word"],
                      hovertemplate="%{hovertext}<extra></extra>")
        if coords.shape[1] == 3:
            traces.append(go.Scatter3d(x=part["PC1"], y=part["PC2"], z=part["PC3"],
                                       marker=dict(size=4), **common))
        else:
            traces.append(go.Scattergl(x=part["PC1"], y=part["PC2"], textposition="top center",
                                       marker=dict(size=8), **common))
    fig = go.Figure(traces)
    fig.update_layout(title=plain(title), height=620, legend_title_text="group", **LAYOUT)
    return fig


def semantic_axis(words: list[str], positions: np.ndarray, negative: str, positive: str
                  ) -> go.Figure:
    """Words placed on the negative -> positive direction."""
    order = np.argsort(positions)
    fig = go.Figure(go.Bar(x=positions[order], y=[plain(words[i]) for i in order],
                           orientation="h",
                           marker_color=["#d62728" if p < 0 else "#2ca02c" for p in positions[order]],
                           hovertemplate="%{y}: %{x:.3f}<extra></extra>"))
    negative, positive = plain(negative), plain(positive)
    fig.update_layout(title=f"Projection on the direction {negative} → {positive}",
                      xaxis_title=f"← {negative}        {positive} →",
                      height=max(260, 24 * len(words) + 100), **LAYOUT)
    return fig


def coverage_rows(found: np.ndarray, chunk: int = 500) -> go.Figure:
    """Share of rows found in the pretrained space, per block of ``chunk`` word ids."""
    blocks = np.arange(0, len(found), chunk)
    share = [found[b:b + chunk].mean() for b in blocks]
    fig = go.Figure(go.Bar(x=[f"{b}–{min(b + chunk, len(found)) - 1}" for b in blocks], y=share,
                           hovertemplate="ids %{x}: %{y:.1%} found<extra></extra>"))
    fig.update_layout(title="Rows filled from GloVe, by word id (frequent words first)",
                      yaxis=dict(tickformat=".0%", range=[0, 1.02], title="found"),
                      xaxis_title="word ids", height=320, **LAYOUT)
    return fig


def loss_curve(steps: list[int], losses: list[float]) -> go.Figure:
    """Training loss by step."""
    fig = go.Figure(go.Scatter(x=steps, y=losses, mode="lines"))
    fig.update_layout(xaxis_title="batch", yaxis_title="loss", height=260, **LAYOUT)
    return fig


# The animation moves only when asked (no auto-play), can be paused (WCAG 2.2.2), and steps
# from frame to frame without tweening: plotly's transitions are drawn by script, which a
# browser's reduced-motion setting cannot reach, so none is drawn for anyone.
PLAY = dict(frame=dict(duration=700, redraw=True), transition=dict(duration=0), fromcurrent=True)
PAUSE = dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0))


def moving_map(coords: np.ndarray, words: list[str], groups: list[str], labels: list[str]
               ) -> go.Figure:
    """Words on a 2D map, one plotly frame per snapshot (``labels``: what each frame is), with a
    slider and play and pause buttons; axes fixed over all frames so only the words move."""
    palette = ["#2ca02c", "#d62728", "#9467bd", "#7f7f7f", "#1f77b4", "#8c564b", "#e377c2",
               "#ff7f0e"]
    names = list(dict.fromkeys(groups))

    def traces(frame):
        return [go.Scatter(x=frame[[i for i, g in enumerate(groups) if g == name], 0],
                           y=frame[[i for i, g in enumerate(groups) if g == name], 1],
                           mode="markers+text", name=plain(name),
                           text=[plain(w) for w, g in zip(words, groups) if g == name],
                           textposition="top center",
                           marker=dict(size=8, color=palette[k % len(palette)]))
                for k, name in enumerate(names)]

    fig = go.Figure(traces(coords[0]),
                    frames=[go.Frame(data=traces(f), name=label) for f, label in zip(coords, labels)])
    pad = 0.1 * (coords.max() - coords.min() + 1e-9)
    steps = [dict(method="animate", label=label, args=[[label], dict(mode="immediate",
             frame=dict(duration=0, redraw=True), transition=dict(duration=0))])
             for label in labels]
    fig.update_layout(
        title="The teaching words' vectors, epoch by epoch (aligned: nothing flips or spins)",
        xaxis=dict(range=[coords[..., 0].min() - pad, coords[..., 0].max() + pad]),
        yaxis=dict(range=[coords[..., 1].min() - pad, coords[..., 1].max() + pad]),
        height=620, sliders=[dict(steps=steps, active=0, x=0.12, len=0.88, y=0, yanchor="top",
                                  currentvalue=dict(prefix="shown: "),
                                  transition=dict(duration=0))],
        updatemenus=[dict(type="buttons", x=0, y=0, xanchor="left", yanchor="top",
                          showactive=False, buttons=[
            dict(label="▶ play", method="animate", args=[None, PLAY]),
            dict(label="❚❚ pause", method="animate", args=[[None], PAUSE])])],
        **LAYOUT)
    return fig
