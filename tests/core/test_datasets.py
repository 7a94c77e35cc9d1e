"""The data registry: resolution order, checksums, clear errors, the fetch builders."""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import tarfile

import pytest

from core import paths
from core.data import datasets, fetch
from tests.conftest import requires_mirror


def _file(tmp_path, name="x/data.txt", content=b"hello\n"):
    sha = hashlib.sha256(content).hexdigest()
    return datasets.DataFile(name, sha, len(content), sha, "file://" + str(tmp_path / "src"))


@pytest.fixture
def fake_mirror(tmp_path, monkeypatch, tmp_cache):
    mirror = tmp_path / "mirror"
    monkeypatch.setenv("SEQLAB_DATA_DIR", str(mirror))
    return mirror


def test_missing_file_names_the_fetch_command(fake_mirror, tmp_path):
    f = _file(tmp_path)
    with pytest.raises(datasets.DatasetUnavailable, match="python -m core data fetch mine"):
        datasets.resolve(f, "mine")


def test_mirror_file_is_found_and_verified(fake_mirror, tmp_path):
    f = _file(tmp_path)
    (fake_mirror / "x").mkdir(parents=True)
    (fake_mirror / "x" / "data.txt").write_bytes(b"hello\n")
    assert datasets.resolve(f, "mine") == fake_mirror / "x" / "data.txt"


def test_cache_wins_over_mirror(fake_mirror, tmp_cache, tmp_path):
    f = _file(tmp_path)
    for root in (fake_mirror, tmp_cache / "data"):
        (root / "x").mkdir(parents=True, exist_ok=True)
        (root / "x" / "data.txt").write_bytes(b"hello\n")
    assert datasets.resolve(f, "mine") == tmp_cache / "data" / "x" / "data.txt"


def test_damaged_file_is_refused_with_a_way_forward(fake_mirror, tmp_path):
    f = _file(tmp_path)
    (fake_mirror / "x").mkdir(parents=True)
    (fake_mirror / "x" / "data.txt").write_bytes(b"hellO\n")
    with pytest.raises(datasets.DatasetUnavailable, match="does not match its published sha256"):
        datasets.resolve(f, "mine")


def test_corrupt_stamp_file_only_costs_a_rehash(fake_mirror, tmp_cache, tmp_path):
    f = _file(tmp_path)
    (fake_mirror / "x").mkdir(parents=True)
    (fake_mirror / "x" / "data.txt").write_bytes(b"hello\n")
    tmp_cache.mkdir(parents=True, exist_ok=True)
    (tmp_cache / "verified.json").write_text("{not json")
    assert datasets.resolve(f, "mine").name == "data.txt"


def test_unknown_data_set_lists_the_known_ones():
    with pytest.raises(KeyError, match="known: imdb"):
        datasets.dataset("mnist")


def test_status_reports_missing_with_command(fake_mirror):
    rows = {r["data set"]: r for r in datasets.status()}
    assert rows["imdb"]["status"] == "missing"
    assert rows["imdb"]["fetch with"] == "python -m core data fetch imdb"
    assert rows["glove100"]["status"] == "optional, not fetched"


def test_fetch_copies_and_checks_a_download(fake_mirror, tmp_path):
    src = tmp_path / "src"
    src.write_bytes(b"hello\n")
    f = _file(tmp_path)
    path = fetch.fetch_file(f, progress=lambda done, total: None)
    assert path.read_bytes() == b"hello\n" and datasets.resolve(f, "mine") == path


def test_fetch_refuses_a_download_with_the_wrong_checksum(fake_mirror, tmp_path):
    (tmp_path / "src").write_bytes(b"changed upstream\n")
    f = _file(tmp_path)
    with pytest.raises(datasets.DatasetUnavailable, match="does not match sha256"):
        fetch.fetch_file(f, progress=lambda done, total: None)
    assert not (paths.cache_dir() / "data" / "x" / "data.txt").exists()


def test_imdb_builder_writes_the_mirror_csv_layout(tmp_path):
    archive = tmp_path / "aclImdb_v1.tar.gz"
    reviews = {"aclImdb/train/pos/1_9.txt": "Great, \"really\"", "aclImdb/train/neg/0_2.txt": "Bad",
               "aclImdb/test/neg/0_1.txt": "Awful", "aclImdb/train/unsup/0_0.txt": "Unrated"}
    with tarfile.open(archive, "w:gz") as tar:
        for name, text in reviews.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    labelled = tmp_path / "reviews.csv"
    fetch._build(datasets.DataFile("r.csv", "", 0, None, "", "imdb_labelled"), archive, labelled)
    rows = list(csv.reader(labelled.open(newline="")))
    assert rows == [["split", "label", "id", "rating", "text"], ["train", "neg", "0", "2", "Bad"],
                    ["train", "pos", "1", "9", 'Great, "really"'], ["test", "neg", "0", "1", "Awful"]]
    assert b"\r\n" not in labelled.read_bytes()


@requires_mirror
def test_every_required_data_set_resolves_from_the_mirror():
    for d in datasets.REGISTRY.values():
        if not d.optional:
            assert all(p.is_file() for p in datasets.resolve_dataset(d.name))


@requires_mirror
def test_registry_checksums_agree_with_the_manifest():
    manifest = (paths.mirror_dir() / "MANIFEST.md").read_text()
    for d in datasets.REGISTRY.values():
        for f in d.files:
            if not d.optional:
                assert f"`{f.path}` | {f.size:,} | `{f.sha256}`" in manifest


def test_gzip_and_xz_are_read_transparently(tmp_path):
    p = tmp_path / "a.txt.gz"
    p.write_bytes(gzip.compress("héllo".encode()))
    assert paths.read_text(p) == "héllo"


def test_a_download_cut_short_of_its_content_length_is_refused(fake_mirror, monkeypatch):
    class Cut(io.BytesIO):
        headers = {"Content-Length": "100"}

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(fetch.urllib.request, "urlopen", lambda url, timeout: Cut(b"x" * 60))
    with pytest.raises(datasets.DatasetUnavailable, match="ended after 60 of its 100 bytes"):
        fetch.download("https://example.org/cut.zip", progress=lambda done, total: None)
    assert not list((paths.cache_dir() / "downloads").iterdir())


def test_a_member_without_a_checksum_is_trusted_only_from_an_archive_whose_anchor_matches(
        fake_mirror, tmp_path):
    import zipfile

    known = b"the 50d file\n"

    def archive(anchor: bytes):
        path = tmp_path / "src"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("a.txt", anchor)
            z.writestr("b.txt", b"the 100d file\n")
        (paths.cache_dir() / "downloads" / "src").unlink(missing_ok=True)

    f = datasets.DataFile("x/b.txt", "", 0, None, "file://" + str(tmp_path / "src"),
                          "zip_member", member="b.txt",
                          anchor=("a.txt", hashlib.sha256(known).hexdigest()))
    archive(known)
    assert fetch.fetch_file(f, progress=lambda d, t: None).read_bytes() == b"the 100d file\n"
    archive(b"something else\n")
    with pytest.raises(datasets.DatasetUnavailable, match="not the published one"):
        fetch.fetch_file(f, progress=lambda d, t: None)
