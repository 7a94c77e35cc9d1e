"""Models that travel: the zip's score.py, run without the lab (tests/elsewhere.py), gives the
lab's own P(positive) for a review."""
from __future__ import annotations

import dataclasses
import zipfile

import pytest

from core import jobs
from core.classify import baselines, export, inference, models, training
from core.runs.people import OPERATOR
from core.runs.store import RunStore
from tests import elsewhere
from tests.conftest import requires_mirror

pytestmark = requires_mirror
REVIEW = "A wonderful film, wonderful acting; the ending dragged, but I loved it. Zzyzx!"


def _score_elsewhere(home, bundle: bytes, folder) -> float:
    """Unpack the zip in an empty folder and run its score.py there, as ``python -I`` would,
    in the kernel started outside the project: only the installed packages are there."""
    with zipfile.ZipFile(__import__("io").BytesIO(bundle)) as z:
        z.extractall(folder)
    return float(elsewhere.script(home, folder, "score.py", REVIEW).strip().splitlines()[-1])


def _tiny_reviews(monkeypatch, tmp_path) -> None:
    """The bag kinds read 24 tiny reviews of the test's own, into a store of its own."""
    import numpy as np

    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path / "runs"))
    good = ["a wonderful moving film", "great acting and a superb story"] * 6
    bad = ["an awful boring film", "terrible acting and a dull story"] * 6
    monkeypatch.setattr(baselines, "_texts", lambda config: {
        "train": (good + bad, np.array([1] * 12 + [0] * 12)),
        "val": (good[:2] + bad[:2], np.array([1, 1, 0, 0])),
        "test": (good[:2] + bad[:2], np.array([1, 1, 0, 0]))})


@pytest.mark.parametrize("kind, fast", [("dense", False), ("transformer", True)])
def test_a_keras_classifier_scores_at_home_as_in_the_lab(kind, fast, tmp_path, monkeypatch, home):
    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path / "runs"))
    config = dataclasses.replace(models.preset(kind), train_size=500, epochs=1, fast=fast,
                                 **({"maxlen": 40, "embedding_dim": 8, "units": 8}
                                    if kind == "transformer" else {}))
    store = RunStore()
    run_id, status = jobs.run(store, training.KIND, config, owner=OPERATOR)
    assert status == "finished"
    run = store.get(run_id)
    lab = inference.text_verdict(inference.load_trained(store.model_path(run)), REVIEW,
                                 config.num_words, config.maxlen)[0]
    bundle = export.bundle(store.model_path(run), run["config"])
    names = set(zipfile.ZipFile(__import__("io").BytesIO(bundle)).namelist())
    assert {"model.keras", "vocabulary.json", "score.py"} <= names
    assert ("seqlab_layers.py" in names) == (kind == "transformer")
    assert _score_elsewhere(home, bundle, tmp_path / "home") == pytest.approx(lab, abs=1e-6)


def test_a_bag_model_scores_at_home_as_in_the_lab(tmp_path, monkeypatch, home):
    _tiny_reviews(monkeypatch, tmp_path)
    store = RunStore()
    run_id, status = jobs.run(store, training.KIND, models.preset("bow_logreg", train_size=30), owner=OPERATOR)
    assert status == "finished"
    run = store.get(run_id)
    lab = inference.load_trained(store.model_path(run)).predict_texts([REVIEW])[0]
    bundle = export.bundle(store.model_path(run), run["config"])
    assert _score_elsewhere(home, bundle, tmp_path / "home") == pytest.approx(float(lab), abs=1e-9)


def test_the_bag_of_bigrams_network_scores_at_home_as_in_the_lab(tmp_path, monkeypatch, home):
    _tiny_reviews(monkeypatch, tmp_path)
    store = RunStore()
    config = models.preset("bigram_dense", train_size=30, epochs=1, batch_size=8)
    run_id, status = jobs.run(store, training.KIND, config, owner=OPERATOR)
    assert status == "finished"
    run = store.get(run_id)
    lab = inference.load_trained(store.model_path(run)).predict_texts([REVIEW])[0]
    bundle = export.bundle(store.model_path(run), run["config"])
    assert _score_elsewhere(home, bundle, tmp_path / "home") == pytest.approx(float(lab), abs=1e-6)
    with pytest.raises(ValueError, match="cannot be taken home"):
        export.bundle(tmp_path / "run-1.keras", {"kind": "no_longer_registered"})
