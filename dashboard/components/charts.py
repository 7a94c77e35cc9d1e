"""Every chart goes on the page through here: classroom mode enlarges its type, a screen reader
reads its text alternative (computed from its data), and anyone can read its numbers as a table."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard import figures
from dashboard.components.classroom import classroom_on
from dashboard.figures import describe
from dashboard.figures.training import SharedFigure


TABLE_LABEL = "Numbers as a table"  # the same control under every chart


def show(fig: go.Figure, key: str, container=None) -> None:
    """Draw ``fig`` (in ``container``, by default the current one) with its text alternative
    (``describe``: what it shows and what it says, from its data), and under it one switch
    that shows the chart's numbers as a table. In classroom mode its ticks, titles and
    legends are sized for a projector first."""
    where = container or st
    alt = getattr(fig, "_alt", None) or describe.describe(fig)
    if isinstance(fig, SharedFigure):  # drawn by many sessions, never changed: described once
        fig._alt = alt
    if classroom_on():
        fig = figures.for_projector(fig)
    where.plotly_chart(fig, key=key, alt=alt)
    if where.toggle(TABLE_LABEL, key=f"{key}.numbers",
                    help="The numbers this chart draws, a row per point, for reading "
                         "instead of (or beside) the picture."):
        where.dataframe(describe.table(fig), hide_index=True)


CLASSROOM_TABLE_ROWS = 60  # longer tables stay scrollable grids even on a projector


def show_table(data, hide_index: bool = False, arrow=None, **kwargs) -> None:
    """A table: ``st.dataframe`` (of ``arrow``, the same data as a ready Arrow table, when
    given); in classroom mode, when it is short, a static ``st.table`` instead, which the
    classroom CSS can enlarge (the grid is drawn on a canvas it cannot)."""
    from pandas.io.formats.style import Styler

    frame = data.data if isinstance(data, Styler) else data
    if classroom_on() and len(frame) <= CLASSROOM_TABLE_ROWS:
        styled = data if isinstance(data, Styler) else data.style.format(precision=4)
        st.table(styled.hide(axis="index") if hide_index else styled)
        return
    st.dataframe(data if arrow is None else arrow, hide_index=hide_index, **kwargs)
