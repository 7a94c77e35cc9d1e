"""Echo state network with 500 units on 2,000 steps of monthly sunspots: seconds to fit
(reservoir built, states run, Ridge readout), median of repeats. The lecture has no ESN code,
so the comparison printed is against a time-delay network (Keras Dense) fitted on the same
data. Usage: python bench/esn_fit.py [--repeats 5]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.data import series  # noqa: E402
from core.rnn import esn, forecast  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    _, values = series.load_series("sunspots")
    split = series.split_series(values[:2500], test_share=0.2)  # 2,000 training steps
    esn.EchoStateNetwork(esn.ESNConfig(units=20)).fit(split.train)  # import scikit-learn first
    times = []
    for seed in range(args.repeats):
        start = time.perf_counter()
        esn.EchoStateNetwork(esn.ESNConfig(units=500, seed=seed)).fit(split.train)
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    forecast.tdnn_forecast(split, forecast.ForecastConfig())
    tdnn = time.perf_counter() - start
    print(json.dumps({"bench": "esn_fit", "units": 500, "steps": len(split.train),
                      "median_fit_s": round(statistics.median(times), 3),
                      "runs_s": [round(t, 3) for t in times], "target_s": 1.0,
                      "tdnn_keras_fit_s": round(tdnn, 2)}))


if __name__ == "__main__":
    main()
