"""The sections of the Text-to-numbers page; each takes its inputs and draws one idea."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.tokens import text
from core.tokens.vocab import Vocabulary
from dashboard import cache, figures, literal
from dashboard.components.charts import show, show_table

HASH_SIZES = tuple(2 ** p for p in range(8, 21))
CHART_CHARS = 80  # code points drawn as bars: more would not be readable


def characters(source: str) -> None:
    """Idea zero: the text as code points."""
    codes = text.char_codes(source)
    st.caption("Before any model, text is already numbers: each character has a Unicode code "
               f"point (ASCII for the first 128). The chart shows the first {CHART_CHARS} characters, "
               "the table the first 400.")
    show(figures.code_points(codes[:CHART_CHARS]), key="text.codes_chart")
    beyond = sum(not c["ASCII"] for c in codes)
    if beyond:
        st.info(f"{beyond} of these characters are beyond ASCII (accents, other scripts, emoji): "
                "they take 2–4 bytes in UTF-8, shown in the table.")
    show_table(pd.DataFrame(codes), hide_index=True, height=240, width="stretch")


def tokens(source: str, vocab: Vocabulary, char_vocab: Vocabulary, n: int,
           top_ngrams: dict[int, list[str]] | None, drop_stop_words: bool = False) -> None:
    """Tokens at three levels with ids, and the lossy round trip."""
    words = text.word_tokens(source)
    chars = text.char_tokens(source)
    col_c, col_w, col_n = st.columns(3)
    with col_c:
        st.markdown(f"**Characters** ({len(chars):,})")
        show_table(_id_table(chars, char_vocab.ids(chars)), hide_index=True, height=300)
    with col_w:
        st.markdown(f"**Words** ({len(words):,})")
        show_table(_id_table(words, vocab.ids(words)), hide_index=True, height=300)
    with col_n:
        grams = text.ngrams(words, n)
        st.markdown(f"**{n}-grams** ({len(grams):,})")
        if not grams:
            st.info(f"This text has {len(words)} word(s), so it has no {n}-grams. "
                    "Lower n or add words.")
        else:
            ranks = {g: i + 2 for i, g in enumerate((top_ngrams or {}).get(n, []))}
            show_table(_id_table(grams, [ranks.get(g, 1) for g in grams]), hide_index=True,
                         height=300)
    st.caption("Ids: 0 = padding, 1 = [UNK] (not in the vocabulary), 2, 3, … = vocabulary "
               "entries by frequency in the IMDB train reviews. n-gram ids come from the 20,000 "
               "most frequent n-grams of that corpus.")
    trip = text.round_trip(source, vocab, text.STOP_WORDS if drop_stop_words else None)
    st.markdown("**Round trip** — text → standardised words → ids → text. What is lost:")
    st.code(trip["decoded"] or "(nothing left)", language=None, wrap_lines=True)
    lost = []
    if trip["unknown"]:
        lost.append(f"{len(trip['unknown'])} word(s) outside the top-{len(vocab.words):,} "
                    f"vocabulary became [UNK]: {literal.words(trip['unknown'])}")
    if trip["stop_words"]:
        lost.append(f"{len(trip['stop_words'])} stop word(s) removed from the vocabulary became "
                    f"[UNK]: {literal.words(trip['stop_words'])}")
    dropped = sorted({c for c in source if not (c.isalnum() or c.isspace() or c == "'")})
    if dropped:
        lost.append("punctuation, symbols and emoji dropped: " + literal.md(" ".join(dropped), 90))
    if any(c.isupper() for c in source):
        lost.append("capital letters lowered")
    if lost:
        st.caption("Lost: " + "; ".join(lost) + ".")


def _id_table(items: list[str], ids: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"token": items[:2000], "id": ids[:2000]})


def vocabulary(full: Vocabulary, vocab: Vocabulary, drop_stop_words: bool) -> None:
    """Vocabulary size, how much of the corpus the top k cover, and the top words."""
    k = len(vocab.words)
    c1, c2, c3 = st.columns(3)
    c1.metric("Distinct words in IMDB train", f"{len(full.words):,}")
    c2.metric(f"Running words covered by the top {k:,}", f"{vocab.coverage():.1%}")
    c3.metric("Running words in the corpus", f"{full.total:,}")
    curve = vocab.coverage_curve() if drop_stop_words else full.coverage_curve()
    title = "Coverage of the corpus by the top-k words" + (" (stop words removed)"
                                                           if drop_stop_words else "")
    show(figures.coverage(curve, k, title), key="text.coverage_chart")
    top = pd.DataFrame({"id": np.arange(2, min(k, 25) + 2), "word": vocab.words[:25],
                        "count": vocab.counts[:25]})
    show_table(top, hide_index=True, height=240)


def one_hot_and_bow(source: str, vocab: Vocabulary, mode: str) -> None:
    """The one-hot matrix of the text's words and its bag-of-words vector."""
    words = text.word_tokens(source)[:40]
    ids = vocab.ids(words)
    if not words:
        st.info("This text has no words to encode.")
        return
    columns = sorted(set(ids))
    matrix = text.one_hot(ids, len(vocab))[:, columns]
    show(figures.one_hot(matrix, words, [f"{i}:{vocab.itos(i)}" for i in columns]),
                    key="text.onehot_chart")
    st.caption(f"Each row really has {len(vocab):,} columns (the top-{len(vocab.words):,} words "
               f"plus padding and [UNK]); only the {len(columns)} columns that hold a 1 are drawn. "
               "First 40 words.")
    values = text.bag_of_words(source, vocab, mode)
    nonzero = np.flatnonzero(values)
    if not len(nonzero):
        st.info("None of this text's words are in the vocabulary (all unknown or all removed "
                "stop words): its bag-of-words vector is all zeros.")
        return
    show(figures.bag_of_words([vocab.words[i] for i in nonzero], values[nonzero], mode),
                    key="text.bow_chart")
    st.caption(f"A vector of length {len(values):,} with {len(nonzero)} non-zero entries "
               f"({1 - len(nonzero) / len(values):.2%} zeros).")


def order_loss(a: str, b: str) -> None:
    """Same words, another order: identical unigram bags, different bigram bags."""
    c1, c2 = st.columns(2)
    for col, n in ((c1, 1), (c2, 2)):
        result = text.order_loss(a, b, n)
        label = "words (n = 1)" if n == 1 else "words + bigrams (n = 1..2)"
        if not result["features"]:
            col.info("Type words in both boxes.")
            continue
        col.metric(f"Cosine similarity, {label}", f"{result['cosine']:.3f}")
        show(figures.order_loss(result["features"], result["a"], result["b"], "A", "B"),
             key=f"text.order_chart_{n}", container=col)
    st.caption("Bag-of-words forgets order: if A and B use the same words, their unigram vectors "
               "are identical (cosine 1.000). Bigrams keep a little local order and tell them apart.")


def ngram_explosion(table: pd.DataFrame) -> None:
    """Distinct n-grams and sparsity for n = 1..5 on the corpus."""
    show(figures.ngram_explosion(table), key="text.ngram_chart")
    shown = table.assign(sparsity=(table["sparsity"] * 100).round(4)).rename(
        columns={"sparsity": "zeros (%)", "seconds": "seconds to count"})
    show_table(shown, hide_index=True, width="stretch")
    st.caption("Each step up in n multiplies the features while the text stays the same size: "
               "by n = 5 almost every n-gram occurs once, so the document × n-gram matrix is "
               "nearly all zeros. This is why bag-of-n-grams stops at n = 2 or 3.")


def hashing(source: str, k: int, m: int) -> None:
    """The hashing trick: buckets instead of a vocabulary, and the collisions that costs."""
    curve = cache.collision_curve(k, HASH_SIZES)
    row = curve[curve["buckets"] == m].iloc[0]
    c1, c2, c3 = st.columns(3)
    c1.metric("Words hashed (top-k of IMDB)", f"{k:,}")
    c2.metric("Share in a shared bucket (measured)", f"{row['collision rate']:.1%}")
    c3.metric("Expected if hashing were uniform", f"{row['expected rate']:.1%}")
    show(figures.collisions(curve, m), key="text.hash_chart")
    words = text.word_tokens(source)[:30]
    if words:
        buckets = text.hash_buckets(words, m)
        show_table(pd.DataFrame({"word": words, "bucket": buckets}), hide_index=True, height=220)
    st.caption("scikit-learn's HashingVectorizer maps each word to a bucket with MurmurHash3: no "
               "vocabulary to store, new words welcome, but two words in one bucket become "
               "indistinguishable.")
