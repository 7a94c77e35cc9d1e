"""The background fits (n-gram baseline, residual stacks, network forecasts): one at a time, in
order, results and errors handed to whoever polls; and a stopping server does not wait for
them."""
from __future__ import annotations

import subprocess
import sys
import threading

from dashboard.cache.background import OneAtATime
from dashboard.registry import ROOT


def test_fits_run_one_at_a_time_in_order_and_hand_back_results_and_errors():
    fits, gate, order = OneAtATime("test-fits"), threading.Event(), []
    first = fits.submit(lambda: (gate.wait(10), order.append(1), "one")[2])
    second = fits.submit(lambda: order.append(2) or "two")
    failing = fits.submit(lambda: 1 / 0)
    assert not second.done() and not failing.done()  # behind the first, which waits
    gate.set()
    assert first.result(10) == "one" and second.result(10) == "two" and order == [1, 2]
    assert isinstance(failing.exception(10), ZeroDivisionError)


def test_a_process_stops_without_waiting_for_a_fit_in_progress():
    """The lab's process, with a 10-minute fit in progress, ends when its main thread does
    (a ThreadPoolExecutor's thread would keep it alive until the fit ended)."""
    script = ("import threading, time\n"
              "from dashboard.cache.background import _FITS\n"
              "started = threading.Event()\n"
              "_FITS.submit(lambda: (started.set(), time.sleep(600)))\n"
              "assert started.wait(60)\n")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=120)
