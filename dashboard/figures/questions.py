"""A question's tally for the projector: how the class answered, as bars (no names)."""
from __future__ import annotations

import plotly.graph_objects as go

from dashboard.figures.base import LAYOUT, plain

RIGHT, OTHER = "#1a7a3a", "#4a5a8a"  # 5.4:1 and 6.6:1 on white; the right bar also says so


def tally_bars(counts: dict[str, int], answered: int, right: set[str] = frozenset(),
               title: str = "") -> go.Figure:
    """One horizontal bar per choice (or number range), in order, with its count; the bars of
    the right answer, once revealed, in green and marked "(right)" in their label."""
    labels = [plain(f"{label} (right)" if label in right else label) for label in counts]
    fig = go.Figure(go.Bar(
        x=list(counts.values()), y=labels, orientation="h", text=list(counts.values()),
        textposition="outside", marker_color=[RIGHT if k in right else OTHER for k in counts],
        marker_pattern_shape=["/" if k in right else "" for k in counts],
        name="answers", hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_layout(**LAYOUT, title=plain(title or f"{answered} answered"),
                      height=max(220, 60 + 48 * len(counts)), showlegend=False)
    fig.update_xaxes(title_text="answers", rangemode="tozero", dtick=max(1, answered // 6 or 1))
    fig.update_yaxes(autorange="reversed")
    return fig
