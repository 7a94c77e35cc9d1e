"""In a paced class, the sidebar of every page says where a question is open (on another page
than this one), with a link there: a student on Train & compare learns that the instructor just
opened one on Embeddings. Polls the store every :data:`BAR_SECONDS`; light enough for Home
(no pandas, no plotly)."""
from __future__ import annotations

import streamlit as st

from core.questions import classwork
from core.runs import people
from dashboard import cache
from dashboard.registry import PAGES

BAR_SECONDS = 2.0


def open_questions(current: str) -> None:
    """The sidebar's links to open questions on other pages than ``current`` (a url path)."""
    if not people.is_class():
        return
    with st.sidebar:
        st.fragment(run_every=BAR_SECONDS)(_bar)(current)


def _bar(current: str) -> None:
    store = cache.run_store()
    if not store.paced():
        return
    pages = {spec.url_path: spec for spec in PAGES}
    where = []
    for question_id, opening in store.openings().items():
        try:
            page = classwork.find(question_id).page
        except KeyError:  # a question of a file that has changed since
            continue
        if opening.open and page != current and page not in where:
            where.append(page)
    for page in where:
        st.page_link(pages[page].path, label=f"A question is open on {pages[page].title}",
                     icon=":material/quiz:")
