"""Char-level language models on Nietzsche: the lecture's training and generation loops
(../shared/bench/reference_char_*.py) against ours, in one run.

1. The lecture's setup trains one epoch (and saves its model); its validation bits per char
   after that epoch is the target.
2. Our efficient variant trains until its validation loss reaches that target; both curves
   are printed against wall-clock training time.
3. On the lecture's own trained model: its generation loop vs our stateful generator.

Usage: python bench/char_lm.py [--max-epochs 12]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.runs.people import OPERATOR  # noqa: E402

from core.data import corpora, datasets  # noqa: E402
from core.language import charlm  # noqa: E402
from core.language.generation import StatefulGenerator  # noqa: E402
from core.runs.store import RunStore  # noqa: E402

SHARED = ROOT.parent / "shared" / "bench"


def _json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-epochs", type=int, default=12)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="seqlab-char-"))
    text_path = datasets.resolve_dataset("nietzsche")[0]
    model_path = work / "lecture.keras"
    out = subprocess.run([sys.executable, str(SHARED / "reference_char_train.py"), "--text",
                          str(text_path), "--epochs", "1", "--save", str(model_path)],
                         check=True, capture_output=True, text=True).stdout
    lecture = [r for r in _json_lines(out) if "epoch" in r][-1]
    target = lecture["val_bits_per_char"]
    print(json.dumps({"bench": "lecture_char_training", **lecture}), flush=True)

    store = RunStore(work / "runs.sqlite")
    config = charlm.CharConfig("nietzsche", "fast", epochs=1)
    run_id = store.create(charlm.KIND, dataclasses.asdict(config), owner=OPERATOR)
    import keras

    keras.utils.set_random_seed(0)
    # our variant, one epoch at a time, so the clock stops when it reaches the target
    text = charlm.load_corpus(config)
    chars = charlm.alphabet(text)
    data = charlm.fast_data(charlm.encode(text, chars), config.seq_len, config.val_share)
    model = charlm.build_fast_model(len(chars), config.embedding_dim, config.units)
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=config.learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    elapsed, curve, reached = 0.0, [], None
    for epoch in range(1, args.max_epochs + 1):
        start = time.perf_counter()
        model.fit(data["x_train"], data["y_train"], batch_size=charlm.batch_size(config), epochs=1,
                  verbose=0)
        elapsed += time.perf_counter() - start  # training only, as the lecture's script counts
        val_bits = model.evaluate(data["x_val"], data["y_val"], batch_size=256, verbose=0) / math.log(2)
        curve.append({"epoch": epoch, "elapsed_s": round(elapsed, 2), "val_bits_per_char": round(val_bits, 4)})
        print(json.dumps({"bench": "fast_char_training", **curve[-1]}), flush=True)
        if val_bits <= target:
            reached = elapsed
            break
    print(json.dumps({"bench": "char_training_time_to_lecture_epoch1_loss",
                      "target_val_bits_per_char": target, "lecture_s": lecture["elapsed_s"],
                      "ours_s": None if reached is None else round(reached, 2),
                      "time_ratio": None if reached is None else round(reached / lecture["elapsed_s"], 3),
                      "target_ratio": 0.2}), flush=True)
    del store, run_id

    seed_file = work / "seed.txt"
    seed_file.write_text(corpora.load_text("nietzsche")[1000:1060], encoding="utf-8")
    out = subprocess.run([sys.executable, str(SHARED / "reference_char_generate.py"), "--model",
                          str(model_path), "--chars", str(model_path.with_suffix(".chars.json")),
                          "--seed-text", str(seed_file), "--length", "200"],
                         check=True, capture_output=True, text=True).stdout
    base = _json_lines(out)[-1]
    gen = StatefulGenerator(keras.saving.load_model(model_path, safe_mode=True, compile=False),
                            json.loads(model_path.with_suffix(".chars.json").read_text("utf-8")))
    prime = seed_file.read_text(encoding="utf-8")
    gen.generate(prime, 10, 0.5, np.random.default_rng(0))  # warm-up, not timed (as theirs)
    start = time.perf_counter()
    gen.generate(prime, 300, 0.5, np.random.default_rng(0))
    three_hundred = time.perf_counter() - start
    start = time.perf_counter()
    gen.generate(prime, 5000, 0.5, np.random.default_rng(0))
    ours = 5000 / (time.perf_counter() - start)
    print(json.dumps({"bench": "char_generation_same_model", "lecture_chars_per_s": base["chars_per_s"],
                      "ours_chars_per_s": round(ours, 1), "speedup": round(ours / base["chars_per_s"], 1),
                      "ours_300_chars_s": round(three_hundred, 4), "target_speedup": 300}), flush=True)


if __name__ == "__main__":
    main()
