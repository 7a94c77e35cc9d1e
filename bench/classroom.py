"""A class on one lab server: N students, each pressing Race for three models on small data in
their own Streamlit session, and the instructor showing one run to the class.

The server is this process: every student is an AppTest session of the real app (the run store,
the embedded worker and its turns live here, as in `streamlit run`), and a few real Chromium
pages (a `streamlit run` server reading the same store) follow three of the students, timing
their page's refreshes. The same load runs twice in one invocation: with the lab's turns (round
the people, the instructor first) and with first come, first served (the baseline), each on a
fresh store.

Reported per policy: peak RSS of the server and its growth per queued run (a queued run should
hold no data and no model), the longest and median wait from a student's press to their first
finished run, runs lost (not finished), actions refused between students (each student tries to
stop, rename and delete another's run: all must be refused), and the Chromium pages' refresh
intervals while they follow a run.

Then, on the embedded worker: one student's long language model (Nietzsche) trains while
another student presses Train on a small run; how long the small run waits to start, against
one epoch of the language model: with the lab's sharing (the long job hands its turn on after
each epoch) and without it (it held one turn for its whole run before issue 30), in one run.

Usage: python bench/classroom.py [--students 30] [--models dense,bow_logreg_unigrams,cnn]
       [--train-size 500] [--pages 3] [--ray]   (--ray: jobs on a local Ray cluster)
       python bench/classroom.py --long-model-only   (the last part alone)
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serve import CHROMIUM, CHROMIUM_ARGS, ROOT, serve  # noqa: E402
from viewers import WATCH, bursts, rss_mb  # noqa: E402

sys.path.insert(0, str(ROOT))
KEY = "bench-instructor-key"
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def open_train(person_id: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=600)
    at.query_params["me"] = person_id
    at.run()
    return at.switch_page("dashboard/pages/train.py").run()


def first_come_first_served(turns) -> None:
    turns.next_in_line = types.MethodType(
        lambda self: min(self._waiting, key=lambda t: t.order) if self._waiting else None, turns)


def one_class(args, policy: str, runs_dir: Path, pages) -> dict:
    """The whole load once, on a fresh store in ``runs_dir``; returns the figures."""
    os.environ["SEQLAB_RUNS_DIR"] = str(runs_dir)
    from core.runs import people, worker
    from core.runs.store import ACTIVE, RunStore

    worker.TURNS = worker.Turns()  # a fresh queue; the old one has nothing waiting
    import core.classify.training as training

    training.TURNS = worker.TURNS
    if policy == "first come, first served":
        first_come_first_served(worker.TURNS)
    store = RunStore()
    students = [people.new_person(f"Student {i + 1}") for i in range(args.students)]
    teacher = store.sign_in(people.new_person("Instructor"), KEY)
    for person in students:
        store.remember(person)
    if 3 * args.students > store.limits().per_class:  # the default fits 30 students' races
        print(f"note: raising the class limit to {3 * args.students} for {args.students} "
              "students (the instructor's sidebar does the same)", flush=True)
        store.set_limits(people.Limits(per_class=3 * args.students), by=teacher)
    sessions = [open_train(p.id) for p in students]  # everyone has the page open first
    watched = [p.goto_student(students[i]) for i, p in enumerate(pages)]
    # The instructor's demo holds the machine while the class presses Race, so every student
    # run is queued when memory is read: what a queued run costs, nothing else.
    holding, release = threading.Event(), threading.Event()

    def demo():
        worker.TURNS.enrol("demo", teacher.id, first=True)
        with worker.TURNS.turn("demo"):
            holding.set()
            release.wait(600)

    threading.Thread(target=demo, daemon=True).start()
    holding.wait(60)
    rss_before, presses = rss_mb(os.getpid()), {}
    models = args.models.split(",")
    for person, at in zip(students, sessions):
        at.session_state["train.kinds"] = models
        at.session_state["train.size"] = args.train_size
        at.session_state["train.epochs"] = 1
        at.run()
        presses[person.id] = time.time()
        at.button(key="train.go!").click().run()
        assert not at.exception, [e.value for e in at.exception]
    queued = sum(r["status"] in ACTIVE for r in store.list())
    rss_queued = rss_mb(os.getpid())
    release.set()
    shown = store.list()[-1]["id"]  # the first student's first run
    store.show_to_class(shown, by=teacher)
    refused = tried = 0
    for i, person in enumerate(students):  # each tries to change the next student's run
        victim = next(r for r in store.list() if r["owner"] == students[(i + 1) % len(students)].id)
        for action in (lambda: store.request_stop(victim["id"], by=person),
                       lambda: store.rename(victim["id"], "mine now", by=person),
                       lambda: store.delete(victim["id"], by=person)):
            tried += 1
            try:
                action()
            except people.NotAllowed:
                refused += 1
    peak = rss_queued
    while any(r["status"] in ACTIVE for r in store.list()):
        peak = max(peak, rss_mb(os.getpid()))
        time.sleep(0.5)
    runs = store.list()
    first_done = {}
    for run in runs:
        if run["status"] == "finished":
            first_done[run["owner"]] = min(first_done.get(run["owner"], 1e18), run["finished"])
    waits = [first_done[p.id] - presses[p.id] for p in students if p.id in first_done]
    intervals = [statistics.median(g) for page in watched if (g := bursts(page()))]
    return {"policy": policy, "students": args.students, "runs": len(runs),
            "runs_lost": sum(r["status"] != "finished" for r in runs),
            "lost_statuses": sorted({r["status"] for r in runs} - {"finished"}),
            "server_rss_mb": {"before_presses": round(rss_before), "all_queued": round(rss_queued),
                              "peak": round(peak)},
            "rss_mb_per_queued_run": round((rss_queued - rss_before) / max(queued, 1), 2),
            "note": "RSS before/after every student pressed Race while the instructor's demo "
                    "held the machine (so every student run was queued); includes the AppTest "
                    "sessions' own page runs",
            "queued_after_presses": queued,
            "wait_press_to_first_finished_s": {
                "longest": round(max(waits), 1), "median": round(statistics.median(waits), 1),
                "students_with_none": args.students - len(waits)},
            "refused_between_students": f"{refused}/{tried}",
            "page_refresh_interval_s": [round(x, 2) for x in intervals]}


def long_model_delay(share: bool) -> dict:
    """A student's char LM (Nietzsche, 300,000 characters, 6 epochs) trains; after its first
    epoch another student queues a small run. How long that run waits to start, and the LM's
    epoch time. ``share=False`` is the behaviour before issue 30: one turn for the whole job."""
    from core import jobs
    from core.language import charlm
    from core.runs import people, worker
    from core.runs.store import RunStore

    worker.TURNS = worker.Turns()
    import core.classify.training as training

    training.TURNS = worker.TURNS
    if not share:
        worker.TURNS.share = lambda *a, **k: True
    store = RunStore(Path(tempfile.mkdtemp(prefix="seqlab-long-")) / "runs.sqlite")
    ann, ben = people.new_person("Ann"), people.new_person("Ben")
    config = charlm.CharConfig("nietzsche", units=64, epochs=6, max_chars=300_000)
    lm = jobs.launch(store, charlm.KIND, config, owner=ann)
    while store.count(lm, "epoch") < 1:
        time.sleep(0.05)
    pressed, started = time.time(), {}
    small = store.create("bench", {}, "Ben's small run", owner=ben)
    worker.start_run(store, small, lambda store, run_id, stop: started.setdefault(
        "at", time.time()) and {})
    while "at" not in started:
        time.sleep(0.05)
    lm_epochs_then = store.count(lm, "epoch")
    while store.get(lm)["status"] in ("queued", "running"):
        time.sleep(0.2)
    epochs = [e["seconds"] for e in store.metrics(lm, "epoch")]
    return {"sharing": share, "small_run_waited_s": round(started["at"] - pressed, 2),
            "lm_epoch_s_median": round(statistics.median(epochs), 2),
            "lm_epochs_done_when_it_started": lm_epochs_then, "lm_epochs": len(epochs)}


class Pages:
    """Real Chromium pages on a `streamlit run` server over the same store, one per student
    followed; each times its websocket messages."""

    def __init__(self, browser, url: str):
        self.browser, self.url = browser, url

    def goto_student(self, person):
        page = self.browser.new_page(viewport={"width": 1400, "height": 1000})
        page.add_init_script(WATCH)
        page.goto(f"{self.url}/train?me={person.id}")
        page.wait_for_selector(READY, timeout=300_000)
        return lambda: page.evaluate("window.__messages")


def quiet() -> None:
    """AppTest outside `streamlit run` warns on every cached call; the figures are what count."""
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--models", default="dense,bow_logreg_unigrams,cnn")
    parser.add_argument("--train-size", type=int, default=500)
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--ray", action="store_true", help="jobs on a local Ray cluster")
    parser.add_argument("--long-model-only", action="store_true",
                        help="only the long language model's delay to another student's run")
    args = parser.parse_args()
    quiet()
    long_model = {"bench": "classroom: a long language model and another student's run",
                  "results": [long_model_delay(True), long_model_delay(False)]}
    if args.long_model_only:
        print(json.dumps(long_model, indent=1))
        return
    os.environ["SEQLAB_INSTRUCTOR_KEY"] = KEY
    os.environ["SEQLAB_ALLOW_ME_LINK"] = "1"  # the simulated students name themselves in ?me=
    if args.ray:
        os.environ["SEQLAB_RAY_ADDRESS"] = "local"
        from core.runs import cluster

        cluster.connect("local")  # from the main thread (AppTest runs pages in other threads)
    results = []
    for policy in ("round the people, instructor first", "first come, first served"):
        if args.ray and policy.startswith("first"):
            break  # Ray's own queue decides there; one pass
        runs_dir = Path(tempfile.mkdtemp(prefix="seqlab-classroom-"))
        env = {"SEQLAB_RUNS_DIR": str(runs_dir), "SEQLAB_INSTRUCTOR_KEY": KEY,
               "SEQLAB_ALLOW_ME_LINK": "1",  # each page names its student in ?me=
               "SEQLAB_RAY_ADDRESS": ""}  # the pages only read the store; one cluster, here
        with serve(ROOT / "streamlit_app.py", env) as url:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                pages = [Pages(browser, url)] * args.pages
                results.append(one_class(args, policy, runs_dir, pages))
                browser.close()
    fair, *fifo = results
    out = {"bench": "classroom", "machine": f"{os.cpu_count()} cores", "models": args.models,
           "train_size": args.train_size, "on": "Ray (local)" if args.ray else "embedded worker",
           "results": results}
    if fifo:
        out["longest_wait_ratio_fifo_over_fair"] = round(
            fifo[0]["wait_press_to_first_finished_s"]["longest"]
            / fair["wait_press_to_first_finished_s"]["longest"], 2)
    out["long_language_model"] = long_model["results"]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
