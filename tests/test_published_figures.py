"""The report rendered on the sample data shows the published figures (FACTS.md), in HTML and CSV."""

from __future__ import annotations

import re

import pandas as pd

from analysis.reports.present import fmt_int, fmt_pct
from conftest import published_value


def _html(folder, name="01_phase_results.html") -> str:
    return (folder / name).read_text(encoding="utf-8")


def test_headline_csv_reproduces_published_track_figures(rendered, published):
    headline = pd.read_csv(rendered / "headline.csv", encoding="utf-8-sig").set_index("track")
    for track in ("residents", "facilities", "cadres"):
        assert headline.loc[track, "supported"] == published_value(published, "supported", track)
        assert round(headline.loc[track, "rate"], 4) == published_value(published, "rate", track)
    assert headline.loc["cadres", "eligible"] == published_value(published, "eligible", "cadres")
    assert headline.loc["cadres", "n_reported"] == published_value(published, "units_reporting", "cadres")
    assert headline.loc["cadres", "n_expected"] == published_value(published, "units_expected", "cadres")


def test_central_csv_reproduces_c06_figures(rendered, published):
    central = pd.read_csv(rendered / "central.csv", encoding="utf-8-sig").iloc[0]
    assert round(central["rate"], 4) == published_value(published, "central_rate", "province")
    assert central["rank"] == published_value(published, "central_rank", "province")
    assert central["n_provinces"] == published_value(published, "n_provinces", "province")
    assert central["rank_change"] == published_value(published, "rank_change", "province")
    assert central["integrated_central"] == published_value(published, "integrated_central", "province")


def test_html_shows_published_figures_in_vietnamese(rendered, published):
    html = _html(rendered)
    for track in ("residents", "facilities", "cadres"):
        assert fmt_int(published_value(published, "supported", track), "vi") in html
        assert fmt_pct(published_value(published, "rate", track), "vi") in html
    assert "13/19" in html
    assert fmt_pct(published_value(published, "central_rate", "province"), "vi") in html
    assert "28/34" in html and "tăng 2 bậc" in html
    assert fmt_int(published_value(published, "integrated_central", "province"), "vi") in html
    supported_total = sum(published_value(published, "supported", t) for t in ("residents", "facilities"))
    assert fmt_int(supported_total, "vi") in html  # 388.213 supported vs 102.350 recorded


def test_html_in_english_formats_numbers_the_english_way(rendered_en, published):
    html = _html(rendered_en)
    assert "233,377" in html and "27.76%" in html and "ranking 28 of 34" in html
    assert "233.377" not in html


def test_no_report_references_an_external_url(rendered, rendered_en):
    for folder in (rendered, rendered_en):
        for page in folder.glob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", text, re.I), page
            assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", text, re.I), page
            assert not re.search(r"@import", text, re.I), page
            assert "<script" not in text.lower(), page


def test_reports_hide_code_and_embed_images(rendered):
    html = _html(rendered)
    assert "validate_parameters" not in html and "import " not in html
    for src in re.findall(r"<img[^>]+src=\"([^\"]+)\"", html):
        assert src.startswith("data:image/"), src


def test_every_report_says_the_data_is_synthetic(rendered, rendered_en):
    for page in rendered.glob("*.html"):
        assert "Dữ liệu mô phỏng" in page.read_text(encoding="utf-8"), page
    for page in rendered_en.glob("*.html"):
        assert "Synthetic data" in page.read_text(encoding="utf-8"), page


def test_index_links_every_report_and_lists_files_read(rendered):
    index = _html(rendered, "index.html")
    for page in rendered.glob("[0-9][0-9]_*.html"):
        assert f'href="{page.name}"' in index
    assert "reports/2025-11-14.csv" in index and "units.csv" in index


def test_mid_phase_report_shows_that_weeks_figures(rendered_mid_phase, sample, published):
    headline = pd.read_csv(rendered_mid_phase / "headline.csv", encoding="utf-8-sig").set_index("track")
    rows = sample.reports[sample.reports["as_of"] == pd.Timestamp("2025-10-03")]
    residents = rows[rows["code"].isin(sample.units.loc[sample.units["track"] == "residents", "code"])]
    assert headline.loc["residents", "supported"] == residents["supported"].sum()
    assert headline.loc["residents", "supported"] < published_value(published, "supported", "residents")
    assert headline.loc["residents", "n_reported"] == len(residents)


def test_report_names_the_units_that_did_not_report(rendered, sample):
    from analysis.analyses import phase_results
    from analysis.data.panel import full_panel

    missing = phase_results.non_reporters(sample, full_panel(sample, 0.40), sample.report_dates[-1])
    html = _html(rendered)
    assert len(missing) > 0
    for name in missing["name"]:
        assert name in html
    csv = pd.read_csv(rendered / "non_reporters.csv", encoding="utf-8-sig")
    assert sorted(csv["name"]) == sorted(missing["name"])


def test_every_section_writes_its_csv(rendered):
    for name in ("headline", "monitoring", "league_table", "unit_types", "funnel", "central_quadrants",
                 "reporting", "non_reporters", "data_quality", "action_list", "province_context"):
        assert (rendered / f"{name}.csv").is_file(), name


def test_league_table_shows_named_units_achievement(rendered, published):
    league = pd.read_csv(rendered / "league_table.csv", encoding="utf-8-sig").set_index("name")
    html = _html(rendered)
    for _, row in published[published["figure"] == "achievement"].iterrows():
        assert round(league.loc[row["subject"], "achievement"], 4) == row["value"]
        assert fmt_pct(row["value"], "vi") in html


def test_every_report_names_the_phase_and_its_dates_from_phases_csv(rendered, rendered_en):
    import csv

    from analysis.config import SAMPLE_DIR

    with open(SAMPLE_DIR / "phases.csv", encoding="utf-8-sig", newline="") as handle:
        last = list(csv.DictReader(handle))[-1]  # the phase the as-of date falls in (FACTS: 2025-08-15 to 2025-11-14)
    start, end = pd.Timestamp(last["start"]), pd.Timestamp(last["end"])
    number = re.search(r"\d+", last["name"]).group(0)
    for folder, said in ((rendered, f"{last['name']} ({start:%d/%m/%Y} – {end:%d/%m/%Y})"),
                         (rendered_en, f"Phase {number} ({start:%Y-%m-%d} – {end:%Y-%m-%d})")):
        for name in ("01_phase_results.html", "02_uptake_drivers.html", "03_target_projection.html",
                     "04_outreach_plan.html"):
            assert said in _html(folder, name), (folder, name)


def test_charts_carry_their_title_as_text_and_vietnamese_pages_no_english_file_kinds(rendered, rendered_en):
    for folder in (rendered, rendered_en):
        for name in ("01_phase_results.html", "02_uptake_drivers.html", "03_target_projection.html",
                     "04_outreach_plan.html"):
            html = _html(folder, name)
            alts = re.findall(r'<img alt="([^"]*)"', html)
            assert alts and all(alts) and "No description has been provided" not in html, (folder, name)
    html = _html(rendered)
    kinds = re.findall(r'<tr><td class="txt">[^<]+</td><td class="txt">([^<]+)</td>', html.split('id="index_files"')[1])
    assert "báo cáo" in kinds and "danh mục đơn vị" in kinds and not {"report", "units", "central"} & set(kinds)
    assert "Dữ liệu mẫu tổng hợp cho Cà Mau" in html and "Synthetic sample" not in html


def test_the_units_needing_action_are_counted_by_track_as_in_action_list_csv(rendered):
    from analysis.reports.labels import track_name

    actions = pd.read_csv(rendered / "action_list.csv", encoding="utf-8-sig")
    counts = actions["track"].value_counts()
    html = _html(rendered)
    said = ", ".join(f"{track_name(t, 'vi')}: {counts[t]}" for t in ("residents", "facilities", "cadres") if t in counts)
    assert f"{len(actions)} đơn vị thấp xa chỉ tiêu hoặc chậm tiến độ ({said})" in html
    assert sum(counts) == len(actions) and len(counts) >= 2
