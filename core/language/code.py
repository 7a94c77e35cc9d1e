"""Generate text's code to take home: a char language model with the page's settings, its
training, and sampling with temperature, as standalone Keras code and a notebook (the corpus
from its official source, checked by its hash, or a local copy)."""
from __future__ import annotations

import inspect
import math

from core import notebooks
from core.data import datasets
from core.language import charlm, generation

EXPORTABLE = ("nietzsche", "shakespeare")  # corpora with an official source to download


def char_cells(config: charlm.CharConfig, vocab: int, measured: dict | None = None,
               prime: str = "the truth is that ", temperature: float = 0.5,
               length: int = 300) -> list:
    """The cells for ``config`` (a model over an alphabet of ``vocab`` characters), with the
    lab's own validation bits per character from ``measured`` (a finished run's summary)."""
    if config.corpus not in EXPORTABLE:
        raise ValueError(f"only {', '.join(EXPORTABLE)} have an official source to download; "
                         f"got {config.corpus!r}")
    (file,) = datasets.dataset(config.corpus).files
    lecture = config.variant == "lecture"
    model = (charlm.build_lecture_model(vocab, config.maxlen, config.units) if lecture else
             charlm.build_fast_model(vocab, config.embedding_dim, config.units))
    loss = ("keras.losses.SparseCategoricalCrossentropy()" if lecture else
            "keras.losses.SparseCategoricalCrossentropy(from_logits=True)")
    said = ""
    if measured and measured.get("val_bits_per_char") is not None:
        said = (f" In the lab this run reached **{measured['val_bits_per_char']:.2f} bits per "
                f"character** on the held-out text (a uniform guess: "
                f"{math.log2(vocab):.2f}).")
    load = f'''
        import numpy as np
        import keras

        {notebooks.LOCAL_COPY_LINE}  # <- or the path of a local copy of the text
        path = LOCAL_COPY or keras.utils.get_file(
            "{file.path.rsplit('/', 1)[-1]}", "{file.url}",
            file_hash="{file.raw_sha256}")  # downloaded once, checked by its sha256
        text = open(path, encoding="utf-8").read(){'.lower()' if config.lower else ''}
        chars = sorted(set(text))
        ids = np.array([chars.index(c) for c in text], dtype="int32")
        print(f"{{len(text):,}} characters, {{len(chars)}} distinct")
    '''
    if lecture:
        prepare = f'''
            starts = np.arange(0, len(ids) - {config.maxlen}, {config.step})
            x = np.lib.stride_tricks.sliding_window_view(ids, {config.maxlen})[starts]
            y = ids[starts + {config.maxlen}]
            split = int(len(x) * (1 - {config.val_share}))
            x_train, y_train, x_val, y_val = x[:split], y[:split], x[split:], y[split:]
        '''
        step = [f"window = ids_so_far[-{config.maxlen}:]  # the last {config.maxlen}, or fewer",
                "probs = np.asarray(reader(window[None]))[0]"]
    else:
        prepare = f'''
            split = int(len(ids) * (1 - {config.val_share}))

            def chunks(part, n={config.seq_len}):
                rows = (len(part) - 1) // n
                return part[:rows * n].reshape(rows, n), part[1:rows * n + 1].reshape(rows, n)

            (x_train, y_train), (x_val, y_val) = chunks(ids[:split]), chunks(ids[split:])
        '''
        step = ["logits = np.asarray(reader(ids_so_far[None, -200:]))[0, -1]",
                "probs = np.exp(logits - logits.max())"]
    # the alphabet's size comes from the text read (a local copy may have another alphabet)
    model_text = "\n".join(
        line.replace(f"num_tokens={vocab},", "num_tokens=len(chars),")
        .replace(f"input_dim={vocab},", "input_dim=len(chars),")
        .replace(f"units={vocab},", "units=len(chars)," if "next_char" in line else
                 f"units={vocab},") for line in notebooks.model_code(model))
    return [
        ("markdown", f"""
            A char-level language model on {config.corpus.title()}: it reads characters and
            gives P(next character). Each character becomes its index in the sorted alphabet
            {'(the text lower-cased, as the lecture does)' if config.lower else ''}."""),
        ("code", load),
        ("markdown", "The lecture's windows: every "
                     f"{config.step} characters, {config.maxlen} characters and the next one; "
                     f"the last {config.val_share:.0%} held out." if lecture else
                     f"Sequences of {config.seq_len} characters; the model predicts the next "
                     f"character at every position, so each character is a target once per "
                     f"epoch. The last {config.val_share:.0%} of the text is held out."),
        ("code", prepare),
        ("markdown", "The model, layer by layer as the lab builds it."),
        ("code", f'''
            from keras import layers

            {model_text.replace(chr(10), chr(10) + " " * 12)}
            model.compile(optimizer=keras.optimizers.RMSprop(learning_rate={config.learning_rate}),
                          loss={loss})
            model.summary()  # {model.count_params():,} parameters, as in the lab
        '''),
        ("markdown", f"Train; the loss in bits per character is the loss (in nats) / ln 2.{said}"),
        ("code", f'''
            keras.utils.set_random_seed({config.seed})
            history = model.fit(x_train, y_train, batch_size={charlm.batch_size(config)},
                                epochs={config.epochs}, validation_data=(x_val, y_val))
            print(f"validation: {{history.history['val_loss'][-1] / np.log(2):.2f}} bits per "
                  "character")
        '''),
        ("markdown", f"""
            Sampling with temperature T: p -> exp(log(p) / T), renormalised, then one draw; feed
            it back and repeat. T = 0 is always the most likely character; T = 1 the model's own
            distribution; above 1 flatter."""),
        ("code", "import math\n\n\n" + inspect.getsource(generation.reweight_distribution)),
        ("code", f'''
            # the trained layers after an input of any length, called directly (not predict,
            # which would trace a graph for every new length)
            reader = keras.Sequential([keras.Input((None,), dtype="int32"), *model.layers[1:]])
            rng = np.random.default_rng(0)
            prime = {prime!r}
            ids_so_far = np.array([chars.index(c) for c in prime if c in chars], dtype="int32")
            for _ in range({length}):
                {(chr(10) + " " * 16).join(step)}
                probs = reweight_distribution(probs / probs.sum(), {temperature})
                ids_so_far = np.append(ids_so_far, rng.choice(len(chars), p=probs))
            print("".join(chars[i] for i in ids_so_far))
        '''),
    ]
