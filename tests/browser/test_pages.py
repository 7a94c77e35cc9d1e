"""A real `streamlit run` server and Debian's Chromium: every page renders, no exception shown."""
from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from core import models, training
from core.runs import RunStore
from dashboard.registry import PAGES, ROOT
from tests.conftest import requires_mirror

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).parent / "screenshots"
pytestmark = [pytest.mark.browser, requires_mirror,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium absent")]
playwright = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory) -> Path:
    """The server's run store, apart from the user's."""
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="module")
def server(runs_dir):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "SEQLAB_RUNS_DIR": str(runs_dir)})
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not become healthy in 60 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield b
        b.close()


def _settle(page) -> None:
    """Wait until Streamlit has run the whole script once (the app root says 'notRunning')."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=180_000)
    page.wait_for_timeout(500)


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_page_renders_without_exception(server, browser, spec):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/{'' if spec is PAGES[0] else spec.url_path}")
    _settle(page)
    if page.locator(".stPlotlyChart:visible").count():  # charts in hidden tabs never draw
        page.wait_for_selector(".main-svg", timeout=30_000)  # plotly draws ~2 s after load
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{spec.url_path}.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("h1").first.inner_text().strip() == spec.title.replace("Home", "Sequence Lab")
    page.close()


def test_embeddings_tabs_draw_their_charts(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/embeddings")
    _settle(page)
    for tab in ("Analogies", "PCA map", "Embedding matrix"):
        page.get_by_role("tab", name=tab).click()
        page.locator(".main-svg:visible").first.wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / f"embeddings-{tab.split()[0].lower()}.png"))
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_text_page_draws_charts_and_keeps_state_in_link(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/text?n=3&k=5000&classroom=1")
    _settle(page)
    page.wait_for_selector(".main-svg", timeout=30_000)  # plotly draws after the load event
    assert "n=3" in page.url and "k=5000" in page.url and "classroom=1" in page.url
    page.screenshot(path=str(SHOTS / "text-classroom.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_a_run_made_elsewhere_appears_without_a_click(server, browser, runs_dir):
    """An instructor prepares a run from a terminal (or another browser) while a student's Train
    page sits idle: it shows up on its own, in the cost table, within a few seconds."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/train")
    _settle(page)
    store = RunStore(runs_dir / "runs.sqlite")
    run_id = store.create(training.KIND, dataclasses.asdict(models.preset("dense", epochs=1)),
                          "made in a terminal")
    store.start(run_id)
    store.log(run_id, "epoch", 1, {"loss": 0.5, "accuracy": 0.75, "val_loss": 0.52,
                                   "val_accuracy": 0.74, "seconds": 2.0, "samples_per_s": 1e4})
    store.finish(run_id, "finished", summary={"params": 80161, "test_accuracy": 0.73})
    page.get_by_text("made in a terminal").first.wait_for(timeout=15_000)
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()
