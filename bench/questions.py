"""A paced question in a class of 30: one lab server, the instructor's page (the projector) in
Chromium, and 30 students. ``--pages`` of them (default 5) are Chromium pages of their own (a
browser context each: their own cookie and session) on the Text page, clicking their answer;
the others answer as ``bench/classroom.py`` simulates students, in this process, through the
same ``core`` call the page's Answer button makes (read the answer, keep it in the store), so
that 30 browsers' rendering does not share the server's two cores (in a class each student's
browser runs on their own machine; ``--pages 30`` measures that case too). The instructor opens
a question, all 30 answer within a few seconds, the instructor reveals.

Printed: the delay from the last answer (its write in the store) to the projector's tally
showing all 30 (goal <= 2 s); from the Reveal click to each Chromium student's page showing the
answer (goal <= 3 s: the slowest page), and whether every simulated student's view
(``core.questions.classwork.seen_by``) shows it; the server's CPU per clicked answer (over the
answering window, less what the open pages' polling costs meanwhile) and for polling (cores
per open page); answers lost (must be 0). Pages record the moment a text appears themselves (a
50 ms poller in each page), on this machine's one clock.

Usage: python bench/questions.py [--students 30] [--pages 5]
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serve import CHROMIUM, CHROMIUM_ARGS, ROOT, serve  # noqa: E402
from viewers import cpu_seconds  # noqa: E402

sys.path.insert(0, str(ROOT))
KEY = "bench-instructor-key"
READY = "[data-testid='stApp'][data-test-script-state='notRunning'] h1"
QUESTION, BOX = "text.bag", ".st-key-question-text-bag"
WATCH = """(text) => { window.__seen = null; const t = setInterval(() => {
  const box = document.querySelector('%s');
  if (box && box.innerText.includes(text)) { window.__seen = Date.now(); clearInterval(t); }
}, 50); }""" % BOX


def press(page, key_class: str) -> None:
    page.locator(f".{key_class} [data-testid^='stBaseButton']").first.click()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--pages", type=int, default=5, help="students in Chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from core.questions import classwork
    from core.questions.model import read_answer
    from core.runs import people
    from core.runs.people import Person
    from core.runs.store import RunStore

    runs = Path(tempfile.mkdtemp(prefix="bench-questions-"))
    store = RunStore(runs / "runs.sqlite")
    students = [Person(f"student-{i:02d}-bench-id", f"Student {i}") for i in range(args.students)]
    teacher = Person("teacher-bench-id-0001", "Teacher")
    for person in (*students, teacher):
        store.remember(person)
    question = classwork.find(QUESTION)
    choices = question.options()
    env = {people.KEY_ENV: KEY, people.LINK_ENV: "1", "SEQLAB_RUNS_DIR": str(runs)}
    os.environ.update(env)  # the simulated students' store and class are the server's
    with serve(ROOT / "streamlit_app.py", env, process=True) as (url, proc), \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def page_of(person: Person):
            page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
            page.goto(f"{url}/text?me={person.id}")
            page.wait_for_selector(READY, timeout=180_000)
            return page

        start = time.monotonic()
        projector = page_of(teacher)
        box = projector.get_by_role("textbox", name="Instructor key")
        box.fill(KEY)
        box.press("Enter")
        projector.get_by_text("(the instructor)").wait_for(timeout=60_000)
        pages = [page_of(s) for s in students[:args.pages]]
        simulated = students[args.pages:]
        print(f"{len(pages) + 1} pages open in {time.monotonic() - start:.0f} s")
        time.sleep(5)
        cpu0, wall0 = cpu_seconds(proc.pid), time.monotonic()
        time.sleep(10)
        idle = (cpu_seconds(proc.pid) - cpu0) / (time.monotonic() - wall0)

        press(projector, "st-key-q-text-bag-0-open-")
        projector.evaluate(WATCH, f"· {len(students)} answered")
        for page in pages:
            page.locator(BOX).get_by_text(choices[0]).wait_for(timeout=10_000)
        cpu0, wall0 = cpu_seconds(proc.pid), time.monotonic()
        for i, student in enumerate(students):  # the clicks and the simulated answers interleave
            pick = choices[i % len(choices)]
            if i < len(pages):
                pages[i].locator(BOX).get_by_text(pick).click(timeout=10_000)
                press(pages[i], "st-key-q-text-bag-1-go-")
            else:
                store.answer(student, QUESTION, read_answer(question, pick))
        answering = time.monotonic() - wall0
        projector.wait_for_function("window.__seen !== null", timeout=30_000)
        cpu = cpu_seconds(proc.pid) - cpu0
        window = time.monotonic() - wall0
        with sqlite3.connect(runs / "runs.sqlite") as db:
            kept, last = db.execute("SELECT count(*), max(at) FROM answers WHERE question = ? "
                                    "AND opening = 1", (QUESTION,)).fetchone()
        tally_delay = projector.evaluate("window.__seen") / 1000 - last

        for page in pages:
            page.evaluate(WATCH, "Answer: ")
        clicked = time.time()
        press(projector, "st-key-q-text-bag-1-reveal-")
        delays = []
        for page in pages:
            page.wait_for_function("window.__seen !== null", timeout=30_000)
            delays.append(page.evaluate("window.__seen") / 1000 - clicked)
        seen = sum(classwork.seen_by(store, question, s).reveal is not None for s in simulated)
        browser.close()
    polling = idle / (len(pages) + 1)
    print(f"students: {len(students)} ({len(pages)} clicking in Chromium, {len(simulated)} "
          f"through core); all answered in {answering:.1f} s")
    print(f"last answer to the projector's tally showing all {len(students)}: "
          f"{tally_delay:.2f} s (goal <= 2 s)")
    print(f"Reveal to each Chromium student's page showing the answer: median "
          f"{statistics.median(delays):.2f} s, slowest {max(delays):.2f} s (goal <= 3 s); "
          f"simulated students whose view shows it: {seen} of {len(simulated)}")
    print(f"server CPU: {(cpu - idle * window) / max(len(pages), 1) * 1000:.0f} ms per clicked "
          f"answer beyond polling ({cpu:.2f} s in {window:.1f} s, polling {idle:.2f} cores "
          f"meanwhile); polling: {polling * 1000:.0f} ms of CPU per open page per second, "
          f"{polling * (len(students) + 1):.2f} cores for {len(students) + 1} pages")
    print(f"answers lost: {len(students) - kept} (kept {kept} of {len(students)})")


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    main()
