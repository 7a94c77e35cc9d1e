"""Count-based spaces: co-occurrence windows stay inside documents; PPMI; LSI and PPMI shapes."""
from __future__ import annotations

import numpy as np
import pytest

from core.embeddings import spaces

DOCS = ["good film great film", "bad film awful film", "great acting good acting",
        "awful plot bad plot", "good great fine", "bad awful poor"] * 3


def test_cooccurrence_counts_within_window_and_document():
    ids = np.array([0, 1, 2, 0, 1])
    doc_of = np.array([0, 0, 0, 1, 1])
    counts = spaces.cooccurrence(ids, doc_of, 3, window=1).toarray()
    assert counts[0, 1] == 2 and counts[1, 2] == 1 and counts[2, 0] == 0  # 2|0 crosses documents
    assert np.array_equal(counts, counts.T)


def test_cooccurrence_weights_by_distance_and_skips_left_out_words():
    counts = spaces.cooccurrence(np.array([0, -1, 1]), np.zeros(3, int), 2, window=2).toarray()
    assert counts[0, 1] == pytest.approx(0.5)


def test_ppmi_is_positive_and_keeps_associated_pairs():
    counts = spaces.cooccurrence(np.array([0, 1, 0, 1, 2, 3, 2, 3]), np.zeros(8, int), 4, 1)
    matrix = spaces.ppmi(counts.tocsr()).toarray()
    assert (matrix >= 0).all() and matrix[0, 1] > 0 and matrix[0, 3] == 0


def test_lsi_space_has_one_vector_per_kept_word():
    s = spaces.lsi_space(DOCS, spaces.CountSpaceConfig(vocab_size=50, dim=3))
    assert s.dim == 3 and "good" in s and len(s) == s.vectors.shape[0]


def test_ppmi_space_shape():
    words = ["good", "film", "great", "bad", "awful"]
    ids = np.array([0, 1, 2, 1, 3, 1, 4, 1])
    s = spaces.ppmi_space(ids, np.zeros(8, int), words, spaces.CountSpaceConfig(vocab_size=10, dim=2))
    assert s.vectors.shape == (5, 2)


def test_config_is_validated():
    with pytest.raises(ValueError, match="dim must be < vocab_size"):
        spaces.CountSpaceConfig(vocab_size=10, dim=10)
