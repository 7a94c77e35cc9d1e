"""Generate text, section 3: a unit that reads sentiment (Radford et al. 2017), from a char
language model trained on IMDB reviews without their labels."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.classify import sentiment
from core.data import imdb
from core.language import charlm, generation
from dashboard import cache, figures
from dashboard.components import follow
from dashboard.components.charts import show, show_table
from dashboard.components.controls import used_text
from dashboard.components.run_panel import finished

SAMPLE_REVIEW = ("I expected a dull film, but this was one of the best movies I have seen in "
                 "years. The acting was superb and the story moving. Then the ending: awful, "
                 "lazy and boring.")


NAMES = sentiment.FEATURE_NAMES


def section(store) -> None:
    """The data-efficiency table and plot of a probed run, its units over a typed review, and
    text written with the unit held high or low."""
    probed = [r for r in finished(store, charlm.KIND, "gen")
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
    _table(found, run, config)
    _units_over_text(run_id, found["units"])
    _held(run_id, config, found["units"])


def _table(found: dict, run: dict, config: charlm.CharConfig) -> None:
    rows, units = found["sizes"], found["units"]
    show(figures.data_efficiency(rows, NAMES, units), key="gen.sentiment_chart")
    table = pd.DataFrame([{"labelled reviews": r["labels"],
                           **{NAMES[k]: r[k]["accuracy"] for k in NAMES},
                           **{f"units used ({k})": r[k]["units_used"] for k in NAMES},
                           "bag of words": r["bag_accuracy"]} for r in rows])
    percent = {column: "{:.1%}" for column in [*NAMES.values(), "bag of words"]}
    show_table(table.style.format({"labelled reviews": "{:,}", **percent}), hide_index=True)
    summary = run["summary"]
    bits = summary.get("val_bits_per_char")
    st.caption(
        f"The model ({config.units} units) read {config.max_chars or summary['chars']:,} "
        f"characters of reviews, {config.epochs} epoch(s)"
        + (f", to {bits:.2f} bits per character on held-out reviews" if bits else "")
        + f". Each review's last {found['last_chars']:,} characters were read"
        + (" by the probes and the bag of words alike" if found.get("bag_reads") else
           " by the probes (the bag of words read whole reviews: a run from before the two "
           "read the same text)")
        + "; test accuracy is "
        f"over {found['test_reviews']:,} test reviews, every choice (C, the units, their "
        f"thresholds) made on {found['train_reviews']:,} train reviews; for each probe, "
        f"{sentiment.PROBE_C_RULE}. {sentiment.reading(rows, units)}")


def _units_over_text(run_id: int, units: dict[str, dict]) -> None:
    st.markdown("**The two units over a review you type** (blue is high; each unit's own "
                "threshold decides)")
    text = used_text(st.text_area("A review", SAMPLE_REVIEW, key="gen.sentiment_text",
                                  height=90, help="What the model reads (its first 600 "
                                                  "characters)."), 600)
    if not text.strip():
        st.info("Type a review to see the units read it.")
        return
    _, tokens, steps = cache.model_trace(("char", run_id), imdb.plain(text))
    if not tokens:
        st.info("Nothing of this text is in the model's alphabet.")
        return
    for key, state, name in (("final c", "c", "carry c after each character"),
                             ("mean h", "h", "hidden state h after each character")):
        unit = units[key]
        values = steps[state][:, unit["unit"]]
        show(figures.activation_strip(tokens, values, f"unit {unit['unit']}: {name}"),
             key=f"gen.sentiment_strip_{state}")
        read = values[-1] if key == "final c" else values.mean()
        verdict = "positive" if sentiment.unit_predicts(read, unit) else "negative"
        st.caption(f"{'At the end' if key == 'final c' else 'Averaged over the review'} it "
                   f"reads {read:+.2f} (threshold {unit['threshold']:+.2f}): the unit alone calls "
                   f"this review **{verdict}**.")


def _held(run_id: int, config: charlm.CharConfig, units: dict[str, dict]) -> None:
    key = sentiment.best_unit_by_training(units)
    unit = units[key]
    st.markdown(f"**Writing with unit {unit['unit']} held** (the best unit on the train reviews, "
                f"of the {NAMES[key]}): its carry fixed at the value it has at the end of the "
                "most positive and the most negative train reviews (1st and 99th percentiles)")
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
        text = (gen.generate(read, 300, temperature, np.random.default_rng(seed))[0]
                if value is None else
                sentiment.held(gen, read, unit["unit"], value, 300, temperature, seed))
        col.markdown(label + (f" (c = {value:+.2f})" if value is not None else ""))
        col.code(read + text, language=None, wrap_lines=True)
