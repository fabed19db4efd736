"""The campaign a data directory describes: the indicator's words, its tracks and their targets.

A province tracks several uptake campaigns of the digital-identity programme the same way (units
report cumulative counts against an eligible population, with a target, phases, a deadline and a
central figure). What differs is data, kept in the data directory's ``campaign.toml``
(``docs/data-contract.md``): without one, the campaign is the electronic health book's
(``campaigns/health-book.toml``), and every report reads exactly as before.

The campaign of the data being analysed is *active* (``activate``, ``active``): ``load_data_dir``
activates the campaign it read, so that the reports' words (``reports.labels``) and the track
order (``data.panel``) follow the data without every function taking one more argument.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.text import normalise_text

FILE = "campaign.toml"
DEFAULT_FILE = Path(__file__).resolve().parent / "campaigns" / "health-book.toml"
COUNTS = ("people", "visits", "staff")  # what a track's denominator counts
REGISTER_KINDS = {"commune", "ward"}  # units of these kinds are matched against the official register
MAX_TRACKS = 5

_WORDS = ("name_vi", "name_en", "done_vi", "done_en", "act_vi", "act_en", "acts_en", "verb_en", "verbed_en",
          "department_vi", "department_en", "recipients_vi", "recipients_en", "central_cause_vi", "central_cause_en",
          "authority_vi", "authority_en", "symbol_vi", "symbol_en", "partner_vi", "partner_en")
_DEPARTMENT = {"department_vi": "Sở Y tế", "department_en": "Department of Health",  # whose workbook this is
               "authority_vi": "UBND {division} {name}", "authority_en": "People's Committee of {name} {division}",
               "symbol_vi": "BC-SYT", "symbol_en": "BC-SYT",
               "partner_vi": "Công an tỉnh", "partner_en": "the provincial police",  # who keeps the central record
               "recipients_vi": "UBND {division} (để báo cáo)\nCông an {division} (phối hợp)\nUBND các xã, phường\nLưu: VT",
               "recipients_en": "{division} People's Committee (for its information)\n{division} Police (for "
                                "coordination)\nPeople's Committees of the communes and wards\nFiled: Office"}
_TOP_KEYS = {*_WORDS, "target_rate", "deadline", "as_of",
             "province", "drivers_track", "outreach_track", "central_track", "tracks", "phases"}
_TRACK_KEYS = {"id", "name_vi", "name_en", "short_vi", "short_en", "counts", "unit_kinds", "target", "projected",
               "aliases"}
_PHASE_KEYS = {"name", "start", "end"}
_REQUIRED = ("name_vi", "name_en", "tracks")


@dataclass(frozen=True)
class Track:
    """One track of a campaign: who is counted, in which units, against which target."""

    id: str
    name: dict  # {"vi": ..., "en": ...}: the reader's name
    short: dict  # {"vi": ..., "en": ...}: the short name a report file's track column may use
    counts: str  # people, visits or staff (``COUNTS``)
    unit_kinds: tuple[str, ...]  # the first is a unit's kind when the units file leaves it empty
    target: float | None = None  # None: the campaign's target; a unit's own target in the register still wins
    projected: bool = True  # whether the projection and the brief's scenarios cover it
    aliases: tuple[str, ...] = ()  # more names a report file's track column or sheet may use

    @property
    def register(self) -> bool:
        """Whether its units are communes and wards, matched against the official register."""
        return bool(REGISTER_KINDS & set(self.unit_kinds))


@dataclass(frozen=True)
class Campaign:
    """A campaign: its words in both languages, its tracks (1 to 5), and its defaults."""

    words: dict  # every word form the texts use, by key and language ("act_vi", "done_en", ...: ``_words``)
    tracks: tuple[Track, ...]
    target_rate: float = 0.40
    deadline: str | None = None
    as_of: str | None = None
    province: str | None = None
    drivers_track: str | None = None  # the track the drivers model applies to (its units have profiles)
    outreach_track: str | None = None  # the track the door-to-door plan applies to
    central_track: str | None = None  # the track whose people the central system (C06) counts
    phases: tuple[tuple[str, str, str], ...] = ()  # used when the data directory has no phases.csv
    source: str = "default"  # the file it was read from, or "default"

    def _pair(self, key: str) -> dict:
        return {lang: self.words[f"{key}_{lang}"] for lang in ("vi", "en")}

    @property
    def name(self) -> dict:
        """The indicator's name, {"vi": ..., "en": ...}."""
        return self._pair("name")

    @property
    def done(self) -> dict:
        """What the people counted have done ("đã được hỗ trợ tích hợp")."""
        return self._pair("done")

    @property
    def track_ids(self) -> list[str]:
        """The tracks' ids, in the file's order (the order of every table and chart)."""
        return [t.id for t in self.tracks]

    def track(self, track_id: str) -> Track | None:
        """The track of ``track_id``, or None."""
        return next((t for t in self.tracks if t.id == track_id), None)

    @property
    def projected(self) -> list[str]:
        """The tracks the projection covers, in order."""
        return [t.id for t in self.tracks if t.projected]

    @property
    def own_target(self) -> list[str]:
        """The tracks held to a target of their own (not the campaign's): kept off its target line."""
        return [t.id for t in self.tracks if t.target is not None and t.target != self.target_rate]

    def track_of(self, value: object) -> str | None:
        """The track id that a report file's track value (id, short name or alias, any case or
        diacritics) stands for, or None."""
        return self._names.get(normalise_text(value))

    @cached_property
    def _names(self) -> dict[str, str]:  # built once: the loader asks for every row of every file
        return name_table(self.tracks)

    def counting(self, counts: str) -> str | None:
        """The first track whose denominator counts ``counts`` (people, visits, staff), or None."""
        return next((t.id for t in self.tracks if t.counts == counts), None)

    @property
    def main_track(self) -> str:
        """The track the central figure, the national comparison and the monitoring line follow."""
        return self.central_track or self.tracks[0].id

    def unit_kind(self, track_id: str) -> str:
        """The kind of a unit of ``track_id`` whose kind the units file leaves empty."""
        track = self.track(track_id)
        return track.unit_kinds[0] if track and track.unit_kinds else "unit"

    def target_of(self, track_id: str) -> float:
        """A track's target: its own, else the campaign's."""
        track = self.track(track_id)
        return track.target if track is not None and track.target is not None else self.target_rate

    def phase_table(self) -> pd.DataFrame:
        """The campaign file's phases as ``load_phases`` returns them (none: an empty table)."""
        return pd.DataFrame({"name": [p[0] for p in self.phases],
                             "start": pd.to_datetime([p[1] for p in self.phases]),
                             "end": pd.to_datetime([p[2] for p in self.phases]),
                             "assumed": [False] * len(self.phases)})


def _text(where: str, key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"'{key}' must be a text in quotes", file=FILE, column=key, value=value,
                        hint=f'write e.g. {key} = "..." {where}'.rstrip())
    return value.strip()


def _share(key: str, value: object, where: str = "") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < float(value) <= 1:
        raise DataError(f"'{key}' must be a share above 0 and at most 1{where}", file=FILE, column=key, value=value,
                        hint=f"write the share, e.g. {key} = 0.40 for 40%")
    return float(value)


def _date(key: str, value: object, where: str = "") -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    try:
        return pd.Timestamp(text).strftime("%Y-%m-%d")
    except ValueError:
        raise DataError(f"'{key}' is not a date{where}", file=FILE, column=key, value=value,
                        hint=f'write it as YYYY-MM-DD, e.g. {key} = "2025-12-31"') from None


def _unknown(keys: set, known: set, where: str) -> None:
    extra = sorted(keys - known)
    if extra:
        raise DataError(f"unknown key '{extra[0]}'{where}", file=FILE, column=extra[0],
                        hint=f"use only {', '.join(sorted(known))} (docs/data-contract.md), or check the spelling")


def _track(number: int, entry: object) -> Track:
    where = f" in track {number} ([[tracks]] number {number})"
    if not isinstance(entry, dict):
        raise DataError(f"track {number} is not a table", file=FILE, hint="write each track under [[tracks]]")
    _unknown(set(entry), _TRACK_KEYS, where)
    for key in ("id", "name_vi", "name_en"):
        if key not in entry:
            raise DataError(f"track {number} has no '{key}'", file=FILE, column=key,
                            hint=f"give every [[tracks]] an id, name_vi and name_en ({key} is missing)")
    track_id = _text(where, "id", entry["id"])
    counts = entry.get("counts", "people")
    if counts not in COUNTS:
        raise DataError(f"'counts' of track '{track_id}' is not one of {', '.join(COUNTS)}", file=FILE,
                        column="counts", value=counts, hint="say what the track's denominator counts: people, "
                                                            "visits (patient visits) or staff")
    kinds = entry.get("unit_kinds", ["unit"])
    if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) and k for k in kinds):
        raise DataError(f"'unit_kinds' of track '{track_id}' must be a list of names", file=FILE,
                        column="unit_kinds", value=kinds, hint='write e.g. unit_kinds = ["commune", "ward"]')
    target = entry.get("target")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise DataError(f"'aliases' of track '{track_id}' must be a list of names", file=FILE, column="aliases",
                        value=aliases, hint='write e.g. aliases = ["dân cư"]')
    projected = entry.get("projected", counts != "staff")
    if not isinstance(projected, bool):
        raise DataError(f"'projected' of track '{track_id}' must be true or false", file=FILE, column="projected",
                        value=projected, hint="write projected = true or projected = false")
    short_vi = _text(where, "short_vi", entry["short_vi"]) if "short_vi" in entry else None
    short_en = _text(where, "short_en", entry["short_en"]) if "short_en" in entry else None
    return Track(track_id, {"vi": _text(where, "name_vi", entry["name_vi"]),
                            "en": _text(where, "name_en", entry["name_en"])},
                 {"vi": short_vi or track_id, "en": short_en or track_id}, counts, tuple(kinds),
                 None if target is None else _share("target", target, where), projected, tuple(aliases))


def name_table(tracks) -> dict[str, str]:
    """Every name a report file may give a track (id, short names, aliases; normalised: any case,
    with or without diacritics) -> the track's id; refuse a name that stands for two tracks."""
    names: dict[str, str] = {}
    for t in tracks:
        for name in {normalise_text(n) for n in (t.id, t.short["vi"], t.short["en"], *t.aliases)}:
            if names.get(name, t.id) != t.id:
                raise DataError(f"the name '{name}' stands for two tracks ('{names[name]}' and '{t.id}')", file=FILE,
                                column="aliases", value=name, hint="give each track names of its own")
            names[name] = t.id
    return names


def parse_campaign(data: dict, source: str = FILE) -> Campaign:
    """A campaign from the mapping of a ``campaign.toml``; raise ``DataError`` naming the key."""
    _unknown(set(data), _TOP_KEYS, "")
    for key in _REQUIRED:
        if key not in data:
            raise DataError(f"the campaign has no '{key}'", file=FILE, column=key,
                            hint="give at least name_vi, name_en and one [[tracks]] (docs/data-contract.md)")
    entries = data["tracks"]
    if not isinstance(entries, list) or not 1 <= len(entries) <= MAX_TRACKS:
        raise DataError(f"a campaign has 1 to {MAX_TRACKS} tracks", file=FILE, column="tracks",
                        value=len(entries) if isinstance(entries, list) else entries,
                        hint="write one [[tracks]] table per track, at most five")
    tracks = [_track(i, e) for i, e in enumerate(entries, start=1)]
    seen: dict[str, int] = {}
    for i, t in enumerate(tracks, start=1):
        if t.id in seen:
            raise DataError(f"track id '{t.id}' is used twice (tracks {seen[t.id]} and {i})", file=FILE, column="id",
                            value=t.id, hint="give every track its own id")
        seen[t.id] = i
    name_table(tracks)  # no name stands for two tracks
    roles = {}
    for key in ("drivers_track", "outreach_track", "central_track"):
        value = data.get(key)
        if value is not None and value not in seen:
            raise DataError(f"'{key}' names no track of the campaign", file=FILE, column=key, value=value,
                            hint=f"use one of the tracks' ids: {', '.join(seen)}")
        roles[key] = value
    phases = []
    for i, phase in enumerate(data.get("phases", []), start=1):
        where = f" in phase {i} ([[phases]] number {i})"
        if not isinstance(phase, dict):
            raise DataError(f"phase {i} is not a table", file=FILE, hint="write each phase under [[phases]]")
        _unknown(set(phase), _PHASE_KEYS, where)
        missing = [k for k in ("name", "start", "end") if k not in phase]
        if missing:
            raise DataError(f"phase {i} has no '{missing[0]}'", file=FILE, column=missing[0],
                            hint="give every phase a name, start and end (inclusive dates)")
        phases.append((_text(where, "name", phase["name"]), _date("start", phase["start"], where),
                       _date("end", phase["end"], where)))
    where = " (the campaign's target)"
    words = _words(data, tracks, roles["central_track"])
    return Campaign(
        words,
        tuple(tracks),
        _share("target_rate", data.get("target_rate", 0.40), where),
        _date("deadline", data["deadline"]) if "deadline" in data else None,
        _date("as_of", data["as_of"]) if "as_of" in data else None,
        _text("", "province", data["province"]) if "province" in data else None,
        roles["drivers_track"], roles["outreach_track"], roles["central_track"], tuple(phases), source)


def _words(data: dict, tracks: list[Track], central: str | None) -> dict:
    """Every word form the reports' texts use, from the file's words and their defaults."""
    given = {key: _text("", key, data[key]) for key in _WORDS if key in data}
    act_vi, act_en = given.get("act_vi", "thực hiện"), given.get("act_en", "uptake")
    verb = given.get("verb_en", act_en)
    main = next((t for t in tracks if t.id == central), tracks[0])
    words = {"act_vi": act_vi, "act_en": act_en, "acts_vi": act_vi, "acts_en": given.get("acts_en", f"{act_en}s"),
             "verb_vi": act_vi, "verb_en": verb, "verbed_vi": act_vi,
             "verbed_en": given.get("verbed_en", verb + ("d" if verb.endswith("e") else "ed")),
             "done_vi": given.get("done_vi", f"đã được hỗ trợ {act_vi}"), "done_en": given.get("done_en", f"supported to {verb}"),
             "main_vi": main.short["vi"], "main_en": main.short["en"]}
    words.update({f"Main_{lang}": words[f"main_{lang}"][:1].upper() + words[f"main_{lang}"][1:] for lang in ("vi", "en")})
    words.update({f"Act_{lang}": words[f"act_{lang}"][:1].upper() + words[f"act_{lang}"][1:] for lang in ("vi", "en")})
    words.update({key: given.get(key, _DEPARTMENT.get(key, "")) for key in _WORDS[9:]})
    return {**words, "name_vi": given["name_vi"], "name_en": given["name_en"]}


def read_campaign_file(path: Path) -> Campaign:
    """Read a ``campaign.toml``; raise ``DataError`` with the file, the key and what to change."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise DataError("not UTF-8 text", file=FILE, hint="save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as err:
        raise DataError(f"not valid TOML ({err})", file=FILE,
                        hint='write one key = value per line, texts in quotes, each track under [[tracks]]') from None
    return parse_campaign(data, str(path))


DEFAULT = read_campaign_file(DEFAULT_FILE)
_ACTIVE = [DEFAULT]


def load_campaign(data_dir: Path) -> Campaign:
    """The campaign of a data directory: its ``campaign.toml``, else the health book's."""
    path = Path(data_dir) / FILE
    return read_campaign_file(path) if path.is_file() else DEFAULT


_PLACE = ["tỉnh"]  # the register's division type of the province the data are from


def activate(campaign: Campaign, place: str | None = None) -> Campaign:
    """Make ``campaign`` the one whose words and tracks the reports use, and ``place`` (the register's
    division type: 'tỉnh' or 'thành phố trung ương') what the reports call the province; return it."""
    _ACTIVE[0] = campaign
    if place:
        _PLACE[0] = place
    return campaign


def active() -> Campaign:
    """The campaign of the data being analysed (the health book's until a data directory says otherwise)."""
    return _ACTIVE[0]


def active_place() -> str:
    """The division type of the data's province ('tỉnh' until a data directory says otherwise)."""
    return _PLACE[0]
