"""What leadership reads first: the brief on index.html, its figures the reports' own, on one A4 page."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from analysis.reports.present import fmt_chance, fmt_int, fmt_pct
from browser import first_screen, printed_pages


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """``printed(page)``: how many A4 pages ``page`` prints on (browser.printed_pages, which checks A4) and the
    PDF; each page of the session's renders is printed once for the module, however many tests count it."""
    folder, done = tmp_path_factory.mktemp("printed"), {}

    def pages(page):
        if page not in done:
            profile = folder / f"p{len(done)}"
            done[page] = (printed_pages(page, profile), profile.with_suffix(".pdf"))
        return done[page]

    return pages


def _no_campaign(folder, track: str = "residents") -> pd.Series:
    table = pd.read_csv(folder / "projection.csv", encoding="utf-8-sig")
    rows = table[(table["level"] == "track") & (table["track"] == track) & (table["scenario"] == "no_campaign")]
    assert len(rows) == 1
    return rows.iloc[0]


def test_the_first_screen_says_rate_target_projection_and_pace(rendered, tmp_path):
    seen = first_screen(rendered / "index.html", tmp_path / "profile")
    assert (seen["width"], seen["height"]) == (1366, 768)
    projected = _no_campaign(rendered)
    headline = pd.read_csv(rendered / "headline.csv", encoding="utf-8-sig").set_index("track")
    for needle in (fmt_pct(headline.loc["residents", "rate"], "vi"), "Chỉ tiêu 40%",
                   f"dự kiến {fmt_pct(projected['rate_median'], 'vi')}",
                   f"cần {fmt_int(projected['needed_per_week'], 'vi')} người mỗi tuần"):
        assert needle in seen["text"], needle
    assert "27,76%" in seen["text"] and "15.326" in seen["text"]  # FACTS.md's rate; the pace the issue quotes
    assert "Dữ liệu mô phỏng" not in seen["text"]  # the page's foot is below the first screen: the check clips


def test_the_brief_prints_on_one_a4_page(rendered, rendered_en, printed):
    assert printed(rendered / "index.html")[0] == 1
    assert printed(rendered_en / "index.html")[0] == 1


def test_two_weeks_into_a_phase_the_brief_gives_no_chance_says_why_and_still_prints_on_one_page(
        rendered_young_phase, printed):
    import html

    page = rendered_young_phase / "index.html"
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
    assert "Giai đoạn hiện tại mới diễn ra 2 tuần" in text and "chưa nêu khả năng đạt chỉ tiêu" in text
    assert "khả năng đạt:" not in text and fmt_chance(0.0, "vi") not in text
    table = pd.read_csv(rendered_young_phase / "projection.csv", encoding="utf-8-sig")
    assert not table["chance_supported"].any() and table["prob_reach"].notna().all()  # kept in the table
    outreach = (rendered_young_phase / "04_outreach_plan.html").read_text(encoding="utf-8")
    assert "chưa nêu" in outreach
    assert printed(page)[0] == 1


def test_files_dated_after_the_period_are_listed_as_read_but_not_used(rendered_young_phase, rendered):
    import html

    files = pd.read_csv(rendered_young_phase / "files_read.csv", encoding="utf-8-sig")
    later = pd.to_datetime(files["as_of"]) > pd.Timestamp("2025-08-29")
    assert later.sum() > 0 and (files["used"] == ~later).all()
    text = html.unescape(re.sub(r"<[^>]+>", " ", (rendered_young_phase / "01_phase_results.html").read_text(encoding="utf-8")))
    assert f"{int(later.sum())} tệp báo cáo có ngày sau ngày số liệu của kỳ này" in text
    assert text.count("không (sau ngày số liệu)") == later.sum()
    assert pd.read_csv(rendered / "files_read.csv", encoding="utf-8-sig")["used"].all()  # the last report's period


def test_report_01_prints_in_fewer_pages_than_before(rendered, printed):
    assert printed(rendered / "01_phase_results.html")[0] < 14


def test_a_report_ends_on_a_page_with_its_content(rendered, printed):
    """No page that holds only a footer, or only the folded appendix's rule: the last page has text."""
    import subprocess

    _, pdf = printed(rendered / "01_phase_results.html")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=False).stdout if shutil.which("pdftotext") else ""
    if not text:
        pytest.skip("pdftotext (poppler-utils) not installed")
    pages = text.rstrip("\f").split("\f")
    assert pages[-1].strip(), "the last printed page is empty"


def test_one_no_campaign_figure_in_the_brief_the_projection_and_the_outreach_plan(rendered):
    projected = _no_campaign(rendered)
    comparison = pd.read_csv(rendered / "outreach_comparison.csv", encoding="utf-8-sig").set_index("plan")
    assert abs(comparison.loc["none", "expected_rate"] - projected["rate_median"]) < 1e-6
    shown = fmt_pct(projected["rate_median"], "vi")
    for page in ("index.html", "03_target_projection.html", "04_outreach_plan.html"):
        assert shown in (rendered / page).read_text(encoding="utf-8"), page


def test_the_brief_never_adds_people_to_visits_and_never_says_0_percent_chance(rendered, rendered_en):
    index = (rendered / "index.html").read_text(encoding="utf-8")
    headline = pd.read_csv(rendered / "headline.csv", encoding="utf-8-sig").set_index("track")
    mixed = headline.loc["residents", "supported"] + headline.loc["facilities", "supported"]
    assert fmt_int(mixed, "vi") not in index  # 388.213 people and visits together
    assert "khả năng đạt: 0%" not in index and fmt_chance(0.0, "vi") in index
    assert "chance of reaching it: 0%" not in (rendered_en / "index.html").read_text(encoding="utf-8")
    for page in ("03_target_projection.html", "04_outreach_plan.html"):
        assert not re.search(r">0%<", (rendered / page).read_text(encoding="utf-8")), page


def test_the_actions_link_to_the_sections_that_support_them(rendered):
    index = (rendered / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<ol class="actions">(.*?)</ol>', index, re.S)[0]
    targets = re.findall(r'href="([^"#]+)#([^"]+)"', links)
    assert 3 <= len(targets) <= 5
    for page, anchor in targets:
        assert f'id="{anchor}"' in (rendered / page).read_text(encoding="utf-8"), (page, anchor)
    missing = pd.read_csv(rendered / "non_reporters.csv", encoding="utf-8-sig")
    assert missing["name"].iloc[0] in links


def test_every_report_links_back_to_the_brief(rendered):
    for page in rendered.glob("[0-9][0-9]_*.html"):
        assert '<a href="index.html">' in page.read_text(encoding="utf-8"), page.name


MODEL_WORDS = ["quasi", "cloglog", "odds ratio", "tỷ số chênh", "dispersion", "phân tán", "pearson", "beta-binomial",
               "phần dư", "residual", "bootstrap", "backtest"]


def _outside_appendix(page) -> str:
    import html

    text = re.sub(r"<style>.*?</style>", "", page.read_text(encoding="utf-8"), flags=re.S)
    assert text.count('<details class="appendix"') == 1, page.name  # every report has its appendix
    text = re.sub(r'<details class="appendix".*?</details>', "", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def test_model_words_appear_only_in_the_appendices(rendered, rendered_en):
    for folder in (rendered, rendered_en):
        for page in sorted(folder.glob("[0-9][0-9]_*.html")):
            body = _outside_appendix(page)
            found = [w for w in MODEL_WORDS if re.search(rf"\b{re.escape(w)}\b", body, re.IGNORECASE)]
            found += ["PIT"] if re.search(r"\bPIT\b", body) else []
            assert found == [], (page.name, found)
    appendix = (rendered / "02_uptake_drivers.html").read_text(encoding="utf-8")
    assert "quasi-binomial" in appendix.lower()  # the method is said, in the appendix


def test_every_report_opens_with_its_conclusions(rendered):
    for page in sorted(rendered.glob("[0-9][0-9]_*.html")):
        text = page.read_text(encoding="utf-8")
        first_section = re.search(r'<h2 id="([^"]+)"', text).group(1)
        assert first_section == "summary", (page.name, first_section)


def test_every_report_prints_within_four_pages(rendered, rendered_en, printed):
    for stem in ("01_phase_results", "02_uptake_drivers", "03_target_projection", "04_outreach_plan"):
        assert printed(rendered / f"{stem}.html")[0] <= 4, stem  # the appendix prints folded
        assert printed(rendered_en / f"{stem}.html")[0] <= 4, stem


def test_the_outreach_action_says_what_the_plan_brings_with_04s_own_figures(rendered, rendered_en):
    import csv

    from analysis.reports.present import fmt_pct

    with open(rendered / "outreach_comparison.csv", encoding="utf-8-sig", newline="") as handle:
        by = {row["plan"]: float(row["expected_rate"]) for row in csv.DictReader(handle)}
    for folder, lang in ((rendered, "vi"), (rendered_en, "en")):
        page = (folder / "index.html").read_text(encoding="utf-8")
        line = page.split('href="04_outreach_plan.html#outreach">', 1)[1].split("</a>", 1)[0]
        assert fmt_pct(by["optimised"], lang) in line and fmt_pct(by["none"], lang) in line, line
