"""Questions in a class, attacked as a student would: opening, revealing, resetting, the tally
and the answers are the instructor's (who signed in with the key); a student answers once per
opening and may change it until the reveal; predictions are their owner's. The instructor's
own questions file: a good one works, a bad one names its line."""
from __future__ import annotations

import csv
import io

import pytest

from core.questions import classwork
from core.questions.model import Question, Reveal, read_answer
from core.questions.toml_file import FILE_ENV, QuestionFileError, parse_questions
from core.runs.people import NotAllowed, Person
from core.runs.store import RunStore

ANN, BEN, CAT = (Person(f"{n.lower()}-browser-id-00001", n) for n in ("Ann", "Ben", "Cat"))


@pytest.fixture
def store(tmp_path, a_class):
    found = RunStore(tmp_path / "runs.sqlite")
    for person in (ANN, BEN, CAT):
        found.remember(person)
    return found


@pytest.fixture
def teacher(store, a_class):
    return store.sign_in(Person("tea-browser-id-000001", "Teacher"), a_class)


def test_only_the_instructor_opens_reveals_resets_tallies_and_downloads(store, teacher):
    question = classwork.find("inside.gru")
    for attempt in (lambda: store.open_question("inside.gru", by=ANN),
                    lambda: classwork.reveal(store, question, by=ANN),
                    lambda: store.reveal_question("inside.gru", "1", by=ANN),
                    lambda: classwork.class_tally(store, question, by=ANN),
                    lambda: classwork.answers_csv(store, by=ANN),
                    lambda: store.all_answers(by=ANN),
                    lambda: store.open_question("inside.gru", by=None)):
        with pytest.raises(NotAllowed):
            attempt()
    # a student who copies the instructor's name, or plants a made-up id, is still a student
    for fake in (Person("tea-browser-id-000001x", "Teacher"), store.person(ANN.id)):
        with pytest.raises(NotAllowed):
            store.open_question("inside.gru", by=fake)
    with pytest.raises(NotAllowed, match="open the question"):
        classwork.reveal(store, question, by=teacher)
    assert store.opening("inside.gru").opening == 0


def test_open_answer_change_tally_reveal_and_reset(store, teacher):
    question = classwork.find("inside.gru")
    with pytest.raises(NotAllowed, match="not opened"):
        store.answer(ANN, "inside.gru", "6336")
    store.open_question("inside.gru", by=teacher)
    store.answer(ANN, "inside.gru", read_answer(question, "6,000"))
    store.answer(ANN, "inside.gru", read_answer(question, "6336"))  # changed before the reveal
    store.answer(BEN, "inside.gru", read_answer(question, "2080"))
    shown = classwork.class_tally(store, question, by=teacher)
    assert shown.answered == 2 and shown.right is None  # counts only, nothing right yet
    assert classwork.seen_by(store, question, CAT).may_answer
    assert classwork.seen_by(store, question, ANN).reveal is None  # not before the reveal
    classwork.reveal(store, question, by=teacher)
    with pytest.raises(NotAllowed, match="already revealed"):
        store.answer(CAT, "inside.gru", "6336")
    assert classwork.class_tally(store, question, by=teacher).right == 1
    ann, ben = (classwork.seen_by(store, question, p) for p in (ANN, BEN))
    assert ann.answer == "6336" and ann.right and ben.answer == "2080" and ben.right is False
    assert ann.reveal.answer == 6336 and "6,336" in ann.reveal.explain
    assert "Ben" not in repr(ann) and "2080" not in repr(ann)  # nobody else's name or answer
    rows = list(csv.DictReader(io.StringIO(classwork.answers_csv(store, by=teacher))))
    assert [(r["name"], r["answer"], r["right"]) for r in rows] == [("Ann", "6336", "yes"),
                                                                    ("Ben", "2080", "no")]
    assert classwork.share_right(store, by=teacher) == [
        {"question": "inside.gru", "answered": 2, "right": 1, "share right": 0.5}]
    store.open_question("inside.gru", by=teacher)  # reset: a new opening, no answers
    assert classwork.class_tally(store, question, by=teacher).answered == 0
    assert store.standing(ANN, ["inside.gru"]).mine == {}
    store.answer(ANN, "inside.gru", "6336")  # the new opening takes answers again


def test_alone_a_student_answers_once_and_then_sees_it(store, teacher, tmp_path):
    store.set_setting("questions_self_paced", True, by=teacher)
    with pytest.raises(NotAllowed):
        store.set_setting("questions_self_paced", False, by=ANN)
    question = classwork.find("inside.gru")
    assert classwork.seen_by(store, question, ANN).may_answer
    store.answer(ANN, "inside.gru", "100")
    seen = classwork.seen_by(store, question, ANN)
    assert seen.reveal.answer == 6336 and seen.right is False and not seen.may_answer
    with pytest.raises(NotAllowed, match="seen the answer"):
        store.answer(ANN, "inside.gru", "6336")  # a replayed answer after seeing it


def test_a_personal_question_checks_each_person_against_their_own(store, teacher, monkeypatch):
    from core.questions import answers

    question = Question("gen.t", "generate", "Which?", lambda ask: Reveal(
        answers.temperature_of(ask.seed), ""), answers.TEMPERATURES,
        material=lambda ask: f"text {ask.seed}", right=lambda ask: answers.temperature_of(ask.seed))
    monkeypatch.setattr(classwork, "find", lambda qid: question)
    store.open_question("gen.t", by=teacher)
    mine = {p: answers.temperature_of(classwork.ask_for(store, question, p).seed)
            for p in (ANN, BEN)}
    store.answer(ANN, "gen.t", mine[ANN])
    store.answer(BEN, "gen.t", next(t for t in answers.TEMPERATURES if t != mine[BEN]))
    classwork.reveal(store, question, by=teacher)
    assert classwork.class_tally(store, question, by=teacher).right == 1
    assert classwork.seen_by(store, question, ANN).right
    assert not classwork.seen_by(store, question, BEN).right


def test_predictions_are_their_owners_and_checked(store, teacher):
    run = store.create("imdb", {"kind": "lstm"}, "lstm", owner=ANN)
    store.predict(run, {"best": 0.87, "epoch": 4}, by=ANN)
    with pytest.raises(NotAllowed):
        store.predict(run, {"best": 0.5}, by=BEN)
    for bad in ({"best": 1.5}, {"best": "high"}, {"epoch": 0}, {}, {"best": float("nan")}):
        with pytest.raises(ValueError):
            store.predict(run, bad, by=ANN)
    assert store.predictions() == {run: {"best": 0.87, "epoch": 4}}
    store.finish(run, "finished")
    store.delete(run, by=ANN)
    assert store.predictions() == {}


GOOD = '''
# the instructor's questions
[[question]]
page = "inside"
prompt = "How many gates has an LSTM cell?"
choices = ["2", "3", "4"]
answer = "3"
explain = "Input, forget and output."

[[question]]
id = "lstm-params"
page = "train"
prompt = "Parameters of LSTM(32) on 32-d inputs?"
answer = 8320
tolerance = 0.05
'''


def test_a_questions_file_with_two_questions_works(tmp_path, monkeypatch):
    gates, params = parse_questions(GOOD)
    assert (gates.id, gates.page, gates.options()) == ("file.1", "inside", ("2", "3", "4"))
    assert gates.reveal(None).answer == "3" and params.numeric and params.tolerance == 0.05
    path = tmp_path / "questions.toml"
    path.write_text(GOOD)
    monkeypatch.setenv(FILE_ENV, str(path))
    found, problem = classwork.all_questions()
    assert problem is None and {"file.1", "lstm-params"} <= {q.id for q in found}
    assert [q.id for q in classwork.on_page("train")][-1] == "lstm-params"
    path.write_text(GOOD.replace('answer = "3"', 'answer = "5"'))
    found, problem = classwork.all_questions()  # read again when the file changes
    assert "line 3" in problem and "file.1" not in {q.id for q in found}


@pytest.mark.parametrize("change, says", [
    (('answer = "3"', 'answer = "5"'), "line 3 (question 1): the answer '5' is not one"),
    (("answer = 8320", "answer = 'many'"), "line 10 (question 2): without choices"),
    (('page = "train"', 'page = "home"'), "line 10 (question 2): page must be one of"),
    (("tolerance = 0.05", "tolerance = 0.05\nweight = 2"), "line 10 (question 2): unknown key"),
    (('prompt = "How many', 'prompt = How many'), "not valid TOML: .*line 5"),
    (('id = "lstm-params"', 'id = "file.1"'), "line 10 (question 2): the id 'file.1' is used"),
])
def test_a_bad_questions_file_names_its_line(change, says):
    with pytest.raises(QuestionFileError, match=says.replace("(q", r"\(q").replace("):", r"\):")):
        parse_questions(GOOD.replace(*change))


def test_a_question_that_needs_runs_says_which_and_what_to_start(store, teacher):
    store.set_setting("questions_self_paced", True, by=teacher)
    race = classwork.find("train.race")
    store.answer(ANN, "train.race", read_answer(race, "lstm"))
    seen = classwork.seen_by(store, race, ANN)
    assert seen.reveal is None and "none yet of: cnn, simple_rnn, lstm, gru" in seen.problem
    assert seen.start == ("cnn", "simple_rnn", "lstm", "gru")
