"""Session-state keys and URL query parameters, as constants so pages and tests agree."""
from __future__ import annotations

import streamlit as st

CLASSROOM = "classroom"  # session key and query parameter: projector mode on every page
PAGE_PREFIXES = ("text.", "emb.", "train.", "gen.", "inside.", "w2v.")  # widget keys by page
TRANSIENT = "!"  # a key ending in this is not kept across pages: buttons, uploads, fresh pickers
STORE_NOTICE = "runs.store_notice"  # the damaged-store message was shown in this session
PERSON = "people.me"  # this browser's core.runs.people.Person
PEOPLE_NOTICE = "people.notice"  # a refused action's reason, shown once
COOKIE_SET = "people.cookie_set"  # this session has set the browser's person cookie


def transient(key: str) -> str:
    """The key of a widget whose value must not outlive its page's run (a button's click, an
    upload, a picker that is redrawn fresh when its options change)."""
    return key + TRANSIENT


def keep_widget_state() -> None:
    """Keep every control's value while the user visits other pages.

    Streamlit drops a widget's value when a run does not draw it (another page is shown);
    writing each page control's value back at the start of every run keeps it (the method
    Streamlit's docs give for multipage apps). Buttons, uploads and other TRANSIENT keys are
    left alone: Streamlit refuses values set for them."""
    for key in list(st.session_state.keys()):
        if (isinstance(key, str) and key.startswith(PAGE_PREFIXES)
                and not key.endswith(TRANSIENT)):
            st.session_state[key] = st.session_state[key]


def query_int(name: str, default: int, low: int, high: int) -> tuple[int, str | None]:
    """An int from the URL, clamped to [low, high]; the second item explains any correction."""
    raw = st.query_params.get(name)
    if raw is None:
        return default, None
    try:
        value = int(raw)
    except ValueError:
        return default, f"Ignored `{name}={raw}` in the link: not a whole number."
    if not low <= value <= high:
        clamped = min(max(value, low), high)
        return clamped, f"`{name}={value}` in the link is outside {low}–{high}; using {clamped}."
    return value, None


def init_from_query(key: str, value) -> None:
    """Seed widget ``key`` from the URL once per session, before the widget is drawn."""
    if key not in st.session_state:
        st.session_state[key] = value


def write_query(**params) -> None:
    """Put the view's state in the URL so a copied link reproduces it (None removes a key)."""
    for name, value in params.items():
        if value is None:
            st.query_params.pop(name, None)
        elif st.query_params.get(name) != str(value):
            st.query_params[name] = str(value)


def from_link(key: str, param: str, parse=str) -> None:
    """Seed widget ``key`` from ``?param=`` in the URL, once per session, before the widget is
    drawn; ``parse`` turns the text into an allowed value (it raises ValueError when it cannot,
    and the widget keeps its own default)."""
    raw = st.query_params.get(param)
    if key in st.session_state or raw is None:
        return
    try:
        st.session_state[key] = parse(raw)
    except ValueError:
        pass


def to_link(param: str, value, default) -> None:
    """Put a view-defining value in the URL (none when it is the default), so a copied link
    reproduces the view."""
    write_query(**{param: None if value == default else value})


def clamped(low: float, high: float, cast=float):
    """A parser for :func:`from_link`: a number, moved into [low, high]."""
    return lambda raw: min(max(cast(raw), low), high)


def capped(limit: int):
    """A parser for :func:`from_link`: text of at most ``limit`` characters."""
    return lambda raw: raw[:limit]
