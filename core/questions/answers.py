"""The computations behind the built-in questions, on data they are given (tests hand them tiny
data; ``questions/builtin.py`` hands them the lab's real data). Each returns a
:class:`~core.questions.model.Reveal`: the answer and the numbers that explain it."""
from __future__ import annotations

import math

import numpy as np

from core.questions.model import NotReady, Reveal

MAGNITUDES = (10_000, 100_000, 1_000_000, 10_000_000, 100_000_000)


def magnitude(value: float) -> str:
    """The choice of :data:`MAGNITUDES` nearest ``value`` on a log scale ("about 1,000,000")."""
    best = min(MAGNITUDES, key=lambda m: abs(math.log10(max(value, 1)) - math.log10(m)))
    return f"about {best:,}"


def magnitude_choices() -> tuple[str, ...]:
    return tuple(f"about {m:,}" for m in MAGNITUDES)


def distinct_pairs(table) -> Reveal:
    """How many distinct word pairs a corpus holds, from its n-gram table (rows n, distinct,
    running, as ``core.tokens.ngrams.ngram_statistics`` makes it)."""
    rows = {int(r["n"]): r for r in table.to_dict("records")}
    words, pairs = rows[1], rows[2]
    return Reveal(magnitude(pairs["distinct"]),
                  f"The reviews hold {int(pairs['distinct']):,} distinct word pairs among "
                  f"{int(pairs['running']):,} running pairs, against {int(words['distinct']):,} "
                  f"distinct words: {pairs['distinct'] / words['distinct']:.0f} times as many "
                  "features. A bag of pairs keeps some word order, at that price.",
                  tuple({"n": n, "distinct": int(r["distinct"]), "running": int(r["running"])}
                        for n, r in sorted(rows.items())))


def pair_label(a: str, b: str) -> str:
    return f"“{a}” and “{b}”"


def same_bag(pairs: list[tuple[str, str]]) -> Reveal:
    """Which of ``pairs`` of sentences a bag of words cannot tell apart (equal word counts,
    cosine 1), with each pair's cosine; exactly one pair should be such twins."""
    from core.tokens.text import order_loss

    rows, twins = [], []
    for a, b in pairs:
        bags = order_loss(a, b)
        same = bool(len(bags["features"])) and bool(np.array_equal(bags["a"], bags["b"]))
        rows.append({"pair": pair_label(a, b), "cosine": round(bags["cosine"], 3),
                     "same bag": same})
        if same:
            twins.append(pair_label(a, b))
    if len(twins) != 1:
        raise ValueError(f"exactly one pair must have the same bag of words, found {len(twins)}")
    return Reveal(twins[0], f"{twins[0]} count the same words the same number of times, so their "
                  "bags of words are equal (cosine 1.000): word order is gone. The other pairs "
                  "differ in at least one word's count.", tuple(rows))


def ranked_choices(ranked: list[str], ranks: tuple[int, ...]) -> tuple[str, ...]:
    """The words at ``ranks`` (1-based) of ``ranked``, in alphabetical order (so the order
    gives nothing away)."""
    if len(ranked) < max(ranks):
        raise ValueError(f"need {max(ranks)} ranked words, have {len(ranked)}")
    return tuple(sorted(ranked[r - 1] for r in ranks))


def nearest_word(space, word: str, choices: tuple[str, ...], depth: int = 2000) -> Reveal:
    """Which of ``choices`` is nearest ``word`` in ``space`` (cosine), with each choice's rank
    among all the space's words and its cosine."""
    ranked = [w for w, _ in space.nearest(word, depth)]
    rows = tuple({"word": c, "rank": ranked.index(c) + 1 if c in ranked else None,
                  "cosine": round(space.similarity(word, c), 3)} for c in choices)
    best = max(rows, key=lambda r: r["cosine"])
    return Reveal(best["word"], f"Of {len(space):,} words, the nearest to “{word}” is "
                  f"“{ranked[0]}” (cosine {space.similarity(word, ranked[0]):.3f}). "
                  + " ".join(f"“{r['word']}” ranks {r['rank'] or f'below {depth}'} "
                             f"({r['cosine']:.3f})." for r in sorted(
                                 rows, key=lambda r: -r["cosine"])), rows)


def analogy(space, a: str, b: str, c: str, choices: tuple[str, ...], depth: int = 200) -> Reveal:
    """b − a + c: which of ``choices`` is nearest (the three inputs left out, as word2vec's
    analogies do), and what is nearest when they are kept."""
    found = space.analogy(a, b, c, k=depth)
    ranked = [w for w, _ in found]
    scores = dict(found)
    rows = tuple({"word": w, "rank": ranked.index(w) + 1 if w in ranked else None,
                  "cosine": round(scores[w], 3) if w in scores else None} for w in choices)
    best = min(rows, key=lambda r: r["rank"] or depth + 1)
    unit = space.vectors / np.linalg.norm(space.vectors, axis=1, keepdims=True).clip(1e-12)
    target = unit[space.index(b)] - unit[space.index(a)] + unit[space.index(c)]
    kept = space.nearest(target, 1, exclude=())[0][0]
    return Reveal(best["word"], f"{b} − {a} + {c} lands nearest “{ranked[0]}” (cosine "
                  f"{found[0][1]:.3f}) once the three words are left out; with them kept, the "
                  f"nearest word is “{kept}”. The top five: "
                  + ", ".join(f"{w} ({s:.3f})" for w, s in found[:5]) + ".", rows)


def parameters(rows: list[dict], total: int, what: str) -> Reveal:
    """A model's parameter count from its layer table (``core.classify.models.summary``)."""
    return Reveal(float(total), f"{what} has {total:,} parameters: "
                  + "; ".join(f"{r['layer']} ({r['type']}) {r['parameters']:,}" for r in rows)
                  + ". Nearly all of them are the embedding's table, one row per word.",
                  tuple({"layer": r["layer"], "type": r["type"], "parameters": r["parameters"]}
                        for r in rows))


def layer_parameters(kind: str, inputs: int, units: int) -> Reveal:
    """One recurrent layer's parameters, block by block (``core.rnn.inside.layer_params``)."""
    from core.rnn.inside import layer_params

    blocks = {"simple_rnn": 1, "lstm": 4, "gru": 3}[kind]
    biases = 2 if kind == "gru" else 1
    total = layer_params(kind, inputs, units)
    simple = layer_params("simple_rnn", inputs, units)
    return Reveal(float(total), f"{blocks} block{'s' * (blocks > 1)} × {units} units × ({inputs} "
                  f"inputs + {units} recurrent + {biases} bias{'es' * (biases > 1)}) = {total:,}:"
                  f" {total / simple:.1f} times a SimpleRNN's {simple:,} at the same size.",
                  ({"layer": kind, "blocks": blocks, "kernel": blocks * inputs * units,
                    "recurrent": blocks * units * units, "bias": blocks * biases * units,
                    "total": total},))


def best_model(runs: list[dict], epochs_of, kinds: tuple[str, ...], epochs: int) -> Reveal:
    """Which of ``kinds`` has the best validation accuracy after ``epochs`` epochs, over the
    class's finished runs (``epochs_of(run_id)``: its epoch records); :class:`NotReady` naming
    the kinds no finished run of ``epochs`` or more epochs has yet."""
    best: dict[str, tuple[float, int, str]] = {}
    for run in runs:
        kind = run["config"].get("kind")
        if run["status"] != "finished" or kind not in kinds:
            continue
        at = [e for e in epochs_of(run["id"]) if e["step"] == epochs and not e.get("partial")]
        value = at[0].get("val_accuracy") if at else None
        if value is not None and np.isfinite(value) and value > best.get(kind, (-1,))[0]:
            best[kind] = (float(value), run["id"], run.get("owner_name") or "instructor")
    missing = tuple(k for k in kinds if k not in best)
    if missing:
        raise NotReady(f"the answer needs a finished run of {epochs} epochs of each model, and "
                       f"the class has none yet of: {', '.join(missing)}", start=missing)
    order = sorted(kinds, key=lambda k: -best[k][0])
    return Reveal(order[0], f"After {epochs} epochs the best validation accuracy of each model "
                  "in this class: " + ", ".join(f"{k} {best[k][0]:.3f} (run {best[k][1]})"
                                                for k in order) + ".",
                  tuple({"model": k, f"val acc at epoch {epochs}": round(best[k][0], 4),
                         "run": best[k][1]} for k in order))


def best_order(bits: dict[int, float], corpus: str) -> Reveal:
    """Which n of an n-gram character model scores fewest validation bits per character."""
    n = min(bits, key=bits.get)
    longest = max(bits)
    return Reveal(str(n), f"On {corpus}'s validation text, n = {n} scores {bits[n]:.3f} bits per "
                  f"character; n = 1 {bits[1]:.3f}, n = {longest} {bits[longest]:.3f}. Longer "
                  "contexts predict better until most of them were never seen in training: "
                  "then the counts fall back to shorter ones and add nothing.",
                  tuple({"n": k, "bits per character": round(v, 3)} for k, v in
                        sorted(bits.items())))


def gradient_race(simple: np.ndarray, gated: np.ndarray, steps: int) -> Reveal:
    """Whose gradient reaches the first of ``steps`` inputs more: the SimpleRNN's or the LSTM's
    with its forget gate held open (norms per step, oldest first, as
    ``core.rnn.inside.gradient_norms`` measures them)."""
    ratios = {}
    for label, norms in (("SimpleRNN", simple), ("LSTM, gates open", gated)):
        norms = np.nan_to_num(np.asarray(norms, np.float64), nan=0.0, posinf=0.0)
        ratios[label] = float(norms[0] / norms[-1]) if norms[-1] > 0 else 0.0
    s, g = ratios["SimpleRNN"], ratios["LSTM, gates open"]
    if max(s, g) <= 10 * max(min(s, g), 1e-300):
        answer = "about the same (within 10 times)"
    else:
        answer = "the SimpleRNN's" if s > g else "the LSTM's, gates held open"
    return Reveal(answer, f"After {steps} steps the first input's gradient is {s:.1e} of the "
                  f"newest input's for the SimpleRNN and {g:.1e} for the LSTM with its forget "
                  "gate held open: the open gate's cell passes the gradient back almost "
                  "untouched, while the SimpleRNN multiplies it by its recurrent matrix and a "
                  "tanh slope at every step.",
                  tuple({"layer": k, "first ÷ newest": f"{v:.2e}"} for k, v in ratios.items()))


GRADIENT_CHOICES = ("the SimpleRNN's", "the LSTM's, gates held open",
                    "about the same (within 10 times)")

TEMPERATURES = ("0.2", "0.5", "1.0", "1.5")


def temperature_of(seed: int) -> str:
    """The hidden temperature of a personal sample (one of :data:`TEMPERATURES`)."""
    return TEMPERATURES[seed % len(TEMPERATURES)]


def real_word_share(text: str, known: set[str]) -> float:
    """The share of ``text``'s words (runs of letters) that occur in ``known``."""
    import re

    words = re.findall(r"[a-z]+", text.lower())
    return sum(w in known for w in words) / len(words) if words else 0.0


def which_temperature(samples: dict[str, str], known: set[str], mine: str) -> Reveal:
    """Which temperature wrote ``samples[mine]``: the share of real words in the sample
    written at each temperature (the same seed), which falls as the temperature rises."""
    rows = tuple({"temperature": t, "real words": round(real_word_share(text, known), 3),
                  "distinct characters": len(set(text))} for t, text in samples.items())
    share = {r["temperature"]: r["real words"] for r in rows}
    return Reveal(mine, f"Your text was written at temperature {mine}: {share[mine]:.0%} of its "
                  "words occur in the text the model learned from. Written from the same start "
                  "at the other temperatures: " + ", ".join(
                      f"{t} {share[t]:.0%}" for t in samples if t != mine) + ". Low temperatures "
                  "repeat the likeliest words; high ones invent words.", rows)
