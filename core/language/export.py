"""A trained char language model to take home: its ``.keras`` file (Keras layers only, loaded in
safe mode), its alphabet, and ``generate.py``, which writes with it at any temperature with
Keras and numpy alone, reading the prime as the lab does (tests/core/test_export_more.py runs
it without the lab and compares its next-character probabilities with the lab's)."""
from __future__ import annotations

import inspect
import io
import json
import zipfile
from pathlib import Path

from core.language.generation import RARE, reweight_distribution

GENERATE = '''"""Write with this model: python generate.py "the truth is " [temperature] [length]
(Keras and numpy only, no lab). python generate.py --probs "prime" prints P(next character)."""
import json
import math
import sys
from pathlib import Path

import keras
import numpy as np

HERE = Path(__file__).parent
CHARS = json.loads((HERE / "alphabet.json").read_text(encoding="utf-8"))
LOWER = {lower}  # the model was trained on lower-cased text
RARE = {rare!r}  # the marker for characters outside the alphabet (when the alphabet has it)


def load():
    """The model over any length of text: its own layers after a variable-length input."""
    saved = keras.saving.load_model(HERE / "model.keras", safe_mode=True, compile=False)
    return keras.Sequential([keras.Input((None,), dtype="int32"), *saved.layers])


def read(text):
    """The text as the model reads it: its case, and characters outside the alphabet as RARE
    (or left out when the alphabet has no RARE)."""
    text = text.lower() if LOWER else text
    marker = RARE if RARE in CHARS else ""
    return "".join(c if c in CHARS else marker for c in text)


def next_probs(model, text):
    """P(next character) after reading ``text`` (in the alphabet) from an empty state."""
    # called eagerly: each prime has its own length (a traced predict of the lecture's one-hot
    # layer fails on a length it has not seen)
    out = np.asarray(model(np.array([[CHARS.index(c) for c in text]], dtype="int32")))
    if out.ndim == 3:  # a model predicting every position gives logits: take the last
        logits = out[0, -1].astype("float64")
        p = np.exp(logits - logits.max())
    else:  # the lecture's model gives the softmax of the next character
        p = out[0].astype("float64")
    return p / p.sum()


{reweight}

def generate(prime, temperature=0.5, length=300, seed=0):
    model, rng, text = load(), np.random.default_rng(seed), read(prime)
    if not text:
        raise SystemExit("the prime has no character this model knows")
    for _ in range(length):
        p = reweight_distribution(next_probs(model, text), temperature)
        text += CHARS[int(rng.choice(len(p), p=p))]
    return text


if __name__ == "__main__":
    if sys.argv[1:2] == ["--probs"]:
        print(json.dumps(next_probs(load(), read(sys.argv[2])).tolist()))
    else:
        args = sys.argv[1:] + [None] * 3
        print(generate(args[0] or "the truth is that ", float(args[1] or 0.5),
                       int(args[2] or 300)))
'''


def bundle(model_path: Path, chars_path: Path, config: dict) -> bytes:
    """The zip to take char run ``config``'s model home."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("model.keras", model_path.read_bytes())
        z.writestr("alphabet.json", json.dumps(json.loads(chars_path.read_text("utf-8"))))
        z.writestr("generate.py", GENERATE.format(
            lower=bool(config.get("lower", True)), rare=RARE,
            reweight=inspect.getsource(reweight_distribution)))
    return buffer.getvalue()
