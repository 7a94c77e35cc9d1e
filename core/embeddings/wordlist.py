"""A read-only list of words stored as UTF-8 bytes with offsets, looked up by binary search.

Loading 400,000 GloVe words this way is a memory map, not 400,000 Python strings and a dict:
``words[i]`` decodes one word, ``words.index(w)`` bisects a sorted permutation.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Iterator

import numpy as np


class WordList(Sequence):
    """Words ``blob[offsets[i]:offsets[i + 1]]``; ``order`` sorts them by their bytes."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, order: np.ndarray,
                 sorted_bytes: np.ndarray):
        self.blob, self.offsets, self.order = blob, offsets, order
        self.sorted_bytes = sorted_bytes  # fixed-width bytes in sorted order, for searchsorted

    @classmethod
    def from_words(cls, words: Sequence[str]) -> "WordList":
        encoded = [w.encode("utf-8") for w in words]
        lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        order = np.array(sorted(range(len(encoded)), key=encoded.__getitem__), dtype=np.int64)
        if any(b"\x00" in b for b in encoded):
            raise ValueError("words cannot contain NUL characters")
        width = max(1, int(lengths.max()) if len(lengths) else 1)
        sorted_bytes = np.array([encoded[i] for i in order], dtype=f"S{width}")
        return cls(blob, offsets, order, sorted_bytes)

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays to store (see :meth:`from_arrays`)."""
        return {"blob": self.blob, "offsets": self.offsets, "order": self.order,
                "sorted_bytes": self.sorted_bytes}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "WordList":
        return cls(arrays["blob"], arrays["offsets"], arrays["order"], arrays["sorted_bytes"])

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def _bytes(self, i: int) -> bytes:
        return self.blob[self.offsets[i]:self.offsets[i + 1]].tobytes()

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(f"word index {i} out of range for {len(self):,} words")
        return self._bytes(int(i)).decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        text = self.blob.tobytes().decode("utf-8") if len(self.blob) else ""
        if text.isascii():  # byte offsets are character offsets: slice the decoded text
            offsets = self.offsets.tolist()
            return (text[a:b] for a, b in zip(offsets, offsets[1:]))
        return (self[i] for i in range(len(self)))

    def find(self, word: str) -> int:
        """Row of ``word`` (the first if it repeats), or -1."""
        target = word.encode("utf-8")
        if not target or len(target) > self.sorted_bytes.itemsize or b"\x00" in target:
            return -1
        pos = int(np.searchsorted(self.sorted_bytes, np.bytes_(target)))  # leftmost match
        if pos < len(self) and self.sorted_bytes[pos] == target:
            return int(self.order[pos])
        return -1

    def __contains__(self, word) -> bool:
        return isinstance(word, str) and self.find(word) >= 0
