"""What every figure shares: the template, text shown literally, a grid of tokens, and the
projector's sizes."""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

# Every figure starts from this template: set as the default, not per figure, where plotly
# deep-copied it again for each one (14 ms a figure; 0.8 ms now, and a page has up to ten)
pio.templates.default = "plotly_white"
LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=10))


def plain(text) -> str:
    """Text as plotly shows it literally: its labels read <b>, <a> and <br> as markup."""
    return html.escape(str(text), quote=False)


def plains(items) -> list[str]:
    return [plain(t) for t in items]


def token_grid(tokens, values, per_row: int):
    """Tokens and their values laid out in rows of ``per_row`` cells (NaN where empty);
    newlines and spaces drawn as visible marks."""
    rows = max(1, -(-len(tokens) // per_row))
    z = np.full((rows, per_row), np.nan)
    text = np.full((rows, per_row), "", dtype=object)
    for i, (tok, v) in enumerate(zip(tokens, values)):
        z[i // per_row, i % per_row] = v
        text[i // per_row, i % per_row] = plain({"\n": "⏎", " ": "·"}.get(tok, tok))
    return z, text, rows


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
    # a log axis labels 2 and 5 between its powers of ten at 3/4 of the tick size: 24 px
    # ticks keep those at 18 px
    log = round(PROJECTOR["tick"] / 0.75)
    fig.update_xaxes(tickfont_size=log, selector=dict(type="log"))
    fig.update_yaxes(tickfont_size=log, selector=dict(type="log"))
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
