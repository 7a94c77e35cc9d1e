"""A chart's text alternative and its table come from the chart's own data (issue 32)."""
from __future__ import annotations

import numpy as np

from dashboard.figures import embeddings, inside, text, training
from dashboard.figures.describe import MAX_CHARS, describe, table


def _series(name, val, batches=0):
    return dict(name=name, epoch_x=list(range(1, len(val) + 1)), train=[v - 0.05 for v in val],
                val=val, batch_x=list(np.linspace(0, len(val), batches)),
                batch_raw=[0.5] * batches, batch_smooth=[0.5] * batches)


def test_training_curves_are_told_by_their_best_epoch_and_their_last():
    fig = training.training_curves([_series("1·lstm", [0.80, 0.887, 0.86], batches=30),
                                    _series("2·dense", [0.70, 0.759, 0.74, 0.73])],
                                   "accuracy", "epoch")
    said = describe(fig)
    assert said.startswith("Chart (accuracy against epoch), 5 series.")  # the faint raw copy is not one
    assert "1·lstm · validation: 3 points from 0.8 at epoch 1 to 0.86 at epoch 3; " \
           "highest 0.887 at epoch 2" in said
    assert "2·dense · validation: 4 points" in said and "highest 0.759 at epoch 2" in said
    rows = table(fig)
    assert set(rows["series"]) == {"1·lstm · batches (smoothed)", "1·lstm · train",
                                   "1·lstm · validation", "2·dense · train", "2·dense · validation"}
    val = rows[rows["series"] == "1·lstm · validation"]
    assert val["x"].tolist() == [1, 2, 3] and val["y"].tolist() == [0.80, 0.887, 0.86]


def test_a_chart_with_nothing_drawn_says_so():
    fig = training.training_curves([_series("1·gru", [])], "loss", "epoch")
    assert "1·gru · validation: no points yet" in describe(fig)
    assert describe(training.training_curves([], "loss", "epoch")).endswith("nothing drawn yet.")
    assert table(training.training_curves([], "loss", "epoch")).empty


def test_bars_are_told_largest_first_with_their_labels():
    fig = embeddings.scored_words([("queen", 0.78), ("king", 0.9), ("prince", 0.7),
                                   ("duke", 0.6)], "Nearest to king", "cosine similarity")
    said = describe(fig)
    assert "Bar chart: Nearest to king" in said
    assert "4 bars; largest king 0.9, queen 0.78, prince 0.7; smallest duke 0.6" in said
    rows = table(fig)
    assert sorted(zip(rows["y"], rows["x"])) == [("duke", 0.6), ("king", 0.9),
                                                 ("prince", 0.7), ("queen", 0.78)]


def test_a_grid_names_its_highest_and_lowest_cells_by_their_words():
    fig = training.word_importance(["a", "superb", "dull", "film"],
                                   np.array([0.01, 0.31, -0.27, 0.0]))
    said = describe(fig)
    assert "4 values" in said and "highest 0.31 at 'superb', lowest -0.27 at 'dull'" in said
    rows = table(fig)
    assert rows.set_index("label")["value"].to_dict() == {"a": 0.01, "superb": 0.31,
                                                           "dull": -0.27, "film": 0.0}


def test_a_word_map_counts_its_points_and_names_some():
    words = [f"word{i}" for i in range(40)]
    fig = embeddings.word_map(np.random.default_rng(0).normal(size=(40, 3)), words,
                              ["good"] * 20 + ["bad"] * 20, "PCA of 40 words")
    said = describe(fig)
    assert said.startswith("Map: PCA of 40 words") and "20 points, among them word0" in said
    assert len(table(fig)) == 40 and set(table(fig)["label"]) == set(words)


def test_a_word_that_looks_like_markup_is_told_as_written_and_the_text_is_capped():
    fig = text.bag_of_words([f"<b>w{i}</b>" for i in range(60)], np.arange(60.0), "count")
    said = describe(fig)  # the figure escapes it for plotly; the text unescapes it again
    assert "largest <b>w59</b> 59" in said and "&lt;" not in said
    many = inside.gradient_norms({f"layer kind {i}": np.logspace(0, -i, 50) for i in range(20)})
    assert len(describe(many)) <= MAX_CHARS and "more series" in describe(many) or \
        "the rest in the table" in describe(many)
