"""A real `streamlit run` server and Debian's Chromium: every page renders, no exception shown."""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from core.classify import models, training
from core.runs.people import OPERATOR
from core.runs.store import RunStore
from dashboard.registry import HOME_ALIAS, PAGES
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


@pytest.mark.parametrize("mode", ["normal", "classroom"])
@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_page_renders_without_exception(server, browser, spec, mode):
    """Every page, as a student and on a projector. Home opens at the site's root, and in
    classroom mode at its own name, /home."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    path = spec.url_path
    if spec is PAGES[0]:
        path = "" if mode == "normal" else HOME_ALIAS
    page.goto(f"{server}/{path}" + ("?classroom=1" if mode == "classroom" else ""))
    settle(page)
    if page.locator(".stPlotlyChart:visible").count():  # charts in hidden tabs never draw
        page.wait_for_selector(".main-svg", timeout=30_000)  # plotly draws ~2 s after load
        # and the first visible chart's tick labels, so the type sizes below are measured
        page.locator(".stPlotlyChart:visible").first.locator(".xtick text, .ytick text").first \
            .wait_for(state="attached", timeout=30_000)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{spec.url_path}-{mode}.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("h1").first.inner_text().strip() == spec.title.replace("Home", "Sequence Lab")
    if mode == "classroom":
        _assert_projector_sizes(page)
    page.close()


def _px(page, selector: str) -> list[float]:
    return page.evaluate(f"""() => [...document.querySelectorAll({selector!r})]
        .filter(e => e.getClientRects().length).map(e => parseFloat(getComputedStyle(e).fontSize))""")


def _assert_projector_sizes(page) -> None:
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
    chips = page.evaluate("""() => [...document.querySelectorAll('[data-baseweb="tag"]')]
        .filter(e => e.getClientRects().length)
        .map(e => [...e.querySelectorAll('*')].filter(c => c.childElementCount === 0
                   && c.textContent.trim()).map(c => parseFloat(getComputedStyle(c).fontSize)))
        .flat()""")
    assert min(chips, default=18) >= 18, f"multiselect chips' text at {min(chips)} px"


def _open(browser, url: str):
    """A settled page at ``url``."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    settle(page)
    return page


def test_embeddings_tabs_draw_their_charts(server, browser):
    page = _open(browser, f"{server}/embeddings")
    for tab in ("Analogies", "PCA map", "Embedding matrix"):
        page.get_by_role("tab", name=tab).click()
        page.locator(".main-svg:visible").first.wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / f"embeddings-{tab.split()[0].lower()}.png"))
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


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
