"""Vocabularies: ranking, ids, top-k with stop words, coverage, IDF."""
from __future__ import annotations

import numpy as np
import pytest

from core.tokens.vocab import UNK, Vocabulary, char_vocabulary, count_vocabulary

DOCS = ["b a b c", "b a", "b d"]


def test_words_are_ranked_by_count_then_alphabet():
    v = count_vocabulary(DOCS)
    assert v.words == ("b", "a", "c", "d") and v.counts.tolist() == [4, 2, 1, 1]
    assert v.doc_freq.tolist() == [3, 2, 1, 1] and v.total == 8 and v.n_docs == 3


def test_ids_reserve_padding_and_unknown():
    v = count_vocabulary(DOCS)
    assert v.ids(["b", "zzz", "a"]) == [2, 1, 3]
    assert v.decode([0, 2, 1, 99]) == ["b", UNK, UNK] and len(v) == 6


def test_top_k_and_stop_words_keep_the_corpus_total():
    v = count_vocabulary(DOCS)
    top = v.top(1)
    assert top.words == ("b",) and top.coverage() == pytest.approx(4 / 8)
    no_b = v.top(2, frozenset({"b"}))
    assert no_b.words == ("a", "c") and no_b.total == 8
    with pytest.raises(ValueError, match="k must be >= 1, got 0"):
        v.top(0)


def test_coverage_curve_reaches_one():
    curve = count_vocabulary(DOCS).coverage_curve()
    assert np.allclose(curve, [0.5, 0.75, 0.875, 1.0])


def test_idf_is_scikit_learns_smooth_idf():
    v = count_vocabulary(DOCS)
    assert np.allclose(v.idf(), np.log(4 / (1 + v.doc_freq)) + 1)


def test_char_vocabulary_has_no_idf():
    v = char_vocabulary(["ab", "b"])
    assert v.words == ("b", "a")
    with pytest.raises(ValueError, match="no document frequencies"):
        v.idf()


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="differ in length"):
        Vocabulary(("a",), np.array([1, 2]), 3)
