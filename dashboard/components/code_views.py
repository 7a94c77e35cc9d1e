"""Code for this view: a page's current settings as standalone code, shown and downloadable as
a ``.py`` script and a Jupyter notebook (``core.notebooks``).

Each view imports only its own page's code writer, when it is drawn: a page does not pay for
the others' imports (the classifiers' registry, scikit-learn) on its first visit."""
from __future__ import annotations

import streamlit as st

from core import notebooks
from dashboard import cache
from dashboard.components.run_panel import followed


def _offer(title: str, cells: list, key: str, filename: str) -> None:
    script = notebooks.script(title, cells)
    st.caption("Standalone: only public packages, the data from its official source (checked by "
               "its hash); change the line `LOCAL_COPY = None` to use a copy you have. It "
               "follows the settings on this page.")
    c1, c2 = st.columns(2)
    c1.download_button("Download .py", script, f"{filename}.py", "text/x-python",
                       key=f"{key}.py!", on_click="ignore")
    c2.download_button("Download notebook (.ipynb)", notebooks.notebook(title, cells),
                       f"{filename}.ipynb", "application/x-ipynb+json", key=f"{key}.ipynb!",
                       on_click="ignore")
    st.code(script, language="python")


def train_code(store, configs: list) -> None:
    """Train & compare: the code of one of the chosen models with the page's settings, with the
    numbers of the newest finished run of exactly these settings."""
    from core.classify import training
    from core.classify.code import measured_by, not_exported

    by_kind = {config.kind: config for config in configs}
    kind = (st.selectbox("Model", list(by_kind), key="train.code_kind")
            if len(by_kind) > 1 else next(iter(by_kind)))
    config = by_kind[kind]
    if reason := not_exported(kind):
        st.info(reason[0].upper() + reason[1:] + ".")
        return
    mine = followed(store.list(training.KIND), "train")  # mine, shown, added
    measured = measured_by(mine, config)
    cells = cache.train_cells(config, measured)
    _offer(f"IMDB sentiment: {kind}, as Sequence Lab trains it", cells, "train.code",
           f"seqlab-{kind}")


def char_code_view(run: dict, vocab: int, prime: str, temperature: float, length: int) -> None:
    """Generate text: the chosen model's settings, its training and the temperature lab's
    sampling, with the prime, temperature and length on the page."""
    from core.language import charlm
    from core.language.code import EXPORTABLE

    config = charlm.CharConfig(**run["config"])
    if config.corpus not in EXPORTABLE:
        st.info("Code is exported for models of Nietzsche and tiny Shakespeare, whose texts "
                "have an official source to download; this one was trained on "
                f"{'an upload' if config.corpus.startswith('upload:') else 'IMDB reviews'}.")
        return
    cells = cache.char_cells(config, vocab, run.get("summary"), prime, temperature, length)
    _offer(f"A char language model on {config.corpus}, as Sequence Lab trains it", cells,
           "gen.code", f"seqlab-charlm-{config.corpus}")


def text_code(text: str, n: int, k: int, drop_stop: bool) -> None:
    """Text to numbers: the rules, vocabulary, ids, one-hot, bag of words and hashing for the
    text and settings on the page (the bag's mode and the hash size from their tabs)."""
    from core.tokens.code import text_cells

    mode = st.session_state.get("text.bow_mode", "counts")
    m = st.session_state.get("text.m", 2 ** 14)
    _offer("Text to numbers, as Sequence Lab shows it", text_cells(text, n, k, drop_stop, mode, m),
           "text.code", "seqlab-text-to-numbers")


def embeddings_code(dim: int, groups: dict[str, list[str]], neighbours: int) -> None:
    """Embeddings: GloVe, nearest words, an analogy and the PCA map with the page's settings
    (each from its tab, kept while another tab is open)."""
    from core.embeddings.code import glove_cells

    get = st.session_state.get
    cells = glove_cells(dim, get("emb.word", "excellent").strip().lower() or "excellent",
                        int(get("emb.k", 10)), get("emb.metric", "cosine"),
                        tuple(get(f"emb.{x}", d).strip().lower() or d for x, d in
                              (("a", "man"), ("b", "king"), ("c", "woman"))),
                        groups, neighbours, int(get("emb.dims", 2)))
    _offer(f"GloVe {dim}d embeddings, as Sequence Lab shows them", cells, "emb.code",
           "seqlab-embeddings")


def unrolled_code(kind: str, word: str, units: int, seed: int, arrangement: str) -> None:
    """Inside the RNN → Unrolled: the recurrence in numpy beside Keras, with the tab's
    settings."""
    from core.rnn.code import unrolled_cells

    _offer(f"A {kind} unrolled, as Sequence Lab shows it",
           unrolled_cells(kind, word, units, seed, arrangement), "inside.code",
           f"seqlab-unrolled-{kind}")
