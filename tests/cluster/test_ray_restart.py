"""A dashboard restart while a run trains on a cluster (``ray start --head``, address ``auto``
style): the process that queued the run exits, the run keeps reporting, and Stop from another
process still reaches it."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import paths
from core.runs import worker
from core.runs.people import OPERATOR
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
from core.runs.people import OPERATOR
from core.runs.store import RunStore
store = RunStore(sys.argv[1])
config = charlm.CharConfig(corpus="upload:tiny", units=16, embedding_dim=4, epochs=500)
for _ in range(int(sys.argv[2])):
    print(jobs.launch(store, charlm.KIND, config, "outlives its dashboard", owner=OPERATOR),
          flush=True)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def head():
    """A one-machine cluster started the way a department starts its head node (once for this
    module: each test stops every run it queued before it ends)."""
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


def _queue(head: str, folder: Path, runs: int) -> tuple[RunStore, list[int]]:
    """Queue ``runs`` tiny char runs from a process that exits right after: their ids."""
    (folder / "uploads").mkdir()
    (folder / "uploads" / "tiny.txt").write_text(TEXT, encoding="utf-8")
    store = RunStore(folder / "runs.sqlite")
    env = {**os.environ, **NO_TOKEN, "SEQLAB_RAY_ADDRESS": head,
           "PYTHONPATH": str(paths.PROJECT_ROOT)}
    queued = subprocess.run([sys.executable, "-c", QUEUE, str(store.path), str(runs)], env=env,
                            capture_output=True, text=True, timeout=180)
    assert queued.returncode == 0, queued.stderr[-3000:]
    return store, [int(line) for line in queued.stdout.split()]


def _batches(store: RunStore, run_id: int, at_least: int, seconds: float = 120) -> int:
    deadline = time.monotonic() + seconds
    while store.count(run_id, "batch") < at_least and time.monotonic() < deadline:
        time.sleep(0.2)
    return store.count(run_id, "batch")


def _ended(store: RunStore, run_id: int, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while store.get(run_id)["status"] in ACTIVE and time.monotonic() < deadline:
        time.sleep(0.2)
    return store.get(run_id)["status"]


def test_runs_outlive_the_process_that_queued_them_and_the_one_left_queued_starts_later(
        head, tmp_path):
    """Three runs on a 2-CPU cluster, one CPU each, queued by a process that exits at once: two
    start and keep reporting with nobody left that queued them; the third waits in Ray's
    queue with nobody left to hand it over, and when a CPU frees, it runs."""
    store, ids = _queue(head, tmp_path, 3)  # ...and the process that queued them has exited
    deadline = time.monotonic() + 120
    while sum(store.count(i, "batch") >= 3 for i in ids) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    waiting = [i for i in ids if store.count(i, "batch") == 0]
    assert len(waiting) == 1 and store.get(waiting[0])["status"] == "queued"  # room for two
    running = [i for i in ids if i not in waiting]
    before = store.count(running[0], "batch")
    assert _batches(store, running[0], before + 3) >= before + 3  # still reporting
    assert all(store.get(i)["status"] == "running" for i in running)  # not marked dead
    for run_id in running:
        worker.request_stop(store, run_id, by=OPERATOR)
    assert _batches(store, waiting[0], 3) >= 3  # it got its turn
    worker.request_stop(store, waiting[0], by=OPERATOR)
    assert [_ended(store, i) for i in ids] == ["stopped"] * 3
