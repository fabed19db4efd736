"""Drivers model: right scale, truth recovered on the sample, statsmodels reproduced, edge cases."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.special import expit

from analysis.analyses import drivers
from analysis.config import SAMPLE_DIR
from analysis.data.dataset import COVARIATES, SURVEY_COLUMNS, load_data_dir, load_survey
from analysis.data.panel import full_panel
from analysis.errors import DataError
from helpers import write_data_dir

AS_OF = pd.Timestamp("2025-11-14")


@pytest.fixture(scope="module")
def fit(sample):
    frame, absent = drivers.unit_frame(sample, full_panel(sample, 0.40), AS_OF)
    return drivers.fit_quasi_binomial(frame, [c for c in drivers.COVARIATES if c not in absent])


@pytest.fixture(scope="module")
def truth():
    return json.loads((SAMPLE_DIR / "truth.json").read_text(encoding="utf-8"))


def test_scale_is_pearson_chi2_over_residual_df(fit):
    check = drivers.check_scale(fit)
    assert check["scale"] == pytest.approx(check["chi2_over_df"], rel=1e-10)
    assert check["scale"] > 5  # communes differ far more than binomial noise


def test_fitted_coefficients_cover_the_truth(fit, truth):
    params, bse = np.asarray(fit.result.params)[1:], np.asarray(fit.result.bse)[1:]
    for name, beta, se in zip(fit.covariates, params, bse):
        assert abs(beta - truth["coefficients"][name]) < 1.96 * se, name


def test_population_weighted_effects_cover_the_true_effects(fit, truth):
    effects = drivers.effects_table(fit)
    main = effects[(effects["model"] == "quasi_binomial") & (effects["weighting"] == "population")].set_index("covariate")
    beta_true = np.array([truth["intercept"]] + [truth["coefficients"][c] for c in fit.covariates])
    weights = fit.frame["eligible"].to_numpy(float)
    for k, name in enumerate(fit.covariates, start=1):
        shifted = fit.design.copy()
        shifted[:, k] += drivers.STEP
        true_pp = 100 * np.average(expit(shifted @ beta_true) - expit(fit.design @ beta_true), weights=weights)
        assert main.loc[name, "ci_low_pp"] <= true_pp <= main.loc[name, "ci_high_pp"], name


def test_plain_binomial_intervals_are_far_narrower(fit):
    effects = drivers.effects_table(fit)
    pop = effects[effects["weighting"] == "population"].set_index(["model", "covariate"])["se_pp"]
    ratio = pop["quasi_binomial"] / pop["binomial_scale_1"]
    assert np.allclose(ratio, np.sqrt(fit.result.scale))


def test_reproduces_statsmodels_on_star98():
    data = sm.datasets.star98.load_pandas()
    successes, failures = data.endog["NABOVE"], data.endog["NBELOW"]
    exog = data.exog.iloc[:, :5]
    frame = exog.assign(supported=successes, eligible=successes + failures)
    fit = drivers.fit_quasi_binomial(frame, list(exog.columns))
    two_column = sm.GLM(data.endog[["NABOVE", "NBELOW"]], sm.add_constant(exog), family=sm.families.Binomial()).fit()
    assert np.allclose(np.asarray(fit.result.params), np.asarray(two_column.params), rtol=1e-6)
    assert fit.result.pearson_chi2 == pytest.approx(two_column.pearson_chi2, rel=1e-6)
    assert fit.result.scale == pytest.approx(two_column.pearson_chi2 / two_column.df_resid, rel=1e-6)
    assert np.allclose(np.asarray(fit.result.bse), np.asarray(two_column.bse) * np.sqrt(fit.result.scale), rtol=1e-5)


def test_beta_binomial_agrees_in_direction(fit):
    bb = drivers.fit_beta_binomial(fit)
    assert bb.phi > 0
    assert bb.converged or np.isfinite(bb.params).all()
    assert np.all(np.sign(bb.params[1:]) == np.sign(np.asarray(fit.result.params)[1:]))
    effects = drivers.effects_table(fit, bb)
    assert set(effects["model"]) == {"quasi_binomial", "beta_binomial", "binomial_scale_1"}
    assert set(effects["weighting"]) == {"population", "typical_unit"}


def _small(tmp_path, units_text: str | None = None):
    ds = load_data_dir(write_data_dir(tmp_path, **({"units.csv": units_text} if units_text else {})))
    return ds, full_panel(ds, 0.40)


def test_covariate_without_variation_is_dropped_and_named(tmp_path):
    from helpers import UNITS

    # every commune 10% working away: no variation in absent_share
    units = UNITS.replace("0.18,0.65,0.20,0.50", "0.18,0.65,0.10,0.50").replace("0.12,0.80,0.05,0.60", "0.12,0.80,0.10,0.60")
    ds, panel = _small(tmp_path, units)
    frame, _ = drivers.unit_frame(ds, panel, pd.Timestamp("2025-08-08"))
    fit = drivers.fit_quasi_binomial(frame, ["absent_share", "share_60plus"])
    assert fit.dropped == ["absent_share"] and fit.covariates == ["share_60plus"]


def test_unit_with_zero_eligible_is_left_out(tmp_path):
    from helpers import REPORTS

    reports = {**REPORTS, "2025-11-14": REPORTS["2025-11-14"].replace("32248,Xã Đất Mũi,residents,1000,450,150",
                                                                      "32248,Xã Đất Mũi,residents,0,0,0")}
    ds = load_data_dir(write_data_dir(tmp_path, reports=reports))
    frame, _ = drivers.unit_frame(ds, full_panel(ds, 0.40), AS_OF)
    assert "32248" not in set(frame["code"]) and len(frame) == 1


def test_missing_covariates_name_the_units(tmp_path):
    from helpers import UNITS

    units = UNITS.replace("32092,Xã Hồ Thị Kỷ,residents,commune,0.18,", "32092,Xã Hồ Thị Kỷ,residents,commune,,")
    ds, panel = _small(tmp_path, units)
    with pytest.raises(DataError, match=r"lacks share_60plus for 1 unit\(s\): Xã Hồ Thị Kỷ"):
        drivers.unit_frame(ds, panel, AS_OF)


def test_scenarios_with_no_change_give_today(fit):
    table = drivers.scenarios(fit, drivers.Scenario(0.0, 0.0, 0.0)).set_index("scenario")
    assert np.allclose(table["change_pp"], 0)
    assert np.allclose(table["rate"], table.loc["today", "rate"])
    assert not table["refused"].any() and (table["held"] == 0).all()


def test_a_scenario_outside_the_observed_range_is_refused_with_a_sentence(fit):
    """Halving the share aged 60+ puts every commune below the youngest one observed: the model has
    no data there, so the scenario is refused, and said so, instead of extrapolated."""
    from analysis.reports.drivers_report import scenarios_section

    share = fit.frame["share_60plus"].to_numpy(float)
    outside = int((share * 0.5 < share.min()).sum())
    assert outside == len(share)  # the sample's shape: computed here from the data, not assumed
    table = drivers.scenarios(fit, drivers.Scenario(0.0, 0.5, 0.0)).set_index("scenario")
    assert table.loc["share_60plus", "refused"] and table.loc["share_60plus", "held"] == outside
    assert np.isnan(table.loc["share_60plus", "rate"]) and table.loc["all", "refused"]
    analysis = drivers.DriversAnalysis(fit=fit, scenarios=table.reset_index(), notes=[])
    text = scenarios_section(analysis, drivers.Scenario(0.0, 0.5, 0.0), 0.40, "vi")[0].data
    assert f"không ước tính, vì thay đổi này đưa {outside}/{len(share)} xã ra ngoài khoảng số liệu quan sát" in text


def test_a_scenario_within_range_holds_the_few_communes_at_the_edge(fit):
    phones = fit.frame["smartphone_rate"].to_numpy(float)
    beyond = int((phones + 0.05 > phones.max()).sum())
    table = drivers.scenarios(fit, drivers.Scenario(0.05, 0.0, 0.0)).set_index("scenario")
    row = table.loc["smartphone_rate"]
    assert not row["refused"] and row["held"] == beyond and 0 < beyond < len(phones) / 2
    assert row["ci_low"] <= row["rate"] <= row["ci_high"]
    assert (row["range_low"], row["range_high"]) == (phones.min(), phones.max())


def test_gap_breakdown_parts_add_up_to_the_benchmark(fit):
    """Against the stated benchmark (each commune moved to the best-placed tenth on every covariate),
    the parts are Shapley values: they add up to the whole."""
    from scipy.special import expit

    gap = drivers.gap_breakdown(fit, 0.40).set_index("component")
    observed = fit.frame["supported"].sum() / fit.frame["eligible"].sum()
    assert gap.loc["benchmark", "target_gap_pp"] == pytest.approx(100 * (0.40 - observed))
    beta = np.asarray(fit.result.params)
    x = fit.frame[fit.covariates].to_numpy(float)
    moved = x.copy()
    for j in range(x.shape[1]):  # the benchmark, computed here from its definition
        q = np.quantile(x[:, j], 0.10 if beta[j + 1] < 0 else 0.90)
        moved[:, j] = np.minimum(x[:, j], q) if beta[j + 1] < 0 else np.maximum(x[:, j], q)
    w = fit.frame["eligible"].to_numpy(float) / fit.frame["eligible"].sum()
    whole = 100 * (expit(beta[0] + moved @ beta[1:]) @ w - expit(beta[0] + x @ beta[1:]) @ w)
    assert gap.loc["benchmark", "pp"] == pytest.approx(whole, abs=0.3)  # median of draws against the point
    parts = gap.drop(index=["benchmark"])["pp"]
    assert parts.sum() == pytest.approx(gap.loc["benchmark", "pp"], abs=0.3)
    assert "unexplained" not in gap.index


def test_facility_types_against_hospitals(sample):
    types = drivers.facility_types(sample, full_panel(sample, 0.40), AS_OF).set_index("unit_type")
    assert types.loc["hospital", "difference_pp"] == 0
    assert types.loc["health_station", "diff_high_pp"] < 0 and types.loc["private_clinic", "diff_high_pp"] < 0


def test_survey_cells_give_the_person_level_fit(tmp_path):
    from analysis.synthetic.sample import build_survey

    people = build_survey(np.random.default_rng(3), 5000)
    path = tmp_path / "survey.csv"
    people.assign(full_name="Nguyễn Văn A").to_csv(path, index=False)
    model = drivers.fit_survey(load_survey(path)[0]).set_index("covariate")
    direct = sm.Logit(people["integrated"], sm.add_constant(people[SURVEY_COLUMNS[:-1]].astype(float))).fit(disp=0)
    assert np.allclose(model["coef"], np.asarray(direct.params)[1:], atol=1e-6)
    assert np.allclose(model["se"], np.asarray(direct.bse)[1:], rtol=1e-4)


def test_survey_small_cells_are_suppressed():
    cells = pd.DataFrame({"age_60plus": [0, 1], "has_smartphone": [1, 1], "works_away": [0, 1], "level2": [1, 0],
                          "people": [120, 7], "integrated": [40, 3]})
    table = drivers.survey_table(cells)
    assert pd.isna(table.loc[1, "people"]) and pd.isna(table.loc[1, "integrated"]) and pd.isna(table.loc[1, "rate"])
    assert table.loc[0, "people"] == 120


def test_survey_with_bad_values_is_refused(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("age_60plus,has_smartphone,works_away,level2,integrated\n0,1,0,1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="column integrated holds values other than 0 and 1") as err:
        load_survey(path)
    assert (err.value.row, err.value.column, err.value.value) == (2, "integrated", 2)


def test_too_few_communes_leaves_the_model_empty_with_a_note(tmp_path):
    from analysis.reports.drivers_report import effects_section, missing_note

    ds, panel = _small(tmp_path)
    result = drivers.analyse(ds, panel, AS_OF, 0.40)
    assert result.fit is None and result.effects is None
    assert "2 xã có số liệu" in missing_note(result, "vi")
    assert "Not enough data" in effects_section(result, "en")[0].data
    assert result.facility_types is None  # two facilities of two types: no dispersion to estimate


def test_analyse_on_the_sample_has_every_part(sample):
    result = drivers.analyse(sample, full_panel(sample, 0.40), AS_OF, 0.40)
    for part in ("effects", "scale", "facility_types", "scenarios", "gap", "residuals", "survey_model", "survey_table"):
        assert getattr(result, part) is not None, part
    # each part is about the sample's own units and survey, counted here from the data
    assert result.notes == [] and result.fit.covariates == list(COVARIATES)
    units = sample.units.set_index("code")
    assert sorted(result.residuals["code"]) == sorted(units.index[units["track"] == "residents"])
    last = sample.reports[(sample.reports["as_of"] == AS_OF) & sample.reports["code"].map(units["track"]).eq("residents")]
    rate = last["supported"].sum() / last["eligible"].sum()
    assert result.scenarios.set_index("scenario").loc["today", "rate"] == pytest.approx(rate)
    assert result.gap.set_index("component").loc["benchmark", "target_gap_pp"] == pytest.approx(100 * (0.40 - rate))
    assert set(result.facility_types["unit_type"]) == set(units.loc[units["track"] == "facilities", "unit_type"])
    people = pd.read_csv(SAMPLE_DIR / "survey.csv")
    assert result.survey_cells["people"].sum() == len(people)
    assert result.survey_cells["integrated"].sum() == people["integrated"].sum()
    assert list(result.survey_model["covariate"]) == SURVEY_COLUMNS[:-1]


def _cells(rows):
    """Survey cells from (age_60plus, has_smartphone, people, integrated); the other items all 0."""
    return pd.DataFrame([{"age_60plus": a, "has_smartphone": s, "works_away": 0, "level2": 0, "people": n,
                          "integrated": k} for a, s, n, k in rows])


def test_the_assisted_elderly_scenario_closes_a_share_of_the_gap_to_the_same_circumstances_under_60():
    from analysis.analyses.drivers import survey_assisted

    # elderly without a phone 10% (vs 30% under 60 without); with a phone 40% (vs 60%)
    cells = _cells([(1, 0, 200, 20), (0, 0, 300, 90), (1, 1, 100, 40), (0, 1, 400, 240)])
    out = survey_assisted(cells, 0.5).iloc[0]
    assert out["rate"] == pytest.approx(390 / 1000)
    assert out["change_pp"] == pytest.approx(100 * 0.5 * (200 * 0.20 + 100 * 0.20) / 1000)  # 3 points
    assert out["ci_low"] < out["rate_assisted"] < out["ci_high"]
    assert out["elderly"] == 300 and out["elderly_unmatched"] == 0


def test_the_survey_scenario_moves_no_group_down_and_leaves_groups_too_small_to_compare():
    from analysis.analyses.drivers import MIN_CELL, survey_assisted

    # the elderly with a phone do better than the young with one: not moved; a tiny young group: not compared
    cells = _cells([(1, 1, 100, 70), (0, 1, 400, 240), (1, 0, 50, 5), (0, 0, MIN_CELL - 1, 5)])
    out = survey_assisted(cells, 1.0).iloc[0]
    assert out["change_pp"] == 0 and out["rate_assisted"] == out["rate"]
    assert out["elderly_unmatched"] == 50
    assert survey_assisted(cells[cells["age_60plus"] == 1], 0.5) is None  # nobody under 60 to compare with


def test_the_drivers_report_gives_the_survey_scenario_from_its_csv(rendered, rendered_en):
    import csv

    from analysis.reports.present import fmt_int, fmt_pct

    with open(rendered / "drivers_survey_scenario.csv", encoding="utf-8-sig", newline="") as handle:
        row = next(csv.DictReader(handle))
    cells = load_survey(SAMPLE_DIR / "survey.csv")[0]  # the figures come from the survey file itself
    assert int(row["people"]) == cells["people"].sum() and float(row["rate"]) == pytest.approx(
        cells["integrated"].sum() / cells["people"].sum())
    assert float(row["ci_low"]) < float(row["rate_assisted"]) < float(row["ci_high"]) and float(row["change_pp"]) > 0
    for folder, lang, words in ((rendered, "vi", "không phải kết quả đo được"), (rendered_en, "en", "not a measured effect")):
        page = (folder / "02_uptake_drivers.html").read_text(encoding="utf-8")
        said = page[page.index(fmt_int(int(row["people"]), lang) + (" người" if lang == "vi" else " people")):][:900]
        assert fmt_pct(float(row["rate_assisted"]), lang) in said and fmt_pct(float(row["rate"]), lang) in said
        assert words in said
