"""Questions in a class, one AppTest session per browser (the Text page: its questions need no
TensorFlow): the instructor opens, students answer on their own pages, the instructor's page
tallies (no names), reveals, asks again and downloads; a student cannot open, reveal, tally or
see anyone else's answer, and a stale Answer button after the reveal is refused."""
from __future__ import annotations

import pytest

from core.questions import classwork
from core.runs import people
from core.runs.people import OPERATOR, Person
from core.runs.store import RunStore
from tests.dashboard.conftest import open_page, place

PAGE = "dashboard/pages/text_numbers.py"
STUDENTS = [Person(f"{n.lower()}-browser-id-00001", n) for n in ("Ann", "Ben", "Cat")]
TEACHER = Person("teacher-browser-00001", "Ms T")
BAG = "q.text.bag"


@pytest.fixture
def lab(a_class, tmp_path, monkeypatch) -> RunStore:
    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv(people.LINK_ENV, "1")  # each AppTest session names its person in ?me=
    store = RunStore()
    for person in (*STUDENTS, TEACHER):
        store.remember(person)
    return store


def page(person: Person, key: str | None = None):
    at = open_page(PAGE, {"me": person.id})
    if key:
        at.text_input(key="people.key!").set_value(key).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at, prefix: str, suffix: str):
    found = [b for b in at.button if b.key and b.key.startswith(prefix) and b.key.endswith(suffix)]
    return found[0] if found else None


def texts(at) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "caption", "success", "warning",
                                              "info") for e in getattr(at, kind))


def test_open_answer_tally_reveal_ask_again_in_a_class(lab, a_class):
    teacher = page(TEACHER, a_class)
    students = [page(p) for p in STUDENTS]
    for at in students:  # nothing is open: no question to answer, no instructor's controls
        assert not [r for r in at.radio if "bag of words" in r.label]
        assert "the instructor opens them" in texts(at)
        assert button(at, BAG, ".open!") is None and button(at, BAG, ".reveal!") is None
        assert not [d for d in at.get("download_button") if d.key == "q.csv!"]
    button(teacher, BAG, ".open!").click().run()
    choices = classwork.find("text.bag").options()
    for at, pick in zip(students, (choices[0], choices[1], choices[0])):
        at.run()
        [radio] = [r for r in at.radio if "bag of words" in r.label]
        radio.set_value(pick).run()
        button(at, BAG, ".go!").click().run()
        assert "You may change it" in texts(at) and not at.exception
    # Ann changes her mind before the reveal
    [radio] = [r for r in students[0].radio if "bag of words" in r.label]
    radio.set_value(choices[2]).run()
    button(students[0], BAG, ".go!").click().run()
    teacher.run()
    assert "3 answered" in texts(teacher)
    assert teacher.session_state[f"{BAG}.1.tally.numbers"] is False  # the tally's chart is drawn
    for name in ("Ann", "Ben", "Cat"):
        assert name not in " ".join(c.value for c in teacher.caption if "answered" in c.value)
    stale = students[1]  # Ben's page still shows the Answer button
    button(teacher, BAG, ".reveal!").click().run()
    assert "1 right" in texts(teacher)  # Cat's pick, the twins (Ann changed to another pair)
    for at, me, right in zip(students, STUDENTS, ("not right ✗", "not right ✗", ", right ✓")):
        at.run()
        shown = texts(at)
        assert "Answer: **“the dog bit the man”" in shown and right in shown
        assert f"{BAG}.1.tally.numbers" not in at.session_state  # no tally on a student's page
        assert not [p.name for p in STUDENTS if p != me and p.name in shown]  # no one else's
    # the stale button after the reveal: refused, and nothing changes
    stale_radio = [r for r in stale.radio if "bag of words" in r.label]
    assert not stale_radio  # the page redrew without the answer form
    lab_answers = lab.all_answers(by=lab.person(teacher.session_state["people.me"].id))
    assert [r["answer"] for r in lab_answers if r["person"] == STUDENTS[1].id] == [choices[1]]
    with pytest.raises(people.NotAllowed):
        lab.answer(STUDENTS[1], "text.bag", choices[0])
    signed = lab.person(teacher.session_state["people.me"].id)
    lab.open_question("emb.queen", by=signed)  # the instructor opens one on another page
    students[2].run()
    links = [str(e.proto) for e in students[2].sidebar.get("page_link")]
    assert any("A question is open on Embeddings" in link for link in links), links
    button(teacher, BAG, ".open!").click().run()  # ask again: a fresh tally
    assert "0 answered" in texts(teacher) and "open: answers are coming in" in texts(teacher)
    students[0].run()
    assert [r for r in students[0].radio if "bag of words" in r.label][0].value is None
    assert [d for d in teacher.get("download_button") if d.key == "q.csv!"]


def test_the_instructors_file_adds_its_questions_or_names_its_bad_line(tmp_path, monkeypatch):
    from core.questions.toml_file import FILE_ENV

    path = tmp_path / "questions.toml"
    path.write_text('[[question]]\npage = "text"\nprompt = "Which is a token id?"\n'
                    'choices = ["a word", "an integer"]\nanswer = "an integer"\n\n'
                    '[[question]]\npage = "text"\nprompt = "Words in the vocabulary?"\n'
                    'answer = 10000\ntolerance = 0.1\n')
    monkeypatch.setenv(FILE_ENV, str(path))
    at = open_page(PAGE)  # a one-person lab: answer, then see
    assert not at.exception
    [radio] = [r for r in at.radio if "Which is a token id?" in r.label]
    radio.set_value("an integer").run()
    button(at, "q.file.1", ".go!").click().run()
    assert "Answer: **an integer**" in texts(at) and ", right ✓" in texts(at)
    at.text_input(key="q.file.2.0.raw").set_value("ten thousand").run()
    button(at, "q.file.2", ".go!").click().run()
    assert "Not kept: 'ten thousand' is not a number" in texts(at)  # nothing kept, a message
    path.write_text(path.read_text().replace('answer = "an integer"', 'answer = "a float"'))
    at.run()
    error = " ".join(e.value for e in at.error).replace("\\", "")  # markdown escapes
    assert "questions.toml, line 1 (question 1): the answer 'a float' is not one" in error
    assert not [r for r in at.radio if "Which is a token id?" in r.label]
    assert [r for r in at.radio if "bag of words" in r.label]  # the built-in ones stay


def test_a_question_opened_above_moves_no_answer_being_typed(lab):
    """A number typed (not yet entered) as the answer to the Inside page's second question is
    kept when the instructor opens the first one meanwhile: the answer box keeps its place."""
    lab.open_question("inside.gru", by=OPERATOR)
    ann = open_page("dashboard/pages/inside.py", {"me": STUDENTS[0].id})
    raw = next(t.key for t in ann.text_input if t.key and t.key.startswith("q.inside.gru"))
    before = place(ann, raw)
    lab.open_question("inside.gradient", by=OPERATOR)
    assert [r for r in ann.run().radio if r.key and r.key.startswith("q.inside.gradient")]
    assert place(ann, raw) == before
