"""Embeddings: GloVe and spaces learned from IMDB, nearest words, analogies, maps, the exercise."""
import streamlit as st

from core.data import datasets
from core.embeddings import glove
from dashboard import cache, state
from dashboard.components import code_views
from dashboard.components import embedding_views as views
from dashboard.components import word2vec_panel
from dashboard.components.classroom import classroom_on
from dashboard.components.questions import questions

st.title("Embeddings")
st.caption("Words as dense vectors: similar words end up close. Exact search over all 400,000 "
           "GloVe words, beside spaces learned here from the IMDB reviews.")
classroom = classroom_on()

dims = [d for d in glove.DIMS if glove.glove_available(d)]
if not dims:
    st.error("GloVe is not on this machine. Fetch it with `python -m core data fetch glove50`.")
    st.stop()
if glove.LECTURE_DIM not in dims:
    st.caption(f"The lecture uses GloVe 100d; this machine has {', '.join(f'{d}d' for d in dims)}, "
               "which stands in (`python -m core data fetch glove100` for the lecture's).")
choices = {f"GloVe 6B {d}d": (lambda d=d: cache.glove_space(d)) for d in dims}
choices |= {"LSI (IMDB)": cache.lsi_space, "PPMI + SVD (IMDB)": cache.ppmi_space}
choices |= word2vec_panel.trained_spaces()
choices |= word2vec_panel.classifier_choices()
chosen = st.multiselect("Spaces", list(choices), default=[list(choices)[0], "PPMI + SVD (IMDB)"],
                        key="emb.spaces",
                        help="Which embedding spaces to compare; the first is used for analogies, "
                             "maps and axes.")
if not chosen:
    st.info("Pick at least one space.")
    st.stop()
try:
    spaces = {name: choices[name]() for name in chosen}
except datasets.DatasetUnavailable as error:
    st.error(f"A data set this space needs is missing. {error}")
    st.stop()
first = spaces[chosen[0]]

# Only the open tab runs (a tab switch reruns the page), so a visit draws one view.
TABS = ["Nearest words", "Analogies", "Similarity lab", "PCA map", "Semantic axis",
        "Dense = Embedding", "Embedding matrix", "Moving embeddings", "Train word2vec"]
tabs = st.tabs(TABS, key="emb.tab", on_change="rerun")
with tabs[0]:
    if tabs[0].open:
        state.from_link("emb.word", "word", state.capped(views.MAX_WORD_CHARS))
        views.nearest_section(spaces)
with tabs[1]:
    if tabs[1].open:
        c1, c2, c3 = st.columns(3)
        word = dict(max_chars=views.MAX_WORD_CHARS)
        a = c1.text_input("a", "man", key="emb.a", help="a is to b …", **word)
        b = c2.text_input("b", "king", key="emb.b", help="… as c is to ?", **word)
        c = c3.text_input("c", "woman", key="emb.c", help="The answer is nearest to b − a + c.",
                          **word)
        words = [views.clean_word(x) for x in (a, b, c)]
        if None not in words:
            views.analogy(first, *words)
with tabs[2]:
    if tabs[2].open:
        raw = st.text_area("Word pairs, one per line", "car, automobile\ncoffee, cup\nking, queen"
                           "\ngood, bad\nmovie, banana\nlecture, volcano", key="emb.pairs",
                           max_chars=views.MAX_LIST_CHARS, height=160,
                           help="Similar, related and unrelated pairs: compare their scores.")
        pairs, malformed = views.parse_pairs(raw)
        views.similarity_table(first, pairs, malformed)
with tabs[3]:
    if tabs[3].open:
        views.map_section(first, classroom)
with tabs[4]:
    if tabs[4].open:
        c1, c2 = st.columns(2)
        neg = c1.text_input("From", "bad", key="emb.neg", max_chars=views.MAX_WORD_CHARS,
                            help="One end of the axis.")
        pos = c2.text_input("To", "good", key="emb.pos", max_chars=views.MAX_WORD_CHARS,
                            help="The other end.")
        listed = st.text_input("Words to place", "awful boring fine decent great superb "
                               "masterpiece movie", key="emb.axis_words",
                               max_chars=views.MAX_LIST_CHARS,
                               help="Separated by spaces.").lower().split()
        if (n := views.clean_word(neg)) and (p := views.clean_word(pos)):
            views.axis(first, n, p, listed)
with tabs[5]:
    if tabs[5].open:
        word2vec_panel.exercise_section()
with tabs[6]:
    if tabs[6].open:
        size = st.select_slider("Vocabulary size N", [1000, 2000, 5000, 10000, 20000], 10000,
                                key="emb.n", help="The IMDB model's num_words: rows of the matrix.")
        words, found = cache.imdb_embedding_matrix(dims[0], size)
        views.matrix_coverage(words, found, f"GloVe {dims[0]}d.")
with tabs[7]:
    if tabs[7].open:
        word2vec_panel.moving_section()
with tabs[8]:
    if tabs[8].open:
        word2vec_panel.training_section()
if not classroom:
    with st.expander("Code for this view (.py, .ipynb)"):
        code_views.embeddings_code(dims[0], views.parse_groups(st.session_state.get(
            "emb.groups", views.GROUPS)), int(st.session_state.get("emb.nbrs", 5)))

questions("embeddings")  # predict, then see: the questions of this page
