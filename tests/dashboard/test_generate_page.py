"""Generate text through the page, with a tiny model trained on a small uploaded text."""
from __future__ import annotations

import dataclasses

import pytest

from core import jobs, paths
from core.data import corpora
from core.language import charlm
from core.runs.people import OPERATOR
from core.runs.store import RunStore
from core.runs.worker import start_run
from tests.conftest import requires_mirror
from tests.dashboard.conftest import open_page, place

PAGE = "dashboard/pages/generate.py"
pytestmark = requires_mirror


@pytest.fixture(scope="module")
def tiny_model():
    text = corpora.load_text("nietzsche", lower=False)[:20000]
    folder = paths.runs_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tinytest.txt").write_text(text, encoding="utf-8")
    store = RunStore()
    config = charlm.CharConfig(corpus="upload:tinytest", epochs=1, units=16, embedding_dim=8,
                               batch_size=32)
    run_id = store.create(charlm.KIND, dataclasses.asdict(config), "tiny test model", owner=OPERATOR)
    start_run(store, run_id, charlm.train_run).join(300)
    assert store.get(run_id)["status"] == "finished", store.get(run_id)["error"]
    return run_id


def _code_after(at, heading: str) -> str:
    """The first code block after the markdown that starts with ``heading``, in page order."""
    seen = False
    for node in at.main:
        kind = getattr(node, "type", "")
        if kind == "markdown" and str(node.value).lstrip("*").startswith(heading.lstrip("*")):
            seen = True
        elif seen and kind == "code":
            return node.value
    raise AssertionError(f"no code after {heading!r}")


def _said(at) -> str:
    return " | ".join([i.value for i in at.info] + [w.value for w in at.warning])


def test_lab_shows_the_lecture_numbers_and_generates(tiny_model, no_exception):
    at = no_exception(open_page(PAGE))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Lecture windows (60, every 3)"] == "200,278"
    assert metrics["Distinct characters"] == "57"
    assert len(at.code) >= 5  # five temperatures side by side


def test_same_seed_same_text_and_greedy(tiny_model, no_exception):
    at = no_exception(open_page(PAGE))
    first = [c.value for c in at.code]
    at.run()
    assert [c.value for c in at.code] == first
    at.slider(key="gen.temperature").set_value(0.0).run()
    greedy = _code_after(no_exception(at), "T = 0 (greedy)")  # the LSTM's greedy column
    at.number_input(key="gen.seed").set_value(7).run()  # greedy: no draw, the seed is moot
    assert _code_after(at, "T = 0 (greedy)") == greedy and len(greedy) > 0


@pytest.mark.parametrize("prime, message", [
    ("", "Type a prime text"),
    ("Привет😀", "Nothing of the prime is left"),
    ("héllo 😀 world", "left out"),
])
def test_bad_primes_get_messages(tiny_model, prime, message, no_exception):
    at = no_exception(open_page(PAGE))
    at.text_area(key="gen.prime").set_value(prime).run()
    no_exception(at)
    assert message in _said(at)


def test_the_ngram_baseline_joins_the_chart_and_writes_at_the_same_temperature(
        tiny_model, no_exception):
    import time

    at = no_exception(open_page(PAGE))
    deadline = time.monotonic() + 120  # it fits in the background, then the page reruns
    while not any("Character n-gram models" in c.value for c in at.caption):
        assert time.monotonic() < deadline, "the baseline never arrived"
        time.sleep(0.3)
        at.run()
    reading = next(c.value for c in at.caption if "Character n-gram models" in c.value)
    assert "n = 1:" in reading and "n = 9:" in reading and "The LSTM's best validation" in reading
    assert "the LSTM its state" in reading  # both on the same footing
    chart = next(c for c in at.get("plotly_chart") if "best n-gram" in c.proto.spec)
    assert chart is not None
    said = " ".join(m.value for m in at.markdown)
    assert "The n-gram baseline (n = " in said and len(at.code) >= 6  # 5 temperatures + it
    assert "The LSTM against the best n-gram" in said
    rows = next(t for t in [*at.table, *at.dataframe] if "context" in t.value.columns).value
    assert "everything else" in set(rows["context"])
    assert any("bits per character against the n-gram" in c.value for c in at.caption)
    at.slider(key="gen.temperature").set_value(0.0).run()
    said = " ".join(m.value for m in no_exception(at).markdown)
    assert "The n-gram baseline (n = " in said and ") at T = 0**" in said
    heading = "The n-gram baseline (n = "
    greedy = _code_after(at, heading)
    at.number_input(key="gen.seed").set_value(7).run()  # greedy: no draw, the seed is moot
    assert _code_after(at, heading) == greedy and len(greedy) > 0
    at.slider(key="gen.temperature").set_value(1.5).run()  # sampled: the seed decides
    hot = _code_after(at, heading)
    at.number_input(key="gen.seed").set_value(8).run()
    assert _code_after(at, heading) != hot


def test_a_probed_model_shows_its_sentiment_unit_reading_and_writing(no_exception):
    """Section 3 with a real (tiny) run on IMDB reviews: the data-efficiency chart and table
    with their reading, the unit over a typed review, and text written with the unit held."""
    store = RunStore()
    assert "Train a model on **IMDB reviews" in _said(no_exception(open_page(PAGE)))
    config = charlm.CharConfig(corpus="imdb_reviews", units=8, embedding_dim=4, seq_len=20,
                               max_chars=40_000, min_count=5, probe_train=120, probe_test=60)
    run_id = store.create(charlm.KIND, dataclasses.asdict(config), "probed test model", owner=OPERATOR)
    start_run(store, run_id, jobs.char_run).join(300)
    assert store.get(run_id)["status"] == "finished", store.get(run_id)["error"]
    at = no_exception(open_page(PAGE))
    table = next(d.value for d in [*at.dataframe, *at.table]
                 if "labelled reviews" in getattr(d.value, "data", d.value).columns)
    assert list(getattr(table, "data", table)["labelled reviews"]) == [10, 100]
    assert any("the paper's unit got about 92%" in c.value for c in at.caption)
    assert sum("the unit alone calls this review" in c.value for c in at.caption) == 2
    held = [c.value for c in at.code if c.value.startswith("this movie was ")]
    assert len(held) == 3 and len(set(held)) == 3  # held positive, free, held negative
    for odd in ("a", "😀 Этот фильм 10/10", "x" * 5000):  # one letter, scripts, too long
        at.text_area(key="gen.sentiment_text").set_value(odd).run()
        assert sum("the unit alone calls" in c.value for c in no_exception(at).caption) == 2
    assert any("5,000 characters" in w.value for w in at.warning)  # said, and cut
    at.text_area(key="gen.sentiment_text").set_value("").run()
    assert "Type a review" in _said(no_exception(at))
    at.text_input(key="gen.sentiment_prime").set_value("").run()
    assert "Type a start the model can read" in _said(no_exception(at))


def test_the_code_for_this_view_follows_the_prime_and_temperature(no_exception):
    from tests.dashboard.conftest import make_char_model

    run_id = make_char_model(RunStore(), "a nietzsche model")
    at = no_exception(open_page(PAGE))
    next(s for s in at.selectbox if s.label == "Model").set_value(run_id).run()
    at.text_area(key="gen.prime").set_value("it is ").run()
    at.slider(key="gen.temperature").set_value(1.2).run()
    code = next(c.value for c in no_exception(at).code if "keras.Model(" in c.value)
    assert "prime = 'it is '" in code and "1.2)" in code and "nietzsche.txt" in code
    assert "file_hash=" in code


def test_a_char_model_can_be_taken_home_from_its_manage_panel(tiny_model, no_exception):
    at = no_exception(open_page(PAGE))
    at.selectbox(key="gen.manage!").set_value(tiny_model).run()
    buttons = {b.label: b for b in no_exception(at).get("download_button")}
    assert "Take it home (.zip)" in buttons and "Model" in buttons


def test_a_student_asking_for_a_run_larger_than_the_instructor_allows_is_told_why(
        a_class, tmp_path, monkeypatch, no_exception):
    """In a class, a student's 512-unit language model is refused on the page with the limit
    it passed, and nothing is queued (the instructor sets the limit in the sidebar)."""
    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path / "runs"))
    at = open_page(PAGE)
    at.select_slider(key="gen.units").set_value(512).run()
    at.button(key="gen.train!").click().run()
    errors = " | ".join(e.value for e in at.error)
    assert "at most 256 units and this one asks for 512" in errors
    assert RunStore().list() == []


def test_the_baselines_fit_ending_moves_no_control(tiny_model, monkeypatch, no_exception):
    """While the n-gram baseline fits, a line says so; when the fit ends the page reruns by
    itself and the line goes: a new name typed in Manage, not yet entered, keeps its place."""
    from concurrent.futures import Future

    from dashboard import cache

    fit = Future()
    monkeypatch.setattr(cache, "ngram_job", lambda config: fit)
    at = no_exception(open_page(PAGE))
    assert any("Fitting the n-gram baseline" in c.value for c in at.caption)
    at.selectbox(key="gen.manage!").set_value(tiny_model).run()
    before = place(at, f"gen.name.{tiny_model}!")
    fit.set_result(None)  # the fit ends (with no baseline to draw)
    no_exception(at.run())
    assert not any("Fitting the n-gram baseline" in c.value for c in at.caption)
    assert place(at, f"gen.name.{tiny_model}!") == before


def test_in_a_class_the_baseline_is_fitted_for_a_run_this_student_follows(
        a_class, tmp_path, monkeypatch, no_exception):
    """The n-gram baseline is fitted for the newest language model of one's own (or shown)
    runs, not for the newest of anyone's: Ben's newer run on another text starts no fit on
    Ann's page."""
    import dataclasses as dc
    from concurrent.futures import Future

    from core.runs import people
    from core.runs.people import Person
    from dashboard import cache

    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv(people.LINK_ENV, "1")
    ann, ben = Person("ann-browser-id-0001", "Ann"), Person("ben-browser-id-0002", "Ben")
    store = RunStore()
    for person, corpus in ((ann, "nietzsche"), (ben, "shakespeare")):
        store.remember(person)
        config = charlm.CharConfig(corpus=corpus, units=8, embedding_dim=4)
        store.create(charlm.KIND, dc.asdict(config), f"{person.name}'s", owner=person)
    asked, fit = [], Future()
    monkeypatch.setattr(cache, "ngram_job", lambda config: asked.append(config) or fit)
    no_exception(open_page(PAGE, {"me": ann.id}))
    assert asked and {config.corpus for config in asked} == {"nietzsche"}
