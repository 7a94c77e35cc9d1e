"""Running jobs on a Ray cluster instead of the embedded worker (only when asked for).

Nothing here imports Ray until a cluster is asked for (``$SEQLAB_RAY_ADDRESS`` or
:func:`connect`), so the dashboard starts as light as ever. With a cluster:

- every job is one Ray actor (detached: it outlives the dashboard) with a resource request
  (``$SEQLAB_RAY_CPUS`` CPUs, default 1, and one GPU when the cluster has GPUs and the job can
  use one);
- one actor on the dashboard's machine, the store keeper (``runs/keeper.py``), owns the
  writes to its run store: a job on any node reports through it, reads its config and Stop
  through it, and sends the files it saved back through it into the store's ``models`` folder,
  recorded with the run. The keeper also holds the queue: it starts a run's actor when the
  cluster has room for all it asks for, in the same fair order as the embedded worker's turns;
- a run runs in its own actor (``runs/remote.py``); one whose worker process or node dies is
  marked interrupted at once by the keeper (and, should the keeper be gone too, by the store's
  heartbeat rule).

This module is the connection: where the cluster is, joining and leaving it, what each job
asks for, and handing a run to its store's keeper.
"""
from __future__ import annotations

import hashlib
import os
import threading

from core import paths
from core.runs.keeper import StoreKeeper
from core.runs.store import RunStore

ADDRESS_ENV = "SEQLAB_RAY_ADDRESS"  # "auto" (a running cluster), "local" or "ray://host:port"
CPUS_ENV = "SEQLAB_RAY_CPUS"  # CPUs each job asks for (default 1)
NAMESPACE = "seqlab"
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
