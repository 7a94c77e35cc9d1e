"""Train & compare through the page: a tiny run starts, finishes, shows up; bad settings."""
from __future__ import annotations


import pytest

from core.classify import training
from core.runs.people import OPERATOR
from core.runs.store import RunStore
from tests.conftest import requires_mirror
from tests.dashboard.conftest import open_page
from tests.waiting import wait_until

PAGE = "dashboard/pages/train.py"
pytestmark = requires_mirror


def _wait_for(store: RunStore, run_id: int, seconds: float = 240) -> dict:
    wait_until(lambda: store.get(run_id)["status"] not in ("queued", "running"), seconds, 0.5)
    return store.get(run_id)


def _train_through_page(at, kind: str, epochs: int) -> dict:
    """Choose ``kind`` on 500 reviews, press Train, wait for the one new run; it, finished."""
    at.multiselect(key="train.kinds").set_value([kind]).run()
    at.select_slider(key="train.size").set_value(500).run()
    at.number_input(key="train.epochs").set_value(epochs).run()
    store = RunStore()
    before = {r["id"] for r in store.list(training.KIND)}
    at.button(key="train.go!").click().run()
    new = [r for r in store.list(training.KIND) if r["id"] not in before]
    assert len(new) == 1
    return _wait_for(store, new[0]["id"])


def test_a_tiny_run_trains_through_the_page_and_appears_in_the_table(no_exception):
    at = no_exception(open_page(PAGE))
    run = _train_through_page(at, "dense", 2)
    assert run["status"] == "finished" and run["summary"]["params"] == 80161
    at.run()
    no_exception(at)
    table = next(d.value for d in at.dataframe if "test at last" in d.value.columns)
    row = table[table["run"] == run["id"]].iloc[0]
    assert row["status"] == "finished" and row["at epoch"] in ("1", "2")
    summary = run["summary"]
    assert float(row["test at last"]) == pytest.approx(summary["test_accuracy"], abs=5e-4)
    assert float(row["test at best"]) == pytest.approx(summary["test_at_best"], abs=5e-4)
    at.text_area(key="train.review").set_value("qwzx vbnmq zzqpx").run()  # no word it knows
    assert any("None of these words are in the models' vocabulary" in i.value for i in at.info)
    at.selectbox(key="train.manage!").set_value(run["id"]).run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Take it home (.zip)" in labels and "Model" in labels


def test_settings_that_cannot_train_are_explained(no_exception):
    at = no_exception(open_page(PAGE))
    at.multiselect(key="train.kinds").set_value(["lstm"]).run()
    at.select_slider(key="train.size").set_value(500).run()
    at.number_input(key="train.lstm.batch").set_value(4096).run()
    no_exception(at)
    assert "larger than the 400 training reviews" in at.error[0].value
    at.number_input(key="train.lstm.batch").set_value(32).run()
    at.number_input(key="train.lstm.maxlen").set_value(1).run()  # one word still trains
    assert not at.error


def test_no_model_chosen_and_a_review_with_no_model_to_read_it(no_exception, tmp_path,
                                                               monkeypatch):
    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path))  # a lab with no runs yet
    at = no_exception(open_page(PAGE))
    at.multiselect(key="train.kinds").set_value([]).run()
    assert "Pick at least one model" in " ".join(i.value for i in at.info)
    at.text_area(key="train.review").set_value("qwzx vbnmq zzqpx").run()
    no_exception(at)
    assert any("No trained model yet" in i.value for i in at.info)


def test_a_new_model_kind_is_one_registry_entry_and_the_page_trains_it(no_exception):
    """A toy architecture registered from outside: the Train page lists it, says what it
    teaches, trains it and reports it, with no page edit."""
    from core.classify import models

    models.register(models.Architecture(
        "toy_mean", "Averaging word vectors: a bag of embeddings.",
        lambda config, layers, x: layers.GlobalAveragePooling1D()(x), dict(maxlen=50, batch_size=32)))
    try:
        at = no_exception(open_page(PAGE))
        assert "toy_mean" in at.multiselect(key="train.kinds").options
        at.multiselect(key="train.kinds").set_value(["toy_mean"]).run()
        assert any("bag of embeddings" in c.value for c in at.caption)
        run = _train_through_page(at, "toy_mean", 1)
        assert run["status"] == "finished" and run["summary"]["params"] == 10000 * 32 + 33
    finally:
        models.unregister("toy_mean")


def test_a_new_job_kind_is_one_registry_entry_and_travels_from_the_train_page(
        tmp_path, monkeypatch, no_exception):
    """One ``jobs.register`` call: the kind trains, and the Train page's Manage panel offers
    its take-home zip, with no change to the dashboard."""
    from dataclasses import dataclass

    from core import jobs

    @dataclass(frozen=True)
    class Count:
        to: int = 3

    def count(store, run_id, stop_flag):
        for i in range(Count(**store.get(run_id)["config"]).to):
            store.log(run_id, "progress", i + 1, {"loss": 1.0 / (i + 1), "total": 3})
        path = store.file_path(run_id, f"count-{run_id}.txt")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("1 2 3")
        return {"counted": 3, "model": path.name}

    jobs.register(jobs.JobKind("toy_count", "Counting", Count, count, take_home=jobs.TakeHome(
        lambda path, run: b"PK-" + path.read_bytes(), "The counts, as counted.")))
    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path / "runs"))
    try:
        store = RunStore()
        run_id, status = jobs.run(store, "toy_count", Count(), owner=OPERATOR)
        assert status == "finished" and store.get(run_id)["summary"]["counted"] == 3
        assert len(store.metrics(run_id, "progress")) == 3
        at = no_exception(open_page(PAGE))
        at.selectbox(key="train.manage!").set_value(run_id).run()
        home = [b for b in at.get("download_button") if b.proto.label == "Take it home (.zip)"]
        assert home and "The counts, as counted." in home[0].proto.help
    finally:
        jobs.KINDS.pop("toy_count")


def test_race_sets_pick_their_models(no_exception):
    at = no_exception(open_page(PAGE))
    at.button(key="train.set.The lecture's six!").click().run()
    no_exception(at)
    assert at.multiselect(key="train.kinds").value == ["dense", "glove_dense", "cnn",
                                                      "simple_rnn", "lstm", "gru"]
    assert at.button(key="train.go!").label == "Race"
    at.button(key="train.set.Bags against sequences!").click().run()
    assert at.multiselect(key="train.kinds").value[:2] == ["bow_logreg", "bigram_dense"]


def test_a_transformers_attention_is_drawn_beside_the_word_pushes(no_exception, tmp_path,
                                                                   monkeypatch):
    import dataclasses

    from core import jobs
    from core.classify import models

    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path))  # only this transformer
    config = dataclasses.replace(models.preset("transformer"), train_size=500, maxlen=30,
                                 embedding_dim=8, units=8, epochs=1)
    run_id, status = jobs.run(RunStore(), training.KIND, config, owner=OPERATOR)
    assert status == "finished"
    at = no_exception(open_page(PAGE))
    at.text_area(key="train.review").set_value("A dull film with a great cast.").run()
    no_exception(at)
    assert at.selectbox(key="train.explain!").value == run_id
    said = " ".join(c.value for c in at.caption)
    # an untrained Transformer looks everywhere alike: it says so, and names no word
    assert ("Most attended:" in said and "strongest pushes:" in said) or \
        ("spread almost evenly" in said and "Most attended:" not in said)
    assert "padding" in said  # a run without Fast has no padding mask: it says how much


def test_the_code_for_this_view_follows_the_pages_settings(no_exception):
    """The code shown (and downloaded) is the page's settings: a change of epochs changes it;
    two models give a choice, GloVe's with its frozen vectors."""
    at = no_exception(open_page(PAGE))
    code = next(c.value for c in at.code if "keras.Model(" in c.value)
    assert "epochs=10" in code and "LOCAL_COPY = None" in code
    at.number_input(key="train.epochs").set_value(3).run()
    code = next(c.value for c in no_exception(at).code if "keras.Model(" in c.value)
    assert "epochs=3" in code and "epochs=10" not in code
    at.multiselect(key="train.kinds").set_value(["lstm", "glove_dense"]).run()
    at.selectbox(key="train.code_kind").set_value("glove_dense").run()
    code = next(c.value for c in no_exception(at).code if "keras.Model(" in c.value)
    assert "glove.6B.zip" in code and "trainable=False" in code
    labels = [b.label for b in at.get("download_button")]
    assert {"Download .py", "Download notebook (.ipynb)"} <= set(labels)


def test_a_setting_changed_with_the_click_is_the_one_the_run_gets(no_exception):
    """Train queues in the click's callback with the configs the button was drawn with; a
    setting changed in the same interaction (typed, then Train clicked at once) must not be
    lost: the run gets the new value."""
    at = no_exception(open_page(PAGE))
    at.multiselect(key="train.kinds").set_value(["dense"]).run()
    at.select_slider(key="train.size").set_value(500).run()
    store = RunStore()
    before = {r["id"] for r in store.list(training.KIND)}
    at.number_input(key="train.epochs").set_value(3)  # not run: sent with the click
    at.button(key="train.go!").click().run()
    no_exception(at)
    new = [r for r in store.list(training.KIND) if r["id"] not in before]
    assert [r["config"]["epochs"] for r in new] == [3]
    store.request_stop(new[0]["id"], by=OPERATOR)
    _wait_for(store, new[0]["id"])
