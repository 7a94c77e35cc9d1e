"""Training word2vec from the Embeddings page: a worker thread, the run store, a live panel."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.classify import models, training
from core.embeddings import word2vec
from core.runs import people
from core.runs.people import NotAllowed
from dashboard import cache, figures, literal
from dashboard.components import follow
from dashboard.components.charts import show, show_table
from dashboard.components.manage import manage
from dashboard.components.person import me
from dashboard.components.run_panel import finished, queue_runs, run_panel


def trained_spaces() -> dict:
    """Space name -> loader, for the newest finished word2vec run of each method."""
    store, out = cache.run_store(), {}
    for run in finished(store, word2vec.KIND, "w2v"):
        config = word2vec.Word2VecConfig(**run["config"])
        name = word2vec.space_name(config)
        if name not in out:
            path = store.model_path(run)
            out[name] = lambda p=str(path), s=path.stat().st_mtime, n=name: \
                cache.word2vec_space(p, s, n)
    return out


def classifier_choices() -> dict:
    """One lazily loaded space per finished Train & compare run with a saved model."""
    choices = {}
    for run in finished(cache.run_store(), training.KIND, "train"):
        if models.ARCHITECTURES.get(run["config"]["kind"], None) is None or \
                models.ARCHITECTURES[run["config"]["kind"]].fit is not None:
            continue  # no Embedding layer to read (a baseline, or a kind no longer known)
        name = f"Classifier run {run['id']} ({run['config']['kind']})"
        choices[name] = (lambda r=run, n=name: cache.classifier_space(
            r["id"], r["config"]["num_words"], n))
    return choices


def training_section() -> None:
    """Settings, a Train button, and the live progress of word2vec runs."""
    st.caption("Word2vec with negative sampling (Mikolov et al. 2013) in Keras, both ways the "
               "lecture names: **skip-gram** predicts the neighbouring words of the k-th word; "
               "**CBOW** (continuous bag of words) predicts the k-th word from the average of its "
               "neighbours in the window. Same reviews, settings and negatives; each trained "
               "method appears as a space above, so *Nearest words* compares them side by side. "
               "Trains in the background; you can leave the page and come back.")
    method = st.radio("Method", word2vec.METHODS, key="w2v.method", horizontal=True,
                      format_func={"skipgram": "skip-gram", "cbow": "CBOW"}.get,
                      help="skip-gram: one (word, neighbour) pair per neighbour; CBOW: one "
                           "example per word, its whole window averaged (fewer, cheaper steps).")
    c1, c2, c3, c4 = st.columns(4)
    reviews = c1.select_slider("Reviews", [1000, 5000, 10000, 25000], 5000, key="w2v.reviews",
                               help="IMDB train reviews to learn from (25,000: a few minutes).")
    dim = c2.select_slider("Dimensions", [16, 32, 64, 100], 64, key="w2v.dim",
                           help="Length of each word vector.")
    window = c3.slider("Window", 1, 8, 4, key="w2v.window",
                       help="How many words on each side count as context.")
    epochs = c4.slider("Epochs", 1, 5, 1, key="w2v.epochs", help="Passes over the word pairs.")
    config = word2vec.Word2VecConfig(reviews=reviews, dim=dim, window=window, epochs=epochs,
                                     method=method)
    store = cache.run_store()
    if st.button("Train word2vec", key="w2v.train!", type="primary"):
        queue_runs(store, word2vec.KIND, [config])
    run_panel(store, word2vec.KIND, "w2v", _curves, shown=5)
    with st.expander("Manage word2vec runs", key="w2v.manage_open!"):  # stays open
        manage(store, store.list(word2vec.KIND), "w2v")
    costs = [word2vec.cost_row(run) for run in finished(store, word2vec.KIND, "w2v")[:8]]
    if costs:
        st.markdown("**What each method cost** (finished runs)")
        show_table(pd.DataFrame(costs).astype(object).fillna("—"), hide_index=True)


def _curves(runs: list[dict], snap) -> None:
    """The loss curve of each of the newest word2vec runs (its batches' own losses), read from
    the tick's shared snapshot."""
    if not runs:
        st.info("No word2vec run yet.")
        return
    for run in runs[:3]:
        points = snap.metrics(run["id"], "progress")
        if len(points) > 1:
            st.caption(f"Run {run['id']} · {literal.md(run['name'], 80)}: loss by batch")
            show(figures.loss_curve([p["step"] for p in points], [p["loss"] for p in points]),
                 key=f"w2v.curve.{run['id']}")


def exercise_section() -> None:
    """The lecture's exercise, run by Keras on demand (TensorFlow loads only when asked)."""
    st.caption("A Dense layer with no bias and no activation, given the one-hot vector e_k, "
               "returns row k of its weight matrix: exactly what an Embedding layer looks up. "
               "Given any vector v, it returns the v-weighted sum of the rows.")
    c1, c2 = st.columns(2)
    k = c1.slider("k (which one-hot)", 0, 5, 2, key="emb.ex_k", help="Position of the 1 in e_k.")
    raw = c2.text_input("v (6 numbers)", "1 0 2 0 0 1", key="emb.ex_v", max_chars=200,
                        help="Any six numbers, separated by spaces.")
    run = st.toggle("Run both layers in Keras", key="emb.ex_run",
                    help="The first run imports TensorFlow (about 5 s).")
    try:
        v = tuple(float(x) for x in raw.replace(",", " ").split())
    except ValueError:
        st.warning("v must be six numbers, e.g. `1 0 2 0 0 1`.")
        return
    if len(v) != 6 or not np.all(np.isfinite(v)):
        st.warning(f"v must be six finite numbers; got {len(v)}.")
        return
    if run:
        from dashboard.components.embedding_views import exercise

        exercise(cache.dense_embedding_exercise(k, v, 0))


def moving_section() -> None:
    """The moving map of one run's teaching words, live while that run trains."""
    store = cache.run_store()
    _watch_list(store)
    runs = _moving_runs(store, fresh=True)
    st.fragment(run_every=3.0)(_watch_moving)(store, [(r["id"], r["status"]) for r in runs])
    if not runs:
        st.info("Train a classifier (Train & compare) or word2vec (the last tab): every run keeps "
                "the vectors of a set of teaching words at each epoch, and they move here.")
        return
    labels = {r["id"]: f"{r['name']} ({r['status']})" for r in runs}
    run_id = follow.run_selectbox("Run", labels, "emb.moving_run", help="Newest first; a run "
                                  "that starts anywhere is chosen, and updates live.")
    active = store.get(run_id)["status"] in ("queued", "running")
    st.fragment(run_every=2.0 if active else None)(_moving)(store, run_id)


def _moving_runs(store, fresh: bool = False) -> list[dict]:
    """The runs this person follows that kept snapshots, newest first (``fresh``: the store
    as it is now, not the tick's shared snapshot)."""
    from core.embeddings import motion

    person, snap = me(), cache.snapshot(store, fresh)
    return [r for kind in (training.KIND, word2vec.KIND) for r in snap.list(kind)
            if people.follows(person, r)
            and motion.snapshot_path(r["id"], store.path.parent).is_file()]


def _watch_moving(store, seen: list[tuple]) -> None:
    """Draws nothing: reruns the tab's page when a run with snapshots appears or changes."""
    if [(r["id"], r["status"]) for r in _moving_runs(store)] != seen:
        st.rerun()


def _moving(store, run_id: int) -> None:
    from core.embeddings import motion

    path = motion.snapshot_path(run_id, store.path.parent)
    result = cache.moving_map(str(path), path.stat().st_mtime)
    if result is None:
        st.info("This run's snapshots cannot be read yet.")
        return
    epochs = store.metrics(run_id, "epoch")
    labels = ["initialisation"] + [f"epoch {e['step']}" + (f" · val acc {e['val_accuracy']:.3f}"
                                                          if "val_accuracy" in e else "")
                                   for e in epochs][:len(result["coords"]) - 1]
    labels += [f"epoch {i}" for i in range(len(labels), len(result["coords"]))]
    show(figures.moving_map(result["coords"], result["words"], result["groups"], labels),
         key=f"emb.moving_chart.{run_id}")
    st.caption("Each frame is one epoch (frame 0: the random start). Frames are rotated onto the "
               "last by orthogonal Procrustes, which changes no distance between words, then "
               "drawn on the last frame's two principal axes: what moves is what the model "
               "learned. Watch the positive and negative words pull apart as validation accuracy "
               "rises.")


def _watch_list(store) -> None:
    """The words a class adds to the teaching set; every run started afterwards follows them."""
    from core.embeddings import motion

    current = " ".join(motion.watched_words(store.path.parent))
    with st.expander(f"Words to follow ({len(current.split())} added)"):
        typed = st.text_input("Also follow these words in the runs you start next",
                              current, key="emb.watch!", max_chars=2000,
                              help="Separated by spaces; at most 100. Runs already trained keep "
                                   "the words they followed.")
        if st.button("Save the words", key="emb.watch_save!"):
            try:
                saved = motion.set_watched_words(typed, store.path.parent, by=me())
                st.success(f"{len(saved)} word(s) will be followed by the next runs.")
            except NotAllowed as error:
                st.error(f"Not saved: {error}")
