"""In a paced class, the sidebar of every page says where a question is open (on another page
than this one), with a link there: a student on Train & compare learns that the instructor just
opened one on Embeddings. On a page whose questions already poll the store (they did on this
page's last run), the links are drawn with the page and those questions rerun it when the
links change; elsewhere (Home, a page that stopped early) a fragment polls every
:data:`BAR_SECONDS`: one poll per page, so a click waits behind fewer. Light enough for Home
(no pandas, no plotly)."""
from __future__ import annotations

import streamlit as st

from core.questions import classwork
from core.runs import people
from dashboard import cache
from dashboard.components.person import me
from dashboard.registry import PAGES

BAR_SECONDS = 2.0
WATCHED = "question_bar.watched"  # the page whose questions polled on its last run
SHOWN = "question_bar.shown"  # the pages the sidebar links to now


def open_questions(current: str) -> None:
    """The sidebar's links to open questions on other pages than ``current`` (a url path)."""
    if not people.is_class():
        return
    watched = st.session_state.get(WATCHED) == current
    st.session_state[WATCHED] = None  # this page's questions set it again if they poll
    with st.sidebar, st.container():  # one place however many links: nothing below moves
        if watched:
            _bar(current)
        else:
            st.fragment(run_every=BAR_SECONDS)(_bar)(current)


def watched_here(current: str, standing) -> None:
    """Called by the questions of page ``current`` on each poll with their ``standing``: the
    sidebar need not poll on this page's next run, and the page reruns now if its links are
    out of date."""
    st.session_state[WATCHED] = current
    if where(current, standing) != st.session_state.get(SHOWN):
        st.rerun(scope="app")


def where(current: str, standing) -> list[str]:
    return classwork.open_pages(standing.open_now, current) if standing.paced else []


def _bar(current: str) -> None:
    pages = {spec.url_path: spec for spec in PAGES}
    st.session_state[SHOWN] = shown = where(current, cache.run_store().standing(me(), []))
    for page in shown:
        st.page_link(pages[page].path, label=f"A question is open on {pages[page].title}",
                     icon=":material/quiz:")
