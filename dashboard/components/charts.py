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
