"""How soon a click on a class's Train page takes effect while the page's polling fragments run:
``--students`` students (default 5) on Train & compare in Chromium, each in a browser context
of their own, on one lab server started with an instructor key (a class: the run panel, the
questions, the class board, Try a review and the sidebar's question link all poll).

Each round, every student has a run of their own waiting in line (a light job in this process
that logs a batch every 0.2 s: ``tests/fake_jobs.py``), so their run panel
polls every second; each student in turn clicks that run's Stop, timed from the click until the
page shows it (its Stop button gone: the callback ran and the fragment redrew). With ``--busy``
one more process spins a core meanwhile (a CI machine's other test worker).

Then the instructor shows a finished run of the first student to the class (the store call
the Show to the class toggle makes): how long until every other student's chart draws it.

``--baseline REV`` measures the same against a git worktree of REV served the same way, in the
same invocation, and prints the ratio (median and slowest). Printed: every click's delay, the
median and slowest per lab, and the shown run's delay on each other student's chart.

Usage: python bench/click_latency.py [--students 5] [--rounds 3] [--busy] [--baseline REV]
"""
from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serve import CHROMIUM, CHROMIUM_ARGS, ROOT, serve  # noqa: E402

sys.path.insert(0, str(ROOT))
from tests.fake_jobs import batches  # noqa: E402

KEY = "bench-instructor-key-clicks"
READY = "[data-testid='stApp'][data-test-script-state='notRunning'] h1"
STOP = ".st-key-train-stop-{run}-"


def spin(until: float) -> None:
    while time.time() < until:
        pass


def one_lab(script: Path, args, browser) -> list[float]:
    from core.classify import models, training
    from core.runs import people, worker
    from core.runs.people import Person
    from core.runs.store import RunStore

    runs = Path(tempfile.mkdtemp(prefix="bench-clicks-"))
    store = RunStore(runs / "runs.sqlite")
    students = [Person(f"student-{i:02d}-click-id", f"Student {i}") for i in range(args.students)]
    for person in students:
        store.remember(person)
    from core import paths

    env = {people.KEY_ENV: KEY, people.LINK_ENV: "1", "SEQLAB_RUNS_DIR": str(runs),
           # a baseline's worktree reads this tree's mirror and caches
           "SEQLAB_CACHE_DIR": str(paths.cache_dir()), "SEQLAB_DATA_DIR": str(paths.mirror_dir() or "")}
    config = dataclasses.asdict(models.preset("dense", epochs=1))
    delays = []
    with serve(script, env, cwd=script.parent) as url:
        pages = []
        for person in students:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.goto(f"{url}/train?me={person.id}")
            page.wait_for_selector(READY, timeout=180_000)
            pages.append(page)
        for _ in range(args.rounds):
            mine = {}
            for person in students:
                mine[person.id] = store.create(training.KIND, config, "waiting", owner=person)
                worker.start_run(store, mine[person.id], batches)
            for person, page in zip(students, pages):
                page.locator(STOP.format(run=mine[person.id])).wait_for(timeout=30_000)
            time.sleep(3)  # every page polling its active runs
            for person, page in zip(students, pages):
                stop = page.locator(STOP.format(run=mine[person.id]))
                start = time.perf_counter()
                stop.locator("button").first.click()
                stop.wait_for(state="detached", timeout=60_000)
                delays.append(time.perf_counter() - start)
                time.sleep(0.5)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and any(
                    r["status"] in ("queued", "running") for r in store.list()):
                time.sleep(0.2)
        shown = shown_delays(store, students, pages, config)
        for page in pages:
            page.context.close()
    return delays, shown


LEGEND = """() => [...document.querySelectorAll("[data-testid='stPlotlyChart'] .legendtext")]
    .map(e => e.textContent).join(' ')"""


def shown_delays(store, students, pages, config) -> list[float]:
    """A finished run of the first student, shown to the class: seconds until each other
    student's chart draws it (its legend names it)."""
    from core.classify import training
    from core.runs.people import OPERATOR

    run = store.create(training.KIND, config, "shown run", owner=students[0])
    store.start(run)
    store.log(run, "epoch", 1, {"loss": 0.6, "accuracy": 0.7, "val_loss": 0.6,
                                "val_accuracy": 0.71, "seconds": 1.0, "samples_per_s": 400.0,
                                "batches": 2, "epoch_x": 1.0})
    store.finish(run, "finished", summary={"params": 80161})
    time.sleep(5)  # every page has settled with the run not theirs
    others = pages[1:]
    assert not any(f"{run}·" in page.evaluate(LEGEND) for page in others)
    start, seen = time.perf_counter(), {}
    store.show_to_class(run, by=OPERATOR)
    while len(seen) < len(others) and time.perf_counter() - start < 60:
        for i, page in enumerate(others):
            if i not in seen and f"{run}·" in page.evaluate(LEGEND):
                seen[i] = time.perf_counter() - start
        time.sleep(0.05)
    return sorted(seen.values()) + [float("inf")] * (len(others) - len(seen))


def summary(name: str, delays: list[float]) -> tuple[float, float]:
    median, slowest = statistics.median(delays), max(delays)
    print(f"{name}: {len(delays)} clicks; median {median:.2f} s, slowest {slowest:.2f} s "
          f"({', '.join(f'{d:.2f}' for d in delays)})")
    return median, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--busy", action="store_true", help="spin one core meanwhile")
    parser.add_argument("--baseline", help="a git revision to measure the same way")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    labs = [("this tree", ROOT / "streamlit_app.py")]
    worktree = None
    if args.baseline:
        worktree = Path(tempfile.mkdtemp(prefix="bench-baseline-")) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(worktree), args.baseline],
                       cwd=ROOT, check=True, capture_output=True)
        labs.insert(0, (f"baseline {args.baseline}", worktree / "streamlit_app.py"))
    spinner = None
    if args.busy:
        spinner = multiprocessing.Process(target=spin, args=(time.time() + 3600,), daemon=True)
        spinner.start()
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, script in labs:
                delays, shown = one_lab(script, args, browser)
                results[name] = summary(name, delays)
                print(f"{name}: a run shown to the class on the other {len(shown)} students' "
                      f"charts after {', '.join(f'{d:.2f}' for d in shown)} s")
            browser.close()
    finally:
        if spinner is not None:
            spinner.terminate()
        if worktree is not None:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT,
                           capture_output=True)
    if worktree is not None:
        (base_median, base_slowest), (median, slowest) = results.values()
        print(f"ratio (baseline / this tree): median {base_median / median:.2f}x, "
              f"slowest {base_slowest / slowest:.2f}x")


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    main()
