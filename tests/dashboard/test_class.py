"""A class on one lab, through the Train page, one AppTest session per browser: students see
and change only their own runs, the instructor changes any and shows runs to the class, the
class board adds anyone's run to my chart."""
from __future__ import annotations

import dataclasses

import pytest

from core.classify import models, training
from core.runs import people
from core.runs.people import OPERATOR, Person
from core.runs.store import RunStore
from tests.conftest import requires_mirror
from tests.dashboard.conftest import app, open_page, place

ANN = Person("ann-browser-id-0001", "Ann")
BEN = Person("ben-browser-id-0002", "Ben")
TEACHER = Person("teacher-browser-0003", "Ms T")


@pytest.fixture
def lab(a_class, tmp_path, monkeypatch) -> RunStore:
    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv(people.LINK_ENV, "1")  # each AppTest session names its person in ?me=
    store = RunStore()
    for person in (ANN, BEN, TEACHER):
        store.remember(person)
    return store


def browser(person: Person, key: str | None = None):
    """The Train page in ``person``'s browser (signed in as the instructor with ``key``)."""
    at = open_page("dashboard/pages/train.py", {"me": person.id})
    if key:
        at.text_input(key="people.key!").set_value(key).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def run_of(store: RunStore, owner: Person, status: str = "finished") -> int:
    run = store.create(training.KIND, dataclasses.asdict(models.preset("dense", epochs=1)),
                       f"{owner.name}'s dense", owner=owner)
    store.start(run)
    store.log(run, "epoch", 1, {"loss": 0.6, "accuracy": 0.7, "val_loss": 0.6,
                                "val_accuracy": 0.71, "seconds": 1.0, "samples_per_s": 400.0,
                                "batches": 2, "epoch_x": 1.0})
    if status == "finished":
        store.finish(run, "finished", summary={"params": 80161, "test_at_best": 0.7})
    return run


def chart(at) -> list[int]:
    """The runs this page offers on its chart (none: the page says there are no runs)."""
    pickers = [m for m in at.multiselect if m.label == "Runs on the chart"]
    return [int(o.split(" · ")[0]) for p in pickers for o in p.options]


def test_each_browser_is_a_person_kept_in_a_cookie_not_in_the_link(lab):
    from dashboard import state

    at = open_page("dashboard/pages/train.py")
    person = at.session_state[state.PERSON]
    assert len(person.id) >= 20 and lab.person(person.id) == person
    assert "me" not in at.query_params  # a copied link does not carry the person
    assert at.session_state[state.COOKIE_SET]
    assert any("You are" in c.value for c in at.sidebar.caption)
    linked = open_page("dashboard/pages/train.py", {"me": ANN.id})  # a browser without cookie
    assert linked.session_state[state.PERSON] == ANN and "me" not in linked.query_params


def test_a_link_names_nobody_in_a_class_that_did_not_allow_it(lab, monkeypatch):
    from dashboard import state

    monkeypatch.delenv(people.LINK_ENV)
    linked = open_page("dashboard/pages/train.py", {"me": ANN.id})
    assert linked.session_state[state.PERSON].id != ANN.id


def test_signing_in_gives_the_browser_a_new_id_and_the_planted_one_stays_a_student(lab, a_class):
    from dashboard import state

    teacher = browser(BEN, a_class)  # Ben's id, planted by a link, then the key typed
    signed = teacher.session_state[state.PERSON]
    assert signed.instructor and signed.id != BEN.id and lab.person(signed.id).instructor
    assert teacher.session_state[state.COOKIE_SET] == signed.id  # the cookie follows the new id
    ben = browser(BEN)
    assert not ben.session_state[state.PERSON].instructor
    assert "Sign out as instructor" not in [b.label for b in ben.sidebar.button]


def test_a_student_sees_and_changes_only_their_own_runs(lab):
    anns = run_of(lab, ANN, "running")
    ann, ben = browser(ANN), browser(BEN)
    assert f"train.stop.{anns}!" in [b.key for b in ann.button]
    assert f"train.stop.{anns}!" not in [b.key for b in ben.button]
    assert anns in chart(ann) and anns not in chart(ben)
    offered = [s.options for s in ben.selectbox if s.key == "train.manage!"]
    assert offered == [] and "No runs of yours yet." in [c.value for c in ben.caption]
    assert any("1 run of others" in c.value for c in ben.caption)
    ann.button(key=f"train.stop.{anns}!").click().run()
    assert lab.get(anns)["stop_requested"] == 1
    assert any("stopping…" in p.proto.text for p in ann.get("progress"))


def test_the_instructor_stops_renames_deletes_and_shows_any_run(lab, a_class):
    anns, bens = run_of(lab, ANN), run_of(lab, BEN)
    teacher = browser(TEACHER, a_class)
    assert "Sign out as instructor" in [b.label for b in teacher.sidebar.button]
    teacher.selectbox(key="train.manage!").set_value(anns).run()
    teacher.text_input(key=f"train.name.{anns}!").set_value("seen by Ms T").run()
    teacher.button(key="train.rename!").click().run()
    assert lab.get(anns)["name"] == "seen by Ms T"
    picker = teacher.selectbox(key="train.manage!")  # the new name, and the old one nowhere
    assert picker.format_func(anns) == f"{anns} · seen by Ms T"
    labels = [o for w in [*teacher.multiselect, *teacher.selectbox] for o in w.options
              if o.startswith((f"{anns} · ", f"run {anns} · "))]
    assert len(labels) >= 2 and all("· seen by Ms T" in o for o in labels)
    teacher.selectbox(key="train.manage!").set_value(anns).run()
    teacher.toggle(key=f"train.show.{anns}!").set_value(True).run()
    assert lab.get(anns)["shown"] == 1
    ben = browser(BEN)
    assert anns in chart(ben) and bens in chart(ben)  # the shown run, and Ben's own
    teacher.selectbox(key="train.manage!").set_value(bens).run()
    teacher.button(key="train.delete!").click().run()
    assert bens not in [r["id"] for r in lab.list()]


def test_a_run_the_page_starts_by_itself_moves_no_control(lab):
    """A key or a review typed but not yet entered is kept by the browser only while its
    control stays where it was: the sidebar's cookie frame (drawn on a browser's first run
    only) and the run panel (one fragment while a run is active, two when none is) must not
    move the controls below them when the page reruns by itself (a run ended)."""
    at = app({"me": ANN.id})
    first = place(at.run(), "people.key!")  # the browser's first run sets its cookie
    assert place(at.run(), "people.key!") == first
    running = run_of(lab, ANN, "running")
    ann = browser(ANN)
    before = {key: place(ann, key) for key in ("people.key!", "people.name!", "train.review")}
    lab.finish(running, "finished")
    ann.run()  # what the run panel's st.rerun() does when the run has ended
    assert {key: place(ann, key) for key in before} == before


def test_a_wrong_key_says_so_and_changes_nothing(lab):
    from dashboard import state

    at = browser(BEN, "not-the-key")
    assert any("not the instructor key" in w.value for w in at.sidebar.warning)
    assert at.session_state[state.PERSON] == BEN and not lab.person(BEN.id).instructor
    assert "Sign out as instructor" not in [b.label for b in at.sidebar.button]


def test_the_class_board_adds_anyones_run_to_my_chart(lab):
    anns = run_of(lab, ANN)
    ben = browser(BEN)
    assert anns not in chart(ben)
    board = ben.multiselect(key="train.board!")
    board.set_value([anns]).run()
    assert anns in chart(ben)
    assert not ben.exception


def test_delete_acts_on_the_run_its_button_names_when_runs_change_meanwhile(lab):
    first, second = run_of(lab, ANN), run_of(lab, ANN)
    ann = browser(ANN)
    ann.selectbox(key="train.manage!").set_value(first).run()
    run_of(lab, ANN)  # a run started elsewhere appears before the click
    lab.rename(first, "renamed meanwhile", by=OPERATOR)
    ann.button(key="train.delete!").click().run()
    ids = [r["id"] for r in lab.list()]
    assert first not in ids and second in ids
    assert ann.selectbox(key="train.manage!").value is None  # nothing else offered for deletion


def test_the_instructors_browser_stays_signed_in_after_a_reload(lab, a_class):
    from dashboard import state

    signed = browser(TEACHER, a_class).session_state[state.PERSON]
    reloaded = browser(signed)  # a new session of the same browser (its cookie: the new id)
    assert reloaded.session_state[state.PERSON].instructor
    assert "Sign out as instructor" in [b.label for b in reloaded.sidebar.button]


def test_a_key_too_short_for_a_class_stops_every_page_with_the_reason(lab, monkeypatch):
    monkeypatch.setenv(people.KEY_ENV, "owl-key")
    at = open_page("dashboard/pages/train.py")
    assert any("will not start" in e.value and "at least 12" in e.value for e in at.error)
    assert not at.button  # nothing of the page is drawn


def test_try_a_review_asks_only_my_models_and_the_shown_ones(lab, a_class):
    """Issue 34: Try a review scored with the newest finished models of anyone; a student's own
    model left the table within minutes of a class training. Ben's table lists his model and
    the one the instructor shows, never Ann's."""
    models_dir = lab.path.parent / "models"
    models_dir.mkdir(parents=True, exist_ok=True)
    config = dataclasses.asdict(models.preset("dense", epochs=1))
    named = {}
    for owner in (ANN, BEN, TEACHER):
        run = run_of(lab, owner, "running")
        name = f"classifier-{run}.keras"
        models.build_model("dense", config["num_words"], config["maxlen"], 4).save(
            models_dir / name)
        lab.finish(run, "finished", summary={"params": 40005, "model": name})
        named[owner.name] = run
    lab.show_to_class(named["Ms T"], by=OPERATOR)
    ben = browser(BEN)
    ben.text_area(key="train.review").set_value("a superb film, not dull at all").run()
    assert not ben.exception, [e.value for e in ben.exception]
    asked = [set(t.value["name"]) for t in ben.dataframe if "P(positive)" in t.value.columns]
    assert asked == [{"Ben's dense", "Ms T's dense"}]


@requires_mirror  # the run reads IMDB
def test_a_prediction_is_drawn_beside_its_curve_and_listed_on_the_live_board(lab, a_class):
    import json

    ann = browser(ANN)
    ann.multiselect(key="train.kinds").set_value(["bow_logreg_unigrams"]).run()
    ann.select_slider(key="train.size").set_value(500).run()
    ann.toggle(key="train.predict").set_value(True).run()
    ann.number_input(key="train.predict.bow_logreg_unigrams.best").set_value(0.9).run()
    ann.number_input(key="train.predict.bow_logreg_unigrams.epoch").set_value(1).run()
    ann.button(key="train.go!").click().run()
    [run] = [r["id"] for r in lab.list(training.KIND)]
    assert lab.predictions() == {run: {"best": 0.9, "epoch": 1}}
    ann.run()
    spec = [json.loads(c.proto.spec) for c in ann.get("plotly_chart")]
    names = [t.get("name", "") for s in spec for t in s["data"]]
    assert any("predicted best 0.90" in n for n in names), names  # on any x axis
    ann.radio(key="train.x").set_value("epoch").run()
    names = [t.get("name", "") for c in ann.get("plotly_chart")
             for t in json.loads(c.proto.spec)["data"]]
    assert any("predicted peak (epoch 1)" in n for n in names)  # the star, on the epoch axis
    board = next(d.value for d in ann.dataframe if "predicted best" in d.value.columns)
    row = board[board["run"] == run].iloc[0]
    assert row["predicted best"] == "0.90" and row["predicted epoch"] == "1"
    assert "by" not in board.columns  # a student sees no names unless the instructor allows
    teacher = browser(TEACHER, a_class)
    teacher_board = next(d.value for d in teacher.dataframe if "predicted best" in d.value.columns)
    assert list(teacher_board.loc[teacher_board["run"] == run, "by"]) == ["Ann"]
    with pytest.raises(people.NotAllowed):
        lab.predict(run, {"best": 0.5}, by=BEN)  # another student changes Ann's prediction
    assert not [t for t in ann.toggle if t.key == "train.board_names!"]  # a student: no switch
    teacher.toggle(key="train.board_names!").set_value(True).run()
    ben = browser(BEN)
    ben_board = next(d.value for d in ben.dataframe if "predicted best" in d.value.columns)
    assert list(ben_board.loc[ben_board["run"] == run, "by"]) == ["Ann"]


def test_the_rule_of_thumb_reads_only_the_runs_this_student_follows(lab):
    """Ben's finished bag and sequence runs at the page's setting show in his rule-of-thumb
    line, not in Ann's: she has not raced yet (and has not added his runs from the board)."""
    for kind, score in (("bow_logreg", 0.88), ("lstm", 0.86)):
        config = dataclasses.asdict(models.preset(kind))
        run = lab.create(training.KIND, config, f"Ben's {kind}", owner=BEN)
        lab.finish(run, "finished", summary={"test_at_best": score})

    def rule(at) -> str:
        return next(c.value for c in at.caption if c.value.startswith("Rule of thumb"))

    assert "best bag model bow_logreg 0.880, best sequence model lstm 0.860" in rule(browser(BEN))
    assert "Race a bag model" in rule(browser(ANN))
