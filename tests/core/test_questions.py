"""The built-in questions' answers, each computed by a ``core`` function on tiny data and
checked against a value worked out by hand here; reading and tallying answers; the real data
where it is cheap."""
from __future__ import annotations

import numpy as np
import pytest

from core.embeddings.space import EmbeddingSpace
from core.questions import answers, builtin
from core.questions.model import PAGES, Ask, NotReady, Question, Reveal, is_right, read_answer, \
    tally
from core.tokens.ngrams import ngram_statistics
from tests.conftest import requires_mirror

CHOICE = Question("t.c", "text", "Pick", lambda ask: Reveal("b", ""), ("a", "b", "c"))
NUMBER = Question("t.n", "train", "How many", lambda ask: Reveal(100.0, ""), tolerance=0.05)


def test_answers_are_read_or_refused_with_a_message():
    assert read_answer(CHOICE, " b ") == "b"
    assert read_answer(NUMBER, "1,200") == "1200" and read_answer(NUMBER, "0.85") == "0.85"
    for raw, says in (("", "give an answer"), (None, "give an answer"), ("x" * 101, "at most 100"),
                      ("many", "not a number"), ("nan", "finite"), ("1e999", "finite")):
        with pytest.raises(ValueError, match=says):
            read_answer(NUMBER, raw)
    with pytest.raises(ValueError, match="pick one"):
        read_answer(CHOICE, "d")
    with pytest.raises(ValueError, match="pick one"):
        read_answer(CHOICE, "ц😀")


def test_a_number_is_right_within_its_tolerance():
    assert is_right(NUMBER, "104", 100.0) and is_right(NUMBER, "95", 100.0)
    assert not is_right(NUMBER, "106", 100.0) and not is_right(CHOICE, "a", "b")


def test_a_tally_counts_every_choice_and_bins_numbers():
    assert tally(CHOICE, ["a", "b", "b"], "b").counts == {"a": 1, "b": 2, "c": 0}
    assert tally(CHOICE, ["a", "b", "b"], "b").right == 2
    numbers = tally(NUMBER, ["0", "80", "10", "0"])
    assert numbers.answered == 4 and sum(numbers.counts.values()) == 4
    assert list(numbers.counts.values())[0] == 2 and list(numbers.counts.values())[-1] == 1
    assert tally(NUMBER, ["5", "5"]).counts == {"5": 2}


def test_distinct_word_pairs_counted_by_hand():
    # "the cat sat" + "the cat ran": pairs (the cat), (cat sat), (cat ran): 3 distinct of 4
    table, _ = ngram_statistics(["the cat sat", "the cat ran"], 2)
    shown = answers.distinct_pairs(table)
    assert shown.rows[1] == {"n": 2, "distinct": 3, "running": 4}
    assert shown.answer == "about 10,000"  # 3 is nearest 10,000 of the choices
    assert answers.magnitude(2_900_000) == "about 1,000,000"
    assert answers.magnitude(3_300_000) == "about 10,000,000"  # log10 3.3M = 6.52


def test_the_bag_of_words_twins_are_the_reordered_pair():
    shown = answers.same_bag([("dog bites man", "man bites dog"), ("good film", "good good film")])
    assert shown.answer == "“dog bites man” and “man bites dog”"
    assert [r["same bag"] for r in shown.rows] == [True, False]
    with pytest.raises(ValueError, match="exactly one"):
        answers.same_bag([("good film", "bad film")])


def _space():
    # "bad" is (1, 0); "awful" is nearest it at 45 degrees less than 10 degrees away ...
    words = ["bad", "awful", "poor", "good", "king", "man", "woman", "queen"]
    vectors = np.array([[1, 0, 0], [0.98, 0.17, 0], [0.7, 0.7, 0], [-1, 0.1, 0],
                        [0, 1, 1], [0, 1, 0], [0, 0.2, 0.9], [0.1, 0.2, 1.9]], np.float32)
    return EmbeddingSpace(words, vectors)


def test_nearest_word_and_analogy_on_a_space_made_by_hand():
    space = _space()
    near = answers.nearest_word(space, "bad", ("poor", "awful", "good"))
    assert near.answer == "awful" and near.rows[1]["rank"] == 1 and near.rows[0]["rank"] == 2
    assert answers.ranked_choices(["x", "b", "a", "c"], (1, 3)) == ("a", "x")
    # king - man + woman = (0, 0.2, 1.9) (unit vectors aside): queen's direction exactly
    found = answers.analogy(space, "man", "king", "woman", ("queen", "poor"))
    assert found.answer == "queen" and found.rows[0]["rank"] == 1


def test_layer_and_model_parameters_by_hand():
    gru = answers.layer_parameters("gru", 32, 32)
    assert gru.answer == 3 * 32 * (32 + 32 + 2) == 6336
    lstm = answers.layer_parameters("lstm", 32, 32)
    assert lstm.answer == 4 * 32 * (32 + 32 + 1) == 8320
    rows = [{"layer": "embedding", "type": "Embedding", "parameters": 320_000},
            {"layer": "lstm", "type": "LSTM", "parameters": 8320},
            {"layer": "out", "type": "Dense", "parameters": 33}]
    assert answers.parameters(rows, 328_353, "it").answer == 328_353


def test_the_best_model_after_n_epochs_from_the_class_runs():
    runs = [{"id": 1, "status": "finished", "config": {"kind": "cnn"}},
            {"id": 2, "status": "finished", "config": {"kind": "lstm"}},
            {"id": 3, "status": "finished", "config": {"kind": "lstm"}},
            {"id": 4, "status": "running", "config": {"kind": "cnn"}}]
    epochs = {1: [{"step": 1, "val_accuracy": 0.7}, {"step": 2, "val_accuracy": 0.86}],
              2: [{"step": 1, "val_accuracy": 0.6}, {"step": 2, "val_accuracy": 0.84}],
              3: [{"step": 1, "val_accuracy": 0.9}, {"step": 2, "val_accuracy": 0.88}],
              4: [{"step": 1, "val_accuracy": 0.99}, {"step": 2, "val_accuracy": 0.99}]}
    shown = answers.best_model(runs, epochs.get, ("cnn", "lstm"), 2)
    assert shown.answer == "lstm" and shown.rows[0]["run"] == 3  # 0.88 at epoch 2 beats 0.86
    with pytest.raises(NotReady) as missing:
        answers.best_model(runs, epochs.get, ("cnn", "lstm", "gru"), 2)
    assert missing.value.start == ("gru",) and "gru" in str(missing.value)


def test_best_order_gradient_race_and_temperature_by_hand():
    assert answers.best_order({1: 4.3, 2: 3.1, 3: 3.4}, "x").answer == "2"
    race = answers.gradient_race(np.array([1e-8, 1.0]), np.array([20.0, 1.0]), 2)
    assert race.answer == "the LSTM's, gates held open"
    assert answers.gradient_race(np.array([0.5, 1.0]), np.array([2.0, 1.0]), 2).answer == \
        "about the same (within 10 times)"
    assert answers.real_word_share("the cat xq, the", {"the", "cat"}) == 0.75
    shown = answers.which_temperature({"0.2": "the the", "1.5": "qx the"}, {"the"}, "1.5")
    assert shown.answer == "1.5" and [r["real words"] for r in shown.rows] == [1.0, 0.5]
    assert {answers.temperature_of(s) for s in range(8)} == set(answers.TEMPERATURES)


def test_two_built_in_questions_on_every_page_that_teaches():
    assert len(builtin.QUESTIONS) >= 10
    for page in PAGES:
        assert sum(q.page == page for q in builtin.QUESTIONS) >= 2, page
    assert len({q.id for q in builtin.QUESTIONS}) == len(builtin.QUESTIONS)


@pytest.mark.slow
@requires_mirror
def test_the_cheap_built_in_answers_on_the_real_data():
    found = {q.id: q for q in builtin.QUESTIONS}
    assert found["text.pairs"].reveal(Ask()).answer == "about 1,000,000"
    assert found["emb.awful"].reveal(Ask()).answer == "horrible"
    assert found["emb.queen"].reveal(Ask()).answer == "queen"
    assert found["gen.order"].reveal(Ask()).answer in found["gen.order"].options()
    assert found["inside.gru"].reveal(Ask()).answer == 6336
