"""The tests' one wait: for a condition, with a deadline (a loaded machine is slow, not wrong;
a fixed sleep followed by an assertion is a test the clock decides)."""
from __future__ import annotations

import time


def wait_until(condition, seconds: float = 120.0, poll: float = 0.01) -> float:
    """Poll ``condition()`` every ``poll`` seconds until it holds; fail after ``seconds``.
    Returns how long it took."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, f"the condition never held in {seconds:g} s"
        time.sleep(poll)
    return time.monotonic() - start
