"""The archive of periods: reports/index.html lists every rendered period with its headline figures."""

from __future__ import annotations

import shutil

import pandas as pd

from analysis.reports.export import archive_page, archive_rows


def test_the_runner_writes_the_archive_beside_the_periods(rendered):
    page = (rendered.parent / "index.html").read_text(encoding="utf-8")
    assert f'href="{rendered.name}/index.html"' in page and "27,76%" in page


def test_the_archive_lists_two_rendered_periods_with_their_change(rendered, rendered_mid_phase, tmp_path):
    for folder in (rendered, rendered_mid_phase):
        shutil.copytree(folder, tmp_path / folder.name)
    (tmp_path / "not-a-period").mkdir()  # a folder without reports is not listed
    rows = archive_rows(tmp_path)
    assert list(rows["period"].drop_duplicates()) == [rendered.name, rendered_mid_phase.name]  # latest first
    late = pd.read_csv(rendered / "headline.csv", encoding="utf-8-sig").set_index("track")["rate"]
    early = pd.read_csv(rendered_mid_phase / "headline.csv", encoding="utf-8-sig").set_index("track")["rate"]
    change = rows[rows["period"] == rendered.name].set_index("track")["change_pp"]
    assert (change - 100 * (late - early)).abs().max() < 1e-9
    assert rows[rows["period"] == rendered_mid_phase.name]["change_pp"].isna().all()
    page = archive_page(tmp_path, "en")
    assert page.count("/index.html\">") == 2 and "not-a-period" not in page
    assert "27.76%" in page and "2 periods" in page


def test_the_phase_report_compares_with_the_previous_periods_report(rendered, rendered_mid_phase, tmp_path):
    from analysis.parameters import validate_parameters
    from analysis.runner import notebooks, render_reports, worker_pool

    shutil.copytree(rendered_mid_phase, tmp_path / rendered_mid_phase.name)
    phase = [nb for nb in notebooks() if nb.stem == "01_phase_results"]
    # one notebook: one worker (a second would only start a kernel and wait)
    folder = render_reports(validate_parameters(), tmp_path, sources=phase, progress=lambda _: None, pool=worker_pool(1))
    since = pd.read_csv(folder / "period_change.csv", encoding="utf-8-sig").set_index("track")
    late = pd.read_csv(rendered / "headline.csv", encoding="utf-8-sig").set_index("track")["rate"]
    early = pd.read_csv(rendered_mid_phase / "headline.csv", encoding="utf-8-sig").set_index("track")["rate"]
    assert set(since["previous_period"]) == {rendered_mid_phase.name}
    assert (since["change_pp"] - 100 * (late - early)).abs().max() < 1e-3  # the CSVs keep six decimals
    page = (folder / "01_phase_results.html").read_text(encoding="utf-8")
    assert f"So với kỳ báo cáo trước ({rendered_mid_phase.name}, số liệu đến ngày 03/10/2025): 23,98%" in page
    assert not (rendered / "period_change.csv").exists()  # alone in its folder, a period has nothing to compare with
