"""The sections of the Train & compare page: the form, live runs, curves, costs, the class
board. (Try a review: review_views.py.)"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.classify import models, training
from core.classify.costs import cost_rows
from core.runs import curves
from core.runs.protocols import RunReader
from dashboard import cache, literal, state
from dashboard.components.charts import show_table
from dashboard.components.run_panel import followed, launch

FAST_NOTE = ("Fast trains the models that read reviews of any length (the recurrent ones, "
             "the CNNs and the Transformer) on **length buckets**: each batch holds reviews of "
             "about the same length and is cut to it, so the model stops reading padding (at maxlen 500, 56 % "
             "of the steps). Recurrent layers and the Transformer's attention also **mask** what "
             "padding is left, and recurrent layers are compiled with **XLA** (it makes the CNN "
             "slower, so not there). Dense and GloVe models train as they are. Up to one "
             "batch of training reviews sits out each epoch, different ones each time. "
             "Measured here (`bench/race.py`, the lecture's six, 10 epochs on the full data, "
             "2 seeds): 4.4 min end to end instead of 9.8 (2.2x), best validation accuracy "
             "within 0.001 of plain fit's or above it for every model.")


NUMBER_FORMATS = {"params": "{:,.0f}", "s/epoch": "{:.1f}", "samples/s": "{:,.0f}",
                  "best val acc": "{:.4f}", "at epoch": "{:.0f}", "test at best": "{:.4f}",
                  "test at last": "{:.4f}"}


def kinds_from_link(raw: str) -> list[str]:
    """The models named in a link (``?models=lstm,cnn``); unknown names are dropped."""
    kinds = [k for k in raw.split(",") if k in models.KINDS]
    if not kinds:
        raise ValueError(f"no model kind in {raw!r}")
    return kinds


RACE_SETS = {"The lecture's six": tuple(models.LECTURE_PARAMS),
             "Bags against sequences": ("bow_logreg", "bigram_dense", "kim_cnn", "lstm",
                                        "transformer")}


def race_sets() -> None:
    """Buttons that pick a set of models to race (before the Models box is drawn)."""
    def pick(kinds):
        st.session_state["train.kinds"] = [k for k in kinds if k in models.KINDS]

    for column, (label, kinds) in zip(st.columns(3), RACE_SETS.items()):  # room in classroom
        column.button(label, key=f"train.set.{label}!", on_click=pick, args=(kinds,),
                      help="Models: " + ", ".join(kinds))


def hyperparameters(kinds: list[str], classroom: bool) -> dict:
    """Controls for the settings; with one model, every setting, seeded from its preset."""
    base = models.PRESETS[kinds[0]]
    c1, c2, c3, c4 = st.columns(4)
    sizes = [500, 2000, 5000, 10000, 25000]
    # in the link, so a reload keeps them (a reload used to reset to 10 epochs of 25,000
    # reviews, and the next Race was a full-data run)
    state.from_link("train.epochs", "epochs", state.clamped(1, 50, int))
    state.from_link("train.size", "reviews",
                    lambda raw: min(sizes, key=lambda n: abs(n - int(raw))))
    changes = {
        "epochs": c1.number_input("Epochs", 1, 50, base.epochs, key="train.epochs",
                                  help="Passes over the training reviews (networks; the "
                                       "scikit-learn baselines try 9 values of C instead)."),
        "train_size": c2.select_slider("Training reviews", sizes,
                                       base.train_size, key="train.size",
                                       help="How many train reviews to use (the validation share "
                                            "of them, 20% unless changed below, is held out)."),
        "seed": int(c3.number_input("Seed", 0, 10_000, 0, key="train.seed",
                                    help="Same seed, same start: initial weights and batch order. "
                                         "Small runs repeat exactly; on the full data two runs "
                                         "drift apart (by a few points of validation accuracy "
                                         "at a given epoch), because the CPU's multithreaded "
                                         "sums round differently each time.")),
        "fast": c4.checkbox("Fast", True, key="train.fast", help=FAST_NOTE),
    }
    state.to_link("epochs", changes["epochs"], base.epochs)
    state.to_link("reviews", changes["train_size"], base.train_size)
    if classroom or len(kinds) > 1:
        if len(kinds) > 1:
            st.caption("Several models: each keeps its lecture preset for the other settings.")
        return changes
    with st.expander(f"All settings of {kinds[0]}"):
        return changes | all_settings(kinds[0], base)


def all_settings(k: str, base: models.TrainConfig) -> dict:
    """Every other setting of one model kind, seeded from its preset ``base``."""
    a, b, c, d = st.columns(4)
    return {
        "num_words": a.number_input("Vocabulary", 5, 88588, base.num_words, key=f"train.{k}.nw",
                                    help="Words with ids beyond this become 'unknown'."),
        "maxlen": b.number_input("maxlen", 1, 2000, base.maxlen, key=f"train.{k}.maxlen",
                                 help="Words kept per review (the end of longer ones)."),
        "embedding_dim": c.number_input("Embedding size", 1, 512, base.embedding_dim,
                                        key=f"train.{k}.dim", help="Length of each word "
                                        "vector (glove_dense: 50, 100, 200 or 300)."),
        "units": d.number_input("Units", 1, 512, base.units, key=f"train.{k}.units",
                                help="Recurrent units, Conv1D filters or Dense units."),
        "batch_size": a.number_input("Batch size", 1, 4096, base.batch_size,
                                     key=f"train.{k}.batch", help="Reviews per update."),
        "optimizer": b.selectbox("Optimizer", models.OPTIMIZERS, key=f"train.{k}.opt",
                                 index=models.OPTIMIZERS.index(base.optimizer),
                                 help="The update rule."),
        "learning_rate": c.number_input("Learning rate", 1e-6, 5.0, base.learning_rate,
                                        format="%.5f", key=f"train.{k}.lr",
                                        help="Step size of each update."),
        "validation_split": d.slider("Validation share", 0.05, 0.5, base.validation_split,
                                     key=f"train.{k}.val", help="Last share of the training "
                                     "reviews held out, as Keras's validation_split."),
        "mask_zero": a.checkbox("Mask padding", base.mask_zero, key=f"train.{k}.mask",
                                help="Recurrent layers skip the padded zeros."),
        "recurrent_dropout": b.slider(
            "Recurrent dropout", 0.0, 0.5, base.recurrent_dropout, 0.05, key=f"train.{k}.rdrop",
            disabled=not models.ARCHITECTURES[k].recurrent,
            help="Drops parts of the recurrent state at each step while training (Chollet, "
                 "ch. 6): fights overfitting, costs speed. Recurrent kinds only."),
    }


def rule_of_thumb(store, config: models.TrainConfig) -> None:
    """The textbook's samples ÷ words-per-sample rule, on the reviews this setting uses, and
    what this person's finished runs (theirs, shown, added) show at it."""
    r = cache.samples_to_words(config)
    verdict = ("below it: the textbook expects a bag-of-bigrams model to beat sequence models "
               "on this data" if r["bag_of_bigrams_expected"] else
               "above it: sequence models are expected to start winning")
    race = training.race_at(followed(store.list(training.KIND), "train"), config.train_size)
    if "bag" in race and "sequence" in race:
        (bag, b), (seq, q) = race["bag"], race["sequence"]
        shown = (f"Finished runs on {config.train_size:,} reviews show: best bag model {bag} "
                 f"{b:.3f}, best sequence model {seq} {q:.3f} (test accuracy at the best "
                 "validation epoch).")
    else:
        shown = ("Race a bag model (bow_logreg, bigram_dense) against a sequence model at this "
                 "setting to see it.")
    st.caption(f"Rule of thumb (Chollet, *Deep Learning with Python*, 2nd ed., ch. 11): "
               f"{r['samples']:,} training reviews ÷ {r['mean_words']:.0f} words per review = "
               f"**{r['ratio']:,.0f}**, against the threshold of {r['threshold']:,}: {verdict}. "
               + shown)


def model_summary(config: models.TrainConfig) -> None:
    """Layers, output shapes and parameters of the model ``config`` builds."""
    table, total = cache.model_summary(config)
    show_table(pd.DataFrame(table), hide_index=True)
    note = ""
    if models.ARCHITECTURES[config.kind].pretrained and config.embedding_dim != 100:
        note = (f" The lecture's count, {models.LECTURE_PARAMS[config.kind]:,}, is at 100d; "
                f"GloVe {config.embedding_dim}d stands in here.")
    elif config == models.PRESETS[config.kind] and config.kind in models.LECTURE_PARAMS:
        note = f" Same as the lecture's {models.LECTURE_PARAMS[config.kind]:,}."
    if total is None:
        st.caption("Its parameters are counted when it is fitted: one weight per n-gram kept, "
                   "plus a bias.")
        return
    st.caption(f"{total:,} parameters.{note}")
    if config.kind == "cnn":
        st.caption("The lecture's CNN ends in Dense(1) with no activation yet trains with binary "
                   "cross-entropy, which then reads raw scores as probabilities; ours ends in a "
                   "sigmoid, so the loss sees real probabilities.")


def store_notice(store) -> None:
    """Say once per session that a damaged run store was moved aside (in a place drawn empty
    otherwise, so that the controls below do not move when it goes)."""
    slot = st.container()
    if store.moved_aside and not st.session_state.get(state.STORE_NOTICE):
        st.session_state[state.STORE_NOTICE] = True
        slot.warning(f"The run store was damaged and could not be read. It was moved to "
                     f"`{store.moved_aside.name}` (kept, not deleted) beside the new one, and a "
                     "fresh store was started: earlier runs are not listed.")


class CostTable:
    """A cost table made once per snapshot for every viewer: the frame, the same as an Arrow
    table (what ``st.dataframe`` sends; converting a frame each time cost every viewer), and
    the lines for runs that ended badly."""

    def __init__(self, frame: pd.DataFrame):
        import pyarrow as pa

        self.frame = frame
        self.arrow = pa.Table.from_pandas(frame, preserve_index=False)
        bad = frame[frame["status"].isin(["failed", "diverged", "interrupted"])].head(3)
        self.bad = [f"Run {row.run} ({literal.md(row.name)}) {row.status}: "
                    f"{literal.md(row.note, 300)}" for row in bad.itertuples()]


def costs(table: CostTable) -> None:
    """The cost table, with a line under it for runs that ended badly (what went wrong)."""
    show_table(table.frame, hide_index=True, arrow=table.arrow,
               column_config={"note": st.column_config.TextColumn(width="large")})
    for line in table.bad:
        st.caption(line)


def curve_series(reader: RunReader, runs: list[dict], metric: str, x: str, weight: float,
                 predicted: dict[int, dict] | None = None) -> list[dict]:
    """Per-run curve data for :func:`figures.training_curves` (``reader``: the store, or the
    tick's shared snapshot), with each run's prediction (``predicted``: by run id)."""
    return [curves.run_curve(run, reader.metrics(run["id"], "epoch"),
                             reader.metrics(run["id"], "batch"), metric, x, weight)
            | {"prediction": (predicted or {}).get(run["id"])} for run in runs]


SETTINGS = ("train.kinds", "train.epochs", "train.size", "train.seed", "train.fast",
            "train.predict")


def settings_now() -> tuple:
    """The values of every control the page reads its configs and predictions from (the
    models, the common settings, each model's own ``train.<kind>.*``, the predictions)."""
    kinds = set(models.KINDS)
    return tuple(sorted((key, repr(value)) for key, value in st.session_state.items()
                        if key in SETTINGS or key.startswith("train.predict.")
                        or key.split(".")[1:2] and key.split(".")[1] in kinds))


def race(store, configs: list, kinds: list[str], predicted: dict[str, dict], drawn: tuple,
         said: str) -> None:
    """Train / Race's callback: queue one run per config (all or none) and keep their
    predictions; what was refused is kept under the session key ``said``: (``st`` call, text)
    pairs for :func:`say`. The configs are those the button was drawn with: if a setting
    changed in the same interaction as the click (``settings_now() != drawn``), nothing is
    queued here and ``said + ".pending"`` asks the page to queue after reading them again."""
    from dashboard.components.board import keep_predictions

    if settings_now() != drawn:
        st.session_state[said + ".pending"] = True
        return
    ids, refused = launch(store, training.KIND, configs)
    st.session_state[said] = ([("error", refused)] if refused else []) + [
        ("warning", text) for text in keep_predictions(store, ids, kinds, predicted)]


def say(said: str) -> None:
    """Show what :func:`race` kept under ``said``, once (in a place drawn empty otherwise, so
    that the controls below do not move when it goes)."""
    slot = st.container()
    for level, text in st.session_state.pop(said, []):
        getattr(slot, level)(text)


def cost_key(reader: RunReader, runs: list[dict]) -> tuple:
    """All the cost table of ``runs`` is made from (a run's row changes when it ends, is
    renamed or shown, or an epoch ends; not with each batch), to build it once for it."""
    return tuple((r["id"], r["status"], r["name"], r.get("owner_name"), r.get("shown"),
                  r.get("error"), r.get("place"), repr(r["summary"]), repr(r["config"]),
                  reader.count(r["id"], "epoch")) for r in runs)


def cost_table(reader: RunReader, runs: list[dict], target: float = curves.TARGET_ACCURACY
               ) -> pd.DataFrame:
    """The cost table, numbers formatted; what a run does not have is "—", never "None"."""
    table = pd.DataFrame(cost_rows(runs, lambda run_id: reader.metrics(run_id, "epoch"), target))
    for column, style in NUMBER_FORMATS.items() | {f"s to val {target:.2f}": "{:.0f}"}.items():
        table[column] = [("—" if v is None or v != v else style.format(v)) for v in table[column]]
    return table
