"""The files a run writes beside its store (models, alphabets, vocabularies, snapshots): where
each goes, recorded with its run so that deleting the run deletes exactly them, and where a
finished run's model is. A part of :class:`~core.runs.store.RunStore`."""
from __future__ import annotations

from pathlib import Path


def check_file_name(name: str) -> str:
    """``name`` if it is a plain file name a run may write (no folder, not hidden), else
    ``ValueError``: the one check for files written beside a store, here or sent from a node."""
    if not name or Path(name).name != name or name.startswith("."):
        raise ValueError(f"a run's file must be a plain file name, got {name!r}")
    return name


class RunFiles:
    """The store's files (mixed into ``RunStore``: it uses ``self.path``, ``self._connect``
    and ``self.list``)."""

    def file_path(self, run_id: int, name: str) -> Path:
        """Where run ``run_id`` keeps its file ``name`` (in this store's ``models`` folder),
        recorded with the run so that deleting the run deletes it."""
        check_file_name(name)
        with self._connect() as db:
            db.execute("INSERT OR IGNORE INTO files (run_id, name) VALUES (?, ?)", (run_id, name))
        return self.path.parent / "models" / name

    def files(self, run_id: int) -> list[Path]:
        """Every file run ``run_id`` recorded, and those that runs from before files were
        recorded left under its names (``run-N.*``, ``char-N.*``)."""
        folder = self.path.parent / "models"
        with self._connect() as db:
            names = [r["name"] for r in db.execute("SELECT name FROM files WHERE run_id = ?",
                                                   (run_id,))]
        legacy = [p.name for pattern in (f"run-{run_id}.*", f"char-{run_id}.*")
                  for p in folder.glob(pattern) if not p.name.endswith(".tmp")]
        return [folder / n for n in sorted(set(names) | set(legacy))]

    def model_path(self, run: dict) -> Path | None:
        """Where a run's saved model is: its summary's ``model``, a file name in this store's
        ``models`` folder (or a full path); None when the run saved none."""
        name = run["summary"].get("model")
        if not name:
            return None
        path = Path(name)
        return path if path.is_absolute() else self.path.parent / "models" / path

    def finished_with_model(self, kind: str) -> list[dict]:
        """Finished runs of ``kind``, newest first, whose model file is on disk: the runs a
        page can use (try a review, generate, look inside)."""
        return [run for run in self.list(kind) if run["status"] == "finished"
                and (path := self.model_path(run)) is not None and path.is_file()]
