"""The character language model's honest baseline: an n-gram model with interpolated
Witten–Bell smoothing, on the same text, alphabet and split as the char LSTMs.

P(c | h) mixes what followed the context h in training with the estimate of the context one
character shorter (Witten & Bell 1991; Chen & Goodman 1998):

    P(c | h) = (C(h c) + T(h) · P(c | h')) / (C(h) + T(h))

where C counts in the training text, T(h) is the number of distinct characters seen after h,
and h' is h without its oldest character; below every context is the uniform 1 / V. A context
never seen falls through to the shorter one, so every context, seen or not, gets a proper
distribution over the alphabet (it sums to 1).

Contexts are integers, as ``core.tokens.ngrams`` makes them (the context of length m is the rank
of the pair: context of length m − 1, the character m places back), never strings: the model is
a few sorted arrays per order, and Nietzsche's 600,000 characters fit and score in seconds.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_ORDER = 9  # n: the character predicted and up to eight before it
MAX_FIT_CHARS = 5_000_000  # the page fits the baseline in the lab's process: about 15 s at most
MAX_SCORE_CHARS = 1_000_000  # validation characters scored (all of them for the curated texts)


@dataclass
class _Order:
    """The counts for contexts of one length m."""
    pairs: np.ndarray  # sorted keys (context of length m − 1) · V + char m back: their rank is the context id
    context_count: np.ndarray  # C(h), by context id
    types: np.ndarray  # T(h): distinct characters seen after h
    follow_keys: np.ndarray  # sorted keys h · V + c of every (h, c) seen
    follow_count: np.ndarray  # C(h c), aligned with follow_keys


class NgramLM:
    """An interpolated Witten–Bell character n-gram model of order ``n`` over ids < ``vocab``."""

    def __init__(self, ids: np.ndarray, vocab: int, n: int = MAX_ORDER):
        if not 1 <= n <= MAX_ORDER:
            raise ValueError(f"n must be in 1..{MAX_ORDER}, got {n}")
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) == 0 or ids.min() < 0 or ids.max() >= vocab:
            raise ValueError("need a non-empty text of ids in [0, vocab)")
        self.vocab, self.n = vocab, n
        self.orders: list[_Order] = []
        context = np.zeros(len(ids), dtype=np.int64)  # the empty context, at every position
        for m in range(n):  # contexts of length m predict the character at t >= m
            if m:
                valid = np.arange(len(ids)) >= m
                keys = context[valid] * vocab + ids[:len(ids) - m]  # add the character m back
                pairs, inverse = np.unique(keys, return_inverse=True)
                context = np.full(len(ids), -1, dtype=np.int64)
                context[valid] = inverse
            else:
                pairs = np.zeros(1, dtype=np.int64)
            at = context >= 0
            follow = context[at] * vocab + ids[at]
            follow_keys, follow_count = np.unique(follow, return_counts=True)
            count = np.bincount(context[at], minlength=len(pairs))
            types = np.bincount(follow_keys // vocab, minlength=len(pairs))
            self.orders.append(_Order(pairs, count, types, follow_keys, follow_count))

    def _contexts(self, ids: np.ndarray, m: int, shorter: np.ndarray) -> np.ndarray:
        """Ids of the length-m context at every position of ``ids`` (−1: never seen in
        training, or the text is too short there), from the length m − 1 ones."""
        if m == 0:
            return np.zeros(len(ids), dtype=np.int64)
        order = self.orders[m]
        out = np.full(len(ids), -1, dtype=np.int64)
        t = np.arange(m, len(ids))
        t = t[shorter[t] >= 0]
        keys = shorter[t] * self.vocab + ids[t - m]
        found = np.searchsorted(order.pairs, keys)
        found = np.minimum(found, len(order.pairs) - 1)
        hit = order.pairs[found] == keys
        out[t[hit]] = found[hit]
        return out

    def _follow(self, m: int, context: np.ndarray, chars: np.ndarray) -> np.ndarray:
        """C(h c) for each (context, char), 0 where unseen (context −1 included)."""
        order = self.orders[m]
        keys = np.where(context >= 0, context * self.vocab + chars, -1)
        found = np.minimum(np.searchsorted(order.follow_keys, keys), len(order.follow_keys) - 1)
        return np.where((context >= 0) & (order.follow_keys[found] == keys),
                        order.follow_count[found], 0)

    def _by_order(self, ids: np.ndarray, n: int):
        """P(ids[t] | the up to m characters before it) for m = 0 … n − 1 in turn: each order
        mixes its counts with the one below."""
        ids = np.asarray(ids, dtype=np.int64)
        p = np.full(len(ids), 1.0 / self.vocab)
        context = np.zeros(len(ids), dtype=np.int64)
        for m in range(n):
            context = self._contexts(ids, m, context)
            order = self.orders[m]
            seen = context >= 0
            h = np.where(seen, context, 0)
            count = np.where(seen, order.context_count[h], 0).astype(float)
            types = np.where(seen, order.types[h], 0).astype(float)
            mixed = (self._follow(m, context, ids) + types * p) / np.maximum(count + types, 1)
            p = np.where(count > 0, mixed, p)
            yield p

    def probabilities(self, ids: np.ndarray, start: int = 0, n: int | None = None) -> np.ndarray:
        """P(ids[t] | the up to n − 1 characters before it) for t >= ``start`` (the text
        before ``start`` is context only), with the model's order or a lower ``n``."""
        *_, p = self._by_order(ids, self.n if n is None else n)
        return p[start:]

    def bits_per_char(self, ids: np.ndarray, start: int = 0) -> dict[int, float]:
        """Mean −log2 P over ``ids[start:]`` (the char LMs' validation figure) for every
        n = 1 … the model's order, in one pass."""
        return {m + 1: float(-np.mean(np.log2(p[start:]))) if len(p) > start else float("nan")
                for m, p in enumerate(self._by_order(ids, self.n))}

    def distribution(self, context_ids: list[int] | np.ndarray, n: int | None = None
                     ) -> np.ndarray:
        """P(c | the last n − 1 of ``context_ids``) for every character c (sums to 1)."""
        n = self.n if n is None else n
        history = np.asarray(context_ids, dtype=np.int64)[-(n - 1):] if n > 1 else \
            np.zeros(0, dtype=np.int64)
        chars = np.arange(self.vocab)
        p = np.full(self.vocab, 1.0 / self.vocab)
        context = 0
        for m in range(n):
            if m:
                if m > len(history):
                    break
                order = self.orders[m]
                key = context * self.vocab + history[-m]
                found = int(np.searchsorted(order.pairs, key))
                if found >= len(order.pairs) or order.pairs[found] != key:
                    break  # never seen: the longer contexts are not either
                context = found
            order = self.orders[m]
            count, types = float(order.context_count[context]), float(order.types[context])
            if count:
                follow = self._follow(m, np.full(self.vocab, context), chars)
                p = (follow + types * p) / (count + types)
        return p

    def generate(self, prime_ids: list[int], length: int, temperature: float, seed: int = 0,
                 n: int | None = None) -> list[int]:
        """``length`` character ids after ``prime_ids``, each drawn from the model's
        distribution reweighted by ``temperature`` (0: always the most likely)."""
        from core.language.generation import sample

        rng = np.random.default_rng(seed)
        out = list(prime_ids)
        for _ in range(length):
            out.append(sample(self.distribution(out, n), temperature, rng))
        return out[len(prime_ids):]


def split_ids(ids: np.ndarray, val_share: float) -> int:
    """Where the char LMs' validation text starts (the end of the corpus held out)."""
    from core.language.charlm import validation_start

    return validation_start(len(ids), val_share)


def baseline(ids: np.ndarray, vocab: int, val_share: float, max_n: int = MAX_ORDER
             ) -> dict[int, float]:
    """Validation bits per character for n = 1 … ``max_n``, fitted on the training part."""
    split = split_ids(ids, val_share)
    return NgramLM(ids[:split], vocab, max_n).bits_per_char(ids, split)


@dataclass
class Baseline:
    """The n-gram baseline of a char LM's config: the model (order MAX_ORDER, fitted on the
    training part), the alphabet it shares with the LSTM, and validation bits per character
    for every n."""
    model: NgramLM
    chars: list[str]
    bits: dict[int, float]
    fitted: int = 0  # training characters counted (at most MAX_FIT_CHARS)
    training: int = 0  # training characters the text has
    scored: int = 0  # validation characters scored (at most MAX_SCORE_CHARS)

    def extent(self) -> str:
        """What the baseline read, when it read less than the whole text (else '')."""
        return "" if self.fitted >= self.training else (
            f" The n-gram counts the last {self.fitted:,} of the {self.training:,} training "
            f"characters and scores the first {self.scored:,} validation characters: the page "
            "fits it in the lab's own process, so its size is bounded.")

    @property
    def best(self) -> int:
        """The n with the fewest validation bits per character."""
        return min(self.bits, key=self.bits.get)

    def write(self, prime: str, length: int, temperature: float, seed: int) -> str:
        """Text the best n writes after ``prime`` (characters outside the alphabet skipped)."""
        stoi = {ch: i for i, ch in enumerate(self.chars)}
        out = self.model.generate([stoi[ch] for ch in prime if ch in stoi], length,
                                  temperature, seed, self.best)
        return "".join(self.chars[i] for i in out)


def same_text(config):
    """The char LM config reduced to what the baseline depends on (corpus, case, rare
    characters, split), so runs that differ only in their network share one baseline."""
    from core.language import charlm

    return charlm.CharConfig(corpus=config.corpus, lower=config.lower,
                             min_count=config.min_count, val_share=config.val_share,
                             max_chars=config.max_chars)


def for_config(config, folder=None) -> Baseline:
    """The baseline for a char LM config (``core.language.charlm.CharConfig``): same corpus,
    case, rare-character rule, alphabet and validation split as the LSTM trains with."""
    from core.language import charlm

    text = charlm.load_corpus(config, folder=folder)
    chars = charlm.alphabet(text, config.min_count)
    ids = charlm.encode(text, chars)
    split = split_ids(ids, config.val_share)
    fitted = ids[max(0, split - MAX_FIT_CHARS):split]
    model = NgramLM(fitted, len(chars), MAX_ORDER)
    context = min(split, MAX_ORDER - 1)  # the first validation characters keep their context
    window = ids[split - context:split + MAX_SCORE_CHARS]
    bits = model.bits_per_char(window, context)
    return Baseline(model, chars, bits, len(fitted), split, len(window) - context)
