"""Other campaigns render through the same command, in their own words: the level-2 e-identification
and QR check-in samples in Vietnamese and English, and the national comparison of the level-2 campaign."""

from __future__ import annotations

import csv
import re
import tomllib
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.data.campaign import read_campaign_file
from analysis.data.register import find_province
from analysis.reports.present import fmt_pct
from analysis.synthetic.campaigns import CAMPAIGNS, write_campaign_national, write_campaign_sample

HEALTH_BOOK_WORDS = re.compile(r"sổ sức khỏe|health book|tích hợp|integrat|VNeID và BHXH|người dân", re.IGNORECASE)
LANGS = ("vi", "en")


@pytest.fixture(scope="module")
def campaign_runs(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, Path]]:
    """Each campaign's sample written once and rendered in each language by the README's command
    (the campaign file gives the province, target and dates): (data directory, report folder)."""
    root = tmp_path_factory.mktemp("campaign_runs")
    runs = {}
    for name in CAMPAIGNS:
        data = root / name
        write_campaign_sample(name, data)
        for lang in LANGS:
            out = root / f"{name}-{lang}"
            assert main(["report", "--data-dir", str(data), "--out", str(out), "--lang", lang, "-p", "paths", "400"]) == 0
            runs[name, lang] = data, out / "2025-11-14"
    return runs


def _texts(folder: Path) -> dict[str, str]:
    """Every report's text: the HTML pages, the CSV tables' values (their column names, such as
    integrated_central, are the names scripts use, the same for every campaign) and the Word document's XML."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.html")}
    texts |= {p.name: p.read_text(encoding="utf-8-sig").split("\n", 1)[-1] for p in folder.glob("*.csv")}
    for path in folder.glob("*.docx"):
        with zipfile.ZipFile(path) as docx:
            texts[path.name] = docx.read("word/document.xml").decode("utf-8")
    return texts


def _last_report_rates(data: Path) -> dict[str, float]:
    """Each track's rate in the last report file, counted with the csv module (not the package's reader)."""
    campaign = read_campaign_file(data / "campaign.toml")
    last = sorted((data / "reports").glob("*.csv"))[-1]
    sums: dict[str, list[int]] = {}
    with last.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            track = campaign.track_of(row["Khối"])
            eligible, done = (int(row[k]) for k in ("Tổng số đối tượng" if "Tổng số đối tượng" in row
                                                     else "Tổng số lượt khám", "Số đã thực hiện"))
            sums.setdefault(track, [0, 0])
            sums[track][0] += eligible
            sums[track][1] += done
    return {track: done / eligible for track, (eligible, done) in sums.items()}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", CAMPAIGNS)
def test_a_campaign_renders_every_report_without_the_health_books_words(campaign_runs, name, lang):
    _, folder = campaign_runs[name, lang]
    texts = _texts(folder)
    assert {"index.html", "01_phase_results.html", "02_uptake_drivers.html", "03_target_projection.html",
            "04_outreach_plan.html", "headline.csv"} <= set(texts)
    found = {file: HEALTH_BOOK_WORDS.findall(text) for file, text in texts.items() if HEALTH_BOOK_WORDS.search(text)}
    assert found == {}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", CAMPAIGNS)
def test_the_headline_is_the_last_reports_rate_against_the_campaigns_target(campaign_runs, name, lang):
    data, folder = campaign_runs[name, lang]
    declared = tomllib.loads((data / "campaign.toml").read_text(encoding="utf-8"))
    campaign = read_campaign_file(data / "campaign.toml")
    rates = _last_report_rates(data)
    headline = pd.read_csv(folder / "headline.csv", encoding="utf-8-sig")
    assert headline["track"].tolist() == campaign.track_ids  # the declared tracks, in the file's order
    for _, row in headline.iterrows():
        assert row["rate"] == pytest.approx(rates[row["track"]], abs=1e-6)
        assert row["target_rate"] == pytest.approx(campaign.target_of(row["track"]))
    brief = (folder / "index.html").read_text(encoding="utf-8")
    for track in campaign.tracks:
        assert track.name[lang] in brief and fmt_pct(rates[track.id], lang) in brief
    assert fmt_pct(declared["target_rate"], lang, 0) in brief and declared["name_" + lang] in brief
    assert find_province(declared["province"])["name"] in brief


def test_a_campaign_without_drivers_or_outreach_tracks_says_so(campaign_runs):
    _, folder = campaign_runs["qr-checkin", "en"]
    assert "This campaign has no track with a profile of each unit" in (folder / "02_uptake_drivers.html").read_text(
        encoding="utf-8")
    assert "This campaign has no track for a door-to-door teams' plan" in (folder / "04_outreach_plan.html").read_text(
        encoding="utf-8")
    _, folder = campaign_runs["level2-eid", "vi"]
    assert "tỷ lệ kích hoạt" in (folder / "02_uptake_drivers.html").read_text(encoding="utf-8")
    assert pd.read_csv(folder / "outreach_plan.csv", encoding="utf-8-sig")["team_weeks"].sum() > 0


def test_the_national_comparison_runs_on_the_level2_campaign(tmp_path):
    home, other = int(find_province("Hà Tĩnh")["code"]), int(find_province("Nghệ An")["code"])
    data = tmp_path / "national"
    folders = write_campaign_national("level2-eid", data, only=[home, other])
    out = tmp_path / "out"
    assert main(["national", "--data-dir", str(data), "--out", str(out), "--period", "nat"]) == 0
    table = pd.read_csv(out / "nat" / "national_comparison.csv", encoding="utf-8-sig")
    assert len(table) == 34 and table["has_data"].sum() == 2
    rates = {int(folder.name.split("-")[0]): _last_report_rates(folder)["citizens"] for folder in folders}
    assert set(rates) == {home, other}
    for code, rate in rates.items():
        assert table.set_index("code").loc[code, "rate_now"] == pytest.approx(rate, abs=1e-6)
    html = (out / "nat" / "index.html").read_text(encoding="utf-8")
    assert "kích hoạt" in html and not HEALTH_BOOK_WORDS.search(html)


def test_a_city_is_called_a_city_and_a_province_a_province(campaign_runs):
    """Đà Nẵng is a centrally-run city in the register (thành phố trung ương), Hà Tĩnh a province (tỉnh)."""
    city = _texts(campaign_runs["qr-checkin", "vi"][1])["01_phase_results.html"]
    province = _texts(campaign_runs["level2-eid", "vi"][1])["01_phase_results.html"]
    assert "chung của thành phố là" in city and "của tỉnh" not in city and "toàn tỉnh" not in city.lower()
    assert "chung của tỉnh là" in province and "chung của thành phố" not in province
