"""Reading files: headers in Vietnamese or English, numbers either way, encodings, total rows."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.data.load import Table, logical_header, parse_number, read_table
from analysis.data.validate import number_convention
from analysis.errors import DataError
from analysis.text import normalise_text, unit_name_key


@pytest.mark.parametrize("header", ["Số đã hỗ trợ tích hợp", "so da ho tro tich hop", "SỐ ĐÃ HỖ TRỢ TÍCH HỢP",
                                    "  Số đã hỗ trợ  tích hợp ", "supported", "Supported"])
def test_headers_match_ignoring_case_diacritics_and_spaces(header):
    assert logical_header(header) == "supported"


def test_unknown_header_is_not_a_column():
    assert logical_header("Ghi chú riêng") is None


def test_unit_name_key_drops_prefix_case_and_diacritics():
    assert unit_name_key("Xã Đất Mũi") == unit_name_key("DAT MUI") == unit_name_key("xa dat mui") == "dat mui"
    assert normalise_text("Phường\u00a0An Xuyên") == "phuong an xuyen"


@pytest.mark.parametrize("text,convention,percent,expected", [
    ("233.377", "vi", False, 233377), ("233,377", "en", False, 233377), ("27,76%", "vi", True, 0.2776),
    ("27.76%", "en", True, 0.2776), ("1\u00a0234", None, False, 1234), ("40", None, True, 0.40),
    ("0.4", "en", True, 0.4), (12, None, False, 12),
])
def test_parse_number(text, convention, percent, expected):
    assert parse_number(text, convention, percent) == pytest.approx(expected)


def test_parse_number_empty_is_missing_and_garbage_is_refused():
    assert math.isnan(parse_number("  ", None))
    with pytest.raises(ValueError):
        parse_number("1O5", None)


def _table(values: list[str]) -> Table:
    return Table("r.csv", None, pd.DataFrame({"_row": range(2, 2 + len(values)), "supported": values}))


def test_number_convention_decided_per_file():
    assert number_convention(_table(["233.377", "1.234.567"]), {"supported"}) == "vi"
    assert number_convention(_table(["233,377", "12.5"]), {"supported"}) == "en"
    assert number_convention(_table(["233", "12"]), {"supported"}) is None


def _sheet(**columns: list[str]) -> Table:
    rows = len(next(iter(columns.values())))
    return Table("r.csv", None, pd.DataFrame({"_row": range(2, 2 + rows), **columns}))


def test_a_count_is_whole_and_a_share_is_below_a_thousand_which_settles_the_separator():
    assert number_convention(_table(["941.496", "2.345"]), {"supported"}) == "vi"  # 941.496 people: a thousands mark
    assert number_convention(_table(["941,496"]), {"supported"}) == "en"
    assert number_convention(_sheet(rate=["0.151", "0.198"]), {"rate"}) == "en"  # a share, never 151 thousand
    assert number_convention(_sheet(rate=["0,151"]), {"rate"}) == "vi"
    sheet = _sheet(eligible=["17.405", "20.100"], supported=["1.200", "3.400"], rate=["0,00", "0,17"])
    assert number_convention(sheet, {"eligible", "supported", "rate"}) == "vi"


def test_ambiguous_and_mixed_files_are_refused():
    with pytest.raises(DataError, match=r"row 2, column 'other': cannot tell whether '1.234'"):
        number_convention(_sheet(other=["1.234", "2.345"]), {"other"})
    with pytest.raises(DataError, match=r"both the Vietnamese way \('1.234.567' in row 2, column 'supported'\)"):
        number_convention(_table(["1.234.567", "27.76"]), {"supported"})
    with pytest.raises(DataError, match=r"both the Vietnamese way .*'941.496'.* and the English way .*'0.151'"):
        number_convention(_sheet(supported=["941.496"], rate=["0.151"]), {"supported", "rate"})


def test_title_rows_stt_column_and_total_row(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("BÁO CÁO KẾT QUẢ\nNgày 14/11/2025\nSTT,Tên đơn vị,Tổng số đối tượng,Số đã hỗ trợ tích hợp\n"
                    "1,Xã Đất Mũi,1000,450\n2,Xã Hồ Thị Kỷ,2000,700\n,Tổng cộng,3000,1150\n", encoding="utf-8")
    (table,) = read_table(path)
    assert list(table.frame["name"]) == ["Xã Đất Mũi", "Xã Hồ Thị Kỷ"]
    assert list(table.frame["_row"]) == [4, 5]
    assert table.total["supported"] == "1150" and table.total["_row"] == 6
    assert table.extra == []


def test_windows_1258_file_is_read_and_flagged(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("code,name,eligible,supported\n1,Xa Dat Mui,10,5\n".encode("ascii") + b"2,\xd0\xe2t,10,5\n")
    (table,) = read_table(path)
    assert [f.kind for f in table.findings] == ["encoding"]
    assert table.frame["name"].iloc[1].startswith("Đ")


def test_missing_required_column_names_the_file(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("code,name,eligible\n1,A,10\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"r\.csv: missing required column 'supported'"):
        read_table(path, required=("eligible", "supported"))


def test_extra_columns_are_kept_aside_and_reported(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("code,name,eligible,supported,Người lập biểu\n1,A,10,5,Lan\n", encoding="utf-8")
    (table,) = read_table(path)
    assert table.extra == ["Người lập biểu"]
    assert [f.kind for f in table.findings] == ["extra_columns"]
