"""Phase results: where each track and unit stands against the target, and what changed.

Each section of the phase-results report is one function here, DataFrame in, DataFrame out,
and each result is also written as a CSV beside the report. Rates are shares (0.2776), changes
are in percentage points (3.1), counts are people (or patient visits for facilities).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.dataset import Dataset
from analysis.panel import TRACK_ORDER, full_panel, report_date_on, require_report_date, snapshot, track_totals


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
    k = phase_of(phases, pd.Timestamp(as_of))
    if k is None or k == 0:
        return None
    offset = pd.Timestamp(as_of) - phases["start"].iloc[k]
    return min(phases["start"].iloc[k - 1] + offset, phases["end"].iloc[k - 1])


def headline(dataset: Dataset, as_of: pd.Timestamp, target_rate: float,
             panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per track: supported vs eligible vs target on the report date, over the units that reported
    (as published: '13 of 19 agencies'), beside the same with missing units carried forward, and
    the rate at the same point of the previous phase.

    Columns: track, as_of, n_expected, n_reported, eligible, supported, rate, target_rate,
    achievement, gap_to_target (people still needed), integrated_central, cf_n_carried,
    cf_eligible, cf_supported, cf_rate, previous_as_of, previous_rate, change_pp.
    """
    panel = full_panel(dataset, target_rate) if panel is None else panel
    date = require_report_date(dataset, as_of)
    now = track_totals(snapshot(panel, date))
    carried = track_totals(snapshot(panel, date), carry_forward=True).set_index("track")
    previous_date = report_date_on(dataset, comparison_date(dataset.phases, date)) \
        if comparison_date(dataset.phases, date) is not None else None
    before = track_totals(snapshot(panel, previous_date), carry_forward=True)
    before = before.set_index("track") if len(before) else pd.DataFrame(columns=["rate"])
    now.insert(1, "as_of", date)
    gap = np.ceil(now["target_rate"] * now["eligible"].astype(float) - now["supported"].astype(float))
    now["gap_to_target"] = gap.clip(lower=0).astype("Int64")
    for column in ("n_carried", "eligible", "supported", "rate"):
        now[f"cf_{column}"] = now["track"].map(carried[column])
    now["previous_as_of"] = previous_date
    now["previous_rate"] = now["track"].map(before["rate"])
    now["change_pp"] = 100 * (now["rate"] - now["previous_rate"])
    return now.drop(columns=["n_carried"])


def central_status(dataset: Dataset, as_of: pd.Timestamp) -> dict:
    """The national system's view on ``as_of``: latest rate, rank and its change since the phase began,
    and the latest count of integrations it recorded. Missing values are None."""
    central = dataset.central[dataset.central["as_of"] <= pd.Timestamp(as_of)]
    rated = central.dropna(subset=["rate"])
    counted = central.dropna(subset=["integrated_central"])
    out = {"rate": None, "rate_as_of": None, "rank": None, "n_provinces": None, "rank_change": None,
           "rank_before": None, "integrated_central": None, "central_as_of": None}
    if len(rated):
        last = rated.iloc[-1]
        out.update(rate=float(last["rate"]), rate_as_of=last["as_of"], rank=_int(last["rank"]),
                   n_provinces=_int(last["n_provinces"]))
        k = phase_of(dataset.phases, pd.Timestamp(as_of))
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
    return frame.assign(_o=frame["track"].map({t: i for i, t in enumerate(TRACK_ORDER)})).sort_values(
        "_o", kind="stable").drop(columns="_o")
