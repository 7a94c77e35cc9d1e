"""Every Streamlit cache in one place, each a thin wrapper around one ``core`` function.

``cache_resource`` holds large read-only objects shared by all sessions (never mutate them);
``cache_data`` holds small results and returns copies.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core import datasets, imdb, ngrams, text, vocab


@st.cache_data(ttl=30, show_spinner=False)
def data_status() -> pd.DataFrame:
    """The data status table (refreshed every 30 s, so a fetch shows up)."""
    return pd.DataFrame(datasets.status())


@st.cache_resource(show_spinner="Reading the 50,000 IMDB reviews…")
def imdb_train_reviews() -> pd.DataFrame:
    """The 25,000 IMDB train reviews in Keras's order (read-only)."""
    return imdb.load_imdb_reviews("train")


@st.cache_resource(show_spinner="Counting the IMDB train vocabulary (once)…")
def imdb_vocabulary(level: str) -> vocab.Vocabulary:
    """The IMDB train vocabulary at ``level`` "word" or "char" (read-only)."""
    return vocab.imdb_vocabulary(level)


@st.cache_resource(show_spinner=False)
def top_vocabulary(k: int, drop_stop_words: bool) -> vocab.Vocabulary:
    """The top-``k`` IMDB train words, optionally without English stop words (read-only)."""
    return imdb_vocabulary("word").top(k, text.STOP_WORDS if drop_stop_words else None)


@st.cache_resource(show_spinner="Counting n-grams in 25,000 reviews (once, about a minute)…")
def imdb_ngram_statistics() -> tuple[pd.DataFrame, dict[int, list[str]]]:
    """Distinct n-grams and sparsity for n = 1..5 on the IMDB train split (read-only)."""
    return ngrams.imdb_ngram_statistics()


@st.cache_data(show_spinner=False, max_entries=64)
def collision_curve(k: int, sizes: tuple[int, ...]) -> pd.DataFrame:
    """Measured and expected collision rates of the top-``k`` words for each table size."""
    words = list(imdb_vocabulary("word").words[:k])
    return pd.DataFrame([text.collision_stats(words, m) for m in sizes])
