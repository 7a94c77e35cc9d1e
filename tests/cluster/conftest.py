"""The cluster tests share this machine's Ray: one module's local cluster and the other's
`ray start --head` must not run at once (stopping one ends the other's driver), so under
pytest-xdist they all go to one worker."""
from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/cluster/" in item.nodeid:
            item.add_marker(pytest.mark.xdist_group("ray"))
