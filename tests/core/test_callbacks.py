"""Per-batch values recovered from Keras's running means; divergence; what the store receives."""
from __future__ import annotations

import math

import keras
import numpy as np

from core.runs import callbacks
from core.runs.people import OPERATOR
from core.runs.store import RunStore


def running_means(values: list[float], sizes: list[int]) -> list[float]:
    """What Keras 3 reports at each batch end: the sample-weighted mean since the epoch began."""
    totals = np.cumsum(np.multiply(values, sizes))
    return list(totals / np.cumsum(sizes))


def test_batch_losses_come_back_from_running_means():
    losses = [0.9, 0.7, 0.8, 0.2, 0.65]  # the last batch is ragged: 4 samples, not 10
    means = running_means(losses, [10, 10, 10, 10, 4])
    recover = callbacks.BatchMeans(batch_size=10, n_samples=44)
    got = [recover.update(b, {"loss": m})["loss"] for b, m in enumerate(means)]
    assert np.allclose(got, losses)


def test_a_new_epoch_starts_a_new_mean():
    recover = callbacks.BatchMeans(batch_size=2)
    for epoch_losses in ([1.0, 3.0], [0.5, 0.1]):
        means = running_means(epoch_losses, [2, 2])
        assert np.allclose([recover.update(b, {"loss": m})["loss"] for b, m in enumerate(means)],
                           epoch_losses)


def test_divergence_is_named_with_its_cause():
    assert "not a number" in callbacks.divergence(math.nan, 0.69)
    assert "exploded" in callbacks.divergence(703.0, 0.69)
    assert callbacks.divergence(0.7, 0.69) is None
    assert callbacks.divergence(3.0, None) is None


def _fit(store, run_id, lr: float, epochs: int = 2):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 5)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss="binary_crossentropy",
                  metrics=["accuracy"])
    callback = callbacks.store_metrics(store, run_id, 64, 8)
    callbacks.BATCH_LOG_SECONDS, saved = 0.0, callbacks.BATCH_LOG_SECONDS
    try:
        model.fit(x, y, batch_size=8, epochs=epochs, verbose=0, callbacks=[callback],
                  shuffle=False)
    finally:
        callbacks.BATCH_LOG_SECONDS = saved
    return model, x, y, callback


def test_the_store_gets_each_batch_loss_not_the_running_mean(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite")
    run_id = store.create("test", {}, owner=OPERATOR)
    model, x, y, _ = _fit(store, run_id, lr=0.0)  # lr 0: the weights never move
    per_sample = keras.losses.binary_crossentropy(y[:, None], model.predict(x, verbose=0))
    expected = np.asarray(per_sample).reshape(8, 8).mean(axis=1)
    batches = store.metrics(run_id, "batch")
    assert len(batches) == 16
    assert np.allclose([b["loss"] for b in batches[:8]], expected, atol=1e-5)
    assert [b["epoch_x"] for b in batches[:2]] == [0.125, 0.25] and batches[-1]["epoch_x"] == 2.0
    # each batch's own training seconds: growing, and the second epoch's after the first's
    train_s = [b["train_s"] for b in batches]
    first = store.metrics(run_id, "epoch")[0]["seconds"]
    assert train_s == sorted(train_s) and train_s[7] <= first <= train_s[8]


def test_a_run_that_explodes_is_stopped_and_says_why(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite")
    run_id = store.create("test", {}, owner=OPERATOR)
    *_, callback = _fit(store, run_id, lr=1e6, epochs=5)
    assert callback.diverged and "Lower the learning rate" in callback.diverged
    assert len(store.metrics(run_id, "epoch")) < 5
