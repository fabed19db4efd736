"""Read a data directory as the department compiles it: CSV or Excel, Vietnamese or English.

``read_table`` turns one file (or one sheet) into a table of logical columns with the source
row number of every row kept in ``_row``; ``load_data_dir`` reads the whole directory of
``docs/data-contract.md`` and hands it to ``validate`` and ``panel``. Raw files are only read.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import DataError, Finding
from analysis.text import normalise_text

HEADER_ALIASES: dict[str, list[str]] = {
    "code": ["code", "unit_code", "mã", "mã đơn vị"],
    "name": ["name", "unit", "unit_name", "đơn vị", "tên đơn vị", "province", "tỉnh"],
    "track": ["track", "nhóm", "khối"],
    "unit_type": ["unit_type", "loại đơn vị", "loại hình"],
    "share_60plus": ["share_60plus", "tỷ lệ từ 60 tuổi"],
    "smartphone_rate": ["smartphone_rate", "tỷ lệ có điện thoại thông minh"],
    "absent_share": ["absent_share", "tỷ lệ lao động đi làm xa"],
    "level2_rate": ["level2_rate", "tỷ lệ định danh mức 2"],
    "eligible": ["eligible", "tổng số đối tượng", "số đối tượng rà soát", "tổng số lượt khám"],
    "supported": ["supported", "số đã hỗ trợ tích hợp", "số đã tích hợp", "số đã thực hiện"],
    "integrated_central": ["integrated_central", "số ghi nhận trên hệ thống"],
    "target_rate": ["target_rate", "chỉ tiêu (%)", "chỉ tiêu"],
    "rate": ["rate", "tỷ lệ (%)", "tỷ lệ"],
    "achievement": ["achievement", "đạt (%)", "đạt"],
    "as_of": ["as_of", "ngày", "ngày báo cáo"],
    "rank": ["rank", "xếp hạng", "thứ hạng"],
    "n_provinces": ["n_provinces", "số tỉnh"],
    "start": ["start", "bắt đầu", "từ ngày"],
    "end": ["end", "kết thúc", "đến ngày"],
    "assumed": ["assumed", "giả định"],
    "submitted": ["submitted", "ngày gửi", "ngày nộp"],
}
_ALIAS_TO_LOGICAL = {normalise_text(a): k for k, aliases in HEADER_ALIASES.items() for a in aliases}
_IGNORED_HEADERS = {"stt", "no", "so tt", "ghi chu", "note", "notes"}
_TOTAL_LABELS = {"tong cong", "tong", "total", "cong", "grand total"}
PERCENT_COLUMNS = {"share_60plus", "smartphone_rate", "absent_share", "level2_rate", "target_rate", "rate", "achievement"}
COUNT_COLUMNS = {"eligible", "supported", "integrated_central", "rank", "n_provinces"}


@dataclass
class Table:
    """One file or sheet read into logical columns.

    ``frame`` holds the logical columns as text plus ``_row`` (the row number in the file, as a
    spreadsheet shows it); ``extra`` the columns that were not recognised; ``total`` the
    ``Tổng cộng``/``Total`` row when there is one.
    """

    file: str
    sheet: str | None
    frame: pd.DataFrame
    extra: list[str] = field(default_factory=list)
    total: pd.Series | None = None
    findings: list[Finding] = field(default_factory=list)

    def where(self, row: int | None = None, column: str | None = None) -> dict:
        """The location fields of an error or a finding in this table."""
        return {"file": self.file, "sheet": self.sheet, "row": row, "column": column}


def logical_header(header: object) -> str | None:
    """The logical column a header stands for, or ``None`` if it is not one we know."""
    return _ALIAS_TO_LOGICAL.get(normalise_text(header))


class Uncomputed:
    """An Excel formula cell without a stored value (the file was written by a program, not saved by
    Excel): its value is unknown. ``validate.parse_numbers`` refuses it with what to do."""

    def __init__(self, formula: object) -> None:
        self.formula = str(formula)

    def __str__(self) -> str:
        return self.formula if self.formula.startswith("=") else f"={self.formula}"


_SIGNATURES = {  # what a file's first bytes say it is, whatever its name
    b"%PDF": ("the file is a PDF document, not a table", "export the table from Excel as .xlsx or .csv"),
    b"\xd0\xcf\x11\xe0": ("the file is an old Excel (.xls) or other Office file, not an .xlsx workbook or a CSV",
                          "open it in Excel and save it as 'Excel Workbook (.xlsx)'"),
    b"{\\rtf": ("the file is a Word/RTF document, not a table", "export the table from Excel as .xlsx or .csv"),
}


def _check_signature(data: bytes, suffix: str, display: str) -> None:
    """Stop on a file that is not what its name says (a PDF or an old .xls saved under .xlsx or .csv)."""
    for magic, (problem, hint) in _SIGNATURES.items():
        if data.startswith(magic):
            raise DataError(problem, file=display, hint=hint)
    if suffix == ".xlsx" and not data.startswith(b"PK\x03\x04"):
        raise DataError("the file is not an Excel workbook although its name ends in .xlsx", file=display,
                        hint="open it in Excel and save it as 'Excel Workbook (.xlsx)', or as CSV UTF-8")
    if suffix == ".csv" and data.startswith(b"PK\x03\x04"):
        raise DataError("the file is an Excel workbook although its name ends in .csv", file=display,
                        hint="rename it to .xlsx, or save it from Excel as 'CSV UTF-8'")


def _decode(data: bytes, display: str) -> tuple[str, list[Finding]]:
    """The text of a CSV: UTF-16 (Excel's 'Unicode Text'), UTF-8 (with or without BOM), else Windows-1258."""
    bom = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    if bom or (len(data) > 3 and data[1:2] == b"\x00" and data[3:4] == b"\x00"):
        try:
            return data.decode("utf-16" if bom else "utf-16-le"), []
        except UnicodeDecodeError:
            pass
    try:
        text, findings = data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        findings = [Finding("encoding", "cp1258", file=display,
                            detail="not valid UTF-8: read as Windows-1258 (Vietnamese code page)")]
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError:
            text = "\x00"
    if "\x00" in text:
        raise DataError("the file is not text in a known encoding (UTF-8, UTF-16 or Windows-1258)", file=display,
                        hint="save it from Excel as 'CSV UTF-8 (Comma delimited)' or as .xlsx")
    return text, findings


def _text_grid(text: str, delimiter: str, limit: int | None = None) -> pd.DataFrame:
    lines = text.splitlines()[:limit] if limit else text.splitlines()
    rows = list(csv.reader(lines, delimiter=delimiter))
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


def _delimiter(text: str) -> str:
    """The separator that makes a header row of known columns appear (tab, semicolon or comma)."""
    def score(delimiter: str) -> tuple[int, int]:
        found = _header_rows(_text_grid(text, delimiter, limit=25))
        return (found[2] if found else 0), text[:4000].count(delimiter)

    return max(("\t", ";", ","), key=score)


def _text_sheet(path: Path, display: str) -> list[tuple[str | None, pd.DataFrame, list[Finding]]]:
    data = path.read_bytes()
    _check_signature(data, path.suffix.lower(), display)
    text, findings = _decode(data, display)
    try:
        return [(None, _text_grid(text, _delimiter(text)), findings)]
    except csv.Error as err:
        raise DataError(f"the file cannot be read as CSV ({err})", file=display,
                        hint="save it from Excel as 'CSV UTF-8 (Comma delimited)' or as .xlsx") from None


def _workbook_sheets(path: Path, display: str) -> list[tuple[str | None, pd.DataFrame, list[Finding]]]:
    """Every sheet of a workbook as a grid of the values Excel stored (a formula without one is
    ``Uncomputed``), with findings for formulas and hidden rows."""
    import openpyxl

    _check_signature(path.read_bytes()[:8], ".xlsx", display)
    try:
        stored = openpyxl.load_workbook(path, data_only=True)
        written = openpyxl.load_workbook(path, data_only=False)
    except Exception as err:  # a damaged or foreign zip: openpyxl raises many kinds
        raise DataError(f"the workbook cannot be opened ({type(err).__name__})", file=display,
                        hint="open it in Excel and save it again as 'Excel Workbook (.xlsx)'") from None
    return [_sheet_grid(stored[ws.title], ws, display) for ws in written.worksheets]


def _sheet_grid(stored, written, display: str) -> tuple[str, pd.DataFrame, list[Finding]]:
    """One worksheet as a grid: stored values, ``Uncomputed`` formulas, findings (formulas, hidden rows)."""
    rows, formulas, hidden = [], 0, []
    for cells in written.iter_rows(min_row=1, min_col=1):  # row i of the grid is Excel's row i + 1
        row = []
        for cell in cells:
            value = stored[cell.coordinate].value
            if cell.data_type == "f":
                formulas += value is not None
                value = Uncomputed(cell.value) if value is None else value
            row.append(int(value) if isinstance(value, float) and value.is_integer() else value)
        rows.append(row)
        if cells and written.row_dimensions[cells[0].row].hidden and any(_is_filled(v) for v in row):
            hidden.append(cells[0].row)
    findings = []
    if formulas:
        findings.append(Finding("formula_values", formulas, file=display, sheet=written.title,
                                detail=f"{formulas} formula cell(s): values as Excel last computed them"))
    if hidden:
        findings.append(Finding("hidden_rows", ", ".join(map(str, hidden)), file=display, sheet=written.title,
                                detail=f"hidden rows read like the others: {', '.join(map(str, hidden))}"))
    return written.title, pd.DataFrame(rows, dtype=object), findings


def _raw_sheets(path: Path, display: str) -> list[tuple[str | None, pd.DataFrame, list[Finding]]]:
    """Every sheet of the file as a grid of cells (no header), with reading findings."""
    if path.suffix.lower() == ".xlsx":
        return _workbook_sheets(path, display)
    return _text_sheet(path, display)


def _known(row: pd.Series) -> dict[int, str]:
    """The known columns a row names, by position."""
    return {j: h for j, v in enumerate(row) if _is_filled(v) and (h := logical_header(v)) is not None}


def _header_rows(grid: pd.DataFrame) -> tuple[int, int, int] | None:
    """Where the header is: (first row, 1 or 2 rows, known columns), or ``None``.

    A header over two rows (merged cells: ``Tên đơn vị`` spanning both rows, ``Kết quả`` above
    ``Tổng số đối tượng`` and ``Số đã hỗ trợ``) is a row naming known columns followed by one that
    names others and is empty under the first row's.
    """
    for i in range(min(len(grid), 20)):
        top = _known(grid.iloc[i])
        if top and i + 1 < len(grid):
            below = grid.iloc[i + 1]
            sub = _known(below)
            if sub and not set(sub) & set(top) and not any(_is_filled(below.iloc[j]) for j in top):
                return i, 2, len(top) + len(sub)
        if len(top) >= 2:
            return i, 1, len(top)
    return None


def _header_cells(grid: pd.DataFrame, at: int, span: int) -> list[object]:
    """The header text of every column (over two rows: the lower row's where the upper one names none)."""
    if span == 1:
        return list(grid.iloc[at])
    top, below = grid.iloc[at], grid.iloc[at + 1]
    return [u if (_is_filled(u) and logical_header(u)) or not _is_filled(b) else b for u, b in zip(top, below)]


def _is_filled(value: object) -> bool:
    return not (value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "")


def _is_total(row: pd.Series) -> bool:
    return any(normalise_text(v) in _TOTAL_LABELS for v in row if isinstance(v, str))


def read_table(path: Path, display: str | None = None, required: tuple[str, ...] = ()) -> list[Table]:
    """Read a CSV or Excel file into one ``Table`` per sheet, checking the required columns.

    In a workbook, the sheets without a header row of known columns (an instructions page, a
    chart) are left aside with a ``skipped_sheet`` finding, as long as one sheet holds the data.
    """
    display = display or path.name
    tables, skipped = [], []
    for sheet, grid, findings in _raw_sheets(path, display):
        found = _header_rows(grid)
        if found is None and sheet is not None and not any(_is_filled(v) for v in grid.to_numpy().ravel()):
            continue
        if found is None:
            skipped.append(sheet)
            continue
        tables.append(_sheet_table(display, sheet, grid, found, findings, required))
    if not tables:
        raise DataError("no header row with the expected columns was found in the first 20 rows",
                        file=display, sheet=skipped[0] if skipped else None,
                        hint=f"put a header row naming the columns, e.g. {', '.join(required) or 'code, name'}")
    tables[0].findings += [Finding("skipped_sheet", s, file=display, sheet=s,
                                   detail=f"sheet '{s}' has no header of known columns: not read") for s in skipped]
    return tables


def _sheet_table(display: str, sheet: str | None, grid: pd.DataFrame, found: tuple[int, int, int],
                 findings: list[Finding], required: tuple[str, ...]) -> Table:
    """One sheet's grid as a ``Table``: header mapped, empty rows dropped, the total row aside."""
    at, span, _ = found
    raw = pd.Series(_header_cells(grid, at, span))
    headers = [logical_header(h) if _is_filled(h) else None for h in raw]
    body = grid.iloc[at + span :]
    filled = [any(_is_filled(v) for v in r) for r in body.itertuples(index=False)]
    body = body[pd.Series(filled, index=body.index, dtype=bool)]
    is_total = pd.Series([_is_total(r) for r in body.itertuples(index=False)], index=body.index, dtype=bool)
    table = Table(display, sheet, pd.DataFrame(), findings=list(findings))
    if span == 2:
        table.findings.append(Finding("two_row_header", f"rows {at + 1}-{at + 2}", file=display, sheet=sheet,
                                      row=at + 1, detail=f"header read over rows {at + 1} and {at + 2}"))
    _check_headers(table, raw, headers, required)
    total, frame = body[is_total], body[~is_total]
    keep = {i: h for i, h in enumerate(headers) if h is not None}
    table.frame = frame.iloc[:, list(keep)].set_axis(list(keep.values()), axis=1).reset_index(drop=True)
    table.frame.insert(0, "_row", [int(i) + 1 for i in frame.index])
    if len(total):
        table.total = total.iloc[-1, list(keep)].set_axis(list(keep.values()))
        table.total["_row"] = int(total.index[-1]) + 1
    return table


def _check_headers(table: Table, raw: pd.Series, headers: list[str | None], required: tuple[str, ...]) -> None:
    seen: dict[str, str] = {}
    for original, logical in zip(raw, headers):
        if logical is None:
            if _is_filled(original) and normalise_text(original) not in _IGNORED_HEADERS:
                table.extra.append(str(original).strip())
            continue
        if logical in seen:
            raise DataError(f"two columns, '{seen[logical]}' and '{original}', both mean '{logical}'",
                            column=str(original), hint="keep one of them", **_loc(table))
        seen[logical] = str(original)
    missing = [c for c in required if c not in seen]
    if missing:
        names = "; ".join(f"'{c}' (e.g. {', '.join(HEADER_ALIASES[c][:3])})" for c in missing)
        raise DataError(f"missing required column {names}", hint="add the column or rename its header",
                        **_loc(table))
    if table.extra:
        table.findings.append(Finding("extra_columns", ", ".join(table.extra), file=table.file,
                                      sheet=table.sheet, detail="columns not recognised: kept aside, not used"))


def _loc(table: Table) -> dict:
    return {"file": table.file, "sheet": table.sheet}

_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def clean_cell(value: str) -> str:
    """A cell without its spaces (ordinary, non-breaking and narrow)."""
    return value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").strip()


def parse_number(value: object, convention: str | None, percent: bool = False) -> float:
    """A cell as a number: NaN when empty, a share when ``percent`` (``27,76%`` -> 0.2776).

    Raises ``ValueError`` when the cell is not a number.
    """
    if not _is_filled(value):
        return float("nan")
    if isinstance(value, (int, float)):
        number, had_sign = float(value), False
    else:
        text = clean_cell(str(value))
        had_sign = text.endswith("%")
        text = text.rstrip("%")
        if convention == "vi":
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"'{value}' is not a number")
        number = float(text)
    if percent and (had_sign or number > 1.5):
        number /= 100
    return number


def read_survey(path: Path, columns: list[str]) -> pd.DataFrame:
    """A person-level survey file with only the named columns (matched like every other file's
    headers: ``has_smartphone``, ``Có điện thoại thông minh``...), as small integers where they are.

    The file's form is checked here (the columns are there); its values in ``validate.check_survey``.
    """
    header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    mapping = {h: SURVEY_ALIASES.get(normalise_text(h)) for h in header}
    wanted = {h: c for h, c in mapping.items() if c in columns}
    missing = [c for c in columns if c not in wanted.values()]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}", file=path.name,
                        hint="the survey needs one 0/1 column per item: " + ", ".join(columns))
    try:
        frame = pd.read_csv(path, usecols=list(wanted), dtype="int8", encoding="utf-8-sig", engine="c")
    except ValueError:  # something other than small whole numbers: read as text for the check to name it
        frame = pd.read_csv(path, usecols=list(wanted), dtype=str, encoding="utf-8-sig", engine="c")
    return frame.rename(columns=wanted)


SURVEY_ALIASES = {normalise_text(a): k for k, aliases in {
    "age_60plus": ["age_60plus", "từ 60 tuổi", "tu 60 tuoi"],
    "has_smartphone": ["has_smartphone", "có điện thoại thông minh"],
    "works_away": ["works_away", "đi làm xa"],
    "level2": ["level2", "định danh mức 2"],
    "integrated": ["integrated", "đã tích hợp"],
}.items() for a in aliases}


IDENTIFIER_HEADERS = {normalise_text(h) for h in [
    "họ tên", "họ và tên", "tên", "name", "full name", "full_name", "cccd", "cmnd", "số cccd", "số cmnd",
    "căn cước", "id number", "id_number", "national id", "số điện thoại", "điện thoại", "sđt", "phone",
    "phone number", "địa chỉ", "address", "email", "ngày sinh", "date of birth", "số định danh"]}
_IDENTIFIER_VALUES = re.compile(r"^(\d{9}|\d{12}|(\+?84|0)\d{9,10})$|@")


def identifier_columns(path: Path, rows: int = 200) -> list[str]:
    """Columns of a person-level file that look like direct identifiers (names, ID-card or phone numbers).

    Flagged by header (``Họ tên``, ``CCCD``, ``Số điện thoại``, ...) or by value pattern (9- or
    12-digit ID numbers, Vietnamese phone numbers, e-mail addresses) in at least half of the
    first ``rows`` rows. Such columns are never read into the analysis.
    """
    head = pd.read_csv(path, nrows=rows, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    flagged = []
    for column in head.columns:
        values = head[column].map(lambda v: clean_cell(v).replace("-", "").replace(".", ""))
        by_value = len(values) > 0 and values.map(lambda v: bool(_IDENTIFIER_VALUES.search(v))).mean() >= 0.5
        if normalise_text(column) in IDENTIFIER_HEADERS or by_value:
            flagged.append(str(column))
    return flagged
