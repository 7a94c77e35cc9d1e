"""Controls whose bounds come from data (a word's length, a layer's units, a list of runs):
valid at the degenerate edges, where a plain slider with min = max would crash the page."""
from __future__ import annotations

import streamlit as st


def index_slider(label: str, count: int, value: int, key: str, container=st,
                 **kwargs) -> int | None:
    """A slider over 0 … count − 1. With one item there is nothing to choose: a caption says
    so and 0 comes back; with none, None. A remembered value that the new bounds no longer
    allow (a shorter word than last time) is moved to the nearest allowed one."""
    if count <= 0:
        return None
    if count == 1:
        container.caption(f"{label}: 0 (the only one)")
        return 0
    if key in st.session_state and not 0 <= st.session_state[key] <= count - 1:
        st.session_state[key] = min(max(int(st.session_state[key]), 0), count - 1)
    if key in st.session_state:
        return container.slider(label, 0, count - 1, key=key, **kwargs)
    return container.slider(label, 0, count - 1, min(max(value, 0), count - 1), key=key,
                            **kwargs)


def used_text(raw: str, limit: int, container=st) -> str:
    """What a text box's content is used as: all of it, or its first ``limit`` characters with
    a note saying so. (Streamlit's own ``max_chars`` silently refuses a longer paste, keeping
    the box's old text; a box accepts any paste and this says what was used.)"""
    if len(raw) <= limit:
        return raw
    container.warning(f"The text has {len(raw):,} characters; only the first {limit:,} are used.")
    return raw[:limit]
