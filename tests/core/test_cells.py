"""Cells that count: the properties of a text, a planted unit found first, gate saturation."""
from __future__ import annotations


import numpy as np
import pytest

from core.rnn import cells

TEXT = 'He said "no (not now)" and left.\nThen "yes".'


def test_the_properties_of_a_text():
    props = cells.properties(TEXT, r"\bn\w+")
    quotes = props["inside quotes"]
    assert quotes[TEXT.index('"no') + 1] == 1 and quotes[TEXT.index("and")] == 0
    assert quotes[TEXT.index("yes")] == 1 and quotes[0] == 0
    brackets = props["inside brackets"]
    assert brackets[TEXT.index("not")] == 1 and brackets[TEXT.index('no (')] == 0
    assert props["position in the line"][TEXT.index("Then") + 1] == 1
    assert props["position in the line"][TEXT.index("\n")] == TEXT.index("\n")  # it ends its line
    assert props["position in the word"][TEXT.index("said") + 2] == 2
    assert props["after punctuation"][TEXT.index("\n")] == 1
    matched = props[r"matches \bn\w+"]
    assert matched[TEXT.index("now")] == 1 and matched[TEXT.index("He")] == 0


def test_a_planted_unit_that_tracks_quotes_ranks_first():
    rng = np.random.default_rng(0)
    text = ('a "quoted bit" then plain words and "another quote" here ' * 40)
    quotes = cells.properties(text)["inside quotes"]
    states = rng.normal(0, 1, (len(text), 16))
    states[:, 11] = -2 * quotes + rng.normal(0, 0.3, len(text))  # follows it by going down
    ranked = cells.rank_units(states, {"inside quotes": quotes})["inside quotes"]
    assert ranked["units"][0] == 11 and ranked["scores"][0] < -0.9


def test_properties_that_never_change_and_bad_patterns_are_said():
    ranked = cells.rank_units(np.ones((5, 3)), cells.properties("abcde"))
    assert ranked["inside quotes"]["units"] == [] and "does not change" in ranked["inside quotes"]["why"]
    with pytest.raises(ValueError, match="does not compile"):
        cells.properties("text", "([")
    assert cells.properties("", "x")["matches x"].size == 0
    assert cells.properties("abc", "zzz")["matches zzz"].sum() == 0


def test_gate_saturation_fractions():
    gate = np.array([[0.05, 0.5], [0.95, 0.5], [0.99, 0.02], [0.5, 0.5]])
    closed, opened = cells.saturation(gate)
    assert closed.tolist() == [0.25, 0.25] and opened.tolist() == [0.5, 0.0]


def test_on_ten_thousand_characters_each_planted_unit_leads_its_property():
    """Units planted to follow a property (plus noise, among 128 noisy ones) are ranked first
    for it, with the sign of their link; the typed expression's too (speed: bench/cells.py)."""
    text = ('"a quote" (a bracket) and walking words.\n' * 320)[:10_000]
    props = cells.properties(text, r"\w+ing")
    states = np.random.default_rng(1).normal(size=(len(text), 128))
    planted = {"inside quotes": (7, 1.0), "inside brackets": (40, -1.0),
               "matches \\w+ing": (99, 1.0)}
    for name, (unit, sign) in planted.items():
        states[:, unit] += 3 * sign * props[name]
    ranked = cells.rank_units(states, props)
    for name, (unit, sign) in planted.items():
        assert ranked[name]["units"][0] == unit and np.sign(ranked[name]["scores"][0]) == sign


def test_the_saturation_sentence_is_read_off_the_plot():
    """Issue 34: the caption quoted 'forget gates right up against open' beside a plot whose
    forget gates were open less than half the time. Now the sentence is the plot's, counted."""
    from core.rnn import cells

    gate = np.array([[0.95, 0.5, 0.05, 0.99]] * 6 + [[0.95, 0.5, 0.5, 0.2]] * 4)  # time × units
    said = cells.saturation_reading({"forget": cells.saturation(gate)})
    assert said == ("forget gate: 2 of 4 units almost fully open more than half the time, 1 "
                    "almost shut more than half the time (the middle unit: open 30%, shut 0% "
                    "of the time).")
