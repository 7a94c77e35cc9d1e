"""The data sets, vocabularies and embedding spaces the pages read, loaded once per process."""
from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    import pandas as pd

    from core.tokens import vocab


@st.cache_data(ttl=30, show_spinner=False)
def data_status() -> list[dict]:
    """The data status rows (refreshed every 30 s, so a fetch shows up)."""
    from core.data import datasets

    return datasets.status()


@st.cache_resource(show_spinner="Reading the 50,000 IMDB reviews…")
def imdb_train_reviews() -> pd.DataFrame:
    """The 25,000 IMDB train reviews in Keras's order (read-only)."""
    from core.data import imdb

    return imdb.load_imdb_reviews("train")


@st.cache_resource(show_spinner="Counting the IMDB train vocabulary (once)…")
def imdb_vocabulary(level: str) -> vocab.Vocabulary:
    """The IMDB train vocabulary at ``level`` "word" or "char" (read-only)."""
    from core.tokens import vocab

    return vocab.imdb_vocabulary(level)


@st.cache_resource(show_spinner=False)
def top_vocabulary(k: int, drop_stop_words: bool) -> vocab.Vocabulary:
    """The top-``k`` IMDB train words, optionally without English stop words (read-only)."""
    from core.tokens import text

    return imdb_vocabulary("word").top(k, text.STOP_WORDS if drop_stop_words else None)


@st.cache_resource(show_spinner="Counting n-grams in 25,000 reviews (once, about a minute)…")
def imdb_ngram_statistics() -> tuple[pd.DataFrame, dict[int, list[str]]]:
    """Distinct n-grams and sparsity for n = 1..5 on the IMDB train split (read-only)."""
    from core.tokens import ngrams

    return ngrams.imdb_ngram_statistics()


@st.cache_data(show_spinner=False, max_entries=64)
def collision_curve(k: int, sizes: tuple[int, ...]) -> pd.DataFrame:
    """Measured and expected collision rates of the top-``k`` words for each table size."""
    import pandas as pd

    from core.tokens import text

    return pd.DataFrame(text.collision_curve(list(imdb_vocabulary("word").words[:k]), sizes))


@st.cache_resource(show_spinner="Loading GloVe (the first time parses 400,000 lines)…")
def glove_space(dim: int):
    """GloVe 6B at ``dim`` dimensions as an EmbeddingSpace, normalised rows ready (read-only)."""
    from core.embeddings import glove

    space = glove.load_glove(dim)
    space.nearest(space.words[0], 1)  # computes the unit vectors once, not on a user's click
    space.close_spellings("~")  # and the 'did you mean' lists
    return space


@st.cache_resource(show_spinner="Building the LSI space from 25,000 reviews (once)…")
def lsi_space():
    """LSI word vectors of the IMDB train reviews (read-only)."""
    from core.embeddings import spaces

    return spaces.imdb_lsi_space()


@st.cache_resource(show_spinner="Building the PPMI space from 25,000 reviews (once)…")
def ppmi_space():
    """PPMI + SVD word vectors of the IMDB train reviews (read-only)."""
    from core.embeddings import spaces

    return spaces.imdb_ppmi_space()


@st.cache_resource(show_spinner=False)
def word2vec_space(path: str, stamp: float, name: str):
    """The word2vec space a run saved at ``path``; ``stamp`` (the file's mtime) is part of the
    key. None when the file is missing or damaged."""
    from core.embeddings import word2vec

    return word2vec.load_space(path, name)


@st.cache_data(show_spinner=False, max_entries=32)
def moving_map(path: str, stamp: float):
    """A run's aligned moving map (``stamp``: the file's mtime, so new epochs show up)."""
    from pathlib import Path

    from core.embeddings import motion

    return motion.moving_map(Path(path))


@st.cache_data(show_spinner="Running both Keras layers (the first time imports TensorFlow)…")
def dense_embedding_exercise(k: int, v: tuple[float, ...], seed: int) -> dict:
    """The Dense-vs-Embedding exercise computed by Keras."""
    import numpy as np

    from core.embeddings import exercise

    return exercise.dense_versus_embedding(vocab_size=len(v), dim=3, k=k, v=np.array(v), seed=seed)


@st.cache_data(show_spinner=False, max_entries=16)
def imdb_embedding_matrix(dim: int, size: int) -> tuple:
    """GloVe rows for the Keras IMDB word ids below ``size``: (words, found mask)."""
    from core.embeddings import glove

    return glove.imdb_coverage(glove_space(dim), size)


@st.cache_data(show_spinner="Reading the corpus…", max_entries=8)
def corpus_numbers(corpus: str, lower: bool, maxlen: int, step: int, seq_len: int,
                   max_chars: int = 0) -> dict:
    """The lecture's data-preparation numbers for a corpus (its first ``max_chars`` characters
    if > 0), and the fast variant's."""
    from core.language import charlm

    return charlm.corpus_numbers(corpus, lower, maxlen, step, seq_len, max_chars)


@st.cache_data(show_spinner=False, max_entries=16)
def samples_to_words(config) -> dict:
    """The textbook's rule of thumb on the reviews ``config`` trains on."""
    from core.classify import training

    return training.samples_to_words(config)
