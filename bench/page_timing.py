"""How long a class waits: every page's visit and a few controls on each, in Debian's Chromium,
against a bare one-line Streamlit page served the same way (the floor Streamlit itself costs).

The lab is started once and every page visited once before timing (what a class meets after
the instructor opened the lab): then each page is timed from `goto` until Streamlit has run its
script and stayed idle, with the first chart drawn; each control from the click (or key) until
the page is idle again with its charts drawn. Run it on an idle machine.

Goals (issue 24): every page <= 3 s, every control <= 1.5 s. Work that takes longer must not
block: it shows progress while the rest of the page stays live.

The store holds ``--runs`` finished Train & compare runs (16 by default: a class's worth; one
trained for real, the others with a real run's records), as the issue 34 measurements had.
Then a race of the lecture's six on 2,000 reviews is pressed from the page: how long until the
chart draws its first point, and whether it draws all six runs (goal, issue 34: <= 3 s, six).

Usage: python bench/page_timing.py [--repeat 3] [--runs 16]
"""
from __future__ import annotations

import argparse
import json
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
from dashboard.registry import PAGES  # noqa: E402

PAGE_GOAL, CONTROL_GOAL, FIRST_POINT_GOAL = 3.0, 1.5, 3.0
RACE = ["dense", "glove_dense", "cnn", "simple_rnn", "lstm", "gru"]  # the lecture's six
STATE = "[data-testid='stApp']"
# (page, what to do first, the control) — tabs are clicked before timing, the control is timed
CONTROLS = [
    ("text", None, ("radio", "text.source", "IMDB review")),
    ("embeddings", None, ("radio", "emb.metric", "euclidean")),
    ("embeddings", "PCA map", ("radio", "emb.dims", "3D")),
    ("train", None, ("radio", "train.metric", "loss")),
    ("train", None, ("number", "train.epochs", "3")),
    ("inside", "Vanishing gradients", ("radio", "inside.source", "untrained")),
    ("inside", "Residual connections", ("radio", "inside.activation", "relu")),
    ("inside", "Time-delay & echo state", ("slider", "inside.delay", "ArrowRight")),
]


# A bare page with the PCA map's chart types and size: the time plotly itself takes to swap a
# 2D map for a 3D one (a WebGL scene; software-rendered in Chromium without a GPU).
BARE_MAP = """import numpy as np, plotly.graph_objects as go, streamlit as st
st.title("Bare map")
dims = st.radio("Map", ["2D", "3D"], key="dims", horizontal=True)
p = np.random.default_rng(0).normal(size=(77, 3))
words = [f"word{i}" for i in range(77)]
trace = (go.Scattergl(x=p[:, 0], y=p[:, 1], mode="markers+text", text=words) if dims == "2D" else
         go.Scatter3d(x=p[:, 0], y=p[:, 1], z=p[:, 2], mode="markers+text", text=words))
st.plotly_chart(go.Figure(trace).update_layout(height=620), key="map")
"""


def idle(page, timeout: float = 180.0, quiet: float = 0.5) -> float:
    """Wait until the script has run and stayed 'notRunning' for ``quiet`` seconds, with every
    visible chart drawn; returns when it last became idle (perf_counter)."""
    deadline, since = time.perf_counter() + timeout, None
    while time.perf_counter() < deadline:
        state = page.get_attribute(STATE, "data-test-script-state")
        drawn = page.evaluate("""() => [...document.querySelectorAll('.stPlotlyChart')]
            .filter(e => e.getClientRects().length)
            .every(e => e.querySelector('.main-svg'))""")
        if state == "notRunning" and drawn:
            since = since or time.perf_counter()
            if time.perf_counter() - since >= quiet:
                return since
        else:
            since = None
        page.wait_for_timeout(25)
    raise TimeoutError("the page never became idle")


def visit(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(f"{STATE} h1", timeout=180_000)
    seconds = idle(page) - start
    page.close()
    return seconds


def control(browser, url: str, tab: str | None, action: tuple) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector(f"{STATE} h1", timeout=180_000)
    idle(page)
    if tab:
        page.get_by_role("tab", name=tab).click()
        idle(page)
    kind, key, value = action
    widget = page.locator(f".st-key-{key.replace('.', '-')}").first
    start = time.perf_counter()
    if kind == "radio":
        widget.get_by_text(value, exact=True).click()
    elif kind == "number":
        box = widget.locator("input").first
        box.fill(value)
        start = time.perf_counter()
        box.press("Enter")
    else:
        widget.locator("input[type='range']").press(value)
    page.wait_for_timeout(100)  # the rerun starts
    seconds = idle(page) - start
    page.close()
    return seconds


def copies(store_path: Path, count: int) -> None:
    """Fill the store up to ``count`` finished runs with copies of its one real run's records
    (config, epochs, batches, summary): what a page reads from a store a class has used."""
    from core.runs.people import OPERATOR
    from core.runs.store import RunStore

    store = RunStore(store_path)
    real = store.list()[0]
    epochs, batches = store.metrics(real["id"], "epoch"), store.metrics(real["id"], "batch")
    for i in range(count - 1):
        run = store.create(real["kind"], real["config"], f"copy {i + 1}", owner=OPERATOR)
        store.start(run)
        for level, records in (("batch", batches), ("epoch", epochs)):
            for r in records:
                store.log(run, level, r["step"], {k: v for k, v in r.items()
                                                  if k not in ("step", "wall")})
        store.finish(run, "finished", summary=real["summary"])


def race_first_point(browser, url: str, store_path: Path) -> dict:
    """Press Race with the lecture's six on 2,000 reviews for 1 epoch: seconds until the chart
    draws a point of the race (its SVG holds more line vertices and markers than before the
    press), and how many of the six runs the chart draws (its legend); then stop them all."""
    import re

    from core.runs.store import RunStore

    store = RunStore(store_path)
    before = max(r["id"] for r in store.list())
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/train?models={','.join(RACE)}&reviews=2000&epochs=1")
    page.wait_for_selector(f"{STATE} h1", timeout=180_000)
    idle(page)
    drawn_points = """() => [...document.querySelectorAll("[data-testid='stPlotlyChart'] .scatterlayer")]
        .map(layer => [...layer.querySelectorAll('.js-line')].map(p => (p.getAttribute('d') || '')
                          .split(/[ML]/).length - 1).reduce((a, b) => a + b, 0)
                      + layer.querySelectorAll('.points path').length)
        .reduce((a, b) => a + b, 0)"""
    baseline = page.evaluate(drawn_points)  # the points of the runs already on the chart
    start, pressed = time.perf_counter(), time.time()
    page.get_by_role("button", name=re.compile(r"^(Train|Race)")).first.click()
    first, drawn, deadline = None, set(), start + 120
    while time.perf_counter() < deadline and (first is None or len(drawn) < len(RACE)):
        legend = " ".join(page.evaluate("""() => [...document.querySelectorAll(
            "[data-testid='stPlotlyChart'] .legendtext")].map(e => e.textContent)"""))
        drawn |= {int(i) for i in re.findall(r"(\d+)·", legend) if int(i) > before}
        if first is None and drawn and page.evaluate(drawn_points) > baseline:
            first = time.perf_counter() - start
        page.wait_for_timeout(50)
    page.close()
    from core.runs.people import OPERATOR

    raced = [r for r in store.list() if r["id"] > before]
    queued = min(r["created"] for r in raced) - pressed if raced else None
    batches = [b[0]["wall"] - pressed for r in raced if (b := store.metrics(r["id"], "batch"))]
    for run in store.list():  # the race is not the point: stop what is left of it
        if run["id"] > before and run["status"] in ("queued", "running"):
            store.request_stop(run["id"], by=OPERATOR)
    return {"first_point_s": None if first is None else round(first, 2),
            "runs_drawn": len(drawn), "runs_queued": len(RACE),
            "queued_after_s": None if queued is None else round(queued, 2),  # the press's rerun
            "first_batch_in_store_s": round(min(batches), 2) if batches else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--runs", type=int, default=16, help="finished runs in the store")
    parser.add_argument("--race-only", action="store_true", help="only the race's first point")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    bare = Path(tempfile.mkdtemp()) / "bare.py"
    bare.write_text("import streamlit as st\nst.title('Bare')\n")
    bare_map = bare.with_name("bare_map.py")  # the floor of a 2D -> 3D map switch: plotly alone
    bare_map.write_text(BARE_MAP)
    runs = Path(tempfile.mkdtemp(prefix="seqlab-pages-"))
    # One real, small run, so Train & compare draws its chart and cost table as in class.
    subprocess.run([sys.executable, "-m", "core", "train", "dense", "--train-size", "500",
                    "--epochs", "2"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env={**os.environ, "SEQLAB_RUNS_DIR": str(runs)})
    copies(runs / "runs.sqlite", args.runs)
    with serve(bare) as bare_url, serve(bare_map) as bare_map_url, \
            serve(ROOT / "streamlit_app.py", {"SEQLAB_RUNS_DIR": str(runs)}) as url, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if args.race_only:
            print(json.dumps({"bench": "page_timing", "runs_in_store": args.runs,
                              "race_of_six": race_first_point(browser, url, runs / "runs.sqlite"),
                              "goal_first_point_s": FIRST_POINT_GOAL}, indent=1))
            return
        map_floor = statistics.median(control(browser, bare_map_url, None, ("radio", "dims", "3D"))
                                      for _ in range(args.repeat))
        paths = {spec.url_path: "" if i == 0 else spec.url_path for i, spec in enumerate(PAGES)}
        for path in paths.values():  # the lab started once: every page visited
            visit(browser, f"{url}/{path}")
        floor = statistics.median(visit(browser, bare_url) for _ in range(args.repeat))
        pages = {name: statistics.median(visit(browser, f"{url}/{path}")
                                         for _ in range(args.repeat))
                 for name, path in paths.items()}
        controls = {}  # the first time (nothing cached for that setting yet), then the median
        for page_name, tab, action in CONTROLS:
            label = f"{page_name}: {tab + ' → ' if tab else ''}{action[1]} = {action[2]}"
            times = [control(browser, f"{url}/{paths[page_name]}", tab, action)
                     for _ in range(args.repeat)]
            controls[label] = {"first": round(times[0], 2),
                               "median": round(statistics.median(times), 2)}
        race = race_first_point(browser, url, runs / "runs.sqlite")
        browser.close()
    print(json.dumps({
        "bench": "page_timing", "repeat": args.repeat, "runs_in_store": args.runs,
        "bare_page_s": round(floor, 2),
        "bare_map_2d_to_3d_s": round(map_floor, 2),
        "pages_s": {k: round(v, 2) for k, v in pages.items()},
        "pages_ratio_to_bare": {k: round(v / floor, 2) for k, v in pages.items()},
        "controls_s": controls,
        "race_of_six": race,
        "goals": {"page_s": PAGE_GOAL, "control_s": CONTROL_GOAL,
                  "first_point_s": FIRST_POINT_GOAL},
        "pages_over_goal": [k for k, v in pages.items() if v > PAGE_GOAL],
        "controls_over_goal": [k for k, v in controls.items()
                               if max(v.values()) > CONTROL_GOAL]}, indent=1))


if __name__ == "__main__":
    main()
