"""Every store answers the calls its protocol names, with the same parameters."""
from __future__ import annotations

import inspect

import pytest

from core.runs.protocols import JobStore, RunReader
from core.runs.snapshot import Snapshot
from core.runs.store import RunStore


def _parameters(func) -> list[tuple[str, object]]:
    """Names and defaults after self (annotations are strings under postponed evaluation)."""
    return [(p.name, p.default) for p in inspect.signature(func).parameters.values()][1:]


def _assert_answers(cls, protocol) -> None:
    calls = [n for n, v in vars(protocol).items() if callable(v) and not n.startswith("_")]
    assert calls, protocol
    for name in calls:
        mine = _parameters(getattr(cls, name))
        wanted = _parameters(getattr(protocol, name))
        assert mine[:len(wanted)] == wanted, (cls.__name__, name, mine, wanted)
        assert all(default is not inspect.Parameter.empty for _, default in mine[len(wanted):]), \
            (cls.__name__, name, "extra parameters need defaults")


@pytest.mark.parametrize("cls", [RunStore, Snapshot])
def test_views_read_the_store_and_the_shared_snapshot_alike(cls):
    _assert_answers(cls, RunReader)


def test_a_job_gets_the_same_calls_from_the_run_store_and_from_a_remote_store():
    from core.runs.remote import RemoteStore  # Ray itself is not imported by this

    for cls in (RunStore, RemoteStore):
        _assert_answers(cls, JobStore)


def test_a_job_finds_its_files_where_either_store_keeps_them(tmp_path):
    """Jobs read uploads beside ``store.path`` and write through ``file_path`` into its
    ``models`` folder: both stores answer the same way (the protocol checks only names)."""
    from core.runs.remote import RemoteStore

    local = RunStore(tmp_path / "here" / "runs.sqlite")
    remote = RemoteStore(keeper=None, scratch=tmp_path / "node", place="a node")
    for store in (local, remote):
        assert store.file_path(1, "run-1.keras") == store.path.parent / "models" / "run-1.keras"
        with pytest.raises(ValueError, match="plain file name"):
            store.file_path(1, "../escape.keras")
    assert (remote.path.parent / "models").is_dir() and (remote.path.parent / "uploads").is_dir()


def test_a_real_store_and_snapshot_are_instances(tmp_path):
    from core.runs.snapshot import SharedSnapshot

    store = RunStore(tmp_path / "runs.sqlite")
    assert isinstance(store, RunReader) and isinstance(store, JobStore)
    assert isinstance(SharedSnapshot(store).current(), RunReader)
