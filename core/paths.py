"""Where Sequence Lab keeps its files: the cache directory, the offline mirror, safe writes."""
from __future__ import annotations

import gzip
import io
import lzma
import os
import tempfile
import threading
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def cache_dir() -> Path:
    """The project's own writable cache (``$SEQLAB_CACHE_DIR``, default ``.cache/`` in the
    checkout, or ``~/.cache/sequence-lab`` for ``core`` shipped alone to a cluster node), created."""
    default = (PROJECT_ROOT / ".cache" if (PROJECT_ROOT / "streamlit_app.py").is_file()
               else Path.home() / ".cache" / "sequence-lab")
    path = Path(os.environ.get("SEQLAB_CACHE_DIR") or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def runs_dir() -> Path:
    """Where runs and trained models live (``$SEQLAB_RUNS_DIR``, default ``<cache>/runs``)."""
    path = Path(os.environ.get("SEQLAB_RUNS_DIR") or cache_dir() / "runs")
    path.mkdir(parents=True, exist_ok=True)
    return path


def mirror_dir() -> Path | None:
    """The read-only offline mirror (``$SEQLAB_DATA_DIR``, default ``../shared/data``) if present."""
    env = os.environ.get("SEQLAB_DATA_DIR")
    path = Path(env) if env else PROJECT_ROOT.parent / "shared" / "data"
    return path if path.is_dir() else None


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` so a reader never sees half a file (temp file in the same folder + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_save(path: Path, write) -> Path:
    """Save a file through a library's own writer (``write(tmp_path)``: Keras's ``save``,
    ``np.savez``) so a reader never sees half of it: a hidden temporary file beside ``path``
    with the same suffix (Keras checks it), then ``os.replace``. Returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}-{threading.get_ident()}.tmp{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str) -> None:
    """Text version of :func:`atomic_write_bytes` (UTF-8)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def open_binary(path: Path) -> io.BufferedIOBase:
    """Open a plain, ``.gz`` or ``.xz`` file for reading its decompressed bytes."""
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    if path.suffix == ".xz":
        return lzma.open(path, "rb")
    return open(path, "rb")


def read_text(path: Path) -> str:
    """The whole decompressed file as UTF-8 text."""
    with open_binary(path) as f:
        return f.read().decode("utf-8")
