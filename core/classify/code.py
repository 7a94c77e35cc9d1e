"""Train & compare's code to take home: a run's settings as standalone Keras (or
scikit-learn) code and a notebook, the data loaded from the official source or a local copy.

The model's code is read from the model the lab builds (``core.notebooks.model_code``), not
written by hand per kind, so it follows every setting on the page and every architecture
registered later. The one layer of the lab's own (the Transformer's positions) travels as its
source.
"""
from __future__ import annotations

from core import notebooks
from core.classify import models


def keras_model_code(config: models.TrainConfig) -> str:
    """Standalone code that builds the model ``config`` trains (same layers, same parameter
    count), compiles it as the lab does, and prints its summary."""
    if not models.ARCHITECTURES[config.kind].keras or not_exported(config.kind):
        raise ValueError(not_exported(config.kind) or f"the {config.kind} is not a Keras network")
    model = models.build_from_config(config)
    head = ["import keras", "from keras import layers", ""]
    for source in notebooks.own_layers(model):  # registered for saving by its decorator
        head += ["", source]
    optimizer = {"rmsprop": "RMSprop", "adam": "Adam", "sgd": "SGD"}[config.optimizer]
    body = notebooks.model_code(model) + [
        f"model.compile(optimizer=keras.optimizers.{optimizer}(learning_rate="
        f"{config.learning_rate!r}),",
        "              loss='binary_crossentropy', metrics=['accuracy'])",
        f"model.summary()  # {model.count_params():,} parameters, as in the lab"]
    return "\n".join(head + [""] + body) + "\n"


def not_exported(kind: str) -> str | None:
    """Why ``kind``'s code is not exported yet (None: it is)."""
    arch = models.ARCHITECTURES[kind]
    if arch.pretrained:
        return f"the {kind} needs GloVe vectors: its code is not exported yet"
    if arch.keras and arch.fit is not None:
        return f"the {kind} trains with its own loop: its code is not exported yet"
    return None


def train_cells(config: models.TrainConfig, measured: dict | None = None) -> list:
    """The Train & compare view for one run's settings as notebook cells: the data (Keras's
    IMDB, or a local copy), the model, compile, fit and evaluate; ``measured`` (a finished
    run's summary) puts the lab's own numbers beside them, to compare."""
    arch = models.ARCHITECTURES[config.kind]
    if reason := not_exported(config.kind):
        raise ValueError(reason)
    if not arch.keras:
        return _bag_cells(config, measured)
    data = f'''
        import numpy as np
        import keras

        NUM_WORDS, MAXLEN = {config.num_words}, {config.maxlen}
        {notebooks.LOCAL_COPY_LINE}  # <- or an .npz with x_train, y_train, x_test, y_test
        if LOCAL_COPY:
            with np.load(LOCAL_COPY) as f:  # plain integer arrays, already padded (no pickle)
                x_train, y_train, x_test, y_test = (f[k] for k in ("x_train", "y_train",
                                                                 "x_test", "y_test"))
        else:  # Keras downloads its IMDB file once and checks its hash
            (x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(
                num_words=NUM_WORDS)
            x_train = keras.utils.pad_sequences(x_train, maxlen=MAXLEN)
            x_test = keras.utils.pad_sequences(x_test, maxlen=MAXLEN)
        x_train, y_train = x_train[:{config.train_size}], y_train[:{config.train_size}]
        print(x_train.shape, x_test.shape)
    '''
    said = ""
    if measured and measured.get("test_accuracy") is not None:
        said = (f" In the lab this run reached **{measured['test_accuracy']:.1%}** test "
                f"accuracy after its last epoch"
                + (f" ({measured['test_at_best']:.1%} at its best epoch)"
                   if measured.get("test_at_best") is not None else "") + ".")
    fit = f'''
        keras.utils.set_random_seed({config.seed})
        history = model.fit(x_train, y_train, epochs={config.epochs},
                            batch_size={config.batch_size},
                            validation_split={config.validation_split})
        loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
        print(f"test accuracy {{accuracy:.3f}}")
    '''
    model_text = keras_model_code(config).replace("import keras\nfrom keras import layers\n",
                                                  "from keras import layers\n")
    return [
        ("markdown", f"""
            **{config.kind}**: {arch.teaches}

            The reviews as Keras gives them: each a list of word ids (the {config.num_words:,}
            most frequent words; rarer ones become 2), cut or padded at the front to
            {config.maxlen} ids. The lab reads the same reviews from the raw text with Keras's
            rules, so a few ids can differ."""),
        ("code", data),
        ("markdown", """
            The model, layer by layer as the lab builds it for these settings: an Embedding
            turns each id into a vector, the layers between read the sequence, and one sigmoid
            unit gives P(positive)."""),
        ("code", model_text),
        ("markdown", f"""
            Train on the first {config.train_size:,} reviews, the last
            {config.validation_split:.0%} of them held out for validation (as the lab does),
            then score on the 25,000 test reviews.{said}"""
         + (" The lab's Fast option (batches cut to length buckets) is not in this code: the "
            "model is the same, each batch is padded to the full length." if config.fast
            else "")),
        ("code", fit),
    ]


def _bag_cells(config: models.TrainConfig, measured: dict | None) -> list:
    """The bag-of-words baselines as a scikit-learn pipeline on the raw review texts."""
    ngrams = (1, 2) if config.ngrams == 2 else (1, 1)
    said = (f" In the lab: **{measured['test_accuracy']:.1%}** test accuracy with C = "
            f"{measured['best_C']}." if measured and measured.get("test_accuracy") else "")
    return [
        ("markdown", f"""
            **{config.kind}**: {models.ARCHITECTURES[config.kind].teaches}

            The raw reviews from Stanford's archive (or a local copy): a TF-IDF bag of words
            {'and word pairs ' if config.ngrams == 2 else ''}and a logistic regression, C
            chosen on the held-out reviews."""),
        ("code", "import numpy as np\nfrom sklearn.feature_extraction.text import TfidfVectorizer\n"
                 "from sklearn.linear_model import LogisticRegression\n"
                 "from sklearn.pipeline import make_pipeline\n\n" + notebooks.IMDB_TEXTS),
        ("markdown", f"""
            Words as Keras splits them (lower case, punctuation dropped), kept when they occur
            in at least 2 reviews, weighted by TF-IDF with a sublinear term frequency; each C
            tried on the last {config.validation_split:.0%} of {config.train_size:,} training
            reviews (the lab takes them in Keras's shuffled order, so its reviews differ).
            {said}"""),
        ("code", _BAG_FIT.replace("SEED", str(config.seed))
                         .replace("TRAIN_SIZE", str(config.train_size))
                         .replace("VALIDATION", str(config.validation_split))
                         .replace("NGRAMS", repr(ngrams))),
    ]


_BAG_FIT = """
FILTERS = str.maketrans({c: " " for c in '!"#$%&()*+,-./:;<=>?@[\\\\]^_`{|}~\\t\\n'})


def words(text):  # Keras's text_to_word_sequence
    return text.lower().translate(FILTERS).split()


order = np.random.default_rng(SEED).permutation(len(train_texts))[:TRAIN_SIZE]
split = int(len(order) * (1 - VALIDATION))
fit_rows, val_rows = order[:split], order[split:]
best = None
for c in (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0):
    pipe = make_pipeline(
        TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False,
                        ngram_range=NGRAMS, min_df=2, sublinear_tf=True),
        LogisticRegression(C=c, max_iter=1000))
    pipe.fit([train_texts[i] for i in fit_rows], train_labels[fit_rows])
    score = pipe.score([train_texts[i] for i in val_rows], train_labels[val_rows])
    if best is None or score > best[0]:
        best = (score, c, pipe)
print(f"best C {best[1]}: test accuracy {best[2].score(test_texts, test_labels):.3f}")
"""
