"""Will the target be reached by the deadline? A discrete-time hazard model, projected by simulation.

Each week, some of the people not yet supported are supported: the weekly hazard
``h = new / at_risk``, where ``at_risk`` is the unit's eligible people (the ceiling, fixed from
data, not estimated) minus those already supported. Per track, a binomial GLM with a
complementary log-log link models ``cloglog(h)`` with a level per unit, an effect per campaign
phase (the pulses and the stalls), the decay within each phase (``log(1 + weeks since the phase
began)``, one term per phase: a slow phase does not fade like a campaign, and a shared term let
the slow weeks hide a campaign's fade, so that early in a campaign the projection overshot) and
saturation (the share already supported); the number of weeks between reports is an offset, so a
skipped week is no problem, and the dispersion is estimated (quasi-binomial). The coefficients'
covariance is the robust (sandwich) one: the weekly counts vary more than the binomial variance
function says, and the backtest's 95% bands held only with it.

A campaign often takes a few weeks to reach its pull (teams trained, people told). The decay term
alone cannot describe a pull that rises and then fades: fitted through such a start it came out too
flat, and the projection ran high for months (on the backtest's campaigns that take three weeks to
get going). Each phase has a start-up term that passes within a few weeks, estimated once the
phase has run ``WEEKS.start_after`` weeks and only for a phase the data saw begin (the data's
first phase has none); until ``WEEKS.early_warning`` weeks the report warns that the projection
may run high, or low (a campaign that has not yet got going is not in the data), and before
``WEEKS.start_after`` weeks it gives no chance of reaching the target (``chance_supported``).

Shape constraints: saturation is never positive (uptake does not get easier as fewer people
remain: a positive one, fitted on a rising curve, projected everybody supported within years). A
phase's decay is kept at or below zero until the phase has run ``WEEKS.rising_after`` weeks: early
in a campaign a rising pace is the campaign getting going, and extrapolated it overshoots. After
that the data decide: where uptake keeps picking up (word of mouth, as on the backtest's real
curve, U.S. households with a computer), the rise is projected instead of a flat pace.

The weekly counts' noise has two parts, estimated from the squared residuals: a scaled binomial
part and a multiplicative part, a unit's week going better or worse than its trend
(``var(new) = a·μ(1-h) + s²·μ²``). The second makes the share already supported a lagged outcome,
so that the per-unit levels pull the saturation and fade terms off (the bias of fixed effects with
a lagged outcome: the saturation comes out too steep and the projection runs low). The
coefficients are corrected by a parametric bootstrap: ``BOOTSTRAP`` histories simulated from the
fit with the estimated noise, refitted by a few Newton steps, their mean shift subtracted.

Data problems are not uptake. A unit that has not reported lately has had those weeks of uptake
all the same: it is simulated from its last report date (catch-up weeks before the future ones),
not from its stale count as if current. An interval whose cumulative count falls (a restatement:
a count revised down) is left out of the fit, not taken as a week with nobody new; the
projection starts from the revised count.

The model is wrong about the curve's shape more often than its noise says (on curves it does not
assume: a backlog cleared at a campaign's start, campaigns starting unit by unit, a ceiling below
the eligible, a steady capacity-limited pace, a province-wide weekly shock). So each track also
runs a rolling-origin backtest on its own history (``own_errors``): refitted at origins 4, 8 and
13 weeks back and scored against what the units reported later in the same phase, the errors of
its track total beyond the spread the model itself gave become a shift of the track's weekly
hazard, simulated with the paths: a bias, a level per path and a random walk (``Structure``). A
conformal-style calibration on the data at hand: where the model was right on the series' past,
nothing changes.

The hazard model is still one structure. A track's band (its rows in ``project``: what the
reports quote) is therefore a stack (``track_total``, ``mixture``): the hazard model's paths mixed
with those of three simple models of the track's cumulative rate, a pace (the median weekly
increase of the last four weeks, extrapolated), a damped pace (its weekly factor from the current
phase's last eight weeks) and a saturating curve whose ceiling is estimated (logistic in the rate,
at most the eligible, its ceiling drawn from its regression's uncertainty), each with a log-normal
error whose variance grows with the weeks ahead from the model's own rolling-origin errors. The
paths are mixed in proportion to weights from each model's CRPS, relative to the others', on the
series' own past origins in the current phase (``OWN_ORIGINS``); where the models disagree the
band widens. The unit rows stay the hazard model's, and the stack is the no-campaign projection's:
a new campaign's effect is the hazard model's alone. Its constants were tuned on seeds of the
out-of-family processes disjoint from that backtest's (``--seed-offset 1000``).

Uncertainty comes from simulation: coefficient draws from their estimated distribution, the
error about the shape, then weekly counts with both parts of the estimated noise, thousands of
paths per unit. From them: the probability of reaching the target by the deadline, the median
date it is reached, and 80% and 95% bands, for each unit, each track and the province. The
out-of-family backtest supports no probability nearer to 0 or 1 than 5%: the reports show
'below 5%' and 'above 95%' there.

What each of these choices changed on the rolling-origin backtest, and the backtest's current
figures, are recorded in ``benchmarks/results/projection_backtest.md``; the out-of-family
backtest's, before and after, in ``benchmarks/results/projection_backtest_oof.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.optimize import nnls
from scipy.stats import norm
from statsmodels.genmod import families

from analysis.analyses.stages import WEEKS, chance_supported
from analysis.data.dataset import Dataset
from analysis.data.panel import track_order
from analysis.errors import DataError

MIN_DATES = 4
BOOTSTRAP = 20  # simulated histories of the bias correction
START_WEEKS = 1.0  # a phase's start-up effect passes as exp(-weeks / START_WEEKS)
START_SE = 0.5  # largest standard error (link scale) of a start-up effect that is kept
SCENARIOS = ("no_campaign", "like_last_campaign", "custom")
SIM_CELLS = 4_000_000  # paths x units simulated at a time (a block of units), for memory linear in the units
FAMILY = families.Binomial(link=families.links.CLogLog())
OWN_ORIGINS = (4, 8, 13)  # weeks before the last report: the origins of the series' own backtest
OWN_HORIZON = 13  # weeks ahead scored from each of them
OWN_UNITS = 200  # at most this many units (evenly spread) in the series' own backtest, for speed
OWN_PATHS = 200
MIX_MAX_VAR = 0.5  # the largest variance of a model's log error about the shape (a factor 2 either way at 1 sd)


@dataclass(frozen=True)
class Effort:
    """Future effort: ``no_campaign`` (the current phase's effort fades on), ``like_last_campaign``
    (a new campaign as strong as the last, starting next week), or ``custom`` (that campaign with
    its weekly hazard multiplied by ``intensity``)."""

    scenario: str = "no_campaign"
    intensity: float = 1.0


@dataclass(frozen=True)
class Terms:
    """Where each block of a track's coefficients sits in its coefficient vector: a level per unit,
    an effect per phase after the first, a fade per phase, a start-up per phase, saturation. The
    unit levels come first; the others (``shared``) are common to every unit of the track."""

    n_units: int
    n_phases: int

    @property
    def units(self) -> slice:
        return slice(0, self.n_units)

    @property
    def phases(self) -> slice:
        return slice(self.n_units, self.n_units + self.n_phases - 1)

    @property
    def fades(self) -> slice:
        return slice(self.phases.stop, self.phases.stop + self.n_phases)

    @property
    def startups(self) -> slice:
        return slice(self.fades.stop, self.fades.stop + self.n_phases)

    @property
    def saturation(self) -> int:
        return self.startups.stop

    @property
    def size(self) -> int:
        return self.saturation + 1

    @property
    def shared(self) -> slice:
        return slice(self.n_units, self.size)

    def phase(self, k: int) -> int:
        """The effect of phase ``k`` (from 1: the first phase is the baseline)."""
        return self.phases.start + k - 1

    def fade(self, k: int) -> int:
        return self.fades.start + k

    def startup(self, k: int) -> int:
        return self.startups.start + k


@dataclass(frozen=True)
class Design:
    """The design matrix without the units' dummy columns: each row's unit, and the shared terms' columns."""

    unit: np.ndarray  # index of each row's unit level
    shared: np.ndarray  # rows x shared terms

    def keep(self, columns: np.ndarray) -> Design:
        """The same rows with only the shared columns marked in ``columns``."""
        return Design(self.unit, self.shared[:, columns])


@dataclass(frozen=True)
class BlockCov:
    """The sandwich covariance ``H⁻¹ M H⁻¹`` (times ``factor``) of the unit levels and the shared
    terms, kept in blocks. Both the information H and the scores' outer product M have a diagonal
    unit block (each row belongs to one unit): ``D`` and ``Dm`` are those diagonals, ``C`` and
    ``Cm`` the unit-by-shared blocks, ``E``-type blocks enter through ``schur_inv`` (the inverse of
    H's Schur complement on the shared terms) and ``em`` (M's shared block). Memory is linear in the units."""

    d: np.ndarray  # H's unit diagonal
    f: np.ndarray  # D⁻¹ C (units x shared)
    schur_inv: np.ndarray  # (E - C'D⁻¹C)⁻¹
    dm: np.ndarray  # M's unit diagonal
    cm: np.ndarray  # M's unit-by-shared block
    em: np.ndarray  # M's shared block
    factor: float = 1.0

    def scaled(self, factor: float) -> BlockCov:
        return replace(self, factor=self.factor * factor)

    def _score_cross(self) -> np.ndarray:
        """cov(D⁻¹ g_u, y) with g the summed scores and y = g_s - F'g_u: D⁻¹ (Cm - Dm F)."""
        return (self.cm - self.dm[:, None] * self.f) / self.d[:, None]

    def shared_cov(self) -> np.ndarray:
        """The shared terms' covariance: S⁻¹ (K'MK) S⁻¹ with K'MK = Em - Cm'F - F'Cm + F'Dm F."""
        kmk = self.em - self.cm.T @ self.f - self.f.T @ self.cm + self.f.T @ (self.dm[:, None] * self.f)
        return self.factor * (self.schur_inv @ kmk @ self.schur_inv)

    def dense(self) -> np.ndarray:
        """The whole (units + shared)² matrix: for checks on small fits only."""
        shared = self.shared_cov() / self.factor
        cross = self._score_cross() @ self.schur_inv - self.f @ shared  # cov(units, shared)
        units = (np.diag(self.dm / self.d**2) - self._score_cross() @ self.schur_inv @ self.f.T
                 - self.f @ (self._score_cross() @ self.schur_inv).T + self.f @ shared @ self.f.T)
        return self.factor * np.block([[units, cross], [cross.T, shared]])

    def deviations(self, z_units: np.ndarray, z_shared: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Draws of (unit levels, shared terms) minus their mean, from standard normals ``z_units``
        (draws x units) and ``z_shared`` (draws x shared terms): the scores' sum g ~ N(0, M) is drawn
        unit by unit and then the shared part given the units' (M's unit block is diagonal), and
        mapped through H⁻¹ by its blocks, so that the draws are N(0, factor · H⁻¹ M H⁻¹) exactly."""
        seen = self.dm > 0
        ratio = np.where(seen[:, None], self.cm / np.where(seen, self.dm, 1)[:, None], 0.0)
        values, vectors = np.linalg.eigh(self.em - self.cm.T @ ratio)
        g_units = z_units * np.sqrt(self.dm)
        g_shared = g_units @ ratio + z_shared @ (vectors * np.sqrt(np.clip(values, 0, None))).T
        shared = (g_shared - g_units @ self.f) @ self.schur_inv
        units = g_units / self.d - shared @ self.f.T
        root = np.sqrt(self.factor)
        return root * units, root * shared


@dataclass(frozen=True)
class GlmFit:
    """The binomial cloglog GLM of a track's weekly rows, fitted by blocks (``_fit_glm``)."""

    params: np.ndarray  # the unit levels, then the kept shared terms
    fitted: np.ndarray  # the weekly hazard of each row
    scale: float  # the dispersion: Pearson's X² over the residual degrees of freedom
    df_resid: int
    cov: BlockCov  # the robust (sandwich, HC0) covariance of ``params``


@dataclass(frozen=True)
class Structure:
    """The model's error about the curve's shape, from its own rolling-origin errors on the series
    (``own_errors``), simulated as a shift of the track's weekly hazard on the link scale: a level
    per path (mean ``bias``, variance ``level_var``) plus a random walk (variance ``drift_var`` a week)."""

    bias: float = 0.0
    level_var: float = 0.0
    drift_var: float = 0.0
    pairs: int = 0  # (origin, later report) pairs it was estimated from


@dataclass
class HazardFit:
    """A track's fitted hazard model and what the simulation needs from it."""

    track: str
    result: GlmFit  # the fit before the bias correction, with its kept terms only
    terms: Terms
    units: list[str]
    phases: list[str]
    history: pd.DataFrame  # weekly rows used in the fit
    state: pd.DataFrame  # per unit (fitted ones, then stalled ones): eligible, supported, phase, weeks_in_phase
    last_date: pd.Timestamp
    params: np.ndarray  # coefficients laid out by ``terms``, zero for a term left out
    kept: np.ndarray  # which of the ``terms`` were estimated (the others are fixed at zero)
    cov: BlockCov  # covariance of the kept coefficients (the sandwich, widened by the bootstrap's spread)
    week_sd: float = 0.0  # sd of the weekly shock common to all units of the track (link scale)
    week_rho: float = 0.0  # its week-to-week persistence (AR(1) coefficient)
    last_shock: float = 0.0  # the shock of the last report interval, where the future starts from
    count_scale: float = 1.0  # a: the binomial part of the weekly counts' variance, scaled
    unit_week_var: float = 0.0  # s²: variance of a unit's weekly shock on the link scale (multiplicative noise)
    structure: Structure = field(default_factory=lambda: Structure())  # what the series' own backtest says
    # the model misses (``own_errors``)
    mixture: Mixture | None = None  # the stack of the track's rate with simple models (``mixture``)
    # the no-campaign stack's paths by (dates, paths, seed), kept so that a campaign scenario adds its
    # lift to the same paths (``track_total``) without simulating the no-campaign hazard again
    stacks: dict = field(default_factory=dict, repr=False, compare=False)


def _phase_position(phases: pd.DataFrame, dates: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """For each date: index of the latest phase started by then, and weeks since it started."""
    starts = phases["start"].to_numpy()
    index = np.searchsorted(starts, dates.to_numpy(), side="right") - 1
    index = np.clip(index, 0, len(starts) - 1)
    weeks = (dates.to_numpy() - starts[index]) / np.timedelta64(7, "D")
    return index, np.clip(weeks, 0, None)


def weekly_hazards(panel: pd.DataFrame, phases: pd.DataFrame, track: str) -> pd.DataFrame:
    """The weekly rows of one track: for each unit and report interval, people at risk and new people.

    Missing reports are bridged by interpolation between the unit's reported counts. An interval
    whose count falls (a restatement: a count revised down) is left out, a data problem, not a week
    with nobody new; the intervals after it start from the revised count. Columns: code, as_of,
    weeks, eligible, at_risk, new, share_prev, phase, weeks_in_phase.
    """
    rows = panel[(panel["track"] == track)].sort_values(["code", "as_of"])
    rows = rows[rows.groupby("code")["reported"].transform("any")]
    cumulative = rows["supported"].where(rows["reported"]).groupby(rows["code"]).transform(
        lambda s: s.interpolate(limit_area="inside"))
    eligible = rows.groupby("code")["eligible"].transform("last")
    previous = cumulative.groupby(rows["code"]).shift()
    weeks = rows.groupby("code")["as_of"].diff().dt.days / 7
    out = pd.DataFrame({"code": rows["code"], "as_of": rows["as_of"], "weeks": weeks, "eligible": eligible,
                        "at_risk": eligible - previous, "new": (cumulative - previous).where(cumulative >= previous),
                        "share_prev": previous / eligible})
    # the effort of an interval is that of its start (the previous report date)
    phase, in_phase = _phase_position(phases, out["as_of"] - pd.to_timedelta(7 * out["weeks"].fillna(1), unit="D"))
    out["phase"], out["weeks_in_phase"] = phase, in_phase
    out = out.dropna(subset=["weeks", "at_risk", "new"])
    out = out[(out["at_risk"] > 0) & (out["eligible"] > 0)]
    out["new"] = np.minimum(out["new"], out["at_risk"])
    return out.reset_index(drop=True)


def _design(rows: pd.DataFrame, units: list[str], terms: Terms) -> Design:
    """Each row's unit (its level's index), and the shared terms' columns: an effect per phase after
    the first, the fade within each phase (its own per phase: a slow phase does not fade like a
    campaign), the start-up of each phase (``exp(-weeks into the phase / START_WEEKS)``: a campaign
    that takes a few weeks to get going), saturation."""
    unit = pd.Index(units).get_indexer(rows["code"])
    phase_cols = (rows["phase"].to_numpy()[:, None] == np.arange(1, terms.n_phases)[None, :]).astype(float)
    in_phase = rows["phase"].to_numpy()[:, None] == np.arange(terms.n_phases)[None, :]
    fade_cols = in_phase * np.log1p(rows["weeks_in_phase"].to_numpy(float))[:, None]
    start_cols = in_phase * np.exp(-rows["weeks_in_phase"].to_numpy(float) / START_WEEKS)[:, None]
    return Design(unit, np.column_stack([phase_cols, fade_cols, start_cols, rows["share_prev"].to_numpy(float)]))


def _moving_rows(dataset: Dataset, panel: pd.DataFrame, track: str,
                 as_of: pd.Timestamp) -> tuple[pd.DataFrame, list[str], list]:
    """The track's weekly rows up to ``as_of`` of the units that moved, the units that never did
    (projected flat), and the report dates used."""
    dates = [d for d in dataset.report_dates if d <= as_of]
    if len(dates) < MIN_DATES:
        raise DataError(f"a trend needs at least {MIN_DATES} report dates up to {as_of:%Y-%m-%d}; "
                        f"the data have {len(dates)}", hint="add earlier weekly report files or choose a later as-of date")
    rows = weekly_hazards(panel[panel["as_of"] <= dates[-1]], dataset.phases, track)
    moving = rows.groupby("code")["new"].transform("sum") > 0
    stalled = sorted(set(rows["code"]) - set(rows.loc[moving, "code"]))  # nobody new in any week: projected flat
    return rows[moving], stalled, dates


def _estimable(rows: pd.DataFrame, design: Design, terms: Terms) -> tuple[np.ndarray, np.ndarray]:
    """Which terms can be estimated (a mask over ``terms``), and the phases' weeks run in the data."""
    keep = np.ones(terms.size, bool)
    keep[terms.shared] = design.shared.any(axis=0)  # a phase with no weeks in the data cannot be estimated
    weeks_run = rows.groupby("phase")["weeks_in_phase"].max().reindex(range(terms.n_phases), fill_value=0).to_numpy()
    starts = np.arange(terms.n_phases) + terms.startups.start
    keep[starts[weeks_run < WEEKS.start_after]] = False  # a start-up needs weeks after it to be told from the phase's level
    keep[starts[int(rows["phase"].min())]] = False  # and the phase before it: the data's first phase has none
    shape = list(range(terms.fades.start, terms.fades.stop)) + [terms.saturation]
    for column in list(reversed(starts)) + list(reversed(shape)):  # the dispersion needs residual degrees of freedom:
        # few intervals, fewer terms
        if len(rows) - keep.sum() >= 2:
            break
        keep[column] = False
    return keep, weeks_run


def _constrained_fit(rows: pd.DataFrame, design: Design, terms: Terms, keep: np.ndarray,
                     signed: list[int]) -> tuple[GlmFit, np.ndarray]:
    """The fit under the shape constraints: a term of ``signed`` estimated above zero is fixed at zero,
    then a start-up the data cannot pin down (standard error at least START_SE: a track near its
    ceiling) is left out, one term at a time, refitting each time. Returns the fit and its kept terms."""
    keep = keep.copy()
    while True:
        result = _fit_glm(rows, design.keep(keep[terms.shared]), terms.n_units)
        full = np.zeros(terms.size)
        full[keep] = result.params
        wrong = [c for c in signed if keep[c] and full[c] > 0]
        if not wrong:
            se = np.zeros(terms.size)
            se[np.flatnonzero(keep)[terms.n_units:]] = np.sqrt(np.clip(np.diag(result.cov.shared_cov()), 0, None))
            wrong = [c for c in range(terms.startups.start, terms.startups.stop) if keep[c] and not se[c] < START_SE]
        if not wrong:
            return result, keep
        keep[wrong[0]] = False


def fit_track(dataset: Dataset, panel: pd.DataFrame, track: str, as_of, own_backtest: bool = True) -> HazardFit | None:
    """Fit the hazard model of one track on the report dates up to ``as_of`` (None: nobody at risk),
    with (``own_backtest``) the error about the curve's shape that its own rolling-origin backtest shows."""
    rows, stalled, dates = _moving_rows(dataset, panel, track, pd.Timestamp(as_of))  # the date enters here once
    if rows.empty:
        return None
    units = sorted(rows["code"].unique())
    terms = Terms(len(units), len(dataset.phases))
    design = _design(rows, units, terms)
    keep, weeks_run = _estimable(rows, design, terms)
    # Shape constraints: uptake does not get easier as fewer people remain, and a phase's pull does
    # not grow with time until the phase has run WEEKS.rising_after weeks (early on, a rise is the
    # campaign getting going, which does not go on). A term estimated the wrong way is fixed at zero.
    signed = [terms.fade(k) for k in range(terms.n_phases) if weeks_run[k] < WEEKS.rising_after] + [terms.saturation]
    result, keep = _constrained_fit(rows, design, terms, keep, signed)
    scale, unit_week_var = _noise(rows, result.fitted, int(keep.sum()))
    corrected, refits = _bias_corrected(rows, design.keep(keep[terms.shared]), np.flatnonzero(keep) == terms.saturation,
                                        result.params, scale, unit_week_var)
    params = np.zeros(terms.size)
    params[keep] = corrected
    params[signed] = np.minimum(params[signed], 0.0)  # the correction keeps the shape constraints
    inflation = _inflation(np.diag(result.cov.shared_cov()), refits, len(units))
    if not (np.isfinite(inflation) and np.isfinite(params).all()):
        return None  # the data cannot pin the model down (e.g. a track whose counts have not moved): not projected
    cov = result.cov.scaled(inflation)
    sd, rho, last = _week_shocks(rows, result.fitted, scale, unit_week_var)
    structure, scored = own_errors(dataset, panel, track, dates, units) if own_backtest else (Structure(), [])
    fit = HazardFit(track=track, result=result, terms=terms, units=units, phases=list(dataset.phases["name"]),
                     history=rows, state=_state(panel[panel["as_of"] <= dates[-1]], units + stalled, dataset.phases,
                                                dates[-1], set(rows["phase"])),
                     last_date=dates[-1], params=params, kept=keep, cov=cov, week_sd=sd, week_rho=rho, last_shock=last,
                     count_scale=scale, unit_week_var=unit_week_var, structure=structure)
    if own_backtest:
        fit.mixture = mixture(fit, scored, dataset.phases)
    return fit


def own_errors(dataset: Dataset, panel: pd.DataFrame, track: str, dates: list,
               units: list[str]) -> tuple[Structure, list[tuple]]:
    """The model's error about the curve's shape, from a rolling-origin backtest on the series itself.

    From origins ``OWN_ORIGINS`` weeks before the last report date, the track (at most
    ``OWN_UNITS`` of its units, evenly spread) is fitted and simulated again on the data up to the
    origin and compared, at each later report date of the same phase (a new campaign is the
    scenarios' business, not an error) up to ``OWN_HORIZON`` weeks on, with what the units
    reported: e = log(reported new people / the simulation's geometric mean), v = the variance of
    the simulation's log. An origin less than ``WEEKS.start_after`` weeks into its phase is not
    used (the model is not judged on a phase that young). A straight line of e against the weeks
    ahead h was tried as the bias and ran wild when extrapolated: the bias is the mean of e, shrunk
    toward zero by its noise (positive-part James-Stein over the k origins), and kept only when it
    exceeds twice its noise (a shift by chance cost the in-family bands). What e varies about it
    beyond v is the error about the shape, ``level_var + drift_var · h / 3`` at h weeks (a level and
    a random walk on the hazard), by non-negative least squares, widened by k / (k - 1) for the k
    origins' shared errors.
    """
    units = units[:: -(-len(units) // OWN_UNITS)] if units else units
    part = panel[panel["code"].isin(units) & (panel["as_of"] <= dates[-1])]
    starts = list(dataset.phases["start"])
    errors, scored = [], []
    for back in OWN_ORIGINS:
        origin = max((d for d in dates if d <= dates[-1] - pd.Timedelta(weeks=back)), default=None)
        if origin is None or sum(d <= origin for d in dates) < MIN_DATES + 2:
            continue
        before = max(d for d in dates if d < origin)  # the origin's last interval starts here
        phase = max(s for s in starts if s <= before) if any(s <= before for s in starts) else before
        if (origin - phase).days / 7 < WEEKS.start_after:  # the model is not to be judged on a phase this young
            continue
        later = [d for d in dates if origin < d <= origin + pd.Timedelta(weeks=OWN_HORIZON)
                 and not any(before < s <= d for s in starts)]
        inner = fit_track(dataset, part, track, origin, own_backtest=False) if later else None
        if inner is not None:
            pairs, samples = _own_scores(inner, part, origin, later)
            errors += [(back, *pair) for pair in pairs]
            scored += [(origin, *sample) for sample in samples]
    return _structure(errors), scored


def _own_scores(inner: HazardFit, part: pd.DataFrame, origin: pd.Timestamp, later: list) -> tuple[list[tuple], list[tuple]]:
    """(h, e, v) at each later report date (``own_errors``), over the units that reported on it and
    whose count has not fallen since the origin (a restatement is no error of the model's); and
    (date, the simulated increase of the track's rate) at each, for the stack's weights (``mixture``)."""
    steps = future_dates(inner.last_date, later[-1])
    paths = simulate(inner, steps, Effort("no_campaign"), OWN_PATHS, seed=7)
    codes, now = inner.state["code"], inner.state["supported"].to_numpy()
    sent = part[part["reported"]].sort_values("as_of")
    fell = sent[(sent["supported"] < sent.groupby("code")["supported"].shift()) & (sent["as_of"] > origin)]
    first_fall = fell.groupby("code")["as_of"].min().reindex(codes)
    first_fall = np.where(first_fall.isna(), np.datetime64("2262-01-01"), first_fall.to_numpy("datetime64[ns]"))
    out, samples = [], []
    eligible = inner.state["eligible"].sum()
    for d in (d for d in later if d in steps):
        samples.append((d, (paths[:, :, steps.index(d)].sum(axis=1) - now.sum()) / eligible))
        at = part[part["as_of"] == d].set_index("code").reindex(codes)
        seen = at["reported"].fillna(False).to_numpy(bool) & (first_fall > np.datetime64(d, "ns"))
        actual = float(at["supported"].to_numpy(float)[seen].sum() - now[seen].sum())
        simulated = paths[:, seen, steps.index(d)].sum(axis=1) - now[seen].sum()
        if seen.any() and actual > 0 and np.mean(simulated > 0) >= 0.9:
            logs = np.log(np.maximum(simulated, 0.5))
            out.append(((d - origin).days / 7, float(np.log(actual) - logs.mean()), float(logs.var())))
    return out, samples


def _structure(errors: list[tuple]) -> Structure:
    """``Structure`` from the (origin, h, e, v) of ``own_errors``."""
    if len(errors) < 3:
        return Structure(pairs=len(errors))
    origin, h, e, v = (np.array(c, float) for c in zip(*errors))
    k = len(set(origin))
    bias = float(np.clip(np.mean(e), -1.0, 1.0)) if k >= 2 else 0.0
    widen = k / (k - 1) if k >= 2 else 1.0
    (c0, c1), _ = nnls(np.column_stack([np.ones_like(h), h / 3]), widen * (e - bias) ** 2 - v)
    # the bias is known only as well as k origins' errors tell it (those of one origin go together):
    # shrunk toward zero by its noise (positive-part James-Stein), so that a model right on the
    # series' past is not shifted by chance
    noise = float(np.mean(v + c0 + c1 * h / 3)) / max(k, 1)
    bias *= max(0.0, 1 - noise / bias**2) if bias**2 > 4 * noise else 0.0  # and only past twice its noise
    # at most MIX_MAX_VAR on the log of the track's new people at OWN_HORIZON weeks: beyond it a few
    # origins' errors (a phase's first weeks scored on its next) made the band run to everybody supported
    cap = min(1.0, MIX_MAX_VAR / max(c0 + c1 * OWN_HORIZON / 3, 1e-12))
    return Structure(bias=bias, level_var=float(c0 * cap), drift_var=float(c1 * cap), pairs=len(errors))


# --- The stack: structurally different simple models of the track's cumulative rate -----------------

MIX_KINDS = ("hazard", "pace", "damped", "logistic")
MIX_POWER = 3.0  # weights ∝ (1 / a model's relative CRPS on the series' own past origins) ** MIX_POWER
MIX_PRIOR = (0.25, 0.25, 0.25, 0.25)  # the weights before any score (the hazard model's as much as the others')
MIX_FLOOR = 0.05  # the least weight of a model that can be fitted (no model is ruled out by a few origins)
MIX_FLOOR_PAIRS = 12  # ... on weights scored on at most this many (origin, date) pairs, less in proportion beyond
PACE_WEEKS = 4  # the pace: median weekly increment of the last PACE_WEEKS intervals
WINDOW_WEEKS = 8  # the damped pace's and the saturating curve's window (the current phase's weeks, at most this)
SCORE_Z = norm.ppf((np.arange(OWN_PATHS) + 0.5) / OWN_PATHS)  # a log-normal's quantiles, for its CRPS


@dataclass(frozen=True)
class Series:
    """A track's cumulative rate as weekly paces: per report date after the first, the rate's
    increase per week over the interval ending there (new people over the eligible of the units with
    a row, the units that never moved counted in the eligible), the interval's length and phase,
    and the rate at its end (anchored at the rate the projection starts from)."""

    dates: list
    pace: np.ndarray
    length: np.ndarray
    phase: np.ndarray
    level: np.ndarray

    def upto(self, date) -> Series:
        n = sum(d <= date for d in self.dates)
        return Series(self.dates[:n], self.pace[:n], self.length[:n], self.phase[:n], self.level[:n])


@dataclass(frozen=True)
class Simple:
    """A simple model of the track's rate fitted on a ``Series``: its median rate increase ``curve``
    parameters, and the variance of its log error at t weeks, ``noise · (1/k + 1/t) + level_var + drift_var · t``."""

    kind: str
    pace: float
    phi: float = 1.0  # the damped pace's weekly factor
    growth: float = 0.0  # the saturating curve's rate (per week) and its ceiling (a rate)
    ceiling: float = 1.0
    noise: float = 0.0
    k: int = 1
    level_var: float = 0.0
    drift_var: float = 0.0
    slope: float = 0.0  # the saturating curve's regression (pace / rate = growth + slope · rate) and its covariance
    cov: tuple = ()

    def curve(self, level: float, t: np.ndarray, draws: np.ndarray | None = None) -> np.ndarray:
        """The median increase of the rate from ``level`` after ``t`` weeks; for the saturating curve
        with ``draws`` (paths x 2 standard normals), one curve per path from its regression's
        coefficients drawn (paths x len(t))."""
        t = np.maximum(np.asarray(t, float), 0.0)
        if self.kind == "logistic":
            growth, ceiling = np.array([self.growth]), np.array([self.ceiling])
            if draws is not None and self.cov:
                root = np.linalg.cholesky(np.reshape(self.cov, (2, 2)) + 1e-18 * np.eye(2))
                a, b = (np.array([self.growth, self.slope]) + draws @ root.T).T
                growth = np.maximum(a, 1e-4)
                ceiling = np.where(b < 0, np.clip(-a / np.where(b < 0, b, -1.0), level + 1e-6, 1.0), 1.0)
            growth, ceiling = growth[:, None], ceiling[:, None]
            out = ceiling / (1 + (ceiling / level - 1) * np.exp(-growth * t[None, :])) - level
            return out if draws is not None else out[0]
        if self.kind == "damped" and self.phi < 1:
            return self.pace * self.phi * (1 - self.phi**t) / (1 - self.phi)
        return self.pace * t

    def variance(self, t: np.ndarray, floor_only: bool = False) -> np.ndarray:
        t = np.maximum(np.asarray(t, float), 1.0)
        base = self.noise * (1 / self.k + 1 / t)
        return base if floor_only else np.minimum(base + self.level_var + self.drift_var * t, MIX_MAX_VAR)


@dataclass(frozen=True)
class Mixture:
    """The stack of a track: each model's weight (``MIX_KINDS``' order, zero for one that could not be
    fitted), the simple models fitted on the whole series, and where the track's rate starts."""

    weights: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0)
    models: tuple = ()
    level: float = 0.0
    scored: int = 0  # (origin, date) pairs the weights were scored on
    catch_rise: float = 0.0  # the units that have not reported lately: their likely rise since their last
    # report, a share of the eligible (``_catch_rise``)


def track_series(fit: HazardFit) -> Series:
    """The ``Series`` of a fitted track, from its weekly rows (gaps bridged, restatements left out)."""
    rows = fit.history
    by_date = rows.assign(exposure=rows["eligible"] * rows["weeks"]).groupby("as_of").agg(
        new=("new", "sum"), exposure=("exposure", "sum"), weeks=("weeks", "median"), phase=("phase", "max"))
    share = rows.groupby("code")["eligible"].last().sum() / max(fit.state["eligible"].sum(), 1.0)
    pace = (by_date["new"] / by_date["exposure"]).to_numpy(float) * share
    length = by_date["weeks"].to_numpy(float)
    now = fit.state["supported"].sum() / max(fit.state["eligible"].sum(), 1.0)
    rise = pace * length
    level = now - (rise.sum() - np.cumsum(rise))
    return Series(list(by_date.index), pace, length, by_date["phase"].to_numpy(int), level)


def _window(series: Series, weeks: int) -> slice:
    """The last intervals of the current phase (at most ``weeks``), or the last ``weeks`` whatever
    their phase when the phase has run fewer than four."""
    n = len(series.pace)
    in_phase = int(np.sum(series.phase == series.phase[-1])) if n else 0
    return slice(max(0, n - (min(in_phase, weeks) if in_phase >= 4 else weeks)), n)


def fit_simple(series: Series, kind: str) -> Simple | None:
    """One simple model on a series (None when it cannot be fitted: too few intervals, nothing moved,
    no saturation in sight for the saturating curve)."""
    n = len(series.pace)
    if n < 4 or series.level[-1] <= 0:
        return None
    recent, window = series.pace[-PACE_WEEKS:], _window(series, WINDOW_WEEKS)
    logs = np.log(np.maximum(series.pace[window], 1e-7))
    noise = float(np.var(np.diff(logs)) / 2) if len(logs) >= 3 else 0.25
    k = len(logs)
    if kind == "pace":
        pace = float(np.median(recent))
        return Simple("pace", pace, noise=noise, k=len(recent)) if pace > 0 else None
    pace, t = series.pace[window], np.cumsum(series.length[window])
    if kind == "damped":
        positive = pace > 0
        if positive.sum() < 3:
            return None
        slope, intercept = np.polyfit(t[positive], np.log(pace[positive]), 1)
        slope = float(np.clip(slope, np.log(0.7), 0.0))
        centre = np.log(pace[positive]).mean() - slope * t[positive].mean()
        return Simple("damped", float(np.exp(centre + slope * t[-1])), phi=float(np.exp(slope)), noise=noise, k=k)
    before = series.level[window] - pace * series.length[window]  # the rate at each interval's start
    usable = before > 0
    if usable.sum() < 4:
        return None
    x = np.column_stack([np.ones(int(usable.sum())), before[usable]])
    y = pace[usable] / before[usable]
    (intercept, slope), *_ = np.linalg.lstsq(x, y, rcond=None)
    if slope >= 0 or intercept <= 0:
        return None
    ceiling, level = min(-intercept / slope, 1.0), series.level[-1]
    if ceiling <= level + 1e-6 or intercept * level * (1 - level / ceiling) < 0.5 * np.median(recent):
        return None  # a ceiling that would stop the track at once, against its recent pace, is a bad fit
    residual = float(np.sum((y - x @ [intercept, slope]) ** 2) / max(len(y) - 2, 1))
    cov = residual * np.linalg.pinv(x.T @ x)  # the ceiling is not known: its regression's uncertainty goes in the paths
    return Simple("logistic", float(np.median(recent)), growth=float(intercept), ceiling=float(ceiling), noise=noise, k=k,
                  slope=float(slope), cov=tuple(cov.reshape(-1)))


def _lognormal_crps(median: float, variance: float, truth: float) -> float:
    samples = median * np.exp(np.sqrt(variance) * SCORE_Z)
    return _crps(samples, truth)


def _crps(samples: np.ndarray, truth: float) -> float:
    x = np.sort(np.asarray(samples, float))
    n = len(x)
    return float(np.mean(np.abs(x - truth)) - np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / n**2)


def mixture(fit: HazardFit, hazard_scored: list[tuple], phases: pd.DataFrame) -> Mixture:
    """The stack's weights from each model's CRPS on the series' own past origins (``OWN_ORIGINS``
    weeks back, the dates after them in the same phase up to ``OWN_HORIZON`` weeks on), relative to
    the models' mean at each (origin, date); each simple model's error variance beyond its own noise
    from its log errors there (non-negative least squares on a level and a slope in the weeks ahead,
    like ``_structure``). ``hazard_scored``: (origin, date, the hazard model's samples of the rate's
    increase) from ``own_errors``."""
    series = track_series(fit)
    starts = list(phases["start"])
    scores: dict[tuple, dict[str, float]] = {}
    for origin, date, samples in hazard_scored:
        truth = _realized(series, origin, date)
        if truth is not None:
            scores.setdefault((origin, date), {})["hazard"] = _crps(samples, truth)
    errors: dict[str, list[tuple]] = {kind: [] for kind in MIX_KINDS[1:]}
    dates = series.dates
    for back in OWN_ORIGINS:
        origin = max((d for d in dates if d <= dates[-1] - pd.Timedelta(weeks=back)), default=None)
        if origin is None or origin == dates[0]:
            continue
        past = series.upto(origin)
        before = max(d for d in dates if d < origin)  # as for the hazard model (``own_errors``): not judged on
        phase = max((s for s in starts if s <= before), default=before)  # a phase this young, nor across a new one
        if (origin - phase).days / 7 < WEEKS.start_after:
            continue
        later = [d for d in dates if origin < d <= origin + pd.Timedelta(weeks=OWN_HORIZON)
                 and not any(origin <= s <= d for s in starts)]  # nor a date a new phase's first report may have
        for kind in MIX_KINDS[1:]:
            model = fit_simple(past, kind)
            if model is None:
                continue
            for date in later:
                truth, h = _realized(series, origin, date), (date - origin).days / 7
                median = float(model.curve(past.level[-1], np.array([h]))[0])
                if truth is None or median <= 0:
                    continue
                scores.setdefault((origin, date), {})[kind] = _lognormal_crps(
                    median, float(model.variance(np.array([h]), floor_only=True)[0]), truth)
                if truth > 0:
                    errors[kind].append((back, h, np.log(truth / median), float(model.variance(np.array([h]), True)[0])))
    relative: dict[str, list[float]] = {kind: [] for kind in MIX_KINDS}
    current = starts[int(series.phase[-1])] if len(series.pace) else None
    for (origin, _), pair in scores.items():  # only origins in the phase the projection goes on in: a model right
        # on a slow phase's flat weeks says little about a campaign's
        if len(pair) >= 2 and current is not None and origin >= current + pd.Timedelta(weeks=WEEKS.start_after):
            mean = np.mean(list(pair.values()))
            for kind, value in pair.items():
                relative[kind].append(value / max(mean, 1e-12))
    models = []
    for kind in MIX_KINDS[1:]:
        model = fit_simple(series, kind)
        if model is not None and len(errors[kind]) >= 3:
            origin, h, e, v = (np.array(c, float) for c in zip(*errors[kind]))
            k = len(set(origin))
            widen = k / (k - 1) if k >= 2 else 1.0
            (c0, c1), _ = nnls(np.column_stack([np.ones_like(h), h]), widen * e**2 - v)
            model = replace(model, level_var=float(c0), drift_var=float(c1))
        models.append(model)
    raw = []
    for kind, model, prior in zip(MIX_KINDS, [True] + models, MIX_PRIOR):
        if model is None:
            raw.append(0.0)
            continue
        score = float(np.mean(relative[kind])) if relative[kind] else 1.0
        raw.append(prior * score ** -MIX_POWER)
    weights = np.array(raw) / sum(raw)
    pairs = max(len(v) for v in relative.values())
    floor = MIX_FLOOR * min(1.0, MIX_FLOOR_PAIRS / max(pairs, 1))  # the prior gives way as the pairs add up
    weights = np.where(weights > 0, np.maximum(weights, floor), 0.0)
    lag = np.rint((fit.last_date - pd.to_datetime(fit.state["last_report"])).dt.days.to_numpy() / 7)
    lag = np.clip(np.nan_to_num(lag), 0, None)  # weeks since each unit's last report
    return Mixture(tuple(weights / weights.sum()), tuple(models), float(series.level[-1]) if len(series.pace) else 0.0,
                   pairs, _catch_rise(series, fit.last_date, lag, fit.state["eligible"].to_numpy(float)))


def _catch_rise(series: Series, last: pd.Timestamp, lag: np.ndarray, eligible: np.ndarray) -> float:
    """What the units that have not reported for ``lag`` weeks have likely done since their last report,
    as a share of the track's eligible: the rise the reporting units made over those same weeks
    (the series' level then and now), each unit in proportion to its eligible. Silent units are
    projected from their last report date, at the pace of those weeks, not of the weeks ahead."""
    if not len(series.pace) or not (lag > 0).any():
        return 0.0
    total, dates = 0.0, series.dates
    for weeks in np.unique(lag[lag > 0]):
        back = last - pd.Timedelta(weeks=float(weeks))
        i = max((k for k, d in enumerate(dates) if d <= back), default=0)
        total += eligible[lag == weeks].sum() / max(eligible.sum(), 1.0) * (series.level[-1] - series.level[i])
    return float(max(total, 0.0))


def _realized(series: Series, origin, date) -> float | None:
    """The series' rate increase from ``origin`` to ``date`` (None when either is not one of its dates)."""
    if origin not in series.dates or date not in series.dates:
        return None
    return float(series.level[series.dates.index(date)] - series.level[series.dates.index(origin)])


def track_total(fit: HazardFit, dates: list[pd.Timestamp], effort: Effort = Effort(), paths: int = 2000,
                seed: int = 1, hazard: np.ndarray | None = None) -> np.ndarray:
    """The track's cumulative supported people per path and date (paths x dates): the stack of the
    hazard model's paths (``hazard``, summed over the units, simulated here when not given) and the
    simple models' in proportion to their weights (``Mixture``). The stack is the no-campaign
    projection's: under a new campaign (``like_last_campaign``, ``custom``) only the hazard model
    says what the campaign adds, and its paths are the track's."""
    if hazard is None:
        hazard = simulate(fit, dates, effort, paths, seed).sum(axis=1)
    mix = fit.mixture
    if mix is None or mix.weights[0] >= 1 or not mix.models:
        return hazard
    key = (tuple(dates), paths, seed)
    if effort.scenario != "no_campaign":
        # a campaign's lift is the hazard model's (the simple models know nothing of campaigns), added path
        # by path to the no-campaign stack, so that the scenarios differ by the campaign alone, not by method
        if key not in fit.stacks:
            base = simulate(fit, dates, Effort(), paths, seed).sum(axis=1)
            fit.stacks[key] = (base, track_total(fit, dates, Effort(), paths, seed, hazard=base))
        base, stack = fit.stacks[key]
        eligible = float(fit.state["eligible"].sum())
        return np.minimum(np.maximum.accumulate(stack + np.maximum(hazard - base, 0.0), axis=1), eligible)
    if key in fit.stacks and fit.stacks[key][0] is hazard:
        return fit.stacks[key][1]
    eligible = float(fit.state["eligible"].sum())
    counts = np.floor(np.array(mix.weights) * paths).astype(int)
    counts[0] += paths - counts.sum()
    rng = np.random.default_rng([seed, 14])
    t = np.array([(d - fit.last_date).days / 7 for d in dates])
    start = min(mix.level + mix.catch_rise, 1.0)  # the silent units caught up, then every model from there
    out = [hazard[: counts[0]]]
    for model, n in zip(mix.models, counts[1:]):
        if n == 0 or model is None:
            continue
        z = rng.standard_normal((n, 1))
        curve = model.curve(start, t, rng.standard_normal((n, 2))) if model.kind == "logistic" else model.curve(
            start, t)[None, :]
        rise = curve * np.exp(np.sqrt(model.variance(t))[None, :] * z)
        rate = np.minimum(start + np.maximum(rise, 0.0), 1.0)  # not at the estimated ceiling: it is not known
        out.append(np.maximum.accumulate(rate, axis=1) * eligible)
    stack = np.concatenate(out, axis=0)
    fit.stacks[key] = (hazard, stack)
    return stack


def _noise(rows: pd.DataFrame, hazard: np.ndarray, n_params: int) -> tuple[float, float]:
    """The weekly counts' variance ``a·μ(1-h) + s²·μ²``: (a, s²), by non-negative least squares on the
    squared residuals, reweighted by the variance found (three rounds), with the residual degrees
    of freedom's correction n / (n - p)."""
    mu = rows["at_risk"].to_numpy(float) * hazard
    squared = (rows["new"].to_numpy(float) - mu) ** 2
    terms = np.column_stack([mu * (1 - hazard), mu**2])
    variance = np.maximum(mu, 1.0)
    for _ in range(3):
        (a, s2), _ = nnls(terms / variance[:, None], squared / variance)
        variance = np.maximum(terms @ [a, s2], 1e-9)
    correction = len(rows) / max(len(rows) - n_params, 1)
    return float(a * correction), float(s2 * correction)


def _bias_corrected(rows: pd.DataFrame, design: Design, saturation: np.ndarray, params: np.ndarray,
                    scale: float, unit_week_var: float, seed: int = 20251114) -> tuple[np.ndarray, np.ndarray | None]:
    """The coefficients less their bias, estimated by a parametric bootstrap.

    ``BOOTSTRAP`` histories of the fitted rows are simulated from the fit (each unit from its first
    interval's count, with both parts of the noise, the share already supported recomputed along
    the way), refitted from ``params`` by Newton steps; their mean minus ``params`` is the bias.
    ``params`` are the unit levels then the kept shared terms (``design``'s columns); ``saturation``
    marks, over ``params``, the share already supported (if it is kept).
    Returns the corrected coefficients and the refits (None when there was nothing to correct).
    """
    if BOOTSTRAP < 2 or unit_week_var == 0:
        return params, None  # without multiplicative noise the share carries (almost) no past shocks
    rng = np.random.default_rng(seed)
    eligible, unit = rows["eligible"].to_numpy(float), design.unit
    position = rows.groupby("code", sort=False).cumcount().to_numpy()
    n_units = len(params) - design.shared.shape[1]
    cumulative = np.zeros((BOOTSTRAP, n_units))
    first = position == 0
    cumulative[:, unit[first]] = (rows["share_prev"].to_numpy() * eligible)[first]
    unit_eligible = np.zeros(n_units)
    unit_eligible[unit] = eligible
    offset = np.log(rows["weeks"].to_numpy(float))
    other = ~saturation[n_units:]
    fixed = params[:n_units][unit] + design.shared[:, other] @ params[n_units:][other] + offset
    beta_share = float(params[saturation].sum())
    share = np.zeros((BOOTSTRAP, len(rows)))
    new = np.zeros((BOOTSTRAP, len(rows)))
    cluster = max(1, int(round(scale)))
    sd = np.sqrt(unit_week_var)
    for k in range(position.max() + 1):
        at = np.flatnonzero(position == k)
        u = unit[at]
        share[:, at] = cumulative[:, u] / unit_eligible[u]
        eta = fixed[at] + beta_share * share[:, at] + rng.normal(-unit_week_var / 2, sd, (BOOTSTRAP, len(at)))
        hazard = 1 - np.exp(-np.exp(np.clip(eta, -50, 5)))
        at_risk = np.maximum(unit_eligible[u] - cumulative[:, u], 0).astype(np.int64)
        new[:, at] = cluster * rng.binomial(at_risk // cluster, hazard) + rng.binomial(at_risk % cluster, hazard)
        cumulative[:, u] += new[:, at]
    refits = np.empty((BOOTSTRAP, len(params)))
    for b in range(BOOTSTRAP):
        shared = design.shared.copy()
        shared[:, saturation[n_units:]] = share[b][:, None]
        at_risk = eligible * (1 - share[b])
        refits[b] = _newton_cloglog(Design(unit, shared), new[b], at_risk, offset, params, n_units)
    return params - (refits.mean(axis=0) - params), refits


def _inflation(shared_var: np.ndarray, refits: np.ndarray | None, n_units: int) -> float:
    """How much wider the shared terms vary across the bootstrap's refits than the sandwich says
    (``shared_var``: their variances; at least 1): the sandwich takes the weeks as independent, but
    the share already supported carries each unit's past shocks into its later weeks."""
    if refits is None or refits.shape[1] == n_units:
        return 1.0
    ratio = refits[:, n_units:].var(axis=0, ddof=1) / np.maximum(shared_var, 1e-300)
    return float(max(1.0, np.mean(ratio)))


def _unit_sums(unit: np.ndarray, weight: np.ndarray, shared: np.ndarray, n_units: int) -> tuple[np.ndarray, np.ndarray]:
    """The blocks of ``X' diag(weight) X`` that involve the unit dummies: its diagonal (per unit,
    the sum of the weights) and the unit-by-shared block, without forming the dummies."""
    diagonal = np.bincount(unit, weight, n_units)
    cross = np.column_stack([np.bincount(unit, weight * column, n_units) for column in shared.T] or
                            [np.zeros((n_units, 0))])
    return diagonal, cross


def _irls_step(design: Design, eta: np.ndarray, share: np.ndarray, at_risk: np.ndarray, offset: np.ndarray,
               levels: np.ndarray) -> np.ndarray:
    """One Fisher-scoring step of the binomial cloglog fit from the linear predictor ``eta``: the
    shared terms from the Schur complement of the diagonal unit block, then each unit's level given
    them (a unit without a row keeps its level from ``levels``). Time linear in the rows."""
    unit, shared, n_units = design.unit, design.shared, len(levels)
    mu = np.clip(-np.expm1(-np.exp(eta)), 1e-12, 1 - 1e-12)
    slope = np.exp(eta - np.exp(eta))  # dμ/dη
    weight = at_risk * slope**2 / (mu * (1 - mu))
    working = eta - offset + (share - mu) / slope
    diagonal, cross = _unit_sums(unit, weight, shared, n_units)
    right_units = np.bincount(unit, weight * working, n_units)
    seen = diagonal > 0
    inverse = np.where(seen, 1 / np.where(seen, diagonal, 1), 0.0)
    schur = shared.T @ (weight[:, None] * shared) - cross.T @ (inverse[:, None] * cross)
    right_shared = shared.T @ (weight * working) - cross.T @ (inverse * right_units)
    common = np.linalg.lstsq(schur, right_shared, rcond=None)[0] if shared.shape[1] else np.zeros(0)
    return np.concatenate([np.where(seen, inverse * (right_units - cross @ common), levels), common])


def _newton_cloglog(design: Design, new: np.ndarray, at_risk: np.ndarray, offset: np.ndarray, start: np.ndarray,
                    n_units: int, steps: int = 4) -> np.ndarray:
    """Binomial cloglog coefficients (unit levels, then ``design``'s shared terms) by ``steps``
    iteratively reweighted least-squares steps from ``start`` (``_irls_step``): the bootstrap
    refits twenty times per track from a start near the answer. Rows with nobody at risk are left out."""
    live = at_risk > 0
    design = Design(design.unit[live], design.shared[live])
    new, at_risk, offset = new[live], at_risk[live], offset[live]
    share = new / at_risk
    beta = start.copy()
    for _ in range(steps):
        eta = np.clip(beta[:n_units][design.unit] + design.shared @ beta[n_units:] + offset, -30, 3)
        beta = _irls_step(design, eta, share, at_risk, offset, beta[:n_units])
    return beta


def _week_shocks(rows: pd.DataFrame, fitted_hazard: np.ndarray, scale: float,
                 unit_week_var: float) -> tuple[float, float, float]:
    """The weeks that go better or worse for every unit of a track: sd, persistence and last value.

    Per report date, r_t = log(observed new / expected new) over the whole track. The shock's sd
    is the spread of r_t less the part the units' own noise explains (``_noise``); its
    persistence is the lag-1 autocorrelation of r_t (0 to 0.95); the last value is r_T.
    """
    expected = rows["at_risk"].to_numpy() * fitted_hazard
    by_date = pd.DataFrame({"as_of": rows["as_of"], "new": rows["new"], "expected": expected,
                            "binomial": expected * (1 - fitted_hazard), "squared": expected**2}).groupby("as_of").sum()
    by_date = by_date[(by_date["new"] > 0) & (by_date["expected"] > 0)]
    if len(by_date) < 4:
        return 0.0, 0.0, 0.0
    ratio = np.log(by_date["new"] / by_date["expected"]).to_numpy()
    noise = float(np.mean((scale * by_date["binomial"] + unit_week_var * by_date["squared"]) / by_date["expected"] ** 2))
    sd = float(np.sqrt(max(ratio.var(ddof=1) - noise, 0.0)))
    rho = float(np.clip(np.corrcoef(ratio[:-1], ratio[1:])[0, 1], 0.0, 0.95)) if sd > 0 else 0.0
    return sd, (0.0 if np.isnan(rho) else rho), float(ratio[-1]) if sd > 0 else 0.0


def _fit_glm(rows: pd.DataFrame, design: Design, n_units: int, tol: float = 1e-11, max_steps: int = 100) -> GlmFit:
    """The binomial cloglog GLM of the weekly hazards (weights: people at risk; offset: log weeks
    between reports) with a level per unit, by Fisher scoring on the blocks (``_irls_step``): the
    estimate of statsmodels' GLM with a dummy column per unit, from the same start (μ = (h + ½)/2),
    iterated until no coefficient moves by more than ``tol``; with the dispersion (Pearson's X²)
    and the robust covariance (``_sandwich``), in time and memory linear in the units."""
    share = rows["new"].to_numpy(float) / rows["at_risk"].to_numpy(float)
    at_risk, offset = rows["at_risk"].to_numpy(float), np.log(rows["weeks"].to_numpy(float))
    start = (share + 0.5) / 2
    beta = _irls_step(design, np.log(-np.log1p(-start)), share, at_risk, offset, np.zeros(n_units))
    for _ in range(max_steps):
        eta = np.clip(beta[:n_units][design.unit] + design.shared @ beta[n_units:] + offset, -30, 3)
        beta, previous = _irls_step(design, eta, share, at_risk, offset, beta[:n_units]), beta
        if np.max(np.abs(beta - previous)) <= tol:
            break
    with np.errstate(over="ignore"):  # a hazard of one (exp overflows to inf), as statsmodels' GLM has it
        mu = FAMILY.link.inverse(beta[:n_units][design.unit] + design.shared @ beta[n_units:] + offset)
    df_resid = len(rows) - len(beta)
    scale = float(np.sum(at_risk * (share - mu) ** 2 / FAMILY.variance(mu)) / df_resid) if df_resid > 0 else np.nan
    return GlmFit(params=beta, fitted=mu, scale=scale, df_resid=df_resid,
                  cov=_sandwich(design, share, at_risk, mu, n_units))


def _sandwich(design: Design, share: np.ndarray, at_risk: np.ndarray, mu: np.ndarray, n_units: int) -> BlockCov:
    """The robust (HC0) covariance ``H⁻¹ M H⁻¹`` in blocks: H the observed information (what
    statsmodels' GLM uses as the bread), M the outer product of the rows' scores. The dispersion
    cancels out of it."""
    link, variance = FAMILY.link, FAMILY.variance
    deriv, var = link.deriv(mu), variance(mu)
    residual = (share - mu) / (deriv * var)  # the score per row on the link scale, per person at risk
    expected = at_risk / (deriv**2 * var)
    observed = expected * (1 + residual * (var * link.deriv2(mu) + variance.deriv(mu) * deriv))
    score = at_risk * residual
    d, c = _unit_sums(design.unit, observed, design.shared, n_units)
    dm, cm = _unit_sums(design.unit, score**2, design.shared, n_units)
    f = c / d[:, None]
    schur = design.shared.T @ (observed[:, None] * design.shared) - c.T @ f
    return BlockCov(d=d, f=f, schur_inv=np.linalg.inv(schur), dm=dm, cm=cm,
                    em=design.shared.T @ (score[:, None] ** 2 * design.shared))


def _state(panel: pd.DataFrame, units: list[str], phases: pd.DataFrame, date: pd.Timestamp,
           covered: set[int]) -> pd.DataFrame:
    """Per unit: where the projection starts (eligible, supported, as of its last report, ``last_report``),
    and the phase it goes on in.

    A phase that has just begun, with no week of it in the data (``covered``: the phases that
    have), cannot be estimated: the last phase the data cover goes on, at its own week.
    """
    last = panel[panel["code"].isin(units) & panel["supported"].notna()].sort_values("as_of").groupby("code").last()
    last = last.reindex(units)
    phase = int(_phase_position(phases, pd.Series([date]))[0][0])
    if phase not in covered and any(p < phase for p in covered):
        phase = max(p for p in covered if p < phase)
    weeks = (date - phases["start"].iloc[phase]).days / 7
    reported = last["source_date"].fillna(date) if "source_date" in last else pd.Series(date, index=last.index)
    return pd.DataFrame({"code": units, "name": last["name"].to_numpy(), "eligible": last["eligible"].to_numpy(float),
                         "supported": last["supported"].to_numpy(float), "phase": phase,
                         "weeks_in_phase": float(max(weeks, 0.0)), "last_report": pd.to_datetime(reported).to_numpy()})


def future_dates(last: pd.Timestamp, deadline) -> list[pd.Timestamp]:
    """Weekly steps after the last report date, the last step ending on the deadline."""
    deadline = pd.Timestamp(deadline)
    steps = list(pd.date_range(last + pd.Timedelta(days=7), deadline, freq="7D"))
    if not steps or steps[-1] < deadline:
        steps.append(deadline)
    return steps


def _coefficient_draws(fit: HazardFit, rng: np.random.Generator, paths: int) -> tuple[np.ndarray, np.ndarray]:
    """Draws of the coefficients from their estimated Gaussian, through the covariance's blocks
    (``BlockCov.deviations``): the unit levels (paths x units) and the shared terms (paths x shared
    terms laid out by ``fit.terms``, a term left out fixed at zero)."""
    terms = fit.terms
    z_units = rng.standard_normal((paths, terms.n_units))
    z_shared = rng.standard_normal((paths, int(fit.kept[terms.shared].sum())))
    units, kept = fit.cov.deviations(z_units, z_shared)
    shared = np.tile(fit.params[terms.shared], (paths, 1))
    shared[:, fit.kept[terms.shared]] += kept
    return fit.params[terms.units] + units, shared


def _week_shock_paths(fit: HazardFit, rng: np.random.Generator, paths: int, steps: int) -> np.ndarray:
    """The weeks that go better or worse for every unit, per path and step: AR(1) from the last week's."""
    shocks = np.empty((paths, steps))
    innovation = rng.normal(0.0, fit.week_sd * np.sqrt(1 - fit.week_rho**2), size=(paths, steps))
    previous_shock = np.full(paths, fit.last_shock)
    for j in range(steps):
        previous_shock = fit.week_rho * previous_shock + innovation[:, j]
        shocks[:, j] = previous_shock
    return shocks


def _structure_paths(structure: Structure, rng: np.random.Generator, paths: int, steps: Steps) -> np.ndarray:
    """The model's error about the curve's shape, per path and step (link scale): a level per path
    and a random walk from the first step (``Structure``)."""
    weeks = np.asarray(steps.weeks)
    level = structure.bias + np.sqrt(structure.level_var) * rng.standard_normal((paths, 1))
    walk = np.cumsum(rng.standard_normal((paths, len(weeks))) * np.sqrt(structure.drift_var * weeks), axis=1)
    return level + walk


@dataclass(frozen=True)
class Steps:
    """The simulation's weekly steps: first the catch-up weeks of the units that have not reported
    lately (from the earliest last report to the last report date: they have had those weeks of
    uptake, not yet reported), then the future dates. ``start``: each step's start in weeks after
    the last report date (negative for the catch-up); ``active``: which units a step moves (units x steps)."""

    start: np.ndarray
    weeks: list[float]
    catch_up: int
    active: np.ndarray


def _steps(fit: HazardFit, dates: list[pd.Timestamp]) -> Steps:
    lag = np.rint((fit.last_date - pd.to_datetime(fit.state["last_report"])).dt.days.to_numpy() / 7)
    lag = np.clip(np.nan_to_num(lag), 0, None).astype(int)
    k = int(lag.max()) if len(lag) else 0
    future = [(date - previous).days / 7 for previous, date in zip([fit.last_date] + dates[:-1], dates)]
    start = np.concatenate([-np.arange(k, 0, -1.0), np.cumsum([0.0] + future[:-1])])
    active = np.arange(k + len(dates))[None, :] >= (k - lag)[:, None]
    return Steps(start=start, weeks=[1.0] * k + future, catch_up=k, active=active)


def _pull(fit: HazardFit, shared: np.ndarray, steps: Steps, effort: Effort) -> np.ndarray:
    """Per path and step, the part of the link common to the track's units: the phase's effect,
    fade and start-up at the week each step starts (``effort`` decides which phase goes on after
    the last report date; the catch-up weeks are the current phase's)."""
    terms, phase = fit.terms, int(fit.state["phase"].iloc[0])
    at = lambda index: shared[:, index - terms.n_units]  # noqa: E731
    phase_effect = at(terms.phase(phase)) if phase > 0 else np.zeros(len(shared))
    decay, start_up = at(terms.fade(phase)), at(terms.startup(phase))
    out = np.empty((len(shared), len(steps.weeks)))
    for j, offset in enumerate(steps.start):
        going_on = effort.scenario == "no_campaign" or j < steps.catch_up
        in_phase = max(fit.state["weeks_in_phase"].iloc[0] + offset, 0.0) if going_on else offset
        out[:, j] = phase_effect + decay * np.log1p(in_phase) + start_up * np.exp(-in_phase / START_WEEKS)
    return out


def simulate_chunks(fit: HazardFit, dates: list[pd.Timestamp], effort: Effort = Effort(), paths: int = 2000,
                    seed: int = 1, cells: int = SIM_CELLS):
    """``simulate`` a block of units at a time: yields (first unit, cumulative supported people
    (paths, units of the block, dates)), blocks of at most ``cells`` path-units (at least one unit),
    so that memory stays linear in the units. The random numbers are drawn block after block: the
    paths depend on ``cells`` only when there is more than one block."""
    rng = np.random.default_rng(seed)
    n_all = len(fit.state)
    steps = _steps(fit, dates)
    levels, shared = _coefficient_draws(fit, rng, paths)
    common = (_pull(fit, shared, steps, effort) + _week_shock_paths(fit, rng, paths, len(steps.weeks))
              + _structure_paths(fit.structure, rng, paths, steps))
    if effort.scenario == "custom":
        common[:, steps.catch_up:] += np.log(max(effort.intensity, 1e-9))
    saturation = shared[:, fit.terms.saturation - fit.terms.n_units][:, None]
    block = max(1, cells // max(paths, 1))
    for first in range(0, n_all, block):
        last = min(n_all, first + block)
        level = np.full((paths, last - first), -np.inf)  # a stalled unit has no hazard
        fitted = min(last, fit.terms.n_units)
        level[:, : max(fitted - first, 0)] = levels[:, first:fitted]
        yield first, _unit_paths(fit, level, (common, saturation), steps, slice(first, last), rng)


def _unit_paths(fit: HazardFit, level: np.ndarray, track: tuple[np.ndarray, np.ndarray], steps: Steps,
                block: slice, rng: np.random.Generator) -> np.ndarray:
    """Cumulative supported people of the units ``block`` of ``fit.state`` at the future dates, step
    after step (``steps``: a unit's catch-up weeks, then the future): the weekly hazard from the
    unit's ``level`` (paths x units), the ``track``'s common part (paths x steps) and its saturation
    draws (paths x 1), then each unit's week going better or worse; the counts binomial in
    clusters of ``count_scale``."""
    common, saturation = track
    eligible = fit.state["eligible"].to_numpy()[block]
    active = steps.active[block]
    paths = len(level)
    cumulative = np.broadcast_to(fit.state["supported"].to_numpy()[block], level.shape).copy()
    cluster = max(1, int(round(fit.count_scale)))
    unit_week_sd = np.sqrt(fit.unit_week_var)
    out = np.empty((paths, level.shape[1], len(steps.weeks) - steps.catch_up))
    for j, step in enumerate(steps.weeks):
        eta = level + common[:, j][:, None] + saturation * cumulative / eligible
        if unit_week_sd > 0:  # each unit's week goes better or worse than its trend (mean one on the hazard)
            eta = eta + rng.normal(-fit.unit_week_var / 2, unit_week_sd, size=eta.shape)
        hazard = 1 - np.exp(-np.exp(np.clip(eta + np.log(step), -50, 5)))
        at_risk = np.maximum(eligible - cumulative, 0).astype(np.int64)
        if not active[:, j].all():  # a unit's catch-up starts at its last report
            at_risk *= active[:, j]
        new = cluster * rng.binomial(at_risk // cluster, hazard) + rng.binomial(at_risk % cluster, hazard)
        cumulative = cumulative + new
        if j >= steps.catch_up:
            out[:, :, j - steps.catch_up] = cumulative
    return out


def simulate(fit: HazardFit, dates: list[pd.Timestamp], effort: Effort = Effort(), paths: int = 2000,
             seed: int = 1) -> np.ndarray:
    """Cumulative supported people per path, unit and future date: an array (paths, units, dates)."""
    return np.concatenate([block for _, block in simulate_chunks(fit, dates, effort, paths, seed)], axis=1)


def _summary(paths: np.ndarray, eligible: float, supported_now: float, target_rate: float,
             dates: list[pd.Timestamp], as_of: pd.Timestamp) -> dict:
    """Band, probability and median date of reaching the target, from cumulative paths (paths x dates)."""
    target = target_rate * eligible
    final = paths[:, -1] / eligible if eligible > 0 else np.full(len(paths), np.nan)
    reached = paths >= target
    if supported_now >= target:
        median_date, probability = as_of, 1.0
    else:
        first = np.where(reached.any(axis=1), reached.argmax(axis=1), len(dates))
        k = int(np.sort(first)[len(first) // 2])
        median_date = dates[k] if k < len(dates) else pd.NaT
        probability = float(reached[:, -1].mean())
    q = np.nanquantile(final, [0.025, 0.10, 0.50, 0.90, 0.975]) if eligible > 0 else [np.nan] * 5
    return {"eligible": eligible, "supported": supported_now, "rate_now": supported_now / eligible if eligible else np.nan,
            "rate_p025": q[0], "rate_p10": q[1], "rate_median": q[2], "rate_p90": q[3], "rate_p975": q[4],
            "prob_reach": probability, "median_date_reached": median_date}


def fit_tracks(dataset: Dataset, panel: pd.DataFrame, as_of) -> dict[str, HazardFit | None]:
    """The hazard model of every track the campaign projects (``projected``; not, e.g., the cadres held to
    their own 100%) that is in the panel (None for a track where nobody is at risk)."""
    tracks = set(panel["track"])
    return {track: fit_track(dataset, panel, track, as_of) for track in dataset.campaign.projected if track in tracks}


def project(dataset: Dataset, panel: pd.DataFrame, as_of, deadline, target_rate: float,
            effort: Effort = Effort(), paths: int = 2000, seed: int = 1,
            fits: dict[str, HazardFit | None] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Project every unit and track to the deadline under one effort scenario. There is no province
    row: residents are people and facilities count patient visits, so no figure adds them.

    ``fits`` (from ``fit_tracks``) saves refitting when several scenarios are projected.

    Returns (projection: one row per level/unit with the band of the rate at the deadline, the
    probability of reaching the target and the median date it is reached; fan: quantiles of each
    track's rate at every future date, for the fan chart).
    """
    as_of, deadline = pd.Timestamp(as_of), pd.Timestamp(deadline)  # dates enter here once (str, date or Timestamp)
    if deadline <= as_of:
        raise DataError(f"the deadline {deadline:%Y-%m-%d} is not after the as-of date {as_of:%Y-%m-%d}",
                        hint="choose a later deadline")
    rows, fans = [], []
    fits = fit_tracks(dataset, panel, as_of) if fits is None else fits
    for track, fit in fits.items():
        if fit is None:
            continue
        dates = future_dates(fit.last_date, deadline)
        unit_rows, total = _unit_rows(fit, panel, dates, deadline, effort, paths, seed)
        total = track_total(fit, dates, effort, paths, seed, hazard=total)
        rows += unit_rows
        targets = _targets(fit, panel)
        pace = recent_pace(fit)
        weeks_left = (deadline - fit.last_date).days / 7
        eligible, now = fit.state["eligible"].sum(), fit.state["supported"].sum()
        rows.append({"level": "track", "track": track, "code": track, "name": track,
                     **_summary(total, eligible, now, targets.sum() / eligible, dates, fit.last_date),
                     "needed_per_week": max(0.0, targets.sum() - now) / weeks_left,
                     "recent_per_week": float(sum(pace.values())),
                     "weeks_in_phase": float(fit.state["weeks_in_phase"].iloc[0]),
                     "chance_supported": chance_supported(fit.state["weeks_in_phase"].iloc[0])})
        fans.append(_fan(total / eligible, dates, track))
    table = pd.DataFrame(rows).assign(scenario=effort.scenario, deadline=deadline)
    return table, (pd.concat(fans, ignore_index=True) if fans else pd.DataFrame())


def _targets(fit: HazardFit, panel: pd.DataFrame) -> np.ndarray:
    """People each unit of ``fit.state`` must reach (its eligible times its target rate)."""
    return fit.state["eligible"].to_numpy() * (panel.drop_duplicates("code").set_index("code")
                                               .loc[fit.state["code"], "target_rate"].to_numpy())


def _unit_rows(fit: HazardFit, panel: pd.DataFrame, dates: list[pd.Timestamp], deadline: pd.Timestamp, effort: Effort, paths: int,
               seed: int) -> tuple[list[dict], np.ndarray]:
    """The projection's row of every unit of a track, and the track's cumulative paths (paths x
    dates), simulated a block of units at a time (``simulate_chunks``)."""
    targets, pace = _targets(fit, panel), recent_pace(fit)
    weeks_left = (deadline - fit.last_date).days / 7
    rows, total = [], np.zeros((paths, len(dates)))
    for first, cumulative in simulate_chunks(fit, dates, effort, paths, seed):
        for k in range(cumulative.shape[1]):
            i, unit = first + k, fit.state.iloc[first + k]
            summary = _summary(cumulative[:, k, :], unit["eligible"], unit["supported"], targets[i] / unit["eligible"],
                               dates, fit.last_date)
            needed = max(0.0, targets[i] - unit["supported"]) / weeks_left
            rows.append({"level": "unit", "track": fit.track, "code": unit["code"], "name": unit["name"], **summary,
                         "needed_per_week": needed, "recent_per_week": pace.get(unit["code"], np.nan),
                         "chance_supported": chance_supported(unit["weeks_in_phase"])})
        total += cumulative.sum(axis=1)
    return rows, total


def recent_pace(fit: HazardFit, weeks: int = 4) -> dict[str, float]:
    """People newly supported per week over the last ``weeks`` weeks, per unit."""
    recent = fit.history[fit.history["as_of"] > fit.last_date - pd.Timedelta(weeks=weeks)]
    grouped = recent.groupby("code")[["new", "weeks"]].sum()
    return (grouped["new"] / grouped["weeks"]).to_dict()


def _fan(rates: np.ndarray, dates: list[pd.Timestamp], level: str) -> pd.DataFrame:
    q = np.quantile(rates, [0.025, 0.10, 0.50, 0.90, 0.975], axis=0)
    return pd.DataFrame({"level": level, "as_of": dates, "p025": q[0], "p10": q[1], "median": q[2],
                         "p90": q[3], "p975": q[4]})


def observed_path(panel: pd.DataFrame, as_of) -> pd.DataFrame:
    """Observed cumulative rate per track, missing units carried forward. Columns: level, as_of, rate."""
    upto = panel[panel["as_of"] <= pd.Timestamp(as_of)]
    used = upto[upto["reported"] | upto["carried"]]
    frames = []
    for level, part in [(t, used[used["track"] == t]) for t in track_order()]:
        sums = part.groupby("as_of")[["supported", "eligible"]].sum()
        frames.append(pd.DataFrame({"level": level, "as_of": sums.index, "rate": sums["supported"] / sums["eligible"]}))
    return pd.concat(frames, ignore_index=True).dropna()


def project_scenarios(dataset: Dataset, panel: pd.DataFrame, as_of, deadline, target_rate: float,
                      intensity: float = 1.5, paths: int = 2000, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``project`` under every effort scenario, stacked (column ``scenario``), for side-by-side reading.

    Empty tables when there are fewer than ``MIN_DATES`` report dates (``project`` itself refuses).
    """
    as_of, deadline = pd.Timestamp(as_of), pd.Timestamp(deadline)  # dates enter here once
    if len([d for d in dataset.report_dates if d <= as_of]) < MIN_DATES:
        return pd.DataFrame(), pd.DataFrame()  # the report says a trend needs more dates
    if deadline <= as_of:
        return project(dataset, panel, as_of, deadline, target_rate)  # refused, with the reason
    tables, fans = [], []
    fits = fit_tracks(dataset, panel, as_of)
    for scenario in SCENARIOS:
        table, fan = project(dataset, panel, as_of, deadline, target_rate, Effort(scenario, intensity), paths, seed, fits)
        tables.append(table)
        fans.append(fan.assign(scenario=scenario))
    return pd.concat(tables, ignore_index=True), pd.concat(fans, ignore_index=True)
