"""What each kind of run store answers, written down once.

- :class:`RunReader`: the read calls a view needs (charts, tables, pickers). The run store
  (``store.RunStore``) answers them, and so does the tick's shared snapshot
  (``snapshot.Snapshot``) that every open page reads instead of the store.
- :class:`JobStore`: the calls a running job makes (its config, start, metrics, heartbeats,
  Stop, files, finish). The run store answers them in the dashboard's process, and
  ``remote.RemoteStore`` on a Ray node, forwarding them to the store keeper.

``tests/core/test_protocols.py`` checks every class against its protocol, signatures included.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable


@runtime_checkable
class RunReader(Protocol):
    def list(self, kind: str | None = None) -> list[dict]: ...

    def get(self, run_id: int) -> dict: ...

    def metrics(self, run_id: int, level: str) -> list[dict]: ...

    def count(self, run_id: int, level: str) -> int: ...


@runtime_checkable
class JobStore(Protocol):
    def get(self, run_id: int) -> dict: ...

    def start(self, run_id: int, place: str | None = None) -> None: ...

    def log(self, run_id: int, level: str, step: int, data: dict) -> None: ...

    def heartbeat(self, run_id: int) -> None: ...

    def metrics(self, run_id: int, level: str) -> list[dict]: ...

    def file_path(self, run_id: int, name: str) -> Path: ...

    def stop_requested(self, run_id: int) -> bool: ...

    def finish(self, run_id: int, status: str, error: str | None = None,
               summary: dict | None = None) -> None: ...
