"""Train & compare's code to take home: a run's settings as standalone Keras (or
scikit-learn) code and a notebook, the data loaded from the official source or a local copy.

The model's code is read from the model the lab builds (``core.notebooks.model_code``), not
written by hand per kind, so it follows every setting on the page and every architecture
registered later. The one layer of the lab's own (the Transformer's positions) travels as its
source.
"""
from __future__ import annotations

import dataclasses
import textwrap

from core import notebooks
from core.classify import baselines, export, models


def keras_model_code(config: models.TrainConfig) -> str:
    """Standalone code that builds the model ``config`` trains (same layers, same parameter
    count), compiles it as the lab does, and prints its summary."""
    arch = models.ARCHITECTURES[config.kind]
    if not arch.keras or arch.fit is not None:
        raise ValueError(f"the {config.kind} is not a Keras network built from word ids")
    # a pretrained Embedding is built frozen (its GloVe weights are set after it is built)
    model = models.build_from_config(config, _zeros(config) if arch.pretrained else None)
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
    """Why ``kind``'s code is not exported (None: it is): a kind with its own training loop
    other than the bag of bigrams, whose code is written here."""
    arch = models.ARCHITECTURES[kind]
    if arch.keras and arch.fit is not None and kind != "bigram_dense":
        return f"the {kind} trains with its own loop: its code is not exported yet"
    return None


def measured_by(runs: list[dict], config: models.TrainConfig) -> dict | None:
    """The summary of the newest finished run of ``runs`` (newest first: the ones a person
    follows) trained with exactly ``config``, whose numbers the code quotes; None if none."""
    wanted = dataclasses.asdict(config)
    return next((r["summary"] for r in runs
                 if r["status"] == "finished" and r["config"] == wanted), None)


def train_cells(config: models.TrainConfig, measured: dict | None = None) -> list:
    """The Train & compare view for one run's settings as notebook cells: the data (Keras's
    IMDB, or a local copy), the model, compile, fit and evaluate; ``measured`` (a finished
    run's summary) puts the lab's own numbers beside them, to compare."""
    arch = models.ARCHITECTURES[config.kind]
    if reason := not_exported(config.kind):
        raise ValueError(reason)
    if not arch.keras:
        return _bag_cells(config, measured)
    if config.kind == "bigram_dense":
        return _bigram_cells(config, measured)
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
    if arch.pretrained:
        fit = ('\n        model.get_layer("embedding").set_weights([matrix])  # GloVe, frozen'
               + fit)
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
        *(_glove_cells(config) if arch.pretrained else []),
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
        ("code", export.SPLIT + _BAG_FIT
         .replace("SEED", str(config.seed)).replace("TRAIN_SIZE", str(config.train_size))
         .replace("VALIDATION", str(config.validation_split)).replace("NGRAMS", repr(ngrams))
         .replace("C_GRID", repr(baselines.C_GRID))
         .replace("TFIDF", ", ".join(f"{k}={v!r}" for k, v in baselines.TFIDF.items()))),
    ]


_BAG_FIT = """

order = np.random.default_rng(SEED).permutation(len(train_texts))[:TRAIN_SIZE]
split = int(len(order) * (1 - VALIDATION))
fit_rows, val_rows = order[:split], order[split:]
best = None
for c in C_GRID:
    pipe = make_pipeline(
        TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False,
                        ngram_range=NGRAMS, TFIDF),
        LogisticRegression(C=c, max_iter=1000))
    pipe.fit([train_texts[i] for i in fit_rows], train_labels[fit_rows])
    score = pipe.score([train_texts[i] for i in val_rows], train_labels[val_rows])
    if best is None or score > best[0]:
        best = (score, c, pipe)
print(f"best C {best[1]}: test accuracy {best[2].score(test_texts, test_labels):.3f}")
"""


def _zeros(config: models.TrainConfig):
    import numpy as np

    return np.zeros((config.num_words, config.embedding_dim), dtype="float32")


def _glove_cells(config: models.TrainConfig) -> list:
    """The frozen GloVe embedding matrix of a pretrained kind: row rank + 3 is the vector of
    the word of that Keras rank (as the lab builds it)."""
    from core.embeddings.code import archive_code

    return [
        ("markdown", f"""
            GloVe's {config.embedding_dim}-number vectors for the {config.num_words:,} ids:
            row rank + 3 holds the vector of the word of that rank in Keras's word index (rows
            of words GloVe lacks stay zero). The Embedding starts from them and stays
            frozen."""),
        ("code", _GLOVE.replace("    ARCHIVE\n", textwrap.indent(
            archive_code(config.embedding_dim), "    ")).replace("DIM", str(config.embedding_dim))),
    ]


_GLOVE = """
if LOCAL_COPY:  # the same .npz also holds glove_words, glove_vectors, index_words, index_ranks
    with np.load(LOCAL_COPY) as f:
        glove = dict(zip(f["glove_words"].tolist(), f["glove_vectors"]))
        word_index = dict(zip(f["index_words"].tolist(), f["index_ranks"].tolist()))
else:
    word_index = keras.datasets.imdb.get_word_index()  # checked by Keras
    ARCHIVE
    glove = {line.split(" ", 1)[0]: np.array(line.split(" ")[1:], dtype="float32")
             for line in lines}
matrix = np.zeros((NUM_WORDS, DIM), dtype="float32")
for word, rank in word_index.items():
    if 0 < rank and rank + 3 < NUM_WORDS and word in glove:
        matrix[rank + 3] = glove[word]
print(f"{int(matrix.any(axis=1).sum()):,} of {NUM_WORDS:,} ids have a vector")
"""


def _bigram_cells(config: models.TrainConfig, measured: dict | None) -> list:
    """The textbook's bag of bigrams in Keras (Chollet, 2nd ed., ch. 11) on the raw reviews."""
    from core.classify.baselines import BIGRAM_TOKENS

    said = (f" In the lab this run reached **{measured['test_accuracy']:.1%}** test accuracy."
            if measured and measured.get("test_accuracy") is not None else "")
    return [
        ("markdown", """
            The raw reviews from Stanford's archive (or a local copy): this network reads
            text, not word ids."""),
        ("code", notebooks.IMDB_TEXTS),
        ("markdown", f"""
            **bigram_dense**: {models.ARCHITECTURES['bigram_dense'].teaches} Keras's
            TextVectorization learns the {BIGRAM_TOKENS:,} commonest words and word pairs of
            the training reviews and turns each review into 0/1 for each."""),
        ("code", f'''
            import keras
            import tensorflow as tf
            from keras import layers

            order = np.random.default_rng({config.seed}).permutation(len(train_texts))
            order = order[:{config.train_size}]
            split = int(len(order) * (1 - {config.validation_split}))
            texts = np.array(train_texts, dtype=object)
            fit_x, val_x = texts[order[:split]].tolist(), texts[order[split:]].tolist()
            fit_y, val_y = train_labels[order[:split]], train_labels[order[split:]]

            vectorize = layers.TextVectorization(max_tokens={BIGRAM_TOKENS}, ngrams=2,
                                                 output_mode="multi_hot", name="bag_of_bigrams")
            vectorize.adapt(fit_x)
            review = keras.Input(shape=(1,), dtype="string", name="review")
            x = layers.Dense({config.units}, activation="relu", name="dense")(vectorize(review))
            output = layers.Dense(1, activation="sigmoid", name="output")(
                layers.Dropout(0.5, name="dropout")(x))
            model = keras.Model(review, output, name="bigram_dense")
            model.compile(optimizer=keras.optimizers.{
                {"rmsprop": "RMSprop", "adam": "Adam", "sgd": "SGD"}[config.optimizer]}(
                learning_rate={config.learning_rate}), loss="binary_crossentropy",
                metrics=["accuracy"])
            model.summary()
        '''),
        ("markdown", f"""
            Train (the last {config.validation_split:.0%} of the {config.train_size:,} reviews
            held out; the lab takes them in Keras's shuffled order, so its reviews differ),
            then score on the test reviews.{said}"""),
        ("code", f'''
            keras.utils.set_random_seed({config.seed})
            model.fit(tf.constant(fit_x)[:, None], fit_y, epochs={config.epochs},
                      batch_size={config.batch_size},
                      validation_data=(tf.constant(val_x)[:, None], val_y))
            loss, accuracy = model.evaluate(tf.constant(test_texts)[:, None], test_labels,
                                            verbose=0)
            print(f"test accuracy {{accuracy:.3f}}")
        '''),
    ]
