"""A corpus of awkward exports, generated from the small clean data directory of ``helpers``.

Each ``Case`` spoils the clean directory the way a spreadsheet or a hurried colleague does, and
says what must happen: the refusal sentence (a regex naming file, row and column), or the report
texts whose totals per date and track must load (``twin``, read independently of the loader by
``independent_totals``) and the findings the tolerated variant must leave.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from helpers import CENTRAL, HEADER, PHASES, REPORTS, UNITS, write_data_dir

LAST, FIRST = "2025-11-14", "2025-08-08"
Rows = list[list[object]]


@dataclass
class Case:
    """One awkward directory: how to build it from the clean one, and what must come of it."""

    name: str
    build: Callable[[Path], None]
    refusal: str | None = None  # regex of the DataError's message
    findings: tuple[str, ...] = ()  # kinds the loaded dataset must carry
    twin: dict[str, str] = field(default_factory=lambda: dict(REPORTS))  # the report texts whose totals must load
    central_rates: list[float] | None = None  # central rates that must load, when the case is about them


def rows_of(text: str) -> Rows:
    """A CSV text as rows of cells, numbers as ints (as a spreadsheet holds them)."""
    return [[int(c) if re.fullmatch(r"-?\d+", c) else c for c in row] for row in csv.reader(io.StringIO(text))]


def csv_text(rows: Rows, delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def independent_totals(reports: dict[str, str], units: str = UNITS) -> dict[tuple[str, str], tuple[int, int]]:
    """Eligible and supported per (date, track), summed with the csv module from clean texts (not the loader)."""
    track = {r["code"]: r["track"] for r in csv.DictReader(io.StringIO(units))}
    totals: dict[tuple[str, str], tuple[int, int]] = {}
    for date, text in reports.items():
        for row in csv.DictReader(io.StringIO(text)):
            key = (date, track[row["code"]])
            eligible, supported = totals.get(key, (0, 0))
            totals[key] = (eligible + int(row["eligible"]), supported + int(row["supported"]))
    return totals


def write_xlsx(path: Path, sheets: dict[str, Rows], dress: Callable | None = None) -> None:
    """A workbook with one sheet per entry; ``dress(workbook)`` adds merges, protection, hidden rows..."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if dress:
        dress(book)
    book.save(path)


def store_formula_values(path: Path, values: dict[str, object]) -> None:
    """Give formula cells the value Excel would have stored on saving (openpyxl writes none)."""
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        xml = parts[name].decode("utf-8")
        for formula, value in values.items():  # openpyxl writes '<v />', or '<v></v>' where lxml is installed
            xml = re.sub(rf"<f>{re.escape(formula)}</f>(?:<v\s*/>|<v></v>)", f"<f>{formula}</f><v>{value}</v>", xml)
        parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: precomposed letters where the code page has them, else combining marks."""
    out = b""
    for ch in text:
        nfd = unicodedata.normalize("NFD", ch)
        marks = nfd[1:]
        candidates = [ch] + [unicodedata.normalize("NFC", nfd[0] + m) + marks.replace(m, "") for m in marks] + [nfd]
        for candidate in candidates:  # 'ệ' is 'ê' and a combining dot below in this code page
            try:
                out += candidate.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            raise ValueError(f"{ch!r} cannot be written in Windows-1258")
    return out


def _last(root: Path) -> Path:
    return root / "reports" / f"{LAST}.csv"


def _put(text: str, date: str = LAST) -> Callable[[Path], None]:
    """Replace one report's CSV with ``text``."""
    return lambda root: (root / "reports" / f"{date}.csv").write_text(text, encoding="utf-8")


def _file(name: str, text: str) -> Callable[[Path], None]:
    return lambda root: (root / name).write_text(text, encoding="utf-8")


def _bytes_as(name: str, data: bytes, drop_csv: bool = True) -> Callable[[Path], None]:
    """Write raw bytes under a report name (a PDF saved as .xlsx...), dropping the CSV of that date."""
    def build(root: Path) -> None:
        if drop_csv:
            _last(root).unlink()
        (root / "reports" / name).write_bytes(data)
    return build


def _xlsx(sheets: Callable[[], dict[str, Rows]], dress: Callable | None = None, date: str = LAST,
          formula_values: dict[str, object] | None = None) -> Callable[[Path], None]:
    """Replace one report's CSV with a workbook."""
    def build(root: Path) -> None:
        (root / "reports" / f"{date}.csv").unlink()
        path = root / "reports" / f"{date}.xlsx"
        write_xlsx(path, sheets(), dress)
        if formula_values:
            store_formula_values(path, formula_values)
    return build


def _last_rows() -> Rows:
    return rows_of(REPORTS[LAST])


def _with(row: int, column: int, value: object) -> Rows:
    rows = _last_rows()
    rows[row][column] = value
    return rows


def _by_track() -> dict[str, Rows]:
    """The last report as the department sends it: one sheet per track, no track column."""
    rows = _last_rows()
    sheets: dict[str, Rows] = {}
    for title, track in (("Dân cư", "residents"), ("Cơ sở y tế", "facilities"), ("Cán bộ", "cadres")):
        sheets[title] = [[c for j, c in enumerate(r) if j != 2] for r in [rows[0]] + [r for r in rows[1:] if r[2] == track]]
    return sheets


def _two_row_header() -> Rows:
    rows = _last_rows()
    top = ["Mã đơn vị", "Tên đơn vị", "Khối", "Kết quả", None, None]
    below = [None, None, None, "Tổng số đối tượng", "Số đã hỗ trợ tích hợp", "Số ghi nhận trên hệ thống"]
    return [["BÁO CÁO KẾT QUẢ HỖ TRỢ TÍCH HỢP"], top, below] + rows[1:]


def _merge_header(book) -> None:
    sheet = book.worksheets[0]
    for cells in ("A2:A3", "B2:B3", "C2:C3", "D2:F2"):
        sheet.merge_cells(cells)


def _hide_rows(book) -> None:
    book.worksheets[0].row_dimensions[3].hidden = True
    book.worksheets[0].row_dimensions[5].hidden = True


def _protect(book) -> None:
    book.worksheets[0].protection.sheet = True
    book.worksheets[0].protection.password = "1234"


def _filter(book) -> None:
    book.worksheets[0].auto_filter.ref = "A1:F6"


def _with_formulas() -> Rows:
    rows = _last_rows()
    rows[1][4] = "=400+50"  # 450, as the clean report says
    rows[3][4] = "=1000+900"  # 1900
    return rows


def _semicolon_vi() -> str:
    rows = _last_rows()
    out = [rows[0] + ["Tỷ lệ (%)"]]
    for r in rows[1:]:
        rate = f"{100 * r[4] / r[3]:.2f}".replace(".", ",")
        out.append(r[:3] + [f"{r[3]:,}".replace(",", "."), f"{r[4]:,}".replace(",", "."), r[5], rate])
    return csv_text(out, ";")


def _titles_stt_total() -> str:
    rows = _last_rows()
    body = [[i] + r for i, r in enumerate(rows[1:], 1)]
    total = ["", "", "Tổng cộng", "", sum(r[3] for r in rows[1:]), sum(r[4] for r in rows[1:]), ""]
    return "BÁO CÁO TUẦN\nNgày 14/11/2025\n" + csv_text([["STT"] + rows[0]] + body + [total])


def _names_only() -> str:
    return ("name,track,eligible,supported,integrated_central\nX. Đất Mũi,residents,1000,450,150\n"
            "X.  Hồ Thị Kỷ ,residents,2000,700,160\nBệnh viện  A ,facilities,5000,1900,300\n"
            " Trạm Y tế xã B,facilities,500,30,5\nSở  Y tế  ,cadres,100,100,\n")


def _zeros(root: Path) -> None:
    (root / "units.csv").write_text(UNITS.replace("H1,", "00070,").replace("H2,", "0071,"), encoding="utf-8")
    for date, text in REPORTS.items():
        _put(text.replace("\nH1,", "\n70,").replace("\nH2,", "\n71,"), date)(root)


def _never(text: str) -> str:
    return "".join(line + "\n" for line in text.splitlines() if not line.startswith("32002,"))


_SILENT = {FIRST: _never(REPORTS[FIRST]), LAST: _never(REPORTS[LAST])}


def _silent_unit(root: Path) -> None:
    for date, text in _SILENT.items():
        _put(text, date)(root)


def _swap_columns() -> str:
    rows = _last_rows()
    order = [4, 1, 5, 3, 0, 2]
    return csv_text([[r[j] for j in order] for r in rows])


def _shuffled_rows() -> str:
    rows = _last_rows()
    return csv_text([rows[0]] + rows[:0:-1])


def _overlap(root: Path) -> None:
    _file("phases.csv", PHASES.replace("2025-08-14", "2025-08-20"))(root)


def _text_cells() -> Rows:
    return [[str(c) for c in r] for r in _last_rows()]


def _float_cells() -> Rows:
    return [[float(c) if isinstance(c, int) and j >= 3 else c for j, c in enumerate(r)] for r in _last_rows()]


def _excel_dates() -> Rows:
    import datetime

    rows = _last_rows()
    rows[0].append("Ngày gửi")
    for r in rows[1:]:
        r.append(datetime.datetime(2025, 11, 15))
    return rows


def _mixed_formats(root: Path) -> None:
    (root / "reports" / f"{FIRST}.csv").unlink()
    write_xlsx(root / "reports" / f"{FIRST}.xlsx", {"Sheet1": rows_of(REPORTS[FIRST])})


def _instructions_first() -> dict[str, Rows]:
    return {"Hướng dẫn": [["HƯỚNG DẪN NHẬP LIỆU"], ["Điền mỗi đơn vị một dòng ở trang sau."], ["Không sửa tiêu đề cột."]],
            "Số liệu": _last_rows()}


CASES: list[Case] = [
    # --- tolerated: the totals of the clean twin must load
    Case("clean", lambda root: None),
    Case("utf-16 tab-separated (Excel Unicode Text)",
         lambda root: _last(root).write_bytes(csv_text(_last_rows(), "\t").encode("utf-16"))),
    Case("tab-separated utf-8", _put(csv_text(_last_rows(), "\t"))),
    Case("semicolons, Vietnamese thousands and decimal commas", _put(_semicolon_vi())),
    Case("Windows-1258", lambda root: _last(root).write_bytes(cp1258(REPORTS[LAST])), findings=("encoding",)),
    Case("utf-8 with BOM", lambda root: _last(root).write_bytes(b"\xef\xbb\xbf" + REPORTS[LAST].encode())),
    Case("CRLF line ends (Windows)", lambda root: _last(root).write_bytes(REPORTS[LAST].replace("\n", "\r\n").encode())),
    Case("CR line ends (old macOS)", lambda root: _last(root).write_bytes(REPORTS[LAST].replace("\n", "\r").encode())),
    Case("names with X./P. prefixes, double and trailing spaces", _put(_names_only())),
    Case("codes that lost their leading zeros", _zeros, findings=("code_leading_zeros",)),
    Case("instructions sheet first, data on the second", _xlsx(_instructions_first), findings=("skipped_sheet",)),
    Case("two-row merged header", _xlsx(lambda: {"Sheet1": _two_row_header()}, _merge_header),
         findings=("two_row_header",)),
    Case("two-row header in a CSV", _put(csv_text(_two_row_header())), findings=("two_row_header",)),
    Case("formulas with stored values", _xlsx(lambda: {"Sheet1": _with_formulas()},
                                              formula_values={"400+50": 450, "1000+900": 1900}),
         findings=("formula_values",)),
    Case("hidden rows", _xlsx(lambda: {"Sheet1": _last_rows()}, _hide_rows), findings=("hidden_rows",)),
    Case("protected sheet", _xlsx(lambda: {"Sheet1": _last_rows()}, _protect)),
    Case("sheet with filters", _xlsx(lambda: {"Sheet1": _last_rows()}, _filter)),
    Case("one sheet per track, track from the sheet name", _xlsx(_by_track)),
    Case("numbers stored as text in xlsx", _xlsx(lambda: {"Sheet1": _text_cells()})),
    Case("numbers stored as decimals in xlsx", _xlsx(lambda: {"Sheet1": _float_cells()})),
    Case("Excel date cells", _xlsx(lambda: {"Sheet1": _excel_dates()})),
    Case("report files in csv and xlsx", _mixed_formats),
    Case("title rows, STT column and a total row", _put(_titles_stt_total())),
    Case("columns in another order", _put(_swap_columns())),
    Case("rows in another order", _put(_shuffled_rows())),
    Case("empty lines and trailing separators", _put(REPORTS[LAST].replace("\nH1", ",,\n\n,,,,,\nH1"))),
    Case("non-breaking spaces in numbers", _put(REPORTS[LAST].replace(",1900,", ',"1\u00a0900 ",'))),
    Case("capital headers without diacritics", _put(REPORTS[LAST].replace(
        HEADER, "MA DON VI,TEN DON VI,KHOI,TONG SO DOI TUONG,SO DA HO TRO TICH HOP,SO GHI NHAN TREN HE THONG\n"))),
    Case("a unit that never reports", _silent_unit, twin=dict(_SILENT)),
    Case("central rate written 27.76 for 0.2776", _file("central.csv", CENTRAL.replace("0.18", "18.00").replace(
        "0.22", "22")), central_rates=[0.18, 0.22]),
    # --- refused: the sentence names the place and says what to do
    Case("PDF saved as .xlsx", _bytes_as(f"{LAST}.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
         r"reports/2025-11-14\.xlsx: the file is a PDF document, not a table\. What to do: export"),
    Case("old .xls saved as .xlsx", _bytes_as(f"{LAST}.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
         r"reports/2025-11-14\.xlsx: the file is an old Excel \(\.xls\).*save it as 'Excel Workbook \(\.xlsx\)'"),
    Case("CSV text named .xlsx", _bytes_as(f"{LAST}.xlsx", REPORTS[LAST].encode()),
         r"reports/2025-11-14\.xlsx: the file is not an Excel workbook although its name ends in \.xlsx"),
    Case("damaged workbook", _bytes_as(f"{LAST}.xlsx", b"PK\x03\x04" + b"\x00" * 40),
         r"reports/2025-11-14\.xlsx: the workbook cannot be opened .*save it again"),
    Case("workbook named .csv", lambda root: write_xlsx(_last(root), {"Sheet1": _last_rows()}),
         r"reports/2025-11-14\.csv: the file is an Excel workbook although its name ends in \.csv.*rename it"),
    Case("binary bytes in a .csv", lambda root: _last(root).write_bytes(b"code,name\n\x81\x8d\x8f\x90\x9d\x00\xff"),
         r"reports/2025-11-14\.csv: the file is not text in a known encoding"),
    Case("empty file", _put(""), r"reports/2025-11-14\.csv: no header row with the expected columns"),
    Case("header and no rows", _put(HEADER), r"reports/2025-11-14\.csv: the file has a header but no rows of data"),
    Case("header and no rows in xlsx", _xlsx(lambda: {"Sheet1": _last_rows()[:1]}),
         r"reports/2025-11-14\.xlsx, sheet 'Sheet1': the file has a header but no rows of data"),
    Case("units file with no rows", _file("units.csv", UNITS.splitlines()[0] + "\n"),
         r"units\.csv: the file has a header but no rows of data"),
    Case("only an instructions sheet", _xlsx(lambda: {"Hướng dẫn": [["HƯỚNG DẪN"], ["Điền số liệu"]]}),
         r"reports/2025-11-14\.xlsx, sheet 'Hướng dẫn': no header row with the expected columns"),
    Case("a fraction of a person", _put(REPORTS[LAST].replace("32248,Xã Đất Mũi,residents,1000", "32248,Xã Đất Mũi,residents,1000.5")),
         r"reports/2025-11-14\.csv, row 2, column 'eligible': a count must be a whole number \(value: '1000\.5'\)"),
    Case("12031.5 in a count", _put(HEADER + "32092,Xã Hồ Thị Kỷ,residents,12031.5,700,160\n"),
         r"row 2, column 'eligible': a count must be a whole number \(value: '12031\.5'\)"),
    Case("empty supported", _put(REPORTS[LAST].replace("2000,700,160", "2000,,160")),
         r"reports/2025-11-14\.csv, row 3, column 'supported': the count is empty\. What to do: write the count"),
    Case("empty eligible in xlsx", _xlsx(lambda: {"Sheet1": _with(2, 3, None)}),
         r"reports/2025-11-14\.xlsx, sheet 'Sheet1', row 3, column 'eligible': the count is empty"),
    Case("formula without a stored value", _xlsx(lambda: {"Sheet1": _with(3, 4, "=1000+900")}),
         r"sheet 'Sheet1', row 4, column 'supported': the cell holds a formula without a stored value "
         r"\(value: '=1000\+900'\)\. What to do: open the file in Excel and save it"),
    Case("overlapping phases", _overlap,
         r"phases\.csv, row 3, column 'start': phases 'Giai đoạn 1' \(2025-05-15 to 2025-08-20\) and 'Giai đoạn 2' "
         r"\(2025-08-15 to 2025-11-14\) overlap: 2025-08-15 to 2025-08-20 fall in both"),
    Case("phase ends before it starts", _file("phases.csv", PHASES.replace("2025-11-14", "2025-08-01")),
         r"phases\.csv, row 3, column 'end': the phase ends before it starts"),
    Case("phase without an end", _file("phases.csv", PHASES.replace("2025-11-14", "")),
         r"phases\.csv, row 3, column 'end': the phase has no end"),
    Case("track differs from the units file", _put(REPORTS[LAST].replace("H1,Bệnh viện A,facilities", "H1,Bệnh viện A,residents")),
         r"row 4, column 'track': the report puts Bệnh viện A in track 'residents' \(its track column\) but units\.csv "
         r"has it in track 'facilities' \(value: 'residents'\)"),
    Case("unit on another track's sheet", _xlsx(lambda: {"Dân cư": [_by_track()["Dân cư"][0], [32248, "Xã Đất Mũi", 1000, 450, 150],
                                                                    ["A1", "Sở Y tế", 100, 100, None]]}),
         r"sheet 'Dân cư', row 3: the report puts Sở Y tế in track 'residents' \(the sheet name\) but units\.csv has it "
         r"in track 'cadres'"),
    Case("2776 in a rate column", _put(REPORTS[LAST].replace(HEADER, HEADER.strip() + ",Tỷ lệ (%)\n").replace(
        "1000,450,150", "1000,450,150,2776").replace("2000,700,160", "2000,700,160,35")),
         r"row 2, column 'rate': a share must be between 0% and 100% \(value: '2776'\)"),
    Case("central rate 2776", _file("central.csv", CENTRAL.replace("0.18", "2776")),
         r"central\.csv, row 2, column 'rate': a share must be between 0% and 100% \(value: '2776'\)"),
    Case("words in a count", _put(REPORTS[LAST].replace("2000,700", "2000,bảy trăm")),
         r"row 3, column 'supported': not a number \(value: 'bảy trăm'\)"),
    Case("a percentage in a count", _put(REPORTS[LAST].replace("2000,700", "2000,35%")),
         r"row 3, column 'supported': a count cannot be a percentage"),
    Case("negative count", _put(REPORTS[LAST].replace("2000,700", "2000,-700")),
         r"row 3, column 'supported': counts cannot be negative"),
    Case("supported above eligible", _put(REPORTS[LAST].replace("2000,700", "2000,2700")),
         r"row 3, column 'supported': 'supported' is larger than 'eligible' \(value: '2700'\)"),
    Case("the same unit twice", _put(REPORTS[LAST] + "32248,Xã Đất Mũi,residents,1000,450,150\n"),
         r"row 7, column 'name': the same unit appears twice \(also in row 2\)"),
    Case("unknown unit", _put("name,eligible,supported\nXã Đất Mới,1000,450\n"),
         r"row 2, column 'name': unit not in the units register.*closest registered: Xã Đất Mũi"),
    Case("empty track cell", _put(REPORTS[LAST].replace("32092,Xã Hồ Thị Kỷ,residents", "32092,Xã Hồ Thị Kỷ,")),
         r"row 3, column 'track': unknown track \(value: ''\)"),
    Case("missing column", _put("code,name,eligible\n32248,Xã Đất Mũi,1000\n"),
         r"reports/2025-11-14\.csv: missing required column 'supported'"),
    Case("mixed number conventions", _put(HEADER + '32248,Xã Đất Mũi,residents,"1.000.000",450,\n'
                                           '32092,Xã Hồ Thị Kỷ,residents,"2,000,000",700,\n'),
         r"numbers are written both the Vietnamese way \('1\.000\.000' in row 2, column 'eligible'\) and the English way"),
    Case("report file not named by its date", _file("reports/bao cao tuan.csv", REPORTS[LAST]),
         r"reports/bao cao tuan\.csv: the file name is not a report date"),
]


def build(case: Case, root: Path) -> Path:
    """The clean directory, spoilt as ``case`` says."""
    write_data_dir(root)
    case.build(root)
    return root
