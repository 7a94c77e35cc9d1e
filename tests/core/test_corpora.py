"""Char corpora and the lecture's window count."""
from __future__ import annotations

import pytest

from core.data import corpora
from tests.conftest import requires_mirror


def test_count_windows_matches_the_lecture_loop():
    text = "abcdefghij" * 50
    assert corpora.count_windows(len(text), 60, 3) == len(list(range(0, len(text) - 60, 3)))
    assert corpora.count_windows(10, 60, 3) == 0


def test_count_windows_rejects_zero_step():
    with pytest.raises(ValueError, match="step=0"):
        corpora.count_windows(100, 60, 0)


def test_unknown_corpus_lists_known():
    with pytest.raises(KeyError, match="known: nietzsche"):
        corpora.load_text("bible")


@requires_mirror
def test_nietzsche_reproduces_the_lecture_numbers():
    stats = corpora.corpus_stats(corpora.load_text("nietzsche"), maxlen=60, step=3)
    assert stats == {"length": 600893, "unique_chars": 57, "sequences": 200278}


@requires_mirror
def test_shakespeare_keeps_case_when_asked():
    text = corpora.load_text("shakespeare", lower=False)
    assert text.startswith("First Citizen:") and len(set(text)) == 65


def test_an_uploads_numbers_name_its_rare_characters_and_it_is_kept_once(tmp_path, monkeypatch):
    from core.language import charlm

    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path))
    text = "abab" * 100 + "éé" + "z"
    n = charlm.text_numbers(text, 10, 3, 50, min_count=5)
    assert n["rare"] == ["é", "z"] and n["alphabet"] == 3  # a, b and the RARE marker
    assert n["length"] == len(text) and n["fast sequences"] == (len(text) - 1) // 50
    name = charlm.save_upload(text)
    assert charlm.save_upload(text) == name and name.startswith("upload:")
    assert charlm.load_corpus(charlm.CharConfig(corpus=name, lower=False)) == text
    assert len(list((tmp_path / "uploads").iterdir())) == 1
