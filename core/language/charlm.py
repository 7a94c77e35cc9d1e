"""Char-level language models: the lecture's (one-hot windows of 60 -> LSTM(128) -> softmax)
and an efficient variant (ids -> Embedding -> LSTM predicting every position), trained into
the run store with validation loss in bits per character.

``python -m core charlm nietzsche --variant fast --epochs 5`` (core/cli.py) trains headless.
"""
from __future__ import annotations

import hashlib

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core import paths
from core.language.generation import RARE, epoch_callbacks
from core.runs.callbacks import share_turns, store_metrics
from core.runs.store import RunDiverged, RunStore
from core.runs.worker import Shares, should_stop

KIND = "charlm"
MAX_UPLOAD_CHARS = 2_000_000
VARIANTS = ("lecture", "fast")


@dataclass(frozen=True)
class CharConfig:
    corpus: str = "nietzsche"  # a corpus name, or "upload:<sha256 prefix>" for an uploaded text
    variant: str = "fast"  # "lecture": one-hot windows; "fast": every position predicted
    lower: bool = True  # the lecture lower-cases its corpus
    maxlen: int = 60  # lecture: window length; fast: training sequence length is seq_len
    step: int = 3  # lecture: a window every `step` characters
    seq_len: int = 50  # fast: characters per training sequence
    units: int = 128  # LSTM units
    embedding_dim: int = 32  # fast: character embedding size
    epochs: int = 1
    batch_size: int = 0  # 0: the variant's own (lecture 128; fast 32: more updates per epoch)
    learning_rate: float = 0.01  # RMSprop, as the lecture
    val_share: float = 0.1  # the end of the corpus held out for validation
    min_count: int = 1  # rarer characters become RARE
    seed: int = 0
    max_chars: int = 0  # 0: the whole corpus; else its first max_chars characters
    # After training on IMDB reviews: the states of this many labelled train and test reviews
    # read for sentiment (core.classify.sentiment, a stage jobs.char_run adds); 0: no probe.
    probe_train: int = 0
    probe_test: int = 0

    def __post_init__(self):
        if self.variant not in VARIANTS:
            raise ValueError(f"variant must be one of {VARIANTS}, got {self.variant!r}")
        if min(self.maxlen, self.step, self.seq_len, self.units, self.embedding_dim,
               self.epochs, self.min_count) < 1 or min(self.batch_size, self.max_chars) < 0:
            raise ValueError(f"sizes, epochs and counts must be >= 1, got {self}")
        if not 0 < self.val_share < 0.5 or not self.learning_rate > 0:
            raise ValueError(f"need 0 < val_share < 0.5 and learning_rate > 0, got {self}")
        if (self.probe_train or self.probe_test) and (
                self.corpus != "imdb_reviews" or min(self.probe_train, self.probe_test) < 10):
            raise ValueError("a sentiment probe needs the imdb_reviews corpus and at least 10 "
                             f"train and 10 test reviews, got {self}")


UPLOAD_MIN_COUNT = 5  # in uploaded texts and reviews, rarer characters become RARE


def min_count_for(corpus: str) -> int:
    """The rare-character rule a corpus trains with: the curated texts keep every character;
    uploads and IMDB's reviews (122 characters, many seen a handful of times) mark the rare."""
    return 1 if corpus in ("nietzsche", "shakespeare") else UPLOAD_MIN_COUNT
MIN_CORPUS_CHARS = 2000


def read_upload(data: bytes) -> tuple[str, bool]:
    """An uploaded file as text: UTF-8 only, at least MIN_CORPUS_CHARS characters, cut to
    MAX_UPLOAD_CHARS (the flag says whether it was cut). ValueError explains a refusal."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"the file is not UTF-8 text (byte {error.start}); save it as UTF-8 "
                         "and upload it again") from None
    if len(text) < MIN_CORPUS_CHARS:
        raise ValueError(f"the file has {len(text):,} characters; a language model needs at "
                         f"least {MIN_CORPUS_CHARS:,}")
    return text[:MAX_UPLOAD_CHARS], len(text) > MAX_UPLOAD_CHARS


def batch_size(config: CharConfig) -> int:
    """The batch size a config trains with (its own, or its variant's default)."""
    return config.batch_size or (128 if config.variant == "lecture" else 32)


def alphabet(text: str, min_count: int = 1) -> list[str]:
    """Sorted characters seen at least ``min_count`` times, plus RARE if any are rarer."""
    counts = Counter(text)
    chars = sorted(ch for ch, n in counts.items() if n >= min_count)
    return chars + [RARE] if len(chars) < len(counts) else chars


def encode(text: str, chars: list[str]) -> np.ndarray:
    """Character ids (int32); characters outside ``chars`` become RARE (or raise if none)."""
    stoi = {ch: i for i, ch in enumerate(chars)}
    rare = stoi.get(RARE)
    if rare is None and any(ch not in stoi for ch in set(text)):
        raise KeyError(f"characters not in the alphabet: "
                       f"{''.join(sorted(set(text) - set(stoi)))!r}")
    return np.fromiter((stoi.get(ch, rare) for ch in text), dtype=np.int32, count=len(text))


def load_corpus(config: CharConfig, uploaded: str | None = None,
                folder: Path | None = None) -> str:
    """The corpus text as the config asks (lower-cased or not); an uploaded one is read from
    ``folder``'s ``uploads`` (default: the dashboard's runs folder)."""
    from core.data import corpora

    if config.corpus.startswith("upload:"):
        if uploaded is None:
            upload = (folder or paths.runs_dir()) / "uploads" / f"{config.corpus[7:]}.txt"
            uploaded = upload.read_text("utf-8")
        text = uploaded
    else:
        text = corpora.load_text(config.corpus, lower=False)
    text = text[:config.max_chars] if config.max_chars else text
    return text.lower() if config.lower else text


def lecture_data(ids: np.ndarray, maxlen: int, step: int, val_share: float) -> dict:
    """The lecture's windows: every ``step`` characters, ``maxlen`` ids and the next id; the
    last ``val_share`` of the windows (by position) held out, as the reference does."""
    starts = np.arange(0, len(ids) - maxlen, step)
    x = np.lib.stride_tricks.sliding_window_view(ids, maxlen)[starts]
    y = ids[starts + maxlen]
    split = int(len(x) * (1 - val_share))
    return {"x_train": x[:split], "y_train": y[:split], "x_val": x[split:], "y_val": y[split:]}


def validation_start(n: int, val_share: float) -> int:
    """Where the held-out end of a text of ``n`` characters starts (the n-gram's split too)."""
    return int(n * (1 - val_share))


def fast_data(ids: np.ndarray, seq_len: int, val_share: float) -> dict:
    """Non-overlapping sequences, the next character as target at every position; the last
    ``val_share`` of the corpus held out. Each character is a target once per epoch."""
    split = validation_start(len(ids), val_share)

    def chunks(part: np.ndarray):
        n = (len(part) - 1) // seq_len
        return (part[:n * seq_len].reshape(n, seq_len), part[1:n * seq_len + 1].reshape(n, seq_len))

    x_train, y_train = chunks(ids[:split])
    x_val, y_val = chunks(ids[split:])
    return {"x_train": x_train, "y_train": y_train, "x_val": x_val, "y_val": y_val}


def build_lecture_model(vocab: int, maxlen: int = 60, units: int = 128):
    """LSTM(128) -> Dense(vocab, softmax) over one-hot windows (one-hot done in the model)."""
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input(shape=(maxlen,), dtype="int32", name="char_ids"),
        layers.CategoryEncoding(vocab, output_mode="one_hot", name="one_hot"),
        layers.LSTM(units, name="lstm"),
        layers.Dense(vocab, activation="softmax", name="next_char")], name="lecture_char_lstm")


def build_fast_model(vocab: int, embedding_dim: int = 32, units: int = 128):
    """ids -> Embedding -> LSTM(return_sequences) -> Dense logits at every position."""
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input(shape=(None,), dtype="int32", name="char_ids"),
        layers.Embedding(vocab, embedding_dim, name="embedding"),
        layers.LSTM(units, return_sequences=True, name="lstm"),
        layers.Dense(vocab, name="next_char_logits")], name="fast_char_lstm")


def model_files(run_id: int, store: RunStore | None = None):
    """(model path, alphabet path) a char run writes, beside its store's file (by default the
    dashboard's store). To find a finished run's model, ask the store (``model_path``), and
    its alphabet :func:`alphabet_path`."""
    folder = (store.path.parent if store is not None else paths.runs_dir()) / "models"
    model = folder / f"char-{run_id}.keras"
    return model, alphabet_path(model)


def alphabet_path(model_path: Path) -> Path:
    """The alphabet a char model's file was saved with, beside it."""
    return model_path.with_name(model_path.name.removesuffix(".keras") + ".chars.json")


def prepare(config: CharConfig, ids: np.ndarray, vocab: int):
    """(train/validation arrays, the compiled model) of ``config``'s variant over ``ids``."""
    import keras

    if config.variant == "lecture":
        data = lecture_data(ids, config.maxlen, config.step, config.val_share)
        model = build_lecture_model(vocab, config.maxlen, config.units)
        loss = keras.losses.SparseCategoricalCrossentropy()
    else:
        data = fast_data(ids, config.seq_len, config.val_share)
        model = build_fast_model(vocab, config.embedding_dim, config.units)
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    if len(data["x_train"]) < 1 or len(data["x_val"]) < 1:
        raise ValueError(f"the corpus ({len(ids):,} characters) is too short for this setting")
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=config.learning_rate), loss=loss)
    return data, model


def train_run(store: RunStore, run_id: int, stop_flag=None, then=None) -> dict:
    """The job: train run ``run_id``'s CharConfig; bits per char logged; a sample each epoch.
    ``then(store, run_id, model, chars, config, stop_flag)``, if given, is a stage after the
    model is saved; the dict it returns joins the summary (the sentiment probe is one)."""
    import keras

    config = CharConfig(**store.get(run_id)["config"])
    keras.utils.set_random_seed(config.seed)
    text = load_corpus(config, folder=store.path.parent)
    chars = alphabet(text, config.min_count)
    ids = encode(text, chars)
    data, model = prepare(config, ids, len(chars))
    samples = {"chars": len(ids)}
    metrics = store_metrics(store, run_id, len(data["x_train"]), batch_size(config), stop_flag)

    shares = Shares(run_id, should_stop(store, run_id, stop_flag))  # others' runs go between
    val_ids = ids[validation_start(len(ids), config.val_share):]  # the n-gram's text too
    model.fit(data["x_train"], data["y_train"], batch_size=batch_size(config),
              epochs=config.epochs, validation_data=(data["x_val"], data["y_val"]), verbose=0,
              callbacks=[*epoch_callbacks(store, run_id, text, chars, val_ids, metrics),
                         share_turns(shares)])
    if metrics.diverged:
        raise RunDiverged(metrics.diverged)
    model_path, chars_path = (store.file_path(run_id, p.name) for p in model_files(run_id, store))
    paths.atomic_save(model_path, model.save)
    paths.atomic_write_text(chars_path, json.dumps(chars))
    if then is not None and shares.now():  # a stage of its own: others first, if they wait
        samples.update(then(store, run_id, model, chars, config, stop_flag))
    epochs = store.metrics(run_id, "epoch")
    return {**samples, "model": model_path.name, "alphabet": len(chars),
            "params": int(model.count_params()),
            "uniform_bits": math.log2(len(chars)),
            "val_bits_per_char": val_bits(epochs[-1]) if epochs else None}


def val_bits(epoch: dict) -> float | None:
    """An epoch's validation bits per character: with the state carried through the
    validation text when the run measured it so, else Keras's (sequences from an empty state)."""
    if "val_bits_carried" in epoch:
        return epoch["val_bits_carried"]
    return epoch["val_loss"] / math.log(2) if epoch.get("val_loss") is not None else None


def load_generator(model_path: Path):
    """A StatefulGenerator for a finished char run's model file (``RunStore.model_path``;
    loaded in safe mode, with its alphabet from beside it)."""
    import keras

    from core.language.generation import StatefulGenerator

    model = keras.saving.load_model(model_path, safe_mode=True, compile=False)
    return StatefulGenerator(model, json.loads(alphabet_path(model_path).read_text("utf-8")))


def corpus_numbers(corpus: str, lower: bool, maxlen: int = 60, step: int = 3,
                   seq_len: int = 50, max_chars: int = 0) -> dict:
    """:func:`text_numbers` of a named corpus (its first ``max_chars`` characters if > 0), with
    its rare-character rule."""
    return text_numbers(load_corpus(CharConfig(corpus=corpus, lower=lower, max_chars=max_chars)),
                        maxlen, step, seq_len, min_count_for(corpus))


def text_numbers(text: str, maxlen: int = 60, step: int = 3, seq_len: int = 50,
                 min_count: int = 1) -> dict:
    """The lecture's data-preparation numbers for ``text`` (length, distinct characters,
    windows of ``maxlen`` every ``step``), the fast variant's sequences, the alphabet's size
    with characters rarer than ``min_count`` as one RARE marker (uploads: UPLOAD_MIN_COUNT),
    and those rare characters, most frequent first."""
    from core.data import corpora

    rare = [ch for ch, n in Counter(text).most_common() if n < min_count]
    return {**corpora.corpus_stats(text, maxlen, step), "alphabet": len(alphabet(text, min_count)),
            "fast sequences": (len(text) - 1) // seq_len, "rare": rare}


def save_upload(text: str) -> str:
    """Keep an uploaded text in the runs folder's ``uploads`` (named by its content, so the same
    text is kept once) for a run to train on; its corpus name, ``upload:<hash>``."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    paths.atomic_write_text(paths.runs_dir() / "uploads" / f"{digest}.txt", text)
    return f"upload:{digest}"
