"""Jobs on a real local Ray cluster (2 CPUs, no Ray dashboard): metrics reach the store, models
come back, Stop works (running and queued), runs go side by side, a killed worker is marked."""
from __future__ import annotations

import os
import re
import signal
import time

import pytest

from core import jobs, paths
from core.language import charlm
from core.runs import cluster, worker
from core.runs.people import OPERATOR
from core.runs.store import ACTIVE, RunStore
from tests.waiting import wait_until

ray = pytest.importorskip("ray")
TEXT = "the quick brown fox jumps over the lazy dog. a stitch in time saves nine. " * 300


@pytest.fixture(scope="module")
def on_ray(tmp_path_factory):
    """A local Ray cluster for the module, and a run store with an uploaded tiny corpus."""
    folder = tmp_path_factory.mktemp("ray-runs")
    (folder / "uploads").mkdir()
    (folder / "uploads" / "tiny.txt").write_text(TEXT, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:  # "local" starts one here, whatever points
        mp.setenv("RAY_ADDRESS", "127.0.0.1:1")  # elsewhere (or a stale file of a killed head)
        cluster.connect("local", num_cpus=2)
    yield RunStore(folder / "runs.sqlite")
    cluster.disconnect()


def config(epochs: int = 1, units: int = 8, **changes) -> charlm.CharConfig:
    return charlm.CharConfig(corpus="upload:tiny", units=units, embedding_dim=4, epochs=epochs,
                             **changes)


def finished(store: RunStore, run_id: int) -> bool:
    return store.get(run_id)["status"] not in ACTIVE


def test_two_runs_go_side_by_side_report_live_and_their_models_come_back(on_ray):
    """Two runs take a CPU each and a third waits in the queue; the two report every batch and
    epoch from their nodes, and their models come back into the dashboard's runs folder."""
    store = on_ray
    both = [jobs.launch(store, charlm.KIND, config(epochs=8, units=16), f"side {i}", owner=OPERATOR)
            for i in range(2)]
    assert all(store.get(i)["pid"] != os.getpid() for i in both)  # the store keeper answers
    wait_until(lambda: all(store.get(i)["status"] == "running" for i in both))
    third = jobs.launch(store, charlm.KIND, config(), "queued", owner=OPERATOR)
    keeper = cluster._keeper(store)
    looked = ray.get(keeper.passes.remote())
    wait_until(lambda: ray.get(keeper.passes.remote()) >= looked + 2)  # it looked, twice
    assert all(store.get(i)["status"] == "running" for i in both)
    assert store.get(third)["status"] == "queued"  # two CPUs, one each: no room for it
    worker.request_stop(store, third, by=OPERATOR)
    jobs.wait(store, [*both, third], by=OPERATOR)
    assert store.get(third)["status"] == "stopped" and store.count(third, "batch") == 0
    runs = [store.get(i) for i in both]
    assert all(r["status"] == "finished" for r in runs), [r["error"] for r in runs]
    assert max(r["started"] for r in runs) < min(r["finished"] for r in runs)  # they overlapped
    for run in runs:
        assert run["place"].startswith("Ray node ") and ", CPU" in run["place"]
        assert len(store.metrics(run["id"], "epoch")) == 8
        assert store.count(run["id"], "batch") >= 2 and store.count(run["id"], "sample") == 8
        model, chars = (store.path.parent / "models" / f"char-{run['id']}.{x}"
                        for x in ("keras", "chars.json"))
        assert store.model_path(run) == model and model.is_file() and chars.is_file()
    assert set(both) <= {r["id"] for r in store.finished_with_model(charlm.KIND)}


def test_stop_reaches_a_remote_run_within_a_batch_and_a_killed_worker_is_marked(on_ray):
    """Two runs side by side: one is asked to stop, the other's Ray worker is killed."""
    store = on_ray
    to_stop, to_kill = (jobs.launch(store, charlm.KIND, config(epochs=200, units=16), name, owner=OPERATOR)
                        for name in ("to stop", "to kill"))
    wait_until(lambda: min(store.count(i, "batch") for i in (to_stop, to_kill)) > 3)
    asked = time.monotonic()
    worker.request_stop(store, to_stop, by=OPERATOR)
    pid = int(re.search(r"pid (\d+)", store.get(to_kill)["place"]).group(1))
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: finished(store, to_stop), 30)
    assert store.get(to_stop)["status"] == "stopped"
    assert time.monotonic() - asked < 5
    assert len(store.metrics(to_stop, "epoch")) < 200
    wait_until(lambda: finished(store, to_kill), 30)
    run = store.get(to_kill)
    assert run["status"] == "interrupted" and "Ray worker was lost" in run["error"]
    assert store.count(to_kill, "batch") > 3


def test_the_clusters_queue_goes_round_the_people_past_faults_and_deleting_a_run_removes_its_files(
        on_ray, monkeypatch):
    """Each run asks for the whole cluster (2 CPUs), so one runs and the rest queue: the
    keeper starts them round the owners (Ann's first, Ben's, then Ann's second), not in the
    order they came, past runs that can never start (each fails with its reason). A run's
    model and alphabet come back recorded with the run."""
    from core.runs.people import Person

    store = on_ray
    monkeypatch.setenv(cluster.CPUS_ENV, "2")
    ann, ben = (Person(f"{n}-browser-id-00000", n) for n in ("Ann", "Ben"))
    queued = [jobs.launch(store, charlm.KIND, config(), name, owner=owner) for name, owner in
              (("ann 1", ann), ("ann 2", ann), ("ben", ben))]
    keeper = cluster._keeper(store)
    order = ray.get(keeper.queued.remote())
    a1, a2, b = queued
    assert order in ([a1, b, a2], [b, a2])  # Ann's first may have started already
    # Faults that stalled the queue for good before issue 30: a queued run deleted while the
    # keeper looks at it (it raised KeyError on every pass), a run larger than the cluster
    # (queued forever), a run whose actor Ray refuses to create (lost without a word).
    doomed = jobs.launch(store, charlm.KIND, config(), "deleted while queued", owner=OPERATOR)
    store.finish(doomed, "stopped")
    store.delete(doomed, by=OPERATOR)
    monkeypatch.setenv(cluster.CPUS_ENV, "8")
    huge = jobs.launch(store, charlm.KIND, config(), "larger than the cluster", owner=OPERATOR)
    refused = store.create(charlm.KIND, {}, "refused by Ray", owner=OPERATOR)
    ray.get(keeper.enqueue.remote(refused, None, {"num_cpus": 1, "max_restarts": "never"}))
    jobs.wait(store, [*queued, huge, refused], by=OPERATOR)
    runs = [store.get(i) for i in queued]
    assert all(r["status"] == "finished" for r in runs), [r["error"] for r in runs]
    started = sorted(queued, key=lambda i: store.get(i)["started"])
    assert started == [a1, b, a2]
    assert "asks for 8 CPU and the whole cluster has 2 CPU" in store.get(huge)["error"]
    assert "Ray actor could not be created" in store.get(refused)["error"]
    assert f"run {refused} could not start" in (store.path.parent / "cluster-queue.log").read_text()
    store.delete(huge, by=OPERATOR)  # a run that could never start can be deleted
    files = store.files(b)
    assert {f.name for f in files} == {f"char-{b}.keras", f"char-{b}.chars.json"}
    store.delete(b, by=OPERATOR)
    assert not any(f.exists() for f in files)


TINY = {  # the smallest config of each registered job kind that still trains for real
    "imdb": lambda: __import__("core.classify.models", fromlist=["preset"]).preset(
        "dense", train_size=300, epochs=1, maxlen=40),
    # a char run on IMDB reviews with its sentiment probe: the probe's stage runs there too
    "charlm": lambda: charlm.CharConfig(corpus="imdb_reviews", units=8, embedding_dim=4,
                                        seq_len=20, max_chars=40_000, min_count=5,
                                        probe_train=120, probe_test=60),
    "word2vec": lambda: __import__("core.embeddings.word2vec", fromlist=["Word2VecConfig"])
    .Word2VecConfig(reviews=200, vocab_size=500, dim=8, epochs=1),
}


@pytest.fixture(scope="module")
def products(on_ray) -> dict[str, int]:
    """One finished run of each registered job kind, made on the cluster: kind -> run id."""
    if paths.mirror_dir() is None:
        pytest.skip("needs the IMDB data")
    store = on_ray
    assert set(TINY) == set(jobs.KINDS), "a new job kind needs a tiny config here"
    ids = {kind: jobs.launch(store, kind, make(), f"products of {kind}", owner=OPERATOR)
           for kind, make in TINY.items()}
    jobs.wait(store, list(ids.values()), by=OPERATOR)
    return ids


def test_every_job_kinds_products_come_back_into_the_runs_folder(on_ray, products):
    """Whatever a job saves on its node (models, alphabets, snapshots, word2vec spaces) comes
    back into the store's own runs folder, recorded with the run; nothing is left only in the
    worker's cache."""
    store, ids = on_ray, products
    for kind, run_id in ids.items():
        run = store.get(run_id)
        assert run["status"] == "finished", (kind, run["error"])
        files = store.files(run_id)
        assert files and all(f.is_file() for f in files), (kind, files)
        assert all(f.parent == store.path.parent / "models" for f in files), (kind, files)
        named = [v for k, v in run["summary"].items() if k in ("model", "space")]
        assert all((store.path.parent / "models" / name).is_file() for name in named), named
    probed = store.get(ids["charlm"])["summary"]["sentiment"]
    assert [row["labels"] for row in probed["sizes"]] == [10, 100]
    assert store.metrics(ids["charlm"], "probe")[-1]["stage"] != "reading reviews"


def test_the_train_page_shows_the_cluster_and_uses_a_model_trained_on_it(
        on_ray, products, monkeypatch):
    """The IMDB run made on Ray, then the Train page: the cluster line, where the run ran, and
    Try a review scoring with the model that came back to the dashboard's runs folder."""
    from streamlit.testing.v1 import AppTest

    from dashboard.registry import ROOT

    store, run_id = on_ray, products["imdb"]
    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(store.path.parent))
    run = store.get(run_id)
    assert run["status"] == "finished", run["error"]
    assert store.model_path(run).is_file() and run["summary"]["test_accuracy"] is not None
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300).run()
    at.switch_page("dashboard/pages/train.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Jobs run on the Ray cluster (local)" in c.value for c in at.caption)
    costs = next(d.value for d in at.dataframe if "ran on" in d.value.columns)
    assert costs[costs["run"] == run_id].iloc[0]["ran on"].startswith("Ray ")
    verdicts = next(d.value for d in at.dataframe if "P(positive)" in d.value.columns)
    assert run_id in list(verdicts["run"])
