"""Models that travel, beyond the classifiers: a char language model's generate.py and a word2vec
space's nearest.py, run without the lab (tests/elsewhere.py), give the lab's own numbers."""
from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from core.embeddings import word2vec
from core.embeddings.space import EmbeddingSpace
from core.language import charlm
from core.language import export as char_export
from core.language.generation import RARE, StatefulGenerator
from tests import elsewhere


def _run(home, bundle: bytes, folder, *args) -> str:
    """Unpack the zip in an empty folder and run a script of it there, as ``python -I`` would,
    in the kernel started outside the project."""
    zipfile.ZipFile(io.BytesIO(bundle)).extractall(folder)
    return elsewhere.script(home, folder, *args)


@pytest.mark.parametrize("variant", charlm.VARIANTS)
def test_a_char_model_writes_at_home_as_in_the_lab(variant, tmp_path, home):
    import keras

    keras.utils.set_random_seed(0)
    chars = list("abcdefgh .") + [RARE]
    model = (charlm.build_fast_model(len(chars), 4, 8) if variant == "fast" else
             charlm.build_lecture_model(len(chars), 60, 8))
    model.save(tmp_path / "char-1.keras")
    (tmp_path / "char-1.chars.json").write_text(json.dumps(chars))
    bundle = char_export.bundle(tmp_path / "char-1.keras", tmp_path / "char-1.chars.json",
                                {"lower": True})
    said = _run(home, bundle, tmp_path / "home", "-c", (  # the script's own functions, one process
        "import json, sys\nsys.path.insert(0, '.')\nimport generate\n"
        "print(json.dumps(generate.next_probs(generate.load(), generate.read('A bad Egg, é'))"
        ".tolist()))\n"
        "print(generate.generate('a bad', 0.5, 20))")).strip().splitlines()
    lab = StatefulGenerator(model, chars).prime(f"a bad egg{RARE} {RARE}")  # as the lab reads it
    np.testing.assert_allclose(json.loads(said[-2]), lab, atol=1e-6)
    assert said[-1].startswith("a bad") and len(said[-1]) == 25 and set(said[-1]) <= set(chars)


def test_a_word2vec_space_finds_the_labs_neighbours_at_home(tmp_path, home):
    words = ["wonderful", "great", "awful", "movie", "null", "nan"]
    vectors = np.random.default_rng(0).normal(size=(len(words), 5)).astype("float32")
    word2vec.save_space(EmbeddingSpace(words, vectors), tmp_path / "run-1.w2v.npz")
    said = _run(home, word2vec.bundle(tmp_path / "run-1.w2v.npz"), tmp_path / "home", "nearest.py",
                "Wonderful", "3")
    lab = EmbeddingSpace(words, vectors).nearest("wonderful", 3)
    assert [line.split()[1] for line in said.strip().splitlines()] == [w for w, _ in lab]
    with pytest.raises(ValueError, match="missing or damaged"):
        word2vec.bundle(tmp_path / "nothing.npz")
