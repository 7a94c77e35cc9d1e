"""A real `streamlit run` server and Debian's Chromium: state in links, runs made elsewhere
appearing on open pages, uploads. (Every page and tab rendering, accessible and sized for a
projector: test_accessibility.py.)"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from core.classify import models, training
from core.runs.people import OPERATOR
from core.runs.store import RunStore
from tests.browser.conftest import CHROMIUM, SHOTS, serve, settle
from tests.conftest import requires_mirror

pytestmark = [pytest.mark.browser, requires_mirror, pytest.mark.xdist_group("browser-pages"),
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium absent")]


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory) -> Path:
    """The server's run store, apart from the user's."""
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="module")
def server(runs_dir):
    with serve(runs_dir) as url:
        yield url


def _open(browser, url: str):
    """A settled page at ``url``."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    settle(page)
    return page


def test_text_page_draws_charts_and_keeps_state_in_link(server, browser):
    page = _open(browser, f"{server}/text?n=3&k=5000&classroom=1")
    page.wait_for_selector(".main-svg", timeout=30_000)  # plotly draws after the load event
    assert "n=3" in page.url and "k=5000" in page.url and "classroom=1" in page.url
    page.screenshot(path=str(SHOTS / "text-classroom.png"), full_page=True)
    page.get_by_role("tab", name="Vocabulary").click()  # only the open tab runs: this one now
    page.locator(".stPlotlyChart:visible .main-svg").first.wait_for(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_a_run_made_elsewhere_appears_without_a_click(server, browser, runs_dir):
    """An instructor prepares a run from a terminal (or another browser) while a student's Train
    page sits idle: it shows up on its own, in the cost table, within a few seconds."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/train")
    settle(page)
    store = RunStore(runs_dir / "runs.sqlite")
    run_id = store.create(training.KIND, dataclasses.asdict(models.preset("dense", epochs=1)),
                          "made in a terminal", owner=OPERATOR)
    store.start(run_id)
    store.log(run_id, "epoch", 1, {"loss": 0.5, "accuracy": 0.75, "val_loss": 0.52,
                                   "val_accuracy": 0.74, "seconds": 2.0, "samples_per_s": 1e4})
    store.finish(run_id, "finished", summary={"params": 80161, "test_accuracy": 0.73})
    page.get_by_text("made in a terminal").first.wait_for(timeout=15_000)
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_two_open_pages_draw_a_run_started_elsewhere_on_their_charts(server, browser, runs_dir):
    """The classroom case: two students watch Train & compare; the teacher starts a run from a
    terminal. Both charts draw it (not only the progress bar), while it runs and after."""
    store = RunStore(runs_dir / "runs.sqlite")
    earlier = store.create(training.KIND, dataclasses.asdict(models.preset("dense", epochs=1)),
                           "already there", owner=OPERATOR)  # the chart exists, with its first selection
    store.finish(earlier, "stopped")
    pages = [browser.new_page(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    for page in pages:
        page.goto(f"{server}/train")
        settle(page)
    run_id = store.create(training.KIND, dataclasses.asdict(models.preset("dense", epochs=2)),
                          "teacher run", owner=OPERATOR)
    store.start(run_id)
    store.log(run_id, "batch", 1, {"loss": 0.69, "accuracy": 0.5, "epoch_x": 0.1})
    store.log(run_id, "epoch", 1, {"loss": 0.5, "accuracy": 0.75, "val_loss": 0.52,
                                   "val_accuracy": 0.74, "seconds": 2.0, "samples_per_s": 1e4,
                                   "batches": 10, "epoch_x": 1.0})
    legend = f".stPlotlyChart .legendtext:text-matches('{run_id}·teacher run')"
    bar = f"[data-testid='stProgress']:has-text('Run {run_id} · teacher run')"
    for page in pages:
        page.locator(legend).first.wait_for(timeout=20_000)
        page.locator(bar).first.wait_for(timeout=20_000)
    store.finish(run_id, "finished", summary={"params": 80161, "test_accuracy": 0.73})
    for page in pages:  # the page has polled since: the run's progress bar is gone
        page.locator(bar).first.wait_for(state="detached", timeout=20_000)
        page.locator(legend).first.wait_for(timeout=20_000)
        assert page.locator("[data-testid='stException']").count() == 0
        page.close()


def test_a_rejected_upload_leaves_no_old_numbers(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/generate")
    settle(page)
    page.get_by_text("Upload a .txt file").click()
    settle(page)
    good = tmp_path / "good.txt"
    good.write_text("a small but real text, written again and again. " * 100, encoding="utf-8")
    page.locator("input[type='file']").set_input_files(str(good))
    page.get_by_text("Corpus length").first.wait_for(timeout=30_000)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe" * 3000)
    page.locator("input[type='file']").set_input_files(str(bad))
    page.get_by_text("is not UTF-8 text").first.wait_for(timeout=30_000)
    settle(page)
    assert page.get_by_text("Corpus length").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()
