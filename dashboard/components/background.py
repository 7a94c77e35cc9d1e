"""Work that takes seconds runs in the background (a Future from ``dashboard.cache``) while
the page draws what it has: one polling pattern for every such section."""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

import streamlit as st


def when_ready(job: Future, draw: Callable[..., None], *args, every: float = 1.0) -> None:
    """``draw(done, *args)`` in a fragment that checks ``job`` every ``every`` seconds while
    it runs; when it ends, the whole page runs once more (so what depends on it elsewhere
    follows) and the polling stops."""
    done = job.done()  # once: the job may end while this runs
    st.fragment(run_every=None if done else every)(_poll)(job, done, draw, args)


def _poll(job: Future, was_done: bool, draw: Callable[..., None], args: tuple) -> None:
    done = job.done()
    if done and not was_done:
        st.rerun()  # the page once more, without polling
    draw(done, *args)
