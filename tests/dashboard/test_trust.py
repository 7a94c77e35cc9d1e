"""Defects found by trying the lab as a new user would (issue 10): each one kept fixed."""
from __future__ import annotations

import dataclasses

from streamlit.testing.v1 import AppTest

from core.classify import models, training
from core.rnn import forecast
from core.runs.people import OPERATOR
from core.runs.store import RunStore
from tests.conftest import requires_mirror
from tests.dashboard.conftest import TIMEOUT, make_char_model, open_page, open_tab

pytestmark = requires_mirror


def _said(at) -> str:
    return " | ".join(e.value for kind in (at.info, at.warning, at.error, at.caption,
                                           at.markdown) for e in kind)


def _finished_run(store: RunStore, name: str, kind: str = "dense") -> int:
    run_id = store.create(training.KIND, dataclasses.asdict(models.preset(kind, epochs=1)), name, owner=OPERATOR)
    store.start(run_id)
    store.log(run_id, "batch", 1, {"loss": 0.7, "accuracy": 0.5, "epoch_x": 0.5})
    store.log(run_id, "epoch", 1, {"loss": 0.6, "accuracy": 0.7, "val_loss": 0.6,
                                   "val_accuracy": 0.7, "seconds": 1.0, "samples_per_s": 400.0,
                                   "batches": 2, "epoch_x": 1.0})
    store.finish(run_id, "finished", summary={"params": 80161, "test_accuracy": 0.69})
    return run_id


def test_a_one_letter_word_unrolls_without_a_crash(no_exception):
    at = open_page("dashboard/pages/inside.py")
    at.text_input(key="inside.word").set_value("a").run()
    no_exception(at)
    assert "Step to inspect: 0 (the only one)" in _said(at)
    at.text_input(key="inside.word").set_value("sequence").run()  # longer again: slider back
    at.slider(key="inside.step").set_value(7).run()
    at.text_input(key="inside.word").set_value("ab").run()  # the remembered step 7 > 1
    no_exception(at)
    assert at.slider(key="inside.step").value == 1


def test_a_long_word_says_it_was_cut(no_exception):
    at = open_page("dashboard/pages/inside.py")
    at.text_input(key="inside.word").set_value("a" * 39 + "1").run()
    no_exception(at)
    assert "the first 12 are unrolled" in _said(at) and "left out: 1" in _said(at)


def test_index_slider_at_its_degenerate_edges():
    def script():
        import streamlit as st

        from dashboard.components.controls import index_slider

        st.session_state.setdefault("big", 9)
        st.write(index_slider("none", 0, 0, "none"), index_slider("one", 1, 0, "one"),
                 index_slider("big", 3, 2, "big"))

    at = AppTest.from_function(script, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.slider(key="big").value == 2 and "one: 0 (the only one)" in at.caption[0].value


def test_a_run_started_elsewhere_joins_the_chart():
    """The classroom case: the page is open, a run starts in a terminal, then another."""
    store = RunStore()
    first = _finished_run(store, "before the page opened")
    at = open_page("dashboard/pages/train.py")
    chart = next(m for m in at.multiselect if m.label == "Runs on the chart")
    assert first in chart.value
    chart.set_value([]).run()  # the user clears the chart on purpose
    second = _finished_run(store, "started in a terminal")
    at.run()
    assert not at.exception
    chart = next(m for m in at.multiselect if m.label == "Runs on the chart")
    assert chart.value == [second]  # the new run joined; the removed one stayed removed
    store.rename(second, "renamed <b>run</b>", by=OPERATOR)
    at.run()
    chart = next(m for m in at.multiselect if m.label == "Runs on the chart")
    assert chart.value == [second] and "renamed <b>run</b>" in chart.format_func(second)
    table = next(d.value for d in at.dataframe if "note" in d.value.columns)
    row = table[table["run"] == second].iloc[0]
    assert row["params"] == "80,161" and row["test at last"] == "0.6900"
    assert not table.isna().any().any()  # missing numbers are "—", never drawn as "None"


def test_a_failed_or_diverged_run_explains_itself_in_its_own_row():
    store = RunStore()
    run_id = store.create(training.KIND, dataclasses.asdict(models.preset("dense")), "exploding", owner=OPERATOR)
    store.start(run_id)
    store.finish(run_id, "diverged", error="the loss exploded to 703 (1019x its first value). "
                                           "Lower the learning rate.")
    at = open_page("dashboard/pages/train.py")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "note" in d.value.columns)
    row = table[table["run"] == run_id].iloc[0]
    assert row["status"] == "diverged" and "Lower the learning rate" in row["note"]


def test_the_lab_follows_a_newly_finished_model(no_exception):
    store = RunStore()
    old = make_char_model(store, "old model")
    at = no_exception(open_page("dashboard/pages/generate.py"))
    lab = next(s for s in at.selectbox if s.label == "Model")
    assert lab.value == old
    new = make_char_model(store, "new model")
    at.run()
    no_exception(at)
    lab = next(s for s in at.selectbox if s.label == "Model")
    assert lab.value == new
    lab.set_value(old).run()  # a deliberate choice stays
    at.run()
    assert next(s for s in at.selectbox if s.label == "Model").value == old


def test_controls_keep_their_values_across_pages(no_exception):
    at = open_page("dashboard/pages/embeddings.py")
    at.text_input(key="emb.word").set_value("wonderful").run()
    at.switch_page("dashboard/pages/text_numbers.py").run()
    at.slider(key="text.n").set_value(4).run()
    at.switch_page("dashboard/pages/embeddings.py").run()
    no_exception(at)
    assert at.text_input(key="emb.word").value == "wonderful"
    at.switch_page("dashboard/pages/text_numbers.py").run()
    assert at.slider(key="text.n").value == 4


def test_view_defining_values_come_from_the_link(no_exception):
    at = no_exception(open_page("dashboard/pages/embeddings.py", {"word": "awful"}))
    assert at.text_input(key="emb.word").value == "awful"
    at = no_exception(open_page("dashboard/pages/train.py", {"models": "cnn,nope,gru"}))
    assert at.multiselect(key="train.kinds").value == ["cnn", "gru"]


def test_user_text_is_shown_literally_and_capped(no_exception):
    at = open_page("dashboard/pages/embeddings.py")
    at.text_input(key="emb.word").set_value("**bold** [link](https://example.com)").run()
    no_exception(at)
    warning = at.warning[0].value
    assert "\\*\\*bold\\*\\*" in warning and "\\[link\\]\\(https\\:" in warning
    at.text_input(key="emb.word").set_value("x" * 1_000_000).run()
    no_exception(at)
    assert max(len(w.value) for w in at.warning) < 400


def test_an_imdb_review_is_shown_in_review_mode(no_exception):
    at = no_exception(open_page("dashboard/pages/text_numbers.py", {"review": "42"}))
    from core.data.imdb import load_imdb_reviews

    start = load_imdb_reviews("train")["text"][42][:40]
    assert any(start in c.value for c in at.code)


def test_stop_words_are_not_called_out_of_vocabulary(no_exception):
    at = open_tab(open_page("dashboard/pages/text_numbers.py"), "text.tab", "Tokens & ids")
    at.text_area(key="text.input").set_value("the movie was zzqqxx").run()
    at.checkbox(key="text.stop").check().run()
    no_exception(at)
    said = _said(at)
    assert "stop word(s) removed from the vocabulary became [UNK]: the, was" in said
    assert "outside the top-10,000 vocabulary became [UNK]: zzqqxx" in said


def test_an_esn_change_does_not_refit_the_slow_networks(monkeypatch, no_exception):
    calls = []
    for name, fit in list(forecast.NETWORKS.items()):
        monkeypatch.setitem(forecast.NETWORKS, name,
                            lambda split, config, fit=fit: calls.append(config.delay)
                            or fit(split, config))
    import time

    from dashboard import cache

    cache.network_forecasts_job.clear()  # fits another test made are not this test's to count
    at = open_page("dashboard/pages/inside.py", tab=("inside.tab", "Time-delay & echo state"),
                   state={"inside.series": "airline",  # the shortest series: quick fits
                          "inside.delay": 7})  # a window of 7 from the start: one fit of each
    deadline = time.monotonic() + 120  # the networks fit in the background: wait for both
    while calls.count(7) < 2 or not any(
            "GRU (one step)" in set(d.value.get("model", [])) for d in at.dataframe):
        assert time.monotonic() < deadline, "the networks' fit never ended"
        time.sleep(0.5)
        at.run()
    fitted = len(calls)
    at.number_input(key="inside.esn_radius").set_value(0.7).run()
    at.slider(key="inside.esn_leak").set_value(0.5).run()
    no_exception(at)
    assert calls.count(7) == 2 and len(calls) == fitted  # once for the window, never for the ESN


def test_pairs_of_unknown_words_are_not_called_malformed(no_exception):
    at = open_page("dashboard/pages/embeddings.py", tab=("emb.tab", "Similarity lab"))
    at.text_area(key="emb.pairs").set_value("qwzx, zzqq\nnot a pair").run()
    no_exception(at)
    said = _said(at)
    assert "Not in" in said and "1 line(s) are not a pair" in said
    assert "List pairs as" not in said


def test_an_axis_from_a_word_to_itself_is_explained(no_exception):
    at = open_page("dashboard/pages/embeddings.py", tab=("emb.tab", "Semantic axis"))
    at.text_input(key="emb.pos").set_value("bad").run()
    no_exception(at)
    assert "an axis needs two different words" in _said(at)


def test_the_keras_toggle_survives_a_bad_vector(no_exception):
    at = open_page("dashboard/pages/embeddings.py", tab=("emb.tab", "Dense = Embedding"))
    at.toggle(key="emb.ex_run").set_value(True).run()
    at.text_input(key="emb.ex_v").set_value("1 2 x").run()
    at.text_input(key="emb.ex_v").set_value("1 0 2 0 0 1.3").run()
    no_exception(at)
    assert at.toggle(key="emb.ex_run").value
    assert any("1.3]" in m.value and "999" not in m.value for m in at.markdown)


def test_a_damaged_run_store_is_moved_aside_and_said_once(tmp_path, monkeypatch):
    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path))
    (tmp_path / "runs.sqlite").write_bytes(b"not a database at all" * 50)
    at = open_page("dashboard/pages/train.py")
    assert not at.exception
    assert "The run store was damaged" in _said(at)
    at.run()
    assert "The run store was damaged" not in _said(at)
    assert len(list(tmp_path.glob("runs.sqlite.damaged-*"))) == 1


def test_deleting_asks_first(no_exception):
    store = RunStore()
    run_id = _finished_run(store, "to delete")
    at = open_page("dashboard/pages/train.py")
    at.selectbox(key="train.manage!").set_value(run_id).run()
    assert run_id in [r["id"] for r in store.list()]  # choosing it deletes nothing
    at.button(key="train.delete!").click().run()
    no_exception(at)
    assert run_id not in [r["id"] for r in store.list()]
