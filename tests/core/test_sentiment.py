"""The sentiment unit on tiny data: the probe never sees test labels, a planted unit is found,
padded batches read as one review at a time does, and a held unit stays held."""
from __future__ import annotations

import numpy as np
import pytest

from core import jobs
from core.classify import sentiment
from core.language import charlm
from core.language.generation import StatefulGenerator
from core.runs.people import OPERATOR
from tests.conftest import requires_mirror


def _planted(n: int = 400, units: int = 12, unit: int = 5, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    x = rng.normal(size=(n, units))
    x[:, unit] = -1.5 * y + rng.normal(scale=0.3, size=n)  # low means positive
    return x, y


def test_a_planted_unit_is_found_with_its_direction():
    x, y = _planted()
    found = sentiment.best_unit(x, y)
    assert found["unit"] == 5 and found["sign"] == -1 and found["train_accuracy"] > 0.95
    assert np.mean(sentiment.unit_predicts(x, found) == y) == found["train_accuracy"]


def test_subsets_are_balanced_and_nested():
    y = np.array([0] * 70 + [1] * 30)
    subsets = sentiment.balanced_subsets(y, (10, 40, 60, 1000))
    assert sorted(subsets) == [10, 40, 60]  # 1000 needs more reviews than there are
    assert all(np.bincount(y[rows]).tolist() == [n // 2, n - n // 2] for n, rows in subsets.items())
    assert set(subsets[10]) <= set(subsets[40]) <= set(subsets[60])


def test_the_probes_never_see_the_test_labels():
    """Flipping every test label changes only the scores (each becomes 1 - itself): nothing
    chosen or fitted depends on them."""
    x, y = _planted(600)
    texts = ["good fine" if label else "bad awful" for label in y]
    train, test = slice(0, 400), slice(400, 600)
    args = ({"final c": x[train]}, y[train], texts[:400], {"final c": x[test]})
    real = sentiment.evaluate(*args, y[test], texts[400:], sizes=(10, 100))
    flipped = sentiment.evaluate(*args, 1 - y[test], texts[400:], sizes=(10, 100))
    for a, b in zip(real["sizes"], flipped["sizes"]):
        assert a["final c"]["accuracy"] == pytest.approx(1 - b["final c"]["accuracy"])
        assert a["bag_accuracy"] == pytest.approx(1 - b["bag_accuracy"])
        assert a["final c"]["units_used"] == b["final c"]["units_used"]
    unit, other = real["units"]["final c"], flipped["units"]["final c"]
    assert {k: v for k, v in unit.items() if k != "test_accuracy"} == \
        {k: v for k, v in other.items() if k != "test_accuracy"}
    assert unit["test_accuracy"] == pytest.approx(1 - other["test_accuracy"])
    assert unit["unit"] == 5 and real["sizes"][-1]["final c"]["accuracy"] > 0.9
    assert unit["positive_value"] < unit["negative_value"]  # low means positive here
    assert sentiment.evaluate(*args, y[test], texts[400:], stopping=lambda: True) is None


@pytest.fixture(scope="module")
def char_model():
    import keras

    keras.utils.set_random_seed(0)
    chars = list("abcdefgh .")
    return charlm.build_fast_model(len(chars), 4, 6), chars


def test_padded_batches_read_each_review_as_alone(char_model):
    """Reviews of different lengths in one padded batch get the final carry and the mean
    hidden state the step-by-step generator has when it reads each one alone (the mask keeps
    padding out of both)."""
    model, chars = char_model
    texts = ["abc", "a bad egg. " * 9, "", "héh"]  # é is outside the alphabet: left out
    config = sentiment.ProbeConfig(last_chars=50, batch_size=4)
    states = sentiment.review_states(model, chars, texts, False, config)
    gen = StatefulGenerator(model, chars)
    for i, text in enumerate(texts):
        read = sentiment.review_text(text, chars, False, 50)
        h, c, hs = np.zeros((1, 6)), np.zeros((1, 6)), []
        for ch in read:
            _, h, c = gen.step(gen.stoi[ch], h, c)
            hs.append(h[0])
        np.testing.assert_allclose(states["final c"][i], c[0], atol=1e-5)
        np.testing.assert_allclose(states["mean h"][i], np.mean(hs, axis=0) if hs else 0,
                                   atol=1e-5)
    assert sentiment.review_states(model, chars, texts, False, config, lambda: True) is None


def test_a_held_unit_stays_at_its_value(char_model):
    model, chars = char_model
    gen = StatefulGenerator(model, chars)
    state = gen.read("a bad egg", clamp=(2, 0.8))
    assert state.c[0, 2] == 0.8 and abs(state.h[0, 2]) <= np.tanh(0.8)
    free, held = (sentiment.held(gen, "a bad egg", 2, value, 40, 1.0, 0) for value in (0.0, 3.0))
    assert len(free) == len(held) == 40 and free != held  # same seed: the unit changed it


@requires_mirror
def test_a_run_on_imdb_reviews_finds_a_unit_and_scores_it_on_test_reviews(tmp_path,
                                                                           monkeypatch):
    """The job as the page starts it, tiny: a char LM on the reviews without labels, then its
    states read for train and test reviews; the summary holds the table the page draws. The
    bag of words beside the probes reads what the model reads: each review's last characters."""
    from dataclasses import asdict

    bag_read = []
    fit_bag = sentiment.fit_bag
    monkeypatch.setattr(sentiment, "fit_bag",
                        lambda texts, y: bag_read.extend(texts) or fit_bag(texts, y))

    from core.data import corpora
    from core.runs import worker
    from core.runs.store import RunStore

    assert "\n" in corpora.load_text("imdb_reviews")[:5000]  # one review a line
    said = charlm.corpus_numbers("imdb_reviews", True, max_chars=200_000)  # as the page shows
    assert said["rare"] and said["alphabet"] < said["unique_chars"]  # its rare chars are said
    store = RunStore(tmp_path / "runs.sqlite")
    config = charlm.CharConfig(corpus="imdb_reviews", units=8, embedding_dim=4, seq_len=20,
                               max_chars=40_000, min_count=5, probe_train=120, probe_test=60)
    run_id = store.create(charlm.KIND, asdict(config), "sentiment", owner=OPERATOR)
    assert worker.run_in_foreground(store, run_id, jobs.char_run) == "finished"
    found = store.get(run_id)["summary"]["sentiment"]
    assert [row["labels"] for row in found["sizes"]] == [10, 100]  # 1,000 needs more reviews
    assert found["train_reviews"] == 120 and found["test_reviews"] == 60
    assert all(row[k]["units_used"] >= 1 for row in found["sizes"] for k in sentiment.FEATURES)
    assert found["bag_reads"] == "the same characters"
    last = sentiment.ProbeConfig().last_chars
    assert bag_read and max(map(len, bag_read)) == last  # reviews longer than that were cut
    assert set(found["units"]) == set(sentiment.FEATURES)
    assert all(0 <= unit["unit"] < 8 for unit in found["units"].values())
    logged = store.metrics(run_id, sentiment.PROBE_KIND)
    read = [row for row in logged if row["stage"] == "reading reviews"]
    assert read[-1]["done"] == read[-1]["total"] == 180
    assert [row["done"] for row in logged if row["stage"] != "reading reviews"] == [0, 1]
    with pytest.raises(ValueError, match="imdb_reviews"):
        charlm.CharConfig(corpus="nietzsche", probe_train=100, probe_test=100)


def test_the_reading_names_the_best_unit_by_the_train_reviews_not_the_test_reviews():
    from core.classify import sentiment

    rows = [{"labels": n, "bag_accuracy": bag,
             "final c": {"accuracy": c, "units_used": 3}, "mean h": {"accuracy": h, "units_used": 2}}
            for n, bag, c, h in ((10, 0.55, 0.60, 0.50), (1000, 0.80, 0.75, 0.70))]
    units = {"final c": {"unit": 7, "train_accuracy": 0.70, "test_accuracy": 0.68},
             "mean h": {"unit": 9, "train_accuracy": 0.65, "test_accuracy": 0.72}}  # lucky on test
    said = sentiment.reading(rows, units)
    assert "The best single unit on the train reviews, 7 of the final carry c, gets 68.0%" in said
    assert "ahead of the bag of words at 10)" in said and "behind the bag of words at every" in said
    assert sentiment.unit_predicts(0.3, {"unit": 0, "sign": 1, "threshold": 0.1}) == 1
    assert sentiment.unit_predicts(0.3, {"unit": 0, "sign": -1, "threshold": 0.1}) == 0


def test_a_probe_on_few_labels_keeps_a_unit_where_ties_once_zeroed_every_weight():
    """10 labels, 5 folds: the small Cs all score 50% and scikit-learn's tie-break took the
    smallest, whose L1 penalty zeroes every weight ("0 units"). The lab's rule keeps a unit."""
    import numpy as np

    from core.classify import sentiment

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(10, 16)), np.array([0, 1] * 5)
    x[:, 3] += 1.5 * y
    probe = sentiment.fit_probe(x, y)
    assert np.count_nonzero(probe[-1].coef_) >= 1
    assert "keep at least one unit" in sentiment.PROBE_C_RULE
