"""Every registered page runs; the Text-to-numbers page behaves and survives bad input."""
from __future__ import annotations

import dataclasses

import pytest

from core.classify import models, training
from core.runs.people import OPERATOR
from core.runs.store import RunStore
from dashboard.registry import PAGES
from tests.conftest import requires_mirror
from tests.dashboard.conftest import open_page, open_tab, place

TEXT = "dashboard/pages/text_numbers.py"
pytestmark = requires_mirror


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_runs_without_exception(spec, no_exception):
    at = no_exception(open_page(spec.path))
    assert at.title[0].value in (spec.title, "Sequence Lab")


def test_home_lists_pages_and_data_status(no_exception):
    at = no_exception(open_page("dashboard/pages/home.py"))
    table = " ".join(m.value for m in at.markdown)
    assert all(f"`{name}`" in table for name in ("imdb", "glove50", "nietzsche"))
    assert at.success and "present" in at.success[0].value


def _infos(at) -> str:
    return " | ".join(i.value for i in at.info) + " | ".join(w.value for w in at.warning)


def test_typing_text_and_changing_n(no_exception):
    at = no_exception(open_tab(open_page(TEXT), "text.tab", "Tokens & ids"))
    at.text_area(key="text.input").set_value("A truly great film").run()
    at.slider(key="text.n").set_value(5).run()
    no_exception(at)
    assert "has 4 word(s), so it has no 5-grams" in _infos(at)
    at.slider(key="text.n").set_value(2).run()
    assert "no 2-grams" not in _infos(at)


def test_order_loss_result(no_exception):
    at = no_exception(open_tab(open_page(TEXT), "text.tab", "Word order"))
    at.text_input(key="text.order_a").set_value("John hates Mary").run()
    at.text_input(key="text.order_b").set_value("Mary hates John").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Cosine similarity, words (n = 1)"] == "1.000"
    assert float(metrics["Cosine similarity, words + bigrams (n = 1..2)"]) < 1.0


def test_only_the_open_tab_runs_and_hidden_tabs_keep_their_values(no_exception):
    at = no_exception(open_page(TEXT))
    assert not [t for t in at.text_input if t.key == "text.order_a"]  # Word order is closed
    at = no_exception(open_tab(at, "text.tab", "Word order"))
    at.text_input(key="text.order_a").set_value("Mary hates John").run()
    at = no_exception(open_tab(at, "text.tab", "Vocabulary"))
    assert not [t for t in at.text_input if t.key == "text.order_a"]
    at = no_exception(open_tab(at, "text.tab", "Word order"))
    assert at.text_input(key="text.order_a").value == "Mary hates John"
    assert not at.warning


def test_imdb_review_source_shows_label_and_rating(no_exception):
    at = no_exception(open_page(TEXT))
    at.radio(key="text.source").set_value("IMDB review").run()
    at.number_input(key="text.review").set_value(7).run()
    no_exception(at)
    assert any("review, rated" in c.value for c in at.caption)
    assert at.query_params["review"] in ("7", ["7"])


def test_state_comes_from_the_link_and_bad_values_are_explained(no_exception):
    at = no_exception(open_page(TEXT, {"n": "4", "k": "999999", "review": "abc"}))
    assert at.slider(key="text.n").value == 4
    assert at.select_slider(key="text.k").value == 50000
    assert "outside 100–50000" in _infos(at) and "not a whole number" in _infos(at)


@pytest.mark.parametrize("bad, message", [
    ("", "Type some text above"),
    ("x" * 1_000_000, "only the first 20,000 are used"),
    ("Loved it 😍🍿 10/10!!! Этот фильм 这部电影很好看", "beyond ASCII"),
])
def test_bad_input_gets_a_message_not_a_traceback(bad, message, no_exception):
    at = no_exception(open_page(TEXT))
    at.text_area(key="text.input").set_value(bad).run()
    no_exception(at)
    assert message in _infos(at)


def test_only_stop_words_with_stop_words_removed(no_exception):
    at = no_exception(open_page(TEXT))
    at.text_area(key="text.input").set_value("the and of it is").run()
    at.checkbox(key="text.stop").check().run()
    no_exception(at)
    assert "Every word of this text is a stop word" in _infos(at)


def test_classroom_mode_from_the_link_hides_advanced_controls(no_exception):
    at = no_exception(open_page(TEXT, {"classroom": "1"}))
    assert at.toggle(key="classroom.toggle").value is True
    assert not [c for c in at.checkbox if c.key == "text.stop"]


def test_missing_data_is_explained(tmp_path, monkeypatch, no_exception):
    import streamlit as st

    from core.data import imdb
    from core.tokens import vocab

    monkeypatch.setenv("SEQLAB_DATA_DIR", str(tmp_path / "no-mirror"))
    monkeypatch.setenv("SEQLAB_CACHE_DIR", str(tmp_path / "cache"))
    st.cache_resource.clear()
    st.cache_data.clear()
    for f in (imdb._review_arrays, imdb.read_reviews, imdb.load_word_index, imdb.rank_sequences,
              vocab.imdb_vocabulary):
        f.cache_clear()
    try:
        at = no_exception(open_page(TEXT))
        assert "python -m core data fetch imdb" in at.error[0].value
        home = no_exception(open_page("dashboard/pages/home.py"))
        assert "python -m core data fetch imdb" in " ".join(c.value for c in home.code)
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
        for f in (imdb._review_arrays, imdb.read_reviews, imdb.load_word_index,
                  imdb.rank_sequences, vocab.imdb_vocabulary):
            f.cache_clear()


def test_the_code_for_this_view_follows_the_text_and_settings(no_exception):
    at = no_exception(open_page(TEXT))
    at.text_area(key="text.input").set_value("Loved it, 10/10").run()
    at.slider(key="text.n").set_value(3).run()
    code = next(c.value for c in no_exception(at).code if "CountVectorizer" in c.value)
    assert "text = 'Loved it, 10/10'" in code and "n = 3" in code and "[:10000]" in code


def _typed(at) -> dict[str, tuple]:
    """Where each control one types into is drawn (key -> place)."""
    return {w.key: place(at, w.key) for kind in ("text_input", "text_area", "number_input")
            for w in getattr(at, kind) if w.key}


def test_a_run_ending_moves_no_control_one_may_be_typing_in(tmp_path, monkeypatch,
                                                            no_exception):
    """When a run ends, the run panel reruns the page by itself; a browser keeps what was typed
    (not yet entered) in a control only if the control stays where it was. Train & compare is
    the page with controls to type in around a run panel (Generate's and word2vec's have none)."""
    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path))
    store = RunStore()
    run = store.create(training.KIND, dataclasses.asdict(models.preset("dense", epochs=1)),
                       "typed over", owner=OPERATOR)
    store.start(run)
    at = no_exception(open_page("dashboard/pages/train.py"))
    at.selectbox(key="train.manage!").set_value(run).run()  # its new name box, in Manage
    before = _typed(at)
    assert {"train.review", "train.target", "train.epochs", f"train.name.{run}!"} <= set(before)
    at.session_state["train.go.said"] = [("success", "Queued run 1.")]  # as Race leaves them
    at.session_state["train.manage_notice"] = ("success", "Renamed run 1.")  # as Manage does
    assert _typed(no_exception(at.run())) == before  # the notices shown
    assert "Queued run 1." in [s.value for s in at.success]
    store.finish(run, "finished")
    assert _typed(no_exception(at.run())) == before  # gone, and the run ended
