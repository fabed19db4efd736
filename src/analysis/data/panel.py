"""The tidy panel: one row per expected unit and report date, with who reported and who did not.

A unit with no row in a report file did not report: its counts stay missing, never zero. Where a
figure must cover every unit, the last report is carried forward, and the row says so
(``carried`` and ``source_date``), so nobody mistakes a gap for a fall.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.campaign import active
from analysis.data.dataset import Dataset
from analysis.errors import DataError


def track_order() -> list[str]:
    """The tracks of the campaign being analysed, in its file's order (the order of every table)."""
    return active().track_ids
COUNTS = ["eligible", "supported", "integrated_central"]


def report_date_on(dataset: Dataset, as_of: pd.Timestamp) -> pd.Timestamp | None:
    """The latest report date on or before ``as_of`` (None when there is none)."""
    dates = [d for d in dataset.report_dates if d <= pd.Timestamp(as_of)]
    return dates[-1] if dates else None


def require_report_date(dataset: Dataset, as_of: pd.Timestamp) -> pd.Timestamp:
    """Like ``report_date_on`` but stop with a clear message when no report is that early."""
    date = report_date_on(dataset, as_of)
    if date is None:
        first = dataset.report_dates[0] if dataset.report_dates else None
        raise DataError(f"no report file is dated on or before {pd.Timestamp(as_of):%Y-%m-%d}",
                        hint=f"choose an as-of date from {first:%Y-%m-%d} on" if first is not None else
                        "add report files to reports/")
    return date


def unit_targets(units: pd.DataFrame, target_rate: float) -> pd.Series:
    """Each unit's target share: its own where the register gives one, else ``target_rate``."""
    return units.set_index("code")["target_rate"].fillna(target_rate)


def full_panel(dataset: Dataset, target_rate: float) -> pd.DataFrame:
    """Every expected unit at every report date, reported or not, with carried-forward counts.

    Columns: code, name, track, unit_type, as_of, reported, carried, source_date, the counts,
    target_rate, rate (supported / eligible) and achievement (supported / (target x eligible)).
    Counts of a unit that has not reported yet stay missing.
    """
    units = dataset.units
    grid = pd.MultiIndex.from_product([units["code"], dataset.report_dates], names=["code", "as_of"])
    reports = dataset.reports.set_index(["code", "as_of"])[COUNTS].reindex(grid)
    reported = reports["supported"].notna()
    source = pd.Series(np.where(reported, grid.get_level_values("as_of"), pd.NaT), index=grid)
    filled = reports.groupby(level="code").ffill()
    out = filled.assign(reported=reported.to_numpy(), source_date=source.groupby(level="code").ffill()).reset_index()
    out["carried"] = ~out["reported"] & out["supported"].notna()
    out = out.merge(units[["code", "name", "track", "unit_type"]], on="code", how="left")
    out["target_rate"] = out["code"].map(unit_targets(units, target_rate))
    return add_rates(out)


def add_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``rate`` and ``achievement``; a unit with zero eligible gets no rate (not 0, not inf)."""
    eligible = frame["eligible"].where(frame["eligible"] > 0)
    frame["rate"] = frame["supported"] / eligible
    frame["achievement"] = frame["rate"] / frame["target_rate"]
    return frame


def snapshot(panel: pd.DataFrame, date: pd.Timestamp | None) -> pd.DataFrame:
    """The panel's rows on one report date (every expected unit); empty when ``date`` is None."""
    if date is None:
        return panel.iloc[0:0]
    return panel[panel["as_of"] == pd.Timestamp(date)].reset_index(drop=True)


def track_totals(snap: pd.DataFrame, carry_forward: bool = False, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Totals per track over the units that reported (or, with ``carry_forward``, their last report).

    With ``by`` (e.g. ``("as_of",)``), one set of totals per value of those columns, in one pass.
    Columns: the ``by`` columns, track, n_expected, n_reported, n_carried, eligible, supported,
    integrated_central, target_rate (eligible-weighted), rate, achievement.
    """
    used = snap["reported"] | (snap["carried"] if carry_forward else False)
    parts = pd.DataFrame({
        **{key: snap[key] for key in by}, "track": snap["track"], "reported": snap["reported"].astype(int),
        "carried": (snap["carried"] & carry_forward).astype(int),
        "eligible": snap["eligible"].where(used).astype(float), "supported": snap["supported"].where(used).astype(float),
        "integrated_central": snap["integrated_central"].where(used).astype(float),
        "weighted_target": (snap["target_rate"] * snap["eligible"]).where(used).astype(float)})
    parts = parts[parts["track"].isin(track_order())]
    groups = parts.groupby([*by, "track"], sort=False)
    totals = pd.DataFrame({
        "n_expected": groups.size(), "n_reported": groups["reported"].sum(), "n_carried": groups["carried"].sum(),
        "eligible": groups["eligible"].sum(), "supported": groups["supported"].sum(),
        "integrated_central": groups["integrated_central"].sum(min_count=1),
        "weighted_target": groups["weighted_target"].sum()}).reset_index()
    if not len(totals):
        return pd.DataFrame(columns=[*by, "track", "n_expected", "n_reported", "n_carried", "eligible", "supported",
                                     "integrated_central", "target_rate", "rate", "achievement"])
    totals["target_rate"] = (totals.pop("weighted_target") / totals["eligible"]).where(totals["eligible"] > 0)
    order = {track: i for i, track in enumerate(track_order())}
    totals = totals.sort_values([*by, "track"], key=lambda c: c.map(order) if c.name == "track" else c,
                                kind="stable").reset_index(drop=True)
    totals = totals.astype({"eligible": "Int64", "supported": "Int64", "integrated_central": "Int64"})
    return add_rates(totals)
