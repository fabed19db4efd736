"""Outreach plan: where door-to-door teams gain the most before the deadline.

For each commune, the expected extra integrations from ``x`` team-weeks are

    gain_i(x) = A_i * (1 - exp(-k_i * x / A_i)),   k_i = capacity_i * response_i

- ``A_i``: the reachable pool still not supported at the deadline without a campaign (eligible
  minus the projection's median, less the share working away, whom door-to-door teams miss);
- ``capacity_i``: people a team can see in a week, a mix of standard visits and the slower
  assisted registrations for the elderly (harmonic mean weighted by the commune's share aged 60+);
- ``response_i``: the share of people seen who integrate, ``success`` scaled by how responsive
  the commune's profile is by the drivers model (its predicted uptake over the average).

Gains are concave (diminishing as the pool shrinks), so giving team-weeks one at a time to the
largest marginal gain maximises the expected province rate exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.campaign import active

WORK_DAYS_PER_WEEK = 5


@dataclass(frozen=True)
class Teams:
    """The means at hand: teams, their pace by kind of visit, the weeks left, a floor per commune."""

    teams: int = 20
    standard_per_day: float = 40.0  # people a team supports per day on a standard visit
    assisted_per_day: float = 15.0  # people a team supports per day with assisted registration
    weeks_left: float = 6.0
    success: float = 0.6  # share of people seen who integrate, for a commune of average profile
    minimum_team_weeks: float = 0.0  # floor for every commune


def commune_inputs(projection: pd.DataFrame, frame: pd.DataFrame, fitted: np.ndarray, teams: Teams) -> pd.DataFrame:
    """Per commune: eligible, the baseline at the deadline (no campaign), the reachable pool,
    weekly capacity and response of a team, and the suggested kind of visit.

    ``projection``: the unit rows of ``projection.project`` (no-campaign scenario); ``frame``: the
    drivers model's commune table; ``fitted``: the model's predicted uptake per commune.
    """
    units = projection[(projection["level"] == "unit") & (projection["track"] == active().outreach_track)]
    table = frame[["code", "name", "eligible", "supported", "share_60plus", "absent_share"]].merge(
        units[["code", "rate_median", "rate_p10", "rate_p90"]], on="code")
    response = np.asarray(fitted) / np.average(fitted, weights=frame["eligible"])
    table["response"] = np.clip(teams.success * pd.Series(response, index=frame["code"]).reindex(table["code"]).to_numpy(),
                                0.05, 1.0)
    elderly = table["share_60plus"].to_numpy()
    per_day = 1 / (elderly / teams.assisted_per_day + (1 - elderly) / teams.standard_per_day)
    table["capacity"] = WORK_DAYS_PER_WEEK * per_day
    reachable = 1 - table["absent_share"].to_numpy()
    for suffix, column in (("", "rate_median"), ("_low", "rate_p90"), ("_high", "rate_p10")):
        table[f"pool{suffix}"] = np.maximum(table["eligible"] * (1 - table[column]) * reachable, 0)
    table["baseline"] = table["eligible"] * table["rate_median"]
    table["visit"] = np.where(elderly >= np.median(elderly), "assisted", "standard")
    return table.reset_index(drop=True)


def gain(pool: np.ndarray, rate: np.ndarray, team_weeks: np.ndarray) -> np.ndarray:
    """Expected extra people supported from ``team_weeks`` (concave; zero for zero weeks or pool)."""
    pool = np.asarray(pool, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pool * (1 - np.exp(-np.asarray(rate, float) * np.asarray(team_weeks, float) / pool))
    return np.where(pool > 0, out, 0.0)


def allocate_greedy(pool: np.ndarray, rate: np.ndarray, budget: int, minimum: float = 0.0) -> np.ndarray:
    """Team-weeks per commune maximising the total expected gain (exact for concave gains)."""
    weeks = np.full(len(pool), float(np.floor(minimum)))
    left = int(budget - weeks.sum())
    if left < 0:
        raise ValueError(f"the floor of {minimum} team-weeks per commune needs {int(weeks.sum())}, more than the {budget} available")
    return _add_greedily(pool, rate, weeks, left)


def _add_greedily(pool: np.ndarray, rate: np.ndarray, weeks: np.ndarray, count: int) -> np.ndarray:
    """Give ``count`` more team-weeks, each to the commune with the largest marginal gain."""
    for _ in range(int(count)):
        marginal = gain(pool, rate, weeks + 1) - gain(pool, rate, weeks)
        weeks[int(np.argmax(marginal))] += 1
    return weeks


def allocate_equal(n: int, budget: int) -> np.ndarray:
    """The same share for every commune (remainder to the first ones)."""
    weeks = np.full(n, budget // n, dtype=float)
    weeks[: budget % n] += 1
    return weeks


def allocate_lowest_first(pool: np.ndarray, rate: np.ndarray, baseline: np.ndarray, eligible: np.ndarray,
                          budget: int) -> np.ndarray:
    """Each team-week to the commune with the lowest expected rate so far (what a planner might do)."""
    weeks = np.zeros(len(pool))
    for _ in range(budget):
        expected = (baseline + gain(pool, rate, weeks)) / eligible
        weeks[int(np.argmin(expected))] += 1
    return weeks


EQUITY_SHARE = 0.25  # the equity option: this share of the team-weeks, equally to this share of the lowest communes


def allocate_equity_floor(pool: np.ndarray, rate: np.ndarray, expected: np.ndarray, budget: int,
                          share: float = EQUITY_SHARE) -> np.ndarray:
    """The equity option: a quarter of the team-weeks shared equally by the quarter of communes with
    the lowest expected rate without a campaign (a floor for the communes furthest behind), the rest
    where they gain the most."""
    weeks = np.zeros(len(pool))
    lowest = np.argsort(expected, kind="stable")[: max(1, int(round(share * len(pool))))]
    weeks[lowest] = allocate_equal(len(lowest), int(share * budget))
    return _add_greedily(pool, rate, weeks, budget - int(weeks.sum()))


def sensitivity(inputs: pd.DataFrame, teams: Teams, target_rate: float, band: dict | None = None,
                success_factors: tuple[float, ...] = (2 / 3, 1.0, 4 / 3),
                capacity_factors: tuple[float, ...] = (0.75, 1.0, 1.25)) -> pd.DataFrame:
    """The optimised plan under other assumptions: the share of people seen who integrate (success),
    what a team can do in a week (capacity), and whether response follows the drivers model or is
    the same everywhere. Per case: the expected gain and residents' rate at the deadline, the
    communes at target and those that get no team, and how many of the proposed plan's communes
    with a team keep one. The rate starts, as in ``compare_plans``, from the projection's median
    (``band``), so that the middle case's rate is the proposed plan's. Empty when there are no inputs."""
    if inputs.empty:
        return pd.DataFrame()
    pool, eligible, baseline = inputs["pool"].to_numpy(), inputs["eligible"].to_numpy(), inputs["baseline"].to_numpy()
    projected = _projected(band or {}, baseline, eligible)
    budget = budget_of(teams)
    modelled = inputs["response"].to_numpy() / teams.success  # the drivers model's multiplier
    proposed = allocate_greedy(pool, (inputs["capacity"] * inputs["response"]).to_numpy(), budget,
                               teams.minimum_team_weeks) > 0
    rows = []
    for response in ("drivers", "flat"):
        for s in success_factors:
            for c in capacity_factors:
                success = min(teams.success * s, 1.0)
                respond = np.clip(success * modelled, 0.05, 1.0) if response == "drivers" else np.full(len(pool), success)
                rate = inputs["capacity"].to_numpy() * c * respond
                weeks = allocate_greedy(pool, rate, budget, teams.minimum_team_weeks)
                gained = gain(pool, rate, weeks)
                rows.append({"response": response, "success": success, "capacity_factor": c,
                             "expected_gain": float(gained.sum()),
                             "expected_rate": float(projected + gained.sum() / eligible.sum()),
                             "units_at_target": int((baseline + gained >= target_rate * eligible).sum()),
                             "units_without_team": int((weeks == 0).sum()),
                             "same_communes": int(((weeks > 0) & proposed).sum())})
    return pd.DataFrame(rows)


def allocate_units(pool: np.ndarray, rate: np.ndarray, baseline: np.ndarray, eligible: np.ndarray,
                   target_rate: float, budget: int) -> np.ndarray:
    """Second objective: as many communes as possible at target (cheapest first), the rest by gain."""
    needed = target_rate * eligible - baseline
    weeks = np.zeros(len(pool))
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = np.where(needed <= 0, 0.0, -pool / rate * np.log(1 - needed / pool))
    cost = np.where(np.isfinite(cost), np.ceil(cost), np.inf)
    left = budget
    for i in np.argsort(cost, kind="stable"):
        if cost[i] <= left:
            weeks[i], left = cost[i], left - cost[i]
    return _add_greedily(pool, rate, weeks, left)


def whole_weeks(teams: Teams) -> int:
    """The whole weeks left, the weeks a plan is made of."""
    return int(np.floor(teams.weeks_left))


def budget_of(teams: Teams) -> int:
    """Team-weeks available: teams x whole weeks left."""
    return teams.teams * whole_weeks(teams)


def plan(inputs: pd.DataFrame, teams: Teams, target_rate: float, objective: str = "rate") -> pd.DataFrame:
    """The recommended plan: team-weeks per commune, teams per week, expected gain with its band,
    expected rate at the deadline and the kind of visit. Objective ``rate`` (province rate) or
    ``units`` (communes at target). Empty when there are no inputs (too little data to model)."""
    if inputs.empty:
        return no_plan(inputs.attrs.get("why", "trend_needs_dates"))
    pool, rate = inputs["pool"].to_numpy(), (inputs["capacity"] * inputs["response"]).to_numpy()
    budget = budget_of(teams)
    if objective == "units":
        weeks = allocate_units(pool, rate, inputs["baseline"].to_numpy(), inputs["eligible"].to_numpy(), target_rate, budget)
    else:
        weeks = allocate_greedy(pool, rate, budget, teams.minimum_team_weeks)
    out = inputs[["code", "name", "eligible", "visit"]].copy()
    out["team_weeks"] = weeks
    out["teams_per_week"] = weeks / max(whole_weeks(teams), 1)
    out["expected_gain"] = gain(pool, rate, weeks)
    out["gain_low"] = gain(inputs["pool_low"].to_numpy(), rate, weeks)
    out["gain_high"] = gain(inputs["pool_high"].to_numpy(), rate, weeks)
    out["rate_without"] = inputs["baseline"] / inputs["eligible"]
    out["expected_rate"] = (inputs["baseline"] + out["expected_gain"]) / inputs["eligible"]
    out["reaches_target"] = out["expected_rate"] >= target_rate
    return out.sort_values(["team_weeks", "expected_gain"], ascending=False).reset_index(drop=True)


def _probability(band: dict, threshold: float) -> float:
    """P(rate >= threshold) from the projection's quantiles (piecewise-linear distribution)."""
    levels = np.array([0.025, 0.10, 0.50, 0.90, 0.975])
    values = np.array([band["rate_p025"], band["rate_p10"], band["rate_median"], band["rate_p90"], band["rate_p975"]])
    if threshold <= values[0]:
        return float(1 - levels[0] * (threshold / values[0] if values[0] > 0 else 1)) if threshold > 0 else 1.0
    if threshold >= values[-1]:
        return 0.0
    return float(1 - np.interp(threshold, values, levels))


def _projected(band: dict, baseline: np.ndarray, eligible: np.ndarray) -> float:
    """The residents' rate at the deadline without a campaign: the projection report's own figure (the
    track's median), else the communes' medians summed."""
    return float(band.get("rate_median", baseline.sum() / eligible.sum()))


def compare_plans(inputs: pd.DataFrame, teams: Teams, target_rate: float, band: dict) -> pd.DataFrame:
    """The optimised plan against equal shares and lowest-rate-first: expected residents' rate at the
    deadline (the projection's median for the residents, plus the plan's expected gain), communes at
    target, and the probability of reaching the target (the projection's band shifted by the gain).
    Empty when there are no inputs."""
    if inputs.empty:
        return pd.DataFrame()
    pool, rate = inputs["pool"].to_numpy(), (inputs["capacity"] * inputs["response"]).to_numpy()
    baseline, eligible = inputs["baseline"].to_numpy(), inputs["eligible"].to_numpy()
    budget = budget_of(teams)
    plans = {"optimised": allocate_greedy(pool, rate, budget, teams.minimum_team_weeks),
             "equity_floor": allocate_equity_floor(pool, rate, baseline / eligible, budget),
             "equal_shares": allocate_equal(len(pool), budget),
             "lowest_rate_first": allocate_lowest_first(pool, rate, baseline, eligible, budget)}
    projected = _projected(band, baseline, eligible)
    rows = [{"plan": "none", "team_weeks": 0, "expected_rate": projected,
             "units_at_target": int((baseline >= target_rate * eligible).sum()),
             "prob_reach_target": _probability(band, target_rate)}]
    for name, weeks in plans.items():
        gained = gain(pool, rate, weeks)
        shift = gained.sum() / eligible.sum()
        rows.append({"plan": name, "team_weeks": int(weeks.sum()), "expected_rate": projected + shift,
                     "units_at_target": int((baseline + gained >= target_rate * eligible).sum()),
                     "prob_reach_target": _probability(band, target_rate - shift)})
    return pd.DataFrame(rows).assign(chance_supported=bool(band.get("chance_supported", True)))  # the projection's


def weeks_between(as_of: pd.Timestamp, deadline: pd.Timestamp) -> float:
    """Weeks from the as-of date to the deadline."""
    return (deadline - as_of).days / 7


def no_plan(why: str) -> pd.DataFrame:
    """An empty table that says why there is no plan (``attrs["why"]``, a label key the report shows)."""
    empty = pd.DataFrame()
    empty.attrs["why"] = why
    return empty


def prepare(dataset, panel: pd.DataFrame, as_of: pd.Timestamp, deadline: pd.Timestamp, target_rate: float, teams: Teams,
            paths: int = 2000, seed: int = 1, out_dir: str | None = None) -> tuple[pd.DataFrame, dict]:
    """The communes' inputs (from the no-campaign projection and the drivers model) and the
    residents' projected band at the deadline. Empty inputs when the models cannot be fitted.

    The no-campaign projection and the drivers model are the run's own (``shared``: computed once,
    read by reports 01 to 04 alike), so with the projection report's ``paths`` and ``seed`` the
    figures are that report's, to the last digit (one projection per run)."""
    from analysis.analyses import projection, shared

    if dataset.campaign.outreach_track is None:
        return no_plan("no_outreach_track"), {}  # the campaign names no track for door-to-door teams
    if len([d for d in dataset.report_dates if d <= as_of]) < projection.MIN_DATES:
        return no_plan("trend_needs_dates"), {}
    no_campaign, _ = shared.no_campaign(dataset, panel, as_of, deadline, target_rate, paths, seed, out_dir)
    analysis = shared.drivers_analysis(dataset, panel, as_of, target_rate, None, out_dir)
    if no_campaign.empty:
        return no_plan("trend_needs_dates"), {}
    if analysis.fit is None:
        return no_plan("no_drivers_model"), {}
    band = no_campaign[(no_campaign["level"] == "track") & (no_campaign["track"] == active().outreach_track)].iloc[0].to_dict()
    fitted = np.asarray(analysis.fit.result.fittedvalues)
    return commune_inputs(no_campaign, analysis.fit.frame, fitted, teams), band
