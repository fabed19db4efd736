"""The written report (Word, Decree 30/2020/ND-CP format): the published figures, the blocks in their places,
A4 with the decree's margins, names as plain text; read back with python-docx from the session's renders."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pandas as pd
import pytest
from docx import Document
from docx.shared import Pt

from analysis.parameters import validate_parameters
from analysis.reports.brief import period_brief
from analysis.reports.present import fmt_int, fmt_pct
from analysis.reports.word import write_word
from conftest import published_value

TRACKS = ("residents", "facilities", "cadres")


def _doc(folder, name="bao-cao-2025-11-14.docx"):
    path = folder / name
    assert path.is_file(), path
    return Document(str(path))


def _text(document) -> str:
    """Every paragraph's text, the tables' cells included, one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return "\n".join(lines)


def test_the_report_holds_every_published_figure(rendered, published):
    text = _text(_doc(rendered))
    for track in TRACKS:
        assert fmt_int(published_value(published, "supported", track), "vi") in text, track
        assert fmt_pct(published_value(published, "rate", track), "vi") in text, track
    assert "27,76%" in text and "233.377" in text and "154.836" in text and "26,02%" in text  # FACTS.md as written
    assert fmt_int(published_value(published, "eligible", "cadres"), "vi") in text and "99,98%" in text
    assert "13/19" in text
    assert fmt_pct(published_value(published, "central_rate", "province"), "vi") in text
    assert "xếp thứ 28/34" in text and "tăng 2 bậc" in text
    assert fmt_int(published_value(published, "integrated_central", "province"), "vi") in text
    assert "chỉ tiêu 40%" in text
    for _, row in published[published["figure"] == "achievement"].iterrows():
        assert f"{row['subject']} ({fmt_pct(row['value'], 'vi')})" in text, row["subject"]


def test_people_and_visits_are_never_added(rendered):
    headline = pd.read_csv(rendered / "headline.csv", encoding="utf-8-sig").set_index("track")
    mixed = headline.loc["residents", "supported"] + headline.loc["facilities", "supported"]
    text = _text(_doc(rendered))
    assert fmt_int(mixed, "vi") not in text  # 388.213 people and visits together
    assert "154.836 lượt khám" in text and "233.377 người" in text


def test_the_header_blocks_sit_top_left_and_top_right(rendered):
    document = _doc(rendered)
    assert document.paragraphs[0].text.startswith("DỰ THẢO")  # the draft line, for the analyst to delete
    assert document.paragraphs[1].text.startswith("Dữ liệu mô phỏng")  # the sample is synthetic
    body = list(document.element.body.iterchildren())
    assert body[2] is document.tables[0]._tbl  # the header table follows the two lines
    header = document.tables[0]
    left, right = header.cell(0, 0), header.cell(0, 1)
    assert [p.text for p in left.paragraphs[:2]] == ["UBND TỈNH CÀ MAU", "SỞ Y TẾ"]
    assert left.paragraphs[1].runs[0].bold and not left.paragraphs[0].runs[0].bold  # the decree: the issuing body bold
    assert [p.text for p in right.paragraphs[:2]] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    for cell in (left, right):  # a rule under each block
        assert cell._tc.xpath(".//w:pBdr/w:bottom"), cell.paragraphs[0].text
    assert header.cell(1, 0).text == "Số:      /BC-SYT"
    date = header.cell(1, 1).paragraphs[0]
    assert date.text == "Cà Mau, ngày 14 tháng 11 năm 2025" and date.runs[0].italic
    sizes = {run.font.size for cell in (left, right, header.cell(1, 0), header.cell(1, 1))
             for p in cell.paragraphs for run in p.runs}
    assert sizes <= {Pt(12), Pt(13)}


def test_recipients_bottom_left_and_the_signer_on_the_right(rendered):
    document = _doc(rendered)
    body = [child for child in document.element.body.iterchildren() if not child.tag.endswith("sectPr")]
    footer = document.tables[-1]
    assert body[-1] is footer._tbl  # nothing after it
    recipients, signer = footer.cell(0, 0), footer.cell(0, 1)
    title = recipients.paragraphs[0].runs[0]
    assert recipients.paragraphs[0].text == "Nơi nhận:" and title.bold and title.italic and title.font.size == Pt(12)
    items = recipients.paragraphs[1:]
    assert items[0].text == "- UBND tỉnh (để báo cáo);" and items[-1].text.startswith("- Lưu:")
    assert items[-1].text.endswith(".") and all(p.runs[0].font.size == Pt(11) for p in items)
    assert signer.paragraphs[0].text == "GIÁM ĐỐC" and signer.paragraphs[0].runs[0].bold
    assert "".join(p.text for p in signer.paragraphs[1:]) == ""  # unsigned, no name


def test_a4_with_the_decree_margins_in_times_new_roman(rendered):
    document = _doc(rendered)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4 (Word keeps twips)
    margins = {side: round(getattr(section, f"{side}_margin").mm, 1) for side in ("top", "bottom", "left", "right")}
    assert 20 <= margins["top"] <= 25 and 20 <= margins["bottom"] <= 25  # millimetres, as Word's twips keep them
    assert 30 <= margins["left"] <= 35 and 15 <= margins["right"] <= 20
    assert document.styles["Normal"].font.name == "Times New Roman"
    runs = [r for p in document.paragraphs for r in p.runs] + [
        r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert {r.font.name for r in runs if r.text} == {"Times New Roman"}  # the charts' runs hold no text
    body = [r.font.size for p in document.paragraphs[6:] for r in p.runs if p.paragraph_format.first_line_indent]
    assert body and set(body) <= {Pt(13), Pt(14)}


def test_the_body_follows_the_order_of_such_reports_and_names_the_units(rendered):
    document = _doc(rendered)
    text = _text(document)
    headings = ["I. KẾT QUẢ THỰC HIỆN", "II. ĐƠN VỊ THỰC HIỆN TỐT VÀ ĐƠN VỊ CÒN CHẬM", "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
                "IV. DỰ BÁO ĐẾN HẠN CHÓT", "V. NHIỆM VỤ, GIẢI PHÁP ĐỀ XUẤT"]
    paragraphs = [p.text for p in document.paragraphs]
    assert [paragraphs.index(h) for h in headings] == sorted(paragraphs.index(h) for h in headings)
    assert "BÁO CÁO" in paragraphs
    behind = pd.read_csv(rendered / "action_list.csv", encoding="utf-8-sig").sort_values("gap", ascending=False)
    missing = pd.read_csv(rendered / "non_reporters.csv", encoding="utf-8-sig")
    for name in list(behind["name"].head(3)) + list(missing["name"]):
        assert name in text, name
    assert "mối liên quan giữa các xã, không phải tác động" in text  # drivers worded as associations
    projected = pd.read_csv(rendered / "projection.csv", encoding="utf-8-sig")
    row = projected[(projected["level"] == "track") & (projected["track"] == "residents")
                    & (projected["scenario"] == "no_campaign")].iloc[0]
    assert f"dự kiến {fmt_pct(row['rate_median'], 'vi')}" in text and "cần 15.326 người mỗi tuần" in text
    header = document.tables[1].rows[0].cells
    assert [c.text for c in header][:2] == ["Khối", "Đơn vị báo cáo"]  # the per-track results table
    assert len(document.inline_shapes) == 2  # the monitoring chart and the projection's fan


def test_the_brief_links_the_word_report(rendered, rendered_en):
    assert 'href="bao-cao-2025-11-14.docx"' in (rendered / "index.html").read_text(encoding="utf-8")
    assert 'href="report-2025-11-14.docx"' in (rendered_en / "index.html").read_text(encoding="utf-8")


def test_the_english_report_is_the_same_report_in_english(rendered_en):
    document = _doc(rendered_en, "report-2025-11-14.docx")
    text = _text(document)
    assert not (rendered_en / "bao-cao-2025-11-14.docx").exists()
    for needle in ("PEOPLE'S COMMITTEE OF CÀ MAU PROVINCE", "DEPARTMENT OF HEALTH", "SOCIALIST REPUBLIC OF VIET NAM",
                   "Independence - Freedom - Happiness", "No.:      /BC-SYT", "Cà Mau, 14 November 2025", "REPORT",
                   "Recipients:", "DIRECTOR", "233,377", "27.76%", "ranking 28 of 34", "102,350", "I. RESULTS",
                   "V. PROPOSED TASKS", "DRAFT", "Synthetic data"):
        assert needle in text, needle
    for word in ("233.377", "27,76%", "KẾT QUẢ", "Nơi nhận", "GIÁM ĐỐC", "SỞ Y TẾ", "UBND"):
        assert word not in text, word


def test_unit_names_with_markup_or_field_codes_stay_plain_text(rendered, tmp_path):
    folder = tmp_path / "period"
    shutil.copytree(rendered, folder)
    evil = '<b>Xã "Đất" & Mũi</b> { MERGEFIELD x } \x07'
    for name in ("league_table", "action_list", "non_reporters"):
        table = pd.read_csv(folder / f"{name}.csv", encoding="utf-8-sig")
        table.loc[0, "name"] = evil
        table.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8-sig")
    (folder / "bao-cao-2025-11-14.docx").unlink()
    params = validate_parameters()
    path = write_word(folder, params, period_brief(folder, params))
    shown = evil.replace("\x07", "")  # a character XML cannot hold is dropped, the rest shown as typed
    assert _text(Document(str(path))).count(shown) >= 3
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert "<b>" not in xml and "&lt;b&gt;" in xml and "&amp; Mũi" in xml
    assert "fldSimple" not in xml and "instrText" not in xml and "fldChar" not in xml


def test_the_mid_phase_report_has_its_own_figures(rendered_mid_phase):
    headline = pd.read_csv(rendered_mid_phase / "headline.csv", encoding="utf-8-sig").set_index("track")
    text = _text(_doc(rendered_mid_phase, "bao-cao-2025-10-03.docx"))
    assert fmt_int(headline.loc["residents", "supported"], "vi") in text
    assert "ngày 03 tháng 10 năm 2025" in text and "233.377" not in text


def test_libreoffice_opens_the_report(rendered, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the headless conversion to PDF is not checked")
    run = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(rendered / "bao-cao-2025-11-14.docx")],
                         capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "bao-cao-2025-11-14.pdf"
    assert run.returncode == 0 and pdf.is_file(), run.stderr
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    assert 3 <= pages <= 10, pages
