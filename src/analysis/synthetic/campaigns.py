"""Synthetic data sets of two more campaigns of the digital-identity programme, each with its ``campaign.toml``.

``write_campaign_sample(name, out_dir)`` writes a data directory in the layout of
``docs/data-contract.md`` for one of ``CAMPAIGNS``:

* ``level2-eid``: activation of level-2 electronic identification accounts in Hà Tĩnh. Track
  ``citizens``: every commune and ward of the official register, with a profile for the drivers
  model (share_60plus, smartphone_rate, absent_share; level2_rate is left out, it is the outcome);
  track ``civil_servants``: the provincial agencies, held to 100%. Two phases, the second a
  door-to-door phase; weekly cumulative reports (a few units skip a week, a few reports are late);
  the national system's (C06) figure for the citizens; every province's central rate
  (``provinces.csv``), Hà Tĩnh among the leaders. The citizens' uptake follows

      mu_i = expit(b0 + sum_k b_k * x_ik),  S_i = draw_clustered(E_i, mu_i)

  (``LEVEL2_COEFFICIENTS``, ``b0`` solved for a provincial rate drawn in ``LEVEL2_RATE``, below
  the 70% target; written to ``truth.json``).
* ``qr-checkin``: check-in with the chip ID card by QR code at Đà Nẵng's medical facilities: one
  track (``facilities``, counting visits), twelve weekly reports in two phases and a few dates of a
  C06 rate. No survey and no drivers or outreach track.

``write_campaign_national("level2-eid", out_dir)`` writes the level-2 campaign for every province
(``<out>/<code>-<slug>/`` and ``<out>/provinces.csv``, the layout of ``national_sample``), small:
the citizens and four agencies per province, the national table derived from the provinces' own
C06 figures.

Everything is drawn, calibrated to nothing published; ``provenance.json`` says so and the
reports print the synthetic-data notice. The files use the campaign's own words only (track
column: the tracks' short names; neutral headers that ``data.load`` recognises).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit

from analysis.config import SAMPLE_DIR
from analysis.data.register import find_province, province_wards, provinces
from analysis.errors import ParameterError
from analysis.synthetic.national_sample import _agencies, folder_name
from analysis.synthetic.sample import (
    CLUSTER_SIZE,
    REPORT_HEADERS,
    _central_table,
    _commune_profiles,
    _integer_split,
    _panel,
    _report_file,
    _submitted,
    draw_clustered,
)

SEED = 20251120
CAMPAIGNS = ("level2-eid", "qr-checkin")
NATIONAL = ("level2-eid",)  # the campaigns with a national data set
# The sample's report headers, with neutral words for the count done ("Số đã thực hiện").
HEADERS = {**REPORT_HEADERS, "supported": "Số đã thực hiện"}
CENTRAL_HEADER = "Số ghi nhận trên hệ thống"  # central.csv's count column (data.load's alias)

# --- level-2 electronic identification (Hà Tĩnh) -------------------------------------------------
LEVEL2_PROVINCE = "Hà Tĩnh"
LEVEL2_TARGET = 0.70
LEVEL2_DATES = pd.date_range("2025-06-06", "2025-11-14", freq="7D")  # Fridays, 24 reports
LEVEL2_PHASES = pd.DataFrame({"name": ["Đợt 1", "Đợt cao điểm đến từng hộ gia đình"],
                              "start": ["2025-06-02", "2025-09-15"], "end": ["2025-09-14", "2025-11-16"],
                              "assumed": [False, False]})
LEVEL2_DEADLINE = "2025-12-31"
LEVEL2_COEFFICIENTS = {"share_60plus": -4.0, "smartphone_rate": 2.2, "absent_share": -2.5}
LEVEL2_RATE = (0.57, 0.63)  # the province's final citizens' rate is drawn in this range
CITIZENS_ELIGIBLE = 1_050_000  # people aged 14+ (illustrative)
CENTRAL_SHARE = (0.86, 0.95)  # share of the activations the department counts that C06 records
STAFF_RATE = (0.90, 0.99)  # agencies' final share of their staff
LEADERS = 3  # provinces ahead of Hà Tĩnh in the single-province sample's provinces.csv
LEVEL2_TRACKS = {"citizens": "công dân", "civil_servants": "công chức"}
NATIONAL_AGENCIES = 4  # agencies per province in the national data set

# --- QR check-in with the chip ID card (Đà Nẵng) -------------------------------------------------
QR_PROVINCE = "Đà Nẵng"
QR_TARGET = 0.80
QR_DATES = pd.date_range("2025-08-29", "2025-11-14", freq="7D")  # 12 reports
QR_PHASES = pd.DataFrame({"name": ["Giai đoạn 1", "Giai đoạn 2"], "start": ["2025-08-25", "2025-10-01"],
                          "end": ["2025-09-30", "2025-11-16"], "assumed": [False, False]})
QR_HOSPITALS = ["Bệnh viện Đà Nẵng", "Bệnh viện C Đà Nẵng", "Bệnh viện Phụ sản - Nhi Đà Nẵng",
                "Bệnh viện Ung bướu Đà Nẵng", "Bệnh viện Mắt Đà Nẵng", "Bệnh viện Y học cổ truyền Đà Nẵng",
                "Bệnh viện Phục hồi chức năng Đà Nẵng", "Bệnh viện Da liễu Đà Nẵng"]
QR_CLINICS, QR_STATIONS = 6, 12
QR_KINDS = {  # unit type: visits over the twelve weeks (range), final check-in rate (mean, sd)
    "hospital": ((30_000, 90_000), (0.76, 0.06)), "private_clinic": ((3_000, 8_000), (0.42, 0.10)),
    "health_station": ((800, 2_500), (0.58, 0.10)),
}
QR_CENTRAL_DATES = ("2025-09-26", "2025-10-24", "2025-11-14")  # C06 publishes a rate now and then
QR_HEADERS = {"code": "Mã đơn vị", "name": "Tên đơn vị", "track": "Khối", "eligible": "Tổng số lượt khám",
              "supported": "Số đã thực hiện", "submitted": "Ngày gửi"}

LEVEL2_TOML = '''# A synthetic campaign (python -m analysis sample --campaign level2-eid): activating level-2
# electronic identification accounts. Every figure is drawn; none is published.
name_vi = "kích hoạt tài khoản định danh điện tử mức độ 2"
name_en = "activation of level-2 electronic identification accounts"
done_vi = "đã kích hoạt"
done_en = "activated"
act_vi = "kích hoạt"
act_en = "activation"
verb_en = "activate"
department_vi = "Công an {{division}} {{name}}"
department_en = "{{name}} {{division}} Police"
authority_vi = "Bộ Công an"
authority_en = "Ministry of Public Security"
symbol_vi = "BC-CAT"
symbol_en = "BC-CAT"
partner_vi = "Cục C06"
partner_en = "Department C06"
recipients_vi = """UBND {{division}} {{name}} (để báo cáo)
Cục C06 - Bộ Công an (để báo cáo)
UBND các xã, phường
Lưu: VT"""
recipients_en = """{{name}} {{division}} People's Committee (for its information)
Department C06, Ministry of Public Security (for its information)
People's Committees of the communes and wards
Filed: Office"""
target_rate = 0.70
deadline = "{deadline}"
as_of = "{as_of}"
province = "{province}"
drivers_track = "citizens"
outreach_track = "citizens"
central_track = "citizens"

[[tracks]]
id = "citizens"
name_vi = "Công dân (từ 14 tuổi)"
name_en = "Citizens (aged 14+)"
short_vi = "công dân"
short_en = "citizens"
counts = "people"
unit_kinds = ["commune", "ward"]

[[tracks]]
id = "civil_servants"
name_vi = "Công chức, viên chức"
name_en = "Civil servants"
short_vi = "công chức"
short_en = "civil servants"
counts = "staff"
unit_kinds = ["agency"]
target = 1.0
projected = false
'''

QR_TOML = '''# A synthetic campaign (python -m analysis sample --campaign qr-checkin): check-in with the chip
# ID card by QR code at medical facilities. Every figure is drawn; none is published.
name_vi = "khám, chữa bệnh bằng căn cước gắn chíp (quét mã QR)"
name_en = "check-in with the chip ID card by QR code at medical facilities"
done_vi = "đã check-in bằng căn cước"
done_en = "checked in with the ID card"
act_vi = "check-in"
act_en = "check-in"
verb_en = "check in"
verbed_en = "checked in"
target_rate = 0.80
deadline = "{deadline}"
as_of = "{as_of}"
province = "{province}"
central_track = "facilities"

[[tracks]]
id = "facilities"
name_vi = "Cơ sở y tế"
name_en = "Medical facilities"
short_vi = "cơ sở"
short_en = "facilities"
counts = "visits"
unit_kinds = ["hospital", "health_station", "private_clinic"]
'''


def _provenance(name: str, where: str, seed: int, command: str) -> dict:
    return {"synthetic": True, "calibrated": False, "seed": seed, "campaign": name,
            "source": f"Synthetic data set of the campaign '{name}' for {where}, calibrated to nothing published "
                      f"(communes from the official register, every count drawn); written by `{command}`"}


# --- level-2 ----------------------------------------------------------------------------------------

def _citizens(rng: np.random.Generator, code: int, level: float, people: int) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """A province's communes and wards with their profile, their final counts and the truth behind them."""
    units = _commune_profiles(rng, code, published=False, track="citizens").drop(columns="level2_rate")
    urban = (units["unit_type"] == "ward").to_numpy()
    eligible = _integer_split(people, rng.lognormal(0, 0.35, len(units)) * np.where(urban, 1.4, 1.0))
    slope = units[list(LEVEL2_COEFFICIENTS)].to_numpy() @ np.array(list(LEVEL2_COEFFICIENTS.values()))
    b0 = brentq(lambda b: (eligible * expit(b + slope)).sum() / eligible.sum() - level, -15, 15)
    supported = draw_clustered(rng, eligible, expit(b0 + slope))
    share = rng.uniform(*CENTRAL_SHARE)
    central = np.minimum(np.round(supported * rng.beta(share * 60, (1 - share) * 60, len(units))), supported)
    final = pd.DataFrame({"code": units["code"], "eligible": eligible, "supported": supported,
                          "integrated_central": central.astype(float)})
    truth = {"intercept": float(b0), "coefficients": LEVEL2_COEFFICIENTS, "cluster_size": CLUSTER_SIZE, "level": level}
    return units, final, truth


def _staff(rng: np.random.Generator, province: str, n: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The provincial agencies (the first ``n``) and their final counts of staff with an account."""
    units = _agencies(province).drop(columns="target_rate").assign(track="civil_servants").iloc[:n]
    eligible = rng.integers(150, 1800, len(units))
    supported = np.round(eligible * rng.uniform(*STAFF_RATE, len(units))).astype(np.int64)
    return units, pd.DataFrame({"code": units["code"], "eligible": eligible, "supported": supported,
                                "integrated_central": np.nan})


def _skip_weeks(rng: np.random.Generator, panel: pd.DataFrame, dates: pd.DatetimeIndex, n: int) -> pd.DataFrame:
    """Reporting gaps: ``n`` units each skip one week (never the first or the last report)."""
    keep = pd.Series(True, index=panel.index)
    for code in rng.choice(panel["code"].unique(), n, replace=False):
        keep &= ~((panel["code"] == code) & (panel["as_of"] == rng.choice(dates[1:-1])))
    return panel[keep].copy()


def _level2_province(rng: np.random.Generator, code: int, name: str, level: float, people: int,
                     agencies: int | None) -> dict:
    """One province's units, panel (with gaps and submission dates), C06 counts by date and truth."""
    communes, citizens, truth = _citizens(rng, code, level, people)
    offices, staff = _staff(rng, name, agencies)
    units = pd.concat([communes, offices], ignore_index=True)
    final = pd.concat([citizens, staff], ignore_index=True).astype({"eligible": np.int64, "supported": np.int64})
    panel = _panel(rng, units, final, LEVEL2_DATES, phase2=LEVEL2_PHASES["start"].iloc[1], staff=("civil_servants",))
    central = panel[panel["integrated_central"].notna()]
    panel = _skip_weeks(rng, panel, LEVEL2_DATES, max(2, len(units) // 12))
    panel["submitted"] = _submitted(rng, panel, units)
    return {"units": units, "panel": panel, "central": central, "truth": truth,
            "eligible": int(citizens["eligible"].sum())}


def _central_dates() -> pd.DatetimeIndex:
    """The dates C06 publishes the provinces' rates: every fourth report, and the last."""
    return LEVEL2_DATES[::4].union(LEVEL2_DATES[-1:])


def _own_rates(code: int, name: str, tables: dict) -> pd.DataFrame:
    """A province's C06 rate on each publication date: its recorded activations over its citizens."""
    counts = tables["central"].groupby("as_of")["integrated_central"].sum()
    dates = _central_dates()
    return pd.DataFrame({"as_of": dates.strftime("%Y-%m-%d"), "code": code, "province": name,
                         "rate": (counts.loc[dates] / tables["eligible"]).round(4).to_numpy()})


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    table = table.sort_values(["as_of", "code"], ignore_index=True)
    table["rank"] = table.groupby("as_of")["rate"].rank(ascending=False, method="min").astype(int)
    return table[["as_of", "code", "province", "rate", "rank"]]


def _province_rates(rng: np.random.Generator, own: pd.DataFrame, code: int) -> pd.DataFrame:
    """Every province's C06 rate by date: the province's own, ``LEADERS`` provinces a little ahead, the
    rest behind."""
    others = provinces()[provinces()["code"] != code].reset_index(drop=True)
    factor = np.concatenate([rng.uniform(1.02, 1.10, LEADERS), rng.uniform(0.55, 0.97, len(others) - LEADERS)])
    rng.shuffle(factor)
    rows = [own]
    for as_of, rate in zip(own["as_of"], own["rate"]):
        values = np.clip(rate * factor * rng.normal(1, 0.01, len(others)), 0.001, 0.99)
        rows.append(pd.DataFrame({"as_of": as_of, "code": others["code"], "province": others["name"],
                                  "rate": values.round(4)}))
    return _ranked(pd.concat(rows, ignore_index=True))


def _write_dir(folder: Path, toml: str, tables: dict, phases: pd.DataFrame, dates: pd.DatetimeIndex,
               headers: dict, tracks: dict, provenance: dict) -> list[Path]:
    """Write one data directory: units, phases, central, optional provinces, reports, campaign, provenance."""
    (folder / "reports").mkdir(parents=True, exist_ok=True)
    written = []

    def text(name: str, content: str) -> None:
        (folder / name).write_text(content, encoding="utf-8")
        written.append(folder / name)

    def csv(frame: pd.DataFrame, name: str) -> None:
        frame.to_csv(folder / name, index=False, encoding="utf-8", lineterminator="\n")
        written.append(folder / name)

    text("campaign.toml", toml)
    csv(tables["units"], "units.csv")
    csv(phases, "phases.csv")
    csv(tables["central_table"], "central.csv")
    if "provinces" in tables:
        csv(tables["provinces"], "provinces.csv")
    by_date = dict(iter(tables["panel"].groupby("as_of")))
    for date in dates:
        csv(_report_file(by_date[date], tables["units"], date, headers, tracks), f"reports/{date:%Y-%m-%d}.csv")
    text("provenance.json", json.dumps(provenance, ensure_ascii=False, indent=2) + "\n")
    if "truth" in tables:
        text("truth.json", json.dumps(tables["truth"], ensure_ascii=False, indent=2) + "\n")
    return written


def _level2_toml(province: str) -> str:
    return LEVEL2_TOML.format(deadline=LEVEL2_DEADLINE, as_of=f"{LEVEL2_DATES[-1]:%Y-%m-%d}", province=province)


def build_level2(seed: int = SEED) -> dict:
    """Every table of the level-2 sample (Hà Tĩnh)."""
    rng = np.random.default_rng(seed)
    province = find_province(LEVEL2_PROVINCE)
    code, name = int(province["code"]), str(province["name"])
    tables = _level2_province(rng, code, name, rng.uniform(*LEVEL2_RATE), CITIZENS_ELIGIBLE, None)
    rates = _province_rates(rng, _own_rates(code, name, tables), code)
    central = _central_table(tables["central"], rates, code).rename(columns={"integrated_central": CENTRAL_HEADER})
    return {**tables, "provinces": rates, "central_table": central}


def _write_level2(out_dir: Path, seed: int) -> list[Path]:
    tables = build_level2(seed)
    return _write_dir(out_dir, _level2_toml(LEVEL2_PROVINCE), tables, LEVEL2_PHASES, LEVEL2_DATES, HEADERS,
                      LEVEL2_TRACKS, _provenance("level2-eid", LEVEL2_PROVINCE, seed,
                                                 "python -m analysis sample --campaign level2-eid"))


# --- QR check-in ------------------------------------------------------------------------------------

def _qr_units(rng: np.random.Generator, code: int) -> pd.DataFrame:
    wards = province_wards(code)
    stations = wards["name"].iloc[np.sort(rng.choice(len(wards), QR_STATIONS, replace=False))]
    rows = [(h, "hospital") for h in QR_HOSPITALS]
    rows += [(f"Phòng khám đa khoa số {k + 1} Đà Nẵng", "private_clinic") for k in range(QR_CLINICS)]
    rows += [(f"Trạm Y tế {w[0].lower()}{w[1:]}", "health_station") for w in stations]
    return pd.DataFrame({"code": [f"CSYT{i + 1:03d}" for i in range(len(rows))], "name": [r[0] for r in rows],
                         "track": "facilities", "unit_type": [r[1] for r in rows]})


def build_qr(seed: int = SEED) -> dict:
    """Every table of the QR check-in sample (Đà Nẵng)."""
    rng = np.random.default_rng(seed)
    code = int(find_province(QR_PROVINCE)["code"])
    units = _qr_units(rng, code)
    kinds = units["unit_type"].map(QR_KINDS)
    visits = np.array([rng.integers(*k[0]) for k in kinds], dtype=np.int64)
    rates = np.clip([rng.normal(*k[1]) for k in kinds], 0.05, 0.97)
    final = pd.DataFrame({"code": units["code"], "eligible": visits, "supported": rng.binomial(visits, rates),
                          "integrated_central": np.nan})
    panel = _panel(rng, units, final, QR_DATES, phase2=QR_PHASES["start"].iloc[1], staff=())
    panel = _skip_weeks(rng, panel, QR_DATES, 3)
    panel["submitted"] = _submitted(rng, panel, units)
    totals = panel.groupby("as_of")[["eligible", "supported"]].sum()
    dates = pd.to_datetime(list(QR_CENTRAL_DATES))
    reported = (totals["supported"] / totals["eligible"]).loc[dates].to_numpy()
    central = pd.DataFrame({"as_of": list(QR_CENTRAL_DATES),
                            "rate": (reported * rng.uniform(0.85, 0.95, len(dates))).round(4)})
    return {"units": units, "panel": panel, "central_table": central}


def _write_qr(out_dir: Path, seed: int) -> list[Path]:
    toml = QR_TOML.format(deadline=LEVEL2_DEADLINE, as_of=f"{QR_DATES[-1]:%Y-%m-%d}", province=QR_PROVINCE)
    return _write_dir(out_dir, toml, build_qr(seed), QR_PHASES, QR_DATES, QR_HEADERS, {"facilities": "cơ sở"},
                      _provenance("qr-checkin", QR_PROVINCE, seed, "python -m analysis sample --campaign qr-checkin"))


# --- the entry points -------------------------------------------------------------------------------

def _known(name: str) -> None:
    if name not in CAMPAIGNS:
        raise ParameterError(f"Unknown campaign '{name}': the synthetic campaigns are {', '.join(CAMPAIGNS)}.")


def _prepare(out_dir: Path) -> Path:
    """The folder to write, refused when it is the health-book sample's or holds data that are not
    synthetic; report files of an earlier synthetic write are removed (dates may differ)."""
    out_dir = Path(out_dir)
    if out_dir.resolve() == SAMPLE_DIR.resolve():
        raise ParameterError(f"The folder {out_dir} holds the health-book sample: write the campaign elsewhere "
                             "(default: data/raw/<campaign>/).")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        note = out_dir / "provenance.json"
        try:
            synthetic = json.loads(note.read_text(encoding="utf-8")).get("synthetic") is True
        except (OSError, ValueError):
            synthetic = False
        if not synthetic:
            raise ParameterError(f"The folder {out_dir} is not empty and holds no synthetic data set: choose an "
                                 "empty or new folder.")
        for old in (out_dir / "reports").glob("*.csv"):
            old.unlink()
    return out_dir


def write_campaign_sample(name: str, out_dir: Path, seed: int = SEED) -> list[Path]:
    """Write the synthetic data directory of campaign ``name`` (one of ``CAMPAIGNS``); return the files."""
    _known(name)
    out_dir = _prepare(out_dir)
    return _write_level2(out_dir, seed) if name == "level2-eid" else _write_qr(out_dir, seed)


def write_campaign_national(name: str, out_dir: Path, seed: int = SEED, only: list[int] | None = None) -> list[Path]:
    """Write a national data set of campaign ``name`` (``NATIONAL``): one small data directory per
    province and the national ``provinces.csv``; return the province folders. With ``only`` (province
    codes), only those provinces' folders are written (the national table still has every province)."""
    _known(name)
    if name not in NATIONAL:
        raise ParameterError(f"The campaign '{name}' has no national data set: only {', '.join(NATIONAL)} has one "
                             "(leave out --national).")
    out_dir = Path(out_dir)
    if out_dir.resolve() == SAMPLE_DIR.resolve() or (out_dir / "units.csv").exists():
        raise ParameterError(f"The folder {out_dir} holds a province's data directory: write the national data set "
                             "elsewhere (default: data/raw/national-<campaign>/).")
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    home = int(find_province(LEVEL2_PROVINCE)["code"])
    built = {}
    for code, province in provinces()[["code", "name"]].itertuples(index=False):
        level = rng.uniform(0.58, 0.62) if code == home else rng.uniform(0.30, 0.60)
        people = int(rng.integers(8_000, 20_000)) * len(province_wards(int(code)))
        built[int(code)] = (province, _level2_province(rng, int(code), province, level, people, NATIONAL_AGENCIES))
    rates = _ranked(pd.concat([_own_rates(code, province, tables) for code, (province, tables) in built.items()],
                              ignore_index=True))
    rates.to_csv(out_dir / "provinces.csv", index=False, encoding="utf-8", lineterminator="\n")
    folders = []
    for code, (province, tables) in built.items():
        if only is not None and code not in only:
            continue
        folder = _prepare(out_dir / folder_name(code, province))
        central = _central_table(tables["central"], rates, code).rename(columns={"integrated_central": CENTRAL_HEADER})
        tables = {**tables, "provinces": rates, "central_table": central}
        _write_dir(folder, _level2_toml(province), tables, LEVEL2_PHASES, LEVEL2_DATES, HEADERS, LEVEL2_TRACKS,
                   _provenance(name, province, seed, f"python -m analysis sample --national --campaign {name}"))
        folders.append(folder)
    return folders
