"""Embeddings that move: Procrustes alignment keeps distances; snapshots are kept every epoch."""
from __future__ import annotations

import dataclasses

import numpy as np

from core.classify import training
from core.embeddings import motion
from core.runs.people import OPERATOR
from tests.conftest import requires_mirror
from tests.core.test_training import tiny  # noqa: F401  (the tiny-run fixture)


def test_procrustes_undoes_a_rotation_and_leaves_distances_unchanged():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 5))
    q, _ = np.linalg.qr(rng.normal(size=(5, 5)))  # a random rotation/reflection
    r = motion.procrustes(x @ q, x)
    assert np.allclose(x @ q @ r, x, atol=1e-10)
    before = np.linalg.norm(x[:, None] - x[None], axis=-1)
    after = np.linalg.norm((x @ q @ r)[:, None] - (x @ q @ r)[None], axis=-1)
    assert np.allclose(before, after)


def test_the_aligned_map_does_not_spin_when_the_space_only_rotates():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(10, 4))
    q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    coords = motion.aligned_map(np.stack([x @ q, x]))  # same words, only rotated
    assert coords.shape == (2, 10, 2) and np.allclose(coords[0], coords[1], atol=1e-8)


@requires_mirror
def test_a_classifier_run_keeps_a_frame_per_epoch(tiny):  # noqa: F811
    store, config = tiny
    config = dataclasses.replace(config, num_words=2000)
    run = store.create(training.KIND, dataclasses.asdict(config), owner=OPERATOR)
    store.start(run)
    training.train_run(store, run)
    words, frames = motion.load_frames(motion.snapshot_path(run, store.path.parent))
    assert frames.shape == (config.epochs + 1, len(words), config.embedding_dim)
    assert "wonderful" in words and not np.allclose(frames[0], frames[-1])


def test_words_a_class_adds_are_followed_by_later_runs(tmp_path):
    assert motion.watched_words(tmp_path) == []
    saved = motion.set_watched_words("Popcorn, popcorn **Bold** wonderful", tmp_path, by=OPERATOR)
    assert saved == ["popcorn", "bold", "wonderful"]
    words, groups = motion.teaching_words(tmp_path)
    assert ("popcorn", "yours") in zip(words, groups) and words.count("wonderful") == 1
    (tmp_path / "watched_words.json").write_text("not json")
    assert motion.watched_words(tmp_path) == []  # a damaged list is ignored, not fatal
