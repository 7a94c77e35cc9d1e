"""Fetching data sets from their official sources, checked against published checksums.

``python -m core data fetch NAME...`` (core/cli.py) calls it. A download goes to the cache
directory, is checked (md5 of the archive where one is published, sha256 of the file we keep),
and only then renamed into place, so an interrupted download never looks like data.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import sys
import tarfile
import urllib.request
import zipfile
from pathlib import Path
from typing import Callable

from core import paths
from core.data.datasets import DataFile, DatasetUnavailable, dataset, file_digest, resolve

Progress = Callable[[int, int], None]  # (bytes done, bytes total or 0 when unknown)


def _print_progress(done: int, total: int) -> None:
    mb = done / 1e6
    text = f"\r  {mb:8.1f} MB" + (f" of {total / 1e6:.1f} MB ({done / total:4.0%})" if total else "")
    print(text, end="", file=sys.stderr, flush=True)


def download(url: str, md5: str | None = None, progress: Progress = _print_progress) -> Path:
    """Download ``url`` into the cache's downloads folder (reused if already there and valid)."""
    target = paths.cache_dir() / "downloads" / url.rsplit("/", 1)[-1]
    if target.is_file() and (md5 is None or file_digest(target, "md5") == md5):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    with urllib.request.urlopen(url, timeout=60) as response, open(partial, "wb") as out:
        total, done = int(response.headers.get("Content-Length") or 0), 0
        for block in iter(lambda: response.read(1 << 20), b""):
            out.write(block)
            done += len(block)
            progress(done, total)
    print(file=sys.stderr)
    if total and done != total:
        partial.unlink()
        raise DatasetUnavailable(f"the download of {url} ended after {done:,} of its {total:,} "
                                 "bytes; nothing was kept: run the fetch again")
    if md5 is not None and file_digest(partial, "md5") != md5:
        partial.unlink()
        raise DatasetUnavailable(f"download of {url} does not match its published md5 {md5}")
    partial.replace(target)
    return target


_REVIEW_NAME = re.compile(r"aclImdb/(train|test)/(pos|neg|unsup)/(\d+)_(\d+)\.txt$")


def _imdb_rows(archive: Path, labelled: bool) -> list[tuple]:
    """Reviews from the official tarball as sorted CSV rows, in the mirror's exact layout."""
    rows = []
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            m = _REVIEW_NAME.search(member.name)
            if not m or (m.group(2) == "unsup") == labelled:
                continue
            text = tar.extractfile(member).read().decode("utf-8")
            split, label, rid, rating = m.group(1), m.group(2), int(m.group(3)), int(m.group(4))
            rows.append((split, label, rid, rating, text) if labelled else (rid, text))
    order = {"train": 0, "test": 1, "neg": 0, "pos": 1}
    if labelled:
        rows.sort(key=lambda r: (order[r[0]], order[r[1]], r[2]))
    else:
        rows.sort()
    return rows


def _write_csv(rows: list[tuple], header: tuple, target: Path) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    paths.atomic_write_bytes(target, buffer.getvalue().encode("utf-8"))


def _build(f: DataFile, download_path: Path, target: Path) -> None:
    """Turn a download into the raw file ``f`` describes (see ``DataFile.builder``)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if f.builder == "copy":
        shutil.copyfile(download_path, target)
    elif f.builder == "zip_member":
        with zipfile.ZipFile(download_path) as z, z.open(f.member) as src, open(target, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
    elif f.builder == "tar_member":
        with tarfile.open(download_path, "r:gz") as tar:
            paths.atomic_write_bytes(target, tar.extractfile(f.member).read())
    elif f.builder == "imdb_labelled":
        _write_csv(_imdb_rows(download_path, True), ("split", "label", "id", "rating", "text"), target)
    elif f.builder == "imdb_unsup":
        _write_csv(_imdb_rows(download_path, False), ("id", "text"), target)
    else:
        raise ValueError(f"unknown builder {f.builder!r} for {f.path}")


def _check_anchor(f: DataFile, archive: Path) -> None:
    """Refuse an archive whose member with a known checksum does not match it (a file of that
    archive with no published checksum of its own is trusted only then)."""
    member, sha256 = f.anchor
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(archive) as z, z.open(member) as src:
            for block in iter(lambda: src.read(1 << 20), b""):
                digest.update(block)
    except (KeyError, zipfile.BadZipFile) as error:
        raise DatasetUnavailable(f"{archive.name} is not the archive {f.url} names ({error}); "
                                 "delete it and fetch again") from None
    if digest.hexdigest() != sha256:
        raise DatasetUnavailable(f"{archive.name}'s {member} does not match its known sha256 "
                                 f"{sha256}: the archive is not the published one, so "
                                 f"{f.raw_name} (no checksum of its own) is not trusted")


def fetch_file(f: DataFile, progress: Progress = _print_progress) -> Path:
    """Make ``f`` available in the cache from its official source, checked; returns its path."""
    target = paths.cache_dir() / "data" / f.raw_name
    archive = download(f.url, f.url_md5, progress)
    if f.anchor:
        _check_anchor(f, archive)
    partial = target.with_name(target.name + ".part")
    _build(f, archive, partial)
    if f.raw_sha256 and file_digest(partial) != f.raw_sha256:
        partial.unlink()
        raise DatasetUnavailable(f"{f.raw_name} built from {f.url} does not match sha256 "
                                 f"{f.raw_sha256}: the source has changed; nothing was kept")
    partial.replace(target)
    return target


def fetch(name: str, progress: Progress = _print_progress) -> list[Path]:
    """Make every file of data set ``name`` available: mirror or cache if there, else download."""
    out = []
    for f in dataset(name).files:
        try:
            out.append(resolve(f, name))
        except DatasetUnavailable:
            print(f"fetching {f.raw_name} from {f.url}", file=sys.stderr)
            out.append(fetch_file(f, progress))
    return out
