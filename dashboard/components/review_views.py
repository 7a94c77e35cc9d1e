"""Train & compare's Try a review: every model this person follows scores a typed review; one
network's word pushes (and a Transformer's attention) explain its verdict; a model near chance
says so."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.classify import models, training
from dashboard import cache, figures
from dashboard.components.charts import show, show_table
from dashboard.components.run_panel import finished as followed_finished


def try_review(store, text: str) -> None:
    """Every finished model's P(positive) for ``text``, and word importance for one model."""
    finished = [run for run in followed_finished(store, training.KIND, "train")
                if run["config"].get("kind") in models.ARCHITECTURES]  # kinds still known
    if not finished:
        st.info("No trained model yet: train one above, then try a review here.")
        return
    if not text.strip():
        st.info("Type a review to see what each model makes of it.")
        return
    from core.classify import inference

    asked = finished[:inference.MAX_VERDICTS]
    rows = cache.review_verdicts(asked, text)
    if len(finished) > len(asked):
        st.caption(f"The {len(asked)} newest of {len(finished)} finished models answer.")
    best = {run["id"]: _best_val(store, run["id"]) for run in asked}
    table = pd.DataFrame([{"run": r["run"], "name": r["name"], "P(positive)": r["P(positive)"],
                           "verdict": (r["verdict"] if inference.not_learned(best[r["run"]]) is None
                                       else "not learned yet"),
                           "known words": f"{r['known']}/{r['total']}"}
                          for r in rows])
    show_table(table, hide_index=True, column_config={"P(positive)": st.column_config.ProgressColumn(
        min_value=0.0, max_value=1.0, format="%.3f")})
    if not any(r["known"] for r in rows):
        st.info("None of these words are in the models' vocabulary: every model sees only "
                "'unknown' tokens, so its answer says nothing about this text.")
        return
    networks = inference.explainable(asked)  # word pushes are measured on word ids
    if not networks:
        return
    names = {run["id"]: run["name"] for run in asked}
    choice = st.selectbox("Explain the prediction of", networks, key="train.explain!",
                          format_func=lambda i: f"run {i} · {names[i]}")
    run = next(r for r in asked if r["id"] == choice)
    if warning := inference.not_learned(best[choice]):
        st.warning(warning)
    p, seen, deltas = cache.review_explanation(run, text)
    if seen:
        show(figures.word_importance(seen, deltas), key="train.importance_chart")
        st.caption(f"P(positive) = {p:.3f}. Only the last {run['config']['maxlen'] - 1} words "
                   "reach the model. Each cell: how much the probability drops when that word "
                   "is removed.")
    model = cache.trained_model(choice)
    if seen and inference.has_attention(model):
        looked = inference.attention_weights(model, text, run["config"]["num_words"],
                                             run["config"]["maxlen"])
        show(figures.attention(looked["tokens"], looked["per_head"]),
             key="train.attention_chart")
        st.caption(inference.attention_reading(looked, seen, deltas))


def _best_val(store, run_id: int) -> float | None:
    """A run's best validation accuracy over its epochs (None before its first)."""
    return max((e["val_accuracy"] for e in store.metrics(run_id, "epoch") if "val_accuracy" in e),
               default=None)
