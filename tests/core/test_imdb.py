"""IMDB from raw text with Keras's load_data + pad_sequences semantics."""
from __future__ import annotations

import numpy as np
import pytest

from core.data import imdb
from tests.conftest import requires_mirror


def _pad_reference(seqs, maxlen, padding, truncating, value=0):
    """pad_sequences, written the plain way."""
    out = np.full((len(seqs), maxlen), value, dtype=np.int32)
    for i, s in enumerate(seqs):
        s = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        if len(s):
            if padding == "pre":
                out[i, -len(s):] = s
            else:
                out[i, :len(s)] = s
    return out


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
def test_pad_ragged_matches_pad_sequences(padding, truncating):
    rng = np.random.default_rng(0)
    seqs = [list(rng.integers(1, 50, size=n)) for n in rng.integers(0, 20, size=32)]
    flat = np.array([w for s in seqs for w in s], dtype=np.int32)
    lengths = np.array([len(s) for s in seqs])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    got = imdb.pad_ragged(flat, starts, lengths, 12, padding, truncating)
    assert np.array_equal(got, _pad_reference(seqs, 12, padding, truncating))


def test_pad_ragged_puts_a_start_token_first():
    flat = np.array([5, 6, 7, 8], dtype=np.int32)
    got = imdb.pad_ragged(flat, np.array([0, 3]), np.array([3, 1]), 3, start_token=1)
    assert got.tolist() == [[5, 6, 7], [0, 1, 8]]  # 'pre' truncation drops the start token first


def test_pad_ragged_rejects_bad_arguments():
    with pytest.raises(ValueError, match="maxlen must be >= 1, got 0"):
        imdb.pad_ragged(np.zeros(1, np.int32), np.array([0]), np.array([1]), 0)
    with pytest.raises(ValueError, match="'middle'"):
        imdb.pad_ragged(np.zeros(1, np.int32), np.array([0]), np.array([1]), 2, padding="middle")


def test_keras_words_follow_text_to_word_sequence():
    assert imdb.keras_words("Don't stop<br />the well-known FILM!!") == [
        "don't", "stop", "br", "the", "well", "known", "film"]


def test_ids_from_ranks_apply_offsets_vocabulary_and_markers():
    ranks = np.array([[-1, -2, 1, 0, 9998]])  # padding, start, "the", unknown, a rare word
    ids = imdb._ids_from_ranks(ranks, 10000, 0, 1, 2, 3)
    assert ids.tolist() == [[0, 1, 4, 2, 2]]  # 9998 + 3 >= 10000 -> oov


@requires_mirror
def test_load_imdb_shapes_labels_and_alignment_with_raw_text():
    (x_train, y_train), (x_test, y_test) = imdb.load_imdb(num_words=10000, maxlen=500)
    assert x_train.shape == (25000, 500) and x_test.shape == (25000, 500)
    assert x_train.dtype == np.int32 and y_train.mean() == 0.5 and y_test.mean() == 0.5
    assert x_train.max() < 10000 and x_train.min() == 0
    reviews = imdb.load_imdb_reviews("train")
    index = imdb.load_word_index()
    for i in (0, 1, 12345):
        words = imdb.keras_words(reviews.text[i])
        expected = [1] + [index[w] + 3 if w in index and index[w] + 3 < 10000 else 2 for w in words]
        assert x_train[i].tolist() == _pad_reference([expected], 500, "pre", "pre")[0].tolist()
        assert y_train[i] == reviews.label[i]


@requires_mirror
def test_load_imdb_is_deterministic_and_seed_changes_order():
    (a, _), _ = imdb.load_imdb(maxlen=20)
    (b, _), _ = imdb.load_imdb(maxlen=20)
    (c, _), _ = imdb.load_imdb(maxlen=20, seed=1)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


@requires_mirror
def test_load_imdb_without_maxlen_gives_whole_sequences():
    (x, _), _ = imdb.load_imdb(num_words=None, maxlen=None)
    assert x.dtype == object and x[0][0] == 1 and len(x) == 25000
    by_id = imdb.words_by_id(int(max(x[0][1:6])) + 1)
    assert " ".join(by_id[i] for i in x[0][1:6]) == " ".join(imdb.keras_words(
        imdb.load_imdb_reviews("train").text[0])[:5])


def test_load_imdb_rejects_a_vocabulary_smaller_than_the_markers():
    with pytest.raises(ValueError, match="num_words must be > index_from"):
        imdb.load_imdb(num_words=3)


def test_one_train_validation_split_for_every_setting_the_train_page_offers(monkeypatch):
    """The classifiers' data, the settings check and the rule of thumb cut the same rows, for
    every training size and validation share the page's controls reach."""
    import dataclasses

    from core.classify import models, training
    from core.data.imdb import split_rows

    monkeypatch.setattr(imdb, "train_word_counts", lambda: np.full(25_000, 10))
    lstm = models.preset("lstm")
    for size in (500, 2000, 5000, 10000, 25000):
        for share in np.round(np.arange(0.05, 0.5001, 0.01), 2):
            train, val = split_rows(size, float(share))
            assert train.start == 0 and train.stop == val.start and val.stop == size
            config = dataclasses.replace(lstm, train_size=size, validation_split=float(share),
                                         batch_size=train.stop)
            assert training.samples_to_words(config)["samples"] == train.stop
            with pytest.raises(ValueError, match=f"the {train.stop} training reviews"):
                dataclasses.replace(config, batch_size=train.stop + 1)
