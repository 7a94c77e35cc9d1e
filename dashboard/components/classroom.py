"""Classroom (projector) mode: a switch on every page and ``?classroom=1`` in the URL."""
from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.registry import ROOT

_CSS = (ROOT / "assets" / "classroom.css").read_text(encoding="utf-8")
_WIDGET = "classroom.toggle"


def _remember() -> None:
    st.session_state[state.CLASSROOM] = st.session_state[_WIDGET]


def classroom_switch() -> bool:
    """Draw the sidebar switch, keep it in the URL, apply the CSS; True when it is on."""
    if state.CLASSROOM not in st.session_state:
        st.session_state[state.CLASSROOM] = st.query_params.get("classroom") in ("1", "true", "on")
    st.session_state[_WIDGET] = st.session_state[state.CLASSROOM]
    on = st.sidebar.toggle("Classroom mode", key=_WIDGET, on_change=_remember,
                           help="Larger type, higher contrast, fewer controls: for a projector. "
                                "A link with ?classroom=1 opens in this mode.")
    state.write_query(classroom="1" if on else None)
    if on:
        st.html(f"<style>{_CSS}</style>")  # our own stylesheet, never user text
    return on


def classroom_on() -> bool:
    """Whether classroom mode is on (pages draw fewer controls when it is)."""
    return bool(st.session_state.get(state.CLASSROOM, False))
