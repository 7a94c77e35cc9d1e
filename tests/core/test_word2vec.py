"""Skip-gram pairs stay inside documents and windows; a tiny Keras model trains and stops."""
from __future__ import annotations

import numpy as np
import pytest

from core.embeddings import word2vec


def test_pairs_stay_within_window_and_document():
    rng = np.random.default_rng(0)
    ids = np.array([0, 1, 2, 3, 4, 5])
    doc_of = np.array([0, 0, 0, 1, 1, 1])
    counts = np.ones(6)
    targets, contexts = word2vec.skipgram_pairs(ids, doc_of, 2, counts, 1.0, rng)
    assert len(targets) > 0
    for t, c in zip(targets, contexts):
        assert doc_of[t] == doc_of[c] and 1 <= abs(int(t) - int(c)) <= 2


def test_left_out_words_make_no_pairs():
    rng = np.random.default_rng(0)
    t, c = word2vec.skipgram_pairs(np.array([-1, -1, 3]), np.zeros(3, int), 2, np.ones(4), 1.0, rng)
    assert len(t) == 0


def test_negative_table_sums_to_one():
    p = word2vec.negative_table(np.array([1, 8, 27]))
    assert p.sum() == pytest.approx(1.0) and p[2] > p[1] > p[0]


def test_tiny_model_learns_and_reports():
    import keras

    keras.utils.set_random_seed(0)
    model = word2vec.build_model(vocab_size=20, dim=4, negatives=2, learning_rate=0.05)
    rng = np.random.default_rng(0)
    targets = rng.integers(0, 10, size=256).astype(np.int32)
    contexts = np.stack([targets + 10, rng.integers(0, 20, 256), rng.integers(0, 20, 256)], 1)
    history = model.fit([targets, contexts.astype(np.int32)], np.zeros(256, np.int32),
                        epochs=8, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_config_is_validated():
    with pytest.raises(ValueError, match="reviews <= 25000"):
        word2vec.Word2VecConfig(reviews=0)


def test_train_on_a_few_real_reviews_then_reload_and_stop_keeps_nothing():
    from core import paths

    if paths.mirror_dir() is None:
        pytest.skip("the offline data mirror is absent")
    config = word2vec.Word2VecConfig(reviews=40, vocab_size=500, dim=8, seed=3)
    reports = []
    space = word2vec.train_word2vec(config, lambda *a: reports.append(a))
    assert space.vectors.shape == (500, 8) and reports[-1][0] == reports[-1][1]
    assert np.array_equal(word2vec.load_word2vec(config).vectors, space.vectors)
    stopped = word2vec.Word2VecConfig(reviews=40, vocab_size=500, dim=8, seed=4)
    word2vec.train_word2vec(stopped, should_stop=lambda: True)
    assert word2vec.load_word2vec(stopped) is None


def test_a_corrupt_vector_cache_is_dropped_and_a_new_training_can_save(tmp_cache, monkeypatch):
    """Reading a damaged cache once wrote an empty file in its place, and no training could
    ever save vectors again."""
    from core.data import diskcache

    monkeypatch.setattr(word2vec, "cache_key", lambda config: "k")
    path = diskcache.cache_path("word2vec", "k")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a zip file")
    assert word2vec.load_word2vec() is None and not path.exists()  # dropped, nothing written
    words = np.frombuffer("a\nb".encode(), dtype=np.uint8)
    diskcache.write_arrays("word2vec", "k", {"words": words, "vectors": np.eye(2, dtype="f4")})
    space = word2vec.load_word2vec()
    assert space is not None and "b" in space
