"""Cold start: `streamlit run` until the Home page has rendered in Debian's Chromium.

Runs a bare one-line Streamlit app the same way first (the floor Streamlit itself costs), then
Sequence Lab, and prints both and the ratio. Usage: python bench/startup.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_to_render(browser, script: Path, heading: str) -> float:
    """Seconds from launching `streamlit run script` to `heading` shown in an h1."""
    port = _port()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script),
                             "--server.port", str(port), "--server.headless", "true"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.02)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector(f"h1:has-text('{heading}')", timeout=60_000)
        seconds = time.perf_counter() - start
        page.close()
        return seconds
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    bare = Path(tempfile.mkdtemp()) / "bare.py"
    bare.write_text("import streamlit as st\nst.title('Bare')\n")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        runs = {"bare_streamlit": [], "sequence_lab_home": []}
        for _ in range(args.repeat):
            runs["bare_streamlit"].append(time_to_render(browser, bare, "Bare"))
            runs["sequence_lab_home"].append(time_to_render(browser, ROOT / "streamlit_app.py",
                                                            "Sequence Lab"))
        browser.close()
    medians = {k: round(statistics.median(v), 3) for k, v in runs.items()}
    print(json.dumps({"bench": "cold_start_to_home_rendered", "median_seconds": medians,
                      "runs": {k: [round(x, 3) for x in v] for k, v in runs.items()},
                      "ratio_ours_over_bare": round(medians["sequence_lab_home"]
                                                    / medians["bare_streamlit"], 2),
                      "target_seconds": 3.0}))


if __name__ == "__main__":
    main()
