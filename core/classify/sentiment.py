"""A unit that reads sentiment: Radford, Jozefowicz and Sutskever (2017), "Learning to Generate
Reviews and Discovering Sentiment", on the data and the minutes this lab has.

A char language model trained on IMDB's reviews without their labels (the corpus
``imdb_reviews``: the unlabelled reviews, then the train reviews) reads each review. Two
vectors of ``units`` numbers are taken: its final LSTM carry c (the paper's features) and its
hidden state h averaged over the review (what a model trained for minutes still holds when its
final state has forgotten). An L1-regularised logistic regression on each, fitted on 10, 100,
1,000 and 20,000 labelled train reviews, is scored on test reviews, beside the lab's TF-IDF bag
of words fitted on the same reviews (the paper's data-efficiency plot). The single unit that
best separates the train labels on its own (chosen on train, never on test) is the sentiment
unit; generating with its carry held high or low shows what it does. Every choice (C, the unit,
its threshold) is made on train reviews; test labels are only compared with predictions.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from core.language.generation import StatefulGenerator, char_vectors, to_alphabet

SIZES = (10, 100, 1000, 20000)  # labelled train reviews the probes are fitted on
PROBE_KIND = "probe"  # the metric rows a probe logs into its char run
# What is read from the model for each review: the paper's final state (the LSTM's carry after
# the last character), and the hidden state averaged over every character of the review.
FEATURES = ("final c", "mean h")
FEATURE_NAMES = {"final c": "final carry c", "mean h": "mean hidden state h"}  # for people


@dataclass(frozen=True)
class ProbeConfig:
    train_reviews: int = 25_000  # train reviews whose states are taken (a balanced 20,000 in it)
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


def bag_text(text: str, last_chars: int) -> str:
    """A review as the bag of words beside a probe reads it: the last characters the model
    reads, as plain text (the bag's own rules lower-case it)."""
    from core.data import imdb

    return imdb.plain(text)[-last_chars:] if last_chars else imdb.plain(text)


def states_model(model, vocab: int):
    """A Keras model from a trained char model's weights: ids + 1 (0 pads, masked) -> the
    LSTM's final carry c after each sequence's last real character, and its hidden state h
    averaged over the real characters."""
    import keras
    from keras import layers

    table = char_vectors(model, vocab)
    trained = model.get_layer("lstm")
    ids = keras.Input(shape=(None,), dtype="int32")
    embed = layers.Embedding(vocab + 1, table.shape[1], mask_zero=True)
    lstm = layers.LSTM(trained.units, return_sequences=True, return_state=True)
    hs, _, carry = lstm(embed(ids))
    out = keras.Model(ids, [carry, layers.GlobalAveragePooling1D()(hs)])
    embed.set_weights([np.vstack([np.zeros((1, table.shape[1])), table])])
    lstm.set_weights(trained.get_weights())
    return out


def review_states(model, chars: list[str], texts: list[str], lower: bool, config: ProbeConfig,
                  stopping=lambda: False, progress=lambda done, total: None
                  ) -> dict[str, np.ndarray] | None:
    """Each text's FEATURES (name -> rows in ``texts`` order), read in batches of similar
    length (rounded up to 100 characters, so Keras traces a few shapes, not hundreds); None
    if ``stopping()`` became true. An empty text reads as zeros."""
    stoi = {ch: i + 1 for i, ch in enumerate(chars)}
    reads = [review_text(t, chars, lower, config.last_chars) for t in texts]
    order = np.argsort([len(r) for r in reads], kind="stable")
    reader = states_model(model, len(chars))
    out = {name: np.zeros((len(texts), model.get_layer("lstm").units), dtype=np.float32)
           for name in FEATURES}
    for start in range(0, len(order), config.batch_size):
        if stopping():
            return None
        rows = order[start:start + config.batch_size]
        width = max(1, -(-max(len(reads[i]) for i in rows) // 100)) * 100
        ids = np.zeros((len(rows), width), dtype=np.int32)
        for j, i in enumerate(rows):
            ids[j, :len(reads[i])] = [stoi[ch] for ch in reads[i]]
        for name, values in zip(FEATURES, reader.predict_on_batch(ids)):
            out[name][rows] = np.nan_to_num(values)  # an all-padding row averages 0/0
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


PROBE_C_RULE = ("C chosen by cross-validation on the same reviews among the values that keep at "
                "least one unit; ties go to the weakest penalty (the largest C)")


def fit_probe(x: np.ndarray, y: np.ndarray):
    """StandardScaler + L1 logistic regression, C as :data:`PROBE_C_RULE` says: scikit-learn
    alone breaks ties towards the smallest C, which with few labels (every C scoring the same)
    zeroes every weight and reports a probe that reads nothing."""
    from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    searched = make_pipeline(StandardScaler(), LogisticRegressionCV(
        Cs=8, l1_ratios=(1.0,), solver="liblinear", scoring="accuracy", cv=_folds(y),
        max_iter=1000, use_legacy_attributes=False, random_state=0)).fit(x, y)
    cv = searched[-1]
    scores = cv.scores_.mean(axis=0).reshape(-1)  # mean over folds, one per C
    for i in sorted(range(len(cv.Cs_)), key=lambda i: (-round(scores[i], 12), -cv.Cs_[i])):
        probe = make_pipeline(StandardScaler(), LogisticRegression(
            C=float(cv.Cs_[i]), l1_ratio=1.0, solver="liblinear", max_iter=1000,
            random_state=0)).fit(x, y)
        if np.count_nonzero(probe[-1].coef_):
            return probe
    return searched  # no C keeps a unit (constant features): the search's own choice


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
    """The single unit's verdicts (1 = positive) for states ``x`` (rows: reviews; or one
    reading of the unit, a number)."""
    values = x[..., unit["unit"]] if np.ndim(x) > 1 else np.asarray(x)
    return (unit["sign"] * (values - unit["threshold"]) > 0).astype(int)


def best_unit_by_training(units: dict[str, dict]) -> str:
    """The kind of state whose single unit is best on the train reviews (never the test's)."""
    return max(units, key=lambda k: units[k]["train_accuracy"])


def reading(rows: list[dict], units: dict[str, dict]) -> str:
    """What the data-efficiency table says, computed from it (``rows``: :func:`evaluate`'s
    sizes; ``units``: its units)."""
    first, last = rows[0], rows[-1]
    said = []
    for key, name in FEATURE_NAMES.items():
        ahead = [f"{r['labels']:,}" for r in rows if r[key]["accuracy"] > r["bag_accuracy"]]
        said.append(f"The {name} reaches {first[key]['accuracy']:.1%} with {first['labels']:,} "
                    f"labels and {last[key]['accuracy']:.1%} with {last['labels']:,} "
                    + (f"(ahead of the bag of words at {', '.join(ahead)})." if ahead
                       else "(behind the bag of words at every size)."))
    said.append(f"The bag of words: {first['bag_accuracy']:.1%} to {last['bag_accuracy']:.1%}.")
    best = best_unit_by_training(units)
    said.append(f"The best single unit on the train reviews, {units[best]['unit']} of the "
                f"{FEATURE_NAMES[best]}, gets {units[best]['test_accuracy']:.1%} alone on the "
                "test reviews; the paper's unit got about 92% on its data, from a 4,096-unit "
                "model trained for a month on four GPUs.")
    return " ".join(said)


def evaluate(train: dict[str, np.ndarray], train_y, train_texts, test: dict[str, np.ndarray],
             test_y, test_texts, sizes=SIZES, seed: int = 0, stopping=lambda: False,
             progress=lambda done, total: None) -> dict | None:
    """The data-efficiency table: for each size, an L1 probe on each kind of state and the bag
    of words, fitted on the same balanced train reviews and scored on the test reviews; for
    each kind of state, the single best unit (chosen on all the train reviews given) and its
    test accuracy alone. ``train`` and ``test`` map a feature name to its rows. None if
    ``stopping()`` became true between two sizes."""
    subsets = balanced_subsets(train_y, sizes, seed)
    rows = []
    for done, (n, picked) in enumerate(subsets.items()):
        if stopping():
            return None
        progress(done, len(subsets))
        row = {"labels": n, "bag_accuracy": float(np.mean(
            fit_bag([train_texts[i] for i in picked], train_y[picked]).predict(test_texts)
            == test_y))}
        for name in train:
            probe = fit_probe(train[name][picked], train_y[picked])
            row[name] = {"accuracy": float(np.mean(probe.predict(test[name]) == test_y)),
                         "units_used": int(np.count_nonzero(probe[-1].coef_))}
        rows.append(row)
    units = {}
    for name in train:
        unit = best_unit(train[name], train_y)
        # what generation can hold is the unit's carry: its values at the end of the reviews
        values = train.get("final c", train[name])[:, unit["unit"]]
        positive = np.median(values[train_y == 1]) >= np.median(values[train_y == 0])
        hits = unit_predicts(test[name], unit) == test_y
        units[name] = {**unit, "test_accuracy": float(np.mean(hits)),
                       "positive_value": float(np.percentile(values, 99 if positive else 1)),
                       "negative_value": float(np.percentile(values, 1 if positive else 99))}
    return {"sizes": rows, "units": units, "train_reviews": len(train_y),
            "test_reviews": len(test_y)}


def probe_stage(store, run_id: int, model, chars: list[str], config, stop_flag=None) -> dict:
    """A char run's stage after training (``charlm.train_run``'s ``then``): when its config
    asks for a probe (``probe_train`` > 0), {"sentiment": :func:`probe_run`'s result}."""
    from core.runs.worker import Shares, should_stop

    if not config.probe_train:
        return {}
    shares = Shares(run_id, should_stop(store, run_id, stop_flag))  # reading reviews is long
    return {"sentiment": probe_run(store, run_id, model, chars, config.lower,
                                   ProbeConfig(config.probe_train, config.probe_test),
                                   shares.stopping_or_stopped_while_waiting)}


def probe_run(store, run_id: int, model, chars: list[str], lower: bool,
              config: ProbeConfig = ProbeConfig(), stopping=lambda: False) -> dict | None:
    """The probe of a char run trained on IMDB reviews: states of the train and test reviews
    (progress logged as ``probe`` rows), then :func:`evaluate`. None if the run was stopped
    meanwhile."""
    from core.data import imdb

    started = time.perf_counter()
    train, test = imdb.load_imdb_reviews("train"), imdb.load_imdb_reviews("test")
    train = train.iloc[:config.train_reviews]
    test = test.iloc[:config.test_reviews]
    texts = [*train["text"], *test["text"]]

    logged = 0

    def progress(stage: str):
        def log(done, total):
            nonlocal logged
            logged += 1
            store.log(run_id, PROBE_KIND, logged, {"stage": stage, "done": done, "total": total})
        return log

    states = review_states(model, chars, texts, lower, config, stopping,
                           progress("reading reviews"))
    if states is None:
        return None
    read_seconds = time.perf_counter() - started
    n = len(train)
    bag = [bag_text(t, config.last_chars) for t in texts]  # the bag reads what the LSTM reads
    result = evaluate({k: v[:n] for k, v in states.items()}, train["label"].to_numpy(),
                      bag[:n], {k: v[n:] for k, v in states.items()},
                      test["label"].to_numpy(), bag[n:], seed=config.seed,
                      stopping=stopping, progress=progress("fitting the probes, label sizes"))
    if result is None:
        return None
    return {**result, "last_chars": config.last_chars, "bag_reads": "the same characters",
            "read_seconds": read_seconds, "seconds": time.perf_counter() - started}


def held(generator: StatefulGenerator, prime: str, unit: int, value: float, length: int,
         temperature: float, seed: int) -> str:
    """``length`` characters after ``prime`` with the unit's carry held at ``value`` at every
    step (the paper's experiment: write with the sentiment unit fixed)."""
    return generator.generate(prime, length, temperature, np.random.default_rng(seed),
                              clamp=(unit, value))[0]
