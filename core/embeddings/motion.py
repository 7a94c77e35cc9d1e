"""Embeddings that move: the Embedding rows of a fixed set of teaching words, kept at every epoch
of a run, aligned so that the picture neither flips nor spins, and projected to 2D.

A snapshot file (``run-<id>.snapshots.npz`` beside the run's model) holds ``words`` and
``frames`` (epochs + 1, words, dim): frame 0 is the initialisation. Alignment is orthogonal
Procrustes to the last frame: a rotation (or reflection) that changes no distance between words,
so what moves on the map is what the model learned.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from core import paths
from core.runs.people import Person, check_instructor

TEACHING_WORDS = {  # chosen for a class: what pulls apart, what stays put (~200 words)
    "positive": "wonderful excellent great superb brilliant beautiful loved enjoyed best perfect "
                "amazing masterpiece fantastic touching fun favorite delightful charming "
                "hilarious moving powerful outstanding terrific gem classic memorable stunning "
                "fascinating refreshing recommend incredible funniest enjoyable solid strong "
                "highly beautifully perfectly wonderfully",
    "negative": "awful terrible worst boring waste bad poor horrible dull stupid disappointing "
                "mess lame annoying ridiculous pointless unfunny badly worse laughable "
                "disappointment pathetic garbage crap avoid fails forgettable mediocre weak "
                "predictable cheap wooden tedious unconvincing poorly nothing",
    "names": "john michael james robert david paul steve mary susan anna tom jack peter "
             "george richard william bill frank jane kate",
    "function words": "the a an and of to is in it that this was with for but on as by at from "
                      "or not are be have has had his her their there which who what when",
    "film words": "movie film plot actor actress director scene story character ending script "
                  "camera music soundtrack cast acting dialogue effects sequel remake series "
                  "episode cinema screen role",
    "numbers and time": "one two three four five ten first second minutes hour hours year years "
                        "time day night",
    "places and things": "house car city town school war money family home world water food "
                         "police hospital",
}


MAX_WATCHED = 100  # words a user may add to the teaching set


def watch_file(folder: Path | None = None) -> Path:
    """The words users added, kept beside the run store so that every later run follows them."""
    return (folder or paths.runs_dir()) / "watched_words.json"


def watched_words(folder: Path | None = None) -> list[str]:
    """The words users added (none when the file is missing or damaged)."""
    import json

    try:
        words = json.loads(watch_file(folder).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    return [w for w in words if isinstance(w, str)][:MAX_WATCHED]


def set_watched_words(text: str, folder: Path | None = None, *, by: Person) -> list[str]:
    """Replace the added words with the words of ``text`` (lower-case, Keras's splitting, no
    repeats, at most MAX_WATCHED); returns them. The whole class follows them, so in a class
    only the instructor may (``by``: who asks; :class:`NotAllowed` otherwise)."""
    import json

    from core.data.imdb import keras_words

    check_instructor(by, "change the words every run follows")
    words = list(dict.fromkeys(keras_words(text)))[:MAX_WATCHED]
    paths.atomic_write_text(watch_file(folder), json.dumps(words))
    return words


def teaching_words(folder: Path | None = None) -> tuple[list[str], list[str]]:
    """(words, their group) of the teaching set, then the words users added ("yours")."""
    pairs = [(w, g) for g, ws in TEACHING_WORDS.items() for w in ws.split()]
    known = {w for w, _ in pairs}
    pairs += [(w, "yours") for w in watched_words(folder) if w not in known]
    return [w for w, _ in pairs], [g for _, g in pairs]


def snapshot_path(run_id: int, folder: Path | None = None) -> Path:
    """Where run ``run_id``'s snapshots live (beside its model, in the store's folder)."""
    return (folder or paths.runs_dir()) / "models" / f"run-{run_id}.snapshots.npz"


def save_frames(path: Path, words: list[str], frames: list[np.ndarray]) -> None:
    """Write all frames so far (atomically: a page reading mid-training sees whole files)."""
    import io

    buffer = io.BytesIO()
    blob = np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)
    np.savez(buffer, words=blob, frames=np.stack(frames).astype(np.float32))
    paths.atomic_write_bytes(path, buffer.getvalue())


def load_frames(path: Path) -> tuple[list[str], np.ndarray] | None:
    """(words, frames) from a snapshot file, or None when there is none (or it is damaged)."""
    try:
        with np.load(path, allow_pickle=False) as a:
            return a["words"].tobytes().decode("utf-8").split("\n"), a["frames"]
    except (OSError, ValueError, KeyError):
        return None


def procrustes(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The orthogonal matrix R minimising ‖source R − target‖ (Schönemann 1966): from the SVD
    of sourceᵀ target = U S Vᵀ, R = U Vᵀ."""
    u, _, vt = np.linalg.svd(source.T @ target)
    return u @ vt


def aligned_map(frames: np.ndarray) -> np.ndarray:
    """(epochs + 1, words, 2) coordinates: each frame centred, rotated onto the last by
    Procrustes, then all projected on the last frame's two principal axes."""
    centred = frames - frames.mean(axis=1, keepdims=True)
    last = centred[-1]
    aligned = np.stack([f @ procrustes(f, last) for f in centred])
    _, _, vt = np.linalg.svd(last, full_matrices=False)
    return aligned @ vt[:2].T


def snapshot_callback(path: Path, layer: str, ids: np.ndarray, words: list[str]):
    """A Keras callback saving the rows ``ids`` of layer ``layer``'s weights before training
    and after every epoch, to ``path``."""
    import keras

    class Snapshots(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.frames: list[np.ndarray] = []

        def _keep(self):
            self.frames.append(np.asarray(self.model.get_layer(layer).get_weights()[0])[ids])
            save_frames(path, words, self.frames)

        def on_train_begin(self, logs=None):
            if not self.frames:  # once: fit is called again for each turn
                self._keep()

        def on_epoch_end(self, epoch, logs=None):
            self._keep()

    return Snapshots()


def moving_map(path: Path) -> dict | None:
    """What the page draws for one run: words, their groups, and (frames, words, 2) aligned
    coordinates; None when the run kept no snapshots."""
    loaded = load_frames(path)
    if loaded is None:
        return None
    words, frames = loaded
    group_of = dict(zip(*teaching_words(path.parent.parent)))
    return {"words": words, "groups": [group_of.get(w, "other") for w in words],
            "coords": aligned_map(frames)}
