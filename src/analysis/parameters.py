"""The run parameters, shared and notebook-specific, checked before any work.

A wrong value stops the run with one sentence that says what to change, whether it came
through papermill (``-p target_rate 40``, ``-p teams -3``) or the runner (``--target-rate 40``,
``-p teams -3``, a ``--params`` file). Dates are parsed here, once: the rest of the package gets
``pd.Timestamp`` values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

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
    """Validated parameters: dates as ``pd.Timestamp`` (parsed once, here), the data directory as an absolute path."""

    period: str
    as_of: pd.Timestamp
    data_dir: Path
    target_rate: float
    deadline: pd.Timestamp
    province: str
    province_code: int
    lang: str

    def as_notebook_parameters(self) -> dict:
        """The parameters as papermill injects them (plain literals)."""
        return {"period": self.period, "as_of": f"{self.as_of:%Y-%m-%d}", "data_dir": str(self.data_dir),
                "target_rate": self.target_rate, "deadline": f"{self.deadline:%Y-%m-%d}",
                "province": self.province, "lang": self.lang}


def _iso_date(name: str, value: object) -> pd.Timestamp:
    try:
        return pd.Timestamp(date.fromisoformat(str(value).strip()))
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
    label = str(period).strip() or f"{as_of_date:%Y-%m-%d}"
    if any(ch in label for ch in '/\\:*?"<>|') or label in (".", ".."):
        raise ParameterError(f"Parameter period={period!r} cannot name a folder: use letters, digits and dashes.")
    return Params(label, as_of_date, folder, target, deadline_date, registered["name"],
                  int(registered["code"]), lang)


@dataclass(frozen=True)
class Option:
    """A notebook-specific parameter: its type, default, the notebooks that take it, and its bounds."""

    name: str
    kind: type  # int, float or str
    default: object
    notebooks: tuple[str, ...]
    meaning: str
    low: float | None = None  # smallest allowed value
    low_open: bool = False  # the smallest value itself is not allowed
    high: float | None = None  # largest allowed value
    choices: tuple[str, ...] = ()


_P01, _P02, _P03, _P04 = "01_phase_results", "02_uptake_drivers", "03_target_projection", "04_outreach_plan"
OPTIONS = {o.name: o for o in (
    Option("green_at", float, 1.0, (_P01,), "traffic light: green at or above this share of target", 0, True),
    Option("previous_report", str, "", (_P01,), "folder of the previous period's reports, to compare with; "
           "empty: the runner takes the latest period rendered before this one"),
    Option("amber_at", float, 0.75, (_P01,), "traffic light: amber at or above this share of target", 0, True),
    Option("smartphone_gain", float, 0.10, (_P02,), "scenario: points of smartphone ownership added (0.10 = 10 points)",
           0, False, 1),
    Option("elderly_assisted", float, 0.50, (_P02,), "scenario: share of the elderly reached by assisted registration",
           0, False, 1),
    Option("absent_remote", float, 0.50, (_P02,), "scenario: share of absent workers able to integrate remotely",
           0, False, 1),
    Option("intensity", float, 1.5, (_P03,), "custom scenario: weekly hazard of a new campaign times this factor", 0, True),
    # 04 projects the no-campaign scenario with 03's paths and seed: one projection per run
    Option("paths", int, 2000, (_P01, _P03, _P04), "simulated paths per unit", 100),
    Option("seed", int, 1, (_P01, _P03, _P04), "random seed of the simulation", 0),
    Option("teams", int, 20, (_P04,), "door-to-door teams available each week", 0),
    Option("standard_per_day", float, 40.0, (_P04,), "people a team supports per day on a standard visit", 0, True),
    Option("assisted_per_day", float, 15.0, (_P04,), "people a team supports per day with assisted registration",
           0, True),
    Option("success", float, 0.6, (_P04,), "share of people seen who integrate", 0, True, 1),
    Option("minimum_team_weeks", float, 0.0, (_P04,), "floor of team-weeks for every commune", 0),
    Option("objective", str, "rate", (_P04,), "what the plan maximises", choices=("rate", "units")),
)}


def _bounds(option: Option) -> str:
    low = "" if option.low is None else f"{'above' if option.low_open else 'at least'} {option.low:g}"
    high = "" if option.high is None else f"at most {option.high:g}"
    return " and ".join(p for p in (low, high) if p)


def check_option(name: str, value: object) -> object:
    """Check one notebook-specific parameter and return it typed; raise ``ParameterError`` with one sentence."""
    option = OPTIONS.get(name)
    if option is None:
        known = ", ".join(sorted(set(OPTIONS) | set(DEFAULTS)))
        raise ParameterError(f"Parameter {name!r} is not a parameter of any report: use one of {known}.")
    if option.kind is str and not option.choices:
        return _report_folder(name, value, option)
    if option.choices:
        if value not in option.choices:
            raise ParameterError(f"Parameter {name}={value!r} is not a choice: use "
                                 f"{' or '.join(repr(c) for c in option.choices)} ({option.meaning}).")
        return value
    number = _number(name, value, option)
    too_low = option.low is not None and (number < option.low or (option.low_open and number == option.low))
    if too_low or (option.high is not None and number > option.high):
        raise ParameterError(f"Parameter {name}={value!r} must be {_bounds(option)} ({option.meaning}).")
    return number


def _report_folder(name: str, value: object, option: Option) -> str:
    """A folder of rendered reports (empty: none), refused when it holds no ``headline.csv``."""
    text = "" if value is None else str(value).strip()
    if text and not (resolve_path(text) / "headline.csv").is_file():
        raise ParameterError(f"Parameter {name}={value!r} is not a folder of rendered reports (no headline.csv in "
                             f"{resolve_path(text)}): give a period's folder under reports/ ({option.meaning}).")
    return str(resolve_path(text)) if text else ""


def _number(name: str, value: object, option: Option) -> int | float:
    whole = option.kind is int
    try:
        number = float(value) if not isinstance(value, bool) else float("nan")
    except (TypeError, ValueError):
        number = float("nan")
    if math.isnan(number) or math.isinf(number) or (whole and not number.is_integer()):
        example = option.default
        raise ParameterError(f"Parameter {name}={value!r} is not {'a whole number' if whole else 'a number'}: "
                             f"write e.g. {example} ({option.meaning}).")
    return int(number) if whole else number


def check_options(notebook: str, **values) -> dict:
    """Check a notebook's own parameters (the runner and the notebook call this alike); return them typed."""
    checked = {name: check_option(name, value) for name, value in values.items()}
    wrong = [name for name in checked if notebook not in OPTIONS[name].notebooks]
    if wrong:
        raise ParameterError(f"Parameter {wrong[0]!r} is not a parameter of {notebook}.")
    if "green_at" in checked and "amber_at" in checked and checked["amber_at"] > checked["green_at"]:
        raise ParameterError(f"Parameter amber_at={values['amber_at']!r} is above green_at={values['green_at']!r}: "
                             "amber must start at or below green.")
    return checked


def notebook_options(notebook: str, options: dict) -> dict:
    """The options of ``options`` that ``notebook`` takes (the runner injects only those)."""
    return {name: value for name, value in options.items() if notebook in OPTIONS[name].notebooks}
