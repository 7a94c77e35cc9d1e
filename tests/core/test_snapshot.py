"""The shared snapshot: one read per tick for everyone, only new rows, versions that change
only with the store, and the store's read calls answered the same way."""
from __future__ import annotations

import pytest

from core.runs.people import OPERATOR
from core.runs.snapshot import SharedSnapshot
from core.runs.store import RunStore


@pytest.fixture
def store(tmp_path) -> RunStore:
    return RunStore(tmp_path / "runs.sqlite")


def test_a_snapshot_answers_like_the_store_and_reads_only_new_rows(store, monkeypatch):
    shared = SharedSnapshot(store, tick=0)
    a = store.create("imdb", {"kind": "lstm"}, "a", owner=OPERATOR)
    store.start(a)
    for step in range(3):
        store.log(a, "batch", step, {"loss": 1.0 / (step + 1)})
    first = shared.current()
    assert first.list("imdb") == store.list("imdb") and first.get(a) == store.get(a)
    assert first.metrics(a, "batch") == store.metrics(a, "batch") and first.count(a, "batch") == 3
    store.log(a, "batch", 3, {"loss": 0.2})
    store.log(a, "epoch", 1, {"val_accuracy": 0.7})
    read = []
    original = store.metrics_since
    monkeypatch.setattr(store, "metrics_since",
                        lambda row: read.append(row) or original(row))
    second = shared.current()
    assert read == [3]  # only rows after the last one read
    assert second.metrics(a, "batch") == store.metrics(a, "batch")
    assert second.metrics(a, "epoch") == store.metrics(a, "epoch")
    assert first.count(a, "batch") == 3  # an old snapshot never changes
    assert second.version == first.version + 1
    assert shared.current().version == second.version  # nothing new: same version


def test_one_read_per_tick_whoever_asks(store, monkeypatch):
    shared = SharedSnapshot(store, tick=60)
    calls = []
    original = store.list
    monkeypatch.setattr(store, "list", lambda *a, **k: calls.append(1) or original(*a, **k))
    snaps = [shared.current() for _ in range(30)]  # thirty viewers in one tick
    assert len(calls) == 1 and all(s is snaps[0] for s in snaps)


def test_deleting_a_run_rereads_everything(store):
    shared = SharedSnapshot(store, tick=0)
    a, b = store.create("imdb", {}, "a", owner=OPERATOR), store.create("imdb", {}, "b", owner=OPERATOR)
    store.log(a, "batch", 0, {"loss": 1.0})
    store.log(b, "batch", 0, {"loss": 2.0})
    assert shared.current().count(b, "batch") == 1
    store.finish(b, "stopped")
    store.delete(b, by=OPERATOR)  # its rows had the highest rowids: sqlite hands them out again
    c = store.create("imdb", {}, "c", owner=OPERATOR)
    store.log(c, "batch", 0, {"loss": 3.0})
    snap = shared.current()
    assert [r["id"] for r in snap.list()] == [c, a]
    assert snap.metrics(c, "batch")[0]["loss"] == 3.0 and snap.count(b, "batch") == 0
