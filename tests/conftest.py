"""Shared fixtures: a throw-away cache directory, and markers for the data mirror."""
from __future__ import annotations

import pytest

from core import paths


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    """A fresh, empty cache directory for one test (the real mirror stays in place)."""
    monkeypatch.setenv("SEQLAB_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


requires_mirror = pytest.mark.skipif(paths.mirror_dir() is None,
                                     reason="the offline data mirror (../shared/data) is absent")
