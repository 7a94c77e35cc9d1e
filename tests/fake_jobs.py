"""A light job for tests and benches of the run panel: it 'trains' until stopped, one batch
record every :data:`BATCH_SECONDS` and almost no CPU, reading Stop from the store as a worker in
another process would."""
from __future__ import annotations

import time

BATCH_SECONDS = 0.2


def batches(store, run_id: int, stop_flag, most: int = 3000) -> dict:
    for step in range(1, most):
        if stop_flag() or store.stop_requested(run_id):
            return {"batches": step}
        store.log(run_id, "batch", step, {"loss": 0.5, "epoch_x": step / 1000})
        time.sleep(BATCH_SECONDS)
    return {"batches": most}
