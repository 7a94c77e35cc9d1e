"""Sampling from a char-level language model: temperature, and stateful generation.

The generator reads the prime text once and then carries the LSTM state forward one character
per step in numpy (no window of 60 characters re-read through ``model.predict`` each time).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

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


def char_vectors(model, vocab: int) -> np.ndarray:
    """What a char model's LSTM reads for each character id, (vocab, dim): its Embedding's
    rows, or the lecture's one-hot rows."""
    import keras

    embed = next((l for l in model.layers if isinstance(l, keras.layers.Embedding)), None)
    return (np.asarray(embed.get_weights()[0]) if embed is not None
            else np.eye(vocab, dtype="float32"))


@dataclass(frozen=True)
class GenState:
    """Where a generator stands after reading some text: the LSTM's state and P(next char)."""
    h: np.ndarray  # (1, units)
    c: np.ndarray  # (1, units)
    probs: np.ndarray  # (len(chars),)


class StatefulGenerator:
    """Next-character distributions of a trained char model, one character per step.

    Works for the two model shapes :mod:`core.language.charlm` builds: one-hot input
    (CategoryEncoding) or an Embedding, then an LSTM, then a Dense output (softmax or logits).
    The generator holds only the model's weights: where it stands in a text is an explicit
    :class:`GenState`, so one generator can serve every session and sampler at once."""

    def __init__(self, model, chars: list[str]):
        import keras

        self.chars = list(chars)
        self.stoi = {ch: i for i, ch in enumerate(self.chars)}
        lstm = next(l for l in model.layers if isinstance(l, keras.layers.LSTM))
        dense = model.layers[-1]
        kernel, self.recurrent, bias = (np.asarray(w, np.float64) for w in lstm.get_weights())
        table = np.asarray(char_vectors(model, len(self.chars)), np.float64)
        self.input_table = table @ kernel + bias  # row i: the LSTM's input term for char i
        self.kernel_out, self.bias_out = (np.asarray(w, np.float64) for w in dense.get_weights())
        self.units = self.recurrent.shape[0]

    def step(self, index: int, h: np.ndarray, c: np.ndarray,
             clamp: tuple[int, float] | None = None):
        """Feed character id ``index`` to state (h, c): (P(next character), new h, new c).
        ``clamp`` = (unit, value) holds that unit's carry at value (its h follows)."""
        z = self.input_table[index][None, :] + h @ self.recurrent
        h, c, gates = lstm_update(z, c)
        if clamp is not None:
            unit, value = clamp
            c, h = c.copy(), h.copy()
            c[0, unit] = value
            h[0, unit] = gates["output"][0, unit] * np.tanh(value)
        logits = (h @ self.kernel_out + self.bias_out)[0]
        p = np.exp(logits - logits.max())  # both output kinds end in a softmax over these
        return p / p.sum(), h, c

    def read(self, text: str, clamp: tuple[int, float] | None = None) -> GenState:
        """The state after reading ``text`` from an empty state (mapped by :func:`to_alphabet`)."""
        text, _ = to_alphabet(text, self.chars)
        if not text:
            raise ValueError("the prime text is empty (or has no character the model knows)")
        h, c = np.zeros((1, self.units)), np.zeros((1, self.units))
        for ch in text:
            probs, h, c = self.step(self.stoi[ch], h, c, clamp)
        return GenState(h, c, probs)

    def probabilities_of(self, text: str) -> np.ndarray:
        """P(text[t] | text[:t]) for t = 1 … len(text) − 1, from an empty state (``text`` in
        the model's alphabet already)."""
        h, c = np.zeros((1, self.units)), np.zeros((1, self.units))
        out = np.empty(max(len(text) - 1, 0))
        for t, ch in enumerate(text[:-1]):
            probs, h, c = self.step(self.stoi[ch], h, c)
            out[t] = probs[self.stoi[text[t + 1]]]
        return out

    def bits_carried(self, ids: np.ndarray, streams: int = 64) -> float:
        """Mean −log2 P(ids[t + 1] | ids[: t + 1]) with the state carried through the text,
        as the n-gram baseline reads it, not restarted every sequence: the text is cut into
        ``streams`` contiguous parts read side by side (each part starts from an empty state
        once), so the whole validation text costs len / streams steps."""
        ids = np.asarray(ids, dtype=np.int64)
        streams = max(1, min(streams, (len(ids) - 1) // 2))
        steps = (len(ids) - 1) // streams
        rows = np.arange(streams)[:, None] * steps + np.arange(steps + 1)[None, :]
        parts = ids[rows]  # (streams, steps + 1): each part and the character after it
        h, c = np.zeros((streams, self.units)), np.zeros((streams, self.units))
        total = 0.0
        for t in range(steps):
            h, c, _ = lstm_update(self.input_table[parts[:, t]] + h @ self.recurrent, c)
            logits = h @ self.kernel_out + self.bias_out
            logits -= logits.max(axis=1, keepdims=True)
            log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
            total -= log_p[np.arange(streams), parts[:, t + 1]].sum()
        return float(total / (streams * steps) / np.log(2))

    def prime(self, text: str) -> np.ndarray:
        """P(next character) after reading ``text``."""
        return self.read(text).probs

    def sample_from(self, state: GenState, length: int, temperature: float,
                    rng: np.random.Generator, clamp: tuple[int, float] | None = None
                    ) -> tuple[str, np.ndarray]:
        """``length`` new characters from ``state``, and the probability each had when drawn;
        ``state`` itself is left as it was. ``clamp``: see :meth:`step`."""
        probs, h, c = state.probs, state.h, state.c
        out, chosen = [], np.empty(length)
        for t in range(length):
            index = sample(probs, temperature, rng)
            chosen[t] = probs[index]
            out.append(self.chars[index])
            probs, h, c = self.step(index, h, c, clamp)
        return "".join(out), chosen

    def generate(self, prime: str, length: int, temperature: float, rng: np.random.Generator,
                 clamp: tuple[int, float] | None = None) -> tuple[str, np.ndarray]:
        """``length`` new characters after ``prime``, and the probability each had when drawn
        (with ``clamp``, one unit's carry held at a value throughout: see :meth:`step`)."""
        return self.sample_from(self.read(prime, clamp), length, temperature, rng, clamp)


@dataclass(frozen=True)
class LabResult:
    """The temperature lab for one prime: the model's next-character distribution and its
    reweighting, a generated text with each character's probability, and the same prime
    continued at several temperatures with the same sampler seed."""
    raw: np.ndarray
    reweighted: np.ndarray
    text: str
    probs: np.ndarray
    loop: str | None  # greedy decoding's repeating tail, when T = 0
    side_by_side: dict[float, str]


def temperature_lab(gen: StatefulGenerator, prime: str, temperature: float, length: int,
                    seed: int, temperatures=(0.0, 0.2, 0.5, 1.0, 1.2), side_length: int = 400
                    ) -> LabResult:
    """Everything the lab shows, reading the prime once."""
    state = gen.read(prime)
    text, probs = gen.sample_from(state, length, temperature, np.random.default_rng(seed))
    side = {t: gen.sample_from(state, min(length, side_length), t, np.random.default_rng(seed))[0]
            for t in temperatures}
    return LabResult(state.probs, reweight_distribution(state.probs, temperature), text, probs,
                     repeating_tail(text) if temperature == 0 else None, side)


def epoch_callbacks(store, run_id: int, text: str, chars: list[str], val_ids: np.ndarray,
                    metrics) -> list:
    """A char run's Keras callbacks around ``metrics`` (the store's): at each epoch's end, from
    one reading of the weights, the validation bits per character with the state carried
    (``val_bits_carried``, as the n-gram reads the same text; put in the logs before
    ``metrics`` records the epoch) and a sample at T = 0.5."""
    import keras

    class EpochEnd(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if metrics.diverged:
                return
            gen = StatefulGenerator(self.model, chars)
            if logs is not None and not self.model.stop_training and len(val_ids) > 2:
                logs["val_bits_carried"] = gen.bits_carried(val_ids)
            prime, _ = to_alphabet(text[-200:], chars)
            out, _ = gen.generate(prime, 200, 0.5, np.random.default_rng(epoch))
            store.log(run_id, "sample", epoch + 1, {"prime": prime[-60:], "text": out,
                                                    "epoch_x": metrics.epoch_x})

    return [EpochEnd(), metrics]


TRACE_CHARS = 2_000  # what Inside the RNN reads with a char model (its help says so)


def trace_text(model, chars: list[str], lower: bool, text: str, limit: int = TRACE_CHARS):
    """(characters read, the LSTM's states and gates over them) for a char model and typed
    text, read through the same alphabet mapping as generation; at most ``limit`` characters."""
    from core.rnn import inside

    read, _ = to_alphabet(text.lower() if lower else text, chars)
    read = read[:limit]
    stoi = {ch: i for i, ch in enumerate(chars)}
    steps = inside.trace("lstm", char_vectors(model, len(chars))[[stoi[ch] for ch in read]],
                         inside.layer_weights(model.get_layer("lstm")))
    return list(read), steps
