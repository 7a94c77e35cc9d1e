"""A run on a Ray node: the detached actor that runs it (:class:`JobRunner`) and the run store
it sees (:class:`RemoteStore`: reads and writes go to the store's keeper, ``runs/keeper.py``;
files the job saves go to a scratch folder and are sent back before the run is marked ended).
The job itself runs ``worker.execute``, the embedded worker's one path."""
from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

from core.runs import worker
from core.runs.store_files import check_file_name

STOP_POLL_SECONDS = 0.25  # a remote job asks the keeper whether to stop at most this often


class RemoteStore:
    """What a job on a cluster node sees as its run store: reads and writes go to the keeper;
    files it saves beside the store (its models) go to a scratch folder and are sent back when
    the run ends, before the run is marked finished."""

    def __init__(self, keeper, scratch: Path, place: str):
        self.keeper, self.place = keeper, place
        self.path = scratch / "runs.sqlite"
        (scratch / "models").mkdir(parents=True, exist_ok=True)
        (scratch / "uploads").mkdir(parents=True, exist_ok=True)
        self._stop: dict[int, tuple[float, bool]] = {}
        self._files: dict[int, set[str]] = {}

    def _get(self, ref):
        import ray

        return ray.get(ref)

    def get(self, run_id: int) -> dict:
        return self._get(self.keeper.get.remote(run_id))

    def start(self, run_id: int, place: str | None = None) -> None:
        self._get(self.keeper.start.remote(run_id, place or self.place))

    def log(self, run_id: int, level: str, step: int, data: dict) -> None:
        self.keeper.log.remote(run_id, level, step, data)  # in order, without waiting

    def heartbeat(self, run_id: int) -> None:
        self.keeper.heartbeat.remote(run_id)

    def metrics(self, run_id: int, level: str) -> list[dict]:
        return self._get(self.keeper.metrics.remote(run_id, level))

    def file_path(self, run_id: int, name: str) -> Path:
        """Where the job writes its file ``name``: the scratch folder, sent back at the end."""
        check_file_name(name)
        self._files.setdefault(run_id, set()).add(name)
        return self.path.parent / "models" / name

    def stop_requested(self, run_id: int) -> bool:
        asked, said = self._stop.get(run_id, (0.0, False))
        if not said and time.monotonic() - asked >= STOP_POLL_SECONDS:
            said = self._get(self.keeper.stop_requested.remote(run_id))
            self._stop[run_id] = (time.monotonic(), said)
        return said

    def finish(self, run_id: int, status: str, error: str | None = None,
               summary: dict | None = None) -> None:
        for name in sorted(self._files.pop(run_id, ())):
            file = self.path.parent / "models" / name
            if file.is_file():
                self._get(self.keeper.put_file.remote(run_id, name, file.read_bytes()))
        self._get(self.keeper.finish.remote(run_id, status, error, summary))


def describe_place() -> str:
    """Where this process runs, for people: node (host and address), CPU or GPU."""
    import ray

    context = ray.get_runtime_context()
    gpus = ray.get_gpu_ids()
    device = f"GPU {', '.join(map(str, gpus))}" if gpus else "CPU"
    cpus = context.get_assigned_resources().get("CPU", 0)
    return (f"Ray node {socket.gethostname()} ({ray.util.get_node_ip_address()}), {device}"
            f"{f', {cpus:g} CPU' if cpus else ''}, pid {os.getpid()}")


def _adopt_folders() -> None:
    """On the job's node, keep the dashboard's cache and mirror folders only where they exist
    (the same machine, or a shared file system); elsewhere the node's own defaults apply."""
    for name in ("SEQLAB_CACHE_DIR", "SEQLAB_DATA_DIR"):
        if os.environ.get(name) and not Path(os.environ[name]).is_dir():
            del os.environ[name]


def _execute(keeper, run_id: int, job) -> str:
    """Inside a run's detached actor: run one job with a remote store, the embedded worker's
    way."""
    import ray

    _adopt_folders()
    scratch = Path(tempfile.mkdtemp(prefix=f"seqlab-run-{run_id}-"))
    try:
        store = RemoteStore(keeper, scratch, describe_place())
        for name, data in ray.get(keeper.inputs.remote(run_id)).items():
            (scratch / "uploads" / name).write_bytes(data)
        worker.execute(store, run_id, job, threading.Event())
        return "done"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


class JobRunner:
    """One run on the cluster. A detached actor rather than a task: Ray ends a job's tasks when
    the process that submitted them exits, and a run must outlive a dashboard restart. The run
    starts from the actor's constructor, because Ray keeps a detached actor's creation itself,
    whereas a method call waits in the caller's process until the actor is up: a dashboard that
    queued a run and exited while it waited for room would have lost it. The actor holds its
    CPUs (and GPU) from start to end and ends itself when the run has ended."""

    def __init__(self, keeper, run_id: int, job):
        self.status = "running"
        self.thread = threading.Thread(target=self._run, args=(keeper, run_id, job),
                                       daemon=True, name=f"seqlab-ray-run-{run_id}")
        self.thread.start()

    def _run(self, keeper, run_id: int, job) -> None:
        import ray

        try:
            self.status = _execute(keeper, run_id, job)
        finally:
            ray.kill(ray.get_runtime_context().current_actor, no_restart=True)

    def wait(self) -> str:
        """Returns when the run has ended (for the process that queued it, while it lives)."""
        self.thread.join()
        return self.status


