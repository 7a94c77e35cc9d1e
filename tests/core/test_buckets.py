"""Length buckets: whole batches of similar length that lose padding only."""
from __future__ import annotations

import numpy as np
import pytest

from core.classify import buckets


def _padded(lengths, maxlen=50, seed=0):
    rng = np.random.default_rng(seed)
    x = np.zeros((len(lengths), maxlen), dtype=np.int32)
    for i, n in enumerate(lengths):
        if n:
            x[i, maxlen - n:] = rng.integers(1, 100, n)
    return x


def test_bounds_are_rounded_quantiles_ending_at_maxlen():
    lengths = np.arange(1, 101)
    assert buckets.bucket_bounds(lengths, 500) == [30, 50, 70, 90, 500]
    assert buckets.bucket_bounds(lengths, 60, min_len=41) == [41, 50, 60]
    assert buckets.bucket_bounds(np.array([], dtype=int), 20) == [20]


def test_training_batches_are_whole_and_lose_padding_only():
    rng = np.random.default_rng(1)
    lengths = rng.integers(0, 51, 300)
    x, y = _padded(lengths), np.arange(300)
    bounds = buckets.bucket_bounds(lengths, 50)
    batches = buckets.epoch_batches(x, y, bounds, 32, np.random.default_rng(0))
    seen = np.concatenate([b[1] for b in batches])
    assert all(len(b[1]) == 32 for b in batches) and len(seen) == 300 - 300 % 32
    assert len(set(seen.tolist())) == len(seen)  # each review at most once
    for xb, yb in batches:
        assert xb.shape[1] in bounds
        np.testing.assert_array_equal(xb, x[yb, 50 - xb.shape[1]:])
        assert (buckets.lengths(xb) == lengths[yb]).all()  # nothing but padding was cut
    again = buckets.epoch_batches(x, y, bounds, 32, np.random.default_rng(1))
    assert [b[1].tolist() for b in again] != [b[1].tolist() for b in batches]


def test_evaluation_batches_hold_every_review_once():
    lengths = np.random.default_rng(2).integers(1, 51, 101)
    x, y = _padded(lengths), np.arange(101)
    batches = buckets.epoch_batches(x, y, buckets.bucket_bounds(lengths, 50), 16, whole=False)
    assert sorted(np.concatenate([b[1] for b in batches]).tolist()) == list(range(101))


def test_a_zero_inside_a_review_is_not_padding():
    x = np.array([[0, 0, 5, 0, 7], [0, 0, 0, 0, 0], [1, 2, 3, 4, 5]])
    assert buckets.lengths(x).tolist() == [3, 0, 5]
    np.testing.assert_array_equal(buckets.trim_padding(x[:1]), [[5, 0, 7]])


def test_trim_padding_keeps_the_longest_row_and_a_minimum():
    x = _padded([3, 5, 0], maxlen=20)
    assert buckets.trim_padding(x).shape == (3, 5)
    assert buckets.trim_padding(x, min_len=8).shape == (3, 8)
    np.testing.assert_array_equal(buckets.trim_padding(x)[:, -3:], x[:, -3:])


@pytest.mark.parametrize("batches", [[(np.zeros((4, 7), np.int32), np.zeros(4))],
                                     [(np.ones((2, 3), np.int32), np.ones(2))]])
def test_a_dataset_keeps_each_batch_shape(batches):
    (xb, yb), = list(buckets.as_dataset(batches).as_numpy_iterator())
    assert xb.shape == batches[0][0].shape and yb.shape == batches[0][1].shape
