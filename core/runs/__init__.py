"""Runs: the persistent store, the worker that trains off the UI thread, the Keras callbacks that
report to the store, and the curves drawn from it."""
from core.runs.store import ACTIVE, FINAL, RunDiverged, RunStore, describe_error

__all__ = ["ACTIVE", "FINAL", "RunDiverged", "RunStore", "describe_error"]
