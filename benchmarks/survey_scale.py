"""Person-level survey at scale: read and model N million rows (default 10) by aggregating to cells.

    .venv/bin/python benchmarks/survey_scale.py [--rows 10000000]

Writes the survey to a temporary CSV, then in a fresh process times ``drivers.survey_cells`` +
``drivers.fit_survey`` and records its peak memory; checks the coefficients against a direct
person-level logistic fit (statsmodels Logit) on the first million rows, fitted both ways.
The same at 1x, 10x and 100x the sample's survey (20,000 rows) shows how the cost grows.
Results in benchmarks/results/survey_scale.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results" / "survey_scale.md"
CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from analysis.analyses import drivers
from analysis.data.dataset import load_survey
t1 = time.perf_counter()
cells, _ = load_survey(__import__("pathlib").Path(sys.argv[1]))
model = drivers.fit_survey(cells)
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "read_and_fit_s": t2 - t1, "cells": len(cells),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "coef": model["coef"].tolist()}))
"""


def _child(path: Path) -> dict:
    return json.loads(subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                                     check=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    import pandas as pd

    from analysis.synthetic.sample import SURVEY_SIZE, build_survey

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "survey.csv"
        people = build_survey(np.random.default_rng(5), args.rows)
        people.to_csv(path, index=False)
        size_mb = path.stat().st_size / 1e6
        first = people.iloc[:1_000_000]
        del people
        result = _child(path)
        growth = []
        for factor in (1, 10, 100):
            part = Path(folder) / f"x{factor}.csv"
            first_rows = pd.read_csv(path, nrows=factor * SURVEY_SIZE)
            first_rows.to_csv(part, index=False)
            found = _child(part)
            growth.append(f"| {factor}x | {factor * SURVEY_SIZE:,} | {found['read_and_fit_s']:.2f} | {found['peak_mb']:.0f} |")
        growth.append(f"| {args.rows // SURVEY_SIZE}x | {args.rows:,} | {result['read_and_fit_s']:.2f} | {result['peak_mb']:.0f} |")
        small = Path(folder) / "small.csv"
        first.to_csv(small, index=False)
        import statsmodels.api as sm

        from analysis.analyses import drivers
        from analysis.data.dataset import SURVEY_COLUMNS, load_survey

        cells_fit = drivers.fit_survey(load_survey(small)[0])
        direct = sm.Logit(first["integrated"], sm.add_constant(first[SURVEY_COLUMNS[:-1]].astype(float))).fit(disp=0)
        gap = float(np.max(np.abs(cells_fit["coef"].to_numpy() - np.asarray(direct.params)[1:])))
    text = ["# Person-level survey at scale", "", f"Command: `.venv/bin/python benchmarks/survey_scale.py --rows {args.rows}`  ",
            f"Machine: {platform.machine()}, Python {platform.python_version()}; run {time.strftime('%Y-%m-%d')}.", "",
            "| what | value |", "|---|---|",
            f"| rows | {args.rows:,} ({size_mb:.0f} MB CSV) |",
            f"| read + aggregate to cells + fit (s) | {result['read_and_fit_s']:.1f} |",
            f"| importing the package (s) | {result['import_s']:.1f} |",
            f"| peak memory of that process (MB) | {result['peak_mb']:.0f} |",
            f"| covariate cells | {result['cells']} |",
            f"| max abs difference of coefficients, cells vs person-level Logit on 1M rows | {gap:.2e} |", "",
            "Targets (#9): within 15 s and under 2 GB for ten million rows.", "",
            "## Growth (the sample's survey has 20,000 rows)", "",
            "| size | rows | read + aggregate + fit (s) | peak memory (MB) |", "|---|---|---|---|", *growth]
    RESULTS.write_text("\n".join(text) + "\n", encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
