"""The run store: lifecycle, concurrent writers, stale runs, stop; the worker records failures."""
from __future__ import annotations

import threading
import time

import pytest

from core.runs import curves, worker
from core.runs.people import OPERATOR
from core.runs.store import RunStore


@pytest.fixture
def store(tmp_path) -> RunStore:
    return RunStore(tmp_path / "runs.sqlite")


def test_lifecycle_and_metrics(store):
    run = store.create("word2vec", {"dim": 8}, "first", owner=OPERATOR)
    store.start(run)
    store.log(run, "epoch", 1, {"loss": 0.5})
    store.log(run, "epoch", 2, {"loss": 0.4})
    store.finish(run, "finished", summary={"best": 0.4})
    got = store.get(run)
    assert got["status"] == "finished" and got["config"] == {"dim": 8}
    assert got["summary"] == {"best": 0.4}
    assert [m["loss"] for m in store.metrics(run, "epoch")] == [0.5, 0.4]


def test_concurrent_writers_and_readers_lose_nothing(store):
    runs = [store.create("k", {}, owner=OPERATOR) for _ in range(4)]

    def write(run):
        for step in range(50):
            store.log(run, "batch", step, {"loss": float(step)})

    def read():
        for _ in range(50):
            store.list()

    threads = [threading.Thread(target=write, args=(r,)) for r in runs] + \
              [threading.Thread(target=read) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert all(len(store.metrics(r, "batch")) == 50 for r in runs)


def test_a_run_whose_worker_died_is_marked_interrupted(store):
    run = store.create("k", {}, owner=OPERATOR)
    store.start(run)
    store.log(run, "batch", 1, {"loss": 1.0})
    assert store.mark_stale(after=0.0) == 1
    got = store.get(run)
    assert got["status"] == "interrupted" and "stopped reporting" in got["error"]
    assert store.metrics(run, "batch")  # the curve so far is kept


def test_a_queued_run_of_a_dead_process_is_interrupted(store):
    run = store.create("k", {}, owner=OPERATOR)
    store._update(run, pid=2 ** 22 + 12345)  # no such process
    store.mark_stale()
    assert store.get(run)["status"] == "interrupted"


def test_running_runs_cannot_be_deleted_and_names_cannot_be_empty(store):
    run = store.create("k", {}, owner=OPERATOR)
    with pytest.raises(ValueError, match="stop it first"):
        store.delete(run, by=OPERATOR)
    with pytest.raises(ValueError, match="cannot be empty"):
        store.rename(run, "  ", by=OPERATOR)
    model = store.file_path(run, f"run-{run}.keras")
    model.parent.mkdir(parents=True, exist_ok=True)
    model.write_bytes(b"weights")
    other = store.create("k", {}, owner=OPERATOR)
    kept = store.file_path(other, f"run-{other}.keras")
    kept.write_bytes(b"other weights")
    store.finish(run, "stopped")
    store.delete(run, by=OPERATOR)
    with pytest.raises(KeyError, match="no run with id"):
        store.get(run)
    assert not model.exists() and kept.exists()  # its files go, another run's stay
    assert store.metrics(run, "epoch") == []


def test_worker_records_an_error(store):
    run = store.create("k", {}, owner=OPERATOR)

    def boom(store, run_id, stop_flag):
        raise RuntimeError("out of memory")

    worker.start_run(store, run, boom).join(10)
    got = store.get(run)
    assert got["status"] == "failed" and got["error"] == "RuntimeError: out of memory"


def test_worker_stops_when_asked(store):
    run = store.create("k", {}, owner=OPERATOR)

    def loop(store, run_id, stop_flag):
        for step in range(1000):
            if stop_flag():
                return {"steps": step}
            store.log(run_id, "batch", step, {"loss": 0.0})
            time.sleep(0.01)

    thread = worker.start_run(store, run, loop)
    deadline = time.monotonic() + 30
    while not store.metrics(run, "batch") and time.monotonic() < deadline:
        time.sleep(0.01)  # stop it mid-loop, however slowly the thread got going
    worker.request_stop(store, run, by=OPERATOR)
    thread.join(10)
    got = store.get(run)
    assert got["status"] == "stopped" and 0 < got["summary"]["steps"] < 1000


def test_a_stop_from_another_process_reaches_the_worker_through_the_store(store):
    run = store.create("k", {}, owner=OPERATOR)
    inside = threading.Event()

    def loop(store, run_id, stop_flag):
        for step in range(1000):
            inside.set()
            if store.stop_requested(run_id):
                return {"steps": step}
            time.sleep(0.01)

    thread = worker.start_run(store, run, loop)
    assert inside.wait(30), "the job never started"
    store.request_stop(run, by=OPERATOR)  # as the CLI's store would see it: no in-process event
    thread.join(10)
    got = store.get(run)
    assert got["status"] == "stopped" and got["summary"]["steps"] < 1000


def test_two_stores_never_share_model_files(tmp_path, monkeypatch):
    from core.classify import training

    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path / "default"))
    other = RunStore(tmp_path / "bench" / "runs.sqlite")
    run = other.create("k", {}, owner=OPERATOR)
    assert training.model_path(run, other).parent == tmp_path / "bench" / "models"
    assert training.model_path(run) == tmp_path / "default" / "models" / f"run-{run}.keras"


def test_a_damaged_store_is_moved_aside_and_a_fresh_one_starts(tmp_path):
    path = tmp_path / "runs.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    store = RunStore(path)
    assert store.moved_aside is not None and store.moved_aside.read_bytes().startswith(b"this is")
    assert store.list() == [] and store.create("imdb", {}, owner=OPERATOR) == 1
    assert RunStore(path).moved_aside is None  # said once: the fresh store is fine


def test_worker_marks_a_diverged_run_and_keeps_failures_in_plain_words(tmp_path):
    from core.runs import curves, worker
    from core.runs.store import RunDiverged

    store = RunStore(tmp_path / "runs.sqlite")

    def diverging(store, run_id, stop_flag):
        raise RunDiverged("the loss exploded to 703")

    def missing_char(store, run_id, stop_flag):
        raise KeyError("characters not in the alphabet: 'é'")

    a, b = store.create("imdb", {}, owner=OPERATOR), store.create("imdb", {}, owner=OPERATOR)
    assert worker.run_in_foreground(store, a, diverging) == "diverged"
    assert worker.run_in_foreground(store, b, missing_char) == "failed"
    assert store.get(a)["error"] == "the loss exploded to 703"
    assert store.get(b)["error"] == "characters not in the alphabet: 'é'"


def test_runs_record_where_they_ran_and_an_old_store_gains_the_column(tmp_path):
    import sqlite3

    old = tmp_path / "old.sqlite"
    with sqlite3.connect(old) as db:  # a store from before runs could go to a cluster
        db.executescript(_OLD_SCHEMA)
    store = RunStore(old)
    run = store.create("imdb", {"kind": "lstm"}, "old store", owner=OPERATOR)
    store.start(run)
    assert store.get(run)["place"].startswith("embedded worker on ")
    store.start(run, "Ray node gpu-box (10.0.0.7), GPU 0, 1 CPU, pid 42")
    assert curves.ran_on(store.get(run)) == "Ray gpu-box, GPU 0"
    store.finish(run, "finished", summary={"cudnn": "GPU with cuDNN"})
    assert curves.ran_on(store.get(run)) == "Ray gpu-box, GPU 0 · GPU with cuDNN"
    assert curves.ran_on({"place": None, "summary": {}}) == "—"


def test_the_cudnn_report_names_what_keeps_keras_off_its_cudnn_kernels():
    from core.classify import costs, models

    lstm = models.preset("lstm")
    assert costs.cudnn_report(lstm, on_gpu=False) == "CPU (cuDNN needs a GPU)"
    assert costs.cudnn_report(lstm, on_gpu=True) == "GPU with cuDNN"
    assert costs.cudnn_report(models.preset("gru", recurrent_dropout=0.2, mask_zero=True),
                               on_gpu=True) == ("GPU without cuDNN (recurrent dropout, masking "
                                                "of left padding)")
    assert costs.cudnn_report(models.preset("simple_rnn"), on_gpu=True) == ""
    assert costs.cudnn_report(models.preset("cnn"), on_gpu=True) == ""


_OLD_SCHEMA = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, name TEXT NOT NULL,
    config TEXT NOT NULL, status TEXT NOT NULL, created REAL NOT NULL, started REAL,
    finished REAL, heartbeat REAL, pid INTEGER, error TEXT, stop_requested INTEGER DEFAULT 0,
    summary TEXT DEFAULT '{}');
"""


def test_a_cluster_job_gets_the_dashboards_folders_and_drops_those_its_node_lacks(
        tmp_path, monkeypatch):
    """Whatever the address (local, auto, ray://), a job on the dashboard's machine finds the
    mirror and the cache; one on a node without those folders uses its own defaults."""
    import os

    from core.runs import cluster, remote

    (tmp_path / "mirror").mkdir()
    monkeypatch.setenv("SEQLAB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SEQLAB_DATA_DIR", str(tmp_path / "mirror"))
    monkeypatch.setenv(cluster.ADDRESS_ENV, "ray://127.0.0.1:10001")
    env = cluster._passed_env(2)
    assert env["SEQLAB_CACHE_DIR"] == str(tmp_path / "cache")
    assert env["SEQLAB_DATA_DIR"] == str(tmp_path / "mirror") and env["TF_NUM_INTRAOP_THREADS"] == "2"
    monkeypatch.setenv("SEQLAB_DATA_DIR", str(tmp_path / "not on this node"))
    remote._adopt_folders()
    assert "SEQLAB_DATA_DIR" not in os.environ and os.environ["SEQLAB_CACHE_DIR"]
