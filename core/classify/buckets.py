"""Length buckets: batches of reviews of about the same length, each cut to its bucket's length,
so a model that reads any length does not spend most of its steps on padding.

The lecture pads every review to 500 words, on the left; IMDB's training reviews have 222 words
on average, so 56 % of a recurrent layer's steps read padding. Here the reviews are sorted into
a few buckets by length (the bounds are quantiles of the training lengths), shuffled within
each bucket every epoch, and every batch keeps only its bucket's last ``bound`` columns: the
padding a review loses is padding only. A bucket's leftover reviews (fewer than a batch) move up
to the next bucket, so batches are whole (XLA compiles one graph per bucket, never one for a
ragged batch) and at most ``batch_size - 1`` reviews sit out an epoch, different ones each time.
"""
from __future__ import annotations

import numpy as np

SHARES = (0.2, 0.4, 0.6, 0.8)  # quantiles of the training lengths where buckets end
ROUND = 10  # bounds are multiples of this (fewer distinct shapes between runs)


def lengths(x: np.ndarray) -> np.ndarray:
    """Each left-padded row's length (n, maxlen) -> (n,): from its first non-zero id (padding is
    0) to the end, so cutting a row to its length never drops a word."""
    nonzero = x != 0
    return np.where(nonzero.any(axis=1), x.shape[1] - nonzero.argmax(axis=1), 0)


def bucket_bounds(lengths_: np.ndarray, maxlen: int, min_len: int = 1) -> list[int]:
    """Increasing bucket lengths ending at ``maxlen``: the training lengths' quantiles in
    :data:`SHARES`, rounded up to :data:`ROUND`, never below ``min_len`` (the shortest input the
    model's layers accept)."""
    if len(lengths_) == 0:
        return [maxlen]
    cuts = np.ceil(np.quantile(lengths_, SHARES) / ROUND) * ROUND
    inner = {int(c) for c in np.clip(cuts, min_len, maxlen) if c < maxlen}
    return sorted(inner) + [maxlen]


def epoch_batches(x: np.ndarray, y: np.ndarray, bounds: list[int], batch_size: int,
                  rng: np.random.Generator | None = None, whole: bool = True
                  ) -> list[tuple[np.ndarray, np.ndarray]]:
    """One epoch of (x (batch, bound), y (batch,)) batches.

    With ``rng``: shuffled within buckets and in batch order (training); without, in data order
    (validation, test). ``whole``: only full batches (a bucket's remainder moves to the next
    bucket up; the last bucket's is left out); otherwise every row is in exactly one batch.
    """
    which = np.searchsorted(bounds, lengths(x))  # the first bound >= the review's length
    maxlen, carried, batches = x.shape[1], np.empty(0, dtype=np.int64), []
    for k, bound in enumerate(bounds):
        rows = np.flatnonzero(which == k)
        if rng is not None:
            rows = rng.permutation(rows)
        rows = np.concatenate([carried, rows])
        cut = len(rows) - len(rows) % batch_size if whole else len(rows)
        rows, carried = rows[:cut], rows[cut:]
        batches += [(x[rows[i:i + batch_size], maxlen - bound:], y[rows[i:i + batch_size]])
                    for i in range(0, len(rows), batch_size)]
    if rng is not None:
        batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches


def as_dataset(batches: list[tuple[np.ndarray, np.ndarray]]):
    """The batches as a ``tf.data.Dataset`` that ``fit``/``evaluate`` take (each batch keeps
    its own length)."""
    import tensorflow as tf

    def gen():
        yield from batches

    x0, y0 = batches[0]
    data = tf.data.Dataset.from_generator(gen, output_signature=(
        tf.TensorSpec((None, None), tf.as_dtype(x0.dtype)),
        tf.TensorSpec((None,), tf.as_dtype(y0.dtype))))
    return data.apply(tf.data.experimental.assert_cardinality(len(batches))).prefetch(2)


def trim_padding(rows: np.ndarray, min_len: int = 1) -> np.ndarray:
    """``rows`` (n, maxlen) without the left columns that are padding in every row, keeping at
    least ``min_len`` columns: what a model trained on length buckets reads at prediction."""
    keep = max(int(lengths(rows).max(initial=0)), min_len)
    return rows[:, max(rows.shape[1] - keep, 0):]
