"""Disk caches: a corrupt or half-written cache file is rebuilt, never trusted."""
from __future__ import annotations

import numpy as np

from core.data import diskcache


def _build(calls):
    def build():
        calls.append(1)
        return {"a": np.arange(5)}
    return build


def test_second_load_comes_from_disk(tmp_cache):
    calls = []
    first = diskcache.cached_arrays("t", "k", _build(calls))
    second = diskcache.cached_arrays("t", "k", _build(calls))
    assert len(calls) == 1 and np.array_equal(first["a"], second["a"])


def test_corrupt_file_is_rebuilt(tmp_cache):
    calls = []
    diskcache.cached_arrays("t", "k", _build(calls))
    diskcache.cache_path("t", "k").write_bytes(b"not a zip file")
    again = diskcache.cached_arrays("t", "k", _build(calls))
    assert len(calls) == 2 and again["a"].tolist() == [0, 1, 2, 3, 4]


def test_mapped_cache_without_its_completion_mark_is_rebuilt(tmp_cache):
    calls = []
    diskcache.cached_mapped("m", "k", _build(calls))
    folder = tmp_cache / "parsed" / "m-k"
    (folder / "complete").unlink()  # as if the process died while writing
    (folder / "a.npy").write_bytes(b"garbage")
    again = diskcache.cached_mapped("m", "k", _build(calls))
    assert len(calls) == 2 and again["a"].tolist() == [0, 1, 2, 3, 4]
    assert diskcache.cached_mapped("m", "k", _build(calls))["a"].tolist() == [0, 1, 2, 3, 4]
    assert len(calls) == 2  # now read back memory-mapped


def test_corrupt_mapped_array_is_rebuilt(tmp_cache):
    calls = []
    diskcache.cached_mapped("m2", "k", _build(calls))
    (tmp_cache / "parsed" / "m2-k" / "a.npy").write_bytes(b"garbage")
    assert diskcache.cached_mapped("m2", "k", _build(calls))["a"].tolist() == [0, 1, 2, 3, 4]
    assert len(calls) == 2


def test_a_cache_that_cannot_be_written_is_said_once(tmp_cache, monkeypatch):
    import errno

    import pytest

    from core import paths

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(diskcache, "_write_failure", [])
    monkeypatch.setattr(paths, "atomic_write_bytes", full)
    calls = []
    with pytest.warns(RuntimeWarning, match="No space left on device"):
        assert diskcache.cached_arrays("t", "k", _build(calls))["a"].tolist() == [0, 1, 2, 3, 4]
    assert "No space left on device" in diskcache.write_failure()
    diskcache.cached_arrays("t", "k", _build(calls))  # rebuilt, no second warning
    assert len(calls) == 2 and len(diskcache._write_failure) == 1
