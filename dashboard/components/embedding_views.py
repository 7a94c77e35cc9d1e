"""The sections of the Embeddings page; each takes spaces and inputs and draws one idea."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.embeddings.space import EmbeddingSpace, neighbour_overlap
from dashboard import figures, literal, state
from dashboard.components.charts import show, show_table

MAX_POINTS = 3000  # PCA map: more than this and the browser slows down
MAX_WORD_CHARS = 100  # longer than any word in the spaces: a paste, not a word
MAX_LIST_CHARS = 5000  # word lists (pairs, groups, axis words): plenty for a lesson
MAX_LISTED = 200  # words (or pairs) one list may name: each one is a search or a bar
GROUPS = ("good: good great excellent wonderful\nbad: bad awful terrible boring\n"
          "people: actor actress director writer\nroyal: king queen prince princess")


def clean_word(raw: str) -> str | None:
    """One lower-case word from a text box, or None with a message explaining why not."""
    word = raw.strip()
    if not word:
        st.info("Type a word.")
        return None
    if len(word) > MAX_WORD_CHARS:
        st.warning(f"That is {len(word):,} characters: type one word (at most "
                   f"{MAX_WORD_CHARS} characters), not a text. It began {literal.quoted(word, 30)}.")
        return None
    if len(word.split()) > 1:
        st.warning(f"{literal.quoted(word)} is a phrase; these spaces hold single words. Using "
                   f"{literal.quoted(word.split()[0].lower())}.")
        word = word.split()[0]
    return word.lower()


def missing(space: EmbeddingSpace, word: str) -> bool:
    """True (after a message with close spellings) when ``word`` is not in ``space``."""
    if word in space:
        return False
    hint = space.close_spellings(word)
    st.warning(f"{literal.quoted(word)} is not in {space.name} ({len(space):,} words)."
               + (f" Did you mean: {literal.words(hint)}?" if hint else ""))
    return True


def nearest(spaces: dict[str, EmbeddingSpace], word: str, k: int, metric: str) -> None:
    """Nearest words of one word in every chosen space, side by side, and their overlap."""
    columns = st.columns(len(spaces))
    lists = {}
    for col, (name, space) in zip(columns, spaces.items()):
        with col:
            st.markdown(f"**{literal.md(name, 100)}**")
            if missing(space, word):
                continue
            pairs = space.nearest(word, k, metric)
            lists[name] = [w for w, _ in pairs]
            label = "cosine similarity" if metric == "cosine" else "euclidean distance"
            table = pd.DataFrame(pairs, columns=["word", label])
            show_table(table.style.format({label: "{:.3f}"}), hide_index=True,
                       height=min(38 + 35 * len(pairs), 420))  # one number of decimals
    if len(lists) > 1:
        overlap = pd.DataFrame(neighbour_overlap(lists), index=list(lists), columns=list(lists))
        st.markdown("**How much the neighbour lists agree** (shared words / all words)")
        show_table(overlap.style.format("{:.0%}"))


def analogy(space: EmbeddingSpace, a: str, b: str, c: str) -> None:
    """a is to b as c is to ?"""
    if any(missing(space, w) for w in (a, b, c)):
        return
    answers = space.analogy(a, b, c, k=8)
    st.metric(f"{literal.md(a, 30)} : {literal.md(b, 30)} :: {literal.md(c, 30)} : ?",
              answers[0][0], help="the best answer by cosine similarity")
    show(figures.scored_words(answers, f"{b} − {a} + {c} ≈ ?", "cosine similarity"),
                    key="emb.analogy_chart")


def similarity_table(space: EmbeddingSpace, pairs: list[tuple[str, str]], malformed: int = 0
                     ) -> None:
    """Cosine similarity and euclidean distance of word pairs (``malformed``: lines that were
    not 'word, word')."""
    rows, unknown = [], []
    if len(pairs) > MAX_LISTED:
        st.info(f"{len(pairs):,} pairs listed; the first {MAX_LISTED} are scored.")
        pairs = pairs[:MAX_LISTED]
    for a, b in pairs:
        if a in space and b in space:
            rows.append({"pair": f"{a} – {b}", "cosine similarity": space.similarity(a, b),
                         "euclidean distance": float(np.linalg.norm(space.vector(a) - space.vector(b)))})
        else:
            unknown += [w for w in (a, b) if w not in space]
    if unknown:
        st.warning(f"Not in {space.name}: {literal.words(sorted(set(unknown)))}.")
    if malformed:
        st.info(f"{malformed} line(s) are not a pair: write 'word, word', one pair per line.")
    if not rows:
        if not unknown and not malformed:
            st.info("List pairs as 'word, word', one per line.")
        return
    table = pd.DataFrame(rows)
    show_table(table.style.format({"cosine similarity": "{:.3f}", "euclidean distance": "{:.3f}"}),
               hide_index=True)
    show(figures.scored_words(list(zip(table["pair"], table["cosine similarity"])),
                                         "Cosine similarity of each pair", "cosine similarity"),
                    key="emb.pairs_chart")


@st.fragment
def nearest_section(spaces: dict[str, EmbeddingSpace]) -> None:
    """The nearest-words controls and tables, rerun alone when one of them changes."""
    c1, c2, c3 = st.columns([2, 1, 1])
    word = c1.text_input("Word", "excellent", key="emb.word", help="One word; case is ignored.")
    state.to_link("word", word, "excellent")
    k = c2.number_input("How many", 1, 100, 10, key="emb.k", help="Neighbours to list (1–100).")
    metric = c3.radio("Metric", ["cosine", "euclidean"], key="emb.metric", horizontal=True,
                      help="cosine: angle between vectors (higher is nearer); euclidean: "
                           "distance (lower is nearer).")
    if (clean := clean_word(word)) is not None:
        nearest(spaces, clean, int(k), metric)


@st.fragment
def map_section(space: EmbeddingSpace, classroom: bool) -> None:
    """The PCA map's controls and chart, rerun alone when one of them changes (the rest of the
    page, with its exact searches over 400,000 words, stays as it is)."""
    raw = st.text_area("Groups of words (one group per line: name: words)", key="emb.groups",
                       max_chars=MAX_LIST_CHARS, height=130, help="Each line is a coloured group.",
                       value=GROUPS)
    c1, c2 = st.columns(2)
    neighbours = 0 if classroom else c1.slider("Neighbours per word", 0, 50, 5, key="emb.nbrs",
                                               help="Also plot each word's nearest words.")
    n_dims = c2.radio("Map", [2, 3], key="emb.dims", horizontal=True, format_func=lambda d: f"{d}D",
                      help="PCA down to 2 or 3 dimensions.")
    word_map(space, parse_groups(raw), neighbours, n_dims)


def word_map(space: EmbeddingSpace, groups: dict[str, list[str]], neighbours: int, dims: int
             ) -> None:
    """PCA of the listed words (and their neighbours), coloured by group."""
    words, labels, unknown = [], [], []
    groups, placed = _first_listed(groups), set()
    for group, members in groups.items():
        for w in members:
            if w not in space:
                unknown.append(w)
                continue
            extra = [n for n, _ in space.nearest(w, neighbours)] if neighbours else []
            for x in [w] + extra:
                if x not in placed:
                    placed.add(x)
                    words.append(x)
                    labels.append(group)
    if unknown:
        st.warning(f"Not in {space.name}, left out: {literal.words(unknown)}.")
    if len(words) > MAX_POINTS:
        st.info(f"{len(words):,} points; drawing the first {MAX_POINTS:,} so the browser stays quick.")
        words, labels = words[:MAX_POINTS], labels[:MAX_POINTS]
    if len(words) < dims:
        st.info(f"Need at least {dims} known words for a {dims}D map.")
        return
    coords = space.project(words, dims)
    listed = {w for members in groups.values() for w in members}
    show(figures.word_map(coords, words, labels, f"{space.name}: PCA of {len(words):,} words",
                          listed), key="emb.map_chart")
    if dims == 3 and len(words) > len(listed):
        st.caption("In 3D the words you listed are labelled; point at any other dot for its "
                   "word.")


def axis(space: EmbeddingSpace, negative: str, positive: str, words: list[str]) -> None:
    """Words placed on the direction between two words."""
    if missing(space, negative) or missing(space, positive):
        return
    if negative == positive:
        st.info(f"From and To are both {literal.quoted(negative)}: an axis needs two different "
                "words (for example bad → good).")
        return
    words = list(dict.fromkeys(words))
    if len(words) > MAX_LISTED:
        st.info(f"{len(words):,} different words listed; the first {MAX_LISTED} are placed.")
        words = words[:MAX_LISTED]
    known = [w for w in words if w in space]
    if len(known) < len(words):
        st.warning(f"Not in {space.name}: {literal.words(w for w in words if w not in space)}.")
    if not known:
        st.info("List some words to place on the axis.")
        return
    positions = space.axis_projection(negative, positive, known)
    show(figures.semantic_axis(known, positions, negative, positive),
                    key="emb.axis_chart")


def _vector(values) -> str:
    """Numbers as a student would write them: 1.3, not float32's 1.2999999523162842."""
    return "[" + ", ".join(f"{float(v):.4g}" for v in np.asarray(values).ravel()) + "]"


def exercise(result: dict) -> None:
    """Dense(no bias, no activation) on a one-hot vector = Embedding lookup; on v = v @ W."""
    w = pd.DataFrame(result["W"], columns=[f"d{j}" for j in range(result["W"].shape[1])])
    w.index.name = "row"
    k = result["k"]
    c1, c2 = st.columns(2)
    c1.markdown("**W** (the weight matrix both layers share)")
    c1.dataframe(w.style.format("{:.2f}"))
    c2.markdown(f"**One-hot e_{k}** = `{_vector(result['one_hot'])}`")
    c2.markdown(f"Dense(e_{k}) = `{_vector(result['dense_one_hot'])}`")
    c2.markdown(f"Embedding({k}) = `{_vector(result['embedding_k'])}`")
    same = np.allclose(result["dense_one_hot"], result["embedding_k"])
    c2.markdown(f"Equal: **{same}** — both are row {k} of W.")
    c2.markdown(f"**General v** = `{_vector(result['v'])}`")
    c2.markdown(f"Dense(v) = `{_vector(result['dense_v'])}`")
    c2.markdown(f"Σ v_i · W[i] = `{_vector(result['weighted_rows'])}`")
    c2.markdown(f"Equal: **{np.allclose(result['dense_v'], result['weighted_rows'], atol=1e-5)}** — "
                "a weighted sum of W's rows.")


def matrix_coverage(words: list[str], found: np.ndarray, dim_note: str) -> None:
    """How many of the IMDB top-N words GloVe covers, and which rows stay zero."""
    usable = found[4:]  # ids 0-3 are padding, start, unknown and unused in Keras's IMDB ids
    c1, c2, c3 = st.columns(3)
    c1.metric("Word rows (ids 4 … N−1)", f"{len(usable):,}")
    c2.metric("Found in GloVe", f"{usable.sum():,} ({usable.mean():.1%})")
    c3.metric("Rows that stay zero", f"{(~usable).sum():,}")
    show(figures.coverage_rows(found), key="emb.matrix_chart")
    absent = [w for w, f in zip(words[4:], usable) if not f]
    if absent:
        st.markdown("**Words with no GloVe vector** (their rows stay zero; first 60):")
        st.code(" ".join(absent[:60]), language=None, wrap_lines=True)
    contractions = sum("'" in w for w in absent)
    if contractions:
        st.caption(f"{contractions} of the missing words are contractions such as \"don't\": "
                   "Keras keeps them whole, but GloVe's tokenizer split them (\"do\" \"n't\"), so "
                   "they have no vector. Matching tokenizers matters as much as the vectors.")
    st.caption(f"Row i holds the GloVe vector of the word with Keras IMDB id i (rank + 3). "
               f"{dim_note} This matrix initialises the frozen Embedding of the 'GloVe frozen' "
               "classifier on the Train & compare page.")


def parse_groups(raw: str) -> dict[str, list[str]]:
    """'name: w1 w2' lines (or bare word lists) into {group: words}, lower-cased."""
    groups: dict[str, list[str]] = {}
    for i, line in enumerate(raw.splitlines()):
        name, _, rest = line.partition(":") if ":" in line else (f"group {i + 1}", "", line)
        words = [w.lower() for w in rest.replace(",", " ").split()]
        if words:
            groups.setdefault(name.strip() or f"group {i + 1}", []).extend(words)
    return groups


def parse_pairs(raw: str) -> tuple[list[tuple[str, str]], int]:
    """'a, b' lines into lower-case word pairs, and how many non-blank lines were not pairs."""
    pairs, malformed = [], 0
    for line in raw.splitlines():
        parts = [p.strip().lower() for p in line.split(",")]
        if len(parts) == 2 and all(parts):
            pairs.append((parts[0], parts[1]))
        elif line.strip():
            malformed += 1
    return pairs, malformed


def _first_listed(groups: dict[str, list[str]]) -> dict[str, list[str]]:
    """The groups cut to MAX_LISTED different words in all (each is a nearest-word search),
    with a message when some were left out."""
    kept, seen, total = {}, set(), len({w for ws in groups.values() for w in ws})
    for group, members in groups.items():
        for w in members:
            if w not in seen and len(seen) < MAX_LISTED:
                seen.add(w)
                kept.setdefault(group, []).append(w)
    if total > MAX_LISTED:
        st.info(f"{total:,} different words listed; the first {MAX_LISTED} are mapped.")
    return kept
