"""Train & compare: the lecture's IMDB models trained live, side by side."""

import streamlit as st

from core import jobs
from core.classify import models, training
from core.runs import curves, people
from core.runs.store import ACTIVE
from core.tokens.rules import MAX_TEXT_CHARS
from dashboard import cache, figures, state
from dashboard.components import board, code_views, follow, review_views
from dashboard.components import train_views as views
from dashboard.components.charts import show
from dashboard.components.classroom import classroom_on
from dashboard.components.controls import used_text
from dashboard.components.manage import manage
from dashboard.components.questions import questions
from dashboard.components.run_panel import run_panel

st.title("Train & compare")
st.caption("The lecture's sentiment models on the full IMDB set, trained in the background; "
           "curves update every second, runs survive reloads, " + (
               "each chart follows its own runs and the ones the instructor shows."
               if people.is_class() else "every browser sees the same runs."))
classroom = classroom_on()
store = cache.run_store()
views.store_notice(store)

state.from_link("train.kinds", "models", views.kinds_from_link)
views.race_sets()
kinds = st.multiselect("Models", models.KINDS, ["lstm"], key="train.kinds",
                       help="Which architectures to train (one run each).")
state.to_link("models", ",".join(kinds), "lstm")
for kind in kinds:
    st.caption(f"**{kind}**: {models.ARCHITECTURES[kind].teaches}")
if kinds:
    changes = views.hyperparameters(kinds, classroom)
    try:
        configs = [models.with_available_glove(models.preset(k, **changes)) for k in kinds]
    except ValueError as error:
        st.error(f"These settings cannot train: {error}")
        configs = []
    for note in {note for _, note in configs if note}:
        st.info(note)
    configs = [config for config, _ in configs]
    if configs:
        cache.warm_training(configs[0])  # once per server, in the background
        views.rule_of_thumb(store, configs[0])
    if configs and not classroom:
        with st.expander("Model summaries"):
            for tab, config in zip(st.tabs(kinds), configs):
                with tab:
                    views.model_summary(config)
        with st.expander("Code for this view (.py, .ipynb)"):
            code_views.train_code(store, configs)
    label = "Race" if len(configs) > 1 else "Train"
    predicted = board.prediction_inputs(kinds, changes["epochs"]) if configs else {}
    if configs:  # queued in the click's callback, before the page is drawn again
        args = (store, configs, kinds, predicted, views.settings_now(), "train.go.said")
        if st.session_state.pop("train.go.said.pending", False):
            views.race(*args)  # a setting changed with the click: these configs read it
        st.button(label, key="train.go!", type="primary", on_click=views.race, args=args,
                  help="One run per model. On this machine they take turns epoch by epoch, so "
                       "all their curves grow together.")
        views.say("train.go.said")
else:
    st.info("Pick at least one model to train.")


def live(runs: list[dict], snap) -> None:
    if not runs and people.is_class():
        st.info("No runs of yours on this chart yet. Press Train, or add anyone's finished run "
                "from the class board below.")
        return
    if not runs:
        st.info("No runs yet. Press Train, or prepare runs from a terminal with "
                "`python -m core train all --epochs 10`.")
        return
    c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
    going = {r["id"] for r in runs if r["status"] in ACTIVE}
    drawn = going | {r["id"] for r in runs if snap.count(r["id"], "epoch")
                     or snap.count(r["id"], "batch")}
    shown = follow.runs_multiselect("Runs on the chart", {r["id"]: r["name"] for r in runs},
                                    "train.shown", container=c1, worth_drawing=drawn,
                                    under_way=going,
                                    help="New runs join the chart as they start.")
    metric = c2.radio("Metric", ["accuracy", "loss"], key="train.metric", help="What to plot.")
    x = c3.radio("x axis", ["train s", "epoch", "step", "wall"], key="train.x",
                 help="train s: each run's own training seconds (fair in a race, where runs "
                      "take turns epoch by epoch); epochs; batches; or seconds since it started.")
    weight = c4.slider("Smoothing", 0.0, 0.99, 0.8, key="train.smooth",
                       help="Debiased moving average of the batch curve (raw curve faint).")
    picked = [r for r in runs if r["id"] in shown]
    predicted = snap.predictions()
    fig = cache.per_version("train.curves", snap.version, (str(store.path), tuple(shown), metric,
                                                           x, weight),
                            lambda: figures.training_curves(views.curve_series(
                                snap, picked, metric, x, weight, predicted), metric, x,
                                shared=True))
    show(fig, key="train.curves")
    target = st.number_input("Target validation accuracy", 0.5, 0.99, curves.TARGET_ACCURACY, 0.01,
                             key="train.target", help="The cost table's 'seconds to' column: how "
                             "long each run took to first reach this validation accuracy.")
    views.costs(cache.shared("train.costs", (str(store.path), views.cost_key(snap, runs), target),
                             lambda: views.CostTable(views.cost_table(snap, runs, target))))


run_panel(store, training.KIND, "train", live, errors=False,  # outcomes: the cost table
          after=board.class_board(store), after_every=board.BOARD_SECONDS)

st.subheader("Try a review")
review = st.text_area("Review", "A beautiful, moving film. The acting was superb, though the "
                      "ending dragged a little.", key="train.review",
                      help=f"Any text; each trained model gives its P(positive). The first "
                           f"{MAX_TEXT_CHARS:,} characters are used.")
review = used_text(review, MAX_TEXT_CHARS)
# a fragment that does not poll (choosing the model to explain reruns only it): when a run
# ends, is renamed or deleted, the run panel's tick reruns the page, and this with it
st.fragment(review_views.try_review)(store, review)
with st.expander("Manage runs", key="train.manage_open!"):  # classroom mode too: Show to the class
    on_this_page = jobs.kinds_on("train")  # the classifiers, and any new kind of job
    manage(store, [r for r in store.list() if r["kind"] in on_this_page], "train")

questions("train")  # predict, then see: the questions of this page
