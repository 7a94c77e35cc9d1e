"""The LSTM against the n-gram baseline (``core.language.ngram``): the chart's reading, computed
from both curves, and the two character by character on the validation text, by kind of
context (Karpathy et al.'s comparison)."""
from __future__ import annotations

import numpy as np

from core.language.ngram import Baseline, split_ids


def reading(bits: dict[int, float], val_losses: list[float | None]) -> str:
    """What the chart's baseline says, computed: validation bits per character for each n, the
    best, and the LSTM's best validation so far against it (``val_losses`` in nats, per
    epoch)."""
    best = min(bits, key=bits.get)
    table = ", ".join(f"n = {n}: {b:.2f}" for n, b in bits.items())
    text = (f"Character n-gram models on the same validation text (bits per character, lower "
            f"is better): {table}. More context helps up to n = {best}"
            + ("; beyond it the longer contexts are too rare in the training text to count on."
               if best < max(bits) else "."))
    lstm = [loss / np.log(2) for loss in val_losses if loss is not None and np.isfinite(loss)]
    if lstm:
        gap = min(lstm) - bits[best]
        last = "the last character" if best == 2 else f"the last {best - 1} characters"
        text += (f" The LSTM's best validation so far: {min(lstm):.2f} bits, "
                 + ("level with the best n-gram." if abs(gap) < 0.005 else
                    f"{-gap:.2f} below the best n-gram: it uses more than {last}." if gap < 0
                    else f"{gap:.2f} above the best n-gram: so far it has learned less than "
                         f"counting {last} gives."))
    return text


CONTEXTS = ("inside quotes", "inside brackets", "first letter of a word", "after a space",
            "20+ characters into a quote or bracket", "everything else")
AT = {"first letter of a word": "on the first letter of a word",  # each context in a sentence
      "everything else": "everywhere else"}


def signed(value: float, places: int = 2) -> str:
    """``value`` with its sign, never "-0.00" for a value that rounds to zero."""
    return f"{round(value, places) + 0.0:+.{places}f}"


def head_to_head_reading(mean_gain: float, characters: int, rows: list[dict]) -> str:
    """What the character-by-character table says: the LSTM's mean gain in bits per character
    over the n-gram, and the kinds of context where it does better."""
    wins = [AT.get(r["context"], r["context"]) for r in rows if r["LSTM better by (bits)"] > 0]
    return (f"Over {characters:,} characters the LSTM is {signed(mean_gain)} bits per character "
            "against the n-gram" + (f"; it does better {', '.join(wins)}." if wins else
                                    "; it does better in no kind of context yet (train it "
                                    "longer)."))


def head_to_head(text: str, lstm: np.ndarray, ngram_p: np.ndarray) -> tuple[np.ndarray, list[dict]]:
    """Karpathy et al.'s comparison on ``text`` (whose characters 1 … end were predicted with
    probabilities ``lstm`` and ``ngram_p``): per character, log2 P(LSTM) − log2 P(n-gram)
    (positive: the LSTM was surer of the true character), and a row per kind of context with
    each model's bits per character there."""
    from core.rnn import cells

    gain = np.log2(lstm) - np.log2(ngram_p)
    props = cells.properties(text)
    quotes, brackets = props["inside quotes"][1:], props["inside brackets"][1:]
    word = props["position in the word"][1:]
    letters = np.array([ch.isalpha() for ch in text[1:]])
    after_space = np.array([ch == " " for ch in text[:-1]])
    inside = np.maximum(quotes, brackets)
    depth = np.zeros(len(inside))  # characters since the opening quote or bracket
    for t in range(1, len(inside)):
        depth[t] = depth[t - 1] + 1 if inside[t] and inside[t - 1] else 0
    kinds = {"inside quotes": quotes > 0, "inside brackets": brackets > 0,
             "first letter of a word": letters & (word == 0), "after a space": after_space,
             "20+ characters into a quote or bracket": depth >= 20}
    kinds["everything else"] = ~np.any(list(kinds.values()), axis=0) if len(gain) else \
        np.zeros(0, bool)
    rows = []
    for name in CONTEXTS:
        at = kinds[name]
        if at.any():
            rows.append({"context": name, "characters": int(at.sum()),
                         "LSTM bits/char": float(-np.log2(lstm[at]).mean()),
                         "n-gram bits/char": float(-np.log2(ngram_p[at]).mean()),
                         "LSTM better by (bits)": float(gain[at].mean())})
    return gain, rows


def validation_head_to_head(generator, config, baseline: Baseline, length: int = 1500):
    """:func:`head_to_head` on the first ``length`` characters of ``config``'s validation
    text, both models reading it from its start: (the characters, gains, rows); None when the
    model's alphabet is not the one its text gives (a model saved by other means), so the two
    cannot be set side by side."""
    from core.language import charlm

    if list(generator.chars) != list(baseline.chars):
        return None
    text = charlm.load_corpus(config)
    ids = charlm.encode(text, baseline.chars)
    split = split_ids(ids, config.val_share)
    window = ids[split:split + length]
    shown = "".join(baseline.chars[i] for i in window)
    lstm = generator.probabilities_of(shown)
    ngram_p = baseline.model.probabilities(window, n=baseline.best)[1:]
    gain, rows = head_to_head(shown, lstm, ngram_p)
    return list(shown[1:]), gain, rows
