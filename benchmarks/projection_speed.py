"""Speed of the projection: every unit of the sample, 2,000 paths each, one scenario and all three;
and with ``--scale N`` the fit and one scenario on N copies of every unit (time and peak memory).

    .venv/bin/python benchmarks/projection_speed.py
    .venv/bin/python benchmarks/projection_speed.py --scale 100

The plain run writes the first table of benchmarks/results/projection_speed.md (median of 5 runs,
after one warm-up); a ``--scale`` run (one run, in its own process, so that its peak memory is its
own) sets its row of the scale table there and prints its time and peak memory on its last line.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import resource
import statistics
import time
from pathlib import Path

import pandas as pd

from analysis.analyses import projection as pj
from analysis.config import SAMPLE_DIR
from analysis.data.dataset import Dataset, load_data_dir
from analysis.data.panel import full_panel

RESULTS = Path(__file__).resolve().parent / "results" / "projection_speed.md"
SCALE_HEADING = "## At N times the sample's units"


def timed(call, runs: int = 5) -> float:
    call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def scaled(sample: Dataset, copies: int) -> Dataset:
    """The sample with every unit there ``copies`` times: the copies under new codes (code-2, ...),
    with the same reports as their original."""
    if copies == 1:
        return sample

    def copied(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.concat([frame] + [frame.assign(code=frame["code"] + f"-{k}") for k in range(2, copies + 1)],
                         ignore_index=True)

    return dataclasses.replace(sample, units=copied(sample.units), reports=copied(sample.reports))


def scale_run(copies: int) -> tuple[int, float, float]:
    """Units that reported, seconds and peak memory (MB, the process's maximum resident set) of the
    fit and one scenario, 2,000 paths, at ``copies`` times the sample's units."""
    dataset = scaled(load_data_dir(SAMPLE_DIR), copies)
    panel = full_panel(dataset, 0.40)
    started = time.perf_counter()
    pj.project(dataset, panel, "2025-11-14", "2025-12-31", 0.40, paths=2000)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return int(dataset.reports["code"].nunique()), seconds, peak


def _scale_rows() -> dict[int, str]:
    """The scale table's rows already recorded, by N."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    rows = [line for line in text[text.find(SCALE_HEADING):].splitlines() if line.startswith("| ") and "x |" in line]
    return {int(line.split("|")[1].strip().rstrip("x")): line for line in rows} if SCALE_HEADING in text else {}


def write(plain: list[str] | None, scale_rows: dict[int, str]) -> None:
    """The results file: the plain run's table (kept from the file when ``plain`` is None), then the scale table."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    head = plain if plain is not None else text[: text.find(SCALE_HEADING)].rstrip("\n").splitlines()
    scale = ["", SCALE_HEADING, "",
             "Command: `.venv/bin/python benchmarks/projection_speed.py --scale N` (each N in its own process). Every "
             "unit of the sample copied N times under new codes, the copies' reports identical to the originals; "
             "the fit of every track and one scenario, 2,000 paths per unit, timed from the panel; peak memory is "
             "the process's maximum resident set (data loading included).", "",
             "| N | units that reported | seconds | peak memory (MB) | load average (1 min) at the end | run |",
             "|---|---|---|---|---|---|",
             *[scale_rows[n] for n in sorted(scale_rows)], "",
             "Target: 100x (about 12,000 units) within 60 s and 2 GB on this 2-core machine."]
    RESULTS.write_text("\n".join(head + scale) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, help="copies of every unit of the sample (one run, time and peak memory)")
    args = parser.parse_args()
    if args.scale:
        units, seconds, peak = scale_run(args.scale)
        rows = _scale_rows()
        load = os.getloadavg()[0]  # the machine is shared: a busy one makes the run slower
        rows[args.scale] = f"| {args.scale}x | {units:,} | {seconds:.1f} | {peak:,.0f} | {load:.1f} | {time.strftime('%Y-%m-%d')} |"
        write(None, rows)
        print(f"scale {args.scale}x: {units:,} units, {seconds:.1f} s, peak memory {peak:,.0f} MB, load {load:.1f}")
        return
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
    write(text, _scale_rows())
    print("\n".join(text))


if __name__ == "__main__":
    main()
