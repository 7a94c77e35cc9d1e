"""Cold start: `streamlit run` until the Home page has rendered in Debian's Chromium.

Runs a bare one-line Streamlit app the same way first (the floor Streamlit itself costs), then
Sequence Lab, and prints both and the ratio. Usage: python bench/startup.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serve import CHROMIUM, CHROMIUM_ARGS, ROOT, serve  # noqa: E402


def time_to_render(browser, script: Path, heading: str) -> float:
    """Seconds from launching `streamlit run script` to `heading` shown in an h1."""
    start = time.perf_counter()
    with serve(script) as url:
        page = browser.new_page()
        page.goto(f"{url}/")
        page.wait_for_selector(f"h1:has-text('{heading}')", timeout=60_000)
        seconds = time.perf_counter() - start
        page.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    bare = Path(tempfile.mkdtemp()) / "bare.py"
    bare.write_text("import streamlit as st\nst.title('Bare')\n")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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
