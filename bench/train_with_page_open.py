"""Does watching slow training? The same dense run started from the Train page in Chromium,
once with the page closed right after pressing Train and once with it left open (its live
fragment redrawing curves every second). Alternates over rounds; prints the median seconds per
epoch after the first of each and their ratio (1.0: watching costs nothing).

Usage: python bench/train_with_page_open.py [--rounds 2]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serve import CHROMIUM, CHROMIUM_ARGS, ROOT, serve  # noqa: E402

sys.path.insert(0, str(ROOT))
from core.runs.store import ACTIVE, RunStore  # noqa: E402

READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def one_run(browser, url: str, store: RunStore, watch: bool) -> list[float]:
    """Press Train for a dense model; keep the page open (watch) or close it; epoch seconds."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/train")
    page.wait_for_selector(READY, timeout=180_000)
    page.locator("[data-testid='stMultiSelect']").first.click()
    page.keyboard.press("Backspace")  # drop the default lstm
    page.get_by_role("option", name="dense", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_selector(READY)
    before = {r["id"] for r in store.list()}
    page.get_by_role("button", name="Train", exact=True).click()
    while not {r["id"] for r in store.list()} - before:
        time.sleep(0.1)
    (run_id,) = {r["id"] for r in store.list()} - before
    if not watch:
        page.close()
    while store.get(run_id)["status"] in ACTIVE:
        time.sleep(0.5)
    if watch:
        page.close()
    return [e["seconds"] for e in store.metrics(run_id, "epoch")[1:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    runs_dir = Path(tempfile.mkdtemp())
    store = RunStore(runs_dir / "runs.sqlite")
    seconds = {"closed": [], "open": []}
    with serve(ROOT / "streamlit_app.py", {"SEQLAB_RUNS_DIR": str(runs_dir)}) as url, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for r in range(args.rounds):
            for side in (("closed", "open") if r % 2 == 0 else ("open", "closed")):
                seconds[side] += one_run(browser, url, store, watch=side == "open")
        browser.close()
    closed, opened = (statistics.median(seconds[k]) for k in ("closed", "open"))
    print(json.dumps({"bench": "train_with_page_open", "model": "dense", "rounds": args.rounds,
                      "s_per_epoch_page_closed": [round(x, 2) for x in seconds["closed"]],
                      "s_per_epoch_page_open": [round(x, 2) for x in seconds["open"]],
                      "median_closed": round(closed, 2), "median_open": round(opened, 2),
                      "open_over_closed": round(opened / closed, 3), "target": "about 1.0"}))


if __name__ == "__main__":
    main()
