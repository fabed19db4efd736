"""Checks at the door: schema and cross-checks that stop a run, findings that go to the report.

Counts are checked with pandera schemas; a failure becomes one ``DataError`` naming file,
sheet, row, column and value. What is doubtful but usable (a falling cumulative count, a total
row that disagrees with its rows, a stated rate that disagrees with the counts) becomes a
``Finding`` that the phase report lists beside the numbers.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis.data.load import Table
from analysis.errors import DataError, Finding

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

_COUNT_SCHEMA = pa.DataFrameSchema(
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


def check_counts(counts: pd.DataFrame, table: Table) -> None:
    """Stop on a negative count, supported above eligible, or central above supported.

    ``counts`` holds the parsed numeric columns with the same index as ``table.frame``. The
    first failing row of the most basic rule is reported, with how many rows fail it.
    """
    try:
        _COUNT_SCHEMA.validate(counts, lazy=True)
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


def check_stated_rates(rows: pd.DataFrame, table: Table) -> list[Finding]:
    """Flag a stated rate or achievement that disagrees with the counts (the counts are used)."""
    findings = []
    computed = {
        "rate": rows["supported"] / rows["eligible"],
        "achievement": rows["supported"] / (rows["target_rate"] * rows["eligible"]),
    }
    for column, value in computed.items():
        if column not in rows:
            continue
        off = rows[column].notna() & ((rows[column] - value).abs() > 0.0005)
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
