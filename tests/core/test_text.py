"""Text to numbers on tiny texts: tokens, round trip, one-hot, bag-of-words, order, hashing."""
from __future__ import annotations

import numpy as np
import pytest

from core.tokens import text
from core.tokens.vocab import Vocabulary, count_vocabulary

DOCS = ["The cat sat on the mat.", "The dog sat.", "A dog and a cat!", "Cats don't sit.",
        "The mat<br />is red", "Red red red"]


@pytest.fixture
def vocab() -> Vocabulary:
    return count_vocabulary(DOCS)


def test_word_tokens_standardise_and_keep_apostrophes():
    assert text.word_tokens("Don't<br />STOP, now!") == ["don't", "stop", "now"]


def test_word_tokens_handle_other_scripts_and_emoji():
    assert text.word_tokens("Привет мир 😀 电影") == ["привет", "мир", "电影"]
    assert text.word_tokens("😀🍿!!") == []


def test_char_codes_give_code_points_and_utf8():
    codes = text.char_codes("aé😀")
    assert [c["code point"] for c in codes] == [97, 233, 128512]
    assert [c["ASCII"] for c in codes] == [True, False, False]
    assert codes[2]["UTF-8 bytes"] == "f0 9f 98 80"


def test_ngrams_and_too_short_text():
    assert text.ngrams(["a", "b", "c"], 2) == ["a b", "b c"]
    assert text.ngrams(["a"], 3) == []
    with pytest.raises(ValueError, match="n must be >= 1, got 0"):
        text.ngrams(["a"], 0)


def test_cap_text_cuts_and_says_so():
    assert text.cap_text("x" * 10, 4) == ("xxxx", True)
    assert text.cap_text("xy", 4) == ("xy", False)


def test_round_trip_marks_unknown_words(vocab):
    trip = text.round_trip("The zebra sat", vocab)
    assert trip["decoded"] == "the [UNK] sat" and trip["unknown"] == ["zebra"]
    assert trip["ids"][0] == vocab.stoi["the"] and trip["ids"][1] == 1


def test_one_hot_has_one_1_per_row():
    m = text.one_hot([2, 3, 2, 1], 5)
    assert m.shape == (4, 5) and (m.sum(axis=1) == 1).all() and m[0, 2] == m[2, 2] == 1


def test_bag_of_words_modes(vocab):
    source = "the red red mat zebra"
    counts = text.bag_of_words(source, vocab, "counts")
    assert counts[vocab.stoi["red"] - 2] == 2 and counts.sum() == 4  # zebra is unknown
    freq = text.bag_of_words(source, vocab, "frequencies")
    assert freq[vocab.stoi["red"] - 2] == pytest.approx(2 / 5)  # of all 5 words
    assert set(text.bag_of_words(source, vocab, "binary")) == {0.0, 1.0}
    tfidf = text.bag_of_words(source, vocab, "tf-idf")
    assert np.linalg.norm(tfidf) == pytest.approx(1.0)


def test_tf_idf_matches_scikit_learn_fitted_on_the_corpus(vocab):
    from sklearn.feature_extraction.text import TfidfVectorizer

    reference = TfidfVectorizer(preprocessor=text.standardize, token_pattern=text.WORD_PATTERN,
                                vocabulary=list(vocab.words)).fit(DOCS)
    expected = reference.transform(["the red red mat"]).toarray()[0]
    assert np.allclose(text.bag_of_words("the red red mat", vocab, "tf-idf"), expected)


def test_bag_of_words_rejects_unknown_mode(vocab):
    with pytest.raises(ValueError, match="mode must be one of"):
        text.bag_of_words("x", vocab, "sqrt")


def test_order_loss_unigrams_identical_bigrams_differ():
    one = text.order_loss("A hates B", "B hates A", 1)
    two = text.order_loss("A hates B", "B hates A", 2)
    assert one["cosine"] == pytest.approx(1.0) and np.array_equal(one["a"], one["b"])
    assert two["cosine"] < 1.0


def test_order_loss_with_no_words_is_zero():
    assert text.order_loss("!!", "😀", 2)["cosine"] == 0.0


def test_hash_buckets_match_hashing_vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer

    words = ["cat", "dog", "movie"]
    hv = HashingVectorizer(n_features=64, analyzer=lambda w: [w], norm=None, alternate_sign=False)
    assert text.hash_buckets(words, 64).tolist() == [hv.transform([w]).indices[0] for w in words]


def test_collision_stats_count_shared_buckets():
    stats = text.collision_stats([f"w{i}" for i in range(100)], 1)
    assert stats["collision rate"] == 1.0 and stats["used buckets"] == 1
    stats = text.collision_stats(["only"], 8)
    assert stats["collision rate"] == 0.0 and stats["expected rate"] == 0.0
    with pytest.raises(ValueError, match="n_features must be >= 1"):
        text.hash_buckets(["x"], 0)
