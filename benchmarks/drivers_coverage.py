"""Simulation study: do the drivers model's 95% intervals cover the true effects 95% of the time?

Draws many data sets at the sample's denominators and covariates from the true relation of the
sample generator (beta-binomial between communes, binomial within), fits the quasi-binomial
model and the plain binomial one, and reports how often each 95% interval of the
population-weighted effect of 10 more points covers the true effect.

    .venv/bin/python benchmarks/drivers_coverage.py [--sets 500] [--seed 7]

Writes benchmarks/results/drivers_coverage.md (or drivers_coverage_beta<precision>.md with
--beta-precision, the sensitivity run under a beta-binomial truth).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _tables import markdown
from scipy.special import expit

from analysis.analyses import drivers
from analysis.config import SAMPLE_DIR
from analysis.data.dataset import load_data_dir
from analysis.data.panel import full_panel
from analysis.synthetic.sample import draw_clustered

RESULTS = Path(__file__).resolve().parent / "results"


def true_effects(design: np.ndarray, beta: np.ndarray, weights: np.ndarray) -> np.ndarray:
    out = []
    for k in range(1, design.shape[1]):
        shifted = design.copy()
        shifted[:, k] += drivers.STEP
        out.append(100 * np.average(expit(shifted @ beta) - expit(design @ beta), weights=weights))
    return np.array(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--beta-precision", type=float, default=0.0,
                        help="draw between-commune beta noise of this precision instead of the sample's clustering "
                             "(a misspecified alternative, for sensitivity)")
    args = parser.parse_args()
    truth = json.loads((SAMPLE_DIR / "truth.json").read_text(encoding="utf-8"))
    sample = load_data_dir(SAMPLE_DIR)
    frame, _ = drivers.unit_frame(sample, full_panel(sample, 0.40), sample.report_dates[-1])
    names = list(truth["coefficients"])
    beta = np.array([truth["intercept"]] + [truth["coefficients"][c] for c in names])
    design = np.column_stack([np.ones(len(frame)), frame[names].to_numpy(float)])
    n = frame["eligible"].to_numpy().astype(np.int64)
    target = true_effects(design, beta, n.astype(float))
    rng = np.random.default_rng(args.seed)
    phi = args.beta_precision
    hits = {"quasi_binomial": np.zeros(len(names)), "binomial_scale_1": np.zeros(len(names))}
    started = time.perf_counter()
    for _ in range(args.sets):
        mu = expit(design @ beta)
        supported = rng.binomial(n, rng.beta(mu * phi, (1 - mu) * phi)) if phi else draw_clustered(rng, n, mu, truth["cluster_size"])
        fit = drivers.fit_quasi_binomial(frame.assign(supported=supported), names)
        effects = drivers.effects_table(fit)
        for model in hits:
            rows = effects[(effects["model"] == model) & (effects["weighting"] == "population")].set_index("covariate")
            hits[model] += (rows.loc[names, "ci_low_pp"].to_numpy() <= target) & (target <= rows.loc[names, "ci_high_pp"].to_numpy())
    seconds = time.perf_counter() - started
    table = pd.DataFrame({"covariate": names, "true_effect_pp": target.round(3),
                          **{f"coverage_{m}": (100 * h / args.sets).round(1) for m, h in hits.items()}})
    text = ["# Coverage of the drivers model's 95% intervals", "",
            f"Command: `.venv/bin/python benchmarks/drivers_coverage.py --sets {args.sets} --seed {args.seed}`  ",
            f"Machine: {platform.machine()}, {platform.python_version()}, {time.strftime('%Y-%m-%d')} (run date); "
            f"{args.sets} simulated data sets in {seconds:.1f} s.", "",
            "Data sets drawn at the sample's 64 communes (denominators and covariates) from the generator's truth: "
            + (f"beta-binomial between communes, precision {phi:g} (misspecified for the quasi-binomial model)"
               if phi else f"people deciding in groups of {truth['cluster_size']} (the sample's process)")
            + ". Target: coverage within 93-97%.", "",
            markdown(table), ""]
    name = f"drivers_coverage_beta{phi:g}.md" if phi else "drivers_coverage.md"
    (RESULTS / name).write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
