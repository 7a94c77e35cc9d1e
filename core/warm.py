"""Building the parsed caches ahead of time, so the first page view is as quick as the rest."""
from __future__ import annotations

import time


def warm_caches(verbose: bool = True) -> dict[str, float]:
    """Parse IMDB, count its vocabularies and n-grams into the disk cache; seconds per step."""
    from core import corpora, glove, imdb, ngrams, spaces, vocab

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
