"""EmbeddingSpace against brute force on tiny random spaces; GloVe parsing; the exercise."""
from __future__ import annotations

import gzip

import numpy as np
import pytest

from core.embeddings import glove
from core.embeddings.space import EmbeddingSpace, embedding_matrix, neighbour_overlap
from tests.conftest import requires_mirror


@pytest.fixture
def space() -> EmbeddingSpace:
    rng = np.random.default_rng(0)
    return EmbeddingSpace([f"w{i}" for i in range(40)], rng.normal(size=(40, 8)), "tiny")


def _brute(space, q, metric):
    scores = []
    for w, v in zip(space.words, space.vectors):
        if metric == "cosine":
            scores.append((w, float(v @ q / np.linalg.norm(v) / np.linalg.norm(q))))
        else:
            scores.append((w, float(np.linalg.norm(v - q))))
    return sorted(scores, key=lambda p: -p[1] if metric == "cosine" else p[1])


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
def test_nearest_matches_brute_force(space, metric):
    expected = [p for p in _brute(space, space.vector("w3"), metric) if p[0] != "w3"][:7]
    got = space.nearest("w3", 7, metric)
    assert [w for w, _ in got] == [w for w, _ in expected]
    assert np.allclose([s for _, s in got], [s for _, s in expected], atol=1e-5)


def test_k_beyond_the_vocabulary_returns_everything_but_the_query(space):
    assert len(space.nearest("w0", 10_000)) == 39


def test_k_must_be_positive_and_metric_known(space):
    with pytest.raises(ValueError, match="k must be >= 1, got 0"):
        space.nearest("w0", 0)
    with pytest.raises(ValueError, match="metric must be one of"):
        space.nearest("w0", 3, "manhattan")


def test_ties_are_broken_by_row_order():
    s = EmbeddingSpace(["a", "b", "c", "d"], np.array([[1, 0], [1, 0], [1, 0], [0, 1]], float))
    assert [w for w, _ in s.nearest("a", 3)] == ["b", "c", "d"]


def test_unknown_word_names_the_word_and_space(space):
    with pytest.raises(KeyError, match="'zebra' is not in the tiny vocabulary \\(40 words\\)"):
        space.vector("zebra")


def test_similarity_and_analogy_against_brute_force(space):
    a, b, c = (space.vectors[space.index(w)] for w in ("w1", "w2", "w3"))
    unit = lambda v: v / np.linalg.norm(v)  # noqa: E731
    target = unit(b) - unit(a) + unit(c)
    expected = [p for p in _brute(space, target, "cosine") if p[0] not in ("w1", "w2", "w3")][:4]
    assert [w for w, _ in space.analogy("w1", "w2", "w3", 4)] == [w for w, _ in expected]
    assert space.similarity("w1", "w2") == pytest.approx(float(unit(a) @ unit(b)), abs=1e-6)


def test_project_shape_and_determinism(space):
    words = space.words[:12]
    first, second = space.project(words, 3), space.project(words, 3)
    assert first.shape == (12, 3) and np.array_equal(first, second)
    with pytest.raises(ValueError, match="n_components must be 2 or 3"):
        space.project(words, 4)


def test_axis_projection_orders_the_ends():
    s = EmbeddingSpace(["bad", "good", "ok"], np.array([[-1, 0.1], [1, 0.1], [0, 1]], float))
    pos = s.axis_projection("bad", "good", ["bad", "ok", "good"])
    assert pos[0] < pos[1] < pos[2]


def test_close_spellings_suggest_vocabulary_words():
    s = EmbeddingSpace(["king", "kings", "queen"], np.eye(3))
    assert s.close_spellings("kng")[0] == "king" and s.close_spellings("King") == ["king"]
    assert s.close_spellings("   ") == []


def test_glove_parser_keeps_words_pandas_would_turn_into_nan(tmp_path):
    lines = ["the 0.1 0.2", "null 1 2", "nan 3 4", "n/a 5 6", "# 7 8", '" 9 10', "NA 11 12"]
    path = tmp_path / "tiny.txt.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    words, vectors = glove.parse_glove(path)
    assert words == ["the", "null", "nan", "n/a", "#", '"', "NA"]
    assert vectors.dtype == np.float32 and vectors.shape == (7, 2) and vectors[6, 1] == 12


def test_embedding_matrix_leaves_padding_and_unknown_rows_zero():
    s = EmbeddingSpace(["cat", "dog"], np.array([[1, 2], [3, 4]], float))
    matrix, found = embedding_matrix(["", "dog", "zebra", "cat"], s, 4)
    assert found.tolist() == [False, True, False, True]
    assert matrix.tolist() == [[0, 0], [3, 4], [0, 0], [1, 2]]


def test_neighbour_overlap_is_jaccard():
    m = neighbour_overlap({"a": ["x", "y"], "b": ["y", "z"]})
    assert np.allclose(m, [[1, 1 / 3], [1 / 3, 1]])


def test_mismatched_words_and_vectors_are_refused():
    with pytest.raises(ValueError, match="one vector per word"):
        EmbeddingSpace(["a"], np.zeros((2, 3)))


def test_dense_on_one_hot_is_an_embedding_lookup():
    from core.embeddings.exercise import dense_versus_embedding

    r = dense_versus_embedding(vocab_size=6, dim=3, k=4, v=np.array([1, 0, 2, 0, 0, 1.0]))
    assert np.allclose(r["dense_one_hot"], r["W"][4]) and np.allclose(r["embedding_k"], r["W"][4])
    assert np.allclose(r["dense_v"], r["W"][0] + 2 * r["W"][2] + r["W"][5], atol=1e-5)


@requires_mirror
def test_glove_50d_lecture_numbers():
    g = glove.load_glove(50)
    assert len(g) == 400_000 and g.dim == 50 and "null" in g and "nan" in g
    assert g.similarity("king", "queen") == pytest.approx(0.784, abs=0.005)
    assert "queen" in [w for w, _ in g.analogy("man", "king", "woman", 5)]
