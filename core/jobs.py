"""The one registry of job kinds, and the two ways to run a job.

A job kind is what the lab trains: IMDB classifiers, char language models, word2vec, and
whatever comes next. Each maps to its frozen config class and its training function
``train(store, run_id, stop_flag) -> summary`` (the summary names the saved model, if any).
Pages launch jobs in the background (:func:`launch`); the command line runs them in the
foreground (:func:`run`). Both go through ``core.runs.worker``, which owns how a run finishes,
fails, diverges or is interrupted. A new kind is one :func:`register` call in its own module's
list below (or from a notebook) and nothing else.
"""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.classify import sentiment, training
from core.classify.models import TrainConfig
from core.embeddings import word2vec
from core.language import charlm
from core.runs import cluster, worker
from core.runs.people import Person, check_request
from core.runs.store import ACTIVE, RunStore


@dataclass(frozen=True)
class TakeHome:
    """How a kind's trained run travels: ``build(model path, run) -> zip bytes`` (a file its
    library loads without the lab), what the download holds (``help``), and ``check(model
    path, run)`` raising ``ValueError`` with the reason when this run cannot travel."""

    build: Callable[[Path, dict], bytes]
    help: str
    check: Callable[[Path, dict], None] | None = None


@dataclass(frozen=True)
class JobKind:
    name: str  # the run kind in the store ("imdb", "charlm", "word2vec", ...)
    title: str  # for people: what this kind of job trains
    config: type  # a frozen dataclass; a run's config is stored as its fields
    train: Callable[..., dict | None]  # (store, run id, stop_flag) -> summary
    default_name: Callable[[object], str] = str  # a run's name from its config
    gpu_capable: bool = True  # on a cluster with GPUs, each run asks for one
    asks: Callable[[object], dict] = lambda config: {  # how large a run is, in the terms the
        name: getattr(config, name) for name in ("epochs", "units") if hasattr(config, name)}
    # instructor bounds for students (people.Limits: epochs, units, characters)
    take_home: TakeHome | None = None  # a trained run as a zip to take home; None: no export
    page: str = "train"  # the page whose Manage panel lists its runs ("train", "generate",
    # "embeddings"): a new kind's runs are managed, and exported, on Train & compare


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    """Add (or replace) a job kind; returns it."""
    if not dataclasses.is_dataclass(kind.config):
        raise ValueError(f"{kind.name}: config must be a dataclass, got {kind.config!r}")
    KINDS[kind.name] = kind
    return kind


def kinds_on(page: str) -> list[str]:
    """The job kinds whose runs ``page``'s Manage panel lists."""
    return [name for name, kind in KINDS.items() if kind.page == page]


def job_kind(name: str) -> JobKind:
    """The registered kind ``name``; ``KeyError`` lists the known ones."""
    if name not in KINDS:
        raise KeyError(f"unknown job kind {name!r}; known: {', '.join(KINDS)}")
    return KINDS[name]


def create(store: RunStore, kind: str, configs: list, names: list[str | None] | None = None,
           *, owner: Person) -> list[int]:
    """Queued runs of ``configs`` (instances of the kind's config class) belonging to ``owner``
    (the command line passes ``people.OPERATOR``): all of them, or none when they would pass a
    limit (the check and the inserts are one transaction); returns their ids."""
    spec = job_kind(kind)
    for config in configs:
        if not isinstance(config, spec.config):
            raise TypeError(f"a {kind} job needs a {spec.config.__name__}, "
                            f"got {type(config).__name__}")
    limits = store.limits()
    for config in configs:
        check_request(owner, spec.asks(config), limits)
    names = names or [None] * len(configs)
    return store.create_many(kind, [(dataclasses.asdict(c), n or spec.default_name(c))
                                    for c, n in zip(configs, names)], owner=owner)


def launch(store: RunStore, kind: str, config, name: str | None = None, *,
           owner: Person) -> int:
    """Queue a run of ``owner``'s and train it in the background (the dashboard's way): in the
    embedded worker, or as an actor on the Ray cluster when one is configured; returns its id.
    In a class, :class:`people.NotAllowed` when it would pass the owner's or the class's limit."""
    return launch_all(store, kind, [config], owner=owner, names=[name])[0]


def launch_all(store: RunStore, kind: str, configs: list, *, owner: Person,
               names: list[str | None] | None = None) -> list[int]:
    """Queue several runs at once (a race): all of them, or none when they would pass a limit
    (:class:`people.NotAllowed` says which)."""
    return [_start(store, kind, run_id)
            for run_id in create(store, kind, configs, names, owner=owner)]


def _start(store: RunStore, kind: str, run_id: int) -> int:
    spec = job_kind(kind)
    if cluster.enabled():
        cluster.submit(store, run_id, spec.train, spec.gpu_capable)
    else:
        worker.start_run(store, run_id, spec.train)
    return run_id


def run(store: RunStore, kind: str, config, name: str | None = None, *,
        owner: Person) -> tuple[int, str]:
    """Train a run of ``owner``'s and wait for it (the command line's way, with
    ``people.OPERATOR``): (its id, its final status). With a cluster configured it runs there;
    Ctrl-C then asks it to stop and waits for that."""
    [run_id] = create(store, kind, [config], [name], owner=owner)
    if not cluster.enabled():
        return run_id, worker.run_in_foreground(store, run_id, job_kind(kind).train)
    _start(store, kind, run_id)
    wait(store, [run_id], by=owner)
    return run_id, store.get(run_id)["status"]


def wait(store: RunStore, run_ids: list[int], poll: float = 0.5, *, by: Person) -> None:
    """Block until every run in ``run_ids`` has ended; Ctrl-C stops them (as ``by``) and is
    raised again."""
    try:
        while any(store.get(i)["status"] in ACTIVE for i in run_ids):
            time.sleep(poll)
    except KeyboardInterrupt:
        for run_id in run_ids:
            worker.request_stop(store, run_id, by=by)
        raise


def _classifier_bundle(path: Path, run: dict) -> bytes:
    from core.classify import export

    return export.bundle(path, run["config"])


def _classifier_check(path: Path, run: dict) -> None:
    from core.classify import export

    export.check(path, run["config"])


def _char_bundle(path: Path, run: dict) -> bytes:
    from core.language import export

    return export.bundle(path, charlm.alphabet_path(path), run["config"])


register(JobKind(training.KIND, "IMDB sentiment classifiers", TrainConfig, training.train_run,
                 lambda config: config.kind, take_home=TakeHome(
                     _classifier_bundle, "The trained model, the words it knows and a score.py "
                     "that scores a review with Keras (or scikit-learn) alone: python score.py "
                     "\"A review.\"", _classifier_check)))
def char_run(store: RunStore, run_id: int, stop_flag=None) -> dict:
    """A char language model's job: training, then the sentiment probe when its config asks
    for one (a char LM on IMDB reviews: ``core.classify.sentiment``)."""
    return charlm.train_run(store, run_id, stop_flag, then=sentiment.probe_stage)


IMDB_REVIEWS_CHARS = 95_000_000  # about: the unlabelled and train reviews, one a line


def char_asks(config: charlm.CharConfig) -> dict[str, int]:
    """How large a char run is, as the instructor bounds students' runs: epochs, units and
    the characters it trains on (IMDB's reviews without a cut: all of them)."""
    characters = config.max_chars or (IMDB_REVIEWS_CHARS if config.corpus == "imdb_reviews"
                                      else 0)
    return {"epochs": config.epochs, "units": config.units, "characters": characters}


register(JobKind(charlm.KIND, "Char-level language models", charlm.CharConfig, char_run,
                 lambda config: f"{config.variant} {config.corpus.split(':')[0]} {config.units}u",
                 asks=char_asks, page="generate", take_home=TakeHome(
                     _char_bundle, "The model, its alphabet and a generate.py that writes with "
                     "Keras alone: python generate.py \"the truth is \" 0.5 300")))
register(JobKind(word2vec.KIND, "word2vec on IMDB (skip-gram or CBOW)", word2vec.Word2VecConfig,
                 word2vec.train_run,
                 lambda config: f"word2vec {word2vec.space_name(config).split()[1]} "
                                f"{config.reviews} reviews", page="embeddings",
                 take_home=TakeHome(lambda path, run: word2vec.bundle(path),
                                    "The vectors in GloVe's text format and a nearest.py (numpy "
                                    "alone): python nearest.py wonderful")))
