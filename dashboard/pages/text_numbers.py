"""Text to numbers: the lecture's first half on real IMDB reviews."""
import json

import streamlit as st

from core.data import datasets
from core.tokens import text
from dashboard import cache, state
from dashboard.components import code_views
from dashboard.components import text_views as views
from dashboard.components.classroom import classroom_on
from dashboard.components.questions import questions
from dashboard.registry import ROOT

SAMPLES = json.loads((ROOT / "assets" / "samples.json").read_text(encoding="utf-8"))
URL_TEXT_LIMIT = 500  # typed text longer than this is not put in the link
K_OPTIONS = (100, 500, 1000, 2000, 5000, 10000, 20000, 50000)

st.title("Text to numbers")
st.caption("A network sees numbers, not words. Follow one text from characters to tokens, ids, "
           "one-hot rows and bag-of-words vectors, with the vocabulary of 25,000 IMDB reviews.")
classroom = classroom_on()

# -- state from the link -------------------------------------------------------------------
n, note_n = state.query_int("n", 2, 1, 5)
k, note_k = state.query_int("k", 10000, K_OPTIONS[0], K_OPTIONS[-1])
k = min(K_OPTIONS, key=lambda option: abs(option - k))  # the slider's nearest stop
review, note_r = state.query_int("review", 0, 0, 24999)
for note in (note_n, note_k, note_r):
    if note:
        st.info(note)
state.init_from_query("text.n", n)
state.init_from_query("text.k", k)
state.init_from_query("text.review", review)
state.init_from_query("text.source", "IMDB review" if "review" in st.query_params
                      else "Type or paste")
state.init_from_query("text.input", st.query_params.get("t", SAMPLES["default_text"]))

try:
    reviews = cache.imdb_train_reviews()
    full_vocab = cache.imdb_vocabulary("word")
    char_vocab = cache.imdb_vocabulary("char")
except datasets.DatasetUnavailable as error:
    st.error(f"The IMDB data is not available, so this page cannot show real reviews. {error}")
    st.stop()

# -- the text -------------------------------------------------------------------------------
source_kind = st.radio("Text", ["Type or paste", "IMDB review"], key="text.source",
                       horizontal=True, help="Your own text, or one of the 25,000 IMDB train "
                                             "reviews (in Keras's order).")
if source_kind == "IMDB review":
    st.number_input("Review number", 0, len(reviews) - 1, key="text.review",
                    help="Which train review to show, 0–24,999.")
    row = reviews.iloc[st.session_state["text.review"]]
    st.caption(f"{'Positive' if row.label else 'Negative'} review, rated {row.rating}/10, "
               f"{len(row.text):,} characters:")
    st.code(row.text.replace("<br /><br />", "\n\n").replace("<br />", "\n"), language=None,
            wrap_lines=True, height=min(360, 60 + len(row.text) // 4))
    raw = row.text
else:
    raw = st.text_area("Your text", key="text.input", height=110,
                       help=f"Any text, any script; the first {text.MAX_TEXT_CHARS:,} characters "
                            "are used.")
source, was_cut = text.cap_text(raw)
if was_cut:
    st.warning(f"The text has {len(raw):,} characters; only the first {text.MAX_TEXT_CHARS:,} "
               "are used, so every view stays quick.")
if not source.strip():
    st.info("Type some text above (or pick an IMDB review) to see it turned into numbers. "
            "The corpus-wide views below work without it.")

# -- controls -------------------------------------------------------------------------------
c1, c2, c3 = st.columns(3)
n = c1.slider("n for n-grams", 1, 5, key="text.n",
              help="How many consecutive words make one token in the n-gram views.")
k = c2.select_slider("Vocabulary size k", K_OPTIONS,
                     key="text.k", help="Keep only the k most frequent IMDB train words; the rest "
                                        "become [UNK].")
drop_stop = False if classroom else c3.checkbox(
    "Remove stop words", key="text.stop",
    help="Drop scikit-learn's 318 English stop words ('the', 'and', …) from the vocabulary.")
typed = source_kind == "Type or paste" and len(raw) <= URL_TEXT_LIMIT
state.write_query(n=n, k=k, review=st.session_state["text.review"]
                  if source_kind == "IMDB review" else None, t=raw if typed else None)
vocab = cache.top_vocabulary(k, drop_stop)
if source.strip() and drop_stop and not [w for w in text.word_tokens(source)
                                         if w not in text.STOP_WORDS]:
    st.info("Every word of this text is a stop word: with stop words removed, nothing of it "
            "is left in the vocabulary.")

# Only the open tab's view runs (a tab switch reruns the page): a change of text or source
# redraws one view, not seven.
TABS = ["Characters", "Tokens & ids", "Vocabulary", "One-hot & bag-of-words", "Word order",
        "n-gram explosion", "Hashing trick"]
tabs = dict(zip(TABS, st.tabs(TABS, key="text.tab", on_change="rerun")))
with tabs["Characters"]:
    if tabs["Characters"].open:
        if source:
            views.characters(source)
        else:
            st.info("No text yet.")
with tabs["Tokens & ids"]:
    if tabs["Tokens & ids"].open:
        ngram_table, top_ngrams = cache.imdb_ngram_statistics()
        views.tokens(source, vocab, char_vocab, n, top_ngrams, drop_stop)
with tabs["Vocabulary"]:
    if tabs["Vocabulary"].open:
        views.vocabulary(full_vocab, vocab, drop_stop)
with tabs["One-hot & bag-of-words"]:
    if tabs["One-hot & bag-of-words"].open:
        mode = "counts" if classroom else st.radio(
            "Vector values", text.BOW_MODES, key="text.bow_mode", horizontal=True,
            help="counts; frequencies = counts / words in the text; binary = 0/1; tf-idf = "
                 "counts weighted by rarity across the IMDB train reviews.")
        views.one_hot_and_bow(source, vocab, mode)
with tabs["Word order"]:
    if tabs["Word order"].open:
        a = st.text_input("Sentence A", SAMPLES["order_a"], key="text.order_a",
                          help="Edit it; try the same words as B in another order.")
        b = st.text_input("Sentence B", SAMPLES["order_b"], key="text.order_b",
                          help="Same words as A, another order.")
        views.order_loss(text.cap_text(a)[0], text.cap_text(b)[0])
with tabs["n-gram explosion"]:
    if tabs["n-gram explosion"].open:
        views.ngram_explosion(cache.imdb_ngram_statistics()[0])
with tabs["Hashing trick"]:
    if tabs["Hashing trick"].open:
        m = st.select_slider("Hash table size m", views.HASH_SIZES, value=2 ** 14, key="text.m",
                             format_func=lambda v: f"{v:,}",
                             help="Number of buckets the hashing trick maps words into.")
        views.hashing(source, k, m)
if not classroom:
    with st.expander("Code for this view (.py, .ipynb)"):
        code_views.text_code(source, n, k, drop_stop)

questions("text")  # predict, then see: the questions of this page
