"""One question end to end in real browsers: the instructor (signed in with the key in the
sidebar) opens it on the Text page; a student, in a browser context of their own, sees it
appear without reloading, answers; the instructor's tally shows the answer; Reveal shows the
student the answer with their own marked, all by the pages' own polling. How soon is
``bench/questions.py``'s to measure (a test waits on the condition, not on the clock)."""
from __future__ import annotations

import os
import re
import time

import pytest

from core.runs.people import OPERATOR, Person
from tests.browser.axe import report, violations
from tests.browser.conftest import CHROMIUM, SHOTS, class_lab, settle
from tests.conftest import requires_mirror

pytestmark = [pytest.mark.browser, requires_mirror, pytest.mark.xdist_group("browser-questions"),
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium absent")]
KEY = "browser-test-key-of-the-class"
ANN = Person("ann-browser-id-0001", "Ann")
TEACHER = Person("teacher-browser-id-01", "Ms T")


@pytest.fixture(scope="module")
def lab(runs_dir):
    with class_lab(runs_dir, KEY, ANN, TEACHER) as (url, store):
        yield url, store


@pytest.fixture(scope="module")
def server(lab):
    return lab[0]


def page_of(browser, url: str, person: Person):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(f"{url}/text?me={person.id}")
    settle(page)
    return page


def press(page, key_class: str) -> None:
    """Click the button of the widget with this key (Streamlit's ``st-key-`` class)."""
    page.locator(f".{key_class} [data-testid^='stBaseButton']").first.click()


def until(page, text: str, seconds: float, scope: str = "body") -> float:
    """Seconds until an element whose text starts with ``text`` (case and all) shows inside
    ``scope`` on ``page`` (fails after ``seconds``)."""
    start = time.monotonic()
    page.locator(scope).get_by_text(re.compile("^" + re.escape(text))).first.wait_for(
        timeout=seconds * 1000)
    return time.monotonic() - start


def test_open_answer_tally_reveal_across_two_browsers(server, lab, browser):
    teacher, ann = page_of(browser, server, TEACHER), page_of(browser, server, ANN)
    key_box = teacher.get_by_role("textbox", name="Instructor key")
    key_box.fill(KEY)
    key_box.press("Enter")
    teacher.get_by_text("(the instructor)").wait_for(timeout=30_000)
    question = ".st-key-question-text-bag"
    teacher.locator(question).scroll_into_view_if_needed()
    assert ann.locator(question).count() == 0  # not opened: nothing to answer
    press(teacher, "st-key-q-text-bag-0-open-")
    until(ann, "Q2. Which pair of sentences", 15, question)  # on the student's page by itself
    ann.locator(question).scroll_into_view_if_needed()
    name = ann.locator(question).get_by_role("radiogroup").get_attribute("aria-label")
    assert name.startswith("Q2. Which pair") and not {"*", "\\"} & set(name), name  # read aloud
    twins = "“the dog bit the man” and “the man bit the dog”"
    ann.locator(question).get_by_text(twins).click()
    press(ann, "st-key-q-text-bag-1-go-")
    until(ann, "Your answer: “the dog", 15, question)
    # the projector's tally, by polling (how soon: bench/questions.py measures it, not a test)
    seen = until(teacher, "Q2 is open: answers are coming in · 1 answered", 15, question)
    teacher.locator(question).screenshot(path=str(SHOTS / "question-tally.png"))
    assert not violations(teacher), report(violations(teacher))  # the open question and its tally
    ann_found = violations(ann)
    assert not ann_found, report(ann_found)  # the answer form
    press(teacher, "st-key-q-text-bag-1-reveal-")
    shown = until(ann, "Answer:", 15, question)
    assert "right ✓" in ann.locator(question).inner_text()
    ann.locator(question).screenshot(path=str(SHOTS / "question-revealed.png"))
    assert not violations(ann), report(violations(ann))  # the revealed answer
    assert "Ms T" not in ann.locator(question).inner_text()
    assert ann.locator(".st-key-q-csv-").count() == 0  # no answers to download for a student
    # a question opened on another page: the sidebar links to it, without a reload, also
    # after a full rerun, when the sidebar no longer polls and the page's questions watch it
    ann.get_by_text("IMDB review", exact=True).first.click()  # the whole page reruns
    settle(ann)
    lab[1].open_question("emb.queen", by=OPERATOR)
    link = until(ann, "A question is open on Embeddings", 15, "[data-testid='stSidebar']")
    print(f"tally {seen:.2f} s after the answer, reveal on the student's page {shown:.2f} s, "
          f"the sidebar's link {link:.2f} s after an opening elsewhere")
