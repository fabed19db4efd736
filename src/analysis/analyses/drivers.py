"""Drivers of low uptake: which commune characteristics go with lower uptake, and by how much.

The main model is a quasi-binomial GLM on each commune's uptake share (supported / eligible)
with the eligible count as variance weights and the Pearson scale estimated: with thousands of
people per commune, plain binomial standard errors are far too small because communes differ
by more than sampling noise. A beta-binomial likelihood fit is the sensitivity check. Effects
are given in the reader's units: percentage points of uptake for 10 points more of a
covariate, averaged over people (population-weighted) or over communes (typical unit).

These are associations between communes, not effects on individuals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.special import expit
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.numdiff import approx_hess
from statsmodels.tools.tools import add_constant

from analysis.data.dataset import COVARIATES, SURVEY_COLUMNS, Dataset
from analysis.data.panel import require_report_date, snapshot
from analysis.data.validate import check_profiles

STEP = 0.10  # effects are per 10 points (0.10) more of a covariate
Z95 = stats.norm.ppf(0.975)


@dataclass
class DriversFit:
    """A fitted unit-level model: the data it used, the statsmodels result, and what was dropped."""

    frame: pd.DataFrame
    covariates: list[str]
    result: object
    dropped: list[str]

    @property
    def design(self) -> np.ndarray:
        """The design matrix (constant first)."""
        return add_constant(self.frame[self.covariates].to_numpy(float), has_constant="add")


def unit_frame(dataset: Dataset, panel: pd.DataFrame, as_of, track: str | None = None,
               covariates: list[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The units of a track that reported on the report date, with eligible > 0 and their profile.

    Columns: code, name, unit_type, eligible, supported, rate, and the covariates. Stops with a
    message naming the units when a covariate is missing for some of them; a covariate missing
    for every unit (e.g. level-2 accounts not collected) is left out and returned as dropped.
    """
    track = track or dataset.campaign.drivers_track  # default: the campaign's drivers track
    date = require_report_date(dataset, as_of)
    snap = snapshot(panel, date)
    rows = snap[(snap["track"] == track) & snap["reported"] & (snap["eligible"] > 0)]
    wanted = [c for c in (covariates if covariates is not None else COVARIATES)]
    profile = dataset.units.set_index("code")[wanted]
    frame = rows[["code", "name", "unit_type", "eligible", "supported", "rate"]].join(profile, on="code")
    absent = [c for c in wanted if frame[c].isna().all()]
    used = [c for c in wanted if c not in absent]
    check_profiles(frame, used)
    return frame.reset_index(drop=True), absent


def share_glm(successes: pd.Series, totals: pd.Series, design: np.ndarray) -> GLM:
    """Binomial GLM of a share (successes / totals) with the totals as variance weights.

    The one-column form with ``var_weights`` gives the right Pearson scale (the two-column
    success/failure form does not): fit it with ``scale="X2"`` for the quasi-binomial model.
    """
    return GLM(successes / totals, design, family=families.Binomial(), var_weights=totals.to_numpy(float))


def fit_quasi_binomial(frame: pd.DataFrame, covariates: list[str]) -> DriversFit:
    """Binomial GLM on the uptake share with eligible as variance weights, Pearson scale (X2).

    A covariate with no variation across units cannot be estimated: it is left out and named
    in ``dropped``.
    """
    varying = [c for c in covariates if frame[c].nunique() > 1]
    dropped = [c for c in covariates if c not in varying]
    design = add_constant(frame[varying].to_numpy(float), has_constant="add")
    result = share_glm(frame["supported"], frame["eligible"], design).fit(scale="X2")
    return DriversFit(frame, varying, result, dropped)


def fit_binomial(fit: DriversFit) -> object:
    """The same model with the binomial scale fixed at 1 (the too-narrow intervals, for comparison)."""
    return share_glm(fit.frame["supported"], fit.frame["eligible"], fit.design).fit()


def _effect_and_gradient(beta: np.ndarray, design: np.ndarray, weights: np.ndarray, k: int,
                         step: float = STEP) -> tuple[float, np.ndarray]:
    """Weighted mean change in predicted uptake when covariate ``k`` rises by ``step``, and its gradient."""
    shifted = design.copy()
    shifted[:, k] += step
    p0, p1 = expit(design @ beta), expit(shifted @ beta)
    w = weights / weights.sum()
    effect = float(w @ (p1 - p0))
    gradient = (w * p1 * (1 - p1)) @ shifted - (w * p0 * (1 - p0)) @ design
    return effect, gradient


def marginal_effects(beta: np.ndarray, cov: np.ndarray, design: np.ndarray, weights: np.ndarray,
                     names: list[str], step: float = STEP, critical: float = Z95) -> pd.DataFrame:
    """Average effect of ``step`` more of each covariate, in percentage points, with 95% CI (delta method).

    ``weights`` are the eligible counts for the population-weighted effect, ones for the
    typical-unit effect; ``critical`` is the interval's multiplier (Student's t on the residual
    degrees of freedom when the dispersion is estimated). Columns: covariate, effect_pp, se_pp,
    ci_low_pp, ci_high_pp.
    """
    rows = []
    for k, name in enumerate(names, start=1):
        effect, gradient = _effect_and_gradient(beta, design, weights, k, step)
        se = float(np.sqrt(gradient @ cov[: len(beta), : len(beta)] @ gradient))
        rows.append({"covariate": name, "effect_pp": 100 * effect, "se_pp": 100 * se,
                     "ci_low_pp": 100 * (effect - critical * se), "ci_high_pp": 100 * (effect + critical * se)})
    return pd.DataFrame(rows)


@dataclass
class BetaBinomialFit:
    """Maximum-likelihood beta-binomial fit: coefficients, precision phi, and their covariance."""

    params: np.ndarray
    cov: np.ndarray
    phi: float
    converged: bool


def _betabinom_nll(theta: np.ndarray, design: np.ndarray, k: np.ndarray, n: np.ndarray) -> float:
    mu = np.clip(expit(design @ theta[:-1]), 1e-9, 1 - 1e-9)
    phi = np.exp(theta[-1])
    return -float(stats.betabinom.logpmf(k, n, mu * phi, (1 - mu) * phi).sum())


def fit_beta_binomial(fit: DriversFit) -> BetaBinomialFit:
    """Beta-binomial likelihood fit on the same design (scipy's betabinom), started from the GLM."""
    design = fit.design
    k = fit.frame["supported"].to_numpy(float)
    n = fit.frame["eligible"].to_numpy(float)
    rho = max((fit.result.scale - 1) / max(n.mean() - 1, 1), 1e-6)
    start = np.append(np.asarray(fit.result.params), np.log(1 / rho - 1))
    best = optimize.minimize(_betabinom_nll, start, args=(design, k, n), method="BFGS")
    hessian = approx_hess(best.x, _betabinom_nll, args=(design, k, n))
    cov = np.linalg.pinv(hessian)
    return BetaBinomialFit(best.x[:-1], cov, float(np.exp(best.x[-1])), bool(best.success))


def effects_table(fit: DriversFit, beta_binomial: BetaBinomialFit | None = None) -> pd.DataFrame:
    """The effects of 10 more points of each covariate, in percentage points, by model and weighting.

    Rows per covariate and ``model`` (quasi_binomial, beta_binomial, binomial_scale_1) and
    ``weighting`` (population: averaged over people; typical_unit: averaged over communes).
    Columns: covariate, model, weighting, effect_pp, se_pp, ci_low_pp, ci_high_pp, coef, coef_se.
    """
    design, names = fit.design, fit.covariates
    people = fit.frame["eligible"].to_numpy(float)
    units = np.ones(len(fit.frame))
    binomial = fit_binomial(fit)
    t95 = float(stats.t.ppf(0.975, fit.result.df_resid))  # the dispersion is estimated
    models = [("quasi_binomial", np.asarray(fit.result.params), np.asarray(fit.result.cov_params()), t95),
              ("binomial_scale_1", np.asarray(binomial.params), np.asarray(binomial.cov_params()), Z95)]
    if beta_binomial is not None:
        models.insert(1, ("beta_binomial", beta_binomial.params, beta_binomial.cov, Z95))
    frames = []
    for model, beta, cov, critical in models:
        for weighting, weights in (("population", people), ("typical_unit", units)):
            table = marginal_effects(beta, cov, design, weights, names, critical=critical)
            table["coef"] = beta[1: len(names) + 1]
            table["coef_se"] = np.sqrt(np.diag(cov)[1: len(names) + 1])
            frames.append(table.assign(model=model, weighting=weighting))
    out = pd.concat(frames, ignore_index=True)
    return out[["covariate", "model", "weighting", "effect_pp", "se_pp", "ci_low_pp", "ci_high_pp", "coef", "coef_se"]]


def check_scale(fit: DriversFit) -> dict:
    """The estimated dispersion and the Pearson chi2 / residual df it must equal."""
    result = fit.result
    return {"scale": float(result.scale), "pearson_chi2": float(result.pearson_chi2),
            "df_resid": float(result.df_resid), "chi2_over_df": float(result.pearson_chi2 / result.df_resid)}


def scale_table(fit: DriversFit) -> pd.DataFrame:
    """``check_scale`` as a one-row table, for its CSV."""
    return pd.DataFrame([check_scale(fit)])


def diagnostics(fit: DriversFit, worst: int = 5) -> tuple[pd.DataFrame, dict]:
    """Pearson residuals by unit (scaled by the dispersion) and a summary of fit.

    Returns (residuals: code, name, rate, fitted, residual, sorted by |residual|; summary: n_units,
    scale, pseudo_r2 (deviance explained), worst: names of the units explained worst).
    """
    result = fit.result
    residuals = fit.frame[["code", "name", "rate"]].assign(
        fitted=np.asarray(result.fittedvalues), residual=np.asarray(result.resid_pearson) / np.sqrt(result.scale))
    residuals = residuals.reindex(residuals["residual"].abs().sort_values(ascending=False).index).reset_index(drop=True)
    summary = {"n_units": int(result.nobs), "scale": float(result.scale),
               "pseudo_r2": float(1 - result.deviance / result.null_deviance),
               "worst": residuals["name"].head(worst).tolist()}
    return residuals, summary


def facility_types(dataset: Dataset, panel: pd.DataFrame, as_of, reference: str = "hospital") -> pd.DataFrame:
    """Facilities modelled separately: uptake by unit type (quasi-binomial, type as the only factor).

    Columns: unit_type, n_units, rate (fitted, pooled over visits), ci_low, ci_high,
    difference_pp (against ``reference``), diff_low_pp, diff_high_pp.
    """
    none = pd.DataFrame(columns=["unit_type", "n_units", "rate", "ci_low", "ci_high", "difference_pp",
                                 "diff_low_pp", "diff_high_pp"])
    track = dataset.campaign.counting("visits")
    if track is None:  # the campaign has no track of facilities
        return none
    frame, _ = unit_frame(dataset, panel, as_of, track=track, covariates=[])
    types = sorted(frame["unit_type"].unique(), key=lambda t: (t != reference, t))
    if len(types) < 2 or len(frame) < len(types) + 2:  # a dispersion needs residual degrees of freedom
        return none
    design = pd.get_dummies(pd.Categorical(frame["unit_type"], categories=types), drop_first=True).to_numpy(float)
    design = add_constant(design, has_constant="add")
    result = share_glm(frame["supported"], frame["eligible"], design).fit(scale="X2")
    beta, cov = np.asarray(result.params), np.asarray(result.cov_params())
    rows = []
    for i, unit_type in enumerate(types):
        x = np.zeros(len(types))
        x[0] = 1.0
        if i:
            x[i] = 1.0
        eta, se = x @ beta, float(np.sqrt(x @ cov @ x))
        p, p_ref = expit(eta), expit(beta[0])
        diff_grad = p * (1 - p) * x - p_ref * (1 - p_ref) * np.eye(len(types))[0]
        diff_se = float(np.sqrt(diff_grad @ cov @ diff_grad))
        rows.append({"unit_type": unit_type, "n_units": int((frame["unit_type"] == unit_type).sum()), "rate": p,
                     "ci_low": expit(eta - Z95 * se), "ci_high": expit(eta + Z95 * se),
                     "difference_pp": 100 * (p - p_ref), "diff_low_pp": 100 * (p - p_ref - Z95 * diff_se),
                     "diff_high_pp": 100 * (p - p_ref + Z95 * diff_se)})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Scenario:
    """A change of the communes' profile: more smartphones, assisted registration, remote integration."""

    smartphone_gain: float = 0.10  # points of smartphone ownership added (share, capped at 1)
    elderly_assisted: float = 0.50  # share of the elderly whose handicap assisted registration removes
    absent_remote: float = 0.50  # share of absent workers who can integrate remotely


MOST_OUTSIDE = 0.5  # a change that takes more than this share of communes outside the observed range is refused


def _scenario_changes(fit: DriversFit, scenario: Scenario) -> dict[str, tuple[np.ndarray, int]]:
    """Each scenario's covariate values, held within the range the communes cover (a model says
    nothing beyond it), and how many communes the range held back."""
    changes = {"smartphone_rate": lambda v: np.minimum(v + scenario.smartphone_gain, 1.0),
               "share_60plus": lambda v: v * (1 - scenario.elderly_assisted),
               "absent_share": lambda v: v * (1 - scenario.absent_remote)}
    out = {}
    for name, change in changes.items():
        if name in fit.covariates:
            observed = fit.frame[name].to_numpy(float)
            wanted = change(observed)
            held = np.clip(wanted, observed.min(), observed.max())
            out[name] = (held, int((np.abs(held - wanted) > 1e-12).sum()))
    return out


def scenarios(fit: DriversFit, scenario: Scenario = Scenario(), draws: int = 4000, seed: int = 1) -> pd.DataFrame:
    """The province's residents' rate predicted for communes with each changed profile, with 95%
    intervals from coefficient draws: an association across communes, not a measured effect.

    A change is applied only within the range of profiles the communes cover: a commune the change
    would take beyond the observed range is held at its edge (``held`` counts them), and a change
    that would take more than half of the communes outside (halving the share aged 60+ puts every
    commune below the youngest observed) is refused: its rate is empty and ``refused`` is True.
    ``all`` combines the changes, refused when one of them is. The observed rate plus the model's
    predicted change (population-weighted). Columns: scenario, rate, ci_low, ci_high, change_pp,
    held, refused, range_low, range_high (the observed range of the changed covariate).
    """
    rng = np.random.default_rng(seed)
    beta = np.asarray(fit.result.params)
    samples = rng.multivariate_normal(beta, np.asarray(fit.result.cov_params()), size=draws)
    weights = fit.frame["eligible"].to_numpy(float)
    weights = weights / weights.sum()
    observed = float(fit.frame["supported"].sum() / fit.frame["eligible"].sum())
    baseline = expit(fit.design @ samples.T).T @ weights
    base = fit.frame[fit.covariates].copy()
    changes = _scenario_changes(fit, scenario)
    rows = [{"scenario": "today", "rate": observed, "ci_low": observed, "ci_high": observed, "change_pp": 0.0,
             "held": 0, "refused": False, "range_low": np.nan, "range_high": np.nan}]
    cases = []  # (name, the communes' changed covariates, communes held at the range's edge, refused, range)
    for name, (values, held) in changes.items():
        altered = base.copy()
        altered[name] = values
        cases.append((name, altered, held, held > MOST_OUTSIDE * len(base), (float(base[name].min()),
                                                                          float(base[name].max()))))
    combined = base.copy()
    for name, (values, _) in changes.items():
        combined[name] = values
    cases.append(("all", combined, sum(case[2] for case in cases), any(case[3] for case in cases), (np.nan, np.nan)))
    for name, altered, held, refused, span in cases:
        row = {"scenario": name, "rate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "change_pp": np.nan,
               "held": int(held), "refused": bool(refused), "range_low": span[0], "range_high": span[1]}
        if not refused:
            design = add_constant(altered.to_numpy(float), has_constant="add")
            change = expit(design @ samples.T).T @ weights - baseline
            point = float(expit(design @ beta) @ weights - expit(fit.design @ beta) @ weights)
            low, high = np.quantile(change, [0.025, 0.975])
            row.update(rate=observed + point, ci_low=observed + low, ci_high=observed + high, change_pp=100 * point)
        rows.append(row)
    return pd.DataFrame(rows)


BENCHMARK = 0.10  # the benchmark profile: each covariate at the level of the best-placed tenth of communes


def gap_breakdown(fit: DriversFit, target_rate: float, draws: int = 4000, seed: int = 2) -> pd.DataFrame:
    """How far the communes' profile puts the province's residents' rate below a stated benchmark,
    split by covariate so that the parts add up to the whole.

    The benchmark: every commune behind the best-placed tenth of communes on a covariate (10th
    percentile where more of it goes with lower uptake, 90th where with higher) moved to that level
    on each covariate at once; the whole is the predicted rate at the benchmark minus the predicted
    rate today. Each covariate's part is its Shapley value (its average contribution over every
    order of moving the covariates), so the parts sum to the whole exactly, draw by draw. It is an
    association between communes' profiles and their rates, not what a change would achieve, and
    not the gap to the target (``target_gap_pp`` is given beside it for reading).
    Columns: component (``benchmark`` first, then the covariates), pp, ci_low_pp, ci_high_pp, target_gap_pp.
    """
    from itertools import permutations

    rng = np.random.default_rng(seed)
    beta = np.asarray(fit.result.params)
    samples = rng.multivariate_normal(beta, np.asarray(fit.result.cov_params()), size=draws)
    weights = fit.frame["eligible"].to_numpy(float) / fit.frame["eligible"].sum()
    observed = float(fit.frame["supported"].sum() / fit.frame["eligible"].sum())
    current = fit.frame[fit.covariates].to_numpy(float)
    moved = current.copy()
    for j in range(len(fit.covariates)):
        lowers = beta[j + 1] < 0
        best = np.quantile(current[:, j], BENCHMARK if lowers else 1 - BENCHMARK)
        moved[:, j] = np.minimum(current[:, j], best) if lowers else np.maximum(current[:, j], best)

    cache: dict[frozenset, np.ndarray] = {}

    def rate(subset: frozenset) -> np.ndarray:
        if subset not in cache:
            design = current.copy()
            for j in subset:
                design[:, j] = moved[:, j]
            cache[subset] = expit(add_constant(design, has_constant="add") @ samples.T).T @ weights
        return cache[subset]

    k = len(fit.covariates)
    parts = np.zeros((k, draws))
    orders = list(permutations(range(k)))
    for order in orders:
        done: frozenset = frozenset()
        for j in order:
            parts[j] += rate(done | {j}) - rate(done)
            done = done | {j}
    parts = 100 * parts / len(orders)
    whole = parts.sum(axis=0)
    gap = 100 * (target_rate - observed)
    rows = [{"component": "benchmark", "pp": float(np.median(whole)), "ci_low_pp": float(np.quantile(whole, 0.025)),
             "ci_high_pp": float(np.quantile(whole, 0.975)), "target_gap_pp": gap}]
    for j, name in enumerate(fit.covariates):
        rows.append({"component": name, "pp": float(np.median(parts[j])), "ci_low_pp": float(np.quantile(parts[j], 0.025)),
                     "ci_high_pp": float(np.quantile(parts[j], 0.975)), "target_gap_pp": gap})
    return pd.DataFrame(rows)

MIN_CELL = 10

def fit_survey(cells: pd.DataFrame) -> pd.DataFrame:
    """Individual-level logistic model fitted on the cells (identical to the person-level fit).

    Columns: covariate, odds_ratio, or_low, or_high, coef, se.
    """
    keys = SURVEY_COLUMNS[:-1]
    varying = [k for k in keys if cells[k].nunique() > 1]
    design = add_constant(cells[varying].to_numpy(float), has_constant="add")
    result = share_glm(cells["integrated"], cells["people"], design).fit()
    beta, se = np.asarray(result.params)[1:], np.asarray(result.bse)[1:]
    return pd.DataFrame({"covariate": varying, "odds_ratio": np.exp(beta), "or_low": np.exp(beta - Z95 * se),
                         "or_high": np.exp(beta + Z95 * se), "coef": beta, "se": se})


def survey_table(cells: pd.DataFrame) -> pd.DataFrame:
    """Integration rate by cell for the report, cells under ``MIN_CELL`` people suppressed (blank)."""
    table = cells.copy()
    small = table["people"] < MIN_CELL
    table["rate"] = (table["integrated"] / table["people"]).where(~small)
    table[["people", "integrated"]] = table[["people", "integrated"]].astype("Int64").mask(small)
    return table

def survey_assisted(cells: pd.DataFrame, share: float, draws: int = 4000, seed: int = 3) -> pd.DataFrame | None:
    """The assisted-elderly scenario read from the person-level survey (None without one, or when no
    group aged 60+ can be compared).

    Each survey group aged 60+ is compared with the group under 60 that has the same answers on every
    other item (smartphone, working away, level-2 account); ``share`` of the gap between their rates
    is taken as what assisted registration could close (no group is moved down, none past the
    younger group's observed rate: within what the survey saw). A group of either age under
    ``MIN_CELL`` people is left as it is and counted in ``elderly_unmatched``. The survey's own rate
    before and after, with a 95% interval from the groups' rates drawn from their Beta posteriors
    (Jeffreys); an association between people in the survey, not a measured effect.

    Columns: people, elderly, elderly_unmatched, rate, rate_assisted, ci_low, ci_high, change_pp, share.
    """
    others = [k for k in SURVEY_COLUMNS[:-1] if k != "age_60plus"]
    if "age_60plus" not in cells or cells["age_60plus"].nunique() < 2:
        return None
    old, young = cells[cells["age_60plus"] == 1], cells[cells["age_60plus"] == 0]
    pairs = old.merge(young, on=others, how="left", suffixes=("_old", "_young"))
    matched = (pairs["people_old"] >= MIN_CELL) & (pairs["people_young"].fillna(0) >= MIN_CELL)
    if not matched.any():
        return None
    pairs = pairs[matched]
    rng = np.random.default_rng(seed)

    def rates(who: str, n: int | None) -> np.ndarray:
        hits, people = pairs[f"integrated_{who}"].to_numpy(float), pairs[f"people_{who}"].to_numpy(float)
        if n is None:
            return hits / people
        return rng.beta(hits + 0.5, people - hits + 0.5, size=(n, len(pairs)))

    people = float(cells["people"].sum())
    weight = pairs["people_old"].to_numpy(float) / people
    point = float(share * np.maximum(rates("young", None) - rates("old", None), 0.0) @ weight)
    drawn = share * np.maximum(rates("young", draws) - rates("old", draws), 0.0) @ weight
    today = float(cells["integrated"].sum() / people)
    low, high = np.quantile(drawn, [0.025, 0.975])
    elderly = float(old["people"].sum())
    return pd.DataFrame([{"people": int(people), "elderly": int(elderly),
                          "elderly_unmatched": int(elderly - pairs["people_old"].sum()), "rate": today,
                          "rate_assisted": today + point, "ci_low": today + float(low), "ci_high": today + float(high),
                          "change_pp": 100 * point, "share": float(share)}])


@dataclass
class DriversAnalysis:
    """Everything the drivers report shows; a part that cannot be computed is None, and ``notes``
    says why (too few communes for the model, facilities of one type only, no survey)."""

    fit: DriversFit | None = None
    effects: pd.DataFrame | None = None
    scale: pd.DataFrame | None = None
    facility_types: pd.DataFrame | None = None
    scenarios: pd.DataFrame | None = None
    gap: pd.DataFrame | None = None
    residuals: pd.DataFrame | None = None
    summary: dict | None = None
    survey_model: pd.DataFrame | None = None
    survey_cells: pd.DataFrame | None = None
    survey_table: pd.DataFrame | None = None
    survey_scenario: pd.DataFrame | None = None  # the assisted-elderly scenario from the survey (survey_assisted)
    notes: list[str] | None = None


MIN_EXTRA_UNITS = 5  # units needed beyond the number of coefficients to estimate a dispersion


def _fit_units(out: DriversAnalysis, dataset: Dataset, panel: pd.DataFrame, as_of, target_rate: float,
               scenario: Scenario) -> None:
    """The unit-level models of the drivers track, into ``out``; a note where the data cannot carry them."""
    frame, not_collected = unit_frame(dataset, panel, as_of, track=dataset.campaign.drivers_track)
    covariates = [c for c in COVARIATES if c not in not_collected]
    if not_collected:
        out.notes.append(f"not collected: {', '.join(not_collected)}")
    if not covariates:  # the track's units have no profile at all: nothing to relate uptake to
        out.notes.append("no_profiles")
    elif len(frame) >= len(covariates) + 1 + MIN_EXTRA_UNITS:
        fit = fit_quasi_binomial(frame, covariates)
        out.fit, out.scale = fit, scale_table(fit)
        out.effects = effects_table(fit, fit_beta_binomial(fit))
        out.scenarios, out.gap = scenarios(fit, scenario), gap_breakdown(fit, target_rate)
        out.residuals, out.summary = diagnostics(fit)
    else:
        out.notes.append(f"too_few_units:{len(frame)}:{len(covariates) + 1 + MIN_EXTRA_UNITS}")


def analyse(dataset: Dataset, panel: pd.DataFrame, as_of, target_rate: float,
            scenario: Scenario = Scenario()) -> DriversAnalysis:
    """Fit every model of the drivers report; parts without enough data are left empty with a note."""
    out = DriversAnalysis(notes=[])
    if dataset.campaign.drivers_track is None:  # the campaign names no track whose units have profiles
        out.notes.append("no_drivers_track")
    else:
        _fit_units(out, dataset, panel, as_of, target_rate, scenario)
    types = facility_types(dataset, panel, as_of)
    out.facility_types = types if len(types) else None
    if dataset.survey is not None:
        if dataset.survey_identifiers:
            out.notes.append("identifiers_not_read:" + "|".join(dataset.survey_identifiers))
        out.survey_cells = dataset.survey
        out.survey_model = fit_survey(out.survey_cells)
        out.survey_table = survey_table(out.survey_cells)
        out.survey_scenario = survey_assisted(out.survey_cells, scenario.elderly_assisted)
    return out
