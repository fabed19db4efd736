"""A synthetic national data set: every province of the register, every commune and ward.

``write_national`` writes one data directory per province (the layout of
``docs/data-contract.md``) under ``<out>/<code>-<slug>/``, and the national table of central
rates as ``<out>/provinces.csv``. Ca Mau is the sample itself (so the published figures hold
in the national run); every other province gets its communes and wards from the official
register, facilities and agencies named after it, weekly reports over both phases with the
sample's shape (a slow first phase, a campaign pulse in the second), reporting gaps and
late reports. Its residents' uptake follows the sample's drivers model, centred on a rate
that goes with the province's central rate in ``provinces.csv``. Everything is illustrative:
for measuring the workbook at national scale and trying the national comparison, not for
conclusions about any province.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit

from analysis.config import SAMPLE_DIR
from analysis.data.register import provinces
from analysis.synthetic.sample import (
    AGENCIES,
    PHASES,
    PROVINCE_CODE,
    REPORT_DATES,
    TRUE_COEFFICIENTS,
    _central_table,
    _commune_profiles,
    _panel,
    _report_file,
    _submitted,
    draw_clustered,
)
from analysis.text import strip_diacritics

SEED = 20251115
SAMPLE_FILES = ("units.csv", "phases.csv", "central.csv", "provinces.csv", "provenance.json")
FACILITY_KINDS = {  # unit type: visits per facility (before a ±20% draw), uptake rate at Ca Mau's level
    "hospital": (40000, 0.30), "regional_centre": (26000, 0.28), "private_clinic": (4000, 0.05),
    "health_station": (1800, 0.07),
}
REPORTED_OVER_CENTRAL = (1.05, 1.45)  # residents' reported rate over the central rate (Ca Mau: 27.76 / 22.42)


def folder_name(code: int, name: str) -> str:
    """A province's folder: ``96-ca-mau``."""
    slug = "-".join(strip_diacritics(name).lower().replace("thanh pho ", "").split())
    return f"{int(code):02d}-{slug}"


def _short(province: str) -> str:
    return province.removeprefix("Thành phố ").strip()


def _facilities(province: str, communes: pd.DataFrame) -> pd.DataFrame:
    """Hospitals, regional centres, clinics and health stations, in proportion to the communes."""
    n, short = len(communes), _short(province)
    places = [name.split(" ", 1)[1] if " " in name else name for name in communes["name"]]
    rows = [(f"Bệnh viện Đa khoa {province if province.startswith('Thành phố') else 'tỉnh ' + short}", "hospital"),
            (f"Bệnh viện Sản - Nhi {short}", "hospital"), (f"Bệnh viện Y dược cổ truyền {short}", "hospital")]
    rows += [(f"Trung tâm Y tế khu vực {places[i]}", "regional_centre") for i in range(0, n, 8)]
    rows += [(f"Phòng khám đa khoa số {k + 1} {short}", "private_clinic") for k in range(2 + n // 30)]
    rows += [(f"Trạm Y tế {communes['name'].iloc[i].lower()}", "health_station") for i in range(3, n, 6)]
    return pd.DataFrame({"code": [f"CSYT{i + 1:03d}" for i in range(len(rows))], "name": [r[0] for r in rows],
                         "track": "facilities", "unit_type": [r[1] for r in rows]})


def _agencies(province: str) -> pd.DataFrame:
    names = [a if not a.startswith("Đài Phát thanh") else f"Đài Phát thanh - Truyền hình {_short(province)}"
             for a in AGENCIES]
    return pd.DataFrame({"code": [f"CQ{i + 1:02d}" for i in range(len(names))], "name": names, "track": "cadres",
                         "unit_type": "agency", "target_rate": 1.0})


def _final_counts(rng: np.random.Generator, units: pd.DataFrame, level: float, conversion: float) -> pd.DataFrame:
    """Each unit's eligible and supported people at the end of phase 2, and those recorded centrally."""
    residents = units[units["track"] == "residents"]
    eligible = np.maximum(np.round(rng.lognormal(np.log(22000), 0.5, len(residents))), 2000).astype(np.int64)
    slope = residents[list(TRUE_COEFFICIENTS)].to_numpy() @ np.array(list(TRUE_COEFFICIENTS.values()))
    b0 = brentq(lambda b: (eligible * expit(b + slope)).sum() / eligible.sum() - level, -15, 15)
    supported = draw_clustered(rng, eligible, expit(b0 + slope))
    frames = [pd.DataFrame({"code": residents["code"], "eligible": eligible, "supported": supported})]
    facilities = units[units["track"] == "facilities"]
    kinds = facilities["unit_type"].map(FACILITY_KINDS)
    visits = np.round([k[0] for k in kinds] * rng.uniform(0.8, 1.2, len(facilities))).astype(np.int64)
    rates = np.clip(np.array([k[1] for k in kinds]) * level / 0.2776 + rng.normal(0, 0.02, len(facilities)), 0.005, 0.9)
    frames.append(pd.DataFrame({"code": facilities["code"], "eligible": visits,
                                "supported": rng.binomial(visits, rates)}))
    final = pd.concat(frames, ignore_index=True)
    share = rng.beta(conversion * 40, (1 - conversion) * 40, len(final))
    final["integrated_central"] = np.minimum(np.round(final["supported"] * share), final["supported"]).astype(float)
    agencies = units[units["track"] == "cadres"]
    cadres = rng.integers(200, 1800, len(agencies))
    final = pd.concat([final, pd.DataFrame({"code": agencies["code"], "eligible": cadres,
                                            "supported": np.round(cadres * rng.uniform(0.9, 1.0, len(agencies))),
                                            "integrated_central": np.nan})], ignore_index=True)
    return final.astype({"eligible": np.int64, "supported": np.int64})


def _gaps(rng: np.random.Generator, panel: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Reporting gaps: a few units that never report, one agency that stops, skipped weeks."""
    facilities = units.loc[units["unit_type"] == "private_clinic", "code"].to_numpy()
    agencies = units.loc[units["track"] == "cadres", "code"].to_numpy()
    never = set(rng.choice(facilities, 1, replace=False)) | set(rng.choice(agencies, 2, replace=False))
    stopped = rng.choice(sorted(set(agencies) - never))
    keep = ~panel["code"].isin(never)
    keep &= ~((panel["code"] == stopped) & (panel["as_of"] > REPORT_DATES[18]))
    skipped = rng.random(len(panel)) < 0.02
    keep &= ~(skipped & (panel["as_of"] > REPORT_DATES[0]) & (panel["as_of"] < REPORT_DATES[-1]))
    return panel[keep].copy()


def build_province(rng: np.random.Generator, code: int, name: str, rates: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every table of one province's synthetic data directory."""
    communes = _commune_profiles(rng, code, published=False)
    units = pd.concat([communes, _facilities(name, communes), _agencies(name)], ignore_index=True)
    central_rate = float(rates.loc[rates["code"] == code].sort_values("as_of")["rate"].iloc[-1])
    level = central_rate * rng.uniform(*REPORTED_OVER_CENTRAL)
    final = _final_counts(rng, units, level, rng.uniform(0.2, 0.35))
    panel = _panel(rng, units, final)
    central = _central_table(panel[panel["integrated_central"].notna()], rates, code)
    panel = _gaps(rng, panel, units)
    panel["submitted"] = _submitted(rng, panel, units)
    return {"units": units, "panel": panel, "central": central}


def write_national(out_dir: Path, seed: int = SEED, source: Path = SAMPLE_DIR, only: list[int] | None = None) -> list[Path]:
    """Write the national data set (every province, or those in ``only``); return the province folders."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rates = pd.read_csv(source / "provinces.csv", encoding="utf-8")
    shutil.copy2(source / "provinces.csv", out_dir / "provinces.csv")
    rng = np.random.default_rng(seed)
    folders = []
    for code, name in provinces()[["code", "name"]].itertuples(index=False):
        code = int(code)
        tables = build_province(rng, code, name, rates) if code != PROVINCE_CODE else None  # same draws either way
        if only is not None and code not in only:
            continue
        folder = out_dir / folder_name(code, name)
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "reports").mkdir(parents=True)
        folders.append(folder)
        if tables is None:  # Ca Mau: the sample itself, so the published figures hold
            for file in SAMPLE_FILES:
                shutil.copy2(source / file, folder / file)
            for report in sorted((source / "reports").glob("*.csv")):
                shutil.copy2(report, folder / "reports" / report.name)
            continue
        _write(folder, tables, rates, name, seed)
    return folders


def _write(folder: Path, tables: dict[str, pd.DataFrame], rates: pd.DataFrame, name: str, seed: int) -> None:
    def csv(frame: pd.DataFrame, file: str) -> None:
        frame.to_csv(folder / file, index=False, encoding="utf-8", lineterminator="\n")

    csv(tables["units"], "units.csv")
    csv(PHASES, "phases.csv")
    csv(tables["central"], "central.csv")
    csv(rates, "provinces.csv")
    for date in REPORT_DATES:
        csv(_report_file(tables["panel"], tables["units"], date), f"reports/{date:%Y-%m-%d}.csv")
    provenance = {"synthetic": True, "seed": seed,
                  "source": f"Synthetic national data set, {name}: communes from the official register, "
                            "counts drawn; written by `python -m analysis sample --national`"}
    (folder / "provenance.json").write_text(json.dumps(provenance, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
