"""A dashboard restart while a run trains on a cluster (``ray start --head``, address ``auto``
style): the process that queued the run exits, the run keeps reporting, and Stop from another
process still reaches it."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import paths
from core.runs import worker
from core.runs.store import ACTIVE, RunStore

pytest.importorskip("ray")
RAY = Path(sys.executable).parent / "ray"
TEXT = "the quick brown fox jumps over the lazy dog. a stitch in time saves nine. " * 300
# Ray 2.60 guards a cluster with a token in ~/.ray/auth_token, which every local cluster a test
# starts writes anew; this test cluster lives on this machine for a few seconds, without one.
NO_TOKEN = {"RAY_AUTH_MODE": "disabled"}
QUEUE = """
import sys
from core import jobs
from core.language import charlm
from core.runs.store import RunStore
store = RunStore(sys.argv[1])
config = charlm.CharConfig(corpus="upload:tiny", units=16, embedding_dim=4, epochs=500)
print(jobs.launch(store, charlm.KIND, config, "outlives its dashboard"), flush=True)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def head(tmp_path):
    """A one-machine cluster started the way a department starts its head node."""
    if not RAY.is_file():
        pytest.skip("the ray command is not installed")
    env = {**os.environ, **NO_TOKEN, "RAY_ADDRESS": ""}
    started = subprocess.run([str(RAY), "start", "--head", f"--port={free_port()}",
                              "--num-cpus=2", "--include-dashboard=false",
                              "--disable-usage-stats"],
                             check=True, capture_output=True, text=True, env=env, timeout=120)
    # what it tells other nodes to join with: ray start --address='HOST:PORT'
    yield re.search(r"--address='([^']+)'", started.stdout + started.stderr).group(1)
    subprocess.run([str(RAY), "stop", "--force"], capture_output=True, timeout=120, env=env)
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_a_run_outlives_the_process_that_queued_it(head, tmp_path):
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "tiny.txt").write_text(TEXT, encoding="utf-8")
    store = RunStore(tmp_path / "runs.sqlite")
    env = {**os.environ, **NO_TOKEN, "SEQLAB_RAY_ADDRESS": head, "PYTHONPATH": str(paths.PROJECT_ROOT)}
    queued = subprocess.run([sys.executable, "-c", QUEUE, str(store.path)], env=env,
                            capture_output=True, text=True, timeout=180)
    assert queued.returncode == 0, queued.stderr[-3000:]
    run_id = int(queued.stdout.split()[-1])  # ...and the process that queued it has exited
    deadline = time.monotonic() + 120
    while store.count(run_id, "batch") < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    before = store.count(run_id, "batch")
    time.sleep(2)
    assert store.list() and store.get(run_id)["status"] == "running"  # not marked dead
    assert store.count(run_id, "batch") > before  # still reporting
    worker.request_stop(store, run_id)  # from this process: through the store and the keeper
    while store.get(run_id)["status"] in ACTIVE and time.monotonic() < deadline:
        time.sleep(0.2)
    assert store.get(run_id)["status"] == "stopped"
