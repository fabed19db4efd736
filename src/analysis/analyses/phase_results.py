"""Phase results: where each track and unit stands against the target, and what changed.

Each section of the phase-results report is one function here, DataFrame in, DataFrame out,
and each result is also written as a CSV beside the report. Rates are shares (0.2776), changes
are in percentage points (3.1), counts are people (or patient visits for facilities).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.campaign import active
from analysis.data.dataset import Dataset
from analysis.data.panel import (
    full_panel,
    report_date_on,
    require_report_date,
    snapshot,
    track_totals,
)
from analysis.data.panel import (
    track_order as campaign_tracks,
)


@dataclass(frozen=True)
class Thresholds:
    """Traffic-light thresholds on achievement of target: green at or above ``green``, amber at or
    above ``amber``, red below."""

    green: float = 1.0
    amber: float = 0.75


def phase_of(phases: pd.DataFrame, date: pd.Timestamp) -> int | None:
    """Position of the phase containing ``date`` (None when it falls in no phase)."""
    inside = (phases["start"] <= date) & (phases["end"] >= date)
    return int(np.flatnonzero(inside)[0]) if inside.any() else None


def comparison_date(phases: pd.DataFrame, as_of: pd.Timestamp) -> pd.Timestamp | None:
    """The same point one phase earlier: as many days into the previous phase (capped at its end).

    None when ``as_of`` is in the first phase or in no phase.
    """
    k = phase_of(phases, as_of)
    if k is None or k == 0:
        return None
    offset = as_of - phases["start"].iloc[k]
    return min(phases["start"].iloc[k - 1] + offset, phases["end"].iloc[k - 1])


def headline(dataset: Dataset, as_of: pd.Timestamp, target_rate: float,
             panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per track: supported vs eligible vs target on the report date, over the units that reported
    (as published: '13 of 19 agencies'), beside the same with missing units carried forward, and
    the rate at the same point of the previous phase.

    Columns: track, as_of, n_expected, n_reported, eligible, supported, rate, target_rate,
    achievement, gap_to_target (people still needed), integrated_central, cf_n_carried,
    cf_eligible, cf_supported, cf_rate, cf_gap_to_target (still needed with the units that did not
    report carried at their last report: counts only grow, so the shortfall's upper bound over those
    units), n_never (units with no report at all, in no bound), previous_as_of, previous_rate, change_pp.
    """
    panel = full_panel(dataset, target_rate) if panel is None else panel
    date = require_report_date(dataset, as_of)
    now = track_totals(snapshot(panel, date))
    carried = track_totals(snapshot(panel, date), carry_forward=True).set_index("track")
    previous_date = _previous_report_date(dataset, date)
    before = track_totals(snapshot(panel, previous_date), carry_forward=True)
    before = before.set_index("track") if len(before) else pd.DataFrame(columns=["rate"])
    now.insert(1, "as_of", date)
    gap = np.ceil(now["target_rate"] * now["eligible"].astype(float) - now["supported"].astype(float))
    now["gap_to_target"] = gap.clip(lower=0).astype("Int64")
    for column in ("n_carried", "eligible", "supported", "rate"):
        now[f"cf_{column}"] = now["track"].map(carried[column])
    cf_gap = np.ceil(now["target_rate"] * now["cf_eligible"].astype(float) - now["cf_supported"].astype(float))
    now["cf_gap_to_target"] = cf_gap.clip(lower=0).astype("Int64")
    now["n_never"] = (now["n_expected"] - now["n_reported"] - now["cf_n_carried"]).astype(int)
    now["previous_as_of"] = previous_date
    now["previous_rate"] = now["track"].map(before["rate"])
    now["change_pp"] = 100 * (now["rate"] - now["previous_rate"])
    return now.drop(columns=["n_carried"])


def period_change(headline: pd.DataFrame, previous_report: str) -> pd.DataFrame | None:
    """Each track's rate against the previous period's report (its ``headline.csv``); None without one.

    Columns: track, previous_period (the folder's name), previous_as_of, previous_rate, change_pp.
    """
    if not previous_report:
        return None
    folder = Path(previous_report)
    before = pd.read_csv(folder / "headline.csv", encoding="utf-8-sig", usecols=["track", "as_of", "rate"])
    before = before.set_index("track")
    out = headline[["track"]].assign(previous_period=folder.name)
    out["previous_as_of"] = pd.to_datetime(out["track"].map(before["as_of"]))
    out["previous_rate"] = out["track"].map(before["rate"])
    out["change_pp"] = 100 * (headline["rate"] - out["previous_rate"])
    return out.dropna(subset=["previous_rate"]).reset_index(drop=True)


def central_status(dataset: Dataset, as_of: pd.Timestamp) -> dict:
    """The national system's view on ``as_of``: latest rate, rank and its change since the phase began,
    and the latest count of integrations it recorded. Missing values are None."""
    central = dataset.central[dataset.central["as_of"] <= as_of]
    rated = central.dropna(subset=["rate"])
    counted = central.dropna(subset=["integrated_central"])
    out = {"rate": None, "rate_as_of": None, "rank": None, "n_provinces": None, "rank_change": None,
           "rank_before": None, "integrated_central": None, "central_as_of": None}
    if len(rated):
        last = rated.iloc[-1]
        out.update(rate=float(last["rate"]), rate_as_of=last["as_of"], rank=_int(last["rank"]),
                   n_provinces=_int(last["n_provinces"]))
        k = phase_of(dataset.phases, as_of)
        start = dataset.phases["start"].iloc[k] if k is not None else None
        before = rated[rated["as_of"] < start].dropna(subset=["rank"]) if start is not None else rated.iloc[0:0]
        if len(before) and out["rank"] is not None:
            out["rank_before"] = _int(before["rank"].iloc[-1])
            out["rank_change"] = out["rank_before"] - out["rank"]
    if len(counted):
        out.update(integrated_central=int(counted["integrated_central"].iloc[-1]),
                   central_as_of=counted["as_of"].iloc[-1])
    return out


def _int(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def central_table(status: dict) -> pd.DataFrame:
    """``central_status`` as a one-row table, for its CSV."""
    return pd.DataFrame([status])


def track_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered residents, facilities, cadres."""
    return frame.assign(_o=frame["track"].map({t: i for i, t in enumerate(campaign_tracks())})).sort_values(
        "_o", kind="stable").drop(columns="_o")


def files_read(dataset: Dataset, as_of: pd.Timestamp) -> pd.DataFrame:
    """The files read (``Dataset.files``) and whether each goes into this period's figures (``used``):
    a unit report dated after the as-of date is read and checked with the others, but not used."""
    dates = pd.to_datetime(dataset.files["as_of"])
    return dataset.files.assign(used=dates.isna() | (dates <= pd.Timestamp(as_of)))


def monitoring_series(panel: pd.DataFrame) -> pd.DataFrame:
    """Cumulative rate by report date and track, missing units' last report carried forward.

    Columns: as_of, track, n_reported, n_carried, eligible, supported, rate. Carrying forward
    keeps a unit that skipped a week from showing as a fall of its track.
    """
    series = track_totals(panel, carry_forward=True, by=("as_of",))
    return series[["as_of", "track", "n_reported", "n_carried", "eligible", "supported", "rate"]]


def target_line(phases: pd.DataFrame, deadline: pd.Timestamp, target_rate: float) -> pd.DataFrame:
    """The straight line from 0 at the campaign's start to the target at the deadline."""
    start = phases["start"].min()
    return pd.DataFrame({"as_of": [start, deadline], "rate": [0.0, target_rate]})


def _status(achievement: float, thresholds: Thresholds) -> str:
    if pd.isna(achievement):
        return "none"
    return "green" if achievement >= thresholds.green else "amber" if achievement >= thresholds.amber else "red"


def league_table(dataset: Dataset, panel: pd.DataFrame, as_of: pd.Timestamp,
                 thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """Every unit on the report date: rate, achievement of target, rank in its track, change
    since the same point of the previous phase, and a traffic-light status.

    A unit that did not report has no rate and no rank (status ``none``), never a zero.
    Columns: track, rank, code, name, unit_type, reported, eligible, supported, rate,
    target_rate, achievement, previous_rate, change_pp, status, position (top/bottom/'').
    """
    date = require_report_date(dataset, as_of)
    now = snapshot(panel, date)
    before = snapshot(panel, _previous_report_date(dataset, date))
    table = now[["track", "code", "name", "unit_type", "reported", "eligible", "supported", "rate",
                 "target_rate", "achievement"]].copy()
    for column in ("eligible", "supported"):
        table[column] = table[column].where(table["reported"]).astype("Int64")
    table[["rate", "achievement"]] = table[["rate", "achievement"]].where(table["reported"])
    table["previous_rate"] = table["code"].map(before.set_index("code")["rate"]) if len(before) else np.nan
    table["change_pp"] = 100 * (table["rate"] - table["previous_rate"])
    table["status"] = [_status(a, thresholds) for a in table["achievement"]]
    table["rank"] = table.groupby("track")["achievement"].rank(ascending=False, method="min").astype("Int64")
    table = track_order(table.sort_values(["achievement", "name"], ascending=[False, True], na_position="last"))
    table["position"] = ""
    for _, group in table[table["reported"]].groupby("track"):
        k = min(3, len(group) // 4)
        table.loc[group.index[:k], "position"] = "top"
        table.loc[group.index[len(group) - k:] if k else [], "position"] = "bottom"
    return table[["track", "rank", "code", "name", "unit_type", "reported", "eligible", "supported", "rate",
                  "target_rate", "achievement", "previous_rate", "change_pp", "status", "position"]]


def _previous_report_date(dataset: Dataset, date: pd.Timestamp) -> pd.Timestamp | None:
    compare = comparison_date(dataset.phases, date)
    return report_date_on(dataset, compare) if compare is not None else None


def unit_type_summary(league: pd.DataFrame) -> pd.DataFrame:
    """Distribution of unit rates by track and unit type: count, pooled rate, quartiles, range,
    and how many units are at target. Units that did not report are counted apart."""
    rows = []
    for (track, unit_type), group in league.groupby(["track", "unit_type"], sort=False):
        rated = group.dropna(subset=["rate"])
        eligible = rated["eligible"].sum()
        rows.append({
            "track": track, "unit_type": unit_type, "n_units": len(group), "n_reported": len(rated),
            "pooled_rate": rated["supported"].sum() / eligible if eligible else np.nan,
            "min_rate": rated["rate"].min(), "q1_rate": rated["rate"].quantile(0.25),
            "median_rate": rated["rate"].median(), "q3_rate": rated["rate"].quantile(0.75),
            "max_rate": rated["rate"].max(), "n_at_target": int((rated["achievement"] >= 1).sum()),
        })
    return track_order(pd.DataFrame(rows))


def funnel(headline: pd.DataFrame, status: dict) -> pd.DataFrame:
    """Eligible -> supported -> recorded centrally, per track, and the national system's count for the province.

    Per-track central figures are the sum of the units' own where they exist. The province row holds
    only the national system's count (``central``): the tracks count different things (residents
    are people, facilities count patient visits), so their supported figures are never added into
    one, and the province row has no supported count, rate or conversion. Columns: level, eligible,
    supported, integrated_central, supported_rate, central_conversion (central / supported).
    """
    tracks = headline[headline["track"].isin(active().projected)]
    rows = [{"level": r["track"], "eligible": r["eligible"], "supported": r["supported"],
             "integrated_central": r["integrated_central"]} for _, r in tracks.iterrows()]
    rows.append({"level": "province", "eligible": pd.NA, "supported": pd.NA,
                 "integrated_central": status["integrated_central"] if status["integrated_central"] is not None else pd.NA})
    table = pd.DataFrame(rows).astype({"eligible": "Int64", "supported": "Int64", "integrated_central": "Int64"})
    table["supported_rate"] = table["supported"] / table["eligible"]
    table["central_conversion"] = table["integrated_central"] / table["supported"].where(table["supported"] > 0)
    return table.astype({"supported_rate": float, "central_conversion": float})


def central_quadrants(panel: pd.DataFrame, as_of: pd.Timestamp,
                      thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """Units with their own central figure, sorted into four kinds of problem (WHO coverage/drop-out style).

    Supported is high when achievement reaches the amber threshold; conversion (central /
    supported) is high when it reaches the pooled conversion of all such units. Quadrants:
    ``on_track`` (both high), ``data_exchange`` (supported but not recorded: the bottleneck),
    ``outreach`` (recorded well, too few supported), ``both``. Empty when no unit has a central figure.
    """
    date = panel.loc[panel["as_of"] <= as_of, "as_of"].max()
    snap = panel[(panel["as_of"] == date) & panel["reported"]].dropna(subset=["integrated_central"])
    snap = snap[snap["supported"] > 0]
    if snap.empty:
        return pd.DataFrame(columns=["track", "code", "name", "rate", "achievement", "conversion", "quadrant"])
    pooled = snap["integrated_central"].sum() / snap["supported"].sum()
    out = snap[["track", "code", "name", "rate", "achievement"]].copy()
    out["conversion"] = (snap["integrated_central"] / snap["supported"]).astype(float)
    high_support = out["achievement"] >= thresholds.amber
    high_conversion = out["conversion"] >= pooled
    out["quadrant"] = np.select([high_support & high_conversion, high_support, high_conversion],
                                ["on_track", "data_exchange", "outreach"], "both")
    out["pooled_conversion"] = pooled
    return track_order(out.sort_values(["quadrant", "conversion"])).reset_index(drop=True)


def reporting_completeness(dataset: Dataset, panel: pd.DataFrame, as_of: pd.Timestamp,
                           grace_days: int = 2) -> pd.DataFrame:
    """Expected vs reported units per report date and track, on time vs late, and who is missing.

    A report is late when its ``submitted`` date is more than ``grace_days`` after the report
    date (only where the files carry a submitted date; otherwise n_on_time/n_late are empty).
    Report dates after ``as_of`` are left out. Columns: as_of, track, n_expected, n_reported,
    completeness, n_on_time, n_late, missing.
    """
    submitted = dataset.reports.set_index(["code", "as_of"]).get("submitted")
    rows = []
    upto = panel[panel["as_of"] <= as_of]
    for (date, track), group in upto.groupby(["as_of", "track"], sort=True):
        reported = group[group["reported"]]
        row = {"as_of": date, "track": track, "n_expected": len(group), "n_reported": len(reported),
               "completeness": len(reported) / len(group), "n_on_time": pd.NA, "n_late": pd.NA,
               "missing": "; ".join(sorted(group.loc[~group["reported"], "name"]))}
        if submitted is not None:
            sent = submitted.reindex(list(zip(reported["code"], reported["as_of"])))
            late = (sent - date).dt.days > grace_days
            row.update(n_on_time=int((~late & sent.notna()).sum()), n_late=int(late.sum()))
        rows.append(row)
    return track_order(pd.DataFrame(rows)).sort_values(["as_of"], kind="stable").reset_index(drop=True)


def non_reporters(dataset: Dataset, panel: pd.DataFrame, as_of: pd.Timestamp, stop_after: int = 3) -> pd.DataFrame:
    """The units that did not report on the report date, and how long they have been silent.

    ``kind`` is ``never`` (no report at all), ``stopped`` (silent for at least ``stop_after``
    report dates) or ``missed`` (a recent gap). Columns: track, code, name, unit_type, kind,
    last_reported, missed_reports, last_supported (their last reported count, carried forward).
    """
    date = require_report_date(dataset, as_of)
    upto = panel[panel["as_of"] <= date]
    now = snapshot(panel, date)
    missing = now[~now["reported"]]
    rows = []
    for _, unit in missing.iterrows():
        history = upto[upto["code"] == unit["code"]]
        reported = history[history["reported"]]
        last = reported["as_of"].max() if len(reported) else pd.NaT
        missed = int((history["as_of"] > last).sum()) if pd.notna(last) else len(history)
        kind = "never" if pd.isna(last) else "stopped" if missed >= stop_after else "missed"
        rows.append({"track": unit["track"], "code": unit["code"], "name": unit["name"],
                     "unit_type": unit["unit_type"], "kind": kind, "last_reported": last,
                     "missed_reports": missed, "last_supported": unit["supported"]})
    columns = ["track", "code", "name", "unit_type", "kind", "last_reported", "missed_reports", "last_supported"]
    table = pd.DataFrame(rows, columns=columns)
    return track_order(table).astype({"last_supported": "Int64"}).reset_index(drop=True) if len(table) else table


def _robust_z(values: pd.Series, groups: list[pd.Series]) -> pd.Series:
    """|x - median| / (1.4826 MAD) within groups; NaN where the spread is zero."""
    median = values.groupby(groups).transform("median")
    mad = 1.4826 * (values - median).abs().groupby(groups).transform("median")
    return (values - median).abs() / mad.where(mad > 0)


def data_quality(dataset: Dataset, panel: pd.DataFrame, as_of: pd.Timestamp, robust_z: float = 6.0,
                 min_jump_pp: float = 5.0) -> pd.DataFrame:
    """Every data-quality finding, plus weekly jumps far out of a unit's usual range.

    The robust rule: a unit's weekly change in achievement between consecutive reports is flagged when
    it lies more than ``robust_z`` scaled median absolute deviations from the unit's own median
    change *and* from the changes of the other units of its track on that date (so a campaign
    pulse that lifts every unit is not an anomaly), and exceeds ``min_jump_pp`` points of target.
    Findings dated after ``as_of`` are left out. Columns: kind, unit_code, unit_name, as_of,
    file, sheet, row, column, value, detail.
    """
    cutoff = as_of
    found = [f.as_dict() for f in dataset.findings if f.as_of is None or pd.Timestamp(f.as_of) <= cutoff]
    reported = panel[panel["reported"] & (panel["as_of"] <= cutoff)].sort_values(["code", "as_of"])
    weeks = reported.groupby("code")["as_of"].diff().dt.days / 7  # a skipped week is not a jump
    jump = 100 * reported.groupby("code")["achievement"].diff() / weeks
    own = _robust_z(jump, [reported["code"]])
    peers = _robust_z(jump, [reported["as_of"], reported["track"]])
    usual = jump.groupby(reported["code"]).transform("median")
    flagged = reported[(own > robust_z) & (peers > robust_z) & (jump.abs() > min_jump_pp)]
    for idx, row in flagged.iterrows():
        found.append({"kind": "unusual_jump", "unit_code": row["code"], "unit_name": row["name"],
                      "as_of": f"{row['as_of']:%Y-%m-%d}", "column": "achievement", "value": round(jump[idx], 2),
                      "reference": round(usual[idx], 2),
                      "detail": f"{jump[idx]:+.1f} pts of target a week vs usual {usual[idx]:+.1f}"})
    columns = ["kind", "unit_code", "unit_name", "as_of", "file", "sheet", "row", "column", "value", "reference", "detail"]
    return pd.DataFrame(found, columns=columns).astype({"row": "Int64"})


def action_list(league: pd.DataFrame, panel: pd.DataFrame, as_of: pd.Timestamp, deadline: pd.Timestamp,
                thresholds: Thresholds = Thresholds(), recent_weeks: int = 4) -> pd.DataFrame:
    """Units needing action: below the amber threshold, or slower than the pace the target needs.

    needed_per_week = people still needed / weeks to the deadline; recent_per_week = the
    unit's own pace over the last ``recent_weeks`` weeks. Columns: track, code, name,
    achievement, status, gap, weeks_left, needed_per_week, recent_per_week, pace_ratio, reason.
    """
    date = panel.loc[panel["as_of"] <= as_of, "as_of"].max()
    weeks_left = max((deadline - date).days / 7, 1 / 7)
    start = date - pd.Timedelta(weeks=recent_weeks)
    earlier = panel[panel["as_of"] <= start].sort_values("as_of").groupby("code").last()
    rows = league[league["reported"]].copy()
    rows["gap"] = np.ceil(rows["target_rate"] * rows["eligible"].astype(float) - rows["supported"].astype(float)).clip(lower=0)
    then = rows["code"].map(earlier["supported"]) if len(earlier) else np.nan
    span = (date - rows["code"].map(earlier["as_of"])).dt.days / 7 if len(earlier) else np.nan
    rows["recent_per_week"] = (rows["supported"].astype(float) - then) / span
    rows["weeks_left"] = weeks_left
    rows["needed_per_week"] = rows["gap"] / weeks_left
    rows["pace_ratio"] = rows["needed_per_week"] / rows["recent_per_week"].where(rows["recent_per_week"] > 0)
    behind = (rows["gap"] > 0) & ~(rows["needed_per_week"] <= rows["recent_per_week"])
    low = rows["achievement"] < thresholds.amber
    rows = rows[low | behind]
    rows["reason"] = np.where(low[rows.index], "far_below", "behind_pace")
    columns = ["track", "code", "name", "unit_type", "achievement", "status", "gap", "weeks_left",
               "needed_per_week", "recent_per_week", "pace_ratio", "reason"]
    return rows.sort_values(["track", "gap"], ascending=[True, False])[columns].astype({"gap": "Int64"}).pipe(track_order)


def province_context(dataset: Dataset, as_of: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The province's central rate and rank over time, and every province on the latest date.

    Returns (history: as_of, rate, rank, n_provinces; ranking: name, rate, rank, is_self),
    the ranking empty when ``provinces`` was not given.
    """
    central = dataset.central[(dataset.central["as_of"] <= as_of)].dropna(subset=["rate"])
    history = central[["as_of", "rate", "rank", "n_provinces"]].astype({"rank": "Int64", "n_provinces": "Int64"})
    ranking = pd.DataFrame(columns=["name", "rate", "rank", "is_self"])
    provinces = dataset.provinces
    if provinces is not None and len(provinces[provinces["as_of"] <= as_of]):
        latest = provinces[provinces["as_of"] == provinces.loc[provinces["as_of"] <= as_of, "as_of"].max()]
        own = str(int(dataset.province["code"]))
        ranking = latest.assign(is_self=latest["code"].astype(str).str.strip() == own)
        ranking = ranking.sort_values("rank")[["name", "rate", "rank", "is_self"]].astype({"rank": "Int64"})
    return history.reset_index(drop=True), ranking.reset_index(drop=True)
