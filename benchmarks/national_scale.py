"""The whole country, and how each cost grows with the size of the data.

    .venv/bin/python benchmarks/national_scale.py [--data-dir data/raw/national] [--skip-growth]

1. Times writing the synthetic national data set (every province and commune of the register),
   and writes it to ``--data-dir`` unless that already holds it.
2. Runs ``python -m analysis national`` on all 34 provinces, on Ca Mau alone (the sample: 1x)
   and on Ca Mau with the next provinces of the register up to ten times the sample's units
   (10x); wall time, and peak memory as the largest sum of the resident memory of the runner,
   its workers and their kernels (sampled every 0.1 s).
3. Growth of the analyses in one process on the sample's units repeated 1, 10 and 100 times
   (codes made unique): reading and checking the data, the panel, the phase results, the
   drivers model and the projection (2,000 paths, three scenarios), each timed, with the
   process's peak memory.

Results in benchmarks/results/national_scale.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from _tables import markdown

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results" / "national_scale.md"


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        family = [process, *process.children(recursive=True)]
    except psutil.Error:  # the command has just ended
        return 0
    for p in family:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def measured(command: list[str]) -> dict:
    """Wall time and peak memory (sum over the process tree) of a command."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak, handle = 0, psutil.Process(child.pid)

    def sample() -> None:
        nonlocal peak
        while child.poll() is None:
            peak = max(peak, _tree_rss(handle))
            time.sleep(0.1)

    watcher = threading.Thread(target=sample)
    watcher.start()
    _, err = child.communicate()
    watcher.join()
    if child.returncode != 0:
        raise RuntimeError(err)
    return {"seconds": round(time.perf_counter() - started, 1), "peak_mb": round(peak / 2**20)}


def subset(national: Path, codes: list[int], folder: Path) -> Path:
    """A national data directory holding only ``codes`` (links to the full one's folders)."""
    folder.mkdir(parents=True)
    (folder / "provinces.csv").symlink_to(national / "provinces.csv")
    for province in national.iterdir():
        if province.is_dir() and int(province.name.split("-")[0]) in codes:
            (folder / province.name).symlink_to(province)
    return folder


GROWTH = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
import numpy as np, pandas as pd
from analysis.analyses import drivers, phase_results, projection
from analysis.config import SAMPLE_DIR
from analysis.data.dataset import Dataset, load_data_dir
from analysis.data.panel import full_panel
k = int(sys.argv[1])
out, t = {}, time.perf_counter()
def step(name):
    global t
    now = time.perf_counter()
    out[name] = round(now - t, 2)
    out[name + "_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    t = time.perf_counter()
base = load_data_dir(SAMPLE_DIR)
step("read and check the sample")
copies = lambda frame: pd.concat([frame.assign(code=frame["code"] + (f"r{j}" if j else "")) for j in range(k)], ignore_index=True)
dataset = Dataset(base.data_dir, base.province, copies(base.units), copies(base.reports), base.central, base.phases,
                  base.provinces, base.files, base.findings, base.provenance)
as_of, deadline = pd.Timestamp("2025-11-14"), pd.Timestamp("2025-12-31")
t = time.perf_counter()
panel = full_panel(dataset, 0.40)
step("panel")
phase_results.headline(dataset, as_of, 0.40, panel); phase_results.league_table(dataset, panel, as_of)
phase_results.monitoring_series(panel); phase_results.funnel(phase_results.headline(dataset, as_of, 0.40, panel),
                                                              phase_results.central_status(dataset, as_of))
step("phase results")
drivers.analyse(dataset, panel, as_of, 0.40)
step("drivers model")
units = int((dataset.units["track"] == "residents").sum())
design_gb = units * 26 * (units + 5) * 8 / 1e9  # residents' weekly rows x (unit levels + shared terms), float64
out["projection design (GB)"] = round(design_gb, 2)
if design_gb < 4:
    projection.project_scenarios(dataset, panel, as_of, deadline, 0.40, paths=2000)
    step("projection")
out["units"] = len(dataset.units)
print(json.dumps(out))
"""


def growth(factor: int) -> dict:
    result = subprocess.run([sys.executable, "-c", GROWTH, str(factor)], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default=str(ROOT / "data" / "raw" / "national"))
    parser.add_argument("--skip-growth", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from analysis.data.register import province_wards, provinces

    national = Path(args.data_dir).resolve()
    lines = ["# The whole country, and how costs grow", "",
             "Command: `.venv/bin/python benchmarks/national_scale.py`  ",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
             f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}; "
             f"run {time.strftime('%Y-%m-%d')}. Warm environment.", ""]
    with tempfile.TemporaryDirectory() as folder:  # timed apart, so that an existing data set is not rewritten
        generated = measured([sys.executable, "-m", "analysis", "sample", "--national", "--out", str(Path(folder) / "n")])
    lines += [f"Writing the national data set (`python -m analysis sample --national`): "
              f"{generated['seconds']} s, peak {generated['peak_mb']} MB.", ""]
    if not (national / "provinces.csv").exists():
        measured([sys.executable, "-m", "analysis", "sample", "--national", "--out", str(national)])
    register = provinces()
    sizes = {int(c): len(province_wards(int(c))) for c in register["code"]}
    sample_units = sizes[96]
    codes, total = [96], sizes[96]
    for code in register["code"].astype(int):
        if total >= 10 * sample_units:
            break
        if code != 96:
            codes.append(code)
            total += sizes[code]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for label, chosen in (("Ca Mau alone (1x)", [96]), (f"{len(codes)} provinces (~10x communes)", codes),
                              ("all 34 provinces", list(sizes))):
            data = subset(national, chosen, Path(folder) / f"n{len(chosen)}") if len(chosen) < len(sizes) else national
            communes = sum(sizes[c] for c in chosen)
            result = measured([sys.executable, "-m", "analysis", "national", "--data-dir", str(data), "--out",
                               str(Path(folder) / "out"), "--period", f"n{len(chosen)}"])
            rows.append({"run": label, "provinces": len(chosen), "communes": communes,
                         "x sample": round(communes / sample_units, 1), "reports": 4 * len(chosen) + 1, **result})
    import pandas as pd

    lines += ["## `python -m analysis national`: every province's four reports and the national comparison", "",
              markdown(pd.DataFrame(rows)), "",
              "Target (#9): all 34 provinces within 3 minutes, peak memory under 4 GB.", ""]
    if not args.skip_growth:
        found = {f"{k}x": growth(k) for k in (1, 10, 100)}
        steps = ["read and check the sample", "panel", "phase results", "drivers model", "projection"]
        table = pd.DataFrame([{"step": "units", **{size: f"{r['units']:,}" for size, r in found.items()}}]
                             + [{"step": step, **{size: (f"{r[step]:.2f} s, {r[step + '_peak_mb']:,} MB" if step in r
                                                         else f"skipped: design {r['projection design (GB)']} GB")
                                                  for size, r in found.items()}} for step in steps])
        lines += ["## Growth of the analyses in one process (the sample's units repeated)", "",
                  "Seconds per step, and the process's peak memory (MB) after it. The projection fits one GLM per "
                  "track with a level per unit: its dense design grows with units squared, so it is skipped where "
                  "the design alone would pass 4 GB (no province comes near: the largest has 168 communes, 2.6x "
                  "the sample).", "", markdown(table), ""]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
