"""Running jobs on a Ray cluster instead of the embedded worker (only when asked for).

Nothing here imports Ray until a cluster is asked for (``$SEQLAB_RAY_ADDRESS`` or
:func:`connect`), so the dashboard starts as light as ever. With a cluster:

- every job is one Ray actor (detached: it outlives the dashboard) with a resource request
  (``$SEQLAB_RAY_CPUS`` CPUs, default 1, and one GPU when the cluster has GPUs and the job can
  use one);
- one actor on the dashboard's machine, the store keeper (:class:`StoreKeeper`), owns the
  writes to its run store: a job on any node reports through it, reads its config and Stop
  through it, and sends the files it saved back through it into the store's ``models`` folder,
  recorded with the run. The keeper also holds the queue: it starts a run's actor when the
  cluster has room, in the same fair order as the embedded worker's turns;
- a run whose worker process or node dies is marked interrupted at once by the keeper (and,
  should the keeper be gone too, by the store's heartbeat rule).
"""
from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from core import paths
from core.runs import worker
from core.runs.store import RunStore

ADDRESS_ENV = "SEQLAB_RAY_ADDRESS"  # "auto" (a running cluster), "local" or "ray://host:port"
CPUS_ENV = "SEQLAB_RAY_CPUS"  # CPUs each job asks for (default 1)
NAMESPACE = "seqlab"
STOP_POLL_SECONDS = 0.25  # a remote job asks the keeper whether to stop at most this often
DISPATCH_SECONDS = 0.25  # how often the keeper's queue looks for room, stops and lost actors
_PASSED_ENV = ("SEQLAB_CACHE_DIR", "SEQLAB_DATA_DIR", "SEQLAB_RUNS_DIR", "TF_CPP_MIN_LOG_LEVEL")
_lock = threading.Lock()
_address: str | None = None  # what this process connected to, once it has


def configured_address() -> str | None:
    """The cluster this process should use: the one :func:`connect` was given, else
    ``$SEQLAB_RAY_ADDRESS``; None means the embedded worker (the default)."""
    return _address or os.environ.get(ADDRESS_ENV, "").strip() or None


def enabled() -> bool:
    return configured_address() is not None


def connect(address: str | None = None, num_cpus: int | None = None) -> str:
    """Connect this process to Ray (once): ``local`` starts a cluster on this machine (with
    ``num_cpus`` CPUs, default all); ``auto`` joins the running one; ``ray://host:10001`` goes
    through Ray Client. The lab's ``core`` package is shipped to every node. Returns the address."""
    global _address
    import ray

    address = address or configured_address()
    if not address:
        raise ValueError(f"no cluster given: set {ADDRESS_ENV} to auto, local or ray://host:port")
    with _lock:
        if not ray.is_initialized():
            options = dict(namespace=NAMESPACE, log_to_driver=False,
                           runtime_env={"py_modules": [str(paths.PROJECT_ROOT / "core")]})
            if address == "local":  # a new one here, whatever RAY_ADDRESS or a stale
                # /tmp/ray/ray_current_cluster from a killed head would point Ray at
                ray.init(address="local", num_cpus=num_cpus, include_dashboard=False, **options)
            else:
                ray.init(address=address, **options)
        _address = address
    return address


def disconnect() -> None:
    """Leave the cluster (a local one stops); jobs go to the embedded worker again unless
    ``$SEQLAB_RAY_ADDRESS`` says otherwise."""
    global _address
    import ray

    with _lock:
        ray.shutdown()
        _address = None


def _passed_env(cpus: float) -> dict[str, str]:
    """Environment a job's worker gets: this process's lab settings, its cache and mirror
    folders as absolute paths (a worker on this machine uses them; one on a node without them
    drops them, see :func:`_adopt_folders`), and TensorFlow's thread pools sized to the CPUs
    the job asked for."""
    env = {name: os.environ[name] for name in _PASSED_ENV if os.environ.get(name)}
    env["SEQLAB_CACHE_DIR"] = str(paths.cache_dir().resolve())
    if paths.mirror_dir() is not None:
        env["SEQLAB_DATA_DIR"] = str(paths.mirror_dir().resolve())
    threads = str(max(1, int(cpus)))
    env.update(TF_NUM_INTRAOP_THREADS=threads, TF_NUM_INTEROP_THREADS=threads)
    return env


@dataclass
class _Queued:
    """A run waiting in the keeper's queue for room on the cluster."""

    run_id: int
    owner: str
    first: bool  # the instructor's
    order: int
    job: object
    options: dict  # the run's actor options: resources, name, environment


class StoreKeeper:
    """The actor that owns a run store's writes for jobs on the cluster (one per store file,
    pinned to the store's machine). Its methods mirror :class:`RunStore`'s.

    It also holds the cluster's queue of runs: a run is started (its actor created) only when
    the cluster has room for it, in the fair order of the embedded worker's turns (the
    instructor's runs first, then round the owners: ``worker.next_fair``), not first come,
    first served. A dispatcher thread starts runs, takes stopped ones out of the queue and
    marks a run interrupted when its actor dies."""

    def __init__(self, path: str):
        self.store = RunStore(path)
        self._lock = threading.Lock()
        self._queue: list[_Queued] = []
        self._starting: dict[int, float] = {}  # run -> CPUs asked for, until its actor runs it
        self._actors: dict[int, tuple[object, object]] = {}  # run -> (actor, its wait() ref)
        self._served: dict[str, int] = {}
        self._clock = itertools.count()
        self._passes = 0  # dispatch passes done: a test waits for some instead of sleeping
        threading.Thread(target=self._dispatch_forever, daemon=True,
                         name="seqlab-cluster-queue").start()

    def enqueue(self, run_id: int, job, options: dict) -> None:
        """Queue run ``run_id`` (``options``: its actor's resources, name and environment)."""
        run = self.store.get(run_id)
        self.store.adopt(run_id)  # the keeper answers for it: restarts keep it queued
        with self._lock:
            self._queue.append(_Queued(run_id, run.get("owner") or "operator",
                                       bool(run.get("by_instructor")), next(self._clock), job,
                                       options))

    def queued(self) -> list[int]:
        """The runs waiting for room, in the order they will start (for tests and pages)."""
        with self._lock:
            waiting, served, order = list(self._queue), dict(self._served), []
            clock = itertools.count(max(served.values(), default=0) + 1)  # after every real one
            while waiting:
                ticket = worker.next_fair(waiting, served)
                waiting.remove(ticket)
                served[ticket.owner] = next(clock)
                order.append(ticket.run_id)
        return order

    def passes(self) -> int:
        """How many times the dispatcher has looked at the queue and the cluster's room."""
        return self._passes

    def _dispatch_forever(self) -> None:
        while True:
            try:
                self._dispatch()
            except Exception as error:  # noqa: BLE001  the queue must outlive any one failure
                print(f"seqlab cluster queue: {type(error).__name__}: {error}", flush=True)
            self._passes += 1
            time.sleep(DISPATCH_SECONDS)

    def _dispatch(self) -> None:
        """One pass: drop stopped runs from the queue, notice ended or lost actors, start the
        next runs while the cluster has room."""
        import ray

        with self._lock:
            for ticket in [t for t in self._queue if self.store.stop_requested(t.run_id)]:
                self._queue.remove(ticket)
                self.store.finish(ticket.run_id, "stopped",
                                  error="stopped while waiting in the cluster's queue")
        self._reap()
        free = ray.available_resources().get("CPU", 0.0) - sum(self._starting.values())
        total = ray.cluster_resources().get("CPU", 0.0)
        with self._lock:
            while self._queue:
                ticket = worker.next_fair(self._queue, self._served)
                cpus = ticket.options.get("num_cpus", 1)
                if cpus > free and cpus <= total:
                    break  # no room now; a job larger than the cluster goes to Ray's queue
                self._queue.remove(ticket)
                self._served[ticket.owner] = next(self._clock)
                runner = ray.remote(JobRunner).options(**ticket.options).remote(
                    self._handle(), ticket.run_id, ticket.job)
                self._actors[ticket.run_id] = (runner, runner.wait.remote())
                self._starting[ticket.run_id] = cpus
                free -= cpus

    def _reap(self) -> None:
        """Forget actors whose run ended; mark a run interrupted when its actor died with the
        run still active (its worker process or node was lost)."""
        import ray

        for run_id in list(self._starting):
            if self.store.get(run_id)["status"] != "queued":
                self._starting.pop(run_id, None)
        refs = {ref: run_id for run_id, (_, ref) in self._actors.items()}
        if not refs:
            return
        ready, _ = ray.wait(list(refs), num_returns=len(refs), timeout=0)
        for ref in ready:
            run_id = refs[ref]
            self._actors.pop(run_id, None)
            self._starting.pop(run_id, None)
            try:
                ray.get(ref)
            except Exception as error:  # noqa: BLE001  the actor exited: after its run, or lost
                if self.store.get(run_id)["status"] in ("queued", "running"):
                    self.store.finish(run_id, "interrupted", error=f"its Ray worker was lost "
                                      f"({type(error).__name__}); the curve so far is kept")

    def _handle(self):
        import ray

        return ray.get_runtime_context().current_actor

    def adopt(self, run_id: int) -> None:
        self.store.adopt(run_id)

    def get(self, run_id: int) -> dict:
        return self.store.get(run_id)

    def start(self, run_id: int, place: str) -> None:
        self.store.start(run_id, place)

    def log(self, run_id: int, level: str, step: int, data: dict) -> None:
        self.store.log(run_id, level, step, data)

    def heartbeat(self, run_id: int) -> None:
        self.store.heartbeat(run_id)

    def stop_requested(self, run_id: int) -> bool:
        return self.store.stop_requested(run_id)

    def metrics(self, run_id: int, level: str) -> list[dict]:
        return self.store.metrics(run_id, level)

    def put_file(self, run_id: int, name: str, data: bytes) -> None:
        """Write a job's file into the store's ``models`` folder (a bare file name only),
        recorded with its run."""
        paths.atomic_write_bytes(self.store.file_path(run_id, name), data)

    def finish(self, run_id: int, status: str, error: str | None = None,
               summary: dict | None = None) -> None:
        self.store.finish(run_id, status, error=error, summary=summary)

    def inputs(self, run_id: int) -> dict[str, bytes]:
        """The files a run reads from the store's folder: each config value ``upload:NAME``
        names ``uploads/NAME.txt`` (an uploaded text); they go with the job to its node."""
        config = self.store.get(run_id)["config"]
        names = [v[7:] for v in config.values() if isinstance(v, str) and v.startswith("upload:")]
        folder = self.store.path.parent / "uploads"
        return {f"{n}.txt": (folder / f"{n}.txt").read_bytes() for n in names
                if Path(n).name == n and (folder / f"{n}.txt").is_file()}


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
        if Path(name).name != name or name.startswith("."):
            raise ValueError(f"a run's file must be a plain file name, got {name!r}")
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


def _store_name(store: RunStore) -> str:
    return hashlib.sha256(str(store.path.resolve()).encode()).hexdigest()[:16]


def _keeper(store: RunStore):
    """This store's keeper actor, created on this machine if it is not running yet. It is
    detached: it outlives a dashboard restart, so running jobs keep reporting. (Through Ray
    Client, "this machine" is the node the client server runs on, the head: a dashboard there
    is served right; one elsewhere joins the cluster as a node and uses "auto".)"""
    import ray
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    name = f"store-{_store_name(store)}"
    here = NodeAffinitySchedulingStrategy(ray.get_runtime_context().get_node_id(), soft=False)
    actor = ray.remote(StoreKeeper).options(
        name=name, namespace=NAMESPACE, lifetime="detached", get_if_exists=True, num_cpus=0,
        max_concurrency=1, scheduling_strategy=here)
    return actor.remote(str(store.path.resolve()))


def job_resources(gpu_capable: bool = True) -> dict[str, float]:
    """What each job asks the cluster for: ``$SEQLAB_RAY_CPUS`` CPUs (default 1) and, where
    the cluster has GPUs and the job can use one, one GPU."""
    import ray

    cpus = float(os.environ.get(CPUS_ENV) or 1)
    gpus = 1 if gpu_capable and ray.cluster_resources().get("GPU", 0) >= 1 else 0
    return {"num_cpus": cpus, "num_gpus": gpus}


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


def submit(store: RunStore, run_id: int, job, gpu_capable: bool = True) -> None:
    """Queue run ``run_id`` on the cluster: its store's keeper starts it (as a detached actor)
    when the cluster has room, in fair order; Stop while it waits takes it out of the queue."""
    import ray

    connect()
    keeper = _keeper(store)
    resources = job_resources(gpu_capable)
    options = dict(name=f"run-{_store_name(store)}-{run_id}", namespace=NAMESPACE,
                   lifetime="detached", max_restarts=0,
                   runtime_env={"env_vars": _passed_env(resources["num_cpus"])}, **resources)
    ray.get(keeper.enqueue.remote(run_id, job, options))


def capacity() -> dict[str, float]:
    """The cluster's nodes and CPUs/GPUs, in all and free now (empty without a cluster)."""
    if not enabled():
        return {}
    import ray

    connect()
    total, free = ray.cluster_resources(), ray.available_resources()
    nodes = [n for n in ray.nodes() if n.get("Alive")]
    return {"nodes": len(nodes), "CPUs": total.get("CPU", 0), "free CPUs": free.get("CPU", 0),
            "GPUs": total.get("GPU", 0), "free GPUs": free.get("GPU", 0)}
