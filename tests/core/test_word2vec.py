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


def test_cbow_windows_stay_inside_one_review_and_leave_out_the_middle_word():
    rng = np.random.default_rng(0)
    ids = np.arange(10)
    doc_of = np.array([0] * 6 + [1] * 4)
    contexts, targets = word2vec.cbow_windows(ids, doc_of, 1, np.ones(10), 1.0, rng)
    assert targets.tolist() == [1, 2, 3, 4, 7, 8]  # 5|6 would cross reviews; edges lack a side
    assert contexts.tolist()[0] == [0, 2] and contexts.shape == (6, 2)


def test_cbow_and_skipgram_train_the_same_word_vectors_layer():
    import keras

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    config = word2vec.Word2VecConfig(vocab_size=20, dim=4, window=2, negatives=2, method="cbow")
    ids = rng.integers(0, 20, 400)
    inputs, labels = word2vec.training_data(config, ids, np.zeros(400, int), np.ones(20), rng)
    assert inputs[0].shape[1] == 4 and inputs[1].shape[1] == 3 and not labels.any()
    model = word2vec.build_cbow_model(20, 4, 2, 2, 0.05)
    history = model.fit(inputs, labels, batch_size=64, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.get_layer("word_vectors").get_weights()[0].shape == (20, 4)
    with pytest.raises(ValueError, match="method must be one of"):
        word2vec.Word2VecConfig(method="glove")
