"""The character n-gram baseline: proper distributions, Witten–Bell by hand, honest scoring."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.language.ngram import NgramLM, baseline, split_ids

TEXT = np.array([0, 1, 2, 0, 1, 2, 0, 1, 3, 0, 1, 2])  # "abcabcabdabc" over a 5-letter alphabet


def test_every_context_seen_or_not_gets_a_distribution_that_sums_to_one():
    model = NgramLM(TEXT, 5, 4)
    for length in range(4):
        for context in itertools.product(range(5), repeat=length):  # 4 (never seen) included
            for n in range(1, 5):
                p = model.distribution(list(context), n)
                assert p.sum() == pytest.approx(1.0) and (p > 0).all(), (context, n)


def test_witten_bell_by_hand():
    model = NgramLM(TEXT, 5, 2)
    uniform = 1 / 5
    unigram = {c: (np.sum(TEXT == c) + 4 * uniform) / (12 + 4) for c in range(5)}  # 4 types
    # after "b" (id 1): "c" three times, "d" once: C(b) = 4, T(b) = 2
    after_b = {c: ((3 if c == 2 else 1 if c == 3 else 0) + 2 * unigram[c]) / (4 + 2)
               for c in range(5)}
    assert model.distribution([1], 2) == pytest.approx([after_b[c] for c in range(5)])
    assert model.distribution([4], 2) == pytest.approx([unigram[c] for c in range(5)])  # unseen
    # "a" is always followed by "b": C(a) = 4, T(a) = 1; the text's second character is a "b"
    assert model.probabilities(TEXT, n=2)[1] == pytest.approx((4 + 1 * unigram[1]) / (4 + 1))


def test_scores_use_only_the_training_part_and_improve_with_context_on_real_structure():
    rng = np.random.default_rng(0)
    pattern = np.tile(np.arange(6), 400)  # a cycle: one character of context predicts all
    noisy = np.where(rng.random(len(pattern)) < 0.02, rng.integers(0, 6, len(pattern)), pattern)
    bits = baseline(noisy, 6, 0.2, max_n=4)
    assert bits[1] == pytest.approx(np.log2(6), abs=0.05)  # no context: about uniform here
    assert bits[2] < 0.5 < bits[1]
    split = split_ids(noisy, 0.2)
    model = NgramLM(noisy[:split], 6, 4)
    changed = noisy.copy()
    changed[split:] = 0  # the validation part is never counted: changing it changes no count
    assert all((a.context_count == b.context_count).all() for a, b in
               zip(model.orders, NgramLM(changed[:split], 6, 4).orders))


def test_generation_follows_the_model_and_greedy_is_deterministic():
    model = NgramLM(np.tile(np.arange(4), 50), 4, 3)
    assert model.generate([0, 1], 6, 0.0) == [2, 3, 0, 1, 2, 3]
    assert model.generate([0], 20, 1.0, seed=1) == model.generate([0], 20, 1.0, seed=1)


@pytest.mark.parametrize("bad", [np.array([], int), np.array([0, 9])])
def test_bad_texts_and_orders_are_refused(bad):
    with pytest.raises(ValueError):
        NgramLM(bad, 5, 3)
    with pytest.raises(ValueError, match="n must be"):
        NgramLM(TEXT, 5, 10)


def test_the_head_to_head_compares_the_same_characters_by_kind_of_context():
    from core.language.comparison import head_to_head

    text = 'a "quoted" word (and brackets) here'
    lstm = np.full(len(text) - 1, 0.5)
    ngram_p = np.full(len(text) - 1, 0.25)
    gain, rows = head_to_head(text, lstm, ngram_p)
    assert gain == pytest.approx(np.ones(len(text) - 1))  # 1 bit better everywhere
    by = {r["context"]: r for r in rows}
    assert by["inside quotes"]["characters"] == len('quoted"') + 1  # opening quote to closing
    assert by["first letter of a word"]["LSTM bits/char"] == pytest.approx(1.0)
    assert by["after a space"]["n-gram bits/char"] == pytest.approx(2.0)
    assert sum(by[k]["characters"] for k in ("everything else",)) > 0


def test_a_model_whose_alphabet_is_not_its_texts_is_not_compared():
    from types import SimpleNamespace

    from core.language.comparison import validation_head_to_head
    from core.language.ngram import Baseline

    baseline = Baseline(NgramLM(TEXT, 5, 2), list("abcde"), {1: 2.0, 2: 1.0})
    assert validation_head_to_head(SimpleNamespace(chars=list("abc")), None, baseline) is None


def test_the_reading_says_what_the_numbers_show():
    from core.language.comparison import reading

    bits = {1: 4.0, 2: 3.0, 3: 3.2}
    text = reading(bits, [None, 3.0 * np.log(2)])
    assert "helps up to n = 2; beyond it" in text and "level with the best n-gram" in text
    assert "above the best n-gram" in reading(bits, [3.5 * np.log(2)])
    assert "below the best n-gram" in reading(bits, [2.5 * np.log(2)])
    assert "beyond it" not in reading({1: 4.0, 2: 3.0}, [])


def test_the_pages_baseline_is_bounded_and_says_what_it_read(tmp_path, monkeypatch):
    from core.language import charlm, ngram

    (tmp_path / "uploads").mkdir()
    text = ("the quick brown fox jumps over the lazy dog. " * 400)
    (tmp_path / "uploads" / "t.txt").write_text(text, encoding="utf-8")
    config = charlm.CharConfig(corpus="upload:t")
    whole = ngram.for_config(config, tmp_path)
    assert whole.extent() == "" and whole.fitted == whole.training
    monkeypatch.setattr(ngram, "MAX_FIT_CHARS", 5000)
    monkeypatch.setattr(ngram, "MAX_SCORE_CHARS", 300)
    bounded = ngram.for_config(config, tmp_path)
    assert (bounded.fitted, bounded.scored) == (5000, 300)
    assert "counts the last 5,000 of the 16,200 training characters" in bounded.extent()
    # the scored window keeps its context: on a repeating text both score the same
    assert abs(bounded.bits[5] - whole.bits[5]) < 0.05


def test_the_head_to_head_sentence_reads_as_english_and_never_shows_minus_zero():
    from core.language.comparison import head_to_head_reading, signed

    rows = [{"context": c, "LSTM better by (bits)": g} for c, g in
            (("inside quotes", 0.3), ("first letter of a word", 0.1), ("after a space", -0.2),
             ("everything else", 0.02))]
    said = head_to_head_reading(-0.001, 1500, rows)
    assert said == ("Over 1,500 characters the LSTM is +0.00 bits per character against the "
                    "n-gram; it does better inside quotes, on the first letter of a word, "
                    "everywhere else.")
    assert signed(-0.004) == "+0.00" and signed(-0.006) == "-0.01" and signed(0.25) == "+0.25"
    assert "no kind of context yet" in head_to_head_reading(-0.5, 10, rows[2:3])
