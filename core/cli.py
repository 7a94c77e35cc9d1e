"""The lab's one command line: data, IMDB classifiers and char language models.

    python -m core data status|verify|fetch NAME...|setup|ready
    python -m core train lstm cnn --epochs 10 [--train-size N] [--fast] [--seed S]
    python -m core train lecture --fast      (the lecture's six; "all": every kind)
    python -m core charlm nietzsche --variant fast --epochs 5
    python -m core charlm imdb_reviews --max-chars 10000000 --probe   (a unit for sentiment)
    python -m core train all --ray auto         (every preset at once on a Ray cluster)

Training goes into the same run store the dashboard reads, so a class can be prepared ahead.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time

from core.classify import models
from core.data import datasets
from core.language import charlm
from core.runs.people import OPERATOR  # the command line acts as the instructor
from core.runs.store import RunStore


def warm_caches(verbose: bool = True) -> dict[str, float]:
    """Parse IMDB, count its vocabularies and n-grams into the disk cache; seconds per step."""
    from core.data import corpora, imdb  # the parsers: heavy imports, only when building
    from core.embeddings import glove, spaces
    from core.tokens import ngrams, vocab

    steps = {
        "IMDB reviews and word ids": lambda: imdb.load_imdb(),
        "IMDB word and character vocabularies": lambda: (vocab.imdb_vocabulary("word"),
                                                         vocab.imdb_vocabulary("char")),
        "IMDB n-gram statistics (n = 1..5)": ngrams.imdb_ngram_statistics,
        "Nietzsche and tiny Shakespeare": lambda: [corpora.load_text(n) for n in corpora.CORPORA],
        "GloVe 6B 50d (binary cache)": lambda: glove.load_glove(50),
        "LSI and PPMI spaces of IMDB": lambda: (spaces.imdb_lsi_space(), spaces.imdb_ppmi_space()),
    }
    seconds = {}
    for name, step in steps.items():
        start = time.perf_counter()
        step()
        seconds[name] = time.perf_counter() - start
        if verbose:
            print(f"cached  {name}: {seconds[name]:.1f} s", flush=True)
    return seconds


def data(args) -> int:
    """status, verify, fetch NAME..., setup (verify or fetch all, warm caches), ready."""
    if args.command == "status":
        for row in datasets.status():
            print(f"{row['data set']:18} {row['status']:22} {row['where']:7} {row['MB']:8.1f} MB"
                  f"  {row['fetch with']}")
        return 0
    if args.command == "ready":
        return 0 if datasets.setup_is_current() else 1
    names = args.names or [d.name for d in datasets.REGISTRY.values() if not d.optional]
    failed = []
    for name in names:
        try:
            (_fetch if args.command in ("fetch", "setup") else _verify)(name)
            print(f"ok      {name}")
        except (datasets.DatasetUnavailable, OSError, KeyError) as error:
            failed.append(name)
            print(f"MISSING {name}: {error}")
    if args.command == "setup" and not failed:
        warm_caches()
        datasets.mark_setup_complete()
    if failed:
        print(f"\n{len(failed)} data set(s) missing: {', '.join(failed)}. With the internet, fetch "
              f"them with: python -m core data fetch {' '.join(failed)} (or put the offline "
              "mirror at ../shared/data, or name it with $SEQLAB_DATA_DIR).", flush=True)
    return 1 if failed else 0


def _fetch(name: str) -> None:
    from core.data import fetch  # urllib, tarfile, zipfile: only when fetching

    fetch.fetch(name)


def _verify(name: str) -> None:
    for f in datasets.dataset(name).files:
        if datasets.locate(f) is None:
            raise datasets.DatasetUnavailable(f"{f.path} is not present")
        datasets.resolve(f, name)


def open_store() -> RunStore:
    """The dashboard's run store, saying once if a damaged one was moved aside."""
    store = RunStore()
    if store.moved_aside:
        print(f"The run store was damaged; it was moved to {store.moved_aside} and a fresh one "
              "was started.", file=sys.stderr, flush=True)
    return store


def _run(store: RunStore, kind: str, config, name: str) -> int:
    """Train one run in the foreground and say how it ended; 130 after Ctrl-C."""
    from core import jobs  # every job kind's module

    start = time.perf_counter()
    try:
        run_id, status = jobs.run(store, kind, config, name, owner=OPERATOR)
    except KeyboardInterrupt:
        return 130
    run = store.get(run_id)
    outcome = run["error"] or run["summary"].get("test_accuracy", "")
    print(f"run {run_id} {name}: {status} in {time.perf_counter() - start:.0f} s {outcome}",
          flush=True)
    return 0


def _use_cluster(args) -> None:
    """``--ray ADDRESS``: run the jobs on that Ray cluster (as ``$SEQLAB_RAY_ADDRESS`` does)."""
    if args.ray:
        from core.runs import cluster

        cluster.connect(args.ray)


def train(args) -> int:
    """Train IMDB presets headless: one after another, or all at once on a Ray cluster (as
    many side by side as it has room for)."""
    from core.runs import cluster

    _use_cluster(args)
    store = open_store()
    changes = {k: v for k, v in (("epochs", args.epochs), ("train_size", args.train_size))
               if v is not None}
    configs = []
    kinds = [k for name in args.kinds for k in
             (models.KINDS if name == "all" else models.LECTURE_PARAMS if name == "lecture"
              else (name,))]
    for kind in dict.fromkeys(kinds):
        config = dataclasses.replace(models.PRESETS[kind], seed=args.seed, fast=args.fast, **changes)
        config, note = models.with_available_glove(config)
        if note:
            print(note, flush=True)
        configs.append((config, f"{kind} (command line)"))
    if cluster.enabled():
        return _run_on_cluster(store, "imdb", configs)
    for config, name in configs:
        if _run(store, "imdb", config, name) == 130:
            return 130
    return 0


def _run_on_cluster(store: RunStore, kind: str, configs: list) -> int:
    """Queue every run on the cluster at once, wait for all, say how each ended."""
    from core import jobs

    start = time.perf_counter()
    run_ids = jobs.launch_all(store, kind, [c for c, _ in configs], owner=OPERATOR,
                              names=[n for _, n in configs])
    print(f"queued runs {', '.join(map(str, run_ids))} on the Ray cluster", flush=True)
    try:
        jobs.wait(store, run_ids, by=OPERATOR)
    except KeyboardInterrupt:
        return 130
    for run_id in run_ids:
        run = store.get(run_id)
        outcome = run["error"] or run["summary"].get("test_accuracy", "")
        print(f"run {run_id} {run['name']}: {run['status']} on {run['place']} {outcome}",
              flush=True)
    print(f"all done in {time.perf_counter() - start:.0f} s", flush=True)
    return 0


def char_model(args) -> int:
    """Train one char language model headless."""
    _use_cluster(args)
    from core.classify import sentiment

    imdb = args.corpus == "imdb_reviews"  # only reviews have labels to probe for
    probe = sentiment.ProbeConfig()
    config = charlm.CharConfig(args.corpus, args.variant, epochs=args.epochs, units=args.units,
                               min_count=charlm.min_count_for(args.corpus),
                               max_chars=args.max_chars, batch_size=args.batch_size,
                               probe_train=probe.train_reviews if imdb and args.probe else 0,
                               probe_test=probe.test_reviews if imdb and args.probe else 0)
    return _run(open_store(), charlm.KIND, config, f"{args.variant} {args.corpus}")


def serve(args) -> int:
    """Print Streamlit's flags for serving the lab this way, one a line (``./lab`` reads them);
    the reason and exit status 2 when it must not start so."""
    from core.runs.serving import ServeRefused, server_args

    try:
        flags, notes = server_args(args.mode)
    except ServeRefused as refused:
        print(f"The lab will not start: {refused}", file=sys.stderr, flush=True)
        return 2
    for note in notes:
        print(f"Note: {note}", file=sys.stderr, flush=True)
    print("\n".join(flags), flush=True)
    return 0


RAY_HELP = ("run on a Ray cluster: auto (a running one), local (start one here) or "
            "ray://host:10001; default $SEQLAB_RAY_ADDRESS, else this machine's own worker")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m core", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = top.add_subparsers(dest="what", required=True)
    d = sub.add_parser("data", help="the data sets: status, verify, fetch, setup, ready")
    d.add_argument("command", choices=["status", "verify", "fetch", "setup", "ready"],
                   help="ready: exit 0 when setup is complete for the data and code as they are "
                        "now (nothing is hashed or built)")
    d.add_argument("names", nargs="*", help="data sets for fetch (default: all required)")
    d.set_defaults(handler=data)
    t = sub.add_parser("train", help="train IMDB classifiers into the run store")
    t.add_argument("kinds", nargs="+", choices=models.KINDS + ("all", "lecture"),
                   help="lecture: the lecture's six; all: every kind")
    t.add_argument("--epochs", type=int)
    t.add_argument("--train-size", type=int)
    t.add_argument("--fast", action="store_true",
                   help="length buckets (and masked padding, XLA) where they keep accuracy")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--ray", metavar="ADDRESS", help=RAY_HELP)
    t.set_defaults(handler=train)
    c = sub.add_parser("charlm", help="train a char language model into the run store")
    c.add_argument("corpus", choices=["nietzsche", "shakespeare", "imdb_reviews"])
    c.add_argument("--variant", choices=charlm.VARIANTS, default="fast")
    c.add_argument("--epochs", type=int, default=1)
    c.add_argument("--units", type=int, default=128)
    c.add_argument("--batch-size", type=int, default=0, help="default: the variant's own")
    c.add_argument("--max-chars", type=int, default=0,
                   help="train on the corpus's first this-many characters (default: all)")
    c.add_argument("--probe", action="store_true",
                   help="imdb_reviews: then look for a unit that reads sentiment")
    c.add_argument("--ray", metavar="ADDRESS", help=RAY_HELP)
    c.set_defaults(handler=char_model)
    s = sub.add_parser("serve", help="Streamlit's flags for serving the lab (./lab reads them)")
    s.add_argument("mode", choices=["local", "class"],
                   help="local: this machine only; class: the network, with an instructor key")
    s.set_defaults(handler=serve)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)
