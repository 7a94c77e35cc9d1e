"""The browser tests' server and Chromium: a real `streamlit run` on a free port, Debian's
Chromium driven by Playwright, and a wait for Streamlit to finish its script."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from dashboard.registry import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).parent / "screenshots"
playwright = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answering(url: str, seconds: float, failure: str) -> None:
    """Wait until ``url`` answers 200 (a server just started), at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if urllib.request.urlopen(url, timeout=1).status == 200:
                return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"{failure} in {seconds:g} s")
            time.sleep(0.25)


@contextmanager
def running(command: list[str], log_path: Path, ready: str, seconds: float, **popen):
    """A server process (its output appended to ``log_path``), once ``ready`` answers 200."""
    log = open(log_path, "a")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **popen)
    try:
        answering(ready, seconds, f"{Path(command[2]).name} did not answer {ready}")
        yield proc
    finally:
        proc.terminate()
        try:  # a server exits only after its background fit in progress (and those queued
            proc.wait(timeout=20)  # behind it) is done: a slider moved late can start one
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
        log.close()


@contextmanager
def serve(runs_dir: Path, env: dict[str, str] | None = None, args: tuple[str, ...] = (),
          port: int | None = None):
    """A `streamlit run` server over the run store in ``runs_dir`` (its log there too), with
    Streamlit's extra ``args``; yields its URL once healthy."""
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}"
    with running([sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
                  "--server.port", str(port), "--server.address", "127.0.0.1", *args],
                 runs_dir / "server.log", url + "/_stcore/health", 60, cwd=ROOT,
                 env={**os.environ, "SEQLAB_RUNS_DIR": str(runs_dir), **(env or {})}):
        yield url


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory) -> Path:
    """A module's own run store folder (its server's log goes there too)."""
    return tmp_path_factory.mktemp("runs")


@contextmanager
def class_lab(runs_dir: Path, key: str, *known):
    """A lab served as a class (the instructor ``key``; ``?me=`` links allowed, so each browser
    context names its person) over a store in ``runs_dir`` that already knows the ``known``
    people; yields the URL and the store."""
    from core.runs import people
    from core.runs.store import RunStore

    store = RunStore(runs_dir / "runs.sqlite")
    for person in known:
        store.remember(person)
    with serve(runs_dir, {people.KEY_ENV: key, people.LINK_ENV: "1"}) as url:
        yield url, store


@pytest.fixture(autouse=True)
def no_server_traceback(request):
    """Every browser test also fails when its server logged a traceback while it ran."""
    if "runs_dir" not in request.fixturenames:
        yield
        return
    log = request.getfixturevalue("runs_dir") / "server.log"
    start = log.stat().st_size if log.exists() else 0
    yield
    if log.exists():
        with open(log, encoding="utf-8", errors="replace") as f:
            f.seek(start)
            tail = f.read()
        assert "Traceback" not in tail, tail[-3000:]


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield b
        b.close()


def settle(page) -> None:
    """Wait until Streamlit has run the whole script (the app root says 'notRunning', with a
    title drawn) and stayed idle for a second: right after loading it can say 'notRunning'
    before the first run has even started."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning'] h1",
                           timeout=180_000)
    idle = 0
    for _ in range(720):  # at most 180 s
        state = page.get_attribute("[data-testid='stApp']", "data-test-script-state")
        idle = idle + 1 if state == "notRunning" else 0
        if idle >= 4:
            return
        page.wait_for_timeout(250)


def rerun_settled(page, start_seconds: float = 1.5) -> None:
    """After a click that reruns the script (a tab of a page whose tabs run only when open):
    wait for the run to start (at most ``start_seconds``), then for it to end with nothing left
    stale. Quicker than :func:`settle`, which waits a whole idle second."""
    state = """() => [document.querySelector("[data-testid='stApp']").dataset.testScriptState,
                      document.querySelectorAll("[data-stale='true']").length]"""
    for _ in range(int(start_seconds / 0.05)):
        if page.evaluate(state)[0] == "running":
            break
        page.wait_for_timeout(50)
    quiet = 0
    for _ in range(1800):  # at most 180 s
        running, stale = page.evaluate(state)
        quiet = quiet + 1 if running == "notRunning" and not stale else 0
        if quiet >= 2:
            return
        page.wait_for_timeout(100)

def _px(page, selector: str) -> list[float]:
    return page.evaluate(f"""() => [...document.querySelectorAll({selector!r})]
        .filter(e => e.getClientRects().length).map(e => parseFloat(getComputedStyle(e).fontSize))""")


def assert_projector_sizes(page) -> None:
    """Classroom mode, measured as drawn: chart ticks >= 18 px, chart titles >= 24 px, headline
    numbers larger than body text, metric labels not cut off, tables within their column, the
    short ones (static tables) at >= 18 px, and the chips of multiselects (models, spaces, runs)
    at >= 18 px."""
    ticks = _px(page, ".stPlotlyChart .xtick text, .stPlotlyChart .ytick text")
    for _ in range(40):  # a chart redrawn by a late rerun has no ticks for a moment: wait
        if ticks or not page.locator(".stPlotlyChart:visible").count():
            break
        page.wait_for_timeout(250)
        ticks = _px(page, ".stPlotlyChart .xtick text, .stPlotlyChart .ytick text")
    assert ticks or not page.locator(".stPlotlyChart:visible").count(), "no chart text drawn"
    assert min(ticks, default=18) >= 18
    assert min(_px(page, ".stPlotlyChart .gtitle"), default=24) >= 24
    body = max(_px(page, "[data-testid='stMarkdownContainer'] p:not([data-testid='stMetric'] p)"),
               default=16)
    assert min(_px(page, "[data-testid='stMetricValue'] p"), default=99) > body
    cut = page.evaluate("""() => [...document.querySelectorAll("[data-testid='stMetricLabel'] p")]
        .filter(e => e.scrollWidth > e.clientWidth + 1).length""")
    assert cut == 0
    wider = page.evaluate("""() => [...document.querySelectorAll("[data-testid='stDataFrame']")]
        .filter(e => e.getClientRects().length && e.getBoundingClientRect().right >
                     e.parentElement.getBoundingClientRect().right + 1).length""")
    assert wider == 0, "a table runs past its column"
    assert min(_px(page, "[data-testid='stTable'] td"), default=18) >= 18  # short tables grow
    chips = page.evaluate("""() => [...document.querySelectorAll('[data-tag], [data-baseweb="tag"]')]
        .filter(e => e.getClientRects().length)
        .map(e => [...e.querySelectorAll('*')].filter(c => c.childElementCount === 0
                   && c.textContent.trim()).map(c => parseFloat(getComputedStyle(c).fontSize)))
        .flat()""")
    assert min(chips, default=18) >= 18, f"multiselect chips' text at {min(chips)} px"


def small_text(page, px: float = 18) -> list[str]:
    """Every visible text on the page (outside charts, whose type is measured apart) drawn
    under ``px`` pixels: 'size px: the element's test id or tag: the text'."""
    return page.evaluate("""(px) => {
        const out = [];
        const walker = document.createTreeWalker(document.querySelector('.stApp'),
                                                 NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const e = node.parentElement;
            if (!node.textContent.trim() || !e || e.closest('.js-plotly-plot, style, script')) continue;
            const box = e.getBoundingClientRect();
            const s = getComputedStyle(e);
            if (!box.width || !box.height || s.visibility === 'hidden' || s.opacity === '0') continue;
            if (e.closest('[aria-hidden="true"], [hidden]')) continue;
            const size = parseFloat(s.fontSize);
            if (size < px) {
                const owner = e.closest('[data-testid]');
                out.push(`${size} px: ${owner ? owner.dataset.testid : e.tagName}: ` +
                         node.textContent.trim().slice(0, 40));
            }
        }
        return out; }""", px)
