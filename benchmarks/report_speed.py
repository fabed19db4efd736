"""Speed of the README's report command against running the papermill and nbconvert command lines.

    .venv/bin/python benchmarks/report_speed.py [--runs 5] [--baseline-runs 3]

Times (wall clock, warm environment) `python -m analysis report` on the sample, and the same
notebooks run one after another with `papermill` then `jupyter nbconvert --to html --no-input`;
then where the time goes: starting a kernel, importing the package, the analyses, rendering.
Results in benchmarks/results/report_speed.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "report_speed.md"
BIN = Path(sys.executable).parent


def _wall(command: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - started


def runner(out: Path) -> float:
    return _wall([sys.executable, "-m", "analysis", "report", "--period", "bench", "--out", str(out)])


def baseline(out: Path) -> float:
    from analysis.runner import notebooks

    started = time.perf_counter()
    for notebook in notebooks():
        executed = out / notebook.name
        subprocess.run([str(BIN / "papermill"), str(notebook), str(executed), "-p", "as_of", "2025-11-14",
                        "--cwd", str(notebook.parent)], check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                       check=True, capture_output=True)
    return time.perf_counter() - started


def parts() -> dict[str, float]:
    """Kernel start-up, imports, the analyses in-process, and HTML rendering, each timed once warm."""
    from jupyter_client.manager import start_new_kernel

    started = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3")
    kernel = time.perf_counter() - started
    client.stop_channels()
    manager.shutdown_kernel(now=True)
    imports = _wall([sys.executable, "-c", "import analysis.analyses.phase_results, analysis.analyses.drivers, analysis.analyses.projection, "
                     "analysis.analyses.outreach, analysis.reports.figures, analysis.reports.phase_report"])
    import pandas as pd

    from analysis.analyses import drivers, outreach, phase_results, projection
    from analysis.config import SAMPLE_DIR
    from analysis.data.dataset import load_data_dir
    from analysis.data.panel import full_panel

    started = time.perf_counter()
    dataset = load_data_dir(SAMPLE_DIR)
    panel = full_panel(dataset, 0.40)
    loading = time.perf_counter() - started
    as_of, deadline = pd.Timestamp("2025-11-14"), pd.Timestamp("2025-12-31")  # as parameters.Params gives them
    started = time.perf_counter()
    phase_results.league_table(dataset, panel, as_of)
    drivers.analyse(dataset, panel, as_of, 0.40)
    projection.project_scenarios(dataset, panel, as_of, deadline, 0.40)
    teams = outreach.Teams(weeks_left=outreach.weeks_between(as_of, deadline))
    outreach.prepare(dataset, panel, as_of, deadline, 0.40, teams)
    analyses = time.perf_counter() - started
    return {"kernel start and stop (one)": kernel, "importing the package (one process)": imports,
            "loading and checking the data (one notebook)": loading, "main analyses of the four notebooks": analyses}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline-runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        runner(Path(folder) / "warm")
        ours = [runner(Path(folder) / f"r{i}") for i in range(args.runs)]
        theirs = [baseline(Path(tempfile.mkdtemp(dir=folder))) for _ in range(args.baseline_runs)]
    pieces = parts()
    ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
    text = ["# Report speed", "", f"Command: `.venv/bin/python benchmarks/report_speed.py --runs {args.runs} "
            f"--baseline-runs {args.baseline_runs}`  ",
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"run {time.strftime('%Y-%m-%d')}. Warm environment, sample data, four notebooks.", "",
            "| what | median (s) | runs |", "|---|---|---|",
            f"| `python -m analysis report` | {ours_median:.1f} | {', '.join(f'{t:.1f}' for t in ours)} |",
            f"| papermill + nbconvert command lines, one notebook after another | {theirs_median:.1f} | "
            f"{', '.join(f'{t:.1f}' for t in theirs)} |",
            f"| speed-up | {theirs_median / ours_median:.2f}x | |", "", "Where the time goes (each timed once):", "",
            "| part | seconds |", "|---|---|", *[f"| {k} | {v:.1f} |" for k, v in pieces.items()], "",
            "Targets (#9): within 10 s (median of 5) and at least 2x faster than the command lines."]
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    notes = old[old.index("\n## ") + 1:] if "\n## " in old else ""  # the recorded notes below the table stay
    RESULTS.write_text("\n".join(text) + "\n" + ("\n" + notes if notes else ""), encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
