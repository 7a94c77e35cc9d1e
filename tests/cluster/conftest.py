"""The cluster tests start Ray on this machine. They are marked ``cluster`` and kept together
in one pytest-xdist group, so one worker runs them in order (each module starts its own
cluster) while the other worker runs the rest of the suite. execnet moves a worker's channel
to the controller off its standard streams (they point at /dev/null), so the processes Ray
starts cannot write into it. ``./lab test -m cluster tests/cluster`` runs them alone."""
from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/cluster/" in item.nodeid:
            item.add_marker(pytest.mark.cluster)
            item.add_marker(pytest.mark.xdist_group("cluster"))
