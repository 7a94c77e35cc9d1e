"""Every chart goes on the page through here, so classroom mode can enlarge its type."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard import figures
from dashboard.components.classroom import classroom_on


def show(fig: go.Figure, key: str, container=None) -> None:
    """Draw ``fig`` (in ``container``, by default the current one); in classroom mode its
    ticks, titles and legends are sized for a projector first."""
    if classroom_on():
        fig = figures.for_projector(fig)
    (container or st).plotly_chart(fig, key=key)


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
