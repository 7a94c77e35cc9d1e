"""Count-based embedding spaces from IMDB: LSI (SVD of TF-IDF) and PPMI co-occurrence + SVD."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from core.data import diskcache
from core.embeddings.space import EmbeddingSpace


@dataclass(frozen=True)
class CountSpaceConfig:
    vocab_size: int = 20000  # most frequent words that get a vector
    dim: int = 100  # SVD components kept
    window: int = 4  # PPMI: words on each side that count as context
    alpha: float = 0.75  # PPMI: context-distribution smoothing (Levy, Goldberg & Dagan 2015)
    seed: int = 0  # randomized SVD

    def __post_init__(self):
        if self.vocab_size < 10 or self.dim < 2 or self.window < 1:
            raise ValueError(f"need vocab_size >= 10, dim >= 2, window >= 1, got {self}")
        if self.dim >= self.vocab_size:
            raise ValueError(f"dim must be < vocab_size, got dim={self.dim}, "
                             f"vocab_size={self.vocab_size}")


def lsi_space(texts: list[str], config: CountSpaceConfig = CountSpaceConfig()) -> EmbeddingSpace:
    """Latent semantic indexing: word vectors from a truncated SVD of the document x word TF-IDF
    matrix (each word's row of V scaled by the singular values)."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    from core.tokens.rules import WORD_PATTERN, standardize

    tfidf = TfidfVectorizer(preprocessor=standardize, token_pattern=WORD_PATTERN, min_df=2,
                            max_features=config.vocab_size, sublinear_tf=True)
    matrix = tfidf.fit_transform(texts)
    dim = min(config.dim, matrix.shape[1] - 1)
    svd = TruncatedSVD(dim, random_state=config.seed).fit(matrix)
    vectors = (svd.components_.T * svd.singular_values_).astype(np.float32)
    return EmbeddingSpace(tfidf.get_feature_names_out().tolist(), vectors, "LSI (IMDB)")


def cooccurrence(ids: np.ndarray, doc_of: np.ndarray, size: int, window: int) -> sparse.csr_matrix:
    """Symmetric word x word counts of words within ``window`` positions in one document,
    weighted 1/distance as GloVe does. ``ids`` are 0..size-1, or -1 for words left out."""
    rows, cols, weights = [], [], []
    for d in range(1, window + 1):
        left, right = ids[:-d], ids[d:]
        keep = (left >= 0) & (right >= 0) & (doc_of[:-d] == doc_of[d:])
        rows.append(left[keep])
        cols.append(right[keep])
        weights.append(np.full(int(keep.sum()), 1.0 / d, dtype=np.float32))
    r, c, w = np.concatenate(rows), np.concatenate(cols), np.concatenate(weights)
    counts = sparse.coo_matrix((w, (r, c)), shape=(size, size)).tocsr()
    return (counts + counts.T).tocsr()


def ppmi(counts: sparse.csr_matrix, alpha: float = 0.75) -> sparse.csr_matrix:
    """Positive pointwise mutual information of a co-occurrence matrix, contexts smoothed by
    ``alpha``: max(0, log(P(w, c) / (P(w) P_alpha(c))))."""
    total = counts.sum()
    p_word = np.asarray(counts.sum(axis=1)).ravel() / total
    context = np.asarray(counts.sum(axis=0)).ravel() ** alpha
    p_context = context / context.sum()
    coo = counts.tocoo()
    with np.errstate(divide="ignore"):
        pmi = np.log(coo.data / total) - np.log(p_word[coo.row]) - np.log(p_context[coo.col])
    keep = pmi > 0
    return sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=counts.shape)


def ppmi_space(ids: np.ndarray, doc_of: np.ndarray, words: list[str],
               config: CountSpaceConfig = CountSpaceConfig()) -> EmbeddingSpace:
    """Word vectors U * sqrt(S) from a truncated SVD of the PPMI matrix: the idea behind GloVe
    (factorise co-occurrence statistics), computed in seconds."""
    from sklearn.decomposition import TruncatedSVD

    matrix = ppmi(cooccurrence(ids, doc_of, len(words), config.window), config.alpha)
    svd = TruncatedSVD(min(config.dim, len(words) - 1), random_state=config.seed)
    us = svd.fit_transform(matrix)  # U * S
    vectors = (us / np.sqrt(np.maximum(svd.singular_values_, 1e-12))).astype(np.float32)
    return EmbeddingSpace(words, vectors, "PPMI + SVD (IMDB)")


def _space_arrays(space: EmbeddingSpace) -> dict[str, np.ndarray]:
    blob = "\n".join(space.words).encode("utf-8")
    return {"words": np.frombuffer(blob, dtype=np.uint8), "vectors": space.vectors}


def _space_from(arrays: dict[str, np.ndarray], name: str) -> EmbeddingSpace:
    return EmbeddingSpace(arrays["words"].tobytes().decode("utf-8").split("\n"),
                          arrays["vectors"], name)


@lru_cache(maxsize=2)
def imdb_lsi_space(config: CountSpaceConfig = CountSpaceConfig()) -> EmbeddingSpace:
    """:func:`lsi_space` of the 25,000 IMDB train reviews, disk-cached."""
    from core.data import imdb

    def build():
        reviews = imdb.read_reviews()
        return _space_arrays(lsi_space(reviews.loc[reviews["split"] == "train", "text"].tolist(),
                                       config))

    key = diskcache.cache_key(imdb.reviews_checksum(), repr(config), "lsi")
    return _space_from(diskcache.cached_arrays("space_lsi", key, build), "LSI (IMDB)")


@lru_cache(maxsize=2)
def imdb_ppmi_space(config: CountSpaceConfig = CountSpaceConfig()) -> EmbeddingSpace:
    """:func:`ppmi_space` of the IMDB train reviews (Keras word ranks), disk-cached."""
    from core.data import imdb

    def build():
        ids, doc_of, words = imdb.train_word_ids(config.vocab_size)
        return _space_arrays(ppmi_space(ids, doc_of, words, config))

    key = diskcache.cache_key(imdb.reviews_checksum(), repr(config), "ppmi")
    return _space_from(diskcache.cached_arrays("space_ppmi", key, build), "PPMI + SVD (IMDB)")
