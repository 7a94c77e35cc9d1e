"""Using trained IMDB models: safe loading, encoding new text, and word importance."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from core import paths
from core.data import imdb
from core.tokens.rules import MAX_TEXT_CHARS


def load_trained(path: str | Path):
    """A model saved by our own training, loaded in Keras's safe mode (no arbitrary code);
    anything outside the project's run folder is refused."""
    import keras

    from core.classify import blocks  # noqa: F401  (registers our layers for safe loading)

    path = Path(path).resolve()
    allowed = (paths.runs_dir() / "models").resolve()
    if allowed not in path.parents or path.suffix not in (".keras", ".npz"):
        raise ValueError(f"refusing to load {path}: only models under {allowed} are loaded")
    if path.suffix == ".npz":  # a bag-of-words baseline: arrays only, no pickle
        from core.classify.baselines import BowModel

        return BowModel.load(path)
    model = keras.saving.load_model(path, safe_mode=True, compile=False)
    from core.classify.baselines import BIGRAM_HEAD, BigramModel

    return BigramModel.load(model, path) if model.name == BIGRAM_HEAD else model


def encode_words(words: list[str], num_words: int, maxlen: int) -> np.ndarray:
    """Words to one padded row of Keras IMDB ids (start 1, unknown 2, rank + 3; 'pre')."""
    ids = ([1] + imdb.word_ids(words, num_words))[-maxlen:]
    row = np.zeros((1, maxlen), dtype=np.int32)
    row[0, maxlen - len(ids):] = ids
    return row


def encode_text(text: str, num_words: int, maxlen: int) -> tuple[np.ndarray, list[str], int]:
    """A review as model input, its words, and how many of them the vocabulary knows."""
    words = imdb.keras_words(text[:MAX_TEXT_CHARS])
    known = sum(1 for i in imdb.word_ids(words, num_words) if i != 2)
    return encode_words(words, num_words, maxlen), words, known


def text_verdict(model, text: str, num_words: int, maxlen: int) -> tuple[float, int, int]:
    """(P(positive), tokens the model knows, tokens) of ``text`` for any trained classifier:
    a Keras model over word ids, or a bag-of-words baseline over its n-grams."""
    if hasattr(model, "predict_texts"):
        return float(model.predict_texts([text[:MAX_TEXT_CHARS]])[0]), *model.known(text)
    x, words, known = encode_text(text, num_words, maxlen)
    return float(predict_positive(model, x)[0]), known, len(words)


MAX_VERDICTS = 8  # models asked at once about a typed review: each is a predict call


def verdicts(runs: list[dict], model_of, text: str, limit: int = MAX_VERDICTS) -> list[dict]:
    """What each of the first ``limit`` finished classifier ``runs`` makes of ``text``
    (``model_of(run_id)`` gives its trained model): P(positive), the verdict, and how many of
    its tokens the model knows."""
    from core.classify.models import TrainConfig

    rows = []
    for run in runs[:limit]:
        config = TrainConfig(**run["config"])
        p, known, total = text_verdict(model_of(run["id"]), text, config.num_words,
                                       config.maxlen)
        rows.append({"run": run["id"], "name": run["name"], "P(positive)": p,
                     "verdict": "positive" if p >= 0.5 else "negative", "known": known,
                     "total": total})
    return rows


def explainable(runs: list[dict]) -> list[int]:
    """The runs whose words can be weighed by :func:`explain`: networks over word ids (not the
    bag-of-words kinds, which read n-grams)."""
    from core.classify.models import ARCHITECTURES

    return [run["id"] for run in runs
            if (arch := ARCHITECTURES.get(run["config"].get("kind"))) and arch.fit is None]


def explain(model, config: dict, text: str) -> tuple[float, list[str], np.ndarray]:
    """:func:`word_importance` of a typed review for a network trained with ``config``."""
    from core.classify.models import TrainConfig

    config = TrainConfig(**config)
    return word_importance(model, imdb.keras_words(text[:MAX_TEXT_CHARS]), config.num_words,
                           config.maxlen)


def as_read(model, rows: np.ndarray) -> np.ndarray:
    """``rows`` of ids as ``model`` reads them: a model trained on length buckets (its input
    takes any length) without the padding none of them needs."""
    if model.input_shape[1] is None:
        from core.classify.buckets import trim_padding
        from core.classify.models import ARCHITECTURES

        arch = ARCHITECTURES.get(model.name)
        rows = trim_padding(rows, arch.min_maxlen if arch else 1)
    return rows


def predict_positive(model, rows: np.ndarray) -> np.ndarray:
    """P(positive) for each row of ids, shape (n,), read as :func:`as_read` says."""
    return model.predict(as_read(model, rows), batch_size=256, verbose=0).reshape(-1)


def seen_words(words: list[str], maxlen: int) -> list[str]:
    """The words that reach a model of input length ``maxlen``: the last maxlen − 1 (the
    start marker takes one place; 'pre' truncation)."""
    return words[-(maxlen - 1):] if maxlen > 1 else []


def word_importance(model, words: list[str], num_words: int, maxlen: int
                    ) -> tuple[float, list[str], np.ndarray]:
    """How much removing each word changes P(positive): (p, the words the model sees, deltas).

    Only the last ``maxlen - 1`` words reach the model ('pre' truncation); a positive delta
    means the word pushed the review towards positive."""
    seen = seen_words(words, maxlen)
    rows = [encode_words(seen, num_words, maxlen)]
    rows += [encode_words(seen[:i] + seen[i + 1:], num_words, maxlen) for i in range(len(seen))]
    probs = predict_positive(model, np.concatenate(rows))
    return float(probs[0]), seen, probs[0] - probs[1:]


START = "START"  # how the review's start marker (id 1) is shown among its words


def has_attention(model) -> bool:
    """Whether a trained classifier has the Transformer's self-attention layer."""
    return any(layer.name == "attention" for layer in getattr(model, "layers", ()))


def attention_weights(model, text: str, num_words: int, maxlen: int) -> dict:
    """Where the Transformer's self-attention looks in ``text``, read the way the model reads
    it (the same padded row as :func:`predict_positive`): for each head, and averaged over the
    heads, the attention each word receives, averaged over the words that look (the model
    averages its outputs over positions). The review's tokens are its start marker (shown as
    START) and its words; with Fast's padding mask their weights sum to 1, without it some
    attention goes to the padding: that share is returned.

    Returns {"tokens", "per_head" (heads × tokens), "mean" (tokens), "padding"}."""
    seen = seen_words(imdb.keras_words(text[:MAX_TEXT_CHARS]), maxlen)
    row = as_read(model, encode_words(seen, num_words, maxlen))
    embedding = model.get_layer("embedding")
    x = model.get_layer("positions")(embedding(row))
    mask = None
    if embedding.mask_zero:
        keep = row != 0
        mask = keep[:, None, :] & keep[:, :, None]
    _, scores = model.get_layer("attention")(x, x, attention_mask=mask,
                                             return_attention_scores=True)
    scores = np.asarray(scores)[0]  # heads × queries × keys
    tokens = ([START] + seen)[-row.shape[1]:]  # the start marker is cut when maxlen is reached
    mine = slice(row.shape[1] - len(tokens), row.shape[1])  # they sit at the end (pre-padding)
    looking = scores[:, mine, :].mean(axis=1)  # heads × keys, averaged over the review's queries
    per_head = looking[:, mine]
    return {"tokens": tokens, "per_head": per_head, "mean": per_head.mean(axis=0),
            "padding": float(1 - per_head.sum(axis=1).mean())}


NEAR_CHANCE = 0.55  # best validation accuracy under this: not learned yet (IMDB's chance: 0.50)
EVEN_ATTENTION = 1.25  # the most attended token under 1.25x the least: attention spread evenly


def not_learned(best_val_accuracy: float | None) -> str | None:
    """The sentence every view of a model's output shows when the model is near chance (its
    best validation accuracy under ``NEAR_CHANCE``; IMDB's classes are balanced, so guessing
    scores 0.50), else None: its pushes, attention and verdicts are then noise."""
    if best_val_accuracy is None or best_val_accuracy >= NEAR_CHANCE:
        return None
    return (f"This model has not learned yet: its best validation accuracy is "
            f"{best_val_accuracy:.3f}, under {NEAR_CHANCE:.2f} (guessing scores 0.50 on these "
            "balanced reviews). What it says about a review, word by word, is noise.")


def attention_reading(seen: dict, words: list[str], deltas: np.ndarray) -> str:
    """Whether the model looks at the words that push its verdict, computed: the most attended
    words beside the strongest pushes (``words``, ``deltas``: :func:`word_importance`), their
    overlap, and the rank correlation of attention with the size of the push."""
    import pandas as pd

    attended = dict(zip(seen["tokens"], seen["mean"]))  # a repeated word: its last place
    look = np.array([attended.get(w, np.nan) for w in words])
    top = min(3, len(words))
    if not top:
        return ""
    padding = (f" {seen['padding']:.0%} of the attention goes to the padding (no mask)."
               if seen["padding"] > 0.01 else "")
    spread = np.asarray(seen["mean"], float)
    if len(spread) > 1 and spread.max() < EVEN_ATTENTION * spread.min():
        return (f"The attention is spread almost evenly ({spread.min():.3f} to "
                f"{spread.max():.3f} a token): this model has not learned to look anywhere "
                "in particular yet, so no word is 'most attended'." + padding)
    by_look = [words[i] for i in np.argsort(-np.nan_to_num(look, nan=-1))[:top]]
    by_push = [words[i] for i in np.argsort(-np.abs(deltas))[:top]]
    shared = sorted(set(by_look) & set(by_push))
    text = (f"Most attended: {', '.join(by_look)}; strongest pushes: {', '.join(by_push)}; "
            f"{len(shared)} of {top} in common.")
    if len(words) >= 4:
        rho = pd.Series(look).corr(pd.Series(np.abs(deltas)), method="spearman")
        if np.isfinite(rho):
            text += (f" Rank correlation of attention with the size of a word's push: {rho:+.2f}"
                     + (" (attention and influence go together here)." if rho >= 0.5 else
                        " (where it looks is not what decides: attention weights are not "
                        "explanations)." if rho < 0.2 else "."))
    return text + padding


def classifier_space(model, num_words: int, name: str):
    """The Embedding layer of a trained IMDB classifier as an EmbeddingSpace: row i is the
    vector the model learned for the word with Keras IMDB id i (ids 0-3 are markers, left out)."""
    from core.embeddings.space import EmbeddingSpace

    weights = model.get_layer("embedding").get_weights()[0]
    words = imdb.words_by_id(min(num_words, len(weights)))
    ids = [i for i, w in enumerate(words) if w]
    return EmbeddingSpace([words[i] for i in ids], weights[ids], name)


TRACE_WORDS = 300  # what Inside the RNN reads with an IMDB classifier (its help says so)


def trace_text(model, kind: str, num_words: int, text: str, limit: int = TRACE_WORDS):
    """(words read, the recurrent layer's states and gates over them) for a trained IMDB
    classifier of recurrent ``kind`` and typed text (at most ``limit`` words)."""
    from core.rnn import inside

    words = imdb.keras_words(text[:MAX_TEXT_CHARS])[:limit]
    ids = imdb.word_ids(words, num_words)
    vectors = model.get_layer("embedding").get_weights()[0][ids] if ids else np.zeros((0, 1))
    return words, inside.trace(kind, vectors, inside.layer_weights(model.get_layer("recurrent")))


def long_review_ids(num_words: int, length: int) -> list[int]:
    """The last ``length`` word ids of the longest of the first 200 train reviews (long enough
    that no padding is needed), in a vocabulary of ``num_words``."""
    texts = imdb.load_imdb_reviews("train")["text"][:200]
    return imdb.word_ids(imdb.keras_words(max(texts, key=len)), num_words)[-length:]


def trained_gradient_norms(model, kind: str, num_words: int, length: int, scale: float):
    """Gradient norms through time of a trained classifier's recurrent layer, fed the
    embeddings of a real review's last ``length`` words."""
    from core.rnn import inside

    embedding = model.get_layer("embedding").get_weights()[0]
    weights = model.get_layer("recurrent").get_weights()
    return inside.gradient_norms(kind, embedding[long_review_ids(num_words, length)],
                                 weights=weights, recurrent_scale=scale)
