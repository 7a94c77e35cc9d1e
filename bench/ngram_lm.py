"""The language model's honest baseline on Nietzsche: the character n-gram model (n = 1…9,
interpolated Witten–Bell) against the lab's fast LSTM, on the same text, alphabet and
validation split.

Measures, in one run: the n-gram model's fit and scoring for every n (goal: under 10 s), its
best validation bits per character; then the fast LSTM (the Generate page's default, 128
units) trained for the same wall time, and for one whole epoch, with its validation bits per
character after each; then ``--epochs`` epochs of the fast LSTM (``--units``), its validation
after each read two ways: Keras's (50-character pieces, each from an empty state) and with the
state carried through the validation text (as the n-gram reads it, and as the page now shows),
and the first epoch at which each passes the best n-gram.
Usage: python bench/ngram_lm.py [--corpus nietzsche] [--epochs 10] [--units 128]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.language import charlm, ngram  # noqa: E402

GOAL_S = 10.0


def lstm_after(config: charlm.CharConfig, ids, vocab: int, seconds: float | None) -> dict:
    """The fast LSTM's validation bits per character after ``seconds`` of training (None: one
    whole epoch), and the batches it saw."""
    import keras

    keras.utils.set_random_seed(config.seed)
    data, model = charlm.prepare(config, ids, vocab)

    class Clock(keras.callbacks.Callback):
        batches, start = 0, 0.0

        def on_train_begin(self, logs=None):
            self.start = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            self.batches += 1
            if seconds is not None and time.perf_counter() - self.start >= seconds:
                self.model.stop_training = True

    clock = Clock()
    model.fit(data["x_train"], data["y_train"], batch_size=charlm.batch_size(config), epochs=1,
              callbacks=[clock], verbose=0)
    trained = time.perf_counter() - clock.start
    loss = model.evaluate(data["x_val"], data["y_val"], batch_size=256, verbose=0)
    return {"train_s": round(trained, 1), "batches": clock.batches,
            "val_bits_per_char": round(loss / math.log(2), 3)}


def lstm_epochs(config: charlm.CharConfig, ids, vocab: int, chars: list[str]) -> list[dict]:
    """The fast LSTM trained ``config.epochs`` epochs: after each, its validation bits per
    character read as Keras reads it and with the state carried."""
    import keras

    from core.language.generation import StatefulGenerator

    keras.utils.set_random_seed(config.seed)
    data, model = charlm.prepare(config, ids, vocab)
    val_ids = ids[charlm.validation_start(len(ids), config.val_share):]
    rows, start = [], time.perf_counter()

    class Both(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            rows.append({"epoch": epoch + 1, "train_s": round(time.perf_counter() - start, 1),
                         "keras_pieces": round(logs["val_loss"] / math.log(2), 3),
                         "state_carried": round(StatefulGenerator(self.model, chars)
                                                .bits_carried(val_ids), 3)})

    model.fit(data["x_train"], data["y_train"], batch_size=charlm.batch_size(config),
              epochs=config.epochs, validation_data=(data["x_val"], data["y_val"]),
              callbacks=[Both()], verbose=0)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="nietzsche")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--units", type=int, default=128)
    args = parser.parse_args()
    config = charlm.CharConfig(corpus=args.corpus)
    start = time.perf_counter()
    baseline = ngram.for_config(config)
    ngram_s = time.perf_counter() - start
    text = charlm.load_corpus(config)
    ids = charlm.encode(text, baseline.chars)
    same_time = lstm_after(config, ids, len(baseline.chars), ngram_s)
    one_epoch = lstm_after(config, ids, len(baseline.chars), None)
    best = baseline.bits[baseline.best]
    rows = lstm_epochs(charlm.CharConfig(corpus=args.corpus, epochs=args.epochs,
                                         units=args.units), ids, len(baseline.chars),
                       baseline.chars)
    passes = {way: next((r["epoch"] for r in rows if r[way] < best), None)
              for way in ("keras_pieces", "state_carried")}
    print(json.dumps({
        "bench": "ngram_lm", "corpus": args.corpus, "characters": len(ids),
        "alphabet": len(baseline.chars),
        "ngram_fit_and_score_all_n_s": round(ngram_s, 2), "goal_s": GOAL_S,
        "ngram_val_bits_per_char": {n: round(b, 3) for n, b in baseline.bits.items()},
        "ngram_best": {"n": baseline.best, "bits": round(baseline.bits[baseline.best], 3)},
        "fast_lstm_after_the_same_wall_time": same_time,
        "fast_lstm_after_one_epoch": one_epoch,
        "lstm_minus_best_ngram_bits": {
            "same_wall_time": round(same_time["val_bits_per_char"]
                                    - baseline.bits[baseline.best], 3),
            "one_epoch": round(one_epoch["val_bits_per_char"] - baseline.bits[baseline.best],
                               3)},
        f"fast_lstm_{args.units}_units_by_epoch": rows,
        "first_epoch_below_the_best_ngram": passes}, indent=1))


if __name__ == "__main__":
    main()
