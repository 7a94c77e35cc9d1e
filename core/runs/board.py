"""The class board: every run of the class, training now or finished, best validation accuracy
first, each with its owner's prediction beside what it reached; and who sees the owners' names
(the instructor always; students only when the instructor allows it)."""
from __future__ import annotations

from core.runs.curves import run_summary
from core.runs.people import Person, asking, is_class

BOARD_SETTINGS = ("kind", "train_size", "epochs", "fast", "batch_size", "learning_rate", "units",
                  "seed")  # what the class board shows of a run's config
BOARD_NAMES = "board_names"  # the class setting: students see who owns each run
ON_BOARD = ("running", "finished")


def names_shown(person: Person, allowed: bool) -> bool:
    """Whether ``person`` sees the owners' names on the board: the instructor (and anyone in a
    one-person lab) always; a student when the instructor ``allowed`` it."""
    person = asking(person)
    return not is_class() or person.instructor or bool(allowed)


def board_row(run: dict, epochs: list[dict], prediction: dict | None = None,
              names: bool = True) -> dict:
    """A run's line on the class board: who (when ``names``), its state and epoch, which
    settings, its best validation accuracy so far (and its epoch), its owner's prediction, and
    its test accuracy at the best epoch once it has one."""
    s = run_summary(epochs)
    prediction = prediction or {}
    row = {"run": run["id"], **({"by": run.get("owner_name") or "instructor"} if names else {}),
           "name": run["name"], "status": run["status"], "epoch": s.get("epochs", 0),
           "best val acc": s.get("best val acc"), "at epoch": s.get("best epoch"),
           "predicted best": prediction.get("best"), "predicted epoch": prediction.get("epoch"),
           "test at best": run["summary"].get("test_at_best")}
    return row | {name: run["config"].get(name) for name in BOARD_SETTINGS}


def board_rows(runs: list[dict], epochs_of, predictions: dict[int, dict], names: bool
               ) -> list[dict]:
    """The board's rows: running and finished runs, best validation accuracy first (runs with
    none yet last, newest first among them)."""
    rows = [board_row(run, epochs_of(run["id"]), predictions.get(run["id"]), names)
            for run in runs if run["status"] in ON_BOARD]
    return sorted(rows, key=lambda r: (r["best val acc"] is None, -(r["best val acc"] or 0),
                                       -r["run"]))
