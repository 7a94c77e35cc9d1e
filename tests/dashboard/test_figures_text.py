"""Figures show user text literally and grow for a projector."""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.tokens import text
from core.tokens.vocab import Vocabulary
from dashboard import figures, literal


def test_run_and_group_names_are_not_markup_in_legends():
    series = [{"name": "1·<b>bold</b>", "epoch_x": [1], "train": [0.5], "val": [0.4],
               "batch_x": [], "batch_raw": [], "batch_smooth": []}]
    fig = figures.training_curves(series, "loss", "epoch")
    assert all("<b>" not in t.name and "&lt;b&gt;" in t.name for t in fig.data)
    fig = figures.word_map(np.zeros((2, 2)), ["<a href='x'>a</a>", "b"], ["<b>g</b>", "g"], "t")
    assert {t.name for t in fig.data} == {"&lt;b&gt;g&lt;/b&gt;", "g"}


def test_markdown_echoes_are_escaped_and_capped():
    assert literal.md("**bold** [x](https://e.com) :red[y]") == (
        "\\*\\*bold\\*\\* \\[x\\]\\(https\\://e\\.com\\) \\:red\\[y\\]")
    assert len(literal.md("z" * 1_000_000)) < 100
    assert literal.words(["a"] * 20, 3) == "a, a, a and 17 more"


def test_projector_figures_use_large_type():
    fig = figures.for_projector(figures.ngram_explosion(pd.DataFrame(
        {"n": [1, 2], "distinct": [10, 1000], "sparsity": [0.9, 0.999]})))
    assert fig.layout.font.size >= 18 and fig.layout.title.font.size >= 24
    assert fig.layout.yaxis.tickfont.size >= 18 and fig.layout.yaxis.dtick == 1


def test_round_trip_tells_stop_words_from_unknown_words():
    vocab = Vocabulary(("movie", "good"), np.array([5, 3]), 8)
    trip = text.round_trip("the movie was zzqq", vocab, text.STOP_WORDS)
    assert trip["stop_words"] == ["the", "was"] and trip["unknown"] == ["zzqq"]


def test_a_3d_map_labels_the_listed_words_and_names_every_point_on_hover():
    words = ["good", "great", "fine", "bad", "awful"]
    fig = figures.word_map(np.arange(15.0).reshape(5, 3), words, ["g", "g", "g", "b", "b"], "t",
                           listed={"good", "bad"})
    labels = [t for trace in fig.data for t in trace.text]
    assert sorted(t for t in labels if t) == ["bad", "good"]
    assert sorted(h for trace in fig.data for h in trace.hovertext) == sorted(words)
    flat = figures.word_map(np.arange(10.0).reshape(5, 2), words, ["g"] * 5, "t", {"good"})
    assert list(flat.data[0].text) == words  # 2D keeps every label
