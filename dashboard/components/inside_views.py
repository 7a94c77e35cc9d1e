"""The sections of the Inside the RNN page."""
from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
import streamlit as st

from core.classify import inference, training
from core.language import charlm, generation
from core.language.comparison import signed
from core.rnn import cells, inside
from dashboard import cache, figures, literal, state
from dashboard.components.charts import show, show_table
from dashboard.components.controls import index_slider
from dashboard.components.run_panel import finished

MAX_LETTERS = 12  # steps of the unrolled view: enough to watch the state, small enough to read

READING_GUIDE = (
    "**Reading the plot.** Each curve shows how strongly the last output still depends on the "
    "input a given number of steps back (log scale: read the powers of ten on the axis). A "
    "SimpleRNN multiplies the gradient by its recurrent matrix and a tanh derivative at every "
    "step, so over many steps it shrinks or grows geometrically, with nothing that can keep the "
    "past. The LSTM's carry and the GRU's state *add* the past, scaled by a gate (the LSTM's "
    "forget gate, the GRU's update gate): a gate near 1 lets the past through without halving "
    "it at each step (the gradient can then even grow going back, through the other paths of "
    "the cell: the sentence above says what these curves do), a gate near 0.5 halves it at "
    "every step. At Keras's initialisation those gates are about half "
    "open (the forget gate near sigmoid(1) = 0.73 with its bias of 1, the update gate near 0.5), "
    "so *untrained* gated cells can vanish as fast as a SimpleRNN, or faster. *Gates held open* "
    "shifts those gate biases by +4 (gate ≈ 0.99), what training can learn for the units that "
    "must remember; *trained* uses the layers trained on Train & compare, fed a real review. "
    "Scale the recurrent weights up and a SimpleRNN explodes instead of vanishing.")
SOURCES = ("gates held open", "untrained", "trained")  # the Weights choice; the first is default


SERIES_AND_PARALLEL = (
    "**In series and in parallel** (the lecture's exercise). *Two in series*: the second layer "
    "reads the first layer's states, not the letters; it can combine what the first noticed over "
    "time, a deeper view for more parameters. *One twice as wide*: more neurons side by side in "
    "one layer; each sees the letters and, through U, every other neuron's last state. Compare "
    "their parameter counts and states below.")


def unrolled(kind: str, word: str, units: int, seed: int, arrangement: str = "one layer") -> None:
    """Tiny layers stepped through the letters of a word (one layer, two in series, or one
    twice as wide), beside Keras's own states with the same weights."""
    letters = _letters(word)
    if not letters:
        return
    x = np.eye(26)[[ord(c) - 97 for c in letters]]
    shapes = inside.stack_shapes(arrangement, units)
    weights, keras_states = cache.small_stack(kind, tuple(shapes), seed, x)
    stack = inside.trace_stack(kind, x, weights)
    for i, steps in enumerate(stack):
        where = f"Layer {i + 1} of 2: the state" if len(stack) > 1 else "The state"
        show(figures.state_heatmap(steps["h"], letters, f"{where} h after each step "
                                   "(the unrolled chain: one column per copy of the cell)"),
             key=f"inside.unrolled_chart.{i}")
    if arrangement != "one layer":
        st.markdown(SERIES_AND_PARALLEL)
        _stack_table(kind, shapes)
    layer = 0 if len(stack) == 1 else st.radio(
        "Layer to inspect", [0, 1], format_func=lambda i: f"layer {i + 1}", horizontal=True,
        key="inside.layer", help="Layer 2 reads layer 1's states as its inputs.")
    inputs = x if layer == 0 else stack[0]["h"]
    _step_table(kind, inputs, weights[layer], stack[layer], letters)
    diff = max(float(np.abs(k - s["h"]).max()) for k, s in zip(keras_states, stack))
    st.caption(f"Keras's {kind} layers with the same weights give the same states: largest "
               f"difference {diff:.1e} (float32 rounding).")


def _letters(word: str) -> list[str]:
    """The a–z letters of ``word`` (at most MAX_LETTERS), saying what was left out."""
    typed = [c for c in word.lower() if not c.isspace()]
    letters = [c for c in typed if "a" <= c <= "z"]
    if not letters:
        st.info("Type a word with letters a–z: each letter is one step (one-hot, 26 inputs).")
        return []
    if len(letters) < len(typed):
        st.caption(f"Only the letters a–z are steps here; left out: "
                   f"{literal.words(sorted(set(typed) - set(letters)))}.")
    if len(letters) > MAX_LETTERS:
        st.caption(f"The word has {len(letters)} letters; the first {MAX_LETTERS} are unrolled.")
    return letters[:MAX_LETTERS]


def _stack_table(kind: str, shapes: list[int]) -> None:
    inputs = [26] + shapes[:-1]
    rows = [{"layer": i + 1, "reads": "the letters (26 one-hot)" if i == 0 else
             f"layer {i}'s states ({n_in})", "units": n,
             "parameters": inside.layer_params(kind, n_in, n)}
            for i, (n_in, n) in enumerate(zip(inputs, shapes))]
    show_table(pd.DataFrame(rows), hide_index=True)
    if kind == "simple_rnn" and len(shapes) == 2:
        st.latex(r"h^{(1)}_t = \tanh(W_1 x_t + U_1 h^{(1)}_{t-1} + b_1),\quad "
                 r"h^{(2)}_t = \tanh(W_2 h^{(1)}_t + U_2 h^{(2)}_{t-1} + b_2)")
    elif kind == "simple_rnn":
        st.latex(r"h_t = \tanh(W x_t + U h_{t-1} + b),\quad h_t \in \mathbb{R}^{%d}" % shapes[0])
    else:  # the LSTM: the same gates in every layer; layer 2's input is layer 1's h
        st.latex(r"i_t, f_t, o_t = \sigma(W_{i,f,o} x_t + U_{i,f,o} h_{t-1} + b_{i,f,o}),\quad "
                 r"g_t = \tanh(W_g x_t + U_g h_{t-1} + b_g)")
        st.latex(r"c_t = f_t \odot c_{t-1} + i_t \odot g_t,\quad h_t = o_t \odot \tanh(c_t)"
                 + (r",\quad x^{(2)}_t = h^{(1)}_t" if len(shapes) == 2 else ""))
    st.caption(f"{sum(r['parameters'] for r in rows):,} parameters in all.")


def _step_table(kind: str, x, weights: dict, steps: dict, letters: list[str]) -> None:
    """The arithmetic of one step of one layer."""
    units = weights["recurrent"].shape[0]
    t = index_slider("Step to inspect", len(letters), len(letters) - 1, key="inside.step",
                     help="Which step's arithmetic to show.")
    prev = steps["h"][t - 1] if t else np.zeros(units)
    if kind == "simple_rnn":
        rows = {"x_t · W": x[t] @ weights["kernel"], "h_(t−1) · U": prev @ weights["recurrent"],
                "b": weights["bias"], "h_t = tanh(sum of the three)": steps["h"][t]}
    else:
        rows = {f"{gate} gate": steps[gate][t] for gate in ("input", "forget", "candidate", "output")}
        rows["carry c_t"] = steps["c"][t]  # = forget · c_(t−1) + input · candidate (caption)
        rows["h_t"] = steps["h"][t]
    table = pd.DataFrame(rows, index=[f"unit {i}" for i in range(units)]).T
    show_table(table.style.format("{:.4f}"))
    if kind != "simple_rnn":
        st.caption("carry c_t = forget · c_(t−1) + input · candidate;  h_t = output · tanh(c_t)")


def gradients(length: int, scale: float, source: str) -> None:
    """Gradient norms through time for the three layer kinds, and what they show, computed
    from the curves on screen."""
    curves = {}
    shift = inside.GATES_OPEN if source == "gates held open" else 0.0
    for kind in inside.RECURRENT:
        run = _trained_run(kind) if source == "trained" else None
        if source == "trained" and run is None:
            st.caption(f"No finished {kind} run on Train & compare: its curve uses untrained "
                       "weights.")
        label = f" (run {run['id']})" if run else (
            " (gates open)" if shift and kind != "simple_rnn" else " (untrained)")
        curves[kind + label] = cache.gradient_curve(kind, length, scale,
                                                    run["id"] if run else None, shift)
    shown = {k: np.where(np.isfinite(v), v, np.nan) for k, v in curves.items()}
    show(figures.gradient_norms(shown), key="inside.gradients_chart")
    st.markdown("**At these settings:** " + " ".join(inside.gradient_reading(curves)))
    st.markdown(READING_GUIDE)


def _trained_run(kind: str) -> dict | None:
    """The newest finished Train & compare run of layer ``kind`` with its model."""
    runs = finished(cache.run_store(), training.KIND, "train")
    return next((run for run in runs if run["config"]["kind"] == kind), None)


def model_sources() -> dict[str, tuple[str, int]]:
    """Finished recurrent models to look inside: label -> ('char' or 'imdb', run id)."""
    store = cache.run_store()
    out = {}
    for run in finished(store, charlm.KIND, "gen"):
        out[f"Generate text run {run['id']} · {run['name']} (LSTM)"] = ("char", run["id"])
    for run in finished(store, training.KIND, "train"):
        if run["config"]["kind"] in inside.RECURRENT:
            label = f"Train & compare run {run['id']} · {run['name']} ({run['config']['kind']})"
            out[label] = ("imdb", run["id"])
    return out


def states(source: tuple[str, int], text: str) -> None:
    """Hidden state and gates of a trained model over typed text; one unit colours the text."""
    kind, tokens, result = cache.model_trace(source, text)
    if not tokens:
        st.info("None of this text can be read by the model (empty, or no known characters).")
        return
    limit, unit_name = ((generation.TRACE_CHARS, "characters") if source[0] == "char"
                        else (inference.TRACE_WORDS, "words"))
    if len(tokens) >= limit or len(text) >= generation.TRACE_CHARS:
        st.caption(f"The model reads the first {limit:,} {unit_name} of this text; everything "
                   "below is over those.")
    show(figures.state_heatmap(result["h"], tokens, "Hidden state h (units × time)"),
                    key="inside.h_chart")
    gates = [g for g in ("input", "forget", "output", "update", "reset") if g in result]
    if gates:
        gate = st.radio("Gate", gates, key="inside.gate", horizontal=True,
                        help="Gate activations are between 0 (closed) and 1 (open).")
        show(figures.state_heatmap(result[gate], tokens, f"{gate} gate (units × time)",
                                              zmid=None), key="inside.gate_chart")
    unit = index_slider("Unit to colour the text by", result["h"].shape[1],
                        int(np.argmax(result["h"].std(axis=0))), key="inside.unit",
                        help="Starts at the unit that varies most over this text.")
    show(figures.activation_strip(tokens, result["h"][:, unit],
                                             f"Unit {unit} of h over the text"),
                    key="inside.strip_chart")
    if source[0] == "char":
        cells_that_count(tokens, result)


def cells_that_count(chars: list[str], result: dict) -> None:
    """Which units follow a property of the text (Karpathy et al. 2015), and how saturated
    the gates are."""
    st.markdown("**Cells that count.** Each unit's state over the text, set against a "
                "property of the text: the units that follow it best (correlation over the "
                "characters, sign kept: a unit can follow quotes by going down inside them).")
    pattern = st.text_input("A property of your own (a regular expression: 1 inside a match)",
                            r"\bthe\b", key="inside.cells_regex", max_chars=200,
                            help="For example [aeiou] (vowels), \\d+ (numbers), ^.{0,20} "
                                 "(the first 20 characters of the text).")
    text = "".join(chars)
    try:
        props = cells.properties(text, pattern)
    except ValueError as error:
        st.warning(f"{literal.md(str(error), 300)}. The named properties are ranked without it.")
        props = cells.properties(text)
    ranked = cells.rank_units(result["h"], props)
    rows = [{"property": name, "best units": ", ".join(map(str, r["units"])) or "—",
             "correlation": ", ".join(signed(s) for s in r["scores"]) or r["why"]}
            for name, r in ranked.items()]
    show_table(pd.DataFrame(rows), hide_index=True)
    names = [n for n, r in ranked.items() if r["units"]]
    if names:  # opens on the property with the strongest unit, the table's most telling row
        strongest = max(range(len(names)), key=lambda i: abs(ranked[names[i]]["scores"][0]))
        name = st.selectbox("Colour the text by the best unit for", names, index=strongest,
                            key=state.transient(  # a new text opens on its own strongest
                                f"inside.cells_prop.{zlib.crc32(text.encode('utf-8')):08x}"),
                            help="Opens on the property that a unit follows most closely.")
        unit, score = ranked[name]["units"][0], ranked[name]["scores"][0]
        show(figures.activation_strip(chars, result["h"][:, unit],
                                      f"Unit {unit}, the best for “{name}” (r = {signed(score)})"),
             key="inside.cells_strip")
        st.caption(f"|r| = {abs(score):.2f} over {len(chars):,} characters: "
                   + ("a unit that clearly follows it." if abs(score) >= 0.5 else
                      "a weak link: no unit here follows it closely (a small or briefly "
                      "trained model, or a text where it rarely changes)."))
    gates = {g: result[g] for g in ("input", "forget", "output") if g in result}
    if gates:
        fractions = {g: cells.saturation(v) for g, v in gates.items()}
        show(figures.gate_saturation(fractions), key="inside.saturation_chart")
        st.caption("Each point is a unit: how often its gate is almost shut (< 0.1, right) and "
                   "almost fully open (> 0.9, up). Over this text: "
                   + cells.saturation_reading(fractions) + " Karpathy et al. found many forget "
                   "gates of their well-trained models right up against 'open' (units that keep "
                   "their memory for long); a small or briefly trained model need not show it.")
