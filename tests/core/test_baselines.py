"""The bag-of-words baselines: C from validation only, arrays-only models, same run store."""
from __future__ import annotations

import numpy as np
import pytest

from core import jobs
from core.classify import baselines, inference, models
from core.runs.people import OPERATOR
from core.runs.store import RunStore

GOOD = ["a wonderful moving film", "great acting and a superb story", "wonderful, just great"]
BAD = ["an awful boring film", "terrible acting and a dull story", "awful, just boring"]


def _tiny_texts(config):
    train = (GOOD * 4 + BAD * 4, np.array([1] * 12 + [0] * 12))
    val = (GOOD + BAD, np.array([1, 1, 1, 0, 0, 0]))
    test = (GOOD + BAD, np.array([0, 0, 0, 1, 1, 1]))  # flipped: a C chosen on test would show
    return {"train": train, "val": val, "test": test}


def test_c_is_chosen_on_validation_never_on_test(tmp_path, monkeypatch):
    monkeypatch.setattr(baselines, "_texts", _tiny_texts)
    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path))
    store = RunStore(tmp_path / "runs.sqlite")
    run_id, status = jobs.run(store, "imdb", models.preset("bow_logreg", train_size=30), owner=OPERATOR)
    run = store.get(run_id)
    assert status == "finished", run["error"]
    val = [e["val_accuracy"] for e in store.metrics(run_id, "epoch")]
    assert len(val) == len(baselines.C_GRID)
    assert run["summary"]["best_C"] == baselines.C_GRID[int(np.argmax(val))]
    assert run["summary"]["test_accuracy"] == 0.0  # the flipped test set was only scored
    model = inference.load_trained(store.model_path(run))  # arrays, no pickle
    p = model.predict_texts(["a wonderful great film", "an awful boring film"])
    assert ((0 <= p) & (p <= 1)).all() and p[0] > 0.5 > p[1]
    assert run["summary"]["params"] == len(model.vocabulary) + 1


def test_bigrams_add_word_pairs():
    vec = baselines.vectorizer(2)
    vec.fit(["not good at all", "not good", "good fun"])
    assert set(vec.vocabulary_) == {"not", "good", "not good"}  # min_df=2: seen in 2 reviews
    assert baselines._grams("Not good!", 2) == ["not", "good", "not good"]
    assert baselines._grams("Not good!", 1) == ["not", "good"]


def test_the_textbook_bag_of_bigrams_network_trains_and_reports(tmp_path, monkeypatch):
    monkeypatch.setattr(baselines, "_texts", _tiny_texts)
    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path))
    store = RunStore(tmp_path / "runs.sqlite")
    config = models.preset("bigram_dense", train_size=30, epochs=2, batch_size=4)
    run_id, status = jobs.run(store, "imdb", config, owner=OPERATOR)
    run = store.get(run_id)
    assert status == "finished", run["error"]
    assert len(store.metrics(run_id, "epoch")) == 2
    assert models.summary(config)[1] == 320033  # at the full 20,000-token vocabulary
    model = inference.load_trained(store.model_path(run))  # so Try a review has its verdict
    test_texts, test_labels = _tiny_texts(config)["test"]  # the saved model scores as the run did
    agreed = np.mean((model.predict_texts(test_texts) > 0.5) == (test_labels == 1))
    assert run["summary"]["test_accuracy"] == pytest.approx(agreed)
    p, known, total = inference.text_verdict(model, "a wonderful film, zzyzx", 10000, 500)
    assert p == pytest.approx(float(model.predict_texts(["a wonderful film, zzyzx"])[0]))
    assert (known, total) == (4, 7)  # a, wonderful, film, a wonderful; not
    #                                  wonderful film (never seen), zzyzx, film zzyzx


def test_a_saved_bag_of_bigrams_network_predicts_as_it_did(tmp_path, monkeypatch):
    import tensorflow as tf

    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path))
    model = baselines.build_bigram_dense(GOOD + BAD + ["", "   "])
    path = tmp_path / "models" / "run-1.keras"
    path.parent.mkdir()
    baselines.save_bigram_dense(model, path)
    texts = GOOD + BAD + ["never seen words", ""]
    before = model.predict(tf.constant(texts)[:, None], verbose=0).reshape(-1)
    np.testing.assert_allclose(inference.load_trained(path).predict_texts(texts), before,
                               atol=1e-6)


def test_a_bag_of_bigrams_network_has_the_textbook_shape():
    model = baselines.build_bigram_dense(GOOD + BAD)
    vectorize = model.get_layer("bag_of_bigrams")
    tokens = len(vectorize.get_vocabulary())  # up to 20,000 on IMDB; a few dozen here
    assert vectorize.get_config()["ngrams"] == 2 and "great acting" in vectorize.get_vocabulary()
    assert model.count_params() == tokens * 16 + 16 + 17


def test_a_reloaded_bag_model_scores_exactly_as_the_fitted_one_even_with_repeated_words(
        tmp_path):
    """The saved arrays rebuild the same TF-IDF (sublinear tf included) and the same scores."""
    from sklearn.linear_model import LogisticRegression

    texts, labels = GOOD * 4 + BAD * 4, np.array([1] * 12 + [0] * 12)
    for ngrams in (1, 2):
        vec = baselines.vectorizer(ngrams)
        fitted = LogisticRegression(C=1.0).fit(vec.fit_transform(texts), labels)
        vocabulary = [w for w, _ in sorted(vec.vocabulary_.items(), key=lambda item: item[1])]
        saved = baselines.BowModel(vocabulary, vec.idf_, fitted.coef_[0], fitted.intercept_[0],
                                   ngrams)
        saved.save(tmp_path / "bow.npz")
        loaded = baselines.BowModel.load(tmp_path / "bow.npz")
        tries = ["great great great acting", "awful awful, just awful boring boring story"]
        expected = fitted.predict_proba(vec.transform(tries))[:, 1]
        assert loaded.predict_texts(tries) == pytest.approx(expected, abs=1e-12)
