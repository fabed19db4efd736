"""Read a data directory as the department compiles it: CSV or Excel, Vietnamese or English.

``read_table`` turns one file (or one sheet) into a table of logical columns with the source
row number of every row kept in ``_row``; ``load_data_dir`` reads the whole directory of
``docs/data-contract.md`` and hands it to ``validate`` and ``panel``. Raw files are only read.
"""

from __future__ import annotations

import csv
import io
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
    "supported": ["supported", "số đã hỗ trợ tích hợp", "số đã tích hợp"],
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
TRACKS = {"residents": "residents", "dan cu": "residents", "facilities": "facilities",
          "co so y te": "facilities", "cadres": "cadres", "can bo": "cadres"}


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


def _decode(path: Path, display: str) -> tuple[str, list[Finding]]:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        note = Finding("encoding", "cp1258", file=display,
                       detail="not valid UTF-8: read as Windows-1258 (Vietnamese code page)")
        return data.decode("cp1258"), [note]


def _raw_sheets(path: Path, display: str) -> list[tuple[str | None, pd.DataFrame, list[Finding]]]:
    """Every sheet of the file as a grid of cells (no header), with reading findings."""
    if path.suffix.lower() == ".xlsx":
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
        return [(name, grid, []) for name, grid in sheets.items()]
    text, findings = _decode(path, display)
    lines = text.splitlines()
    delimiter = ";" if lines and lines[0].count(";") > lines[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    width = max((len(r) for r in rows), default=0)
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    return [(None, grid, findings)]


def _header_row(grid: pd.DataFrame) -> int | None:
    for i in range(min(len(grid), 20)):
        if sum(logical_header(v) is not None for v in grid.iloc[i] if _is_filled(v)) >= 2:
            return i
    return None


def _is_filled(value: object) -> bool:
    return not (value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "")


def _is_total(row: pd.Series) -> bool:
    return any(normalise_text(v) in _TOTAL_LABELS for v in row if isinstance(v, str))


def read_table(path: Path, display: str | None = None, required: tuple[str, ...] = ()) -> list[Table]:
    """Read a CSV or Excel file into one ``Table`` per sheet, checking the required columns."""
    display = display or path.name
    tables = []
    for sheet, grid, findings in _raw_sheets(path, display):
        header_at = _header_row(grid)
        if header_at is None:
            if sheet is not None and grid.dropna(how="all").empty:
                continue
            raise DataError("no header row with the expected columns was found in the first 20 rows",
                            file=display, sheet=sheet,
                            hint=f"put a header row naming the columns, e.g. {', '.join(required) or 'code, name'}")
        headers = [logical_header(h) if _is_filled(h) else None for h in grid.iloc[header_at]]
        body = grid.iloc[header_at + 1 :]
        body = body[body.apply(lambda r: any(_is_filled(v) for v in r), axis=1)]
        is_total = body.apply(_is_total, axis=1)
        table = Table(display, sheet, pd.DataFrame(), findings=list(findings))
        _check_headers(table, grid.iloc[header_at], headers, required)
        total = body[is_total]
        frame = body[~is_total]
        keep = {i: h for i, h in enumerate(headers) if h is not None}
        table.frame = frame.iloc[:, list(keep)].set_axis(list(keep.values()), axis=1).reset_index(drop=True)
        table.frame.insert(0, "_row", [int(i) + 1 for i in frame.index])
        if len(total):
            table.total = total.iloc[-1, list(keep)].set_axis(list(keep.values()))
            table.total["_row"] = int(total.index[-1]) + 1
        tables.append(table)
    return tables


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
