"""Generate text: char-level language models, trained live, and a temperature lab."""
import streamlit as st

from core.data import datasets
from dashboard import cache
from dashboard.components import generate_views as views
from dashboard.components import sentiment_views
from dashboard.components.questions import questions

st.title("Generate text")
st.caption("A language model gives P(next character | the characters so far). Sample one, feed "
           "it back, repeat; temperature reshapes the distribution before each draw.")
store = cache.run_store()

with st.expander("1 · Corpus and training", expanded=True):
    lower = st.checkbox("Lower-case the corpus (as the lecture)", True, key="gen.lower",
                        help="Fewer characters to learn; capitals are lost.")
    corpus, uploaded = views.corpus_choice()
    max_chars = views.imdb_amount() if corpus == "imdb_reviews" else 0
    if corpus:
        try:
            views.data_numbers(corpus, lower, uploaded, max_chars)
        except datasets.DatasetUnavailable as error:
            st.error(f"This corpus is not on the machine. {error}")
            corpus = ""
    views.training(store, corpus, lower, max_chars)

st.subheader("2 · Temperature lab")
views.lab(store)

st.subheader("3 · A unit that reads sentiment")
sentiment_views.section(store)

questions("generate")  # predict, then see: the questions of this page
