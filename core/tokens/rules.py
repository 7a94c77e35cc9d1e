"""The shared tokenising rules: how every part of the lab turns text into words.

Conventions follow Keras's ``TextVectorization``: standardise (lower-case, the reviews' HTML
line breaks become spaces), then words are runs of letters and digits with inner apostrophes
kept ("don't"). The Text to numbers views, vocabularies, n-gram counts and the IMDB spaces
(LSI, PPMI, word2vec) use these. The classifiers do not: they read reviews as Keras's own IMDB
word ids, split the way ``text_to_word_sequence`` splits (``core.data.imdb.keras_words``), so
that their vocabulary is the lecture's ``imdb_word_index.json``.
"""
from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

WORD_PATTERN = r"(?u)\b\w+(?:'\w+)*\b"  # words, keeping inner apostrophes ("don't")
MAX_TEXT_CHARS = 20_000  # longer pastes are cut here (every text box): views stay interactive
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS)
_BREAKS = re.compile(r"<br\s*/?>", re.IGNORECASE)
_WORD = re.compile(WORD_PATTERN)


def cap_text(text: str, limit: int = MAX_TEXT_CHARS) -> tuple[str, bool]:
    """``text`` cut to ``limit`` characters, and whether it was cut."""
    return (text[:limit], True) if len(text) > limit else (text, False)


def standardize(text: str) -> str:
    """Lower-case and turn the reviews' HTML line breaks into spaces."""
    return _BREAKS.sub(" ", text).lower()


def word_tokens(text: str) -> list[str]:
    """Standardised words: runs of letters and digits, inner apostrophes kept, rest dropped."""
    return _WORD.findall(standardize(text))


def char_tokens(text: str) -> list[str]:
    """Standardised characters, one token each."""
    return list(standardize(text))


def ngrams(tokens: list[str], n: int) -> list[str]:
    """Contiguous n-grams of ``tokens`` joined by spaces; empty when there are fewer than n."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    return [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def count_vectorizer(vocabulary=None, ngram_range=(1, 1)) -> CountVectorizer:
    """scikit-learn's CountVectorizer with these rules (standardize, then WORD_PATTERN)."""
    return CountVectorizer(preprocessor=standardize, token_pattern=WORD_PATTERN,
                           vocabulary=vocabulary, ngram_range=ngram_range)
