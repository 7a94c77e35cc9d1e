"""WordList: the memory-mappable word list behaves like a list with an index."""
from __future__ import annotations

import numpy as np

from core.embeddings.wordlist import WordList

WORDS = ["the", "null", "nan", "#", "élan", "電影", "the", "zebra", "a"]


def test_behaves_like_the_list():
    w = WordList.from_words(WORDS)
    assert len(w) == len(WORDS) and list(w) == WORDS and w[4] == "élan" and w[-1] == "a"
    assert w[1:3] == ["null", "nan"]


def test_find_gives_the_first_row_or_minus_one():
    w = WordList.from_words(WORDS)
    assert [w.find(x) for x in WORDS] == [0, 1, 2, 3, 4, 5, 0, 7, 8]
    assert w.find("missing") == -1 and w.find("") == -1 and w.find("x" * 500) == -1
    assert "電影" in w and "th" not in w


def test_round_trip_through_arrays():
    w = WordList.from_arrays({k: np.array(v) for k, v in WordList.from_words(WORDS).arrays().items()})
    assert list(w) == WORDS and w.find("zebra") == 7
