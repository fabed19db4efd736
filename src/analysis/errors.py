"""What goes wrong with inputs: errors that stop a run, findings that are carried to the report."""

from __future__ import annotations

from dataclasses import asdict, dataclass


class ParameterError(ValueError):
    """A run parameter is wrong; the message is one sentence saying what to change."""


class DataError(ValueError):
    """An input file cannot be used as it is.

    The message names the file, sheet, row and column, the value, and what to do, e.g.
    ``reports/2025-11-14.csv, row 12, column 'supported': value '1O5' is not a number. What to do: ...``.
    """

    def __init__(self, problem: str, *, file: str | None = None, sheet: str | None = None,
                 row: int | None = None, column: str | None = None, value: object = None,
                 hint: str | None = None) -> None:
        self.problem, self.file, self.sheet, self.row, self.column = problem, file, sheet, row, column
        self.value, self.hint = value, hint
        place = [p for p in (file, f"sheet '{sheet}'" if sheet else None,
                             f"row {row}" if row is not None else None,
                             f"column '{column}'" if column else None) if p]
        text = f"{', '.join(place)}: {problem}" if place else problem
        if value is not None:
            text += f" (value: '{value}')"
        if hint:
            text += f". What to do: {hint}."
        super().__init__(text)


@dataclass
class Finding:
    """A data-quality finding: not fatal, but shown to the reader next to the numbers.

    ``kind`` is a stable key (``falling_count``, ``total_mismatch``, ``encoding``, ...) whose
    wording lives in ``labels``; ``value`` and ``detail`` say what was seen.
    """

    kind: str
    value: object = None
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    as_of: str | None = None
    detail: str = ""
    reference: object = None  # what ``value`` is compared with (previous count, sum of rows, usual change)

    def as_dict(self) -> dict:
        """The finding as a flat record, for the ``data_quality`` table."""
        return asdict(self)
