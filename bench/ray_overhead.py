"""What running on a Ray cluster costs: the same IMDB run in the embedded worker and as a Ray
task on a local cluster (2 CPUs, this machine), in one run.

1. Overhead: one run each way (sides alternate over ``--rounds``). Epoch time is the median of
   the epochs after the first (tracing) one; the run's wall time from queued to finished is
   shown too (a Ray run also pays a worker process, TensorFlow's import and the data load).
   Goal: epoch time on Ray within 10 % of the embedded worker's.
2. Two runs side by side on Ray (one CPU each) against the same two one after the other in the
   embedded worker (which gives each run both cores): total wall time.
3. The delay from a batch's end in the job to its row in the dashboard's store (through the
   store keeper actor): a job logs 400 batch records 20 ms apart, each with the time it was
   sent; p50 and p95 of (row's wall - sent).

Usage: python bench/ray_overhead.py [--kind lstm] [--train-size 5000] [--epochs 3] [--rounds 2]
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.runs.people import OPERATOR  # noqa: E402

from core import jobs  # noqa: E402
from core.classify import models  # noqa: E402
from core.runs import cluster  # noqa: E402
from core.runs.store import RunStore  # noqa: E402


def delay_job(store, run_id, stop_flag=None):
    """Logs batch records with the time each was sent (pickled by value: no module needed)."""
    for step in range(400):
        store.log(run_id, "batch", step, {"sent": time.time()})
        time.sleep(0.02)
    return {}


@dataclasses.dataclass(frozen=True)
class DelayConfig:
    records: int = 400


def epoch_seconds(store: RunStore, run_id: int) -> list[float]:
    return [e["seconds"] for e in store.metrics(run_id, "epoch")]


def one(store: RunStore, config, name: str) -> dict:
    start = time.perf_counter()
    run_id = jobs.launch(store, "imdb", config, name, owner=OPERATOR)
    jobs.wait(store, [run_id], poll=0.1, by=OPERATOR)
    run = store.get(run_id)
    assert run["status"] == "finished", run["error"]
    return {"wall": time.perf_counter() - start, "epochs": epoch_seconds(store, run_id)[1:],
            "place": run["place"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kind", default="lstm")
    parser.add_argument("--train-size", type=int, default=5000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    os.environ.pop(cluster.ADDRESS_ENV, None)
    store = RunStore(Path(tempfile.mkdtemp(prefix="seqlab-ray-bench-")) / "runs.sqlite")
    config = models.preset(args.kind, train_size=args.train_size, epochs=args.epochs)
    print(f"{args.kind}, {args.train_size:,} reviews, {args.epochs} epochs, "
          f"{args.rounds} rounds", flush=True)

    sides: dict[str, list[dict]] = {"embedded": [], "ray": []}
    started = time.perf_counter()
    cluster.connect("local", num_cpus=2)
    print(f"local Ray cluster up in {time.perf_counter() - started:.1f} s", flush=True)
    for round_ in range(args.rounds):
        for side in (("embedded", "ray") if round_ % 2 == 0 else ("ray", "embedded")):
            os.environ["SEQLAB_RAY_CPUS"] = "2"  # the whole machine, as the embedded worker has
            if side == "embedded":
                cluster._address = None  # noqa: SLF001 (the bench switches backends in place)
            else:
                cluster._address = "local"  # noqa: SLF001
            result = one(store, config, f"{side} {round_}")
            sides[side].append(result)
            print(f"  {side:8} wall {result['wall']:6.1f} s  epochs "
                  f"{', '.join(f'{s:.2f}' for s in result['epochs'])} s  ({result['place']})",
                  flush=True)
    epoch = {side: statistics.median(s for r in runs for s in r["epochs"])
             for side, runs in sides.items()}
    wall = {side: statistics.median(r["wall"] for r in runs) for side, runs in sides.items()}
    print(f"\n1. epoch time: embedded {epoch['embedded']:.2f} s, Ray {epoch['ray']:.2f} s -> "
          f"Ray/embedded = {epoch['ray'] / epoch['embedded']:.3f} (goal <= 1.10)")
    print(f"   run wall time, queued to finished: embedded {wall['embedded']:.1f} s, Ray "
          f"{wall['ray']:.1f} s (+{wall['ray'] - wall['embedded']:.1f} s)", flush=True)

    cluster._address = None  # noqa: SLF001
    start = time.perf_counter()
    for i in range(2):
        one(store, config, f"after {i}")
    serial = time.perf_counter() - start
    cluster._address = "local"  # noqa: SLF001
    os.environ["SEQLAB_RAY_CPUS"] = "1"
    start = time.perf_counter()
    ids = [jobs.launch(store, "imdb", config, f"side by side {i}", owner=OPERATOR) for i in range(2)]
    jobs.wait(store, ids, poll=0.1, by=OPERATOR)
    parallel = time.perf_counter() - start
    runs = [store.get(i) for i in ids]
    overlap = max(r["started"] for r in runs) < min(r["finished"] for r in runs)
    print(f"\n2. two runs: one after the other (embedded, 2 cores each) {serial:.1f} s; side by "
          f"side on Ray (1 CPU each, overlapping: {overlap}) {parallel:.1f} s -> "
          f"ratio {serial / parallel:.2f}x", flush=True)

    jobs.register(jobs.JobKind("bench_delay", "batch-to-store delay", DelayConfig, delay_job))
    run_id = jobs.launch(store, "bench_delay", DelayConfig(), owner=OPERATOR)
    jobs.wait(store, [run_id], poll=0.1, by=OPERATOR)
    delays = sorted((r["wall"] - r["sent"]) * 1000 for r in store.metrics(run_id, "batch"))
    p50, p95 = delays[len(delays) // 2], delays[int(len(delays) * 0.95)]
    print(f"\n3. batch end -> row in the store, {len(delays)} records: p50 {p50:.1f} ms, "
          f"p95 {p95:.1f} ms, max {delays[-1]:.1f} ms", flush=True)
    cluster.disconnect()


if __name__ == "__main__":
    main()
