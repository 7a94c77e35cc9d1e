"""Trained IMDB classifiers to take home: a zip that its library loads without the lab.

- A Keras network: its ``.keras`` file (loaded by ``keras.saving.load_model`` in safe mode; the
  Transformer's one layer of our own travels as ``seqlab_layers.py`` beside it), the words it
  knows with the lab's encoding rules (``vocabulary.json``: Keras's IMDB ranks below
  num_words, start 1, unknown 2, ids = rank + 3, padded and cut at the front), and
  ``score.py``, which scores a review with Keras and the standard library only.
- A bag-of-words logistic regression: its TF-IDF vocabulary, idf weights, coefficients and
  settings as JSON (``bag.json``; no pickle), and ``score.py``, which rebuilds scikit-learn's
  ``TfidfVectorizer`` from them and scores with numpy.
- The Keras bag of bigrams: its layers after the bag (``model.keras``), the words and pairs
  its TextVectorization knows (``vocabulary.json``), and a ``score.py`` that builds that layer
  again (Keras cannot load it from a saved model).

Both ``score.py`` split words as the lab does (Keras's ``text_to_word_sequence``), so a review
scores as on the Train page (tests/core/test_export.py runs them without the lab).
"""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from core.data import imdb

SPLIT = f'''FILTERS = {imdb.KERAS_FILTERS!r}  # Keras's text_to_word_sequence


def words(text):
    """Lower-case, punctuation to spaces, split: how the lab reads a review."""
    return text.lower().translate(str.maketrans({{c: " " for c in FILTERS}})).split()
'''

KERAS_SCORE = '''"""Score a review with this model: python score.py "A review." (Keras only, no lab)."""
import json
import sys
from pathlib import Path

import keras
import numpy as np

HERE = Path(__file__).parent
{split}

def encode(text, vocab, any_length=False):
    """The lab's encoding: start 1, rank + 3 for known words, 2 for the rest, cut and
    padded at the front to maxlen; a model trained on length buckets (its input takes any
    length) reads no more padding than its shortest input needs."""
    limit = vocab["num_words"] - 3
    ids = [1] + [vocab["word_index"][w] + 3 if vocab["word_index"].get(w, limit) < limit else 2
                 for w in words(text)]
    ids = ids[-vocab["maxlen"]:]
    length = max(len(ids), vocab["min_length"]) if any_length else vocab["maxlen"]
    row = np.zeros((1, length), dtype="int32")
    row[0, length - len(ids):] = ids
    return row


def load():
    if (HERE / "seqlab_layers.py").is_file():  # the Transformer's own layer, registered
        sys.path.insert(0, str(HERE))
        import seqlab_layers  # noqa: F401
    return keras.saving.load_model(HERE / "model.keras", safe_mode=True, compile=False)


def score(text, model=None):
    """P(positive) of ``text``."""
    vocab = json.loads((HERE / "vocabulary.json").read_text(encoding="utf-8"))
    model = model or load()
    row = encode(text, vocab, model.input_shape[1] is None)
    return float(model.predict(row, verbose=0).reshape(-1)[0])


if __name__ == "__main__":
    print(repr(score(' '.join(sys.argv[1:]) or 'A beautiful, moving film.')))
'''

BAG_SCORE = '''"""Score a review with this bag-of-words model: python score.py "A review."
(scikit-learn and numpy only, no lab, no pickle)."""
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

HERE = Path(__file__).parent
{split}

def grams(text, n):
    w = words(text)
    return w + [" ".join(w[i:i + 2]) for i in range(len(w) - 1)] if n == 2 else w


def load():
    bag = json.loads((HERE / "bag.json").read_text(encoding="utf-8"))
    vec = TfidfVectorizer(analyzer=lambda t: grams(t, bag["ngrams"]),
                          vocabulary={{g: i for i, g in enumerate(bag["vocabulary"])}},
                          **bag["tfidf"])
    vec.idf_ = np.array(bag["idf"])
    return vec, np.array(bag["coef"]), bag["intercept"]


def score(text, model=None):
    """P(positive) of ``text``."""
    vec, coef, intercept = model or load()
    return float(1 / (1 + np.exp(-(vec.transform([text]) @ coef + intercept)[0])))


if __name__ == "__main__":
    print(repr(score(' '.join(sys.argv[1:]) or 'A beautiful, moving film.')))
'''


BIGRAM_SCORE = '''"""Score a review with this bag-of-bigrams network: python score.py "A review."
(Keras only, no lab). Keras cannot load its TextVectorization from a saved model, so the
words and word pairs it knows travel as vocabulary.json and the layer is built again here."""
import json
import sys
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

HERE = Path(__file__).parent


def load():
    terms = json.loads((HERE / "vocabulary.json").read_text(encoding="utf-8"))
    seen, unique = set(), []
    for i, term in enumerate(terms):  # a term Keras would refuse (empty, or again) keeps its
        unique.append(term if term and term not in seen else f"\\x00{i}")  # column
        seen.add(term)
    count = keras.layers.TextVectorization(ngrams=2, output_mode="count", vocabulary=unique)
    head = keras.saving.load_model(HERE / "model.keras", safe_mode=True, compile=False)
    return count, head


def score(text, model=None):
    """P(positive) of ``text``: the words and word pairs it has, 0/1, then the network."""
    count, head = model or load()
    bag = (count(tf.constant([text])[:, None]).numpy() > 0).astype("float32")
    return float(head.predict(bag, verbose=0).reshape(-1)[0])


if __name__ == "__main__":
    print(repr(score(' '.join(sys.argv[1:]) or 'A beautiful, moving film.')))
'''


def _zip(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


def check(model_path: Path, config: dict) -> None:
    """ValueError for a model that cannot travel: a kind no longer registered."""
    from core.classify.models import ARCHITECTURES

    kind = config.get("kind")
    if model_path.suffix != ".npz" and kind not in ARCHITECTURES:
        raise ValueError(f"a {kind} model cannot be taken home as a standalone file")


def bundle(model_path: Path, config: dict) -> bytes:
    """The zip to take run ``config``'s trained model home (``model_path``: its saved file);
    ValueError when :func:`check` says it cannot travel yet."""
    from core.classify import baselines
    from core.classify.models import ARCHITECTURES

    check(model_path, config)
    if model_path.suffix == ".npz":
        model = baselines.BowModel.load(model_path)
        bag = {"ngrams": model.ngrams, "vocabulary": list(model.vocabulary),
               "idf": [float(v) for v in model.vectorizer.idf_],
               "coef": [float(v) for v in model.coef], "intercept": float(model.intercept),
               "tfidf": {k: v for k, v in baselines.TFIDF.items() if k != "min_df"}}
        return _zip({"bag.json": json.dumps(bag), "score.py": BAG_SCORE.format(split=SPLIT)})
    kind = config["kind"]
    if kind == "bigram_dense":  # its layers after the bag, and the bag's words and pairs
        return _zip({"model.keras": model_path.read_bytes(),
                     "vocabulary.json": model_path.with_suffix(".vocab.json").read_text("utf-8"),
                     "score.py": BIGRAM_SCORE})
    num_words, arch = int(config["num_words"]), ARCHITECTURES[kind]
    known = {w: r for w, r in imdb.load_word_index().items() if r < num_words - 3}
    vocabulary = {"num_words": num_words, "maxlen": int(config["maxlen"]),
                  "min_length": arch.min_maxlen, "word_index": known}
    files = {"model.keras": model_path.read_bytes(), "vocabulary.json": json.dumps(vocabulary),
             "score.py": KERAS_SCORE.format(split=SPLIT)}
    if kind == "transformer":
        files["seqlab_layers.py"] = (Path(__file__).parent / "blocks.py").read_text("utf-8")
    return _zip(files)
