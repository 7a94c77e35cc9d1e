"""The language model's honest baseline on Nietzsche: the character n-gram model (n = 1…9,
interpolated Witten–Bell) against the lab's fast LSTM, on the same text, alphabet and
validation split.

Measures, in one run: the n-gram model's fit and scoring for every n (goal: under 10 s), its
best validation bits per character; then the fast LSTM (the Generate page's default, 128
units) trained for the same wall time, and for one whole epoch, with its validation bits per
character after each. Usage: python bench/ngram_lm.py [--corpus nietzsche]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="nietzsche")
    args = parser.parse_args()
    config = charlm.CharConfig(corpus=args.corpus)
    start = time.perf_counter()
    baseline = ngram.for_config(config)
    ngram_s = time.perf_counter() - start
    text = charlm.load_corpus(config)
    ids = charlm.encode(text, baseline.chars)
    same_time = lstm_after(config, ids, len(baseline.chars), ngram_s)
    one_epoch = lstm_after(config, ids, len(baseline.chars), None)
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
                               3)}}, indent=1))


if __name__ == "__main__":
    main()
