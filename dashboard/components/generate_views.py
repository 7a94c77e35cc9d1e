"""The sections of the Generate text page: corpus and training, then the temperature lab."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from core.classify import sentiment
from core.language import charlm, comparison, generation, ngram
from core.runs import curves
from dashboard import cache, figures, literal, state
from dashboard.components import code_views, follow
from dashboard.components.background import when_ready
from dashboard.components.charts import show, show_table
from dashboard.components.controls import used_text
from dashboard.components.manage import manage
from dashboard.components.person import me
from dashboard.components.run_panel import finished as run_panel_finished
from dashboard.components.run_panel import followed, queue_runs, run_panel

TEMPERATURES = (0.0, 0.2, 0.5, 1.0, 1.2)


def corpus_choice() -> tuple[str, str | None]:
    """The chosen corpus name (uploads become 'upload:<hash>'), or None with a message."""
    options = {"Nietzsche (the lecture's)": "nietzsche", "tiny Shakespeare": "shakespeare",
               "IMDB reviews (no labels)": "imdb_reviews", "Upload a .txt file": "upload"}
    label = st.radio("Corpus", list(options), key="gen.corpus", horizontal=True,
                     help="The text the language model learns from.")
    if options[label] != "upload":
        return options[label], None
    upload = st.file_uploader("A UTF-8 text file", type=["txt"], key="gen.upload!",
                              help=f"Plain text, at most {charlm.MAX_UPLOAD_CHARS:,} characters.")
    if upload is None:
        st.info("Choose a .txt file to train on.")
        return "", None
    try:
        text, cut = charlm.read_upload(upload.getvalue())
    except ValueError as error:
        st.error(f"Cannot train on this file: {literal.md(str(error), 200)}.")
        return "", None
    if cut:
        st.warning(f"The file is longer than {charlm.MAX_UPLOAD_CHARS:,} characters; the first "
                   f"{charlm.MAX_UPLOAD_CHARS:,} are used.")
    return charlm.save_upload(text), text


IMDB_CHARS = (1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 50_000_000)


def imdb_amount() -> int:
    """How much of IMDB's ~95 million characters of reviews a model trains on."""
    return st.select_slider(
        "Characters of reviews to train on", IMDB_CHARS, 5_000_000, key="gen.imdb_chars",
        format_func=lambda n: f"{n / 1e6:g} million",
        help="The 50,000 unlabelled reviews, then the 25,000 train reviews (never a test "
             "review), one a line, cut here. A fast LSTM(128) trains on about 90,000 "
             "characters a second on a 2-core machine: 5 million is about a minute an epoch.")


def data_numbers(corpus: str, lower: bool, uploaded: str | None, max_chars: int = 0) -> None:
    """The lecture's preparation, with its numbers, beside the efficient variant's."""
    if uploaded is not None:
        n = charlm.text_numbers(uploaded.lower() if lower else uploaded, 60, 3,
                                charlm.CharConfig().seq_len, charlm.UPLOAD_MIN_COUNT)
    else:
        n = cache.corpus_numbers(corpus, lower, 60, 3, charlm.CharConfig().seq_len, max_chars)
    if rare := n["rare"]:
        st.caption(f"{len(rare)} characters occur fewer than {charlm.UPLOAD_MIN_COUNT} times "
                   f"(e.g. {literal.words([repr(c) for c in rare], 8)}); the model reads and writes "
                   f"them as one marker, {charlm.RARE!r}, so it does not waste outputs on them.")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Corpus length", f"{n['length']:,}")
    c2.metric("Distinct characters", n["unique_chars"])
    c3.metric("Lecture windows (60, every 3)", f"{n['sequences']:,}")
    c4.metric(f"Fast variant sequences ({charlm.CharConfig().seq_len})",
              f"{n['fast sequences']:,}")
    st.caption("The lecture one-hot encodes every 60-character window taken every 3 characters "
               "and predicts only the next character: each character is read about 20 times per "
               "epoch. The fast variant reads each character once and predicts the next one at "
               "every position.")


def training(store, corpus: str, lower: bool, max_chars: int = 0) -> None:
    """Variant, size, Train button, and the live runs."""
    c1, c2, c3 = st.columns(3)
    variant = c1.radio("Model", charlm.VARIANTS, index=1, key="gen.variant", horizontal=True,
                       help="lecture: one-hot windows → LSTM → softmax; fast: Embedding → LSTM "
                            "predicting every position.")
    epochs = c2.slider("Epochs", 1, 30, 3 if variant == "fast" else 1, key="gen.epochs",
                       help="Passes over the corpus.")
    units = c3.select_slider("LSTM units", [64, 128, 256, 512], 128, key="gen.units",
                             help="Size of the recurrent state.")
    probe = corpus == "imdb_reviews" and st.checkbox(
        "Then look for a unit that reads sentiment", True, key="gen.probe",
        help=f"After training, the model reads {sentiment.ProbeConfig().train_reviews:,} "
             f"labelled train and {sentiment.ProbeConfig().test_reviews:,} test reviews (their "
             "last 1,000 characters) and fits the probes: about 8 minutes more for 256 units "
             "on a 2-core machine. Its states then predict the labels (section 3).")
    predicted = _prediction_input()
    if corpus and st.button("Train language model", key="gen.train!", type="primary"):
        config = charlm.CharConfig(
            corpus=corpus, variant=variant, lower=lower, epochs=epochs, units=units,
            min_count=charlm.min_count_for(corpus),
            max_chars=max_chars, probe_train=sentiment.ProbeConfig().train_reviews * probe,
            probe_test=sentiment.ProbeConfig().test_reviews * probe)
        for run_id in queue_runs(store, charlm.KIND, [config]):
            if predicted is not None:
                store.predict(run_id, {"bits": predicted, "epoch": 1}, by=me())
    with st.container():  # one place, pending or not: what is below does not move when it ends
        if newest := followed(store.list(charlm.KIND), "gen")[:1]:  # mine, shown, added
            job = cache.ngram_job(ngram.same_text(charlm.CharConfig(**newest[0]["config"])))
            when_ready(job, _baseline_pending)
    run_panel(store, charlm.KIND, "gen", _chart, shown=4)
    with st.expander("Manage language-model runs", key="gen.manage_open!"):  # stays open
        manage(store, store.list(charlm.KIND), "gen")


def _prediction_input() -> float | None:
    """What this person predicts for the run they are about to train: its validation bits
    per character after the first epoch (None: no prediction)."""
    if not st.toggle("Predict before you train", key="gen.predict",
                     help="Say what you expect: the chart draws it beside the curve."):
        return None
    return float(st.number_input("Validation bits per character after the first epoch", 0.5,
                                 8.0, 2.5, 0.1, key="gen.predict.bits",
                                 help="8 bits: one byte per character, no model at all; "
                                      "log2 of the alphabet: a uniform guess."))


def _baseline_pending(done: bool) -> None:
    """While the n-gram baseline fits in the background, say so (its line is drawn by the
    chart once the page has run again)."""
    if done:
        return
    st.caption("Fitting the n-gram baseline (n = 1…9, on the same text and split) in the "
               "background; its line joins the chart in a few seconds.")


def _baseline(config: charlm.CharConfig):
    """The n-gram baseline of ``config``'s text if it has been fitted, else None (its fit is
    started in the background)."""
    job = cache.ngram_job(ngram.same_text(config))
    if not job.done() or job.exception() is not None:
        return None
    return job.result()


def _chart(runs: list[dict], snap) -> None:
    """The newest run's bits per character (batches from the first seconds) and its sample,
    read from the tick's shared snapshot."""
    if not runs:
        st.info("No language model yet: press Train (a fast Nietzsche model takes 10–20 s "
                "an epoch here).")
        return
    run = runs[0]
    epochs = snap.metrics(run["id"], "epoch")
    series = [curves.run_curve(run, epochs, snap.metrics(run["id"], "batch"), "loss", "epoch",
                               0.6, scale=1 / math.log(2))
              | {"prediction": snap.predictions().get(run["id"])}]
    carried = any("val_bits_carried" in e for e in epochs)
    if carried:  # validation read as the n-gram reads it: one text, the state carried
        series[0]["val"] = [charlm.val_bits(e) for e in epochs]
    alphabet_size = run["summary"].get("alphabet")  # known once the run has finished
    baseline = _baseline(charlm.CharConfig(**run["config"]))
    lines = ({f"best n-gram (n = {baseline.best}, Witten–Bell)": baseline.bits[baseline.best]}
             if baseline else {})
    show(figures.bits_per_char(series, math.log2(alphabet_size) if alphabet_size else None,
                               lines), key="gen.bits_chart")
    if (predicted := series[0]["prediction"]) and epochs and series[0]["val"][0] is not None:
        st.caption(f"Predicted {predicted['bits']:.2f} validation bits per character after the "
                   f"first epoch; it reached {series[0]['val'][0]:.2f}.")
    if baseline:
        lstm = [b * math.log(2) if b is not None else None for b in map(charlm.val_bits, epochs)]
        st.caption(comparison.reading(baseline.bits, lstm) + baseline.extent() + (
            " Both read the validation text with what came before carried: the n-gram its last "
            "characters, the LSTM its state (the text in 64 parts read side by side)."
            if carried else " The LSTM's validation here is Keras's: 50-character pieces, each "
            "from an empty state (a run from before the lab carried its state), so it starts "
            "behind the n-gram, which carries its context."))
    if run["status"] == "running" and (probe := snap.metrics(run["id"], sentiment.PROBE_KIND)):
        st.caption(f"Training done; looking for a sentiment unit: {probe[-1]['stage']}, "
                   f"{probe[-1]['done']:,} of {probe[-1]['total']:,}.")
    samples = snap.metrics(run["id"], "sample")
    if samples:
        st.markdown(f"**Sample after {curves.epoch_label(samples[-1])}** (T = 0.5)")
        st.code(samples[-1]["text"], language=None, wrap_lines=True)


def clean_prime(prime: str, chars: list[str], lower: bool) -> str | None:
    """The prime text the model can read (through the one mapping every path uses), with a
    message for what had to change."""
    text = prime.lower() if lower else prime
    if not text:
        st.info("Type a prime text: the model continues it.")
        return None
    text, outside = generation.to_alphabet(text, chars)
    if outside:
        shown = literal.words([repr(c) for c in outside], 12)
        if charlm.RARE in chars:
            st.info(f"Not in the model's alphabet, read as the rare-character marker: {shown}")
        else:
            st.warning(f"Not in the model's alphabet, left out: {shown}")
    if not text:
        st.info("Nothing of the prime is left; type characters from the corpus.")
        return None
    return text


def lab(store) -> None:
    """Temperature lab over a finished model."""
    finished = run_panel_finished(store, charlm.KIND, "gen")
    if not finished:
        st.info("Train a language model above; the temperature lab opens when one has finished.")
        return
    run_id = follow.run_selectbox("Model", {r["id"]: r["name"] for r in finished}, "gen.model",
                                  help="A newly finished model is chosen as it finishes.")
    run = store.get(run_id)
    config = charlm.CharConfig(**run["config"])
    base = cache.char_generator(run_id)
    c1, c2 = st.columns([3, 2])
    prime_raw = used_text(c1.text_area("Prime text", "the truth is that ", key="gen.prime",
                                       height=90, help="The model reads this, then continues "
                                       "it (its first 5,000 characters)."), 5000, c1)
    state.from_link("gen.temperature", "T", lambda raw: round(state.clamped(0.0, 2.0)(raw) * 20) / 20)
    temperature = c2.slider("Temperature", 0.0, 2.0, 0.5, 0.05, key="gen.temperature",
                            help="0 = always the most likely character (greedy); 1 = the "
                                 "model's own distribution; above 1 = flatter, more random.")
    state.to_link("T", temperature, 0.5)
    length = c2.slider("Length", 10, 2000, 300, key="gen.length", help="Characters to generate.")
    seed = int(c2.number_input("Sampler seed", 0, 10**6, 0, key="gen.seed",
                               help="Same prime and seed give the same text."))
    prime = clean_prime(prime_raw, base.chars, config.lower)
    if prime is None:
        return
    if config.variant == "lecture" and len(prime) < config.maxlen:
        st.caption(f"The lecture model was trained on {config.maxlen}-character windows; this "
                   f"prime has {len(prime)}. Generation still works (the state starts empty), "
                   "but the model saw no shorter inputs in training.")
    result = generation.temperature_lab(base, prime, temperature, length, seed, TEMPERATURES)
    show(figures.next_char_distribution(base.chars, result.raw, result.reweighted, temperature),
         key="gen.dist_chart")
    st.caption(f"Entropy: {generation.entropy_bits(result.raw):.2f} bits as the model says, "
               f"{generation.entropy_bits(result.reweighted):.2f} bits at T = {temperature:g} "
               f"(uniform over {len(result.raw)} characters: {math.log2(len(result.raw)):.2f}).")
    show(figures.char_probabilities(result.text, result.probs), key="gen.text_chart")
    if result.loop:
        st.warning(f"Greedy decoding fell into a loop: {literal.quoted(result.loop)} repeats to "
                   "the end. Always taking the most likely character can only go round in "
                   "circles.")
    st.markdown("**Same prime, same sampler seed, five temperatures**")
    for col, (t, out) in zip(st.columns(len(TEMPERATURES)), result.side_by_side.items()):
        col.markdown(f"T = {t:g}" + (" (greedy)" if t == 0 else ""))
        col.code(out, language=None, wrap_lines=True)
    if baseline := _baseline(config):
        st.markdown(f"**The n-gram baseline (n = {baseline.best}) at T = {temperature:g}**, same "
                    "prime and sampler seed: what counting the last "
                    f"{baseline.best - 1} characters writes")
        st.code(cache.ngram_text(ngram.same_text(config), prime, length, temperature, seed),
                language=None, wrap_lines=True)
        head_to_head(run_id, baseline.best)
    with st.expander("Code for this view (.py, .ipynb)"):
        code_views.char_code_view(run, len(base.chars), prime, temperature, length)


def head_to_head(run_id: int, best: int) -> None:
    """Karpathy et al.'s comparison: where the LSTM beats the best n-gram on the validation
    text, character by character, and by kind of context."""
    st.markdown(f"**The LSTM against the best n-gram (n = {best}), character by character** "
                "on the start of the validation text: blue where the LSTM gave the true "
                "character more probability, red where the n-gram did.")
    compared = cache.head_to_head(run_id)
    if compared is None:
        st.caption("This model's alphabet is not the one its text gives, so the two models "
                   "cannot be compared character by character.")
        return
    chars, gain, rows = compared
    show(figures.activation_strip(chars, gain, "log2 P(LSTM) − log2 P(n-gram) per character"),
         key="gen.head_to_head")
    table = pd.DataFrame(rows)
    show_table(table.style.format({"LSTM bits/char": "{:.2f}", "n-gram bits/char": "{:.2f}",
                                   "LSTM better by (bits)": comparison.signed}), hide_index=True)
    st.caption(comparison.head_to_head_reading(float(gain.mean()), len(chars), rows))
