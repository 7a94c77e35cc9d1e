"""Code for a view, taken home: the exported code builds the lab's model (same parameter count)
for every Keras kind, and each exported notebook runs from start to end in a kernel emptied for
it (tests/elsewhere.py), on tiny data of the test's own, through its one local-copy line,
without the lab."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core import notebooks
from core.classify import code, models
from core.embeddings import code as glove_code
from core.language import charlm
from core.language import code as char_code
from core.rnn import code as rnn_code
from core.rnn import inside
from core.tokens import code as text_code
from tests import elsewhere

KERAS_KINDS = [k for k in models.KINDS  # the networks built from word ids
               if models.ARCHITECTURES[k].keras and models.ARCHITECTURES[k].fit is None]


@pytest.mark.parametrize("kind", KERAS_KINDS)
def test_the_code_builds_the_labs_model_for_every_kind(kind):
    for config in (models.preset(kind), models.preset(kind, fast=True, units=8)):
        namespace = {}
        exec(code.keras_model_code(config).replace("model.summary()", "pass  #"), namespace)
        lab = models.build_from_config(config)
        assert namespace["model"].count_params() == lab.count_params()
        assert [type(x).__name__ for x in namespace["model"].layers] == \
            [type(x).__name__ for x in lab.layers]


def test_the_code_follows_the_settings():
    small = code.keras_model_code(models.preset("lstm", units=7, embedding_dim=5))
    assert "units=7" in small and "output_dim=5" in small and "units=32" not in small
    cells = code.train_cells(models.preset("lstm", epochs=3, batch_size=64),
                             {"test_accuracy": 0.871, "test_at_best": 0.88})
    text = notebooks.script("t", cells)
    assert "epochs=3" in text and "batch_size=64" in text and "87.1%" in text
    compile(text, "exported.py", "exec")  # a script that parses


def _execute(kernel, notebook: str, local_copy, folder, check: str) -> str:
    """Run the notebook with its local-copy line pointed at ``local_copy`` and ``check`` as a
    last cell, in the emptied kernel working in ``folder``; all its printed text."""
    import nbformat

    if local_copy is not None:
        assert notebook.count(notebooks.LOCAL_COPY_LINE) == 1
        notebook = notebook.replace(notebooks.LOCAL_COPY_LINE, f"LOCAL_COPY = {str(local_copy)!r}")
    nb = nbformat.reads(notebook, as_version=4)
    nbformat.validate(nb)
    nb.cells.append(nbformat.v4.new_code_cell(check))
    return elsewhere.run(kernel, nb, folder)


@pytest.mark.parametrize("kind", ["dense", "glove_dense"])
def test_the_train_notebook_runs_alone_on_a_local_copy(kind, tmp_path, home):
    config = models.preset(kind, train_size=200, epochs=1, num_words=500,
                           **({"embedding_dim": 50} if kind == "glove_dense" else {}))
    rng = np.random.default_rng(0)
    arrays = {f"x_{s}": rng.integers(0, config.num_words, (n, config.maxlen)).astype("int32")
              for s, n in (("train", 300), ("test", 50))}
    arrays |= {f"y_{s}": rng.integers(0, 2, n) for s, n in (("train", 300), ("test", 50))}
    words = [f"w{i}" for i in range(1, 600)]  # Keras's ranks start at 1; GloVe knows 1 in 3
    arrays |= {"index_words": np.array(words), "index_ranks": np.arange(1, 600),
               "glove_words": np.array(words[::3]),
               "glove_vectors": rng.normal(size=(len(words[::3]), 50)).astype("float32")}
    np.savez(tmp_path / "tiny.npz", **arrays)
    said = _execute(home, notebooks.notebook("t", code.train_cells(config)),
                    tmp_path / "tiny.npz", tmp_path, "print('PARAMS', model.count_params())\n"
                    "print('FROZEN', model.get_layer('embedding').trainable)\n"
                    "print('EVAL', model.evaluate(x_test, y_test, verbose=0)[1])")
    assert f"PARAMS {models.build_from_config(config).count_params()}" in said
    assert _number(said, "test accuracy") == pytest.approx(_number(said, "EVAL"), abs=1e-3)
    if kind == "glove_dense":  # ids 4 .. 499 are ranks 1 .. 496; every third has a vector
        assert f"{len(range(1, 497, 3))} of 500 ids have a vector" in said
        assert "FROZEN False" in said


def test_the_bag_of_bigrams_notebook_runs_alone_on_a_local_copy(tmp_path, home):
    from core.classify import baselines

    rng = np.random.default_rng(0)
    good, bad = "good great fine superb".split(), "bad awful boring dull".split()
    labels = rng.integers(0, 2, 240)
    texts = [" ".join(rng.choice(good if y else bad, 4)) + " movie" for y in labels]
    np.savez(tmp_path / "tiny.npz", train_texts=np.array(texts[:200]), train_labels=labels[:200],
             test_texts=np.array(texts[200:]), test_labels=labels[200:])
    config = models.preset("bigram_dense", train_size=200, epochs=3, batch_size=16)
    said = _execute(home, notebooks.notebook("t", code.train_cells(config)),
                    tmp_path / "tiny.npz", tmp_path, "print('PARAMS', model.count_params())\n"
                    "print('EVAL', model.evaluate(tf.constant(test_texts)[:, None], "
                    "test_labels, verbose=0)[1])")
    lab = baselines.build_bigram_dense(texts[:160], units=config.units).count_params()
    assert f"PARAMS {lab}" in said
    assert _number(said, "test accuracy") == pytest.approx(_number(said, "EVAL"), abs=1e-3)


def test_the_bag_notebook_runs_alone_on_a_local_copy(tmp_path, home):
    rng = np.random.default_rng(0)
    good, bad = ("good great fine superb", "bad awful boring dull")

    def texts(n):
        labels = rng.integers(0, 2, n)
        return [" ".join(rng.choice((good if y else bad).split(), 3)) + " movie"
                for y in labels], labels

    (train, train_y), (test, test_y) = texts(200), texts(40)
    np.savez(tmp_path / "tiny.npz", train_texts=np.array(train), train_labels=train_y,
             test_texts=np.array(test), test_labels=test_y)
    config = models.preset("bow_logreg", train_size=200)
    said = _execute(home, notebooks.notebook("t", code.train_cells(config)),
                    tmp_path / "tiny.npz", tmp_path,
                    "print('ACC', best[2].score(test_texts, test_labels))")
    assert "test accuracy 1.000" in said and "ACC 1.0" in said


@pytest.mark.parametrize("variant", charlm.VARIANTS)
def test_the_char_notebook_runs_alone_on_a_local_copy(variant, tmp_path, home):
    text = "the quick brown fox jumps over the lazy dog. " * 100
    (tmp_path / "tiny.txt").write_text(text, encoding="utf-8")
    config = charlm.CharConfig(corpus="nietzsche", variant=variant, units=16, embedding_dim=4,
                               epochs=1, maxlen=20, step=7)
    vocab = len(charlm.alphabet(text))
    cells = char_code.char_cells(config, vocab, {"val_bits_per_char": 2.0}, "the ", 0.5, 20)
    said = _execute(home, notebooks.notebook("t", cells), tmp_path / "tiny.txt", tmp_path,
                    "print('PARAMS', model.count_params())")
    lab = (charlm.build_fast_model(vocab, 4, 16) if variant == "fast" else
           charlm.build_lecture_model(vocab, 20, 16)).count_params()
    assert f"PARAMS {lab}" in said and "bits per character" in said
    assert any(line.startswith("the ") and len(line) == 24 for line in said.splitlines())


def test_the_text_notebook_gives_the_labs_ids_and_bag_of_words(tmp_path, home):
    from core.tokens import text, vocab

    train = ["A great film, I don't know why.<br />Great acting!", "the movie was bad and dull",
             "great great movie, the end", "bad acting, bad film"]
    np.savez(tmp_path / "tiny.npz", train_texts=np.array(train), train_labels=np.ones(4, int),
             test_texts=np.array(["x"]), test_labels=np.zeros(1, int))
    typed = "Great movie, don't miss it! 😀"
    cells = text_code.text_cells(typed, 2, 5, True, "tf-idf", 16)
    said = _execute(home, notebooks.notebook("t", cells), tmp_path / "tiny.npz", tmp_path,
                    "print('IDS', ids)\nprint('BAG', [round(float(v), 6) for v in bag])")
    lab = vocab.count_vocabulary(train).top(5, text.STOP_WORDS)
    assert f"IDS {text.round_trip(typed, lab)['ids']}" in said
    bag = [round(float(v), 6) for v in text.bag_of_words(typed, lab, "tf-idf")]
    assert f"BAG {bag}" in said


def test_the_embeddings_notebook_finds_the_labs_neighbours(tmp_path, home):
    from core.embeddings.space import EmbeddingSpace

    words = ("excellent good great fine bad awful terrible boring man king woman queen prince "
             "actor null nan").split()
    vectors = np.random.default_rng(0).normal(size=(len(words), 6)).round(4)
    (tmp_path / "glove.txt").write_text("".join(
        w + " " + " ".join(f"{v:.4f}" for v in row) + "\n" for w, row in zip(words, vectors)))
    cells = glove_code.glove_cells(50, "excellent", 4, "euclidean", ("man", "king", "woman"),
                                   {"good": ["good", "great", "zzz"], "bad": ["bad"]}, 2, 3)
    said = _execute(home, notebooks.notebook("t", cells), tmp_path / "glove.txt", tmp_path,
                    "print('NEAR', [w for w, _ in nearest(vectors[index['excellent']], 4, "
                    "'euclidean', {'excellent'})])")
    space = EmbeddingSpace(words, vectors)
    assert f"NEAR {[w for w, _ in space.nearest('excellent', 4, 'euclidean')]}" in said
    assert f"({len(words)}, 6)" in said  # "null" and "nan" are read as words, not missing
    assert "not in GloVe: zzz" in said and (tmp_path / "pca_map.html").is_file()


@pytest.mark.parametrize("kind, arrangement", [("lstm", "two in series"),
                                               ("simple_rnn", "one twice as wide")])
def test_the_unrolled_notebook_matches_keras_in_numpy(kind, arrangement, tmp_path, home):
    cells = rnn_code.unrolled_cells(kind, "Seq-uence", 3, 1, arrangement)
    said = _execute(home, notebooks.notebook("t", cells), None, tmp_path,
                    "print('DIFF', float(np.abs(inputs - keras_states).max()))")
    params = sum(inside.layer_params(kind, inputs, units) for inputs, units in zip(
        [26, *inside.stack_shapes(arrangement, 3)], inside.stack_shapes(arrangement, 3)))
    assert f"{params} parameters" in said
    assert float(said.split("DIFF ")[1].split()[0]) < 1e-5


def test_each_notebook_finds_the_kernel_as_a_fresh_one_would_be(tmp_path, home):
    """The shared kernel holds nothing of the notebook before: its names, Keras's layer
    numbering and its working directory are gone."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    _execute(home, notebooks.notebook("t", [("code", "import keras\nleft = 1\n"
                                                     "keras.layers.Dense(1, name=None)")]),
             None, first, "")
    said = _execute(home, notebooks.notebook("t", [("code", "import os, keras")]), None, second,
                    "print('LEFT', 'left' in dir(), os.getcwd())\n"
                    "print('NAME', keras.layers.Dense(1).name)")
    assert f"LEFT False {second}" in said and "NAME dense\n" in said


def test_each_script_runs_as_python_would_run_it(tmp_path, home):
    """A script taken home imports its own folder's modules, not an earlier script's; it gets
    its arguments; a non-zero exit fails; the lab cannot be imported."""
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "helper.py").write_text(f"WHO = {name!r}\n")
        (tmp_path / name / "main.py").write_text(
            "import sys\nimport helper\nprint(helper.WHO, sys.argv[1:])\n"
            "sys.exit(int(sys.argv[1]))\n")
    assert elsewhere.script(home, tmp_path / "first", "main.py", "0").strip() == "first ['0']"
    assert elsewhere.script(home, tmp_path / "second", "main.py", "0").strip() == "second ['0']"
    for name in ("first", "second"):  # code that puts its own folder on the path, as -c does
        said = elsewhere.script(home, tmp_path / name, "-c", "import sys\n"
                                "sys.path.insert(0, '.')\nimport helper\nprint(helper.WHO)")
        assert said.strip() == name
    with pytest.raises(Exception, match="AssertionError"):
        elsewhere.script(home, tmp_path / "second", "main.py", "3")
    with pytest.raises(Exception, match="ModuleNotFoundError"):
        elsewhere.script(home, tmp_path, "-c", "import core")


def _number(said: str, label: str) -> float:
    """The number printed after ``label`` in a notebook's output."""
    import re

    found = re.search(rf"{label}\s+([0-9.]+)", said)
    assert found, f"no {label!r} in {said[-500:]!r}"
    return float(found.group(1))


def test_the_code_quotes_the_newest_finished_run_of_exactly_these_settings():
    config = models.preset("dense", epochs=2)
    same = dataclasses.asdict(config)
    runs = [{"status": "running", "config": same, "summary": {"n": 1}},  # newest first
            {"status": "finished", "config": {**same, "epochs": 3}, "summary": {"n": 2}},
            {"status": "finished", "config": same, "summary": {"n": 3}},
            {"status": "finished", "config": same, "summary": {"n": 4}}]
    assert code.measured_by(runs, config) == {"n": 3}
    assert code.measured_by(runs[:2], config) is None
