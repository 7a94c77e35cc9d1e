"""A unit that reads sentiment: Radford, Jozefowicz and Sutskever (2017), "Learning to Generate
Reviews and Discovering Sentiment", on the data and the minutes this lab has.

A char language model trained on IMDB's reviews without their labels (the corpus
``imdb_reviews``: the unlabelled reviews, then the train reviews) reads each review; its final
LSTM carry c is a vector of ``units`` numbers. An L1-regularised logistic regression on those
vectors, fitted on 10, 100, 1,000 and 20,000 labelled train reviews, is scored on test
reviews, beside the lab's TF-IDF bag of words fitted on the same reviews (the paper's
data-efficiency plot). The single unit that best separates the train labels on its own (chosen
on train, never on test) is the sentiment unit; generating with it held high or low shows what
it does.

Every choice (C by cross-validation, the unit, its threshold) is made on train reviews; the
test labels are only ever compared with predictions.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from core.language.generation import StatefulGenerator, to_alphabet

SIZES = (10, 100, 1000, 20000)  # labelled train reviews the probes are fitted on
PROBE_KIND = "probe"  # the metric rows a probe logs into its char run


@dataclass(frozen=True)
class ProbeConfig:
    train_reviews: int = max(SIZES)  # train reviews whose states are taken (the largest size)
    test_reviews: int = 25_000  # test reviews scored
    last_chars: int = 1000  # each review is read from its last this-many characters
    batch_size: int = 128
    seed: int = 0


def review_text(text: str, chars: list[str], lower: bool, last_chars: int) -> str:
    """A review as the model reads it: plain, case as trained, in its alphabet, its end."""
    from core.data import imdb

    plain = imdb.plain(text)
    read, _ = to_alphabet(plain.lower() if lower else plain, chars)
    return read[-last_chars:] if last_chars else read


def states_model(model, vocab: int):
    """A Keras model from a trained char model's weights: ids + 1 (0 pads, masked) -> the
    LSTM's final carry c after each sequence's last real character."""
    import keras
    from keras import layers

    names = [layer.name for layer in model.layers]
    table = (model.get_layer("embedding").get_weights()[0] if "embedding" in names
             else np.eye(vocab, dtype="float32"))
    trained = model.get_layer("lstm")
    ids = keras.Input(shape=(None,), dtype="int32")
    embed = layers.Embedding(vocab + 1, table.shape[1], mask_zero=True)
    lstm = layers.LSTM(trained.units, return_state=True)
    _, _, carry = lstm(embed(ids))
    out = keras.Model(ids, carry)
    embed.set_weights([np.vstack([np.zeros((1, table.shape[1])), table])])
    lstm.set_weights(trained.get_weights())
    return out


def final_carries(model, chars: list[str], texts: list[str], lower: bool, config: ProbeConfig,
                  stopping=lambda: False, progress=lambda done, total: None) -> np.ndarray | None:
    """Each text's final carry c (rows in ``texts`` order), read in batches of similar length
    (lengths rounded up to 100 characters, so Keras traces a few shapes, not hundreds);
    None if ``stopping()`` became true."""
    stoi = {ch: i + 1 for i, ch in enumerate(chars)}
    reads = [review_text(t, chars, lower, config.last_chars) for t in texts]  # "" stays 0s
    order = np.argsort([len(r) for r in reads], kind="stable")
    reader = states_model(model, len(chars))
    out = np.zeros((len(texts), reader.output_shape[-1]), dtype=np.float32)
    for start in range(0, len(order), config.batch_size):
        if stopping():
            return None
        rows = order[start:start + config.batch_size]
        width = max(1, -(-max(len(reads[i]) for i in rows) // 100)) * 100
        ids = np.zeros((len(rows), width), dtype=np.int32)
        for j, i in enumerate(rows):
            ids[j, :len(reads[i])] = [stoi[ch] for ch in reads[i]]
        out[rows] = reader.predict_on_batch(ids)
        progress(min(start + config.batch_size, len(order)), len(order))
    return out


def balanced_subsets(labels: np.ndarray, sizes, seed: int = 0) -> dict[int, np.ndarray]:
    """Rows of ``labels`` for each size, half of each class, each subset inside the next."""
    rng = np.random.default_rng(seed)
    pos, neg = (rng.permutation(np.flatnonzero(labels == k)) for k in (1, 0))
    return {n: np.sort(np.concatenate([pos[:n - n // 2], neg[:n // 2]]))
            for n in sizes if n // 2 <= min(len(pos), len(neg))}


def _folds(labels: np.ndarray) -> int:
    return int(max(2, min(5, np.bincount(labels, minlength=2).min())))


def fit_probe(x: np.ndarray, y: np.ndarray):
    """StandardScaler + L1 logistic regression, C chosen by cross-validation on (x, y)."""
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegressionCV(
        Cs=8, l1_ratios=(1.0,), solver="liblinear", scoring="accuracy", cv=_folds(y),
        max_iter=1000, use_legacy_attributes=False)).fit(x, y)


def fit_bag(texts: list[str], y: np.ndarray):
    """The lab's bag of words (TF-IDF, words as Keras splits them) and an L2 logistic
    regression, C chosen by cross-validation on the same reviews."""
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.pipeline import make_pipeline

    from core.classify.baselines import vectorizer

    return make_pipeline(vectorizer(1), LogisticRegressionCV(
        Cs=8, l1_ratios=(0.0,), scoring="accuracy", cv=_folds(y), max_iter=1000,
        use_legacy_attributes=False)).fit(texts, y)


def best_unit(x: np.ndarray, y: np.ndarray) -> dict:
    """The unit whose value alone best separates ``y`` with one threshold (either direction):
    its index, direction (+1: high means positive), threshold and accuracy on (x, y)."""
    n, best = len(y), None
    for unit in range(x.shape[1]):
        order = np.argsort(x[:, unit], kind="stable")
        values, labels = x[order, unit], y[order]
        # predicting positive above cut k (k = 0..n): right k positives, left negatives
        neg_below = np.concatenate([[0], np.cumsum(labels == 0)])
        pos_above = (labels == 1).sum() - np.concatenate([[0], np.cumsum(labels == 1)])
        correct = neg_below + pos_above
        for sign, hits in ((1, correct), (-1, n - correct)):
            k = int(np.argmax(hits))
            if best is None or hits[k] > best["hits"]:
                low = values[k - 1] if k > 0 else values[0] - 1
                high = values[k] if k < n else values[-1] + 1
                best = {"unit": unit, "sign": sign, "threshold": float((low + high) / 2),
                        "hits": int(hits[k])}
    return {**{k: v for k, v in best.items() if k != "hits"}, "train_accuracy": best["hits"] / n}


def unit_predicts(x: np.ndarray, unit: dict) -> np.ndarray:
    """The single unit's verdicts (1 = positive) for carries ``x``."""
    return (unit["sign"] * (x[:, unit["unit"]] - unit["threshold"]) > 0).astype(int)


def evaluate(train_x, train_y, train_texts, test_x, test_y, test_texts, sizes=SIZES,
             seed: int = 0) -> dict:
    """The data-efficiency table: for each size, the carries' L1 probe and the bag of words,
    fitted on the same balanced train reviews and scored on the test reviews; the sentiment
    unit (chosen on all the train reviews given) and its test accuracy alone."""
    subsets = balanced_subsets(train_y, sizes, seed)
    rows = []
    for n, rows_n in subsets.items():
        probe = fit_probe(train_x[rows_n], train_y[rows_n])
        bag = fit_bag([train_texts[i] for i in rows_n], train_y[rows_n])
        rows.append({"labels": n,
                     "lm_accuracy": float(np.mean(probe.predict(test_x) == test_y)),
                     "bag_accuracy": float(np.mean(bag.predict(test_texts) == test_y)),
                     "units_used": int(np.count_nonzero(probe[-1].coef_))})
    unit = best_unit(train_x, train_y)
    values = train_x[:, unit["unit"]]
    return {"sizes": rows, "unit": {**unit, "test_accuracy": float(
                np.mean(unit_predicts(test_x, unit) == test_y)),
            "positive_value": float(np.percentile(values, 99 if unit["sign"] > 0 else 1)),
            "negative_value": float(np.percentile(values, 1 if unit["sign"] > 0 else 99))},
            "train_reviews": len(train_y), "test_reviews": len(test_y)}


def probe_run(store, run_id: int, model, chars: list[str], lower: bool,
              config: ProbeConfig = ProbeConfig(), stopping=lambda: False) -> dict | None:
    """The probe of a char run trained on IMDB reviews, as a stage of its job: states of the
    train and test reviews (progress logged as ``probe`` rows), then :func:`evaluate`.
    None if the run was stopped meanwhile."""
    from core.data import imdb

    started = time.perf_counter()
    train, test = imdb.load_imdb_reviews("train"), imdb.load_imdb_reviews("test")
    train = train.iloc[:config.train_reviews]
    test = test.iloc[:config.test_reviews]
    texts = [*train["text"], *test["text"]]

    def progress(done, total):
        store.log(run_id, PROBE_KIND, done, {"stage": "reading reviews", "done": done,
                                             "total": total})

    carries = final_carries(model, chars, texts, lower, config, stopping, progress)
    if carries is None:
        return None
    read_seconds = time.perf_counter() - started
    n = len(train)
    result = evaluate(carries[:n], train["label"].to_numpy(), list(train["text"]),
                      carries[n:], test["label"].to_numpy(), list(test["text"]), seed=config.seed)
    return {**result, "last_chars": config.last_chars, "read_seconds": read_seconds,
            "seconds": time.perf_counter() - started}


def held(generator: StatefulGenerator, prime: str, unit: int, value: float, length: int,
         temperature: float, seed: int) -> str:
    """``length`` characters after ``prime`` with the unit's carry held at ``value`` at every
    step (the paper's experiment: write with the sentiment unit fixed)."""
    return generator.generate(prime, length, temperature, np.random.default_rng(seed),
                              clamp=(unit, value))[0]
