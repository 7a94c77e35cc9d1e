"""The registry of real data sets and how to find each file: cache, offline mirror, official source.

Resolution order for every file: the project's cache directory (files fetched before) -> the
offline mirror (``$SEQLAB_DATA_DIR``, default ``../shared/data`` beside the project) -> nothing:
a :class:`DatasetUnavailable` error that names the file and the command that fetches it.
Downloading happens only through ``core.data.fetch`` (``python -m core data fetch NAME``), never
at import time or silently inside a loader.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from core import paths


class DatasetUnavailable(FileNotFoundError):
    """A data file is in neither the cache nor the mirror (or failed its checksum)."""


@dataclass(frozen=True)
class DataFile:
    """One file as the mirror stores it, and how to rebuild it from the official source."""

    path: str  # relative path inside the mirror, e.g. "imdb/imdb_reviews.csv.gz"
    sha256: str  # of the stored (possibly compressed) bytes in the mirror
    size: int  # stored bytes in the mirror
    raw_sha256: str | None  # of the decompressed content; what a download is checked against
    url: str  # official source (an archive for several files)
    builder: str = "copy"  # how the download becomes the raw file: see core.data.fetch._build
    member: str | None = None  # archive member the builder reads, when there is one
    url_md5: str | None = None  # published md5 of the download itself, when one exists
    # (member, sha256) of another file in the same archive whose checksum is known: a file
    # nobody has published a checksum for (GloVe 100/200/300d) is trusted only from an archive
    # whose known member matches, and each member is checked by its own CRC as it is read
    anchor: tuple[str, str] | None = None

    @property
    def raw_name(self) -> str:
        """The uncompressed file name a download is stored under in the cache."""
        for suffix in (".gz", ".xz"):
            if self.path.endswith(suffix):
                return self.path[: -len(suffix)]
        return self.path


@dataclass(frozen=True)
class Dataset:
    """A named data set: its files, where it comes from, and what to cite."""

    name: str
    title: str
    source: str
    files: tuple[DataFile, ...] = field(default_factory=tuple)
    optional: bool = False  # not in the mirror; fetched only when a user asks for it


_IMDB_TAR = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
_IMDB_MD5 = "7c2ac02c03563afcf9b574c7e56c153a"
_GLOVE_ZIP = "https://nlp.stanford.edu/data/glove.6B.zip"
# Stanford's glove.6B.50d.txt, byte for byte (the mirror's MANIFEST): the anchor of its archive
_GLOVE50_SHA256 = "d8f717f8dd4b545cb7f418ef9f3d0c3e6e68a6f48b97d32f8b7aae40cb31f96f"
_TS = "https://raw.githubusercontent.com/jbrownlee/Datasets/master/"

REGISTRY: dict[str, Dataset] = {d.name: d for d in (
    Dataset("imdb", "IMDB Large Movie Review Dataset v1.0 (Maas et al., ACL 2011)",
            "Stanford AI Lab; 25,000 train + 25,000 test labelled reviews, 50,000 unlabelled", (
        DataFile("imdb/imdb_reviews.csv.gz",
                 "4138ae861316af25c8c4200d028864efab72b512fa0e9f801b5a847d9cb7d7ba", 25563814,
                 "3638f02dae93a6f845b5641325f44b5fb96b73d62989fb8708f6bdc1d3d644bc",
                 _IMDB_TAR, "imdb_labelled", url_md5=_IMDB_MD5),
        DataFile("imdb/imdb_unsup.csv.xz",
                 "df95c22ac88f6dbb7339d579320dcbd7352e9c030e38fe198782f3e36debbf22", 17595552,
                 "ddffb36a9f336c65483ae9699b4211c144d35c2c4100f9e93e15c574ca9cc08b",
                 _IMDB_TAR, "imdb_unsup", url_md5=_IMDB_MD5),
        DataFile("imdb/aclImdb_imdb.vocab.gz",
                 "cdea468e8d73bc714f30979fff038befe4d499a5534c4c44347b23bf92e24584", 412100,
                 "01a13a306bd9e5a7826b8a0fc25a7a6017f143d86c1582f17857bb731fd252dc",
                 _IMDB_TAR, "tar_member", member="aclImdb/imdb.vocab", url_md5=_IMDB_MD5),
    )),
    Dataset("imdb_word_index", "Keras imdb_word_index.json (word -> frequency rank)",
            "Keras datasets bucket; the index keras.datasets.imdb.get_word_index() loads", (
        DataFile("imdb/imdb_word_index.json.gz",
                 "2f5dc73ea0cd7319fb4683e40663627b001a39f2fa5d0e84aa916a9a05de27b1", 672015,
                 "027313fe9a320280f3bf0fac5baf58c4a683cf39a7ed9c3d3d3912bde4284cf6",
                 "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json",
                 url_md5="bfafd718b763782e994055a2d397834f"),
    )),
    Dataset("glove50", "GloVe 6B, 50 dimensions (Pennington, Socher, Manning 2014)",
            "Stanford NLP glove.6B.zip; 400,000 words, PDDL 1.0", (
        DataFile("glove/glove.6B.50d.txt.xz",
                 "65e9533011f6b8a52c9171acdef42048ebfbc4ac458e0a80fb817755398d4376", 57124860,
                 _GLOVE50_SHA256, _GLOVE_ZIP, "zip_member", member="glove.6B.50d.txt"),
    )),
    *(Dataset(f"glove{d}", f"GloVe 6B, {d} dimensions", "Stanford NLP glove.6B.zip (822 MB)", (
        DataFile(f"glove/glove.6B.{d}d.txt", "", 0, None, _GLOVE_ZIP, "zip_member",
                 member=f"glove.6B.{d}d.txt", anchor=("glove.6B.50d.txt", _GLOVE50_SHA256)),),
        optional=True) for d in (100, 200, 300)),
    Dataset("nietzsche", "Nietzsche, English translations (the Keras char-LSTM corpus)",
            "Keras text-datasets bucket; public domain", (
        DataFile("text/nietzsche.txt",
                 "23cf69874ab69d3d256099ab530ea4be24d47d9675b673bcc67cbcd6298ec647", 600901,
                 "23cf69874ab69d3d256099ab530ea4be24d47d9675b673bcc67cbcd6298ec647",
                 "https://s3.amazonaws.com/text-datasets/nietzsche.txt"),
    )),
    Dataset("shakespeare", "tiny-shakespeare (Karpathy's char-rnn)", "karpathy/char-rnn, MIT", (
        DataFile("text/tinyshakespeare_input.txt",
                 "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", 1115394,
                 "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
                 "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/"
                 "tinyshakespeare/input.txt"),
    )),
    Dataset("airline", "Monthly airline passengers 1949-1960 (Box & Jenkins)", "jbrownlee/Datasets", (
        DataFile("timeseries/airline-passengers.csv",
                 "8cb51be753a718d9be5d76d7e238cc224792754676adc21faa59e954b0201621", 2180,
                 "8cb51be753a718d9be5d76d7e238cc224792754676adc21faa59e954b0201621",
                 _TS + "airline-passengers.csv"),
    )),
    Dataset("sunspots", "Monthly sunspots 1749-1983 (Zurich)", "jbrownlee/Datasets", (
        DataFile("timeseries/monthly-sunspots.csv",
                 "c4ec8cc57d9f6fb6ecdb3e1f37f25b6f4badd5124c55931052b0cd2fc3bc71f3", 45039,
                 "c4ec8cc57d9f6fb6ecdb3e1f37f25b6f4badd5124c55931052b0cd2fc3bc71f3",
                 _TS + "monthly-sunspots.csv"),
    )),
    Dataset("min_temperatures", "Daily minimum temperatures, Melbourne 1981-1990",
            "jbrownlee/Datasets", (
        DataFile("timeseries/daily-min-temperatures.csv",
                 "8b9de63ed6789492bf497625e7f9beb96a63d367b4b0a21754006f749fa5e5da", 67921,
                 "8b9de63ed6789492bf497625e7f9beb96a63d367b4b0a21754006f749fa5e5da",
                 _TS + "daily-min-temperatures.csv"),
    )),
    Dataset("beijing_pm25", "Beijing PM2.5 hourly 2010-2014 (UCI)", "jbrownlee/Datasets", (
        DataFile("timeseries/beijing_pm25_pollution.csv.gz",
                 "ae74d528f52cd98c8781f76ed94be9cf4a086cb5e3f6f7cffd804c50c8d96627", 503438,
                 "892e9559205d16d32623135c127a3951c12e46ea1e0b3093e107ce89a9fd60e2",
                 _TS + "pollution.csv"),
    )),
)}


def dataset(name: str) -> Dataset:
    """The registered data set called ``name``; ``KeyError`` lists the known names."""
    if name not in REGISTRY:
        raise KeyError(f"unknown data set {name!r}; known: {', '.join(REGISTRY)}")
    return REGISTRY[name]


def fetch_command(name: str) -> str:
    """The shell command that makes data set ``name`` available."""
    return f"python -m core data fetch {name}"


def file_digest(path: Path, algorithm: str = "sha256") -> str:
    """Hex digest of a file's bytes (``hashlib.file_digest``: streamed, never read whole)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, algorithm).hexdigest()


def _stamp_file() -> Path:
    return paths.cache_dir() / "verified.json"


def _read_stamps() -> dict:
    try:
        return json.loads(_stamp_file().read_text())
    except (OSError, ValueError):
        return {}  # missing or corrupt: files are simply hashed again


def verify(path: Path, expected: str | None) -> bool:
    """True when ``path`` has sha256 ``expected``; each (path, size, mtime) is hashed only once."""
    if not expected:
        return True  # nothing published to check against
    st = path.stat()
    key = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    stamps = _read_stamps()
    if stamps.get(key) == expected:
        return True
    ok = file_digest(path) == expected
    if ok:
        stamps[key] = expected
        try:
            paths.atomic_write_text(_stamp_file(), json.dumps(stamps, indent=0))
        except OSError:
            pass  # a read-only cache only costs a re-hash next time
    return ok


def locate(f: DataFile) -> Path | None:
    """Where ``f`` is, without checking its checksum: cache (raw) first, then the mirror."""
    cached = paths.cache_dir() / "data" / f.raw_name
    if cached.is_file():
        return cached
    mirror = paths.mirror_dir()
    if mirror is not None and (mirror / f.path).is_file():
        return mirror / f.path
    return None


def resolve(f: DataFile, name: str = "") -> Path:
    """The verified local path of ``f``, or :class:`DatasetUnavailable` saying how to fetch it."""
    found = locate(f)
    how = fetch_command(name or _owner(f))
    if found is None:
        raise DatasetUnavailable(
            f"{f.path} is in neither the cache ({paths.cache_dir() / 'data'}) nor the mirror "
            f"({paths.mirror_dir() or 'not found'}). Fetch it with: {how}")
    in_mirror = paths.mirror_dir() is not None and found == paths.mirror_dir() / f.path
    expected = f.sha256 if in_mirror else f.raw_sha256  # the cache holds the raw content
    if not verify(found, expected):
        raise DatasetUnavailable(
            f"{found} does not match its published sha256 ({expected[:12]}...): the file is "
            f"damaged or not the original. Remove it and fetch it again with: {how}")
    return found


def resolve_dataset(name: str) -> list[Path]:
    """Verified local paths of every file of data set ``name``."""
    return [resolve(f, name) for f in dataset(name).files]


def _owner(f: DataFile) -> str:
    return next(d.name for d in REGISTRY.values() if f in d.files)


def status() -> list[dict]:
    """One row per data set: present or not, where, and its size; hashes are not recomputed."""
    rows = []
    for d in REGISTRY.values():
        where = [locate(f) for f in d.files]
        present = all(p is not None for p in where)
        in_cache = present and all(paths.cache_dir() in p.parents for p in where)
        rows.append({
            "data set": d.name, "title": d.title,
            "status": "present" if present else ("optional, not fetched" if d.optional else "missing"),
            "where": ("cache" if in_cache else "mirror") if present else "",
            "MB": round(sum(p.stat().st_size for p in where if p) / 1e6, 1),
            "source": d.source,
            "fetch with": "" if present else fetch_command(d.name),
        })
    return rows


CACHE_MODULES = ("data/corpora", "data/datasets", "data/diskcache", "embeddings/glove",
                 "data/imdb", "tokens/ngrams", "embeddings/spaces", "tokens/rules", "tokens/vocab",
                 "cli")  # the code that decides what the parsed caches hold


def setup_fingerprint() -> str:
    """What the parsed caches were built from: each required file's place, size and time, and
    the code that builds them. Cheap (no hashing of data), so a start-up can ask it."""
    parts = []
    for d in REGISTRY.values():
        if d.optional:
            continue
        for f in d.files:
            found = locate(f)
            st = found.stat() if found else None
            parts.append(f"{f.path}|{found}|{st and st.st_size}|{st and st.st_mtime_ns}")
    code = hashlib.sha256()
    for module in CACHE_MODULES:
        code.update((paths.PROJECT_ROOT / "core" / f"{module}.py").read_bytes())
    return hashlib.sha256("\n".join(parts + [code.hexdigest()]).encode()).hexdigest()


def _ready_file() -> Path:
    return paths.cache_dir() / "setup-complete.json"


def setup_is_current() -> bool:
    """True when ``setup`` finished for the data and code as they are now."""
    try:
        return json.loads(_ready_file().read_text())["fingerprint"] == setup_fingerprint()
    except (OSError, ValueError, KeyError):
        return False


def mark_setup_complete() -> None:
    """Record that every required data set is verified and its caches are built."""
    paths.atomic_write_text(_ready_file(), json.dumps({"fingerprint": setup_fingerprint()}))
