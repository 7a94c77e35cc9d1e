"""Every page and every tab, as a student and on the projector, in a class with runs on the
charts: it renders (no exception, its title, projector sizes in classroom mode), axe-core finds
no WCAG 2.0/2.1 A or AA violation (classroom mode: AAA contrast too), and every chart drawn has
a text alternative that tells its data (issue 32)."""
from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path

import pytest

from core.classify import models, training
from core.language import charlm
from core.runs.people import OPERATOR
from core.runs.store import RunStore
from dashboard.components.charts import TABLE_LABEL
from dashboard.registry import HOME_ALIAS, PAGES
from tests.browser import axe
from tests.browser.conftest import (CHROMIUM, SHOTS, _px, assert_projector_sizes, rerun_settled,
                                    serve, settle, small_text)
from tests.conftest import requires_mirror

# Three groups (the keyboard tasks; the walk's pages in two), so that two workers can share
# them: each starts its own server.
pytestmark = [pytest.mark.browser, requires_mirror, pytest.mark.xdist_group("browser-keys"),
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium absent")]
WALKED = [pytest.param(spec, marks=pytest.mark.xdist_group(f"browser-walk-{i % 2}"))
          for i, spec in enumerate(PAGES)]

KEY = "owl-key-of-the-class"
AAA = {"color-contrast-enhanced": {"enabled": True}}  # what a projector washes out: 7:1


def _seed(store: RunStore) -> None:
    """A finished IMDB run and a finished char run, shown to the class, with their batches."""
    run = store.create(training.KIND, dataclasses.asdict(models.preset("lstm", epochs=3)),
                       "shown lstm", owner=OPERATOR)
    store.start(run)
    for step in range(1, 31):
        store.log(run, "batch", step, {"loss": 0.7 - step / 100, "accuracy": 0.5 + step / 100,
                                       "epoch_x": step / 10})
    for epoch, (acc, val) in enumerate([(0.70, 0.74), (0.82, 0.83), (0.88, 0.86)], 1):
        store.log(run, "epoch", epoch, {"loss": 1 - acc, "accuracy": acc, "val_loss": 1 - val,
                                        "val_accuracy": val, "seconds": 2.0 * epoch,
                                        "samples_per_s": 1e4, "batches": 10, "epoch_x": epoch})
    store.finish(run, "finished", summary={"params": 80161, "test_accuracy": 0.85})
    store.show_to_class(run, by=OPERATOR)
    config = charlm.CharConfig(corpus="nietzsche", units=8, embedding_dim=4, epochs=2)
    char = store.create(charlm.KIND, dataclasses.asdict(config), "shown char", owner=OPERATOR)
    store.start(char)
    for epoch, bits in enumerate([3.1, 2.7], 1):
        store.log(char, "epoch", epoch, {"loss": bits * 0.69, "val_loss": bits * 0.7,
                                         "seconds": 3.0, "epoch_x": epoch})
    chars = list("abcdefghijklmnopqrstuvwxyz .")  # an untrained model, as a run leaves its files
    model_path, chars_path = charlm.model_files(char, store)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    charlm.build_fast_model(len(chars), 4, 8).save(model_path)
    chars_path.write_text(json.dumps(chars), encoding="utf-8")
    store.finish(char, "finished", summary={"alphabet": len(chars), "model": model_path.name})
    store.show_to_class(char, by=OPERATOR)


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="module")
def server(runs_dir):
    _seed(RunStore(runs_dir / "runs.sqlite"))
    with serve(runs_dir, env={"SEQLAB_INSTRUCTOR_KEY": KEY}) as url:
        yield url


def _charts_drawn(page) -> None:
    """Wait until each visible chart has drawn (plotly draws ~2 s after the page's load)."""
    charts = page.locator(".stPlotlyChart:visible")
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for(state="attached", timeout=30_000)


def _chart_texts(page) -> list[str | None]:
    return page.evaluate("""() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
        .filter(e => e.getClientRects().length).map(e => e.getAttribute('aria-label'))""")


def _audit(page, where: str, mode: str, problems: list[str]) -> None:
    """One view as it stands: no exception, no axe violation, every chart with its text; on
    the projector, no text under 18 px (issue 34)."""
    assert page.locator("[data-testid='stException']").count() == 0, where
    assert page.get_by_text("Page not found").count() == 0, where
    if mode == "classroom" and (small := small_text(page)):
        problems.append(f"{where}: text under 18 px: {sorted(set(small))[:12]}")
    found = axe.violations(page, rules=AAA if mode == "classroom" else None)
    if found:
        problems.append(f"{where}:\n{axe.report(found)}")
    for text in _chart_texts(page):  # what the chart is, and numbers from its data
        if not (text and re.match(r"(Chart|Bar chart|Heat map|Map)\b", text)
                and re.search(r"\d", text)):
            problems.append(f"{where}: a chart without a text alternative: {text!r}")


def _first_view(page, spec, mode: str) -> None:
    """The view a mode opens on, drawn whole: its picture, and its sizes on a projector."""
    _charts_drawn(page)
    if mode == "classroom":  # after the switch, plotly redraws each chart at its new size
        for _ in range(60):
            if min(_px(page, ".stPlotlyChart .xtick text, .stPlotlyChart .ytick text"),
                   default=18) >= 18:
                break
            page.wait_for_timeout(250)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{spec.url_path}-{mode}.png"), full_page=True)
    if mode == "classroom":
        assert_projector_sizes(page)


@pytest.mark.parametrize("spec", WALKED, ids=[p.url_path for p in PAGES])
def test_every_tab_renders_and_is_accessible(server, browser, spec):
    """Each page as a student sees it, every tab; then the classroom switch turned on (by
    keyboard) and every tab again, on the projector. Home opens at the site's root, and in
    classroom mode at its own name, /home."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/{'' if spec is PAGES[0] else spec.url_path}")
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == spec.title.replace("Home", "Sequence Lab")
    tabs = page.locator("[data-testid='stMainBlockContainer'] [role='tab']")
    names = [tabs.nth(i).inner_text().strip() for i in range(tabs.count())] or [None]
    problems: list[str] = []
    for mode in ("normal", "classroom"):
        if mode == "classroom" and spec is PAGES[0]:
            page.goto(f"{server}/{HOME_ALIAS}?classroom=1")
            settle(page)
        elif mode == "classroom":  # the switch, by keyboard; the page stays on its last tab
            page.get_by_label("Classroom mode", exact=True).press("Space")
            rerun_settled(page)
        order = list(range(len(names))) if mode == "normal" else list(range(len(names)))[::-1]
        for step, n in enumerate(order):
            if step:
                tabs.nth(n).click()
                rerun_settled(page)
            if step == 0:
                _first_view(page, spec, mode)
            _audit(page, f"{spec.url_path} [{names[n] or 'page'}] {mode}", mode, problems)
    page.close()
    assert not problems, "\n".join(problems)


# -- every main task by keyboard alone ------------------------------------------------------

_FOCUS_LOOK = """e => { const out = []; for (let x = e, i = 0; x && i < 4; x = x.parentElement, i++) {
    const s = getComputedStyle(x);
    out.push([s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor,
              s.backgroundColor].join('|')); } return out.join('/'); }"""


def _focus_visible(page) -> tuple[bool, str]:
    """Whether the focused element looks focused: its outline, shadow, border or background (or
    that of one of its three nearest ancestors) differs from when it is not focused (measured
    in one step: focused, blurred, focused again)."""
    return tuple(page.evaluate("""() => {
        const e = document.activeElement;
        const look = %s;
        const focused = look(e);
        e.blur();
        const plain = look(e);
        e.focus({focusVisible: true});
        return [focused !== plain, e.tagName + ' ' + (e.getAttribute('aria-label') ||
                e.innerText || e.getAttribute('name') || '').slice(0, 40)]; }""" % _FOCUS_LOOK))


def tab_to(page, target, limit: int = 150) -> int:
    """Press Tab until focus is on (or inside) ``target``, as a keyboard user would: at every
    stop the focus has moved and is visible. Returns the presses it took."""
    last = None
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        visible, what = _focus_visible(page)
        assert visible, f"focus is not visible on {what} (press {n})"
        here = page.evaluate_handle("() => document.activeElement")
        assert last is None or not here.evaluate("(e, l) => e === l", last), f"focus stuck on {what}"
        last = here
        if target.evaluate("e => e === document.activeElement || e.contains(document.activeElement)"):
            return n
    raise AssertionError(f"{limit} presses of Tab did not reach {target}")


def _keyboard_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    settle(page)
    positive = page.evaluate("() => [...document.querySelectorAll('[tabindex]')]"
                             ".filter(e => +e.getAttribute('tabindex') > 0).length")
    assert positive == 0, "a positive tabindex breaks the reading order"
    page.locator("body").focus()
    return page


def test_by_keyboard_home_opens_a_page_and_nothing_moves_when_motion_is_reduced(server, browser):
    page = _keyboard_page(browser, server)
    page.emulate_media(reduced_motion="reduce")
    longest = page.evaluate("""() => Math.max(...[...document.querySelectorAll('.stApp *')]
        .map(e => getComputedStyle(e)).map(s => Math.max(parseFloat(s.transitionDuration) || 0,
                                                       parseFloat(s.animationDuration) || 0)))""")
    assert longest < 0.001, f"a transition or animation of {longest} s with reduced motion"
    tab_to(page, page.get_by_role("link", name="Embeddings").first)
    page.keyboard.press("Enter")
    page.locator("h1", has_text="Embeddings").wait_for(timeout=60_000)
    page.close()


def _type_in(page, box: str, text: str, send: str) -> None:
    """Tab to the text box named ``box``, replace its text with ``text``, send it by ``send``."""
    tab_to(page, page.get_by_role("textbox", name=box, exact=True))
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press(send)


def test_by_keyboard_text_becomes_code_points(server, browser):
    page = _keyboard_page(browser, f"{server}/text")
    _type_in(page, "Your text", "naïve 東京 👋", "Control+Enter")
    page.locator("[data-testid='stPlotlyChart'][aria-label*='128,075']").first.wait_for(
        timeout=30_000)  # 👋 is U+1F44B: its code point is on the chart and in its text
    page.close()


def test_by_keyboard_a_word_and_its_neighbours(server, browser):
    page = _keyboard_page(browser, f"{server}/embeddings")
    _type_in(page, "Word", "frog", "Enter")
    page.locator("[data-testid='stDataFrame']", has_text="toad").first.wait_for(
        timeout=30_000)  # GloVe's nearest to frog (the grid's cells are text to a screen reader)
    page.close()


def test_by_keyboard_a_run_is_started_and_stopped_and_a_chart_read_as_a_table(
        server, browser, runs_dir):
    page = _keyboard_page(browser, f"{server}/train?models=dense")  # a race of one, quick
    tab_to(page, page.get_by_role("spinbutton", name="Epochs"))
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    settle(page)
    tab_to(page, page.get_by_role("slider", name="Training reviews"))
    page.keyboard.press("Home")  # the fewest reviews
    settle(page)
    tab_to(page, page.get_by_role("button", name="Train", exact=True))
    page.keyboard.press("Enter")
    stop = page.get_by_role("button", name="Stop", exact=True).first
    stop.wait_for(timeout=60_000)
    page.locator("body").focus()
    tab_to(page, stop)
    page.keyboard.press("Enter")
    store = RunStore(runs_dir / "runs.sqlite")
    mine = [r for r in store.list(training.KIND) if r["name"] != "shown lstm"]
    assert len(mine) == 1
    for _ in range(240):
        if store.get(mine[0]["id"])["status"] in ("stopped", "finished"):
            break
        page.wait_for_timeout(250)
    assert store.get(mine[0]["id"])["status"] == "stopped"
    _the_charts_table_holds_its_numbers(page)
    page.close()


def _the_charts_table_holds_its_numbers(page) -> None:
    """The switch under the training chart, by keyboard, shows its numbers: a row per point
    that the chart's text counts (at least the shown run's 3 train and 3 validation epochs),
    as the grid says."""
    settle(page)
    said = page.locator("[data-testid='stPlotlyChart']:visible").first.get_attribute("aria-label")
    assert "shown lstm · instructor · validation: 3 points" in said  # whose it is, too
    switch = page.get_by_label(TABLE_LABEL).first
    page.locator("body").focus()  # the Stop button that had focus is gone: from the top
    tab_to(page, switch)
    page.keyboard.press("Space")
    # the table is drawn right under the switch
    grid = switch.locator("xpath=ancestor::div[@data-testid='stElementContainer'][1]"
                          "/following-sibling::div[@data-testid='stElementContainer'][1]"
                          "//*[@aria-rowcount]").first
    grid.wait_for(state="attached", timeout=20_000)
    chart = page.locator("[data-testid='stPlotlyChart']:visible").first
    for _ in range(40):  # the text and the table of the same drawing (the page may still poll)
        said, rows = chart.get_attribute("aria-label"), int(grid.get_attribute("aria-rowcount"))
        points = sum(int(n.replace(",", "")) for n in re.findall(r"([\d,]+) points", said))
        points += said.count(": one point")
        if rows - 1 == points:
            break
        page.wait_for_timeout(250)
    assert rows - 1 == points >= 6, said  # one header row; a row per point the text counts


def test_by_keyboard_generation_at_another_temperature(server, browser):
    page = _keyboard_page(browser, f"{server}/generate")
    tab_to(page, page.get_by_role("slider", name="Temperature"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.get_by_text("at T = 0.6").first.wait_for(timeout=30_000)
    page.close()


def test_by_keyboard_a_tab_and_a_slider_inside_the_rnn(server, browser):
    page = _keyboard_page(browser, f"{server}/inside")
    tab_to(page, page.get_by_role("tab", name="Unrolled"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    settle(page)
    tab_to(page, page.get_by_role("slider", name="Sequence length"))
    page.keyboard.press("End")
    page.locator("[data-testid='stPlotlyChart'][aria-label*='200 points']").first.wait_for(
        timeout=30_000)
    page.close()
