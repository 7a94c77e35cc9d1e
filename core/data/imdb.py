"""IMDB reviews from the raw text, as ``keras.datasets.imdb.load_data`` + ``pad_sequences`` give them.

Word ids are frequency ranks from Keras's ``imdb_word_index.json`` shifted by ``index_from``
(start=1, oov=2, index_from=3). Keras's own ``imdb.npz`` was tokenized by a tool we do not
have, so our sequences follow the same rules but are not guaranteed to match it token for token.
"""
from __future__ import annotations

import csv
import io
import json
from functools import lru_cache

import numpy as np
import pandas as pd

from core import paths
from core.data import datasets, diskcache

# keras.preprocessing.text.text_to_word_sequence's default filters: each becomes a space.
KERAS_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
_TRANSLATE = str.maketrans({c: " " for c in KERAS_FILTERS})
SPLITS = ("train", "test")


def keras_words(text: str) -> list[str]:
    """Lower-case and split ``text`` the way Keras's ``text_to_word_sequence`` does."""
    return text.lower().translate(_TRANSLATE).split()


def _reviews_file() -> datasets.DataFile:
    return datasets.dataset("imdb").files[0]


def reviews_checksum() -> str:
    """sha256 of the reviews file: the key of every cache derived from it."""
    return _reviews_file().sha256


def _index_file() -> datasets.DataFile:
    return datasets.dataset("imdb_word_index").files[0]


def _csv_rows(file: datasets.DataFile) -> list[list[str]]:
    reader = csv.reader(io.StringIO(paths.read_text(datasets.resolve(file, "imdb")), newline=""))
    next(reader)  # the header
    return list(reader)


def _packed(texts: list[str]) -> dict[str, np.ndarray]:
    """Texts as one UTF-8 byte array and offsets (what the disk cache keeps)."""
    blobs = [t.encode("utf-8") for t in texts]
    lengths = np.fromiter((len(b) for b in blobs), dtype=np.int64, count=len(blobs))
    return {"text_bytes": np.frombuffer(b"".join(blobs), dtype=np.uint8),
            "text_offsets": np.concatenate([[0], np.cumsum(lengths)])}


def _unpacked(arrays: dict[str, np.ndarray]) -> list[str]:
    blob, offsets = arrays["text_bytes"].tobytes(), arrays["text_offsets"]
    return [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(len(offsets) - 1)]


def _parse_reviews() -> dict[str, np.ndarray]:
    rows = _csv_rows(_reviews_file())  # split,label,id,rating,text
    return {
        "split": np.array([r[0] == "test" for r in rows], dtype=np.int8),
        "label": np.array([r[1] == "pos" for r in rows], dtype=np.int8),
        "id": np.array([int(r[2]) for r in rows], dtype=np.int32),
        "rating": np.array([int(r[3]) for r in rows], dtype=np.int8),
        **_packed([r[4] for r in rows]),
    }


@lru_cache(maxsize=1)
def _review_arrays() -> dict[str, np.ndarray]:
    key = diskcache.cache_key(_reviews_file().sha256)
    return diskcache.cached_arrays("imdb_reviews", key, _parse_reviews)


@lru_cache(maxsize=1)
def read_reviews() -> pd.DataFrame:
    """All 50,000 labelled reviews in file order: columns split, label, id, rating, text.

    Parsed once from the CSV, then read from a binary cache keyed by the file's checksum.
    """
    arrays = _review_arrays()
    return pd.DataFrame({
        "split": np.where(arrays["split"] == 1, "test", "train"),
        "label": arrays["label"].astype(np.int64),
        "id": arrays["id"], "rating": arrays["rating"], "text": _unpacked(arrays),
    })


@lru_cache(maxsize=1)
def read_unlabelled() -> tuple[str, ...]:
    """The 50,000 unlabelled reviews (aclImdb/train/unsup) in file order: texts, no labels.

    Parsed once from the mirror's CSV, then read from a cache keyed by its checksum."""
    file = datasets.dataset("imdb").files[1]
    arrays = diskcache.cached_arrays("imdb_unsup", diskcache.cache_key(file.sha256),
                                     lambda: _packed([r[1] for r in _csv_rows(file)]))
    return tuple(_unpacked(arrays))


def plain(text: str) -> str:
    """A review as one line of plain text: its HTML line breaks become spaces (what the char
    language model reads, in training and when a review's states are taken)."""
    return " ".join(text.replace("<br />", " ").split())


@lru_cache(maxsize=1)
def load_word_index() -> dict[str, int]:
    """Keras's IMDB word index: word -> frequency rank (1 = "the"), 88,584 words."""
    return json.loads(paths.read_text(datasets.resolve(_index_file(), "imdb_word_index")))


@lru_cache(maxsize=1)
def words_by_rank() -> tuple[str, ...]:
    """The word index the other way: entry r is the word of rank r ("" at 0 and at any rank the
    index skips). The one reverse index every id-to-word lookup uses."""
    index = load_word_index()
    words = [""] * (max(index.values(), default=0) + 1)
    for word, rank in index.items():
        words[rank] = word
    return tuple(words)


def _rank_sequences() -> dict[str, np.ndarray]:
    """Every review as word ranks (0 where a word is not in the index), flat with offsets."""
    index = load_word_index()
    ranks, lengths = [], []
    for text in read_reviews()["text"]:
        seq = [index.get(w, 0) for w in keras_words(text)]
        ranks.extend(seq)
        lengths.append(len(seq))
    return {"ranks": np.array(ranks, dtype=np.int32),
            "offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)}


@lru_cache(maxsize=1)
def rank_sequences() -> tuple[np.ndarray, np.ndarray]:
    """(ranks, offsets) for all reviews in file order, from the disk cache after the first time."""
    key = diskcache.cache_key(_reviews_file().sha256, _index_file().sha256)
    arrays = diskcache.cached_arrays("imdb_ranks", key, _rank_sequences)
    return arrays["ranks"], arrays["offsets"]


def train_word_ids(vocab_size: int, reviews: int | None = None
                   ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The train reviews (first ``reviews`` in file order) as one flat stream of word ids for
    the ``vocab_size`` most frequent words: (ids with -1 for other words, document of each
    token, the words by id). Id i is the word of Keras rank i + 1."""
    ranks, offsets = rank_sequences()
    train = np.flatnonzero(_review_arrays()["split"] == 0)[:reviews]
    lengths = offsets[train + 1] - offsets[train]
    take = np.repeat(offsets[train] - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    ids = ranks[take].astype(np.int64) - 1
    ids[(ids < 0) | (ids >= vocab_size)] = -1
    words = list(words_by_rank()[1:vocab_size + 1])
    return ids, np.repeat(np.arange(len(train)), lengths), words


def keras_order(seed: int = 113) -> dict[str, np.ndarray]:
    """Row numbers (into :func:`read_reviews`) of train and test, shuffled as Keras does."""
    split = _review_arrays()["split"] == 1
    rng = np.random.RandomState(seed)  # Keras shuffles train, then test, with one RandomState
    order = {}
    for name, mask in (("train", ~split), ("test", split)):
        rows = np.flatnonzero(mask)
        perm = np.arange(len(rows))
        rng.shuffle(perm)
        order[name] = rows[perm]
    return order


def pad_ragged(flat: np.ndarray, starts: np.ndarray, lengths: np.ndarray, maxlen: int,
               padding: str = "pre", truncating: str = "pre", value: int = 0,
               start_token: int | None = None) -> np.ndarray:
    """``pad_sequences`` for sequences stored flat: ``flat[starts[i]:starts[i]+lengths[i]]``.

    Returns int32 (n, maxlen). ``start_token``, when given, is put before each sequence first
    (as Keras's ``start_char``) without copying the flat array.
    """
    if maxlen < 1:
        raise ValueError(f"maxlen must be >= 1, got {maxlen}")
    if padding not in ("pre", "post") or truncating not in ("pre", "post"):
        raise ValueError(f"padding and truncating must be 'pre' or 'post', got {padding!r}, "
                         f"{truncating!r}")
    extra = 0 if start_token is None else 1
    total = np.asarray(lengths, dtype=np.int64) + extra
    kept = np.minimum(total, maxlen)
    rows = np.repeat(np.arange(len(total)), kept)
    within = np.arange(kept.sum()) - np.repeat(np.cumsum(kept) - kept, kept)  # 0..kept-1
    # position inside the (start-token-prefixed) sequence; 'pre' truncation skips its head
    virtual = within + (np.repeat(total - kept, kept) if truncating == "pre" else 0)
    column = within + (np.repeat(maxlen - kept, kept) if padding == "pre" else 0)
    source = np.repeat(np.asarray(starts, dtype=np.int64) - extra, kept) + virtual
    values = flat[np.maximum(source, 0)].astype(np.int32)
    if extra:
        values[virtual == 0] = start_token
    out = np.full((len(total), maxlen), value, dtype=np.int32)
    out[rows, column] = values
    return out


def load_imdb(num_words: int | None = 10000, maxlen: int | None = 500, *, skip_top: int = 0,
              seed: int = 113, start_char: int = 1, oov_char: int = 2, index_from: int = 3,
              padding: str = "pre", truncating: str = "pre"):
    """``(x_train, y_train), (x_test, y_test)`` like ``imdb.load_data`` then ``pad_sequences``.

    x arrays are int32 of shape (25000, maxlen); y are int64 0/1 of shape (25000,). With
    ``maxlen=None`` the x arrays are object arrays of int32 sequences (no padding). Unlike
    ``load_data(maxlen=...)``, which drops long reviews, long reviews are truncated here, as the
    lecture does with ``pad_sequences``. Row i matches ``load_imdb_reviews(split).iloc[i]``.
    """
    if num_words is not None and num_words < index_from + 1:
        raise ValueError(f"num_words must be > index_from ({index_from}), got {num_words}")
    ranks, offsets = rank_sequences()
    labels = _review_arrays()["label"].astype(np.int64)
    out = []
    for rows in keras_order(seed).values():
        starts, lengths = offsets[rows], offsets[rows + 1] - offsets[rows]
        if maxlen is None:
            x = np.empty(len(rows), dtype=object)
            x[:] = [np.concatenate([[1], ranks[a:a + n]]) for a, n in zip(starts, lengths)]
            lengths_all = np.fromiter((len(s) for s in x), dtype=np.int64, count=len(x))
            flat = np.concatenate(x).astype(np.int32)
            flat = _ids_from_ranks(flat, num_words, skip_top, start_char, oov_char, index_from,
                                   np.cumsum(lengths_all) - lengths_all)
            x[:] = np.split(flat, np.cumsum(lengths_all)[:-1])
        else:
            x = pad_ragged(ranks, starts, lengths, maxlen, padding, truncating, value=-1,
                           start_token=-2)
            x = _ids_from_ranks(x, num_words, skip_top, start_char, oov_char, index_from)
        out.append((x, labels[rows]))
    return tuple(out)


def _ids_from_ranks(ranks: np.ndarray, num_words, skip_top, start_char, oov_char, index_from,
                    start_positions=None) -> np.ndarray:
    """Ranks (0 unknown, -1 padding, -2 start) to Keras word ids, in a new int32 array."""
    ids = np.where(ranks > 0, ranks + index_from, oov_char).astype(np.int32)
    if start_positions is not None:
        ids[start_positions] = start_char
    else:
        ids[ranks == -2] = start_char
    limit = num_words if num_words is not None else np.iinfo(np.int32).max
    ids[(ids < skip_top) | (ids >= limit)] = oov_char
    if start_positions is None:
        ids[ranks == -1] = 0
    return ids


def load_imdb_reviews(split: str = "train", seed: int = 113) -> pd.DataFrame:
    """The raw reviews of ``split`` in the row order of :func:`load_imdb` (text, label, rating)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    return read_reviews().iloc[keras_order(seed)[split]].reset_index(drop=True)


def word_ids(words: list[str], num_words: int, index_from: int = 3, oov_char: int = 2
             ) -> list[int]:
    """Keras IMDB ids of ``words`` (rank + index_from); unknown or rarer words get oov_char."""
    index = load_word_index()
    limit = num_words - index_from
    return [index[w] + index_from if index.get(w, limit) < limit else oov_char for w in words]


def words_by_id(size: int, index_from: int = 3) -> list[str]:
    """The word of each Keras IMDB id below ``size``; "" for the reserved ids 0..index_from."""
    by_rank = words_by_rank()
    return [by_rank[i - index_from] if 0 < i - index_from < len(by_rank) else ""
            for i in range(size)]


def train_word_counts() -> np.ndarray:
    """Words per train review (Keras's splitting), in the row order of :func:`load_imdb`;
    counted once, then read from the disk cache."""
    def count() -> dict[str, np.ndarray]:
        texts = load_imdb_reviews("train")["text"]
        return {"counts": np.fromiter((len(keras_words(t)) for t in texts), np.int32, len(texts))}

    key = diskcache.cache_key(reviews_checksum(), "train_word_counts")
    return diskcache.cached_arrays("imdb_word_counts", key, count)["counts"]


def split_rows(train_size: int, validation_split: float) -> tuple[slice, slice]:
    """Rows of Keras's shuffled train split used for training and for validation: the first
    ``train_size`` reviews, the last ``validation_split`` of them held out (as ``fit``'s
    ``validation_split`` does). Every classifier, network or not, uses these rows."""
    n_val = int(train_size * validation_split)
    return slice(0, train_size - n_val), slice(train_size - n_val, train_size)
