"""Shared by the browser benches: a `streamlit run` server on a free port, and Chromium's flags."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@contextmanager
def serve(script: Path, env: dict[str, str] | None = None, timeout: float = 60.0,
          process: bool = False, cwd: Path = ROOT):
    """Start `streamlit run script` in ``cwd`` (whose .streamlit/ configures it); yield its URL
    once it answers its health check (with ``process``: the URL and the server's Popen, to read
    its CPU and memory)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script),
                             "--server.port", str(port), "--server.address", "127.0.0.1"],
                            cwd=cwd, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not answer in {timeout:.0f} s") from None
                time.sleep(0.02)
        yield (url, proc) if process else url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
