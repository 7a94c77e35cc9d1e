"""The training job and its callback, on tiny data: metrics recorded, stop honoured."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.classify import costs, models, training
from core.runs import curves
from core.runs.people import OPERATOR
from core.runs.store import RunStore
from tests.waiting import wait_until


@pytest.fixture
def tiny(monkeypatch, tmp_cache, tmp_path):
    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path / "runs"))
    def fake_data(config):  # the same reviews at every call, so a test can score them again
        rng = np.random.default_rng(0)
        x = rng.integers(0, config.num_words, size=(96, config.maxlen)).astype("int32")
        y = rng.integers(0, 2, 96)
        return {"x_train": x[:64], "y_train": y[:64], "x_val": x[64:80], "y_val": y[64:80],
                "x_test": x[80:], "y_test": y[80:]}

    monkeypatch.setattr(training, "prepare_data", fake_data)
    store = RunStore()
    config = dataclasses.replace(models.PRESETS["lstm"], num_words=50, maxlen=12, units=4,
                                 embedding_dim=4, epochs=3, batch_size=8, train_size=80)
    return store, config


def test_a_run_records_batches_epochs_model_and_test_accuracy(tiny):
    store, config = tiny
    run = store.create(training.KIND, dataclasses.asdict(config), owner=OPERATOR)
    store.start(run)
    summary = training.train_run(store, run)
    epochs = store.metrics(run, "epoch")
    assert [e["step"] for e in epochs] == [1, 2, 3]
    assert {"loss", "accuracy", "val_loss", "val_accuracy", "seconds", "samples_per_s"} <= set(epochs[0])
    assert store.metrics(run, "batch")[0]["step"] == 1
    assert summary["test_accuracy"] == pytest.approx(_reloaded_accuracy(run, config), abs=1e-6)


def _reloaded_accuracy(run: int, config) -> float:
    """The saved model of ``run``, loaded again, scored on the test reviews it was scored on."""
    from core.classify import inference

    data = training.prepare_data(config)
    model = inference.load_trained(training.model_path(run))
    p = inference.predict_positive(model, data["x_test"])
    return float(np.mean((p > 0.5) == (data["y_test"] == 1)))


def test_test_accuracy_is_also_scored_with_the_weights_of_the_best_validation_epoch(
        tiny, monkeypatch):
    """Validation and test are the same reviews with the labels the other way round from the
    rule the model learns: the better it learns, the worse it validates, so the best epoch is
    an early one, and the score at it must be that epoch's, not the last one's."""
    store, config = tiny
    rng = np.random.default_rng(0)
    x = rng.integers(1, config.num_words, size=(640, config.maxlen)).astype("int32")
    y = (x[:, -1] < config.num_words // 2).astype("int32")  # learnable from the last word
    monkeypatch.setattr(training, "prepare_data", lambda config: {
        "x_train": x[:512], "y_train": y[:512], "x_val": x[512:], "y_val": 1 - y[512:],
        "x_test": x[512:], "y_test": 1 - y[512:]})
    config = dataclasses.replace(config, epochs=4, batch_size=16, units=8, embedding_dim=8)
    run = store.create(training.KIND, dataclasses.asdict(config), owner=OPERATOR)
    store.start(run)
    summary = training.train_run(store, run)
    val = [e["val_accuracy"] for e in store.metrics(run, "epoch")]
    assert summary["best_epoch"] == 1 + val.index(max(val)) < len(val)
    assert summary["test_at_best"] == pytest.approx(max(val), abs=1e-6)
    assert summary["test_accuracy"] == pytest.approx(val[-1], abs=1e-6)
    assert summary["test_at_best"] > summary["test_accuracy"]


def test_seconds_to_a_target_accuracy():
    from core.runs import curves

    run = {"started": 100.0}
    epochs = [{"wall": 110.0, "val_accuracy": 0.80}, {"wall": 120.0, "val_accuracy": 0.86}]
    assert curves.seconds_to(run, epochs, 0.85) == 20.0 and curves.seconds_to(run, epochs, 0.9) is None


def test_stop_is_honoured_within_one_batch_and_keeps_the_curve(tiny):
    store, config = tiny
    run = store.create(training.KIND, dataclasses.asdict(config), owner=OPERATOR)
    store.start(run)
    summary = training.train_run(store, run, stop_flag=lambda: True)
    batches = store.metrics(run, "batch")
    assert len(batches) == 1 and "test_accuracy" not in summary
    (epoch,) = store.metrics(run, "epoch")  # the cut epoch says so and counts one batch
    assert epoch["partial"] == 1.0 and epoch["samples"] == config.batch_size
    assert epoch["samples_per_s"] == pytest.approx(epoch["samples"] / epoch["seconds"])


def test_cost_figures_leave_out_an_epoch_cut_short():
    whole = {"step": 1, "seconds": 10.0, "samples_per_s": 100.0, "val_accuracy": 0.7}
    cut = {"step": 2, "seconds": 2.0, "samples_per_s": 20.0, "val_accuracy": 0.8, "partial": 1.0}
    summary = curves.run_summary([whole, cut])
    assert summary["s/epoch"] == 10.0 and summary["samples/s"] == 100.0
    assert summary["best val acc"] == 0.8 and summary["best epoch"] == 2
    assert curves.run_summary([cut])["samples/s"] == 20.0


def test_saved_model_reloads_in_safe_mode_only_from_our_folder(tiny, tmp_path):
    from core.classify import inference

    store, config = tiny
    run = store.create(training.KIND, dataclasses.asdict(config), owner=OPERATOR)
    training.train_run(store, run)
    model = inference.load_trained(training.model_path(run))
    assert model.count_params() > 0
    outside = tmp_path / "evil.keras"
    outside.write_bytes(b"x")
    with pytest.raises(ValueError, match="refusing to load"):
        inference.load_trained(outside)


def test_a_fast_run_trains_on_length_buckets_and_its_model_reads_any_padding(tiny):
    """Fast on a recurrent kind: whole batches cut to length buckets, XLA, masked padding; the
    saved model takes any length, and padding changes nothing in what it predicts."""
    from core.classify import inference

    store, config = tiny
    config = dataclasses.replace(config, fast=True)
    assert models.speedups(config) == {"buckets": True, "mask": True, "xla": False}  # small
    run = store.create(training.KIND, dataclasses.asdict(config), owner=OPERATOR)
    store.start(run)
    summary = training.train_run(store, run)
    assert summary["train_samples"] == 64
    assert summary["test_accuracy"] == pytest.approx(_reloaded_accuracy(run, config), abs=1e-6)
    assert [e["samples"] for e in store.metrics(run, "epoch")] == [64.0] * 3
    model = inference.load_trained(training.model_path(run))
    assert model.input_shape == (None, None)
    row = inference.encode_words(["good", "film"], 50, 12)
    wide = np.pad(row, ((0, 0), (40, 0)))
    assert inference.predict_positive(model, row) == pytest.approx(
        model.predict(wide, verbose=0).reshape(-1), abs=1e-6)


def test_fast_compiles_with_xla_only_when_the_run_is_long_enough_to_pay_for_it():
    lstm = models.preset("lstm", fast=True)
    assert models.speedups(lstm)["xla"]  # 20,000 reviews x 10 epochs
    for small in (dataclasses.replace(lstm, train_size=2000, epochs=2),
                  dataclasses.replace(lstm, train_size=25000, epochs=1)):
        assert models.speedups(small) == {"buckets": True, "mask": True, "xla": False}
    assert models.speedups(dataclasses.replace(lstm, train_size=25000, epochs=2))["xla"]
    assert costs.trained_with(dataclasses.asdict(dataclasses.replace(
        lstm, train_size=2000, epochs=2))) == "buckets + mask"


def test_fast_keeps_the_lecture_models_where_it_does_not_help():
    assert models.speedups(models.preset("cnn", fast=True)) == {"buckets": True, "mask": False,
                                                                "xla": False}
    for kind in ("dense", "glove_dense"):
        assert not any(models.speedups(models.preset(kind, fast=True)).values())
    assert models.speedups(models.preset("transformer", fast=True)) == {
        "buckets": True, "mask": True, "xla": False}
    assert not any(models.speedups(models.preset("lstm")).values())


def test_smoothing_is_debiased():
    assert curves.smooth([1.0, 1.0, 1.0], 0.9).tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert curves.smooth([1.0, 3.0], 0.0).tolist() == [1.0, 3.0]
    values = np.random.default_rng(0).normal(size=50)  # the curves the loop drew, unchanged
    for weight in (0.3, 0.6, 0.9):
        ema, loop = 0.0, []
        for t, v in enumerate(values, start=1):
            ema = weight * ema + (1 - weight) * v
            loop.append(ema / (1 - weight ** t))
        assert curves.smooth(values, weight) == pytest.approx(loop, rel=1e-12)
    with pytest.raises(ValueError, match="weight must be in"):
        curves.smooth([1.0], 1.0)


def test_a_classifiers_embedding_becomes_a_space():
    from core import paths
    from core.classify import inference

    if paths.mirror_dir() is None:
        pytest.skip("the offline data mirror is absent (the word index comes from it)")
    model = models.build_model("dense", num_words=50, maxlen=5, embedding_dim=3)
    space = inference.classifier_space(model, 50, "tiny classifier")
    assert len(space) == 46 and space.dim == 3 and space.words[0] == "the"  # id 4 = rank 1
    assert np.allclose(space.vector("the"), model.get_layer("embedding").get_weights()[0][4])


def test_batch_points_show_before_the_first_epoch_ends_and_cut_epochs_say_so():
    from core.runs import curves

    run = {"id": 3, "name": "fast", "started": 100.0}
    batches = [{"step": s, "wall": 100.0 + s, "loss": 4.0 - s / 10, "epoch_x": s / 40}
               for s in range(1, 18)]
    curve = curves.run_curve(run, [], batches, "loss", "epoch", 0.5)
    assert len(curve["batch_x"]) == 17 and curve["batch_x"][0] == 0.025 and not curve["train"]
    cut = {"step": 1, "wall": 117.0, "loss": 2.3, "epoch_x": 0.425, "partial": 1.0}
    curve = curves.run_curve(run, [cut], batches, "loss", "epoch", 0.5, scale=2.0)
    assert curve["epoch_x"] == [0.425] and curve["train"] == [4.6] and curve["partial"] == [True]
    assert curves.epoch_label(cut) == "epoch 1 (stopped at 42%)"
    assert curves.epoch_label({"step": 2, "epoch_x": 2.0}) == "epoch 2"


def test_a_shown_run_says_whose_it_is_on_charts_and_in_the_cost_table():
    """Issue 34: runs the instructor shows appeared on students' charts and cost tables
    without their owner's name."""
    from core.runs import curves

    run = {"id": 4, "name": "lstm", "owner_name": "Ann", "shown": 1, "status": "finished",
           "config": {"kind": "lstm"}, "summary": {}, "error": None}
    assert curves.run_curve(run, [], [], "loss", "epoch", 0.5)["name"] == "4·lstm · Ann"
    assert curves.cost_row(run, [])["name"] == "lstm · Ann"
    assert curves.run_curve({**run, "shown": 0}, [], [], "loss", "epoch", 0.5)["name"] == "4·lstm"


def test_batches_are_drawn_on_the_training_seconds_axis_from_the_first_one():
    """The default axis (each run's own training seconds) draws the batch line too, so a race's
    first point shows with its first batch, not at its first epoch's end (issue 34)."""
    from core.runs import curves

    run = {"id": 3, "name": "fast", "started": 100.0}
    batches = [{"step": s, "wall": 100.0 + s, "loss": 1.0, "epoch_x": s / 40, "train_s": s * 0.2}
               for s in range(1, 4)]
    curve = curves.run_curve(run, [], batches, "loss", "train s", 0.5)
    assert curve["batch_x"] == [0.2, 0.4, 0.6000000000000001] and not curve["train"]
    older = [{k: v for k, v in b.items() if k != "train_s"} for b in batches]  # stored before
    assert curves.run_curve(run, [], older, "loss", "train s", 0.5)["batch_x"] == []


def test_cost_rows_say_why_a_run_has_no_test_score():
    from core.runs import curves

    base = {"id": 1, "name": "x", "config": {"kind": "lstm"}, "summary": {}, "error": None}
    assert "not scored" in curves.cost_row({**base, "status": "stopped"}, [])["note"]
    row = curves.cost_row({**base, "status": "diverged", "error": "the loss exploded"}, [])
    assert row["note"] == "the loss exploded" and row["params"] is None


def test_a_race_shares_the_machine_epoch_by_epoch(tiny):
    """Two runs started together take turns: their epochs interleave, so both curves grow
    together instead of one waiting for the other to finish."""
    from core.runs import worker

    store, config = tiny
    runs = [store.create(training.KIND, dataclasses.asdict(config), owner=OPERATOR) for _ in range(2)]
    with worker.TURNS.turn("the test"):  # both runs are waiting before either trains
        threads = [worker.start_run(store, run, training.train_run) for run in runs]
        wait_until(lambda: worker.TURNS.waiting() == 2)
    for thread in threads:
        thread.join(120)
    ends = sorted((e["wall"], run) for run in runs for e in store.metrics(run, "epoch"))
    order = [run for _, run in ends]
    assert len(order) == 6 and order.count(runs[0]) == 3
    assert order in ([runs[0], runs[1]] * 3, [runs[1], runs[0]] * 3)  # epoch by epoch
    assert all(store.get(run)["status"] == "finished" for run in runs)


def test_runs_nobody_enrolled_are_served_in_the_order_they_asked_and_stop_while_waiting():
    import threading

    from core.runs.worker import Turns

    turns, served = Turns(), []
    with turns.turn("first"):
        def ask(name):
            with turns.turn(name) as mine:
                served.append((name, mine))
        waiters = []
        for name in ("a", "b", "c"):
            waiters.append(threading.Thread(target=ask, args=(name,)))
            waiters[-1].start()
            wait_until(lambda: turns.waiting() == len(waiters))  # a, then b, then c asked
        with turns.turn("gave up", lambda: True) as mine:
            assert mine is False  # asked to stop while waiting: no turn, no block
    for thread in waiters:
        thread.join(10)
    assert served == [("a", True), ("b", True), ("c", True)]


def test_the_race_summary_compares_families_on_the_same_reviews():
    run = lambda kind, size, score, status="finished": {  # noqa: E731
        "status": status, "config": {"kind": kind, "train_size": size},
        "summary": {"test_at_best": score}}
    runs = [run("bow_logreg", 25000, 0.90), run("lstm", 25000, 0.86), run("gru", 25000, 0.87),
            run("lstm", 2000, 0.95), run("cnn", 25000, 0.99, "stopped"), run("dense", 25000, 0.75)]
    assert training.race_at(runs, 25000) == {"bag": ("bow_logreg", 0.90),
                                             "sequence": ("gru", 0.87), "flat": ("dense", 0.75)}


def test_a_run_waiting_for_its_turn_says_so():
    from core.runs import curves

    run = {"status": "running", "config": {"epochs": 3}}
    assert curves.run_progress(run, [], [], batches=0) == (0.0, "waiting for its turn")
    on_ray = {**run, "place": "Ray node gpu-box (10.0.0.7), CPU, pid 42"}
    assert curves.run_progress(on_ray, [], [], batches=0)[1] == "starting on its node (data, model)"
    assert curves.run_progress(run, [], [], batches=4)[1] == "epoch 1/3 under way"
    assert curves.run_progress(run, [{}], [], batches=9) == (1 / 3, "epoch 1/3")


@pytest.mark.parametrize("kind", [k for k, a in models.ARCHITECTURES.items()
                                  if a.recurrent or a.any_length])
def test_every_kind_fast_buckets_trains_and_scores(kind, tiny, monkeypatch):
    """Fast on every kind it buckets, on left-padded reviews of many lengths (some longer
    than maxlen): it trains, saves a model that reads any length, and that model, loaded again,
    scores the test reviews as the run did."""
    from core.classify import inference

    store, config = tiny
    maxlen = 50

    def padded(config):
        rng = np.random.default_rng(1)
        x = np.zeros((96, maxlen), "int32")
        for row, n in zip(x, rng.integers(1, 70, 96)):
            row[maxlen - min(n, maxlen):] = rng.integers(1, config.num_words, min(n, maxlen))
        y = rng.integers(0, 2, 96)
        return {"x_train": x[:64], "y_train": y[:64], "x_val": x[64:80], "y_val": y[64:80],
                "x_test": x[80:], "y_test": y[80:]}

    monkeypatch.setattr(training, "prepare_data", padded)
    config = dataclasses.replace(models.preset(kind), num_words=50, maxlen=maxlen, units=4,
                                 embedding_dim=4, epochs=2, batch_size=8, train_size=80, fast=True)
    run = store.create(training.KIND, dataclasses.asdict(config), owner=OPERATOR)
    store.start(run)
    summary = training.train_run(store, run)
    assert summary["train_samples"] == 64
    assert summary["test_accuracy"] == pytest.approx(_reloaded_accuracy(run, config), abs=1e-6)
    model = inference.load_trained(training.model_path(run))
    rows = np.zeros((2, maxlen), "int32")
    rows[0, -1], rows[1, -3:] = 7, [1, 8, 9]  # a one-word review and a three-word one
    p = inference.predict_positive(model, rows)
    assert p.shape == (2,) and ((0 <= p) & (p <= 1)).all()


def test_a_runs_start_depends_only_on_its_own_seed_while_racing(tiny, monkeypatch):
    """Same config, same seed, raced beside different runs in one process: same first epoch
    (weights and shuffles are seeded in the run's own turn)."""
    from core.runs import worker

    store, config = tiny
    x = np.random.default_rng(3).integers(0, config.num_words, (96, config.maxlen)).astype("int32")
    y = np.random.default_rng(4).integers(0, 2, 96)
    monkeypatch.setattr(training, "prepare_data", lambda c: {
        "x_train": x[:64], "y_train": y[:64], "x_val": x[64:80], "y_val": y[64:80],
        "x_test": x[80:], "y_test": y[80:]})
    config = dataclasses.replace(config, epochs=2)

    def race(other) -> list[float]:
        ours = store.create(training.KIND, dataclasses.asdict(config), owner=OPERATOR)
        theirs = store.create(training.KIND, dataclasses.asdict(other), owner=OPERATOR)
        threads = [worker.start_run(store, r, training.train_run) for r in (theirs, ours)]
        [t.join(120) for t in threads]
        return [e["loss"] for e in store.metrics(ours, "epoch")]

    first = race(dataclasses.replace(config, seed=5))
    second = race(dataclasses.replace(config, seed=9, units=6, kind="gru"))
    assert len(first) == 2 and first == second


def test_deleting_a_trained_run_removes_its_model_and_snapshots(tiny):
    store, config = tiny
    run = store.create(training.KIND, dataclasses.asdict(config), owner=OPERATOR)
    store.start(run)
    summary = training.train_run(store, run)
    store.finish(run, "finished", summary=summary)
    files = store.files(run)
    assert training.model_path(run, store) in files and all(f.is_file() for f in files)
    store.delete(run, by=OPERATOR)
    assert not any(f.exists() for f in files)


def test_a_bag_baselines_cost_row_names_its_c_not_an_epoch():
    from core.runs import curves

    run = {"id": 1, "name": "bow", "status": "finished", "error": None, "started": 100.0,
           "config": {"kind": "bow_logreg", "epochs": 2},
           "summary": {"best_C": 2.0, "test_at_best": 0.9, "test_accuracy": 0.9}}
    epochs = [{"step": i, "wall": 100.0 + i, "val_accuracy": 0.8 + i / 100, "seconds": 1.0,
               "samples_per_s": 10.0}
              for i in range(1, 10)]
    row = curves.cost_row(run, epochs)
    assert row["at epoch"] is None and "C = 2 chosen on validation from the 9 values" in row["note"]


def test_a_typed_review_gets_each_models_verdict_and_a_networks_word_pushes(tiny):
    """What Try a review shows, from core: every finished model's verdict (at most
    MAX_VERDICTS), its known words, and the word pushes of the networks only."""
    from core.classify import inference

    store, config = tiny
    run = store.create(training.KIND, dataclasses.asdict(config), "tiny lstm", owner=OPERATOR)
    store.start(run)
    training.train_run(store, run)
    model = inference.load_trained(training.model_path(run))
    runs = [store.get(run)] * (inference.MAX_VERDICTS + 2)
    rows = inference.verdicts(runs, lambda _: model, "the film the zzyzx")
    assert len(rows) == inference.MAX_VERDICTS and rows[0]["total"] == 4
    assert rows[0]["verdict"] == ("positive" if rows[0]["P(positive)"] >= 0.5 else "negative")
    assert inference.explainable([store.get(run), {"id": 99, "config": {"kind": "bow_logreg"}},
                                  {"id": 98, "config": {"kind": "gone"}}]) == [run]
    p, seen, deltas = inference.explain(model, store.get(run)["config"], "the film the zzyzx")
    assert seen == ["the", "film", "the", "zzyzx"][-(config.maxlen - 1):] and len(deltas) == 4
    assert p == pytest.approx(rows[0]["P(positive)"], abs=1e-6)


@pytest.mark.parametrize("fast", [False, True])
def test_the_transformers_attention_over_a_typed_review(tiny, monkeypatch, fast):
    """Each head's attention over the review's words (averaged over the words that look), as
    the model reads the review: with Fast's padding mask it sums to 1 over the words; without,
    what it gives the padding and the start marker is said."""
    from core.classify import inference

    store, config = tiny
    config = dataclasses.replace(models.preset("transformer"), num_words=50, maxlen=12,
                                 embedding_dim=4, units=4, epochs=1, batch_size=8,
                                 train_size=80, fast=fast)
    run = store.create(training.KIND, dataclasses.asdict(config), owner=OPERATOR)
    store.start(run)
    training.train_run(store, run)
    model = inference.load_trained(training.model_path(run))
    assert inference.has_attention(model)
    seen = inference.attention_weights(model, "the film was good", 50, 12)
    assert seen["tokens"] == [inference.START, "the", "film", "was", "good"]
    assert seen["per_head"].shape == (2, 5) and (seen["per_head"] >= 0).all()
    total = seen["per_head"].sum(axis=1)
    assert total.mean() == pytest.approx(1 - seen["padding"], abs=1e-5)
    assert seen["mean"] == pytest.approx(seen["per_head"].mean(axis=0))
    if fast:  # masked: the review's tokens take all the attention
        assert total == pytest.approx([1.0, 1.0], abs=1e-5) and abs(seen["padding"]) < 1e-5
    else:  # the 7 padded positions take some
        assert 0 < seen["padding"] < 1


def test_the_attention_reading_is_computed_from_the_weights_and_the_pushes():
    from core.classify import inference

    words = ["a", "dull", "film", "great", "cast"]
    seen = {"tokens": [inference.START, *words], "padding": 0.0,
            "mean": np.array([0.05, 0.05, 0.3, 0.05, 0.4, 0.15])}
    deltas = np.array([0.0, -0.3, 0.01, 0.4, 0.1])
    text = inference.attention_reading(seen, words, deltas)
    assert "Most attended: great, dull, cast" in text and "3 of 3 in common" in text
    assert "+0.9" in text or "+1.0" in text
    assert "padding" in inference.attention_reading({**seen, "padding": 0.4}, words, deltas)


def test_a_model_near_chance_says_so_and_names_no_most_attended_word():
    """Issue 34: a Transformer with attention even (0.067 everywhere) was said to attend most to
    'superb, beautiful, film', and a model at P = 0.50 painted words dark."""
    from core.classify import inference

    words = ["superb", "beautiful", "film", "dull"]
    even = {"tokens": [inference.START, *words], "padding": 0.0,
            "mean": np.array([0.2, 0.21, 0.19, 0.2, 0.2])}
    text = inference.attention_reading(even, words, np.array([0.002, 0.001, 0.0, -0.001]))
    assert "Most attended" not in text and "Rank correlation" not in text
    assert "spread almost evenly (0.190 to 0.210" in text
    assert inference.not_learned(0.5412).startswith("This model has not learned yet: its best "
                                                    "validation accuracy is 0.541, under 0.55")
    assert inference.not_learned(inference.NEAR_CHANCE) is None
    assert inference.not_learned(None) is None  # no epoch yet: nothing to say
