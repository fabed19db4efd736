"""Loading a data directory: what loads, what is refused (file, row, column, value, what to do), what is flagged."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from analysis.data.dataset import load_data_dir
from analysis.errors import DataError
from helpers import HEADER, REPORTS, write_data_dir


def _with_report(tmp_path, text: str, date: str = "2025-11-14"):
    return write_data_dir(tmp_path, reports={**REPORTS, date: text})


def test_clean_directory_loads_one_row_per_reported_unit(tmp_path):
    ds = load_data_dir(write_data_dir(tmp_path))
    assert len(ds.units) == 7
    assert len(ds.reports) == 7 + 5
    assert ds.findings == []
    assert list(ds.files["kind"]) == ["units", "report", "report", "central", "phases"]


def test_unit_that_did_not_report_has_no_row_not_a_zero(tmp_path):
    ds = load_data_dir(write_data_dir(tmp_path))
    last = ds.reports[ds.reports["as_of"] == pd.Timestamp("2025-11-14")]
    assert "32002" not in set(last["code"]) and (last["supported"] > 0).all()


@pytest.mark.parametrize("row,message", [
    ("32248,Xã Đất Mũi,residents,1000,-5,0\n", r"reports/2025-11-14\.csv, row 2, column 'supported': counts cannot be negative \(value: '-5'\)"),
    ("32248,Xã Đất Mũi,residents,1000,1200,0\n", r"row 2, column 'supported': 'supported' is larger than 'eligible' \(value: '1200'\)"),
    ("32248,Xã Đất Mũi,residents,1000,100,150\n", r"row 2, column 'integrated_central': 'integrated_central' is larger than 'supported'"),
    ("32248,Xã Đất Mũi,residents,1000,abc,0\n", r"row 2, column 'supported': not a number \(value: 'abc'\)"),
])
def test_bad_counts_are_refused_with_place_and_value(tmp_path, row, message):
    with pytest.raises(DataError, match=message):
        load_data_dir(_with_report(tmp_path, HEADER + row))


def test_same_unit_twice_is_refused(tmp_path):
    text = HEADER + "32248,Xã Đất Mũi,residents,1000,100,0\n32248,Xã Đất Mũi,residents,1000,100,0\n"
    with pytest.raises(DataError, match=r"row 3, column 'name': the same unit appears twice \(also in row 2\)"):
        load_data_dir(_with_report(tmp_path, text))


def test_unknown_unit_names_the_row_and_suggests_close_names(tmp_path):
    text = "name,track,eligible,supported\nXã Đất Mũ,residents,1000,100\n"
    with pytest.raises(DataError, match=r"row 2, column 'name': unit not in the units register.*closest registered: Xã Đất Mũi"):
        load_data_dir(_with_report(tmp_path, text))


def test_name_without_diacritics_prefix_or_case_matches_the_register(tmp_path):
    text = "name,track,eligible,supported\nDAT MUI,dân cư,1000,100\nxa ho thi ky,dan cu,2000,300\n"
    ds = load_data_dir(_with_report(tmp_path, text))
    last = ds.reports[ds.reports["as_of"] == pd.Timestamp("2025-11-14")]
    assert set(last["code"]) == {"32248", "32092"}


def test_commune_not_in_the_official_register_is_refused(tmp_path):
    units = "code,name,track\n,Xã Không Có,residents\n"
    with pytest.raises(DataError, match=r"units\.csv, row 2, column 'name': not a commune or ward of the province"):
        load_data_dir(write_data_dir(tmp_path, **{"units.csv": units}))


def test_falling_cumulative_count_is_flagged_not_fixed(tmp_path):
    text = HEADER + "32248,Xã Đất Mũi,residents,1000,150,10\n"
    ds = load_data_dir(_with_report(tmp_path, text))
    falls = [f for f in ds.findings if f.kind == "falling_count"]
    assert [(f.unit_name, f.column, f.detail) for f in falls] == [("Xã Đất Mũi", "supported", "200 -> 150"),
                                                                   ("Xã Đất Mũi", "integrated_central", "50 -> 10")]
    assert ds.reports.loc[ds.reports["as_of"] == pd.Timestamp("2025-11-14"), "supported"].iloc[0] == 150


def test_total_row_is_checked_and_never_counted(tmp_path):
    text = HEADER + "32248,Xã Đất Mũi,residents,1000,450,0\n,Tổng cộng,,1000,999,0\n"
    ds = load_data_dir(_with_report(tmp_path, text))
    assert len(ds.reports[ds.reports["as_of"] == pd.Timestamp("2025-11-14")]) == 1
    (finding,) = [f for f in ds.findings if f.kind == "total_mismatch"]
    assert finding.column == "supported" and finding.row == 3 and "999" in finding.detail


def test_report_file_name_must_be_a_date(tmp_path):
    root = write_data_dir(tmp_path)
    (root / "reports" / "latest.csv").write_text(HEADER, encoding="utf-8")
    with pytest.raises(DataError, match=r"reports/latest\.csv: the file name is not a report date"):
        load_data_dir(root)


def test_missing_file_says_which(tmp_path):
    root = write_data_dir(tmp_path)
    (root / "phases.csv").unlink()
    with pytest.raises(DataError, match="has no phases.csv or phases.xlsx"):
        load_data_dir(root)


def test_raw_files_are_not_modified(tmp_path):
    root = write_data_dir(tmp_path)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}
    load_data_dir(root)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}
    assert before == after


def test_sample_loads_with_its_known_flaws(sample):
    kinds = [f.kind for f in sample.findings]
    assert kinds == ["falling_count"]
    assert sample.provenance["synthetic"] is True


def _panel_of(folder):
    from analysis.data.panel import full_panel

    ds = load_data_dir(folder)
    return full_panel(ds, 0.40).drop(columns=["file"], errors="ignore"), ds


def test_text_counts_with_dot_thousands_and_comma_rates_load_like_their_clean_twin(tmp_path):
    """A department sheet: counts as text with Vietnamese thousands marks, rates written 0,00 (the only
    other numbers), loads to the same panel as the same figures written plainly."""
    header = "code,name,track,eligible,supported,Tỷ lệ (%)\n"
    text = header + ('32248,Xã Đất Mũi,residents,"17.405","1.200","6,89"\n'
                     '32092,Xã Hồ Thị Kỷ,residents,"20.100","0","0,00"\n')
    plain = header + "32248,Xã Đất Mũi,residents,17405,1200,6.89\n32092,Xã Hồ Thị Kỷ,residents,20100,0,0\n"
    first = REPORTS["2025-08-08"].replace("1000,200,50", "17000,1000,50").replace("2000,300,60", "20000,0,0")
    messy, ds = _panel_of(write_data_dir(tmp_path / "messy", reports={"2025-08-08": first, "2025-11-14": text}))
    clean, _ = _panel_of(write_data_dir(tmp_path / "clean", reports={"2025-08-08": first, "2025-11-14": plain}))
    pd.testing.assert_frame_equal(messy, clean)
    row = ds.reports[(ds.reports["code"] == "32248") & (ds.reports["as_of"] == pd.Timestamp("2025-11-14"))]
    assert row["eligible"].iloc[0] == 17405 and row["supported"].iloc[0] == 1200


def test_a_central_file_of_three_decimal_rates_loads(tmp_path):
    central = "as_of,rate,rank,n_provinces\n2025-08-08,0.151,30,34\n2025-11-04,0.198,28,34\n"
    ds = load_data_dir(write_data_dir(tmp_path, **{"central.csv": central}))
    assert list(ds.central["rate"]) == [0.151, 0.198]


def test_a_fraction_of_a_person_is_refused(tmp_path):
    row = "32248,Xã Đất Mũi,residents,1000,120.5,0\n"
    with pytest.raises(DataError, match=r"row 2, column 'supported': a count must be a whole number \(value: '120.5'\)"):
        load_data_dir(_with_report(tmp_path, HEADER + row))


def test_a_stated_rate_that_disagrees_with_the_counts_is_a_finding(tmp_path):
    header = "code,name,track,eligible,supported,Tỷ lệ (%)\n"
    text = header + "32248,Xã Đất Mũi,residents,1000,450,45%\n32092,Xã Hồ Thị Kỷ,residents,2000,700,40%\n"
    ds = load_data_dir(_with_report(tmp_path, text))
    found = [(f.kind, f.row) for f in ds.findings if f.kind == "stated_rate_mismatch"]
    assert found == [("stated_rate_mismatch", 3)]  # 700 / 2000 is 35%, not 40%; 45% agrees


def test_a_stated_rate_rounded_as_written_is_no_finding(tmp_path):
    header = "code,name,track,eligible,supported,Tỷ lệ (%)\n"
    text = header + "32248,Xã Đất Mũi,residents,1000,457,46%\n32092,Xã Hồ Thị Kỷ,residents,2000,701,\"35,1%\"\n"
    ds = load_data_dir(_with_report(tmp_path, text))  # 45.7% written 46%, 35.05% written 35.1%
    assert [f for f in ds.findings if f.kind == "stated_rate_mismatch"] == []
    off = header + "32248,Xã Đất Mũi,residents,1000,457,47%\n32092,Xã Hồ Thị Kỷ,residents,2000,701,\"35,3%\"\n"
    ds = load_data_dir(_with_report(tmp_path / "off", off))  # beyond rounding: both flagged
    assert [f.row for f in ds.findings if f.kind == "stated_rate_mismatch"] == [2, 3]
