"""A gallery of malformed and awkward input files, each with the exact message or flag it must give.

Refused files stop with a message naming the place; flagged files load with a finding; awkward
but valid files load to exactly the same panel as their clean twin.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.dataset import load_data_dir
from analysis.errors import DataError
from helpers import HEADER, PHASES, REPORTS, UNITS, write_data_dir

LAST = "2025-11-14"
CLEAN_LAST = REPORTS[LAST]


def _report(text: str) -> dict:
    return {"reports": {**REPORTS, LAST: text}}


REFUSED = [
    ("missing supported", _report("code,name,eligible\n32248,Xã Đất Mũi,1000\n"),
     r"reports/2025-11-14\.csv: missing required column 'supported'"),
    ("missing eligible", _report("code,name,supported\n32248,Xã Đất Mũi,10\n"), r"missing required column 'eligible'"),
    ("text in a count", _report(HEADER + "32248,Xã Đất Mũi,residents,1000,mười,0\n"),
     r"row 2, column 'supported': not a number \(value: 'mười'\)"),
    ("negative count", _report(HEADER + "32248,Xã Đất Mũi,residents,-1,0,0\n"), r"column 'eligible': counts cannot be negative"),
    ("supported above eligible", _report(HEADER + "32248,Xã Đất Mũi,residents,100,101,0\n"),
     r"'supported' is larger than 'eligible' \(value: '101'\)"),
    ("central above supported", _report(HEADER + "32248,Xã Đất Mũi,residents,100,10,11\n"),
     r"column 'integrated_central': 'integrated_central' is larger than 'supported'"),
    ("unit twice", _report(HEADER + "32248,Xã Đất Mũi,residents,100,10,0\n32248,Xã Đất Mũi,residents,100,10,0\n"),
     r"row 3, column 'name': the same unit appears twice \(also in row 2\)"),
    ("unknown unit", _report("name,eligible,supported\nXã Đất Mới Toanh,100,10\n"),
     r"row 2, column 'name': unit not in the units register .*closest registered: Xã Đất Mũi"),
    ("share above 100%", {"units.csv": UNITS.replace("0.15,0.70,0.10,0.55", "0.15,0.70,0.10,1.234")},
     r"units\.csv, row 2, column 'level2_rate': a share must be between 0% and 100% \(value: '1\.234'\)"),
    ("mixed conventions", _report("code,name,eligible,supported\n32248,Xã Đất Mũi,1.234.567,\"1,5\"\n32092,Xã Hồ Thị Kỷ,\"1,234,567\",10\n"),
     r"numbers are written both the Vietnamese way \('1\.234\.567' in row 2, column 'eligible'\) and the English "
     r"way \('1,234,567' in row 3, column 'eligible'\)"),
    ("report named badly", {"extra_report": ("latest.csv", CLEAN_LAST)}, r"reports/latest\.csv: the file name is not a report date"),
    ("no header row", _report("a;b;c\n1;2;3\n"), r"no header row with the expected columns was found in the first 20 rows"),
    ("commune not in register", {"units.csv": UNITS.replace("32248,Xã Đất Mũi", ",Xã Không Tồn Tại")},
     r"units\.csv, row 2, column 'name': not a commune or ward of the province"),
    ("unknown track", {"units.csv": UNITS.replace("H1,Bệnh viện A,facilities", "H1,Bệnh viện A,hospitals")},
     r"units\.csv, row 5, column 'track': unknown track \(value: 'hospitals'\)"),
    ("unit code twice", {"units.csv": UNITS.replace("H2,Trạm Y tế xã B", "H1,Trạm Y tế xã B")},
     r"units\.csv, row 6, column 'name': the same unit appears twice \(also in row 5\)"),
    ("phase ends before start", {"phases.csv": PHASES.replace("2025-08-15,2025-11-14", "2025-11-14,2025-08-15")},
     r"phases\.csv, row 3, column 'end': the phase ends before it starts"),
    ("phase date not a date", {"phases.csv": PHASES.replace("2025-05-15", "15/13/2025")},
     r"phases\.csv, row 2, column 'start': not an ISO date \(value: '15/13/2025'\)"),
    ("central date not a date", {"central.csv": "as_of,rate\nyesterday,0.2\n"},
     r"central\.csv, row 2, column 'as_of': not an ISO date"),
    ("missing units file", {"remove": "units.csv"}, r"has no units\.csv or units\.xlsx"),
    ("two columns mean the same", _report("code,name,eligible,supported,Số đã hỗ trợ tích hợp\n32248,Xã Đất Mũi,100,10,10\n"),
     r"two columns, 'supported' and 'Số đã hỗ trợ tích hợp', both mean 'supported'"),
    ("no unit column", _report("eligible,supported,track\n100,10,residents\n"),
     r"missing column 'code' or 'name' to say which unit a row is"),
    ("provenance not JSON", {"provenance.json": "{synthetic: yes"}, r"provenance\.json: not valid JSON"),
    ("same name in two tracks", {"units.csv": UNITS.replace("A2,Sở Nội vụ", "A2,Bệnh viện A"),
                                 **_report("name,eligible,supported\nBệnh viện A,100,10\n")},
     r"row 2, column 'name': several registered units have this name"),
    ("percent sign in a count", _report(HEADER + "32248,Xã Đất Mũi,residents,1000,12%,0\n"),
     r"row 2, column 'supported': a count cannot be a percentage \(value: '12%'\)"),
]

FLAGGED = [
    ("falling count", _report(HEADER + "32248,Xã Đất Mũi,residents,1000,150,10\n"), "falling_count"),
    ("total disagrees", _report(HEADER + "32248,Xã Đất Mũi,residents,1000,450,0\n,Tổng cộng,,1000,999,0\n"), "total_mismatch"),
    ("stated rate disagrees", _report("code,name,eligible,supported,Tỷ lệ (%)\n32248,Xã Đất Mũi,1000,450,\"40,00%\"\n"),
     "stated_rate_mismatch"),
    ("windows-1258 file", {"cp1258": True}, "encoding"),
    ("unknown extra column", _report(HEADER.strip() + ",Người lập biểu\n32248,Xã Đất Mũi,residents,1000,450,150,Lan\n"),
     "extra_columns"),
]


def _variant(clean: str, transform) -> dict:
    return _report(transform(clean))


AWKWARD = [
    ("byte-order mark", {"bom": True}),
    ("Vietnamese numbers", _report("Mã đơn vị,Tên đơn vị,Tổng số đối tượng,Số đã hỗ trợ tích hợp,Số ghi nhận trên hệ thống,Tỷ lệ (%)\n"
                                   "32248,Xã Đất Mũi,1.000,450,150,\"45,00%\"\n32092,Xã Hồ Thị Kỷ,2.000,700,160,\"35,00%\"\n"
                                   "H1,Bệnh viện A,5.000,1.900,300,\"38,00%\"\nH2,Trạm Y tế xã B,500,30,5,\"6,00%\"\n"
                                   "A1,Sở Y tế,100,100,,\"100,00%\"\n")),
    ("English numbers", _report("code,name,eligible,supported,integrated_central,rate\n32248,Xã Đất Mũi,\"1,000\",450,150,45.00%\n"
                                "32092,Xã Hồ Thị Kỷ,\"2,000\",700,160,35.00%\nH1,Bệnh viện A,\"5,000\",\"1,900\",300,38.00%\n"
                                "H2,Trạm Y tế xã B,500,30,5,6.00%\nA1,Sở Y tế,100,100,,100.00%\n")),
    ("title rows, STT and total", _report("BÁO CÁO TÍCH HỢP\nNgày 14/11/2025\n\nSTT,Mã đơn vị,Tên đơn vị,Tổng số đối tượng,Số đã hỗ trợ tích hợp,Số ghi nhận trên hệ thống\n"
                                          + "".join(f"{i},{line}\n" for i, line in enumerate(
                                              [",".join(r.split(",")[:2] + r.split(",")[3:]) for r in CLEAN_LAST.splitlines()[1:]], 1))
                                          + ",Tổng cộng,,8600,3180,615\n")),
    ("names without diacritics or codes", _report("Tên đơn vị,Khối,Tổng số đối tượng,Số đã hỗ trợ tích hợp,Số ghi nhận trên hệ thống\n"
                                                  "DAT MUI,dan cu,1000,450,150\nxa ho thi ky,DÂN CƯ,2000,700,160\n"
                                                  "BENH VIEN A,co so y te,5000,1900,300\nTram Y te xa B,cơ sở y tế,500,30,5\n"
                                                  "SO Y TE,can bo,100,100,\n")),
    ("capital headers without diacritics", _report(CLEAN_LAST.replace(HEADER, "MA DON VI,TEN DON VI,KHOI,TONG SO DOI TUONG,SO DA HO TRO TICH HOP,SO GHI NHAN TREN HE THONG\n"))),
    ("non-breaking and trailing spaces", _report(CLEAN_LAST.replace(",1900,", ",1\u00a0900 ,").replace("Xã Đất Mũi", " Xã Đất Mũi  "))),
    ("semicolons", _report(CLEAN_LAST.replace(",", ";"))),
    ("day-first dates in phases", {"phases.csv": PHASES.replace("2025-05-15", "15/05/2025").replace("2025-08-14", "14/08/2025")}),
    ("empty lines", _report(CLEAN_LAST.replace("\nH1", "\n\n,,,,,\nH1"))),
]


def _cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: precomposed letters where the code page has them, else combining marks."""
    import unicodedata

    out = b""
    for ch in text:
        nfd = unicodedata.normalize("NFD", ch)
        for candidate in (ch, unicodedata.normalize("NFC", nfd[:2]) + nfd[2:], nfd):
            try:
                out += candidate.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
    return out


def _build(tmp_path, case: dict):
    files = {k: v for k, v in case.items() if k.endswith((".csv", ".json"))}
    root = write_data_dir(tmp_path, reports=case.get("reports"), **files)
    if "extra_report" in case:
        name, text = case["extra_report"]
        (root / "reports" / name).write_text(text, encoding="utf-8")
    if "remove" in case:
        (root / case["remove"]).unlink()
    if case.get("cp1258"):  # what older Excel on Windows saves: Vietnamese code page, tone marks combining
        (root / "reports" / f"{LAST}.csv").write_bytes(_cp1258(CLEAN_LAST))
    if case.get("bom"):
        path = root / "reports" / f"{LAST}.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return root


@pytest.mark.parametrize("name,case,message", REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_with_its_message(tmp_path, name, case, message):
    with pytest.raises(DataError, match=message):
        load_data_dir(_build(tmp_path, case))


@pytest.mark.parametrize("name,case,kind", FLAGGED, ids=[c[0] for c in FLAGGED])
def test_flagged_with_its_finding(tmp_path, name, case, kind):
    dataset = load_data_dir(_build(tmp_path, case))
    assert kind in {f.kind for f in dataset.findings}


def _panel(dataset) -> pd.DataFrame:
    columns = ["code", "as_of", "eligible", "supported", "integrated_central"]
    return dataset.reports[columns].sort_values(["code", "as_of"]).reset_index(drop=True)


@pytest.mark.parametrize("name,case", AWKWARD, ids=[c[0] for c in AWKWARD])
def test_awkward_but_valid_loads_like_its_clean_twin(tmp_path, name, case):
    clean = load_data_dir(write_data_dir(tmp_path / "clean"))
    awkward = load_data_dir(_build(tmp_path / "awkward", case))
    pd.testing.assert_frame_equal(_panel(awkward), _panel(clean))
    pd.testing.assert_frame_equal(awkward.phases, clean.phases)


def test_windows_1258_file_loads_like_its_clean_twin(tmp_path):
    clean = load_data_dir(write_data_dir(tmp_path / "clean"))
    legacy = load_data_dir(_build(tmp_path / "legacy", {"cp1258": True}))
    pd.testing.assert_frame_equal(_panel(legacy), _panel(clean))


def test_department_xlsx_of_the_sample_gives_the_same_panel_and_figures(tmp_path, sample, rendered):
    from analysis.config import SAMPLE_DIR
    from analysis.parameters import validate_parameters
    from analysis.runner import notebooks, render_reports, worker_pool
    from analysis.synthetic.sample import write_department_xlsx

    written = write_department_xlsx(SAMPLE_DIR, tmp_path / "xlsx")
    assert all(p.suffix == ".xlsx" for p in written) and len(written) == len(sample.report_dates)
    from_xlsx = load_data_dir(tmp_path / "xlsx")
    pd.testing.assert_frame_equal(_panel(from_xlsx), _panel(sample))
    folder = render_reports(validate_parameters(data_dir=str(tmp_path / "xlsx"), period="xlsx"), tmp_path / "out",
                            sources=notebooks()[:1], progress=lambda _: None, pool=worker_pool(1))  # one notebook, one worker
    for name in ("headline.csv", "league_table.csv", "funnel.csv", "action_list.csv"):
        assert (folder / name).read_bytes() == (rendered / name).read_bytes(), name


def test_a_second_province_loads_and_renders(tmp_path):
    from analysis.data.register import province_wards
    from analysis.parameters import validate_parameters
    from analysis.runner import render_reports
    from analysis.synthetic.sample import write_other_province

    write_other_province(42, tmp_path / "ha_tinh")
    dataset = load_data_dir(tmp_path / "ha_tinh", "Hà Tĩnh")
    residents = dataset.units[dataset.units["track"] == "residents"]
    assert set(residents["code"]) <= set(province_wards(42)["code"])
    params = validate_parameters(data_dir=str(tmp_path / "ha_tinh"), province="Hà Tĩnh", period="ha-tinh")
    folder = render_reports(params, tmp_path / "out", progress=lambda _: None)
    html = (folder / "01_phase_results.html").read_text(encoding="utf-8")
    assert "Hà Tĩnh" in html and residents["name"].iloc[0] in html
    assert (folder / "projection.csv").is_file() and (folder / "drivers_effects.csv").is_file()
