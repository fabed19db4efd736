"""Results that several notebooks of one run need, computed once per run.

Report 01 draws the no-campaign projection on its monitoring chart, report 03 is the projection,
report 04 plans from it and from the drivers model of report 02. Computed in each notebook they
would cost the run the same seconds two or three times, and could drift apart. ``once`` computes a
result the first time a notebook asks for it and keeps it twice: in the process (the runner's
kernels run several notebooks each) and, when the notebook writes its tables to a folder
(``out_dir``), as a file in that folder, so that a notebook in another kernel of the same run
reads it instead of computing it again. A kernel that asks while another is computing waits for it
(a lock on the folder). The key holds the data (a hash of the panel and the phases) and every
argument, so a changed file or parameter computes anew.
"""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pandas as pd

from analysis.data.dataset import SHARED, Dataset, keep_pickle

T = TypeVar("T")
_KEPT: dict[str, object] = {}  # this process's results (a kernel's reset keeps imported modules)


def data_key(dataset: Dataset, panel: pd.DataFrame) -> str:
    """A short hash of what the analyses read: the panel (every unit, date and count), the phases, the
    units' register (the drivers read its profiles), the survey, the survey's columns that identify
    people (not read, but named by the report) and the campaign (its tracks' roles)."""
    digest = hashlib.sha256()
    frames = [panel, dataset.phases, dataset.units] + ([dataset.survey] if dataset.survey is not None else [])
    for frame in frames:
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        digest.update(repr(list(frame.columns)).encode())
    digest.update(repr(dataset.campaign).encode())
    digest.update(repr(dataset.survey_identifiers).encode())  # the drivers report names the columns it did not read
    return digest.hexdigest()[:16]


def key_of(name: str, *parts) -> str:
    return f"{name}-" + hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


@contextmanager
def folder_lock(folder: Path):
    """An exclusive lock on ``folder`` across processes (POSIX ``flock`` on the folder's own descriptor,
    so no lock file appears in it); no lock where fcntl is missing (Windows: each kernel computes for
    itself, the results are the same; two runs at once are not serialised)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def once(key: str, out_dir: str | Path | None, compute: Callable[[], T], also: tuple[str, ...] = ()) -> T:
    """``compute()``'s result for ``key``: kept in this process, and shared through ``out_dir`` when
    given. The result is kept under the ``also`` keys too (a request those keys answer as well)."""
    if key in _KEPT:  # a copy: a notebook that changes its tables does not change the next one's
        return copy.deepcopy(_KEPT[key])  # type: ignore[return-value]
    if not out_dir:
        result = compute()
    else:
        folder = Path(out_dir) / SHARED
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{key}.pickle"
        with folder_lock(folder):
            if path.is_file():
                result = pickle.loads(path.read_bytes())
            else:
                result = compute()
                keep_pickle(result, *(folder / f"{name}.pickle" for name in (key, *also)))
    for name in (key, *also):
        while len(_KEPT) >= 8:
            _KEPT.pop(next(iter(_KEPT)))
        _KEPT[name] = result
    return copy.deepcopy(result)


def _projection_keys(dataset: Dataset, panel: pd.DataFrame, as_of, deadline, target_rate: float, intensity: float,
                     paths: int, seed: int) -> tuple[str, str]:
    """The key of every scenario at ``intensity``, and of the no-campaign scenario (which no intensity changes)."""
    common = (data_key(dataset, panel), str(as_of), str(deadline), float(target_rate), int(paths), int(seed))
    return key_of("projection", *common, float(intensity)), key_of("no-campaign", *common)


def projection_scenarios(dataset: Dataset, panel: pd.DataFrame, as_of: pd.Timestamp, deadline: pd.Timestamp,
                         target_rate: float, intensity: float, paths: int, seed: int,
                         out_dir: str | Path | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``projection.project_scenarios``, once per run (reports 01, 03, 04 and the brief quote the same figures)."""
    from analysis.analyses import projection

    every, none = _projection_keys(dataset, panel, as_of, deadline, target_rate, intensity, paths, seed)
    return once(every, out_dir, lambda: projection.project_scenarios(dataset, panel, as_of, deadline, target_rate,
                                                                     intensity, paths, seed), also=(none,))


def no_campaign(dataset: Dataset, panel: pd.DataFrame, as_of: pd.Timestamp, deadline: pd.Timestamp,
                target_rate: float, paths: int, seed: int,
                out_dir: str | Path | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The no-campaign scenario's rows of ``projection_scenarios`` (table, fans): the run's own
    projection whatever intensity report 03 was given (computed with the default one if asked first)."""
    from analysis.analyses import projection
    from analysis.parameters import OPTIONS

    intensity = OPTIONS["intensity"].default
    every, none = _projection_keys(dataset, panel, as_of, deadline, target_rate, intensity, paths, seed)
    table, fans = once(none, out_dir, lambda: projection.project_scenarios(dataset, panel, as_of, deadline,
                                                                           target_rate, intensity, paths, seed),
                       also=(every,))
    if table.empty or "scenario" not in table.columns:
        return table, fans
    return (table[table["scenario"] == "no_campaign"].reset_index(drop=True),
            fans[fans["scenario"] == "no_campaign"].reset_index(drop=True) if "scenario" in fans.columns else fans)


def drivers_analysis(dataset: Dataset, panel: pd.DataFrame, as_of: pd.Timestamp, target_rate: float,
                     scenario, out_dir: str | Path | None):
    """``drivers.analyse`` (``scenario`` None: the default one), once per run (reports 02 and 04)."""
    from analysis.analyses import drivers

    scenario = drivers.Scenario() if scenario is None else scenario
    key = key_of("drivers", data_key(dataset, panel), str(as_of), float(target_rate), repr(scenario))
    return once(key, out_dir, lambda: drivers.analyse(dataset, panel, as_of, target_rate, scenario))
