"""Cells that count (Karpathy, Johnson & Fei-Fei 2015, "Visualizing and Understanding
Recurrent Networks"): which units of a trained char LSTM follow a named property of the text,
and how saturated its gates are.

A property is a number per character of the text (1/0 for "inside quotes", a count for
"position in the line"); a unit follows it as well as the correlation of its state over the
text with the property says (Pearson, sign kept: a unit can follow "inside quotes" by going
down inside them). Everything is numpy over the states the lab already traces
(``core.rnn.inside.trace``).
"""
from __future__ import annotations

import re

import numpy as np

OPEN_QUOTES, CLOSE_QUOTES = "\"“«", "\"”»"
OPEN_BRACKETS, CLOSE_BRACKETS = "([{", ")]}"
PUNCTUATION = ".,;:!?"


def _quotes(text: str) -> np.ndarray:
    """1 from an opening quote to its closing quote (a plain " toggles)."""
    inside, out = False, np.zeros(len(text))
    for i, ch in enumerate(text):
        if ch == '"':
            out[i] = 1.0
            inside = not inside
            continue
        if ch in OPEN_QUOTES:
            inside = True
        out[i] = float(inside)
        if ch in CLOSE_QUOTES:
            inside = False
    return out


def _brackets(text: str) -> np.ndarray:
    """1 from an opening bracket to its closing one, nested brackets counted."""
    depth, out = 0, np.zeros(len(text))
    for i, ch in enumerate(text):
        if ch in OPEN_BRACKETS:
            depth += 1
        out[i] = float(depth > 0)
        if ch in CLOSE_BRACKETS and depth:
            depth -= 1
    return out


def _line_position(text: str) -> np.ndarray:
    """0 at the first character of each line, 1 at the next, …; a newline ends its line."""
    position, out = 0, np.zeros(len(text))
    for i, ch in enumerate(text):
        out[i] = position
        position = 0 if ch == "\n" else position + 1
    return out


def _word_position(text: str) -> np.ndarray:
    """0 at a word's first letter, 1 at its second, …; 0 outside words."""
    position, out = 0, np.zeros(len(text))
    for i, ch in enumerate(text):
        if ch.isalpha():
            out[i] = position
            position += 1
        else:
            position = 0
    return out


PROPERTIES = {
    "inside quotes": _quotes,
    "inside brackets": _brackets,
    "position in the line": _line_position,
    "position in the word": _word_position,
    "after punctuation": lambda text: np.array([float(i > 0 and text[i - 1] in PUNCTUATION)
                                                for i in range(len(text))]),
}


def properties(text: str, pattern: str | None = None) -> dict[str, np.ndarray]:
    """Every named property of ``text``, one value per character; with ``pattern``, also
    "matches <pattern>": 1 on the characters inside a match. ValueError for a pattern that
    does not compile."""
    out = {name: make(text) for name, make in PROPERTIES.items()}
    if pattern:
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            raise ValueError(f"the regular expression {pattern!r} does not compile: {error}") \
                from None
        inside = np.zeros(len(text))
        for match in compiled.finditer(text):
            inside[match.start():match.end()] = 1.0
        out[f"matches {pattern}"] = inside
    return out


def correlations(states: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Pearson correlation of each unit's state (states: time × units) with ``values`` over
    time; NaN where either does not vary."""
    states = np.asarray(states, float)
    values = np.asarray(values, float)
    s = states - states.mean(axis=0)
    v = values - values.mean()
    norm = np.sqrt((s ** 2).sum(axis=0) * (v ** 2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norm > 1e-12, (s * v[:, None]).sum(axis=0) / norm, np.nan)


def rank_units(states: np.ndarray, props: dict[str, np.ndarray], top: int = 3) -> dict[str, dict]:
    """For each property: the ``top`` units that follow it best (by |correlation|) with their
    correlations, or why none can (the text never changes the property)."""
    out = {}
    for name, values in props.items():
        if len(values) < 2 or np.ptp(values) == 0:
            out[name] = {"units": [], "scores": [],
                         "why": "it does not change over this text"}
            continue
        r = correlations(states, values)
        order = [int(i) for i in np.argsort(-np.nan_to_num(np.abs(r), nan=-1))[:top]]
        out[name] = {"units": order, "scores": [float(r[i]) for i in order], "why": ""}
    return out


def saturation_reading(fractions: dict[str, tuple[np.ndarray, np.ndarray]]) -> str:
    """What the saturation plot shows, computed from it (``fractions``: gate -> :func:`saturation`
    per unit): for each gate, how many units are almost fully open, or almost shut, more than
    half the time, and the middle unit's share of each."""
    parts = []
    for gate, (closed, opened) in fractions.items():
        closed, opened = np.asarray(closed, float), np.asarray(opened, float)
        parts.append(f"{gate} gate: {int((opened > 0.5).sum())} of {len(opened)} units almost "
                     f"fully open more than half the time, {int((closed > 0.5).sum())} almost "
                     f"shut more than half the time (the middle unit: open "
                     f"{np.median(opened):.0%}, shut {np.median(closed):.0%} of the time)")
    return "; ".join(parts) + "."


def saturation(gate: np.ndarray, low: float = 0.1, high: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Per unit, the fraction of time a gate (time × units, in [0, 1]) spends below ``low``
    (closed) and above ``high`` (open): the paper's saturation plot."""
    gate = np.asarray(gate, float)
    return (gate < low).mean(axis=0), (gate > high).mean(axis=0)
