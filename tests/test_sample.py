"""The sample data set: deterministic, calibrated to the published figures, with known flaws."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from analysis.config import SAMPLE_DIR
from analysis.data.dataset import COVARIATES
from analysis.data.panel import full_panel
from analysis.data.register import province_wards
from analysis.synthetic.sample import write_sample
from conftest import published_value


def test_regenerating_gives_the_committed_files_byte_for_byte(tmp_path):
    written = write_sample(tmp_path)
    for path in written:
        committed = SAMPLE_DIR / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), path.name
    assert len(list((SAMPLE_DIR / "reports").glob("*.csv"))) == len(list((tmp_path / "reports").glob("*.csv")))


def test_communes_are_the_official_register(sample):
    residents = sample.units[sample.units["track"] == "residents"]
    wards = province_wards(96)
    assert sorted(residents["code"]) == sorted(wards["code"]) and len(residents) == 64


def test_named_units_have_their_published_achievement_and_lead_the_ranking(sample, published):
    panel = full_panel(sample, 0.40)
    last = panel[(panel["as_of"] == panel["as_of"].max()) & panel["reported"] & (panel["track"] != "cadres")]
    named = published[published["figure"] == "achievement"]
    by_name = last.set_index("name")["achievement"]
    for _, row in named.iterrows():
        assert round(by_name[row["subject"]], 4) == row["value"], row["subject"]
    top = last.sort_values("achievement", ascending=False)["name"].head(len(named))
    assert set(top) == set(named["subject"])


def test_weekly_reports_span_both_phases_with_gaps(sample):
    dates = sample.report_dates
    assert dates[0] < sample.phases["start"].iloc[1] and dates[-1] == sample.phases["end"].iloc[1]
    assert len(dates) >= 20
    per_date = sample.reports.groupby("as_of").size()
    assert per_date.min() < per_date.max()  # some units skip weeks


def test_recorded_truth_is_the_one_behind_the_communes_counts(sample, published):
    truth = json.loads((SAMPLE_DIR / "truth.json").read_text(encoding="utf-8"))
    assert sorted(truth["coefficients"]) == sorted(COVARIATES)  # the drivers model's covariates
    assert truth["cluster_size"] > 1
    # the intercept was solved so that the expected total of the communes the report does not name
    # is their supported total: recompute it from units.csv and the last report
    residents = sample.units[sample.units["track"] == "residents"]
    last = sample.reports[sample.reports["as_of"] == sample.report_dates[-1]][["code", "eligible", "supported"]]
    free = residents.merge(last, on="code")
    free = free[~free["name"].isin(published.loc[published["figure"] == "achievement", "subject"])]
    assert 0 < len(free) < len(residents)
    slope = free[list(truth["coefficients"])].to_numpy(float) @ np.array(list(truth["coefficients"].values()))
    expected = (free["eligible"] * expit(truth["intercept"] + slope)).sum()
    assert expected == pytest.approx(free["supported"].sum(), rel=1e-6)


def test_central_count_at_the_end_is_the_published_one(sample, published):
    central = sample.central.dropna(subset=["integrated_central"])
    assert central["integrated_central"].iloc[-1] == published_value(published, "integrated_central", "province")
    last = sample.reports[sample.reports["as_of"] == sample.report_dates[-1]]
    assert last["integrated_central"].sum() == central["integrated_central"].iloc[-1]
    assert isinstance(central["as_of"].iloc[-1], pd.Timestamp)
