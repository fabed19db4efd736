"""Would sharpening the stack help? A tuning study on the out-of-family backtest's tuning seeds only.

The stack (``projection.track_total``) is a linear pool of four models, and a linear pool of
forecasts that disagree is wider than each of them (Gneiting and Ranjan 2013); the usual cure is the
beta-transformed linear pool (Ranjan and Gneiting 2010): each path's rank level u in a date's
column is moved to the Beta(a, a) quantile of u, so that a > 1 narrows the middle and the tails.
This script fits the stack once per case on tracks k = offset .. offset + tracks - 1 of every shape
of ``projection_backtest_oof.py`` (never the frozen k = 0 .. 9), then scores each ``--alpha`` on
the same paths, with the bar's checks (80%/95% within 5 points, extreme chances wrong at most 1 in 20).

    PYTHONPATH=src .venv/bin/python benchmarks/projection_sharpening.py --seed-offset 1000 --tracks 5 --alpha 1 1.05 1.1 1.3 1.6 2

Prints one table per alpha; results in benchmarks/results/projection_backtest_oof.md (Notes).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import projection_backtest_oof as oof
from scipy.stats import beta


def collect(offset: int, tracks: int, paths: int) -> list[dict]:
    rows = []
    for s, (shape, make) in enumerate(oof.SHAPES.items()):
        for k in range(offset, offset + tracks):
            track = make(np.random.default_rng([oof.SEED, s, k]))
            true_rate = track.true.sum(axis=0) / track.eligible.sum()
            for weeks_in in oof.ORIGINS:
                origin = oof.CAMPAIGN + weeks_in
                samples = oof.model_samples(oof.dataset_of(track, origin), oof.START + pd.Timedelta(weeks=origin),
                                            oof.HORIZONS, paths)
                rows.append({"shape": shape, "samples": samples, "now": float(true_rate[origin]),
                             "truth": [float(true_rate[origin + h]) for h in oof.HORIZONS]})
    return rows


def sharpen(samples: np.ndarray, a: float) -> np.ndarray:
    """Each column's values at the Beta(a, a) quantiles of its paths' rank levels (ranks kept)."""
    if a == 1:
        return samples
    n, out = len(samples), np.empty_like(samples)
    levels = beta.ppf((np.arange(n) + 0.5) / n, a, a) * n - 0.5
    for j in range(samples.shape[1]):
        order = np.argsort(samples[:, j], kind="stable")
        out[order, j] = np.interp(levels, np.arange(n), samples[order, j])
    return out


def score(rows: list[dict], a: float) -> tuple[pd.DataFrame, int]:
    records = []
    for row in rows:
        s = sharpen(row["samples"], a)
        for j, h in enumerate(oof.HORIZONS):
            x, truth = s[:, j], row["truth"][j]
            lo80, hi80, lo95, hi95 = np.quantile(x, [0.10, 0.90, 0.025, 0.975])
            wrong = []
            for level in ((oof.TARGET, row["now"] + oof.GAIN) if h in (8, 13) else ()):
                p = np.mean(x >= level)
                if p < 0.05 or p > 0.95:
                    wrong.append((p > 0.95) != (truth >= level))
            records.append({"shape": row["shape"], "in80": lo80 <= truth <= hi80, "in95": lo95 <= truth <= hi95,
                            "extremes": len(wrong), "wrong": sum(wrong)})
    frame = pd.DataFrame(records)
    table = frame.groupby("shape").agg(cover80=("in80", "mean"), cover95=("in95", "mean"), extremes=("extremes", "sum"),
                                       wrong=("wrong", "sum"))
    table[["cover80", "cover95"]] *= 100
    table["wrong_pct"] = 100 * table["wrong"] / table["extremes"].clip(lower=1)
    met = int(((table["cover80"] - 80).abs() <= oof.TOLERANCE).sum() + ((table["cover95"] - 95).abs() <= oof.TOLERANCE).sum()
              + (table["wrong_pct"] <= 5).sum() + (table["wrong"].sum() <= 0.05 * table["extremes"].sum()))
    return table.round(1), met


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed-offset", type=int, default=1000, help="first tuning track (the frozen ones are 0-9)")
    parser.add_argument("--tracks", type=int, default=5)
    parser.add_argument("--paths", type=int, default=400)
    parser.add_argument("--alpha", type=float, nargs="+", default=[1.0, 1.05, 1.1, 1.3, 1.6, 2.0])
    args = parser.parse_args()
    if args.seed_offset < 10:
        parser.error("tune on tracks the frozen backtest does not use: --seed-offset 10 or more")
    rows = collect(args.seed_offset, args.tracks, args.paths)
    for a in args.alpha:
        table, met = score(rows, a)
        print(f"\nalpha = {a}: bar met on {met} of 28 checks\n")
        print(table.T.to_string())


if __name__ == "__main__":
    main()
