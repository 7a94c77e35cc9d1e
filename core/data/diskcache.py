"""Binary on-disk caches of expensive derived data, keyed by the checksums of their sources.

Arrays go in ``.npz`` files loaded with ``allow_pickle=False``; a file that cannot be read
(truncated, corrupt, older format) is deleted and rebuilt, never trusted.
"""
from __future__ import annotations

import hashlib
import io
import warnings
import zipfile
from pathlib import Path
from typing import Callable

import numpy as np

from core import paths

FORMAT_VERSION = "1"  # bump to invalidate every cache when a builder's output changes
_write_failure: list[str] = []  # the first write that failed in this process, said once


def write_failure() -> str | None:
    """Why this process could not write a cache file (a full disk, a read-only cache folder),
    or None: every start then rebuilds what it could not keep, so the Home page says so."""
    return _write_failure[0] if _write_failure else None


def _failed(target: Path, error: OSError) -> None:
    if not _write_failure:
        message = (f"could not write the cache file {target} ({error.strerror or error}): "
                   "it is rebuilt at every start until the cache folder "
                   f"({paths.cache_dir()}) can be written")
        _write_failure.append(message)
        warnings.warn(f"Sequence Lab {message}", RuntimeWarning, stacklevel=3)


def cache_key(*parts: str) -> str:
    """A short stable key from source checksums and parameters."""
    return hashlib.sha256("|".join((FORMAT_VERSION,) + parts).encode()).hexdigest()[:20]


def cache_path(name: str, key: str) -> Path:
    """Where the cache ``name`` with ``key`` lives."""
    return paths.cache_dir() / "parsed" / f"{name}-{key}.npz"


def read_arrays(name: str, key: str) -> dict[str, np.ndarray] | None:
    """The arrays cached for (name, key), or None when there are none; a file that cannot be
    read is deleted (and None returned), never trusted."""
    path = cache_path(name, key)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError):
        path.unlink(missing_ok=True)
        return None


def write_arrays(name: str, key: str, arrays: dict[str, np.ndarray]) -> None:
    """Store ``arrays`` for (name, key), replacing what was there; a read-only cache directory
    costs a rebuild next time, nothing more."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    try:
        paths.atomic_write_bytes(cache_path(name, key), buffer.getvalue())
    except OSError as error:
        _failed(cache_path(name, key), error)


def cached_arrays(name: str, key: str, build: Callable[[], dict[str, np.ndarray]]
                  ) -> dict[str, np.ndarray]:
    """Arrays from the cache file for (name, key), or ``build()`` them and store them."""
    arrays = read_arrays(name, key)
    if arrays is None:
        arrays = build()
        write_arrays(name, key, arrays)
    return arrays


def cached_mapped(name: str, key: str, build: Callable[[], dict[str, np.ndarray]]
                  ) -> dict[str, np.ndarray]:
    """Like :func:`cached_arrays`, but each array is its own ``.npy`` file, memory-mapped
    read-only on load: opening a large cache costs no copy (pages load as they are touched)."""
    folder = paths.cache_dir() / "parsed" / f"{name}-{key}"
    done = folder / "complete"
    if done.is_file():
        try:
            return {p.stem: np.load(p, mmap_mode="r", allow_pickle=False)
                    for p in sorted(folder.glob("*.npy"))}
        except (OSError, ValueError, EOFError):
            done.unlink(missing_ok=True)  # corrupt: rebuild below
    arrays = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for k, v in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, np.ascontiguousarray(v), allow_pickle=False)
            paths.atomic_write_bytes(folder / f"{k}.npy", buffer.getvalue())
        paths.atomic_write_bytes(done, b"")  # written last: a half-written folder is never used
    except OSError as error:
        _failed(folder, error)
    return arrays
