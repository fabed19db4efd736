"""The national data set, the comparison of provinces and the national run."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.analyses import national
from analysis.cli import main
from analysis.config import SAMPLE_DIR
from analysis.data.dataset import load_data_dir
from analysis.data.register import province_wards
from analysis.errors import DataError
from analysis.synthetic.national_sample import folder_name, write_national

HA_TINH, CA_MAU = 42, 96


@pytest.fixture(scope="module")
def two_provinces(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("national")
    write_national(root, only=[HA_TINH, CA_MAU])
    return root


def test_folder_names_start_with_the_register_code():
    assert folder_name(96, "Cà Mau") == "96-ca-mau"
    assert folder_name(1, "Thành phố Hà Nội") == "01-ha-noi"


def test_ca_mau_is_the_sample_itself(two_provinces):
    folder = two_provinces / "96-ca-mau"
    for name in ("units.csv", "central.csv", "phases.csv", "provinces.csv"):
        assert filecmp.cmp(folder / name, SAMPLE_DIR / name, shallow=False), name
    reports = sorted(p.name for p in (SAMPLE_DIR / "reports").glob("*.csv"))
    assert sorted(p.name for p in (folder / "reports").glob("*.csv")) == reports


def test_another_province_has_every_commune_of_the_register_and_loads(two_provinces):
    dataset = load_data_dir(two_provinces / "42-ha-tinh", HA_TINH)
    residents = dataset.units[dataset.units["track"] == "residents"]
    assert sorted(residents["code"]) == sorted(province_wards(HA_TINH)["code"])
    assert len(dataset.report_dates) == 27
    assert {"residents", "facilities", "cadres"} <= set(dataset.units["track"])
    # its central rank is its own row of the national table
    table = pd.read_csv(two_provinces / "provinces.csv")
    own = table[table["code"] == HA_TINH].set_index("as_of")["rank"]
    central = dataset.central.dropna(subset=["rank"]).set_index(dataset.central.dropna(subset=["rank"])["as_of"].dt.strftime("%Y-%m-%d"))
    assert central["rank"].astype(int).to_dict() == own.astype(int).to_dict()


def test_the_national_data_set_is_deterministic(two_provinces, tmp_path):
    """Written again (alone this time), a province's folder is the same file for file."""
    write_national(tmp_path / "b", only=[HA_TINH])
    a, b = two_provinces / "42-ha-tinh", tmp_path / "b" / "42-ha-tinh"
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files and all(filecmp.cmp(a / f, b / f, shallow=False) for f in files)


def test_province_folders_in_register_order_and_unknown_codes_refused(two_provinces, tmp_path):
    assert [p.code for p in national.province_folders(two_provinces)] == [HA_TINH, CA_MAU]
    assert [p.code for p in national.province_folders(SAMPLE_DIR, "Cà Mau")] == [CA_MAU]
    (tmp_path / "99-nowhere").mkdir()
    with pytest.raises(DataError, match="99, which is no province code") as err:
        national.province_folders(tmp_path)
    assert "99-nowhere" in str(err.value)
    with pytest.raises(DataError, match="holds no province folder"):
        national.province_folders(tmp_path / "99-nowhere")


def _rates() -> pd.DataFrame:
    rows = []
    for date, values in (("2025-08-12", {1: 0.30, 42: 0.20, 96: 0.19}), ("2025-11-04", {1: 0.33, 42: 0.22, 96: 0.25})):
        for code, rate in values.items():
            rows.append({"as_of": pd.Timestamp(date), "code": code, "name": str(code), "rate": rate})
    table = pd.DataFrame(rows)
    table["rank"] = table.groupby("as_of")["rate"].rank(ascending=False, method="min")
    table["code"] = table["code"].astype("Int64")
    return table


def test_comparison_ranks_provinces_and_leaves_missing_figures_blank(tmp_path):
    folders = [national.Province(96, "Cà Mau", tmp_path / "96-ca-mau")]
    summary = dict.fromkeys(national.SUMMARY_COLUMNS, 0.5) | {"rate_now": 0.2776, "n_reported": 64, "n_expected": 64,
                                                              "chance_supported": True}
    table = national.comparison(_rates(), folders, {96: summary}, pd.Timestamp("2025-11-14"), pd.Timestamp("2025-08-15"))
    assert table["code"].tolist() == [1, 96, 42]
    assert table["rank"].tolist() == [1, 2, 3]
    ca_mau = table.set_index("code").loc[96]
    assert ca_mau["rank_change"] == 1 and ca_mau["central_change_pp"] == pytest.approx(6.0)
    assert ca_mau["has_data"] and ca_mau["rate_now"] == 0.2776 and ca_mau["folder"] == "96-ca-mau"
    others = table[table["code"] != 96]
    assert not others["has_data"].any() and others["rate_now"].isna().all() and others["prob_no_campaign"].isna().all()


def test_comparison_before_any_central_rate_is_refused():
    with pytest.raises(DataError, match="no central rate on or before 2025-01-01"):
        national.comparison(_rates(), [], {}, pd.Timestamp("2025-01-01"), pd.Timestamp("2024-12-01"))


def test_summary_reads_the_residents_rows_of_the_province_reports(tmp_path):
    pd.DataFrame({"track": ["residents", "facilities"], "rate": [0.2776, 0.26], "change_pp": [15.5, 14.6],
                  "n_reported": [64, 40], "n_expected": [64, 41]}).to_csv(tmp_path / "headline.csv", index=False)
    pd.DataFrame({"level": ["track", "track", "track", "unit"], "track": ["residents", "residents", "facilities", "residents"],
                  "scenario": ["no_campaign", "like_last_campaign", "no_campaign", "no_campaign"],
                  "prob_reach": [0.1, 0.6, 0.9, 1.0], "rate_median": [0.32, 0.41, 0.35, 0.5],
                  "chance_supported": [False, False, True, False]}).to_csv(tmp_path / "projection.csv", index=False)
    found = national.summary_from_reports(tmp_path)
    assert found == {"rate_now": 0.2776, "change_pp": 15.5, "prob_no_campaign": 0.1, "median_no_campaign": 0.32,
                     "prob_campaign": 0.6, "median_campaign": 0.41, "chance_supported": False, "n_reported": 64,
                     "n_expected": 64}  # a phase in its first weeks: the residents' chances are not given
    assert national.summary_from_reports(tmp_path / "missing") is None


def test_the_ranking_gives_no_chance_for_a_province_in_a_phase_first_weeks(tmp_path):
    from analysis.reports import national_report
    folders = [national.Province(96, "Cà Mau", tmp_path / "96-ca-mau"), national.Province(1, "Hà Nội", tmp_path / "01-ha-noi")]
    base = {"rate_now": 0.2, "change_pp": 1.0, "median_no_campaign": 0.3, "median_campaign": 0.35, "n_reported": 64,
            "n_expected": 64}
    summaries = {96: base | {"prob_no_campaign": 0.01, "prob_campaign": 0.6, "chance_supported": True},
                 1: base | {"prob_no_campaign": 0.02, "prob_campaign": 0.7, "chance_supported": False}}
    table = national.comparison(_rates(), folders, summaries, pd.Timestamp("2025-11-14"), pd.Timestamp("2025-08-15"))
    lines = national_report.sentences(table, 0.40, pd.Timestamp("2025-12-31"), "en")
    [count] = [line for line in lines if line.startswith("Provinces with a 50% or better chance")]
    assert count.endswith(": 0 with no new campaign; 1 with a campaign like the last.")  # Hà Nội's 70% is not counted
    assert any(line.startswith("While the current phase has run fewer than 4 weeks") for line in lines)
    html = national_report.ranking_section(table, 0.40, pd.Timestamp("2025-12-31"), "en")[0].data
    assert html.count("not given yet") == 2 and "below 5%" in html and "70%" not in html



def test_national_run_renders_every_province_and_the_comparison(two_provinces, tmp_path, published):
    out = tmp_path / "out"
    # in this process (cli.main, what `python -m analysis` calls); the next test runs the command itself
    assert main(["national", "--data-dir", str(two_provinces), "--out", str(out), "--period", "nat"]) == 0
    folder = out / "nat"
    for province in ("42-ha-tinh", "96-ca-mau"):
        assert sorted(p.name for p in folder.glob(f"{province}/*.html")) == [
            "01_phase_results.html", "02_uptake_drivers.html", "03_target_projection.html", "04_outreach_plan.html",
            "index.html"]
    table = pd.read_csv(folder / "national_comparison.csv", encoding="utf-8-sig")
    assert len(table) == 34 and table["has_data"].sum() == 2
    ca_mau = table.set_index("code").loc[CA_MAU]
    figure = published.set_index(["figure", "subject"])["value"]
    assert ca_mau["central_rate"] == pytest.approx(figure[("central_rate", "province")], abs=5e-5)
    assert ca_mau["rank"] == figure[("central_rank", "province")]
    assert ca_mau["rank_change"] == figure[("rank_change", "province")]
    assert ca_mau["rate_now"] == pytest.approx(figure[("rate", "residents")], abs=5e-5)
    # the comparison's projection is the province report's own
    projection = pd.read_csv(folder / "96-ca-mau" / "projection.csv", encoding="utf-8-sig")
    own = projection[(projection["level"] == "track") & (projection["track"] == "residents")
                     & (projection["scenario"] == "no_campaign")].iloc[0]
    assert ca_mau["prob_no_campaign"] == pytest.approx(own["prob_reach"], abs=1e-6)
    assert 'href="../index.html"' in (folder / "42-ha-tinh" / "index.html").read_text(encoding="utf-8")
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert "22,42%" in html and 'href="96-ca-mau/index.html"' in html and "http" not in html
    assert not np.isfinite(table.loc[table["has_data"] == False, "rate_now"]).any()  # noqa: E712


def test_national_run_with_bad_province_data_names_it_and_keeps_the_previous_run(two_provinces, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(two_provinces / "42-ha-tinh", data / "42-ha-tinh")
    shutil.copy2(two_provinces / "provinces.csv", data / "provinces.csv")
    report = data / "42-ha-tinh" / "reports" / "2025-11-14.csv"
    lines = report.read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")
    cells[4] = "nhiều"  # supported: not a number
    lines[3] = ",".join(cells)
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    (out / "nat").mkdir(parents=True)
    (out / "nat" / "index.html").write_text("previous", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "analysis", "national", "--data-dir", str(data), "--out", str(out),
                          "--period", "nat"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 2  # bad data, found before any notebook runs
    assert "42-ha-tinh/reports/2025-11-14.csv" in run.stderr and "running" not in run.stdout
    assert "42-ha-tinh" in run.stderr and "2025-11-14.csv" in run.stderr and "row 4" in run.stderr, run.stderr
    assert (out / "nat" / "index.html").read_text(encoding="utf-8") == "previous"
