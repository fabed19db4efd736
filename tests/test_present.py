"""Numbers formatted for the reader, and text from the data escaped."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.campaign import DEFAULT
from analysis.reports.labels import CHART, TEXT, UNIT_TYPES, label
from analysis.reports.present import fmt_date, fmt_int, fmt_pct, fmt_pp, html_table, write_csv


@pytest.mark.parametrize("value,lang,expected", [(233377, "vi", "233.377"), (233377, "en", "233,377"),
                                                 (None, "vi", "–"), (float("nan"), "en", "–")])
def test_fmt_int(value, lang, expected):
    assert fmt_int(value, lang) == expected


@pytest.mark.parametrize("value,lang,expected", [(0.2776, "vi", "27,76%"), (0.2776, "en", "27.76%"),
                                                 (12.345678, "vi", "1.234,57%")])
def test_fmt_pct(value, lang, expected):
    assert fmt_pct(value, lang) == expected


def test_fmt_pp_has_sign_and_arrow():
    assert fmt_pp(3.1234, "vi") == "▲ +3,12 điểm %"
    assert fmt_pp(-1.5, "en") == "▼ -1.50 pts"
    assert fmt_pp(-1.5, "en", 1, unit=False) == "▼ -1.5" and fmt_pp(26.1, "vi", 1, unit=False) == "▲ +26,1"


def test_fmt_date():
    assert fmt_date("2025-11-14", "vi") == "14/11/2025" and fmt_date("2025-11-14", "en") == "2025-11-14"


def test_html_table_escapes_every_cell():
    frame = pd.DataFrame({"name": ["<script>alert(1)</script>", '<img src=x onerror="x()">'], "n": [1, 2]})
    html = html_table(frame, [("name", "<b>Unit</b>", str), ("n", "N", str)])
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_every_text_has_both_languages_with_diacritics_in_vietnamese():
    tracks = {t.id: t.name for t in DEFAULT.tracks}
    for table in (TEXT, CHART, tracks, UNIT_TYPES):
        for key, entry in table.items():
            assert entry.get("vi") and entry.get("en"), key
    assert "Kết quả" in label("report_title", "vi") and "Phase results" in label("report_title", "en")


def test_write_csv_nothing_without_folder_and_bom_with(tmp_path):
    frame = pd.DataFrame({"name": ["Xã Đất Mũi"], "rate": [0.2776]})
    assert write_csv(frame, "x", "") is None
    path = write_csv(frame, "x", tmp_path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(path, encoding="utf-8-sig")["name"].iloc[0] == "Xã Đất Mũi"


def test_no_label_key_is_defined_twice():
    """A repeated key in a dict literal silently replaces the first wording: refuse it."""
    import ast

    from analysis.reports import labels

    tree = ast.parse(open(labels.__file__, encoding="utf-8").read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})


def test_projection_and_unit_type_columns_have_their_own_words():
    assert label("col_median", "en") == "Median" and label("col_projected", "en") == "Projected at deadline"
    assert label("col_date", "en") == "Date" and label("col_date_reached", "en") == "Date reached (median)"


def test_phase_names_in_the_reports_language():
    from analysis.reports.labels import phase_name

    assert phase_name("Giai đoạn 2", "en") == "Phase 2" and phase_name("ĐỢT 3", "en") == "Phase 3"
    assert phase_name("Giai đoạn 2", "vi") == "Giai đoạn 2"
    assert phase_name("Chiến dịch 90 ngày", "en") == "Chiến dịch 90 ngày"  # another name as the department wrote it


def test_english_says_one_in_the_singular_and_vietnamese_is_left_alone():
    from analysis.reports.labels import label

    assert label("outreach_no_team", "en", n=1).startswith("1 commune gets no team")
    assert label("outreach_no_team", "en", n=2).startswith("2 communes get no team")
    assert label("outreach_no_team", "en", n=21).startswith("21 communes get no team")
    assert label("outreach_no_team", "vi", n=1).startswith("1 xã không được bố trí tổ")
    assert label("survey_scenario_unmatched", "en", n="1", min=10).startswith("1 person aged 60")
