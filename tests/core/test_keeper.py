"""The cluster's queue without Ray: the fair pick (all resources counted, a smaller run never
jumps the line, a run larger than the cluster is named, not kept forever)."""
from __future__ import annotations

import itertools

from core.runs.keeper import Queued, demand, pick, too_large


def queued(run_id: int, owner: str, cpus: float = 1, gpus: float = 0, first: bool = False,
           **resources) -> Queued:
    options = {"num_cpus": cpus, "num_gpus": gpus, "resources": resources or None}
    return Queued(run_id, owner, first, run_id, None, options)


def ids(tickets) -> list[int]:
    return [t.run_id for t in tickets]


def test_runs_start_round_the_owners_while_there_is_room():
    queue = [queued(1, "ann"), queued(2, "ann"), queued(3, "ben"), queued(4, "teacher",
                                                                          first=True)]
    start, never, served = pick(queue, {}, {"CPU": 3}, {"CPU": 4}, itertools.count())
    assert ids(start) == [4, 1, 3] and never == [] and set(served) == {"teacher", "ann", "ben"}
    assert [t.run_id for t in queue] == [1, 2, 3, 4]  # the queue itself is not changed


def test_gpus_count_too_so_the_fair_order_holds_on_a_gpu_cluster():
    """Two CPUs free but the only GPU taken: Ann's GPU run is next and waits, and Ben's run
    behind her does not jump the line (before, only CPUs were counted)."""
    queue = [queued(1, "ann", gpus=1), queued(2, "ben", gpus=1)]
    start, never, _ = pick(queue, {}, {"CPU": 2, "GPU": 0}, {"CPU": 4, "GPU": 1},
                           itertools.count())
    assert start == [] and never == []
    start, _, _ = pick(queue, {}, {"CPU": 2, "GPU": 1}, {"CPU": 4, "GPU": 1}, itertools.count())
    assert ids(start) == [1]  # one GPU: one run


def test_a_smaller_run_does_not_jump_a_larger_one_that_waits_for_room():
    queue = [queued(1, "ann", cpus=4), queued(2, "ben", cpus=1)]
    start, never, _ = pick(queue, {}, {"CPU": 2}, {"CPU": 4}, itertools.count())
    assert start == [] and never == []


def test_a_run_larger_than_the_whole_cluster_is_named_and_the_rest_go_on():
    queue = [queued(1, "ann", cpus=8), queued(2, "ben"), queued(3, "cat", special=1)]
    start, never, _ = pick(queue, {}, {"CPU": 4}, {"CPU": 4}, itertools.count())
    assert ids(never) == [1, 3] and ids(start) == [2]
    reason = too_large(demand(queue[0].options), {"CPU": 4})
    assert "asks for 8 CPU and the whole cluster has 4 CPU: it could never start" in reason


def test_demand_reads_every_resource_an_actor_asks_for():
    assert demand({"num_cpus": 2, "num_gpus": 0.5, "resources": {"tpu": 1}}) == {
        "CPU": 2.0, "GPU": 0.5, "tpu": 1.0}
    assert demand({}) == {"CPU": 1.0}
