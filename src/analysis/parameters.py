"""The run parameters shared by every notebook and the runner, checked before any work.

A wrong value stops the run with one sentence that says what to change, whether it came
through papermill (``-p target_rate 40``) or the runner (``--target-rate 40``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from analysis.config import resolve_path
from analysis.data.register import find_province
from analysis.errors import ParameterError

LANGUAGES = ("vi", "en")
DEFAULTS = {
    "period": "",
    "as_of": "2025-11-14",
    "data_dir": "data/sample",
    "target_rate": 0.40,
    "deadline": "2025-12-31",
    "province": "Cà Mau",
    "lang": "vi",
}


@dataclass(frozen=True)
class Params:
    """Validated parameters: dates as ``date``, the data directory as an absolute path."""

    period: str
    as_of: date
    data_dir: Path
    target_rate: float
    deadline: date
    province: str
    province_code: int
    lang: str

    def as_notebook_parameters(self) -> dict:
        """The parameters as papermill injects them (plain literals)."""
        return {"period": self.period, "as_of": self.as_of.isoformat(), "data_dir": str(self.data_dir),
                "target_rate": self.target_rate, "deadline": self.deadline.isoformat(),
                "province": self.province, "lang": self.lang}


def _iso_date(name: str, value: object) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParameterError(
            f"Parameter {name}={value!r} is not a date: write it as YYYY-MM-DD, e.g. 2025-11-14."
        ) from None


def _target(value: object) -> float:
    try:
        target = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"Parameter target_rate={value!r} is not a number: write a share such as 0.40.") from None
    if 1 < target <= 100:
        raise ParameterError(
            f"Parameter target_rate={value!r} looks like a percentage: write it as a share, e.g. {target / 100:.2f}."
        )
    if not 0 < target <= 1:
        raise ParameterError(f"Parameter target_rate={value!r} must be a share above 0 and at most 1, e.g. 0.40.")
    return target


def validate_parameters(period: str = DEFAULTS["period"], as_of: str = DEFAULTS["as_of"],
                        data_dir: str = DEFAULTS["data_dir"], target_rate: float = DEFAULTS["target_rate"],
                        deadline: str = DEFAULTS["deadline"], province: str = DEFAULTS["province"],
                        lang: str = DEFAULTS["lang"]) -> Params:
    """Check every parameter and return them typed; raise ``ParameterError`` with one sentence."""
    as_of_date, deadline_date = _iso_date("as_of", as_of), _iso_date("deadline", deadline)
    if deadline_date <= as_of_date:
        raise ParameterError(
            f"Parameter deadline={deadline} is not after as_of={as_of}: choose a deadline later than the as-of date."
        )
    target = _target(target_rate)
    if lang not in LANGUAGES:
        raise ParameterError(f"Parameter lang={lang!r} is not supported: use 'vi' (Vietnamese) or 'en' (English).")
    folder = resolve_path(data_dir)
    if not folder.is_dir():
        raise ParameterError(f"Parameter data_dir={str(data_dir)!r}: the folder {folder} does not exist; "
                             "give the folder that holds units.csv and reports/.")
    try:
        registered = find_province(province)
    except ValueError as err:
        raise ParameterError(f"Parameter province={province!r}: {err}") from None
    label = str(period).strip() or as_of_date.isoformat()
    if any(ch in label for ch in '/\\:*?"<>|') or label in (".", ".."):
        raise ParameterError(f"Parameter period={period!r} cannot name a folder: use letters, digits and dashes.")
    return Params(label, as_of_date, folder, target, deadline_date, registered["name"],
                  int(registered["code"]), lang)
