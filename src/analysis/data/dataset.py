"""Load a whole data directory into validated tables: the ``Dataset`` every analysis starts from.

Layout (``docs/data-contract.md``)::

    units.csv | units.xlsx         register of the units expected to report, with their profile
    reports/<YYYY-MM-DD>.csv|.xlsx one compiled report per report date (cumulative counts)
    central.csv | central.xlsx     the national system's (C06) figures for the province, by date
    phases.csv                     campaign phases: name, start, end (inclusive ISO dates)
    provinces.csv                  optional: every province's central rate by date
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.data.campaign import DEFAULT, Campaign, activate, load_campaign
from analysis.data.load import (
    COUNT_COLUMNS,
    Table,
    identifier_columns,
    read_survey,
    read_table,
)
from analysis.data.register import find_province, province_wards
from analysis.data.validate import (
    check_counts,
    check_has_rows,
    check_identifies_units,
    check_phases,
    check_stated_rates,
    check_survey,
    check_total,
    check_tracks,
    check_unique,
    falling_counts,
    match_register,
    match_units,
    parse_dates,
    parse_numbers,
    restored_code,
    unit_code,
    zeros_finding,
)
from analysis.errors import DataError, Finding
from analysis.text import normalise_text, unit_name_key

_DATE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})$")
COVARIATES = ["share_60plus", "smartphone_rate", "absent_share", "level2_rate"]
SURVEY_COLUMNS = ["age_60plus", "has_smartphone", "works_away", "level2", "integrated"]  # survey.csv, all 0/1


@dataclass
class Dataset:
    """Everything read from one data directory, validated.

    ``reports`` has one row per unit and report date that the unit reported (a unit that did
    not report has no row, never a zero); ``files`` says which files were read and how many
    rows each gave; ``findings`` are the data-quality flags for the report.
    """

    data_dir: Path
    province: pd.Series
    units: pd.DataFrame
    reports: pd.DataFrame
    central: pd.DataFrame
    phases: pd.DataFrame
    provinces: pd.DataFrame | None
    files: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)
    survey: pd.DataFrame | None = None  # the optional person-level survey, as covariate cells (load_survey)
    survey_identifiers: list[str] = field(default_factory=list)  # its columns that identify people: never read
    campaign: Campaign = DEFAULT  # campaign.toml's words and tracks (the health book's without one)

    @property
    def report_dates(self) -> list[pd.Timestamp]:
        """Every report date, in order (one per report file)."""
        return sorted(self.reports["as_of"].unique()) if len(self.reports) else []


def _find(data_dir: Path, stem: str, required: bool = True) -> Path | None:
    for suffix in (".csv", ".xlsx"):
        if (data_dir / f"{stem}{suffix}").is_file():
            return data_dir / f"{stem}{suffix}"
    if required:
        raise DataError(f"the data directory {data_dir} has no {stem}.csv or {stem}.xlsx",
                        hint=f"add {stem}.csv (see docs/data-contract.md)")
    return None


def load_units(path: Path, province: pd.Series,
               campaign: Campaign = DEFAULT) -> tuple[pd.DataFrame, list[Finding]]:
    """The register of units expected to report: code, name, track, unit_type, profile, target (a
    unit's own, else its track's own target when the campaign gives one)."""
    frames, findings = [], []
    wards = province_wards(int(province["code"]))
    tables = read_table(path, required=("name",))
    check_has_rows(tables)
    for table in [t for t in tables if len(t.frame)]:
        frame = table.frame
        track_values = frame["track"] if "track" in frame else pd.Series(table.sheet, index=frame.index)
        tracks = check_tracks(table, track_values, campaign)
        register = {t.id for t in campaign.tracks if t.register}
        codes, names, restored = [], [], []
        for i, (code, name, track) in enumerate(zip(frame.get("code", [None] * len(frame)), frame["name"], tracks)):
            code, name = unit_code(code), str(name).strip()
            padded = restored_code(code, list(wards["code"])) if track in register else None
            if padded is not None and padded not in set(frame.get("code", [])):
                restored.append((i, code, padded))
                code = padded
            if track in register and (code is None or code not in set(wards["code"])):
                code, name = match_register(table, i, name, wards)
            codes.append(code or unit_name_key(name))
            names.append(name)
        findings += zeros_finding(table, restored)
        out = pd.DataFrame({"code": codes, "name": names, "track": tracks.to_numpy(),
                            "unit_type": frame.get("unit_type", pd.Series(None, index=frame.index)).to_numpy()})
        numbers = parse_numbers(table, set(COVARIATES) | {"target_rate"})
        for column in [*COVARIATES, "target_rate"]:
            out[column] = numbers[column].to_numpy() if column in numbers else float("nan")
        check_unique(table, out["code"], "unit")
        frames.append(out)
        findings += table.findings
    units = pd.concat(frames, ignore_index=True)
    units["unit_type"] = units["unit_type"].astype(object).fillna(units["track"].map(campaign.unit_kind))
    own = units["track"].map({t.id: t.target for t in campaign.tracks if t.target is not None})
    units["target_rate"] = units["target_rate"].fillna(own)
    return units, findings


def load_report(path: Path, display: str, as_of: pd.Timestamp, units: pd.DataFrame,
                default_target: float = 0.40, campaign: Campaign = DEFAULT) -> tuple[pd.DataFrame, list[Finding]]:
    """One report file: the rows of the units that reported on ``as_of``, checked."""
    frames, findings = [], []
    by_code = units.set_index("code")
    tables = read_table(path, display, required=("eligible", "supported"))
    check_has_rows(tables)
    for table in [t for t in tables if len(t.frame)]:
        frame = table.frame
        check_identifies_units(table)
        sheet_track = campaign.track_of(table.sheet) if table.sheet else None
        tracks = (check_tracks(table, frame["track"], campaign) if "track" in frame
                  else pd.Series(sheet_track, index=frame.index))
        codes, found = match_units(table, tracks, by_code)
        findings += found
        names = by_code["name"].to_dict()
        table.frame = frame.assign(code=codes, name=[names[c] for c in codes])
        check_unique(table, table.frame["code"], "unit")
        counts = parse_numbers(table, COUNT_COLUMNS | {"rate", "achievement", "target_rate"})
        check_counts(counts[[c for c in ("eligible", "supported", "integrated_central") if c in counts]], table)
        rows = pd.concat([table.frame[["code", "name", "_row"]], counts], axis=1).assign(as_of=as_of, file=display)
        if "integrated_central" not in rows:
            rows["integrated_central"] = float("nan")  # optional: often known only for the province
        if "submitted" in table.frame:
            rows["submitted"] = parse_dates(table, "submitted")
        rows["target_rate"] = rows.get("target_rate", pd.Series(float("nan"), index=rows.index)).fillna(
            rows["code"].map(by_code["target_rate"]))
        findings += table.findings + check_stated_rates(rows.assign(target_rate=rows["target_rate"].fillna(default_target)), table)
        if table.total is not None:
            totals = parse_numbers(Table(table.file, table.sheet, table.total.to_frame().T.reset_index(drop=True)),
                              {"eligible", "supported", "integrated_central"}).iloc[0]
            findings += check_total(counts, table, totals.to_dict())
        frames.append(rows)
    return pd.concat(frames, ignore_index=True), findings


def load_central(path: Path) -> pd.DataFrame:
    """The national system's figures for the province: as_of, integrated_central, rate, rank, n_provinces."""
    tables = read_table(path, required=("as_of",))
    check_has_rows(tables)
    table = tables[0]
    numbers = parse_numbers(table, {"integrated_central", "eligible", "rate", "rank", "n_provinces"})
    central = pd.DataFrame({"as_of": parse_dates(table, "as_of")})
    for column in ("integrated_central", "eligible", "rate", "rank", "n_provinces"):
        central[column] = numbers[column] if column in numbers else float("nan")
    derived = central["rate"].isna() & central["integrated_central"].notna() & central["eligible"].notna()
    central.loc[derived, "rate"] = central["integrated_central"] / central["eligible"]
    return central.sort_values("as_of", ignore_index=True)


def load_phases(path: Path) -> pd.DataFrame:
    """Campaign phases: name, start, end (inclusive), assumed (dates not published)."""
    tables = read_table(path, required=("name", "start", "end"))
    check_has_rows(tables)
    table = tables[0]
    phases = pd.DataFrame({"name": table.frame["name"].map(lambda v: v.strip() if isinstance(v, str) else v), "start": parse_dates(table, "start"),
                           "end": parse_dates(table, "end")})
    assumed = table.frame.get("assumed", pd.Series("false", index=table.frame.index))
    phases["assumed"] = assumed.map(lambda v: normalise_text(v) in {"true", "1", "yes", "co"}).to_numpy()
    check_phases(phases, table)
    return phases.sort_values("start", ignore_index=True)


def load_provinces(path: Path) -> pd.DataFrame:
    """Every province's central rate by date: as_of, name, rate, rank (rank derived when absent)."""
    table = read_table(path, required=("as_of", "rate"))[0]
    numbers = parse_numbers(table, {"rate", "rank"})
    out = pd.DataFrame({"as_of": parse_dates(table, "as_of"), "code": table.frame.get("code"),
                        "name": table.frame.get("name"), "rate": numbers["rate"]})
    out["rank"] = numbers["rank"] if "rank" in numbers else out.groupby("as_of")["rate"].rank(ascending=False, method="min")
    return out


def load_survey(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """A person-level survey (one row per person, 0/1 columns) aggregated to covariate cells, and the
    names of its columns that look like identifiers (never read).

    Only the columns of ``SURVEY_COLUMNS`` are read, so ten million rows take little memory.
    Cells' columns: the four covariates, people, integrated.
    """
    people = read_survey(path, SURVEY_COLUMNS)
    check_survey(people, path.name)
    people = people.astype("int8")
    cells = people.groupby(SURVEY_COLUMNS[:-1], observed=True)["integrated"].agg(
        people="size", integrated="sum").reset_index()
    return cells, identifier_columns(path)


def _report_files(data_dir: Path) -> list[tuple[pd.Timestamp, Path]]:
    folder = data_dir / "reports"
    if not folder.is_dir():
        raise DataError(f"the data directory {data_dir} has no reports/ folder",
                        hint="put one file per report date in reports/, named like 2025-11-14.csv")
    files = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".csv", ".xlsx") or path.name.startswith(("~$", ".")):
            continue
        match = _DATE_NAME.match(path.stem)
        date = pd.to_datetime(match.group(1), errors="coerce") if match else pd.NaT
        if pd.isna(date):
            raise DataError("the file name is not a report date", file=f"reports/{path.name}",
                            hint="name each report file by its date, e.g. 2025-11-14.csv")
        files.append((date, path))
    if not files:
        raise DataError(f"{folder} holds no report files", hint="add reports/<YYYY-MM-DD>.csv files")
    return files


_LOADED: dict[tuple, Dataset] = {}  # the last data directories read by this process (see load_data_dir)
_KEEP = 2


def _fingerprint(data_dir: Path, province: str | int, default_target: float) -> tuple:
    """What a data directory's reading depends on: every file's path, size and modification time."""
    files = tuple(sorted((str(p.relative_to(data_dir)), st.st_size, st.st_mtime_ns)
                         for p in data_dir.rglob("*") if p.is_file() and (st := p.stat())))
    return str(data_dir.resolve()), str(province), float(default_target), files


SHARED = ".shared"  # in a run's folder: what one process of the run computed, for the others (this module's
# share_data_dir, analyses.shared); the runner removes it before the folder is put in place


def _shared_path(folder: str | Path, key: tuple) -> Path:
    import hashlib

    return Path(folder) / SHARED / f"dataset-{hashlib.sha256(repr(key).encode()).hexdigest()[:20]}.pickle"


def load_data_dir(data_dir: Path, province: str | int = 96, default_target: float = 0.40,
                  shared: str | Path | None = None) -> Dataset:
    """Read and validate a data directory; raise ``DataError`` with file, row and column on bad input.

    A process that reads the same unchanged directory again (the report kernels do, once per
    notebook) gets a copy of what it read before; any change to a file reads it anew. With
    ``shared`` (a run's folder, the notebooks' ``out_dir``), what the runner read and checked for
    this run (``share_data_dir``) is taken from there instead of being read again, when no file has
    changed since.
    """
    import copy
    import pickle

    key = _fingerprint(Path(data_dir), province, default_target)
    if key not in _LOADED:
        path = _shared_path(shared, key) if shared else None
        if path is not None and path.is_file():
            dataset = pickle.loads(path.read_bytes())
        else:
            dataset = _read_data_dir(Path(data_dir), province, default_target)
        while len(_LOADED) >= _KEEP:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = dataset
    activate(_LOADED[key].campaign, str(_LOADED[key].province["division_type"]))  # the reports' words and tracks
    # follow the data read, and call the province a city where the register does
    return copy.deepcopy(_LOADED[key])


def share_data_dir(data_dir: Path, province: str | int, default_target: float, folder: Path) -> None:
    """Keep what this process read of ``data_dir`` in the run's ``folder`` for the run's kernels
    (``load_data_dir(..., shared=folder)``), so that the files are read and checked once per run."""
    dataset = load_data_dir(data_dir, province, default_target)
    path = _shared_path(folder, _fingerprint(Path(data_dir), province, default_target))
    path.parent.mkdir(parents=True, exist_ok=True)
    keep_pickle(dataset, path)


def keep_pickle(value: object, *paths: Path) -> None:
    """Write ``value`` pickled to each of ``paths``, each whole or not at all (a reader never sees half)."""
    import os
    import pickle

    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    for path in paths:
        partial = path.with_suffix(".partial")
        partial.write_bytes(data)
        os.replace(partial, path)


def _read_data_dir(data_dir: Path, province: str | int, default_target: float) -> Dataset:
    register = find_province(province)
    campaign = load_campaign(data_dir)
    units_path = _find(data_dir, "units")
    units, findings = load_units(units_path, register, campaign)
    files = [{"file": units_path.name, "kind": "units", "as_of": None, "rows": len(units)}]
    frames = []
    for date, path in _report_files(data_dir):
        display = f"reports/{path.name}"
        if date in {f["as_of"] for f in files}:
            raise DataError("two report files have the same date", file=display, hint="keep one file per date")
        rows, found = load_report(path, display, date, units, default_target, campaign)
        frames.append(rows)
        findings += found
        files.append({"file": display, "kind": "report", "as_of": date, "rows": len(rows)})
    reports = pd.concat(frames, ignore_index=True)
    findings += falling_counts(reports)
    central_path, provinces_path = _find(data_dir, "central"), _find(data_dir, "provinces", required=False)
    central = load_central(central_path)
    files.append({"file": central_path.name, "kind": "central", "as_of": None, "rows": len(central)})
    phases_path = _find(data_dir, "phases", required=not campaign.phases)
    phases = load_phases(phases_path) if phases_path else campaign.phase_table()
    files.append({"file": phases_path.name if phases_path else "campaign.toml", "kind": "phases", "as_of": None,
                  "rows": len(phases)})
    provinces = load_provinces(provinces_path) if provinces_path else None
    if provinces is not None:
        files.append({"file": provinces_path.name, "kind": "provinces", "as_of": None, "rows": len(provinces)})
    survey, identifiers = None, []
    if (data_dir / "survey.csv").is_file():
        survey, identifiers = load_survey(data_dir / "survey.csv")
        files.append({"file": "survey.csv", "kind": "survey", "as_of": None, "rows": int(survey["people"].sum())})
    return Dataset(data_dir, register, units, reports, central, phases, provinces, pd.DataFrame(files), findings,
                   _provenance(data_dir), survey, identifiers, campaign)


def _provenance(data_dir: Path) -> dict:
    """The optional ``provenance.json``: where the data came from and whether it is synthetic."""
    path = data_dir / "provenance.json"
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DataError(f"not valid JSON ({err.msg} at line {err.lineno})", file="provenance.json",
                        hint="fix the file or remove it") from None
