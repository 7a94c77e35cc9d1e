"""The built-in questions: two on every page that teaches, each answered by a ``core`` function
on the lab's real data at the moment it is revealed (the computations: ``answers.py``)."""
from __future__ import annotations

from functools import lru_cache

from core.questions import answers
from core.questions.model import Ask, Question

PAIRS = (("the dog bit the man", "the man bit the dog"),
         ("the film was good", "the film was not good"),
         ("a great film", "a great great film"),
         ("I loved it", "I loved this"))
RACE = ("cnn", "simple_rnn", "lstm", "gru")  # the lecture's four sequence models
RACE_EPOCHS = 10
GRADIENT_STEPS = 100
NEAREST_RANKS = (1, 10, 100, 1000)
ANALOGY_RANKS = (1, 4, 12, 40)
PRIME, SAMPLE_CHARS = "the ", 300


@lru_cache(maxsize=1)
def _glove():
    from core.embeddings.glove import load_glove

    return load_glove(50)


def _pairs(ask: Ask):
    from core.tokens.ngrams import imdb_ngram_statistics

    return answers.distinct_pairs(imdb_ngram_statistics()[0])


@lru_cache(maxsize=1)
def _nearest_choices() -> tuple[str, ...]:
    return answers.ranked_choices([w for w, _ in _glove().nearest("awful", 1000)], NEAREST_RANKS)


@lru_cache(maxsize=1)
def _analogy_choices() -> tuple[str, ...]:
    found = _glove().analogy("man", "king", "woman", k=max(ANALOGY_RANKS))
    return answers.ranked_choices([w for w, _ in found], ANALOGY_RANKS)


def _lstm_parameters(ask: Ask):
    from core.classify import models

    rows, total = models.summary(models.preset("lstm"))
    return answers.parameters(rows, total, "The lecture's LSTM(32) model")


def _race(ask: Ask):
    from core.classify import training

    if ask.store is None:
        raise ValueError("this question reads the class's runs: pass the run store")
    runs = ask.store.list(training.KIND)
    return answers.best_model(runs, lambda i: ask.store.metrics(i, "epoch"), RACE, RACE_EPOCHS)


@lru_cache(maxsize=1)
def _baseline():
    from core.language import charlm, ngram

    return ngram.for_config(charlm.CharConfig(corpus="nietzsche"))


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    import re

    from core.language import charlm

    return frozenset(re.findall(r"[a-z]+", charlm.load_corpus(charlm.CharConfig()).lower()))


def _sample(ask: Ask, temperature: str | None = None) -> str:
    return _written(ask.seed, temperature or answers.temperature_of(ask.seed))


@lru_cache(maxsize=512)
def _written(seed: int, temperature: str) -> str:
    """What the n-gram model writes after :data:`PRIME` at ``temperature`` with ``seed``."""
    return PRIME + _baseline().write(PRIME, SAMPLE_CHARS, float(temperature), seed)


def _which_temperature(ask: Ask):
    samples = {t: _sample(ask, t) for t in answers.TEMPERATURES}
    return answers.which_temperature(samples, set(_known_words()),
                                     answers.temperature_of(ask.seed))


def _gradients(ask: Ask):
    from core.rnn import inside

    simple = inside.untrained_gradient_norms("simple_rnn", GRADIENT_STEPS, 1.0)
    gated = inside.untrained_gradient_norms("lstm", GRADIENT_STEPS, 1.0,
                                            gate_shift=inside.GATES_OPEN)
    return answers.gradient_race(simple, gated, GRADIENT_STEPS)


QUESTIONS: tuple[Question, ...] = (
    Question("text.pairs", "text", "How many distinct word pairs (bigrams) do the 25,000 IMDB "
             "training reviews hold?", _pairs, answers.magnitude_choices()),
    Question("text.bag", "text", "Which pair of sentences can a bag of words not tell apart?",
             lambda ask: answers.same_bag(list(PAIRS)),
             tuple(answers.pair_label(a, b) for a, b in PAIRS)),
    Question("emb.awful", "embeddings", "In GloVe (50 dimensions, 400,000 words), which of these "
             "words is nearest to “awful”?",
             lambda ask: answers.nearest_word(_glove(), "awful", _nearest_choices()),
             _nearest_choices),
    Question("emb.queen", "embeddings", "In GloVe, king − man + woman: which of these words is "
             "nearest the result (the three words themselves left out)?",
             lambda ask: answers.analogy(_glove(), "man", "king", "woman", _analogy_choices()),
             _analogy_choices),
    Question("train.params", "train", "How many parameters has the lecture's LSTM(32) model "
             "(10,000 words, a 32-dimensional Embedding, LSTM(32), one sigmoid output)?",
             _lstm_parameters, tolerance=0.05, unit="parameters"),
    Question("train.race", "train", f"After {RACE_EPOCHS} epochs on IMDB, which model has the "
             "best validation accuracy? (The class's finished runs of 10 epochs or more answer "
             "it: the best of each model at its 10th epoch.)", _race, RACE, start=RACE),
    Question("gen.order", "generate", "A counting (n-gram) character model of Nietzsche: with "
             "how long a context (n characters, the predicted one included) does it score the "
             "fewest validation bits per character?",
             lambda ask: answers.best_order(_baseline().bits, "Nietzsche"),
             tuple(str(n) for n in range(1, 10))),
    Question("gen.temperature", "generate", "An n-gram model of Nietzsche wrote this text at a "
             "temperature only the lab knows (each of you has your own text). Which temperature?",
             _which_temperature, answers.TEMPERATURES, material=_sample,
             right=lambda ask: answers.temperature_of(ask.seed)),
    Question("inside.gradient", "inside", f"After {GRADIENT_STEPS} steps, whose gradient reaches "
             "the first input more: an untrained SimpleRNN(32)'s, or an LSTM(32)'s with its "
             "forget gate held open?", _gradients, answers.GRADIENT_CHOICES),
    Question("inside.gru", "inside", "How many parameters has a GRU layer of 32 units reading "
             "32-dimensional inputs (Keras's default, reset_after)?",
             lambda ask: answers.layer_parameters("gru", 32, 32), tolerance=0.02,
             unit="parameters"),
)
