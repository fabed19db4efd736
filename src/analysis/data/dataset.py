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

from analysis.data.load import (
    COUNT_COLUMNS,
    PERCENT_COLUMNS,
    TRACKS,
    Table,
    number_convention,
    parse_number,
    read_table,
)
from analysis.data.register import closest_names, find_province, province_wards
from analysis.data.validate import check_counts, check_stated_rates, check_total, falling_counts
from analysis.errors import DataError, Finding
from analysis.text import normalise_text, unit_name_key

_DATE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})$")
COVARIATES = ["share_60plus", "smartphone_rate", "absent_share", "level2_rate"]


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


def _numbers(table: Table, columns: set[str]) -> pd.DataFrame:
    """Parse the numeric columns of a table, stopping at the first cell that is not a number."""
    convention = number_convention(table, columns)
    out = {}
    for column in sorted(columns & set(table.frame.columns)):
        values = []
        for i, cell in enumerate(table.frame[column]):
            if column in COUNT_COLUMNS and isinstance(cell, str) and cell.strip().endswith("%"):
                raise DataError("a count cannot be a percentage", file=table.file, sheet=table.sheet,
                                row=int(table.frame["_row"].iloc[i]), column=column, value=cell,
                                hint="write the number of people, not a share")
            try:
                values.append(parse_number(cell, convention, percent=column in PERCENT_COLUMNS))
            except ValueError:
                raise DataError("not a number", file=table.file, sheet=table.sheet,
                                row=int(table.frame["_row"].iloc[i]), column=column, value=cell,
                                hint="write a number (e.g. 233377 or 27,76%) or leave the cell empty") from None
        out[column] = values
    return pd.DataFrame(out, index=table.frame.index, dtype=float)


def _tracks(table: Table, values: pd.Series) -> pd.Series:
    mapped = values.map(lambda v: TRACKS.get(normalise_text(v)))
    bad = mapped.isna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError("unknown track", file=table.file, sheet=table.sheet,
                        row=int(table.frame["_row"].iloc[i]), column="track", value=values.iloc[i],
                        hint="use residents / facilities / cadres (or dân cư / cơ sở y tế / cán bộ)")
    return mapped


def _duplicates(table: Table, keys: pd.Series, what: str) -> None:
    dup = keys.duplicated(keep="first") & keys.notna()
    if dup.any():
        i = int(dup.to_numpy().argmax())
        first = int(table.frame["_row"].iloc[int((keys == keys.iloc[i]).to_numpy().argmax())])
        raise DataError(f"the same {what} appears twice (also in row {first})", file=table.file,
                        sheet=table.sheet, row=int(table.frame["_row"].iloc[i]), column="name",
                        value=table.frame["name"].iloc[i] if "name" in table.frame else keys.iloc[i],
                        hint="keep one row per unit")


def _code(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None
    text = str(value).strip()
    return text[:-2] if re.fullmatch(r"\d+\.0", text) else text


def _register_code(table: Table, i: int, name: str, wards: pd.DataFrame) -> tuple[str, str]:
    """Code and official name of a commune or ward named in a units file."""
    hit = wards[wards["name"].map(unit_name_key) == unit_name_key(name)]
    if len(hit) == 1:
        return hit["code"].iloc[0], hit["name"].iloc[0]
    candidates = closest_names(name, wards["name"].tolist())
    problem = "several communes/wards of the province have this name" if len(hit) > 1 else \
        "not a commune or ward of the province in the official register"
    raise DataError(problem, file=table.file, sheet=table.sheet, row=int(table.frame["_row"].iloc[i]),
                    column="name", value=name,
                    hint=f"give the official code, or one of: {', '.join(candidates) or 'no close name'}")


def load_units(path: Path, province: pd.Series) -> tuple[pd.DataFrame, list[Finding]]:
    """The register of units expected to report: code, name, track, unit_type, profile, target."""
    frames, findings = [], []
    wards = province_wards(int(province["code"]))
    for table in read_table(path, required=("name",)):
        frame = table.frame
        track_values = frame["track"] if "track" in frame else pd.Series(table.sheet, index=frame.index)
        tracks = _tracks(table, track_values)
        codes, names = [], []
        for i, (code, name, track) in enumerate(zip(frame.get("code", [None] * len(frame)), frame["name"], tracks)):
            code, name = _code(code), str(name).strip()
            if track == "residents" and (code is None or code not in set(wards["code"])):
                code, name = _register_code(table, i, name, wards)
            codes.append(code or unit_name_key(name))
            names.append(name)
        out = pd.DataFrame({"code": codes, "name": names, "track": tracks.to_numpy(),
                            "unit_type": frame.get("unit_type", pd.Series(None, index=frame.index)).to_numpy()})
        numbers = _numbers(table, set(COVARIATES) | {"target_rate"})
        for column in [*COVARIATES, "target_rate"]:
            out[column] = numbers[column].to_numpy() if column in numbers else float("nan")
        _duplicates(table, out["code"], "unit")
        frames.append(out)
        findings += table.findings
    units = pd.concat(frames, ignore_index=True)
    units["unit_type"] = units["unit_type"].astype(object).fillna(units["track"].map({"residents": "commune", "facilities": "facility", "cadres": "agency"}))
    return units, findings


def _resolve(table: Table, i: int, code: str | None, name: object, track: str | None, units: pd.DataFrame) -> str:
    """The register code of one report row, by code, else by name (without prefix or diacritics)."""
    if code is not None and code in units.index:
        return code
    pool = units[units["track"] == track] if isinstance(track, str) else units
    hit = pool.index[pool["name"].map(unit_name_key) == unit_name_key(name)] if name is not None else []
    if len(hit) == 1:
        return hit[0]
    candidates = closest_names(str(name or code), pool["name"].tolist())
    problem = "several registered units have this name" if len(hit) > 1 else "unit not in the units register"
    raise DataError(problem, file=table.file, sheet=table.sheet, row=int(table.frame["_row"].iloc[i]),
                    column="name" if name is not None else "code", value=name if name is not None else code,
                    hint=f"correct the name or code, or add the unit to units.csv; closest registered: "
                         f"{', '.join(candidates) or 'none'}")


def load_report(path: Path, display: str, as_of: pd.Timestamp, units: pd.DataFrame,
                default_target: float = 0.40) -> tuple[pd.DataFrame, list[Finding]]:
    """One report file: the rows of the units that reported on ``as_of``, checked."""
    frames, findings = [], []
    by_code = units.set_index("code")
    for table in read_table(path, display, required=("eligible", "supported")):
        frame = table.frame
        if "code" not in frame and "name" not in frame:
            raise DataError("missing column 'code' or 'name' to say which unit a row is", file=table.file,
                            sheet=table.sheet, hint="add a column 'Mã đơn vị' or 'Tên đơn vị'")
        sheet_track = TRACKS.get(normalise_text(table.sheet)) if table.sheet else None
        tracks = _tracks(table, frame["track"]) if "track" in frame else pd.Series(sheet_track, index=frame.index)
        codes = [_resolve(table, i, _code(c), n, t, by_code) for i, (c, n, t) in enumerate(zip(
            frame.get("code", [None] * len(frame)), frame.get("name", [None] * len(frame)), tracks))]
        table.frame = frame.assign(code=codes, name=[by_code.loc[c, "name"] for c in codes])
        _duplicates(table, table.frame["code"], "unit")
        counts = _numbers(table, COUNT_COLUMNS | {"rate", "achievement", "target_rate"})
        check_counts(counts[[c for c in ("eligible", "supported", "integrated_central") if c in counts]], table)
        rows = pd.concat([table.frame[["code", "name", "_row"]], counts], axis=1).assign(as_of=as_of, file=display)
        if "integrated_central" not in rows:
            rows["integrated_central"] = float("nan")  # optional: often known only for the province
        if "submitted" in table.frame:
            rows["submitted"] = _dates(table, "submitted")
        rows["target_rate"] = rows.get("target_rate", pd.Series(float("nan"), index=rows.index)).fillna(
            rows["code"].map(by_code["target_rate"]))
        findings += table.findings + check_stated_rates(rows.assign(target_rate=rows["target_rate"].fillna(default_target)), table)
        if table.total is not None:
            totals = _numbers(Table(table.file, table.sheet, table.total.to_frame().T.reset_index(drop=True)),
                              {"eligible", "supported", "integrated_central"}).iloc[0]
            findings += check_total(counts, table, totals.to_dict())
        frames.append(rows)
    return pd.concat(frames, ignore_index=True), findings


def _dates(table: Table, column: str) -> pd.Series:
    """A date column: ISO (2025-11-14) or Vietnamese day-first (14/11/2025); empty cells stay NaT."""
    values = table.frame[column].map(lambda v: v.strip() if isinstance(v, str) else v).replace("", None)
    parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    parsed = parsed.fillna(pd.to_datetime(values, format="%d/%m/%Y", errors="coerce"))
    bad = parsed.isna() & values.notna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError("not an ISO date", file=table.file, sheet=table.sheet,
                        row=int(table.frame["_row"].iloc[i]), column=column, value=table.frame[column].iloc[i],
                        hint="write dates as YYYY-MM-DD, e.g. 2025-11-14")
    return parsed


def load_central(path: Path) -> pd.DataFrame:
    """The national system's figures for the province: as_of, integrated_central, rate, rank, n_provinces."""
    table = read_table(path, required=("as_of",))[0]
    numbers = _numbers(table, {"integrated_central", "eligible", "rate", "rank", "n_provinces"})
    central = pd.DataFrame({"as_of": _dates(table, "as_of")})
    for column in ("integrated_central", "eligible", "rate", "rank", "n_provinces"):
        central[column] = numbers[column] if column in numbers else float("nan")
    derived = central["rate"].isna() & central["integrated_central"].notna() & central["eligible"].notna()
    central.loc[derived, "rate"] = central["integrated_central"] / central["eligible"]
    return central.sort_values("as_of", ignore_index=True)


def load_phases(path: Path) -> pd.DataFrame:
    """Campaign phases: name, start, end (inclusive), assumed (dates not published)."""
    table = read_table(path, required=("name", "start", "end"))[0]
    phases = pd.DataFrame({"name": table.frame["name"].str.strip(), "start": _dates(table, "start"),
                           "end": _dates(table, "end")})
    assumed = table.frame.get("assumed", pd.Series("false", index=table.frame.index))
    phases["assumed"] = assumed.map(lambda v: normalise_text(v) in {"true", "1", "yes", "co"}).to_numpy()
    bad = phases["end"] < phases["start"]
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError("the phase ends before it starts", file=table.file, row=int(table.frame["_row"].iloc[i]),
                        column="end", value=table.frame["end"].iloc[i], hint="swap or correct the dates")
    return phases.sort_values("start", ignore_index=True)


def load_provinces(path: Path) -> pd.DataFrame:
    """Every province's central rate by date: as_of, name, rate, rank (rank derived when absent)."""
    table = read_table(path, required=("as_of", "rate"))[0]
    numbers = _numbers(table, {"rate", "rank"})
    out = pd.DataFrame({"as_of": _dates(table, "as_of"), "code": table.frame.get("code"),
                        "name": table.frame.get("name"), "rate": numbers["rate"]})
    out["rank"] = numbers["rank"] if "rank" in numbers else out.groupby("as_of")["rate"].rank(ascending=False, method="min")
    return out


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


def load_data_dir(data_dir: Path, province: str | int = 96, default_target: float = 0.40) -> Dataset:
    """Read and validate a data directory; raise ``DataError`` with file, row and column on bad input.

    A process that reads the same unchanged directory again (the report kernels do, once per
    notebook) gets a copy of what it read before; any change to a file reads it anew.
    """
    import copy

    key = _fingerprint(Path(data_dir), province, default_target)
    if key not in _LOADED:
        dataset = _read_data_dir(Path(data_dir), province, default_target)
        while len(_LOADED) >= _KEEP:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = dataset
    return copy.deepcopy(_LOADED[key])


def _read_data_dir(data_dir: Path, province: str | int, default_target: float) -> Dataset:
    register = find_province(province)
    units_path = _find(data_dir, "units")
    units, findings = load_units(units_path, register)
    files = [{"file": units_path.name, "kind": "units", "as_of": None, "rows": len(units)}]
    frames = []
    for date, path in _report_files(data_dir):
        display = f"reports/{path.name}"
        if date in {f["as_of"] for f in files}:
            raise DataError("two report files have the same date", file=display, hint="keep one file per date")
        rows, found = load_report(path, display, date, units, default_target)
        frames.append(rows)
        findings += found
        files.append({"file": display, "kind": "report", "as_of": date, "rows": len(rows)})
    reports = pd.concat(frames, ignore_index=True)
    findings += falling_counts(reports)
    central_path, provinces_path = _find(data_dir, "central"), _find(data_dir, "provinces", required=False)
    central = load_central(central_path)
    files.append({"file": central_path.name, "kind": "central", "as_of": None, "rows": len(central)})
    phases = load_phases(_find(data_dir, "phases"))
    files.append({"file": "phases.csv", "kind": "phases", "as_of": None, "rows": len(phases)})
    provinces = load_provinces(provinces_path) if provinces_path else None
    if provinces is not None:
        files.append({"file": provinces_path.name, "kind": "provinces", "as_of": None, "rows": len(provinces)})
    return Dataset(data_dir, register, units, reports, central, phases, provinces, pd.DataFrame(files), findings,
                   _provenance(data_dir))


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
