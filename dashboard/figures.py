"""Plotly figures as pure functions (data in, ``go.Figure`` out), so tests can check them."""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import qualitative
from plotly.subplots import make_subplots

# Every figure starts from this template: set as the default, not per figure, where plotly
# deep-copied it again for each one (14 ms a figure; 0.8 ms now, and a page has up to ten)
pio.templates.default = "plotly_white"
_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=10))


def _plain(text) -> str:
    """Text as plotly shows it literally: its labels read <b>, <a> and <br> as markup."""
    return html.escape(str(text), quote=False)


def _plains(items) -> list[str]:
    return [_plain(t) for t in items]


def code_points(codes: list[dict]) -> go.Figure:
    """Bar per character: its Unicode code point (log axis: emoji sit far above ASCII)."""
    labels = [_plain(f"{i}:{c['char']!r}") for i, c in enumerate(codes)]
    colors = ["#1f77b4" if c["ASCII"] else "#d62728" for c in codes]
    fig = go.Figure(go.Bar(x=labels, y=[c["code point"] for c in codes], marker_color=colors,
                           hovertemplate="%{x}<br>code point %{y}<extra></extra>"))
    wide = any(not c["ASCII"] for c in codes)  # a log axis only when emoji dwarf ASCII
    fig.update_layout(title="Idea zero: every character is already a number (red: beyond ASCII)",
                      yaxis_type="log" if wide else "linear", yaxis_title="code point",
                      height=320, **_LAYOUT)
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
                      height=340, showlegend=False, **_LAYOUT)
    return fig


def one_hot(matrix: np.ndarray, tokens: list[str], columns: list[str]) -> go.Figure:
    """Tokens x vocabulary columns as a 0/1 heatmap."""
    fig = go.Figure(go.Heatmap(z=matrix, x=_plains(columns),
                               y=[_plain(f"{i}: {t}") for i, t in enumerate(tokens)],
                               colorscale=[[0, "#f4f4f4"], [1, "#1f4e9c"]], showscale=False,
                               xgap=1, ygap=1,
                               hovertemplate="token %{y}<br>column %{x}<br>%{z}<extra></extra>"))
    fig.update_layout(title="One-hot: one row per token, a single 1 in its word's column",
                      yaxis_autorange="reversed", height=max(260, 22 * len(tokens) + 120),
                      xaxis_tickangle=-45, **_LAYOUT)
    return fig


def bag_of_words(words: list[str], values: np.ndarray, mode: str, limit: int = 40) -> go.Figure:
    """The non-zero entries of a bag-of-words vector, largest first (at most ``limit``)."""
    order = np.argsort(-values, kind="stable")[:limit]
    fig = go.Figure(go.Bar(x=[_plain(words[i]) for i in order], y=values[order],
                           hovertemplate="%{x}: %{y:.4g}<extra></extra>"))
    fig.update_layout(title=f"Bag of words ({mode}): the text as one vector, order gone",
                      yaxis_title=mode, height=340, **_LAYOUT)
    return fig


def order_loss(features: list[str], a: np.ndarray, b: np.ndarray, label_a: str, label_b: str
               ) -> go.Figure:
    """Two bag-of-n-gram vectors as grouped bars over their joint features."""
    features = _plains(features)
    fig = go.Figure([go.Bar(name=label_a, x=features, y=a), go.Bar(name=label_b, x=features, y=b)])
    fig.update_layout(barmode="group", yaxis_title="count", height=320, **_LAYOUT)
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
                      xaxis=dict(title="n", dtick=1), height=400, **_LAYOUT)
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
                      height=340, **_LAYOUT)
    return fig


def scored_words(pairs: list[tuple[str, float]], title: str, score: str) -> go.Figure:
    """Horizontal bars of (word, score), best at the top."""
    fig = go.Figure(go.Bar(x=[s for _, s in pairs], y=[_plain(w) for w, _ in pairs],
                           orientation="h", hovertemplate="%{y}: %{x:.3f}<extra></extra>"))
    fig.update_layout(title=_plain(title), xaxis_title=score, yaxis_autorange="reversed",
                      height=max(220, 26 * len(pairs) + 90), **_LAYOUT)
    return fig


def word_map(coords: np.ndarray, words: list[str], groups: list[str], title: str,
             listed: set[str] | None = None) -> go.Figure:
    """PCA scatter of words in 2D or 3D, coloured by group; labels drawn when there are few.
    In 3D only the ``listed`` words are labelled (every point names its word on hover): each
    label is a WebGL texture, and without a GPU 77 of them took the browser about a second."""
    frame = pd.DataFrame(coords, columns=["PC1", "PC2", "PC3"][:coords.shape[1]])
    frame["word"], frame["group"] = _plains(words), _plains(groups)
    shown = set(_plains(listed)) if listed is not None and coords.shape[1] == 3 else None
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
    fig.update_layout(title=_plain(title), height=620, legend_title_text="group", **_LAYOUT)
    return fig


def semantic_axis(words: list[str], positions: np.ndarray, negative: str, positive: str
                  ) -> go.Figure:
    """Words placed on the negative -> positive direction."""
    order = np.argsort(positions)
    fig = go.Figure(go.Bar(x=positions[order], y=[_plain(words[i]) for i in order],
                           orientation="h",
                           marker_color=["#d62728" if p < 0 else "#2ca02c" for p in positions[order]],
                           hovertemplate="%{y}: %{x:.3f}<extra></extra>"))
    negative, positive = _plain(negative), _plain(positive)
    fig.update_layout(title=f"Projection on the direction {negative} → {positive}",
                      xaxis_title=f"← {negative}        {positive} →",
                      height=max(260, 24 * len(words) + 100), **_LAYOUT)
    return fig


def coverage_rows(found: np.ndarray, chunk: int = 500) -> go.Figure:
    """Share of rows found in the pretrained space, per block of ``chunk`` word ids."""
    blocks = np.arange(0, len(found), chunk)
    share = [found[b:b + chunk].mean() for b in blocks]
    fig = go.Figure(go.Bar(x=[f"{b}–{min(b + chunk, len(found)) - 1}" for b in blocks], y=share,
                           hovertemplate="ids %{x}: %{y:.1%} found<extra></extra>"))
    fig.update_layout(title="Rows filled from GloVe, by word id (frequent words first)",
                      yaxis=dict(tickformat=".0%", range=[0, 1.02], title="found"),
                      xaxis_title="word ids", height=320, **_LAYOUT)
    return fig


def loss_curve(steps: list[int], losses: list[float]) -> go.Figure:
    """Training loss by step."""
    fig = go.Figure(go.Scatter(x=steps, y=losses, mode="lines"))
    fig.update_layout(xaxis_title="batch", yaxis_title="loss", height=260, **_LAYOUT)
    return fig


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
    palette = qualitative.Dark24 + qualitative.Light24  # 48 distinct: no two runs alike
    fig = SharedFigure() if shared else go.Figure()
    for i, s in enumerate(series):
        color = palette[i % len(palette)]
        name = _plain(s["name"])
        if len(s["batch_x"]):
            fig.add_trace(go.Scatter(x=s["batch_x"], y=s["batch_raw"], mode="lines", opacity=0.2,
                                     line=dict(color=color, width=1), showlegend=False,
                                     hoverinfo="skip"))
            fig.add_trace(go.Scatter(x=s["batch_x"], y=s["batch_smooth"], mode="lines",
                                     line=dict(color=color, width=1.5),
                                     name=f"{name} · batches (smoothed)"))
        fig.add_trace(go.Scatter(x=s["epoch_x"], y=s["train"], mode="markers+lines",
                                 line=dict(color=color, dash="dot"), marker=dict(size=7),
                                 name=f"{name} · train"))
        fig.add_trace(go.Scatter(x=s["epoch_x"], y=s["val"], mode="markers+lines",
                                 line=dict(color=color, width=3), marker=dict(size=9,
                                 symbol="diamond"), name=f"{name} · validation"))
    fig.update_layout(xaxis_title={"epoch": "epoch", "step": "batch", "wall": "seconds since start",
                                   "train s": "seconds of its own training"}[x],
                      yaxis_title=metric, height=460, legend=dict(orientation="h", y=-0.2),
                      **_LAYOUT)
    if metric == "accuracy":  # never outside [0, 1], even with no point drawn yet
        fig.update_yaxes(range=accuracy_range(series))
    return fig


def accuracy_range(series: list[dict], pad: float = 0.02) -> list[float]:
    """The y range of an accuracy chart: the values drawn, padded, within [0, 1]."""
    values = [v for s in series for key in ("train", "val", "batch_raw") for v in s[key]
              if v is not None and v == v]
    if not values:
        return [0.0, 1.0]
    return [max(0.0, min(values) - pad), min(1.0, max(values) + pad)]


def _token_grid(tokens, values, per_row: int):
    """Tokens and their values laid out in rows of ``per_row`` cells (NaN where empty);
    newlines and spaces drawn as visible marks."""
    rows = max(1, -(-len(tokens) // per_row))
    z = np.full((rows, per_row), np.nan)
    text = np.full((rows, per_row), "", dtype=object)
    for i, (tok, v) in enumerate(zip(tokens, values)):
        z[i // per_row, i % per_row] = v
        text[i // per_row, i % per_row] = _plain({"\n": "⏎", " ": "·"}.get(tok, tok))
    return z, text, rows


def word_importance(words: list[str], deltas: np.ndarray, per_row: int = 14) -> go.Figure:
    """The review's words as coloured cells: green pushed towards positive, red towards
    negative (change in P(positive) when the word is removed)."""
    n = len(words)
    z, text, rows = _token_grid(words, deltas, per_row)
    limit = float(np.nanmax(np.abs(z))) if n else 1.0
    fig = go.Figure(go.Heatmap(z=z, text=text, texttemplate="%{text}", colorscale="RdYlGn",
                               zmid=0, zmin=-limit, zmax=limit, xgap=2, ygap=2,
                               hovertemplate="%{text}: %{z:+.3f}<extra></extra>",
                               colorbar=dict(title="Δ P(pos)")))
    fig.update_layout(title="Each word's push: P(positive) with it minus without it",
                      xaxis=dict(visible=False), yaxis=dict(visible=False, autorange="reversed"),
                      height=80 + 34 * rows, **_LAYOUT)
    return fig


def attention(tokens: list[str], per_head: np.ndarray, per_row: int = 14) -> go.Figure:
    """The attention each token receives, averaged over the heads, as coloured cells (darker:
    more), like the word pushes beside it; each head's own row in the hover."""
    mean = per_head.mean(axis=0)
    z, text, rows = _token_grid(tokens, mean, per_row)
    fig = go.Figure(go.Heatmap(z=z, text=text, texttemplate="%{text}", colorscale="Blues",
                               zmin=0, zmax=float(mean.max()) if len(mean) else 1.0,
                               xgap=2, ygap=2,
                               hovertemplate="%{text}: %{z:.3f} of the attention<extra></extra>",
                               colorbar=dict(title="attention")))
    fig.update_layout(title=f"Where self-attention looks: the share each token receives "
                            f"(mean of {len(per_head)} heads)",
                      xaxis=dict(visible=False), yaxis=dict(visible=False, autorange="reversed"),
                      height=80 + 34 * rows, **_LAYOUT)
    return fig


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
                      height=420, **_LAYOUT)
    return fig


def next_char_distribution(chars: list[str], raw: np.ndarray, reweighted: np.ndarray,
                           temperature: float, top: int = 30) -> go.Figure:
    """The model's next-character distribution beside the temperature-reweighted one."""
    order = np.argsort(-raw, kind="stable")[:top]
    visible = {" ": "␣ (space)", "\n": "⏎ (new line)", "\t": "⇥ (tab)"}  # no blank ticks
    labels = [_plain(visible.get(chars[i]) or repr(chars[i])[1:-1] or "''") for i in order]
    fig = go.Figure([go.Bar(name="model (T = 1)", x=labels, y=raw[order]),
                     go.Bar(name=f"reweighted, T = {temperature:g}", x=labels, y=reweighted[order])])
    fig.update_layout(barmode="group", yaxis=dict(title="probability", range=[0, 1]),
                      xaxis_title=f"the {len(order)} most likely next characters", height=340,
                      **_LAYOUT)
    return fig


def char_probabilities(text: str, probs: np.ndarray, per_row: int = 40) -> go.Figure:
    """Generated characters as cells coloured by the probability each had when drawn."""
    z, shown, rows = _token_grid(list(text), probs, per_row)
    fig = go.Figure(go.Heatmap(z=z, text=shown, texttemplate="%{text}", colorscale="Blues",
                               zmin=0, zmax=1, xgap=1, ygap=1, colorbar=dict(title="P"),
                               hovertemplate="'%{text}' drawn with P = %{z:.3f}<extra></extra>"))
    fig.update_layout(title="Each generated character, coloured by its probability when drawn",
                      xaxis=dict(visible=False), yaxis=dict(visible=False, autorange="reversed"),
                      height=90 + 24 * rows, **_LAYOUT)
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
                      height=400, legend=dict(orientation="h", y=-0.25), **_LAYOUT)
    return fig


def gradient_norms(curves: dict[str, np.ndarray]) -> go.Figure:
    """Gradient norm of the last output w.r.t. each earlier input, log scale, by steps back."""
    fig = go.Figure()
    for name, norms in curves.items():
        back = np.arange(len(norms))[::-1]  # 0 = the last step
        fig.add_trace(go.Scatter(x=back, y=np.maximum(norms, 1e-30), mode="lines",
                                 name=_plain(name)))
    fig.update_layout(title="How much each earlier input still moves the last output",
                      xaxis=dict(title="steps before the end", autorange="reversed"),
                      yaxis=dict(title="‖∂ h_T / ∂ x_t‖", type="log", exponentformat="power"),
                      height=420, **_LAYOUT)
    return fig


def state_heatmap(values: np.ndarray, labels: list[str], title: str, zmid: float | None = 0.0
                  ) -> go.Figure:
    """units x time heatmap of a state or gate sequence (values: time x units)."""
    fig = go.Figure(go.Heatmap(z=values.T, x=[_plain(f"{i}:{l}") for i, l in enumerate(labels)],
                               colorscale="RdBu" if zmid is not None else "Viridis", zmid=zmid,
                               hovertemplate="step %{x}<br>unit %{y}<br>%{z:.3f}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="time step (input)", yaxis_title="unit",
                      height=max(260, 12 * values.shape[1] + 140), **_LAYOUT)
    return fig


def activation_strip(tokens: list[str], values: np.ndarray, title: str, per_row: int = 30
                     ) -> go.Figure:
    """Tokens as cells coloured by one unit's activation."""
    z, text, rows = _token_grid(tokens, values, per_row)
    fig = go.Figure(go.Heatmap(z=z, text=text, texttemplate="%{text}", colorscale="RdBu",
                               zmid=0, xgap=1, ygap=1,
                               hovertemplate="%{text}: %{z:.3f}<extra></extra>"))
    fig.update_layout(title=title, xaxis=dict(visible=False),
                      yaxis=dict(visible=False, autorange="reversed"), height=90 + 28 * rows,
                      **_LAYOUT)
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
                      legend=dict(orientation="h", y=-0.15), **_LAYOUT)
    return fig


def reservoir_traces(states: np.ndarray, units: int = 8, last: int = 300) -> go.Figure:
    """A few reservoir units over the last steps of the training part."""
    fig = go.Figure([go.Scatter(y=states[-last:, i], mode="lines", name=f"unit {i}")
                     for i in range(min(units, states.shape[1]))])
    fig.update_layout(title="Reservoir state traces (fixed random weights; only the readout "
                            "is learned)", xaxis_title="step", yaxis_title="state", height=320,
                      **_LAYOUT)
    return fig


PROJECTOR = dict(tick=18, title=24, axis_title=20, legend=18)  # px: readable from the back row


def for_projector(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` for classroom mode: ticks and legends at 18 px, titles at 24 px, taller
    and with room for the larger type."""
    fig = go.Figure(fig)
    height = fig.layout.height or 450
    fig.update_layout(font=dict(size=PROJECTOR["tick"]), title_font_size=PROJECTOR["title"],
                      legend_font_size=PROJECTOR["legend"], height=int(height * 1.3),
                      margin=dict(l=90, r=30, t=90, b=70))
    fig.update_xaxes(tickfont_size=PROJECTOR["tick"], title_font_size=PROJECTOR["axis_title"])
    fig.update_yaxes(tickfont_size=PROJECTOR["tick"], title_font_size=PROJECTOR["axis_title"])
    fig.update_scenes(xaxis_tickfont_size=PROJECTOR["tick"], yaxis_tickfont_size=PROJECTOR["tick"],
                      zaxis_tickfont_size=PROJECTOR["tick"])
    fig.update_annotations(font_size=PROJECTOR["tick"])
    fig.update_traces(colorbar_tickfont_size=PROJECTOR["tick"], colorbar_nticks=3,
                      selector=dict(type="heatmap"))  # three ticks fit a short strip
    if any(t.type == "heatmap" for t in fig.data):  # room for a colour bar with large ticks
        fig.update_layout(height=max(fig.layout.height, 320))
    legend = fig.layout.legend
    if legend.orientation == "h" and legend.y is not None and legend.y < 0:
        # a legend under the chart moves below the (now larger) x-axis title
        fig.update_layout(legend=dict(y=-0.35, yanchor="top"), margin_b=170,
                          height=fig.layout.height + 80)
    return fig


def layer_gradients(curves: dict[str, np.ndarray], depth: int) -> go.Figure:
    """Gradient norm reaching each layer's weights (1 = nearest the input), log scale; dashed
    lines for the plain stack, solid for the one with skip connections."""
    fig = go.Figure()
    palette = {"at initialisation": "#1f77b4", "after training": "#d62728"}
    for name, norms in curves.items():
        phase = "after training" if "after" in name else "at initialisation"
        fig.add_trace(go.Scatter(x=np.arange(1, depth + 1), y=np.maximum(norms, 1e-30),
                                 mode="lines+markers", name=_plain(name),
                                 line=dict(color=palette[phase],
                                           dash="solid" if "skip" in name else "dash")))
    fig.update_layout(title="How much gradient reaches each layer of a deep stack",
                      xaxis=dict(title="layer (1 = nearest the input; the loss is after the last)"),
                      yaxis=dict(title="‖∂ loss / ∂ W_layer‖", type="log", exponentformat="power"),
                      height=440, legend=dict(orientation="h", y=-0.2), **_LAYOUT)
    return fig


def moving_map(coords: np.ndarray, words: list[str], groups: list[str], labels: list[str]
               ) -> go.Figure:
    """Words on a 2D map, one plotly frame per snapshot (``labels``: what each frame is), with a
    slider and a play button; axes fixed over all frames so only the words move."""
    palette = ["#2ca02c", "#d62728", "#9467bd", "#7f7f7f", "#1f77b4", "#8c564b", "#e377c2",
               "#ff7f0e"]
    names = list(dict.fromkeys(groups))

    def traces(frame):
        return [go.Scatter(x=frame[[i for i, g in enumerate(groups) if g == name], 0],
                           y=frame[[i for i, g in enumerate(groups) if g == name], 1],
                           mode="markers+text", name=_plain(name),
                           text=[_plain(w) for w, g in zip(words, groups) if g == name],
                           textposition="top center",
                           marker=dict(size=8, color=palette[k % len(palette)]))
                for k, name in enumerate(names)]

    fig = go.Figure(traces(coords[0]),
                    frames=[go.Frame(data=traces(f), name=label) for f, label in zip(coords, labels)])
    pad = 0.1 * (coords.max() - coords.min() + 1e-9)
    steps = [dict(method="animate", label=label, args=[[label], dict(mode="immediate",
             frame=dict(duration=0, redraw=True))]) for label in labels]
    fig.update_layout(
        title="The teaching words' vectors, epoch by epoch (aligned: nothing flips or spins)",
        xaxis=dict(range=[coords[..., 0].min() - pad, coords[..., 0].max() + pad]),
        yaxis=dict(range=[coords[..., 1].min() - pad, coords[..., 1].max() + pad]),
        height=620, sliders=[dict(steps=steps, active=0, x=0.12, len=0.88, y=0, yanchor="top",
                                  currentvalue=dict(prefix="shown: "))],
        updatemenus=[dict(type="buttons", x=0, y=0, xanchor="left", yanchor="top",
                          showactive=False, buttons=[dict(
            label="▶ play", method="animate",
            args=[None, dict(frame=dict(duration=700, redraw=True), fromcurrent=True)])])],
        **_LAYOUT)
    return fig
