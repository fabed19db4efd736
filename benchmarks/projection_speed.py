"""Speed of the projection: every unit of the sample, 2,000 paths each, one scenario and all three.

    .venv/bin/python benchmarks/projection_speed.py

Writes benchmarks/results/projection_speed.md (median of 5 runs, after one warm-up).
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

from analysis.analyses import projection as pj
from analysis.config import SAMPLE_DIR
from analysis.data.dataset import load_data_dir
from analysis.data.panel import full_panel

RESULTS = Path(__file__).resolve().parent / "results" / "projection_speed.md"


def timed(call, runs: int = 5) -> float:
    call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    sample = load_data_dir(SAMPLE_DIR)
    panel = full_panel(sample, 0.40)
    one = timed(lambda: pj.project(sample, panel, "2025-11-14", "2025-12-31", 0.40, paths=2000))
    three = timed(lambda: pj.project_scenarios(sample, panel, "2025-11-14", "2025-12-31", 0.40, paths=2000))
    units = sample.reports["code"].nunique()
    text = ["# Projection speed", "", "Command: `.venv/bin/python benchmarks/projection_speed.py`  ",
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"run {time.strftime('%Y-%m-%d')}.", "",
            "| what | median of 5 (s) |", "|---|---|",
            f"| every unit of the sample ({units} units that reported), 2,000 paths each, one scenario | {one:.2f} |",
            f"| the same for the three scenarios of the report | {three:.2f} |", "",
            "Target: one scenario within 3 seconds on this 2-core machine."]
    RESULTS.write_text("\n".join(text) + "\n", encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
