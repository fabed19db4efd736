"""Shared fixtures: the sample data set loaded once, the sample reports rendered once (and once more,
independently, for the tests of repeatability), the reports of unit names with markup rendered once,
and warm workers lent to every render the tests start in this process."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import runner
from analysis.config import SAMPLE_DIR
from analysis.data.campaign import DEFAULT, activate
from analysis.data.dataset import load_data_dir
from analysis.parameters import validate_parameters
from analysis.runner import render_reports
from analysis.synthetic.sample import published_figures
from helpers import write_evil_data_dir


@pytest.fixture(autouse=True)
def health_book_campaign():
    """Every test starts with the health book's campaign active (a test that reads another campaign's
    data activates that one: ``load_data_dir`` does)."""
    activate(DEFAULT)
    yield
    activate(DEFAULT)


class LentWorkers:
    """The session's warm workers, lent to every run: a run's ``shutdown`` at its end leaves them for
    the next. Between runs, as between the notebooks of one run, the worker clears its kernel
    (``runner._clear``); what is kept is the imported packages and the started kernels, the 6 s of a
    cold start (the runner's own command starts its own, and the tests that run it as a command see that).
    A pool broken by a worker that died is replaced. Under pytest-xdist (two test processes, one per
    core) each test process lends one worker, so the machine runs no more kernels than it has cores."""

    def __init__(self):
        self.pool, self.start = None, runner.worker_pool  # the runner's own, before it is patched
        self.workers = 1 if os.environ.get("PYTEST_XDIST_WORKER") else None  # None: the runner's own count

    def submit(self, *args, **kwargs):
        from concurrent.futures.process import BrokenProcessPool

        if self.pool is None:
            self.pool = self.start(self.workers)
        try:
            return self.pool.submit(*args, **kwargs)
        except BrokenProcessPool:
            self.pool = self.start(self.workers)
            return self.pool.submit(*args, **kwargs)

    def shutdown(self, *args, **kwargs):
        """A run ends: the workers stay."""

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


@pytest.fixture(scope="session", autouse=True)
def warm_workers():
    """Every run a test starts in this process (``render_reports``, ``render_national``, ``cli.main``, and
    the session's and modules' rendered fixtures) is given the session's warm workers instead of
    starting two of its own."""
    workers = LentWorkers()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "worker_pool", lambda workers_wanted=None: workers)
        yield workers
    workers.close()


@pytest.fixture(scope="session")
def sample():
    """The committed sample data set, loaded and validated."""
    return load_data_dir(SAMPLE_DIR)


@pytest.fixture(scope="session")
def published() -> pd.DataFrame:
    """The published figures of FACTS.md (data/published)."""
    return published_figures()


def file_hashes(folder: Path) -> dict:
    """SHA-256 of every file under ``folder``, by relative path."""
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def sample_hashes_before_rendering() -> dict:
    """The sample's files as they were before the session's first render of them."""
    return file_hashes(SAMPLE_DIR)


def _render(tmp_root: Path, **overrides) -> Path:
    params = validate_parameters(**overrides)
    return render_reports(params, tmp_root, progress=lambda _: None)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, sample_hashes_before_rendering) -> Path:
    """The reports rendered on the sample data with the default parameters (as the README's command)."""
    return _render(tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="session")
def rendered_en(tmp_path_factory, sample_hashes_before_rendering) -> Path:
    """The same reports in English."""
    return _render(tmp_path_factory.mktemp("reports_en"), lang="en")


@pytest.fixture(scope="session")
def rendered_young_phase(tmp_path_factory, sample_hashes_before_rendering) -> Path:
    """The reports two weeks into phase 2, when no chance of reaching the target is given."""
    return _render(tmp_path_factory.mktemp("reports_young"), as_of="2025-08-29")


@pytest.fixture(scope="session")
def rendered_mid_phase(tmp_path_factory, sample_hashes_before_rendering) -> Path:
    """The reports for a mid-phase-2 week."""
    return _render(tmp_path_factory.mktemp("reports_mid"), as_of="2025-10-03")


@pytest.fixture(scope="session")
def rendered_again(tmp_path_factory, rendered) -> tuple[subprocess.CompletedProcess, Path]:
    """The default run once more, independently of ``rendered``: the runner's command in a process of its
    own, ``python -m analysis report --params <rendered>/parameters.yaml``, into a folder of its own.
    The finished command and the period's folder it wrote (check the return code first)."""
    out = tmp_path_factory.mktemp("reports_again")
    run = subprocess.run([sys.executable, "-m", "analysis", "report", "--params", str(rendered / "parameters.yaml"),
                          "--out", str(out)], capture_output=True, text=True, encoding="utf-8")
    return run, out / rendered.name


@pytest.fixture(scope="session")
def evil_reports(tmp_path_factory) -> Path:
    """The reports of the small data directory whose units are named with markup (helpers.EVIL_NAMES)."""
    root = tmp_path_factory.mktemp("evil")
    params = validate_parameters(data_dir=str(write_evil_data_dir(root / "data")), period="evil")
    return render_reports(params, root / "out", progress=lambda _: None)


def published_value(published: pd.DataFrame, figure: str, subject: str) -> float:
    """One published figure."""
    row = published[(published["figure"] == figure) & (published["subject"] == subject)]
    assert len(row) == 1, (figure, subject)
    return float(row["value"].iloc[0])
