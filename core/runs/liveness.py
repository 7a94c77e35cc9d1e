"""Whether the process that answers for a run still exists: host, boot and process identity.

A pid alone is not enough: after a restart (a container's, say) a new process may get the same
pid, and a run would look alive forever. A process is named by (host, boot id, pid, the
process's start time since boot); it is alive when all four still match. On another host
nothing can be checked here, and the store's heartbeat rule decides.
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class ProcessId:
    host: str
    boot: str  # the kernel's boot id ("" where there is none)
    pid: int
    started: int  # clock ticks since boot (0 where /proc has none)


@cache
def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _start_ticks(pid: int) -> int | None:
    """Process ``pid``'s start time in ticks since boot; None if there is no such process,
    0 if this system cannot say (no /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None if Path("/proc/self/stat").exists() else _exists_or_none(pid)
    except OSError:
        return 0
    return int(stat.rsplit(")", 1)[1].split()[19])  # field 22: starttime (after the command)


def _exists_or_none(pid: int) -> int | None:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return 0
    return 0


def this_process() -> ProcessId:
    """This process's identity."""
    pid = os.getpid()
    return ProcessId(socket.gethostname(), _boot_id(), pid, _start_ticks(pid) or 0)


def alive(process: ProcessId) -> bool | None:
    """True or False for a process on this host and boot; None (cannot tell) for one elsewhere."""
    here = this_process()
    if process.host != here.host:
        return None
    if process.boot and here.boot and process.boot != here.boot:
        return False  # the machine restarted since
    started = _start_ticks(process.pid)
    if started is None:
        return False
    return not (process.started and started and started != process.started)  # a reused pid
