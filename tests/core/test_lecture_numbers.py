"""The lecture's numbers on the full data (slow: run with ``./lab test -m slow``)."""
from __future__ import annotations

import dataclasses

import pytest

from core.classify import models, training
from core.data.imdb import load_imdb
from core.runs import worker
from core.runs.people import OPERATOR
from core.runs.store import RunStore
from tests.conftest import requires_mirror

pytestmark = [pytest.mark.slow, requires_mirror]


def test_full_imdb_has_keras_shapes_and_balance():
    (x, y), (x_test, y_test) = load_imdb(num_words=10000, maxlen=500)
    assert x.shape == (25000, 500) and x_test.shape == (25000, 500)
    assert x.max() < 10000 and y.sum() == 12500 and y_test.sum() == 12500


def test_the_lecture_dense_model_reaches_its_accuracy_on_full_data(tmp_path):
    """The lecture's dense model: best validation accuracy about 0.75 (measured 0.759)."""
    store = RunStore(tmp_path / "runs.sqlite")
    config = models.preset("dense", epochs=4)
    run_id = store.create(training.KIND, dataclasses.asdict(config), "dense, full data", owner=OPERATOR)
    assert worker.run_in_foreground(store, run_id, training.train_run) == "finished"
    best = max(e["val_accuracy"] for e in store.metrics(run_id, "epoch"))
    assert best >= 0.72 and store.get(run_id)["summary"]["params"] == 80161
