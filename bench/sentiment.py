"""A unit that reads sentiment, end to end as the Generate page runs it: a char language model
trained on IMDB's reviews without labels (the run store's real job, in a temporary store),
then its states read for 20,000 labelled train and 25,000 test reviews, L1 logistic regressions
on 10 / 100 / 1,000 / 20,000 labels beside the bag of words on the same reviews, and the
single unit. Prints the README's table (Markdown) and the figures as JSON.

Usage: python bench/sentiment.py [--max-chars 10000000] [--units 256] [--epochs 1]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-chars", type=int, default=10_000_000)
    parser.add_argument("--units", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args()
    os.environ["SEQLAB_RUNS_DIR"] = tempfile.mkdtemp(prefix="seqlab-sentiment-")

    from core import jobs
    from core.classify import sentiment
    from core.language import charlm
    from core.runs import worker
    from core.runs.people import OPERATOR
    from core.runs.store import RunStore

    probe = sentiment.ProbeConfig()
    config = charlm.CharConfig(corpus="imdb_reviews", units=args.units, epochs=args.epochs,
                               batch_size=args.batch_size, max_chars=args.max_chars,
                               min_count=charlm.min_count_for("imdb_reviews"),
                               probe_train=probe.train_reviews, probe_test=probe.test_reviews)
    store = RunStore()
    run_id = store.create(charlm.KIND, asdict(config), "sentiment bench", owner=OPERATOR)
    started = time.perf_counter()
    worker.run_in_foreground(store, run_id, jobs.char_run)
    run = store.get(run_id)
    if run["status"] != "finished":
        sys.exit(f"the run ended {run['status']}: {run['error']}")
    summary, found = run["summary"], run["summary"]["sentiment"]
    epochs = store.metrics(run_id, "epoch")
    train_s = sum(e["seconds"] for e in epochs)
    names = {"final c": "final carry c + L1", "mean h": "mean hidden h + L1"}
    print(f"| char LM | {args.units} units, {args.max_chars / 1e6:g} M characters, "
          f"{args.epochs} epoch(s), batch {args.batch_size} |")
    print("|---|---|")
    print(f"| training time | {train_s:.0f} s |")
    print(f"| validation bits per character | {summary['val_bits_per_char']:.2f} |")
    print(f"| reading {found['train_reviews']:,} + {found['test_reviews']:,} reviews | "
          f"{found['read_seconds']:.0f} s |")
    print(f"| probes and bag of words fitted | {found['seconds'] - found['read_seconds']:.0f} s |")
    print()
    print(f"| labelled reviews | {' | '.join(names.values())} | bag of words |")
    print("|---:|---:|---:|---:|")
    for row in found["sizes"]:
        print(f"| {row['labels']:,} | "
              + " | ".join(f"{row[k]['accuracy']:.1%} ({row[k]['units_used']} units)"
                           for k in names) + f" | {row['bag_accuracy']:.1%} |")
    units = found["units"]
    print("| one unit alone | " + " | ".join(
        f"{units[k]['test_accuracy']:.1%} (unit {units[k]['unit']})" for k in names) + " | |")
    print(json.dumps({"bench": "sentiment", "config": asdict(config), "train_s": round(train_s),
                      "val_bits_per_char": round(summary["val_bits_per_char"], 3),
                      "all_s": round(time.perf_counter() - started), "probe": found}, indent=1))


if __name__ == "__main__":
    main()
