"""Sampling from a char-level language model: temperature, and stateful generation.

The generator reads the prime text once and then carries the LSTM state forward one character
per step in numpy (no window of 60 characters re-read through ``model.predict`` each time).
"""
from __future__ import annotations

import math

import numpy as np

from core.rnn.recurrence import lstm_update

RARE = "\ufffd"  # the marker a model reads and writes for characters outside its alphabet


def to_alphabet(text: str, chars) -> tuple[str, list[str]]:
    """``text`` as a model with alphabet ``chars`` can read it, and the characters that were
    outside it (sorted). They become RARE when the alphabet has it, else they are left out.
    Every path that feeds text to a char model (training samples, the lab's prime, the gates
    view) goes through here, so they all agree."""
    known = set(chars)
    outside = sorted({ch for ch in text if ch not in known})
    if not outside:
        return text, []
    marker = RARE if RARE in known else ""
    return "".join(ch if ch in known else marker for ch in text), outside


def reweight_distribution(probs, temperature: float) -> np.ndarray:
    """The lecture's p -> exp(log(p) / T), renormalised; T = 0 is greedy (one-hot on argmax).

    Zeros stay zero (never NaN); T must be finite and >= 0."""
    if not isinstance(temperature, (int, float)) or not math.isfinite(temperature) or temperature < 0:
        raise ValueError(f"temperature must be a finite number >= 0, got {temperature}")
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim != 1 or not len(probs) or (probs < 0).any() or not probs.sum() > 0:
        raise ValueError("probs must be a non-empty 1-D array of non-negative numbers with a "
                         "positive sum")
    if temperature == 0:
        out = np.zeros_like(probs)
        out[np.argmax(probs)] = 1.0
        return out
    with np.errstate(divide="ignore"):
        logits = np.log(probs) / temperature  # log(0) = -inf -> weight 0 below
    logits -= logits.max()
    weights = np.exp(logits)
    return weights / weights.sum()


def entropy_bits(probs) -> float:
    """Shannon entropy in bits (0 log 0 = 0)."""
    p = np.asarray(probs, dtype=np.float64)
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum()) + 0.0  # + 0.0: never "-0.00 bits"


def repeating_tail(text: str, times: int = 3) -> str | None:
    """The shortest block repeated at least ``times`` times at the end of ``text`` (how greedy
    decoding shows it is stuck in a loop), or None."""
    for period in range(1, len(text) // times + 1):
        if text.endswith(text[-period:] * times):
            return text[-period:]
    return None


def sample(probs, temperature: float, rng: np.random.Generator) -> int:
    """One index drawn from ``probs`` reweighted by ``temperature`` with an explicit generator."""
    p = reweight_distribution(probs, temperature)
    return int(np.argmax(p)) if temperature == 0 else int(rng.choice(len(p), p=p))


class StatefulGenerator:
    """Next-character distributions of a trained char model, one character per step.

    Works for the two model shapes :mod:`core.language.charlm` builds: one-hot input (CategoryEncoding)
    or an Embedding, then an LSTM, then a Dense output (softmax or logits)."""

    def __init__(self, model, chars: list[str]):
        import keras

        self.chars = list(chars)
        self.stoi = {ch: i for i, ch in enumerate(self.chars)}
        lstm = next(l for l in model.layers if isinstance(l, keras.layers.LSTM))
        dense = model.layers[-1]
        kernel, self.recurrent, bias = (np.asarray(w, np.float64) for w in lstm.get_weights())
        embed = next((l for l in model.layers if isinstance(l, keras.layers.Embedding)), None)
        table = (np.asarray(embed.get_weights()[0], np.float64) if embed is not None
                 else np.eye(len(self.chars)))
        self.input_table = table @ kernel + bias  # row i: the LSTM's input term for char i
        self.kernel_out, self.bias_out = (np.asarray(w, np.float64) for w in dense.get_weights())
        self.softmax_output = dense.get_config().get("activation") == "softmax"
        self.units = self.recurrent.shape[0]
        self.reset()

    def reset(self) -> None:
        self.h = np.zeros((1, self.units))
        self.c = np.zeros((1, self.units))

    def step(self, index: int) -> np.ndarray:
        """Feed one character id; returns P(next character), shape (len(chars),)."""
        z = self.input_table[index][None, :] + self.h @ self.recurrent
        self.h, self.c, _ = lstm_update(z, self.c)
        logits = (self.h @ self.kernel_out + self.bias_out)[0]
        logits = logits - logits.max()
        p = np.exp(logits)  # both output kinds end in a softmax over these scores
        return p / p.sum()

    def prime(self, text: str) -> np.ndarray:
        """Reset, read ``text`` once (mapped by :func:`to_alphabet`), return P(next character)."""
        text, _ = to_alphabet(text, self.chars)
        if not text:
            raise ValueError("the prime text is empty (or has no character the model knows)")
        self.reset()
        for ch in text:
            probs = self.step(self.stoi[ch])
        return probs

    def generate(self, prime: str, length: int, temperature: float, rng: np.random.Generator
                 ) -> tuple[str, np.ndarray]:
        """``length`` new characters after ``prime``, and the probability each had when drawn."""
        probs = self.prime(prime)
        out, chosen = [], np.empty(length)
        for t in range(length):
            index = sample(probs, temperature, rng)
            chosen[t] = probs[index]
            out.append(self.chars[index])
            probs = self.step(index)
        return "".join(out), chosen
