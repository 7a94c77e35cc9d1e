"""Classroom (projector) mode: a switch on every page and ``?classroom=1`` in the URL."""
from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.registry import ROOT

_CSS = (ROOT / "assets" / "classroom.css").read_text(encoding="utf-8")
_LAB_CSS = (ROOT / "assets" / "lab.css").read_text(encoding="utf-8")  # every page, every mode
_WIDGET = "classroom.toggle"


def _remember() -> None:
    st.session_state[state.CLASSROOM] = st.session_state[_WIDGET]


def classroom_switch() -> bool:
    """Draw the sidebar switch, keep it in the URL, apply the CSS (the lab's always, the
    projector's when it is on); True when it is on."""
    if state.CLASSROOM not in st.session_state:
        st.session_state[state.CLASSROOM] = st.query_params.get("classroom") in ("1", "true", "on")
    st.session_state[_WIDGET] = st.session_state[state.CLASSROOM]
    on = st.sidebar.toggle("Classroom mode", key=_WIDGET, on_change=_remember,
                           help="Larger type, higher contrast, fewer controls: for a projector. "
                                "A link with ?classroom=1 opens in this mode.")
    state.write_query(classroom="1" if on else None)
    # our own stylesheets, never user text
    st.html(f"<style>{_LAB_CSS}{_CSS if on else ''}</style>")
    return on


def classroom_on() -> bool:
    """Whether classroom mode is on (pages draw fewer controls when it is)."""
    return bool(st.session_state.get(state.CLASSROOM, False))
