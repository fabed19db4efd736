"""Every word a reader sees, in Vietnamese (with its diacritics) and English: the words are in
``labels.toml`` beside this module (one table per key, ``vi`` and ``en``), the functions here.

The indicator's own name and wording, and its tracks' names, come from the campaign being
analysed (``data.campaign``: a data directory's ``campaign.toml``, else the electronic health
book's), so that another uptake campaign of the digital-identity programme is a change of data,
not of code: texts say ``{act}``, ``{done}``, ``{main}`` and the like. ``label(key, lang, **values)``
fills the placeholders; numbers are formatted by ``present`` before they get here.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from analysis.data.campaign import active, active_place
from analysis.text import normalise_text

WORDS_FILE = Path(__file__).resolve().parent / "labels.toml"  # every text, in both languages
_WORDS = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))
UNIT_TYPES, TEXT, CHART = _WORDS["unit_types"], _WORDS["text"], _WORDS["chart"]
COVARIATE_NAMES, SCENARIO_NAMES = _WORDS["covariate_names"], _WORDS["scenario_names"]


NOTEBOOK_TITLES = {  # notebook file stem -> key of its report title in TEXT
    "01_phase_results": "report_title",
    "02_uptake_drivers": "drivers_title",
    "03_target_projection": "projection_title",
    "04_outreach_plan": "outreach_title",
}

MONTH_NAMES = {"vi": tuple(f"tháng {m}" for m in range(1, 13)),
               "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December")}


def month_name(month: int, lang: str) -> str:
    """The name of a month (1-12) in ``lang``, whatever the machine's locale."""
    return MONTH_NAMES.get(lang, MONTH_NAMES["vi"])[month - 1]


def _pick(entry: dict, lang: str) -> str:
    return entry.get(lang) or entry["vi"]


_CAMPAIGN_WORDS = ("act", "Act", "acts", "verb", "verbed", "main", "Main", "department", "recipients", "authority",
                   "symbol", "partner")  # each taken as it stands in the campaign's words (data/campaign.py)


def campaign_words(lang: str) -> dict:
    """The campaign's words that texts use as placeholders: ``indicator`` (its name), ``done`` (what the
    people counted have done), ``act``/``Act``/``acts`` (the act as a noun), ``verb`` and ``verbed`` (the
    English verb), ``main``/``Main`` (the people of its central track), the Word report's ``department``,
    ``authority``, ``symbol`` and ``recipients``, the central record's ``partner``, and the ``cause`` the
    department names for the central gap with the funnel's sentence on it (``central_note``, or none), and
    ``province_word``, what the province is (tỉnh / thành phố: Đà Nẵng is a city, ``data.campaign.active_place``)."""
    campaign = active()
    cause = campaign.words[f"central_cause_{lang}"]
    note = f" {_pick(TEXT['funnel_cause'], lang).format(cause=cause)}" if cause else ""
    return {"indicator": campaign.name[lang], "done": campaign.done[lang], "cause": cause, "central_note": note,
            "province_word": division_word(active_place(), lang).lower(),
            **{key: campaign.words[f"{key}_{lang}"] for key in _CAMPAIGN_WORDS}}


def division_word(division_type: str, lang: str) -> str:
    """What a province of the register's ``division_type`` is called: tỉnh / Province, or thành phố / City
    (a centrally-run city such as Đà Nẵng)."""
    return _pick(TEXT["division_province" if division_type == "tỉnh" else "division_city"], lang)


class _Keep(dict):
    def __missing__(self, key: str) -> str:  # a placeholder filled later by the caller (e.g. {level})
        return "{" + key + "}"


SINGULAR, SINGULAR_VERB = _WORDS["singular"]["nouns"], _WORDS["singular"]["verbs"]  # English plural -> singular
_ONE = re.compile(r"(?<![\d.,+-])\b1 (" + "|".join(SINGULAR) + r")\b(?: (" + "|".join(SINGULAR_VERB) + r")\b)?")


def singular_english(text: str) -> str:
    """English with 'one' in the singular: '1 communes get' is '1 commune gets' (Vietnamese has no plural)."""
    def one(found: re.Match) -> str:
        verb = f" {SINGULAR_VERB[found.group(2)]}" if found.group(2) else ""
        return f"1 {SINGULAR[found.group(1)]}{verb}"
    return _ONE.sub(one, text)


def label(key: str, lang: str, **values: object) -> str:
    """The text of ``key`` in ``lang`` with its placeholders filled (the campaign's words included)."""
    text = _pick(TEXT[key], lang).format(**{**campaign_words(lang), **values})
    return singular_english(text) if lang == "en" else text


COUNTED = {"people": "brief_people", "visits": "brief_visits", "staff": "brief_people"}


def counted_as(track: str, lang: str) -> str:
    """What a track's numbers count, for the reader: people (residents, staff) or patient visits."""
    found = active().track(track)
    return label(COUNTED[found.counts] if found else "brief_people", lang)


_PHASE_NUMBER = re.compile(r"^(?:giai doan|dot)\s*(\d+)$")


def phase_name(name: object, lang: str) -> str:
    """A phase's name from phases.csv for the reader: 'Giai đoạn 2' / 'Đợt 2' is 'Phase 2' in English;
    any other name is shown as the department wrote it."""
    found = _PHASE_NUMBER.match(normalise_text(name))
    return f"Phase {found.group(1)}" if lang == "en" and found else str(name)


def track_name(track: str, lang: str) -> str:
    """The reader's name of a track, as the campaign names it."""
    found = active().track(track)
    return _pick(found.name, lang) if found else str(track)


def unit_type_name(unit_type: str, lang: str) -> str:
    """The reader's name of a unit type."""
    return _pick(UNIT_TYPES[unit_type], lang) if unit_type in UNIT_TYPES else str(unit_type)

def chart_label(key: str, lang: str) -> str:
    """The text of a chart's title, axis or legend entry (the campaign's words filled; other placeholders kept)."""
    return _pick(CHART[key], lang).format_map(_Keep(campaign_words(lang)))


def covariate_name(key: str, lang: str) -> str:
    """The reader's name of a covariate (or a scenario component)."""
    return _pick(COVARIATE_NAMES[key], lang) if key in COVARIATE_NAMES else key


def scenario_name(key: str, lang: str, **values: object) -> str:
    """The reader's name of a scenario, with its amounts."""
    return _pick(SCENARIO_NAMES[key], lang).format(**{**campaign_words(lang), **values}) if key in SCENARIO_NAMES else key
