"""Text to numbers' code to take home: the lab's tokenising rules, the IMDB vocabulary, ids,
one-hot rows, the bag-of-words vector and the hashing trick for a text, with scikit-learn and
numpy and the page's settings (the reviews from Stanford's archive, or a local copy)."""
from __future__ import annotations

from core import notebooks
from core.tokens import rules


def text_cells(text: str, n: int, k: int, drop_stop: bool, mode: str, m: int) -> list:
    """Cells for the page's settings: ``text`` read with the top-``k`` IMDB train words
    (``drop_stop``: without English stop words), its ``n``-grams, its bag of words as ``mode``
    and its words hashed into ``m`` buckets."""
    return [
        ("markdown", """
            The 25,000 IMDB train reviews, the raw text (the vocabulary is counted on them)."""),
        ("code", notebooks.IMDB_TEXTS),
        ("markdown", """
            The rules: lower-case, the reviews' HTML line breaks become spaces, and a word is a
            run of letters and digits (inner apostrophes kept: "don't"). scikit-learn's
            CountVectorizer counts every word in every review."""),
        ("code", f'''
            import re
            from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

            BREAKS = re.compile(r"<br\\s*/?>", re.IGNORECASE)
            WORD_PATTERN = {rules.WORD_PATTERN!r}


            def standardize(text):
                return BREAKS.sub(" ", text).lower()


            counter = CountVectorizer(preprocessor=standardize, token_pattern=WORD_PATTERN)
            matrix = counter.fit_transform(train_texts)
            counts = np.asarray(matrix.sum(axis=0)).ravel()
            names = counter.get_feature_names_out()
            by_count = np.lexsort((names, -counts))  # most frequent first, ties alphabetical
        '''),
        ("markdown", f"""
            The vocabulary: the {k:,} most frequent words{', English stop words left out'
            if drop_stop else ''}. Id 0 is padding and id 1 the unknown word [UNK], as in
            Keras's TextVectorization; the words take ids 2, 3, … by frequency."""),
        ("code", f'''
            drop_stop_words = {drop_stop!r}
            vocabulary = [names[i] for i in by_count
                          if not (drop_stop_words and names[i] in ENGLISH_STOP_WORDS)][:{k}]
            ids_of = {{w: i + 2 for i, w in enumerate(vocabulary)}}
            covered = sum(counts[counter.vocabulary_[w]] for w in vocabulary) / counts.sum()
            print(f"{{len(vocabulary):,}} words cover {{covered:.1%}} of the reviews' words")
        '''),
        ("markdown", f"""
            Your text as words, ids and back: what a finite vocabulary loses. Then its
            {n}-grams: word order, kept {n} words at a time."""),
        ("code", f'''
            text = {text!r}
            words = re.findall(WORD_PATTERN, standardize(text))
            ids = [ids_of.get(w, 1) for w in words]
            print(list(zip(words, ids)))
            print("back to text:", " ".join(vocabulary[i - 2] if i > 1 else "[UNK]" for i in ids))
            n = {n}
            print(f"{{n}}-grams:", [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)])
        '''),
        ("markdown", f"""
            One-hot rows (one per word, one column per id) and the bag of words ({mode}): one
            number per vocabulary word, the order of the words gone."""),
        ("code", f'''
            from sklearn.feature_extraction.text import TfidfTransformer

            one_hot = np.zeros((len(ids), len(vocabulary) + 2), dtype=np.uint8)
            one_hot[np.arange(len(ids)), ids] = 1
            bag = CountVectorizer(preprocessor=standardize, token_pattern=WORD_PATTERN,
                                  vocabulary=vocabulary).transform([text]).toarray()[0] * 1.0
            mode = {mode!r}
            if mode == "frequencies" and words:
                bag = bag / len(words)
            elif mode == "binary":
                bag = (bag > 0) * 1.0
            elif mode == "tf-idf":  # IDF over the train reviews, then the vector L2-normed
                tfidf = TfidfTransformer().fit(CountVectorizer(
                    preprocessor=standardize, token_pattern=WORD_PATTERN,
                    vocabulary=vocabulary).transform(train_texts))
                bag = tfidf.transform(bag[None, :]).toarray()[0]
            print(one_hot.shape, {{vocabulary[i]: round(float(v), 3)
                                   for i, v in enumerate(bag) if v}})
        '''),
        ("markdown", f"""
            The hashing trick: no vocabulary at all, each word goes to one of {m:,} buckets by
            a hash; different words can share a bucket (a collision)."""),
        ("code", f'''
            from sklearn.feature_extraction.text import HashingVectorizer

            hasher = HashingVectorizer(n_features={m}, analyzer=lambda w: [w], norm=None,
                                       alternate_sign=False)
            buckets = hasher.transform(words).tocsr().indices if words else []
            print([(w, int(b)) for w, b in zip(words, buckets)])
            _, where, sizes = np.unique(hasher.transform(vocabulary).tocsr().indices,
                                        return_inverse=True, return_counts=True)
            print(f"{{int((sizes[where] > 1).sum()):,}} of the {{len(vocabulary):,}} "
                  "vocabulary words share a bucket with another")
        '''),
    ]
