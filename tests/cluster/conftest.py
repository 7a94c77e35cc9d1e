"""The cluster tests start Ray on this machine. They are marked ``cluster`` and run in the
test process itself, never in a pytest-xdist worker: Ray's driver and the processes it starts
share the worker's standard streams, which are xdist's channel to it, and the worker died
mid-suite ("node down") when they ran there. ``./lab test`` runs them after the rest."""
from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/cluster/" in item.nodeid:
            item.add_marker(pytest.mark.cluster)
