"""A class watching one run: one live IMDB run (trained by `python -m core train` in its own
process, into the dashboard's store) followed by N Train pages open at once in one headless
Chromium, as N students would.

Phases, in one run: the run alone (no page open) for ``--window`` seconds, then with N viewers
for ``--window`` seconds. Reported:
- the server's CPU (share of one core, from /proc) and memory (RSS) in each phase, and per
  viewer: (CPU with N viewers - CPU with none) / N. Goal: <= 1 % of a core per viewer;
- each viewer's refresh interval (median gap between bursts of websocket messages, timed in
  the page);
- the delay from an epoch's end (its row's time in the store) to every viewer showing
  "epoch k/N" (timed in the page; same machine, same clock): median and worst over viewers;
- the training slowdown: median seconds per epoch with N viewers / with none.

Usage: python bench/viewers.py [--viewers 10] [--window 30] [--kind lstm] [--train-size 5000]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serve import CHROMIUM, CHROMIUM_ARGS, ROOT, serve  # noqa: E402

sys.path.insert(0, str(ROOT))
from core.runs.people import OPERATOR
from core.runs.store import RunStore  # noqa: E402

READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
TICK = os.sysconf("SC_CLK_TCK")
# In each page: time every websocket message, and the first time each "epoch k/" is shown.
WATCH = """
window.__messages = []; window.__epochs = {};
const Native = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new Native(...args);
  ws.addEventListener('message', () => window.__messages.push(Date.now()));
  return ws;
};
window.WebSocket.prototype = Native.prototype;
Object.assign(window.WebSocket, Native);
setInterval(() => {
  for (const bar of document.querySelectorAll('[data-testid="stProgress"]')) {
    const m = /epoch (\\d+)\\//.exec(bar.textContent);
    if (m && !(m[1] in window.__epochs)) window.__epochs[m[1]] = Date.now();
  }
}, 50);
"""


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(pid: int, seconds: float) -> dict:
    wall, cpu = time.monotonic(), cpu_seconds(pid)
    time.sleep(seconds)
    return {"cores": (cpu_seconds(pid) - cpu) / (time.monotonic() - wall), "rss_mb": rss_mb(pid)}


def epoch_times(store: RunStore, run_id: int, after: float, before: float) -> list[float]:
    return [e["seconds"] for e in store.metrics(run_id, "epoch")
            if after <= e["wall"] <= before and e["step"] > 1]


def bursts(times: list[float], gap_ms: float = 300) -> list[float]:
    """Gaps (s) between bursts of websocket messages (messages closer than gap_ms: one burst)."""
    starts = [t for i, t in enumerate(times) if i == 0 or t - times[i - 1] > gap_ms]
    return [(b - a) / 1000 for a, b in zip(starts, starts[1:])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, default=10)
    parser.add_argument("--window", type=float, default=30.0)
    parser.add_argument("--kind", default="lstm")
    parser.add_argument("--train-size", type=int, default=5000)
    parser.add_argument("--profile", metavar="FILE", help="py-spy the server while watched "
                        "(collapsed stacks into FILE; needs py-spy)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    runs_dir = Path(tempfile.mkdtemp(prefix="seqlab-viewers-"))
    env = {"SEQLAB_RUNS_DIR": str(runs_dir)}
    store = RunStore(runs_dir / "runs.sqlite")
    with serve(ROOT / "streamlit_app.py", env, process=True) as (url, server), \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm = browser.new_page()  # the first page load imports TensorFlow in the server
        warm.goto(f"{url}/train")
        warm.wait_for_selector(READY, timeout=300_000)
        warm.close()
        trainer = subprocess.Popen(
            [sys.executable, "-m", "core", "train", args.kind, "--train-size",
             str(args.train_size), "--epochs", "1000"], cwd=ROOT, env={**os.environ, **env},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while not store.list() or len(store.metrics(store.list()[0]["id"], "epoch")) < 2:
                time.sleep(0.2)
            run_id = store.list()[0]["id"]
            start = time.time()
            alone = measure(server.pid, args.window)
            alone["s_per_epoch"] = epoch_times(store, run_id, start, time.time())
            pages = []
            for _ in range(args.viewers):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.add_init_script(WATCH)
                page.goto(f"{url}/train")
                pages.append(page)
            for page in pages:
                page.wait_for_selector("[data-testid='stProgress']", timeout=300_000)
            time.sleep(3)  # every page has drawn the run once
            start = time.time()
            spy = subprocess.Popen(["py-spy", "record", "-p", str(server.pid), "-d",
                                    str(int(args.window)), "-f", "raw", "-o", args.profile],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                                   ) if args.profile else None
            watched = measure(server.pid, args.window)
            if spy:
                spy.wait()
            end = time.time()
            watched["s_per_epoch"] = epoch_times(store, run_id, start, end)
            seen = [page.evaluate("[window.__messages, window.__epochs]") for page in pages]
        finally:
            store.request_stop(store.list()[0]["id"], by=OPERATOR) if store.list() else None
            trainer.wait(timeout=120)
            browser.close()
    epochs = {e["step"]: e["wall"] for e in store.metrics(run_id, "epoch")
              if start <= e["wall"] <= end - 2}
    delays = []
    for _, shown in seen:
        delays += [shown[str(k)] / 1000 - wall for k, wall in epochs.items() if str(k) in shown]
    intervals = [statistics.median(g) for messages, _ in seen
                 if (g := bursts([t for t in messages if start * 1000 <= t <= end * 1000]))]
    per_viewer = (watched["cores"] - alone["cores"]) / args.viewers
    slowdown = statistics.median(watched["s_per_epoch"]) / statistics.median(alone["s_per_epoch"])
    print(json.dumps({
        "bench": "viewers", "viewers": args.viewers, "kind": args.kind,
        "server_cores_no_viewer": round(alone["cores"], 3),
        "server_cores_with_viewers": round(watched["cores"], 3),
        "server_core_share_per_viewer": round(per_viewer, 4), "goal_per_viewer": 0.01,
        "server_rss_mb": [round(alone["rss_mb"]), round(watched["rss_mb"])],
        "refresh_interval_s_median_per_viewer": [round(x, 2) for x in sorted(intervals)],
        "epoch_end_to_shown_s": {"median": round(statistics.median(delays), 2),
                                 "worst": round(max(delays), 2), "n": len(delays)}
        if delays else None,
        "s_per_epoch": {"alone": round(statistics.median(alone["s_per_epoch"]), 2),
                        "watched": round(statistics.median(watched["s_per_epoch"]), 2)},
        "training_slowdown": round(slowdown, 3)}, indent=1))


if __name__ == "__main__":
    main()
