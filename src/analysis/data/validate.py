"""Checks at the door: schema and cross-checks that stop a run, findings that go to the report.

Counts are checked with pandera schemas; a failure becomes one ``DataError`` naming file,
sheet, row, column and value. What is doubtful but usable (a falling cumulative count, a total
row that disagrees with its rows, a stated rate that disagrees with the counts) becomes a
``Finding`` that the phase report lists beside the numbers.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from analysis.data.campaign import DEFAULT, Campaign
from analysis.data.load import (
    COUNT_COLUMNS,
    PERCENT_COLUMNS,
    Table,
    Uncomputed,
    clean_cell,
    parse_number,
)
from analysis.data.register import closest_names
from analysis.errors import DataError, Finding
from analysis.text import unit_name_key

_RULES = {
    "non_negative": "counts cannot be negative",
    "supported_le_eligible": "'supported' is larger than 'eligible'",
    "central_le_supported": "'integrated_central' is larger than 'supported'",
}
_HINTS = {
    "non_negative": "correct the count in the unit's report",
    "supported_le_eligible": "check both counts with the unit: people supported cannot exceed the people eligible",
    "central_le_supported": "check both counts: the national system cannot record more than were supported",
}

@functools.cache
def _count_schema():
    """The pandera schema of the counts, built on first use: pandera is imported only when a file
    breaks a rule (a third of a second saved in every process that checks nothing, the kernels)."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "eligible": pa.Column(float, pa.Check.ge(0, name="non_negative"), nullable=False),
            "supported": pa.Column(float, pa.Check.ge(0, name="non_negative"), nullable=False),
            "integrated_central": pa.Column(float, pa.Check.ge(0, name="non_negative"), nullable=True, required=False),
        },
        checks=[
            pa.Check(lambda df: df["supported"] <= df["eligible"], name="supported_le_eligible"),
            pa.Check(lambda df: ~(df.get("integrated_central", pd.Series(float("nan"), index=df.index))
                                  > df["supported"]), name="central_le_supported"),
        ],
    )


_PRIORITY = ("non_negative", "supported_le_eligible", "central_le_supported")
_RULE_COLUMN = {"supported_le_eligible": "supported", "central_le_supported": "integrated_central"}


def _rule(check: str) -> str:
    return "non_negative" if str(check).startswith(("greater_than_or_equal_to", "non_negative")) else str(check)


def _counts_hold(counts: pd.DataFrame) -> bool:
    """Every rule of ``_count_schema`` holds (no empty eligible or supported, none negative,
    supported within eligible, central within supported): a fast test before the schema's words."""
    eligible, supported = counts["eligible"].to_numpy(float), counts["supported"].to_numpy(float)
    central = counts["integrated_central"].to_numpy(float) if "integrated_central" in counts else None
    with np.errstate(invalid="ignore"):
        ok = bool(np.all(eligible >= 0) and np.all(supported >= 0) and np.all(supported <= eligible))
        if central is not None:
            ok = ok and not bool(np.any(central < 0)) and not bool(np.any(central > supported))
    return ok


def check_counts(counts: pd.DataFrame, table: Table) -> None:
    """Stop on a negative count, supported above eligible, or central above supported.

    ``counts`` holds the parsed numeric columns with the same index as ``table.frame``. The
    first failing row of the most basic rule is reported, with how many rows fail it. An empty
    ``eligible`` or ``supported`` is said as empty (``check_filled``).
    """
    check_filled(counts, table, ("eligible", "supported"))
    if _counts_hold(counts):
        return  # the common case, checked with numpy; the schema (pandera) finds and words the failure
    from pandera.errors import SchemaErrors

    try:
        _count_schema().validate(counts, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases.dropna(subset=["index"]).assign(rule=lambda f: f["check"].map(_rule))
        rule = next(r for r in _PRIORITY if (cases["rule"] == r).any())
        hits = cases[cases["rule"] == rule].sort_values("index")
        index = int(hits["index"].iloc[0])
        column = _RULE_COLUMN.get(rule) or str(hits["column"].iloc[0])
        more = hits["index"].nunique() - 1
        suffix = f" ({more} more row(s) fail this way)" if more else ""
        raise DataError(_RULES[rule] + suffix, file=table.file, sheet=table.sheet,
                        row=int(table.frame["_row"].iloc[index]), column=column,
                        value=_shown(counts[column].iloc[index]), hint=_HINTS[rule]) from None


def check_filled(counts: pd.DataFrame, table: Table, columns: tuple[str, ...]) -> None:
    """Stop on the first row (in the file's order) where a required count is empty."""
    present = [c for c in columns if c in counts]
    empty = counts[present].isna()
    if empty.to_numpy().any():
        i = int(empty.any(axis=1).to_numpy().argmax())
        column = next(c for c in present if empty[c].iloc[i])
        raise DataError("the count is empty", file=table.file, sheet=table.sheet, row=int(table.frame["_row"].iloc[i]),
                        column=column, hint="write the count (0 if there is none); if the unit did not report "
                                            "this date, delete its row")


def check_has_rows(tables: list[Table]) -> None:
    """Stop on a file whose header is followed by no row of data."""
    if tables and all(t.frame.empty for t in tables):
        first = tables[0]
        raise DataError("the file has a header but no rows of data", file=first.file,
                        sheet=first.sheet if len(tables) == 1 else None,
                        hint="fill in one row per unit (or remove the file if nobody reported that date)")


def _shown(value: float) -> str:
    return str(int(value)) if pd.notna(value) and float(value).is_integer() else str(value)


def check_total(counts: pd.DataFrame, table: Table, totals: dict[str, float]) -> list[Finding]:
    """Compare a ``Tổng cộng``/``Total`` row with the sum of the rows above it (never counted)."""
    findings = []
    for column, stated in totals.items():
        summed = counts[column].sum() if column in counts else float("nan")
        if pd.notna(stated) and abs(summed - stated) > 0.5:
            findings.append(Finding("total_mismatch", _shown(stated), file=table.file, sheet=table.sheet,
                                    row=int(table.total["_row"]), column=column, reference=_shown(summed),
                                    detail=f"total row {_shown(stated)} vs sum of rows {_shown(summed)}"))
    return findings


RATE_TOLERANCE = 0.0005  # a stated share within this of the counts' share agrees (rounded to 0.1 points)


def _rounding(cell: object) -> float:
    """How far a stated rate may be from the counts' rate by rounding alone: half a unit of its last
    digit (``28%`` -> 0.005, ``27,8%`` -> 0.0005), at least ``RATE_TOLERANCE``."""
    if not isinstance(cell, str) or not cell.strip():
        return RATE_TOLERANCE
    text = clean_cell(cell)
    percent = text.endswith("%")
    digits = text.rstrip("%")
    decimals = len(digits) - max(digits.rfind("."), digits.rfind(",")) - 1 if re.search(r"[.,]\d{1,2}$", digits) else 0
    unit = 10.0 ** -decimals
    if percent or float(re.sub(r"[^\d]", "", digits) or 0) > 1.5 or decimals == 0:
        unit /= 100  # written as a percentage
    return max(RATE_TOLERANCE, unit / 2 + 1e-9)


def check_stated_rates(rows: pd.DataFrame, table: Table) -> list[Finding]:
    """Flag a stated rate or achievement that disagrees with the counts beyond the rounding of how it is
    written (the counts are used)."""
    findings = []
    computed = {
        "rate": rows["supported"] / rows["eligible"],
        "achievement": rows["supported"] / (rows["target_rate"] * rows["eligible"]),
    }
    for column, value in computed.items():
        if column not in rows:
            continue
        stated = table.frame[column] if column in table.frame else pd.Series(None, index=rows.index, dtype=object)
        tolerance = stated.reindex(rows.index).map(_rounding)
        off = rows[column].notna() & ((rows[column] - value).abs() > tolerance)
        for _, row in rows[off].iterrows():
            findings.append(Finding("stated_rate_mismatch", round(row[column], 4), file=table.file,
                                    sheet=table.sheet, row=int(row["_row"]), column=column,
                                    unit_code=row["code"], unit_name=row["name"], reference=round(value[row.name], 4),
                                    detail=f"stated {row[column]:.4f}, counts give {value[row.name]:.4f}"))
    return findings


def falling_counts(reports: pd.DataFrame) -> list[Finding]:
    """Flag every cumulative count that is lower than the same unit's previous report.

    ``reports`` is the long table of reported rows (``code``, ``name``, ``as_of``, counts,
    ``file``, ``_row``). The values are kept as reported: the reader sees them and the flag.
    """
    findings = []
    ordered = reports.sort_values(["code", "as_of"])
    for column in ("eligible", "supported", "integrated_central"):
        previous = ordered.groupby("code")[column].shift()
        fell = ordered[column] < previous
        for idx in ordered.index[fell.fillna(False).to_numpy(dtype=bool)]:
            row = ordered.loc[idx]
            findings.append(Finding("falling_count", _shown(row[column]), file=row["file"], row=int(row["_row"]),
                                    column=column, unit_code=row["code"], unit_name=row["name"],
                                    as_of=f"{row['as_of']:%Y-%m-%d}", reference=_shown(previous[idx]),
                                    detail=f"{_shown(previous[idx])} -> {_shown(row[column])}"))
    return findings


SHARE_LIMITS = {"rate": 1.0, "target_rate": 1.0, "share_60plus": 1.0, "smartphone_rate": 1.0,
                "absent_share": 1.0, "level2_rate": 1.0, "achievement": 10.0}  # 110.17% is real, 1000% is not


def parse_numbers(table: Table, columns: set[str]) -> pd.DataFrame:
    """Parse the numeric columns of a table, stopping at the first cell that is not a usable number."""
    convention = number_convention(table, columns)
    rows = table.frame["_row"].tolist()
    out = {}
    for column in sorted(columns & set(table.frame.columns)):
        out[column] = [_parse_cell(table, rows[i], column, cell, convention) for i, cell in enumerate(table.frame[column])]
    return pd.DataFrame(out, index=table.frame.index, dtype=float)


def _parse_cell(table: Table, row: int, column: str, cell: object, convention: str | None) -> float:
    """One numeric cell: a number, NaN when empty; a ``DataError`` naming its row and column otherwise."""
    where = {"file": table.file, "sheet": table.sheet, "row": int(row), "column": column}
    if isinstance(cell, Uncomputed):
        raise DataError("the cell holds a formula without a stored value", value=str(cell), **where,
                        hint="open the file in Excel and save it (Excel then stores each formula's value), "
                             "or type the number")
    if column in COUNT_COLUMNS and isinstance(cell, str) and cell.strip().endswith("%"):
        raise DataError("a count cannot be a percentage", value=cell, **where,
                        hint="write the number of people, not a share")
    try:
        number = parse_number(cell, convention, percent=column in PERCENT_COLUMNS)
    except ValueError:
        raise DataError("not a number", value=cell, **where,
                        hint="write a number (e.g. 233377 or 27,76%) or leave the cell empty") from None
    if column in COUNT_COLUMNS and pd.notna(number) and not float(number).is_integer():
        raise DataError("a count must be a whole number", value=cell, **where,
                        hint="write the number of people (or visits) without a fraction")
    limit = SHARE_LIMITS.get(column)
    if limit is not None and pd.notna(number) and not 0 <= number <= limit + 1e-9:
        raise DataError(f"a share must be between 0% and {limit:.0%}", value=cell, **where,
                        hint="write the percentage as 27,76% or 27.76 (or the share as 0.2776) and check the "
                             "decimal separator")
    return number


def check_tracks(table: Table, values: pd.Series, campaign: Campaign = DEFAULT) -> pd.Series:
    """Each row's track id, from its id, short name or alias; refuse a track the campaign does not declare."""
    mapped = values.map(campaign.track_of)
    bad = mapped.isna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        ids = " / ".join(campaign.track_ids)
        shorts = " / ".join(t.short["vi"] for t in campaign.tracks)
        where = "campaign.toml" if campaign.source != "default" else "a campaign.toml (docs/data-contract.md)"
        raise DataError("unknown track", file=table.file, sheet=table.sheet,
                        row=int(table.frame["_row"].iloc[i]), column="track", value=values.iloc[i],
                        hint=f"use {ids} (or {shorts}), or declare the track in {where}")
    return mapped


def check_unique(table: Table, keys: pd.Series, what: str) -> None:
    dup = keys.duplicated(keep="first") & keys.notna()
    if dup.any():
        i = int(dup.to_numpy().argmax())
        first = int(table.frame["_row"].iloc[int((keys == keys.iloc[i]).to_numpy().argmax())])
        raise DataError(f"the same {what} appears twice (also in row {first})", file=table.file,
                        sheet=table.sheet, row=int(table.frame["_row"].iloc[i]), column="name",
                        value=table.frame["name"].iloc[i] if "name" in table.frame else keys.iloc[i],
                        hint="keep one row per unit")


def unit_code(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None
    text = str(value).strip()
    return text[:-2] if re.fullmatch(r"\d+\.0", text) else text


def match_register(table: Table, i: int, name: str, wards: pd.DataFrame) -> tuple[str, str]:
    """Code and official name of a commune or ward named in a units file."""
    hit = wards[wards["name"].map(unit_name_key) == unit_name_key(name)]
    if len(hit) == 1:
        return hit["code"].iloc[0], hit["name"].iloc[0]
    candidates = closest_names(name, wards["name"].tolist())
    problem = "several communes/wards of the province have this name" if len(hit) > 1 else \
        "not a commune or ward of the province in the official register"
    raise DataError(problem, file=table.file, sheet=table.sheet, row=int(table.frame["_row"].iloc[i]),
                    column="name", value=name,
                    hint=f"give the official code, or one of: {', '.join(candidates) or 'no close name'}")


def match_unit(table: Table, i: int, code: str | None, name: object, track: str | None, units: pd.DataFrame) -> str:
    """The register code of one report row, by code, else by name (without prefix or diacritics)."""
    if code is not None and code in units.index:
        return code
    pool = units[units["track"] == track] if isinstance(track, str) else units
    hit = pool.index[pool["name"].map(unit_name_key) == unit_name_key(name)] if name is not None else []
    if len(hit) == 1:
        return hit[0]
    candidates = closest_names(str(name or code), pool["name"].tolist())
    problem = "several registered units have this name" if len(hit) > 1 else "unit not in the units register"
    raise DataError(problem, file=table.file, sheet=table.sheet, row=int(table.frame["_row"].iloc[i]),
                    column="name" if name is not None else "code", value=name if name is not None else code,
                    hint=f"correct the name or code, or add the unit to units.csv; closest registered: "
                         f"{', '.join(candidates) or 'none'}")


def restored_code(code: str | None, known: pd.Index | list[str]) -> str | None:
    """The registered code that ``code`` is once the leading zeros Excel drops are put back
    (``70`` is ``00070``), when exactly one registered code fits; else ``None``."""
    if code is None or not code.isdigit():
        return None
    hits = [k for k in known if isinstance(k, str) and k.isdigit() and k != code and k.lstrip("0") == code.lstrip("0")]
    return hits[0] if len(hits) == 1 else None


def zeros_finding(table: Table, restored: list[tuple[int, str, str]], units: pd.DataFrame | None = None) -> list[Finding]:
    """One finding per sheet for codes matched after their leading zeros were put back."""
    if not restored:
        return []
    i, written, code = restored[0]
    name = units.loc[code, "name"] if units is not None and code in units.index else None
    return [Finding("code_leading_zeros", written, file=table.file, sheet=table.sheet,
                    row=int(table.frame["_row"].iloc[i]), column="code", unit_code=code, unit_name=name,
                    reference=code, detail=f"{len(restored)} code(s) without their leading zeros matched to the "
                                           f"register, e.g. '{written}' -> '{code}'")]


def match_units(table: Table, tracks: pd.Series, units: pd.DataFrame) -> tuple[list[str], list[Finding]]:
    """The register code of every row of a report sheet (``match_unit``), codes that lost their
    leading zeros restored (with a finding), and the row's track checked against the units file."""
    codes, restored = [], []
    frame = table.frame
    for i, (cell, name, track) in enumerate(zip(frame.get("code", [None] * len(frame)),
                                                frame.get("name", [None] * len(frame)), tracks)):
        code = unit_code(cell)
        padded = None if code in units.index else restored_code(code, units.index)
        if padded is not None:
            restored.append((i, code, padded))
        codes.append(match_unit(table, i, padded or code, _name(name), track, units))
        check_track_agrees(table, i, track, codes[-1], units)
    return codes, zeros_finding(table, restored, units)


def _name(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip() \
        else str(value)


def check_track_agrees(table: Table, i: int, track: object, code: str, units: pd.DataFrame) -> None:
    """Stop on a report row whose track (its column, or the sheet's name) is not the unit's track in
    the units file: the unit's figures would be counted in another track."""
    if not isinstance(track, str):
        return
    registered = units.at[code, "track"]
    if track != registered:
        by_column = "track" in table.frame
        raise DataError(f"the report puts {units.loc[code, 'name']} in track '{track}' "
                        f"({'its track column' if by_column else 'the sheet name'}) but units.csv has it in "
                        f"track '{registered}'", file=table.file, sheet=table.sheet,
                        row=int(table.frame["_row"].iloc[i]), column="track" if by_column else None,
                        value=table.frame["track"].iloc[i] if by_column else table.sheet,
                        hint=f"move the row to the '{registered}' track in the report, or correct the unit's "
                             "track in the units file")


def parse_dates(table: Table, column: str) -> pd.Series:
    """A date column: ISO (2025-11-14) or Vietnamese day-first (14/11/2025); empty cells stay NaT."""
    values = table.frame[column].map(lambda v: v.strip() if isinstance(v, str) else v).replace("", None)
    parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    parsed = parsed.fillna(pd.to_datetime(values, format="%d/%m/%Y", errors="coerce"))
    bad = parsed.isna() & values.notna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError("not an ISO date", file=table.file, sheet=table.sheet,
                        row=int(table.frame["_row"].iloc[i]), column=column, value=table.frame[column].iloc[i],
                        hint="write dates as YYYY-MM-DD, e.g. 2025-11-14")
    return parsed


def check_phases(phases: pd.DataFrame, table: Table) -> None:
    """Stop on a phase without dates, one that ends before it starts, or two phases that overlap
    (a report date would fall in both)."""
    rows = table.frame["_row"].to_numpy()
    for column in ("name", "start", "end"):
        empty = phases[column].isna() | (phases[column].astype(str).str.strip() == "")
        if empty.any():
            i = int(empty.to_numpy().argmax())
            raise DataError(f"the phase has no {column}", file=table.file, row=int(rows[i]), column=column,
                            hint="give every phase a name, a start and an end date (YYYY-MM-DD)")
    bad = phases["end"] < phases["start"]
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError("the phase ends before it starts", file=table.file, row=int(rows[i]),
                        column="end", value=table.frame["end"].iloc[i], hint="swap or correct the dates")
    order = phases.assign(_row=rows).sort_values(["start", "end"], kind="stable")
    for (_, a), (_, b) in zip(order.iloc[:-1].iterrows(), order.iloc[1:].iterrows()):
        if b["start"] <= a["end"]:
            last = min(a["end"], b["end"])
            raise DataError(f"phases '{a['name']}' ({a['start']:%Y-%m-%d} to {a['end']:%Y-%m-%d}) and '{b['name']}' "
                            f"({b['start']:%Y-%m-%d} to {b['end']:%Y-%m-%d}) overlap: {b['start']:%Y-%m-%d} to "
                            f"{last:%Y-%m-%d} fall in both", file=table.file, row=int(b["_row"]), column="start",
                            value=f"{b['start']:%Y-%m-%d}",
                            hint=f"start '{b['name']}' after {a['end']:%Y-%m-%d}, or end '{a['name']}' "
                                 f"before {b['start']:%Y-%m-%d}")


def check_identifies_units(table: Table) -> None:
    """Stop on a report sheet with neither a code nor a name column: its rows belong to no unit."""
    if "code" not in table.frame and "name" not in table.frame:
        raise DataError("missing column 'code' or 'name' to say which unit a row is", file=table.file,
                        sheet=table.sheet, hint="add a column 'Mã đơn vị' or 'Tên đơn vị'")



_VI_EVIDENCE = re.compile(r",\d{1,2}%?$|,\d{4,}|^\d{1,3}(\.\d{3}){2,}|\.\d{3},\d")
_EN_EVIDENCE = re.compile(r"\.\d{1,2}%?$|\.\d{4,}|^\d{1,3}(,\d{3}){2,}|,\d{3}\.\d")
_AMBIGUOUS = re.compile(r"^\d{1,3}[.,]\d{3}%?$")


def _evidence(column: str, value: str) -> str | None:
    """What one cell says of the file's convention: 'vi', 'en' or nothing.

    Beside the separators that can only be read one way (``27,76%``, ``1.234.567``), a value such
    as ``941.496`` or ``0.151`` is settled by its column: a count of people is a whole number, so
    in a count column the separator is a thousands mark; a share or percentage never reaches a
    thousand, so in a rate column it is a decimal point.
    """
    if _VI_EVIDENCE.search(value):
        return "vi"
    if _EN_EVIDENCE.search(value):
        return "en"
    if _AMBIGUOUS.match(value):
        dot = "." in value
        if column in COUNT_COLUMNS:
            return "vi" if dot else "en"
        if column in PERCENT_COLUMNS:
            return "en" if dot else "vi"
    return None


def number_convention(table: Table, columns: set[str]) -> str | None:
    """'vi' (233.377 / 27,76%), 'en' (233,377 / 27.76%) or None when the sheet shows no separators.

    Every numeric column of the sheet counts as evidence, rate columns included (``_evidence``).
    Raises ``DataError`` when a sheet mixes the two, or when it holds only values such as
    ``1.234`` in a column that is neither a count nor a rate.
    """
    found = {"vi": None, "en": None}
    ambiguous = None
    for column in sorted(columns & set(table.frame.columns)):
        for i, cell in enumerate(table.frame[column]):
            value = clean_cell(cell) if isinstance(cell, str) else ""
            if not value:
                continue
            kind = _evidence(column, value)
            if kind and found[kind] is None:
                found[kind] = (column, value, int(table.frame["_row"].iloc[i]))
            elif kind is None and ambiguous is None and _AMBIGUOUS.match(value):
                ambiguous = (column, value, int(table.frame["_row"].iloc[i]))
    vi, en = found["vi"], found["en"]
    if vi and en:
        raise DataError(f"numbers are written both the Vietnamese way ('{vi[1]}' in row {vi[2]}, column '{vi[0]}') "
                        f"and the English way ('{en[1]}' in row {en[2]}, column '{en[0]}')",
                        hint="write every number of the sheet the same way", file=table.file, sheet=table.sheet)
    if vi or en:
        return "vi" if vi else "en"
    if ambiguous:
        raise DataError(f"cannot tell whether '{ambiguous[1]}' uses a thousands separator or a decimal point",
                        row=ambiguous[2], column=ambiguous[0], file=table.file, sheet=table.sheet,
                        hint="write numbers without thousands separators (1234) or with two decimals (12,50)")
    return None


def check_survey(frame: pd.DataFrame, file: str) -> None:
    """Stop on a survey item coded other than 0 (no) or 1 (yes)."""
    for column in frame:
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = ~values.isin([0, 1])
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise DataError(f"column {column} holds values other than 0 and 1", file=file, row=i + 2, column=column,
                            value=frame[column].iloc[i], hint="code every survey item as 1 (yes) or 0 (no)")


def check_profiles(frame: pd.DataFrame, used: list[str]) -> None:
    """The profile of the units a model uses (``frame``: one row per unit with ``name`` and the
    ``used`` columns) filled for every one of them: a column blank for some units stops the run,
    naming them (a column blank for every unit is not collected, and left out by the caller)."""
    partly = frame[frame[used].isna().any(axis=1)]
    if len(partly):
        names = ", ".join(partly["name"].head(10))
        cols = ", ".join(c for c in used if frame[c].isna().any())
        raise DataError(f"the unit profile lacks {cols} for {len(partly)} unit(s): {names}", file="units",
                        column=cols, hint="fill these values in units.csv, or remove the column for every unit")
