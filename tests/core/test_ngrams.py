"""The fast n-gram statistics agree exactly with scikit-learn's CountVectorizer."""
from __future__ import annotations

import pytest

from core.tokens import ngrams

DOCS = ["the cat sat on the mat", "the cat sat", "a b a b a b", "one", "", "the mat the mat"]


def test_statistics_match_count_vectorizer():
    table, _ = ngrams.ngram_statistics(DOCS, max_n=5)
    reference = ngrams.ngram_statistics_sklearn(DOCS, max_n=5)
    for column in ("distinct", "running", "non-zeros"):
        assert table[column].tolist() == reference[column].tolist()


def test_top_ngrams_are_the_most_frequent_first():
    _, tops = ngrams.ngram_statistics(DOCS, max_n=2, top=3)
    assert tops[1][0] == "the"
    assert tops[2] == ["the mat", "a b", "the cat"]  # 3, 3 (ties: first seen first), 2


def test_ngrams_longer_than_every_document():
    table, tops = ngrams.ngram_statistics(["a b"], max_n=3)
    assert table["distinct"].tolist() == [2, 1, 0] and tops[3] == []
    assert table["sparsity"].tolist()[2] == 1.0


def test_max_n_must_be_positive():
    with pytest.raises(ValueError, match="max_n must be >= 1"):
        ngrams.ngram_statistics(DOCS, max_n=0)
