"""The national comparison: every province ranked by its central rate, its phase change and its projection.

A national data directory holds one data directory per province (``<code>-<slug>/``, e.g.
``96-ca-mau/``) and the national table of central rates, ``provinces.csv``. A single province's
data directory also works: the ranking then comes from its ``provinces.csv`` and only that
province has reported figures and a projection.

Per province the comparison takes, from the national system, the latest central rate and rank
and their change since the current phase began; and, from the province's own reports, the
residents' rate and its change since the same point of the previous phase, and the projection
of the residents' rate at the deadline (probability of reaching the target, median rate) with
no new campaign and with a campaign like the last. A province without data has those columns
empty, never zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.data.campaign import Campaign, activate, active, load_campaign
from analysis.data.dataset import Dataset, load_data_dir, load_provinces
from analysis.data.panel import full_panel
from analysis.data.register import find_province
from analysis.data.register import provinces as register_provinces
from analysis.errors import DataError

_FOLDER = re.compile(r"^(\d{1,2})-")
SUMMARY_COLUMNS = ["rate_now", "change_pp", "prob_no_campaign", "median_no_campaign", "prob_campaign",
                   "median_campaign", "chance_supported", "n_reported", "n_expected"]


def _register_names() -> pd.Series:
    """Every province's name in the register, by its code (as int), in the register's order."""
    return register_provinces().assign(code=lambda t: t["code"].astype(int)).set_index("code")["name"]


@dataclass(frozen=True)
class Province:
    """One province's data directory in a national data set."""

    code: int
    name: str
    folder: Path


def province_folders(national_dir: Path, province: str | int = 96) -> list[Province]:
    """The provinces of a national data directory, in the register's order (``province`` names a
    single province's directory)."""
    national_dir = Path(national_dir)
    if (national_dir / "units.csv").exists() or (national_dir / "units.xlsx").exists():
        found = find_province(province)
        return [Province(int(found["code"]), str(found["name"]), national_dir)]
    register = _register_names()
    out = []
    for folder in sorted(p for p in national_dir.iterdir() if p.is_dir()):
        match = _FOLDER.match(folder.name)
        if not match:
            continue
        code = int(match.group(1))
        if code not in register.index:
            raise DataError(f"the folder name starts with {code}, which is no province code in the register",
                            file=folder.name, hint="name each province's folder <code>-<name>, e.g. 96-ca-mau")
        out.append(Province(code, str(register[code]), folder))
    if not out:
        raise DataError(f"the national data directory {national_dir} holds no province folder",
                        hint="write one data directory per province, named <code>-<name>, e.g. 96-ca-mau")
    out = sorted(out, key=lambda p: list(register.index).index(p.code))
    national_campaign(out)
    return out


def national_campaign(folders: list[Province]) -> Campaign:
    """The campaign of a national data set, made active: every province's ``campaign.toml`` (or its
    absence) must describe the same campaign (its name and tracks; the province and dates may differ)."""
    first = load_campaign(folders[0].folder)
    for province in folders[1:]:
        found = load_campaign(province.folder)
        if found.name != first.name or found.tracks != first.tracks:
            raise DataError(f"this province's campaign is not the one of {folders[0].folder.name}",
                            file=f"{province.folder.name}/campaign.toml",
                            hint="compare provinces on one campaign: give every province folder the same campaign.toml "
                                 "(the province and dates may differ)")
    return activate(first)


def central_rates(national_dir: Path, folders: list[Province]) -> pd.DataFrame:
    """The national table of central rates (as_of, code, name, rate, rank): the national
    directory's ``provinces.csv``, else the first province's."""
    candidates = [Path(national_dir) / "provinces.csv", *[p.folder / "provinces.csv" for p in folders]]
    path = next((c for c in candidates if c.exists()), None)
    if path is None:
        raise DataError("no provinces.csv: the national comparison needs every province's central rate",
                        hint="put the national system's table of province rates in provinces.csv")
    table = load_provinces(path)
    table["code"] = pd.to_numeric(table["code"], errors="coerce").astype("Int64")
    return table


def summary_from_reports(folder: Path) -> dict | None:
    """A province's figures from the CSV files its reports wrote (None when they are missing)."""
    headline, projection = folder / "headline.csv", folder / "projection.csv"
    if not headline.exists() or not projection.exists():
        return None
    return _summary(pd.read_csv(headline, encoding="utf-8-sig"), pd.read_csv(projection, encoding="utf-8-sig"))


def summary_from_data(dataset: Dataset, as_of: pd.Timestamp, deadline: pd.Timestamp, target_rate: float, paths: int = 500) -> dict:
    """A province's figures computed from its data (when its reports were not rendered in this run)."""
    from analysis.analyses import phase_results, projection

    panel = full_panel(dataset, target_rate)
    head = phase_results.headline(dataset, as_of, target_rate, panel)
    table, _ = projection.project_scenarios(dataset, panel, as_of, deadline, target_rate, paths=paths)
    return _summary(head, table)


def _summary(headline: pd.DataFrame, projection: pd.DataFrame) -> dict:
    main = active().main_track
    residents = headline[headline["track"] == main]
    out = dict.fromkeys(SUMMARY_COLUMNS)
    if len(residents):
        row = residents.iloc[0]
        out.update(rate_now=row["rate"], change_pp=row["change_pp"], n_reported=row["n_reported"],
                   n_expected=row["n_expected"])
    if len(projection):
        track = projection[(projection["level"] == "track") & (projection["track"] == main)]
        for scenario, suffix in (("no_campaign", "no_campaign"), ("like_last_campaign", "campaign")):
            rows = track[track["scenario"] == scenario]
            if len(rows):
                out[f"prob_{suffix}"], out[f"median_{suffix}"] = rows["prob_reach"].iloc[0], rows["rate_median"].iloc[0]
        if len(track) and "chance_supported" in track:  # the province's phase has run long enough for a chance
            out["chance_supported"] = bool(track["chance_supported"].all())
    return out


def comparison(rates: pd.DataFrame, folders: list[Province], summaries: dict[int, dict | None], as_of: pd.Timestamp,
               phase_start) -> pd.DataFrame:
    """Every province of the national table, ranked by its latest central rate on ``as_of``.

    Columns: rank, code, province, central_as_of, central_rate, rank_before, rank_change (places
    gained since ``phase_start``), central_change_pp, has_data, folder, and the summary columns
    (residents: rate_now, change_pp, prob_/median_ no_campaign and campaign, n_reported, n_expected).
    """
    rated = rates[rates["as_of"] <= as_of].dropna(subset=["rate"])
    if rated.empty:
        raise DataError(f"provinces.csv has no central rate on or before {as_of:%Y-%m-%d}",
                        hint="choose a later as-of date or add the national system's figures")
    latest = rated[rated["as_of"] == rated["as_of"].max()].copy()
    before = rated[rated["as_of"] < phase_start]
    if len(before):
        start = before[before["as_of"] == before["as_of"].max()].set_index("code")
        latest["rank_before"] = latest["code"].map(start["rank"]).astype("Int64")
        latest["central_change_pp"] = 100 * (latest["rate"] - latest["code"].map(start["rate"]))
    else:
        latest["rank_before"], latest["central_change_pp"] = pd.NA, float("nan")
    latest["rank"] = latest["rank"].astype("Int64")
    latest["rank_change"] = latest["rank_before"] - latest["rank"]
    by_code = {p.code: p for p in folders}
    names = _register_names()
    rows = []
    for row in latest.sort_values(["rank", "name"]).itertuples(index=False):
        code = int(row.code) if pd.notna(row.code) else None
        summary = summaries.get(code) or {}
        rows.append({"rank": row.rank, "code": code, "province": names.get(code, row.name), "central_as_of": row.as_of,
                     "central_rate": row.rate, "rank_before": row.rank_before, "rank_change": row.rank_change,
                     "central_change_pp": row.central_change_pp, "has_data": bool(summary),
                     "folder": by_code[code].folder.name if code in by_code else "",
                     **{c: summary.get(c) for c in SUMMARY_COLUMNS}})
    counts = {"n_reported", "n_expected"}
    kinds = {c: "Int64" if c in counts else "boolean" if c == "chance_supported" else float for c in SUMMARY_COLUMNS}
    return pd.DataFrame(rows).astype(kinds)


def load_province(province: Province, target_rate: float) -> Dataset:
    """One province's data directory, validated (the error names the province's folder)."""
    try:
        return load_data_dir(province.folder, province.code, target_rate)
    except DataError as err:
        raise DataError(f"{province.name} ({province.folder.name}): {err}") from None


def phase_start(folders: list[Province], as_of: pd.Timestamp) -> pd.Timestamp:
    """Start of the campaign phase that holds ``as_of`` (phases are national: the first province's
    ``phases.csv``); the latest phase started by then when ``as_of`` falls between phases."""
    from analysis.data.dataset import _find, load_phases

    phases = load_phases(_find(folders[0].folder, "phases"))
    started = phases[phases["start"] <= as_of]
    return started["start"].max() if len(started) else phases["start"].min()


def provenance(national_dir: Path, folders: list[Province]) -> dict:
    """Where the national figures came from, and whether any province's data are synthetic."""
    from analysis.data.dataset import _provenance

    synthetic = any(_provenance(p.folder).get("synthetic") for p in folders)
    return {"synthetic": synthetic, "source": f"{Path(national_dir).name}/: {len(folders)} × (units, reports/, "
                                              "central, phases) + provinces.csv"}


def summaries(folders: list[Province], reports_dir: str | Path, as_of: pd.Timestamp, deadline: pd.Timestamp, target_rate: float,
              paths: int = 500) -> dict[int, dict]:
    """Each province's figures: from its reports of this run when there are, else from its data."""
    out = {}
    for province in folders:
        found = summary_from_reports(Path(reports_dir) / province.folder.name) if str(reports_dir) else None
        if found is None:
            found = summary_from_data(load_province(province, target_rate), as_of, deadline, target_rate, paths)
        out[province.code] = found
    return out
