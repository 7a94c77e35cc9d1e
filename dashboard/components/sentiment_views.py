"""Generate text, section 3: a unit that reads sentiment (Radford et al. 2017), from a char
language model trained on IMDB reviews without their labels."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.data import imdb
from core.language import charlm, generation, sentiment
from dashboard import cache, figures, literal
from dashboard.components import follow
from dashboard.components.charts import show, show_table
from dashboard.components.controls import used_text

SAMPLE_REVIEW = ("I expected a dull film, but this was one of the best movies I have seen in "
                 "years. The acting was superb and the story moving. Then the ending: awful, "
                 "lazy and boring.")


def section(store) -> None:
    """The data-efficiency table and plot of a probed run, its unit over a typed review, and
    text written with the unit held high or low."""
    probed = [r for r in store.finished_with_model(charlm.KIND)
              if (r.get("summary") or {}).get("sentiment")]
    if not probed:
        st.info("Train a model on **IMDB reviews (no labels)** above, with *Then look for a "
                "unit that reads sentiment* on. It learns only to predict the next character; "
                "afterwards its states are read to see whether it has, on the way, learned what "
                "makes a review positive (Radford et al., 2017).")
        return
    run_id = follow.run_selectbox("Probed model", {r["id"]: r["name"] for r in probed},
                                  "gen.sentiment_run",
                                  help="A language model trained on IMDB reviews and probed.")
    run = store.get(run_id)
    found, config = run["summary"]["sentiment"], charlm.CharConfig(**run["config"])
    unit = found["unit"]
    _table(found, run, config)
    _unit_over_text(run_id, unit)
    _held(run_id, config, unit)


def _table(found: dict, run: dict, config: charlm.CharConfig) -> None:
    rows, unit = found["sizes"], found["unit"]
    show(figures.data_efficiency(rows, unit["test_accuracy"], unit["unit"]),
         key="gen.sentiment_chart")
    table = pd.DataFrame([{"labelled reviews": r["labels"],
                           "char LM states + L1": r["lm_accuracy"],
                           "units it uses": r["units_used"],
                           "bag of words": r["bag_accuracy"]} for r in rows])
    show_table(table.style.format({"char LM states + L1": "{:.1%}", "bag of words": "{:.1%}"}),
               hide_index=True)
    summary = run["summary"]
    bits = summary.get("val_bits_per_char")
    st.caption(
        f"The model ({config.units} units) read {config.max_chars or summary['chars']:,} "
        f"characters of reviews, {config.epochs} epoch(s)"
        + (f", to {bits:.2f} bits per character on held-out reviews" if bits else "")
        + f". Each review's last {found['last_chars']:,} characters were read and its final carry "
        f"c taken; test accuracy is over {found['test_reviews']:,} test reviews, every choice "
        f"(C, the unit, its threshold) made on train reviews. {_reading(rows, unit)}")


def _reading(rows: list[dict], unit: dict) -> str:
    """What the table says, computed from it."""
    first, last = rows[0], rows[-1]
    said = [f"With {first['labels']:,} labels the states reach {first['lm_accuracy']:.1%} "
            f"against {first['bag_accuracy']:.1%} for the bag of words; with "
            f"{last['labels']:,}, {last['lm_accuracy']:.1%} against {last['bag_accuracy']:.1%}."]
    ahead = [r["labels"] for r in rows if r["lm_accuracy"] > r["bag_accuracy"]]
    said.append(f"The states do better at {literal.words([f'{n:,}' for n in ahead], 4)} "
                "labels." if ahead else "The bag of words does better at every size: this "
                "model has not (yet) learned much sentiment.")
    said.append(f"Unit {unit['unit']} alone ({'high' if unit['sign'] > 0 else 'low'} = "
                f"positive) gets {unit['test_accuracy']:.1%}; the paper's unit got about 92% on "
                "its data, from a 4,096-unit model trained for a month on four GPUs.")
    return " ".join(said)


def _unit_over_text(run_id: int, unit: dict) -> None:
    st.markdown(f"**Unit {unit['unit']} over a review you type** (its carry c after each "
                "character; blue is high)")
    text = used_text(st.text_area("A review", SAMPLE_REVIEW, key="gen.sentiment_text",
                                  height=90, help="What the model reads (its first 2,000 "
                                                  "characters)."), 2000)
    if not text.strip():
        st.info("Type a review to see the unit read it.")
        return
    _, tokens, steps = cache.model_trace(("char", run_id), imdb.plain(text))
    if not tokens:
        st.info("Nothing of this text is in the model's alphabet.")
        return
    values = steps["c"][:, unit["unit"]]
    show(figures.activation_strip(tokens, values, f"unit {unit['unit']}'s carry c"),
         key="gen.sentiment_strip")
    verdict = "positive" if unit["sign"] * (values[-1] - unit["threshold"]) > 0 else "negative"
    st.caption(f"At the end it reads {values[-1]:+.2f} (threshold {unit['threshold']:+.2f}): "
               f"the unit alone calls this review **{verdict}**.")


def _held(run_id: int, config: charlm.CharConfig, unit: dict) -> None:
    st.markdown(f"**Writing with unit {unit['unit']} held** at the value it has after the most "
                "positive and the most negative train reviews (1st and 99th percentiles)")
    c1, c2, c3 = st.columns([3, 1, 1])
    prime = c1.text_input("Start", "this movie was ", key="gen.sentiment_prime", max_chars=200,
                          help="The model continues this with the unit held.")
    temperature = c2.slider("Temperature", 0.1, 1.5, 0.5, 0.05, key="gen.sentiment_t")
    seed = int(c3.number_input("Seed", 0, 10**6, 0, key="gen.sentiment_seed"))
    gen = cache.char_generator(run_id)
    read, _ = generation.to_alphabet(prime.lower() if config.lower else prime, gen.chars)
    if not read:
        st.info("Type a start the model can read.")
        return
    for col, (label, value) in zip(st.columns(3), (
            ("held positive", unit["positive_value"]), ("free", None),
            ("held negative", unit["negative_value"]))):
        text = (gen.generate(read, 300, temperature, np.random.default_rng(seed))[0] if value is None else
                sentiment.held(gen, read, unit["unit"], value, 300, temperature, seed))
        col.markdown(f"{label}" + (f" (c = {value:+.2f})" if value is not None else ""))
        col.code(read + text, language=None, wrap_lines=True)

