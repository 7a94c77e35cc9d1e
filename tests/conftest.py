"""Shared fixtures: a throw-away cache directory, markers for the data mirror, and the kernel
that runs what a user takes home (``home``, from tests/elsewhere.py)."""
from __future__ import annotations

import pytest

from core import paths
from tests.elsewhere import home  # noqa: F401  (a fixture)


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    """A fresh, empty cache directory for one test (the real mirror stays in place)."""
    monkeypatch.setenv("SEQLAB_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


requires_mirror = pytest.mark.skipif(paths.mirror_dir() is None,
                                     reason="the offline data mirror (../shared/data) is absent")


@pytest.fixture(autouse=True)
def one_person_lab(monkeypatch, tmp_path_factory):
    """Every test starts in a one-person lab (no instructor key), whatever the machine has set;
    tests of a class set the key themselves."""
    from core.runs import identity, people

    for name in (people.KEY_ENV, people.SECRETS_ENV, people.INSTRUCTORS_ENV, people.STUDENTS_ENV,
                 people.LINK_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(identity, "SECRETS_FILE", tmp_path_factory.getbasetemp() / "no-secrets")


@pytest.fixture
def a_class(monkeypatch):
    """A class: the instructor key is set; returns it."""
    from core.runs import people

    monkeypatch.setenv(people.KEY_ENV, "owl-key-of-the-class")
    return "owl-key-of-the-class"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Keep each ``xdist_group`` on one worker under ``--dist loadgroup``. pytest-xdist 3.8
    marks a test's group by renaming ``item._nodeid``, which pytest 9.2 no longer reads (a
    node's id is ``item._id`` now), so the groups were silently ignored: each browser module
    ran on both workers, each worker starting its own server and Chromium for it. This gives
    the id the suffix xdist's scheduler groups by (``...::test@group``)."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        groups = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                         for m in item.iter_markers("xdist_group")})
        if groups and "@" not in item.nodeid and hasattr(item, "_id"):
            item._id = type(item._id).parse(f"{item.nodeid}@{'_'.join(groups)}")
