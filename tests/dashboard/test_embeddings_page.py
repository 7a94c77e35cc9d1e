"""The Embeddings page: several spaces, analogies, maps, the exercise, and bad input."""
from __future__ import annotations

from core.runs.people import OPERATOR
import pytest

from tests.conftest import requires_mirror
from tests.dashboard.conftest import open_page, open_tab

PAGE = "dashboard/pages/embeddings.py"
pytestmark = requires_mirror


def _open(tab: str):
    return open_page(PAGE, tab=("emb.tab", tab))


def _said(at) -> str:
    return " | ".join([w.value for w in at.warning] + [i.value for i in at.info])


def test_defaults_show_two_spaces_and_the_lecture_analogy(no_exception):
    page = no_exception(_open("Analogies"))
    assert page.multiselect(key="emb.spaces").value == ["GloVe 6B 50d", "PPMI + SVD (IMDB)"]
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["man : king :: woman : ?"] == "queen"
    assert "Found in GloVe" not in metrics  # the matrix's tab is closed, so it did not run
    page = no_exception(open_tab(page, "emb.tab", "Embedding matrix"))
    assert "Found in GloVe" in {m.label for m in page.metric}


def test_unknown_word_suggests_spellings(no_exception):
    at = open_page(PAGE)
    at.text_input(key="emb.word").set_value("exellent").run()
    no_exception(at)
    assert "“exellent” is not in PPMI + SVD (IMDB)" in _said(at) and "excellent" in _said(at)


@pytest.mark.parametrize("raw, message", [("", "Type a word."), ("New York", "is a phrase")])
def test_empty_word_and_phrases(raw, message, no_exception):
    at = open_page(PAGE)
    at.text_input(key="emb.word").set_value(raw).run()
    no_exception(at)
    assert message in _said(at)


def test_mixed_case_is_folded(no_exception):
    at = open_page(PAGE)
    at.text_input(key="emb.word").set_value("  Excellent ").run()
    no_exception(at)
    assert "not in" not in _said(at)


def test_k_limits(no_exception):
    at = open_page(PAGE)
    at.number_input(key="emb.k").set_value(100).run()
    no_exception(at)
    assert len(at.dataframe[0].value) == 100


def test_no_space_chosen(no_exception):
    at = open_page(PAGE)
    at.multiselect(key="emb.spaces").set_value([]).run()
    no_exception(at)
    assert "Pick at least one space." in _said(at)


def test_three_dimensional_map_with_unknown_words(no_exception):
    at = _open("PCA map")
    at.text_area(key="emb.groups").set_value("a: good bad qqzzxx\nb: king queen").run()
    at.radio(key="emb.dims").set_value(3).run()
    no_exception(at)
    assert "qqzzxx" in _said(at)


def test_exercise_runs_in_keras_and_rejects_bad_vectors(no_exception):
    at = _open("Dense = Embedding")
    at.text_input(key="emb.ex_v").set_value("1 two 3").run()
    assert "v must be six numbers" in _said(at)
    at.text_input(key="emb.ex_v").set_value("1 0 2 0 0 1").run()
    at.toggle(key="emb.ex_run").set_value(True).run()
    no_exception(at)
    assert sum("Equal: **True**" in m.value for m in at.markdown) == 2


def test_cbow_trains_from_the_page_and_joins_the_spaces(no_exception):
    import time

    from core.embeddings import word2vec
    from core.runs.store import RunStore

    at = no_exception(_open("Train word2vec"))
    at.radio(key="w2v.method").set_value("cbow").run()
    at.select_slider(key="w2v.reviews").set_value(1000).run()
    at.button(key="w2v.train!").click().run()
    store = RunStore()
    run = store.list(word2vec.KIND)[0]
    deadline = time.time() + 120
    while store.get(run["id"])["status"] in ("queued", "running") and time.time() < deadline:
        time.sleep(0.5)
    assert store.get(run["id"])["status"] == "finished", store.get(run["id"])["error"]
    at.run()
    no_exception(at)
    assert "word2vec CBOW (IMDB)" in at.multiselect(key="emb.spaces").options
    costs = next(d.value for d in at.dataframe if "method" in d.value.columns)
    assert "CBOW" in set(costs["method"])


def test_the_moving_map_plays_a_run_s_snapshots(no_exception):
    import numpy as np

    from core.classify import training
    from core.embeddings import motion
    from core.runs.store import RunStore

    store = RunStore()
    run_id = store.create(training.KIND, {"kind": "lstm"}, "moving test", owner=OPERATOR)
    words = ["wonderful", "awful", "the", "movie"]
    frames = [np.random.default_rng(i).normal(size=(4, 8)) for i in range(3)]
    motion.save_frames(motion.snapshot_path(run_id, store.path.parent), words, frames)
    store.start(run_id)
    store.finish(run_id, "finished")
    at = no_exception(_open("Moving embeddings"))
    next(s for s in at.selectbox if s.label == "Run").set_value(run_id).run()
    no_exception(at)
    assert any("orthogonal Procrustes" in c.value for c in at.caption)
    later = store.create(training.KIND, {"kind": "gru"}, "started in another browser", owner=OPERATOR)
    motion.save_frames(motion.snapshot_path(later, store.path.parent), words, frames)
    store.start(later)
    at.run()  # what the page's watch does by itself every 3 s
    picker = next(s for s in at.selectbox if s.label == "Run")
    assert picker.value == later  # it joined the list, and was chosen as it started
    store.finish(later, "finished")


def test_a_class_adds_words_to_follow(no_exception):
    from core.embeddings import motion
    from core.runs.store import RunStore

    at = no_exception(_open("Moving embeddings"))
    at.text_input(key="emb.watch!").set_value("popcorn <b>sequel</b>").run()
    at.button(key="emb.watch_save!").click().run()
    no_exception(at)
    assert motion.watched_words(RunStore().path.parent) == ["popcorn", "b", "sequel"]
    motion.set_watched_words("", RunStore().path.parent, by=OPERATOR)


def test_the_code_for_this_view_follows_every_tab(no_exception):
    at = no_exception(_open("Nearest words"))
    at.text_input(key="emb.word").set_value("Awful").run()
    at = no_exception(open_tab(at, "emb.tab", "PCA map"))
    at.radio(key="emb.dims").set_value(3).run()
    code = next(c.value for c in no_exception(at).code if "glove.6B" in c.value)
    assert "word = 'awful'" in code and "n_components=3" in code and "sha256" in code
