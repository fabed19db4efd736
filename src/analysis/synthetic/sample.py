"""The synthetic sample data set: Ca Mau after phase 2, calibrated to the published figures.

``write_sample`` writes a data directory in the layout of ``docs/data-contract.md``. It is
deterministic (one seed) and reproduces the published figures of
``data/published/ca_mau_2025_phase2.csv`` exactly at the end of phase 2.

How the residents' uptake is made (the truth the drivers model is checked against):

    mu_i  = expit(b0 + sum_k b_k * x_ik)      x = share_60plus, smartphone_rate,
                                                  absent_share, level2_rate
    S_i   = c * Binomial(E_i // c, mu_i) + Binomial(E_i mod c, mu_i)

people decide in groups of ``c = CLUSTER_SIZE`` (a household, a village session), so
Var(S_i) is about c * E_i * mu_i * (1 - mu_i): overdispersion with a constant scale c, the
quasi-binomial model's assumption. The slopes are ``TRUE_COEFFICIENTS``. The intercept ``b0`` is
solved so that the expected total equals the published total, and the drawn counts of the
communes not named in the report are then rescaled by a common factor (recorded in
``truth.json``) to hit that total exactly; the four communes the report names get their
published achievement exactly. Everything about facilities and agencies is illustrative.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit

from analysis.config import PUBLISHED_DIR, SAMPLE_DIR
from analysis.data.register import province_wards
from analysis.text import strip_diacritics

SEED = 20251114
PROVINCE_CODE = 96
TARGET_RATE = 0.40
PHASES = pd.DataFrame(
    {
        "name": ["Giai đoạn 1", "Giai đoạn 2"],
        "start": ["2025-05-15", "2025-08-15"],
        "end": ["2025-08-14", "2025-11-14"],
        "assumed": [True, False],
    }
)
REPORT_DATES = pd.date_range("2025-05-16", "2025-11-14", freq="7D")
# Denominators implied by the published rates (233,377 = 27.76%; 154,836 = 26.02%).
RESIDENTS_ELIGIBLE = 840_700
FACILITIES_ELIGIBLE = 595_100
TRUE_COEFFICIENTS = {
    "share_60plus": -3.0,
    "smartphone_rate": 1.2,
    "absent_share": -1.5,
    "level2_rate": 0.8,
}
CLUSTER_SIZE = 25
OTHER_RATE_CAP = 0.338  # units the report does not name stay below Minh Duc's 85.67% of target
CENTRAL_RATES = {  # C06 province rate (its own denominator): dates and values, rank derived
    "2025-05-20": 0.1510, "2025-06-17": 0.1640, "2025-07-15": 0.1760, "2025-08-12": 0.1890,
    "2025-09-09": 0.2030, "2025-10-07": 0.2150, "2025-11-04": 0.2242,
}

FACILITIES = [  # name, unit type, visits (before scaling), uptake rate
    ("Bệnh viện Đa khoa tỉnh Cà Mau", "hospital", 62000, 0.31),
    ("Bệnh viện Đa khoa Bạc Liêu", "hospital", 52000, 0.30),
    ("Bệnh viện Sản - Nhi Cà Mau", "hospital", 30000, 0.32),
    ("Bệnh viện Y dược cổ truyền Cà Mau", "hospital", 14000, 0.27),
    ("Bệnh viện Công an tỉnh Cà Mau", "hospital", 9000, None),
    *[(f"Trung tâm Y tế khu vực {n}", "regional_centre", 26000, r) for n, r in [
        ("Cái Nước", 0.30), ("Đầm Dơi", 0.29), ("Năm Căn", 0.28), ("Ngọc Hiển", 0.27),
        ("Phú Tân", 0.29), ("Thới Bình", 0.28), ("Trần Văn Thời", 0.30), ("U Minh", 0.26),
        ("Giá Rai", 0.29), ("Hồng Dân", 0.27), ("Phước Long", 0.28), ("Vĩnh Lợi", 0.30),
        ("Đông Hải", 0.27), ("Hòa Bình", 0.28)]],
    ("Phòng khám đa khoa Minh Đức", "private_clinic", 4800, None),
    *[(f"Phòng khám đa khoa {n}", "private_clinic", 4000, r) for n, r in [
        ("Thiên Phước", 0.06), ("Hồng Đức", 0.04), ("Tâm An", 0.08), ("Phước Sơn", 0.05),
        ("Bình An", 0.03)]],
    *[(f"Trạm Y tế {n}", "health_station", 1800, r) for n, r in [
        ("xã Tân Thuận", 0.09), ("xã Tân Tiến", 0.05), ("xã Trần Phán", 0.11), ("xã Khánh An", 0.04),
        ("xã Khánh Bình", 0.07), ("xã Sông Đốc", 0.10), ("xã Thới Bình", 0.06), ("xã Tân Lộc", 0.03),
        ("xã Năm Căn", 0.08), ("xã Phú Tân", 0.05), ("xã Cái Nước", 0.12), ("xã Hồng Dân", 0.04),
        ("xã Phước Long", 0.06), ("xã Gành Hào", 0.02), ("xã Hòa Bình", 0.09), ("xã Châu Thới", 0.05)]],
]
AGENCIES = [
    "Sở Y tế", "Sở Nội vụ", "Sở Tài chính", "Sở Giáo dục và Đào tạo", "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường", "Sở Công Thương", "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Tư pháp", "Sở Dân tộc và Tôn giáo", "Sở Ngoại vụ",
    "Văn phòng UBND tỉnh", "Thanh tra tỉnh", "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh",
    "Bảo hiểm xã hội tỉnh", "Ban Quản lý các Khu kinh tế", "Đài Phát thanh - Truyền hình Cà Mau",
]
NEVER_REPORTING = {"Phòng khám đa khoa Bình An", "Sở Ngoại vụ", "Thanh tra tỉnh", "Ban Quản lý các Khu kinh tế"}
STOPPED_REPORTING = {
    "Sở Dân tộc và Tôn giáo": "2025-08-29",
    "Đài Phát thanh - Truyền hình Cà Mau": "2025-09-26",
    "Sở Khoa học và Công nghệ": "2025-10-17",
}
# Agencies are counted against all their cadres (the report's 99.98%), not against 40%.
CADRES_TARGET_RATE = 1.0
FALLING_COUNT = ("Xã Khánh Bình", "2025-10-10")
PROVENANCE = {
    "synthetic": True,
    "source": "Synthetic sample for Ca Mau, calibrated to report 773/BC-SYT (2025-11-16); "
              "written by the workbook's sample command",
    "source_vi": "Dữ liệu mẫu tổng hợp cho Cà Mau, hiệu chỉnh theo Báo cáo 773/BC-SYT (16/11/2025); "
                 "tạo bằng lệnh tạo dữ liệu mẫu của bộ công cụ",
    "seed": SEED,
}
SURVEY_SIZE = 20_000
SURVEY_TRUTH = {"intercept": -2.6, "age_60plus": -1.2, "has_smartphone": 1.5, "works_away": -0.8, "level2": 0.9}
TRACK_VI = {"residents": "dân cư", "facilities": "cơ sở y tế", "cadres": "cán bộ"}
REPORT_HEADERS = {
    "code": "Mã đơn vị", "name": "Tên đơn vị", "track": "Khối", "eligible": "Tổng số đối tượng",
    "supported": "Số đã hỗ trợ tích hợp", "integrated_central": "Số ghi nhận trên hệ thống",
    "submitted": "Ngày gửi",
}
LATE_TYPES = {"private_clinic": 0.35, "health_station": 0.25}  # share of their reports sent late


def published_figures() -> pd.DataFrame:
    """The published figures (FACTS.md) as a table: figure, subject, value, as_of, source."""
    return pd.read_csv(PUBLISHED_DIR / "ca_mau_2025_phase2.csv", encoding="utf-8")


def _published(figures: pd.DataFrame, figure: str, subject: str) -> float:
    row = figures[(figures["figure"] == figure) & (figures["subject"] == subject)]
    return float(row["value"].iloc[0])


def _integer_split(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    raw = total * np.asarray(weights, dtype=float) / np.sum(weights)
    out = np.floor(raw).astype(int)
    out[np.argsort(raw - out)[::-1][: total - out.sum()]] += 1
    return out


def _exact_supported(eligible: int, achievement: float) -> tuple[int, int]:
    """Nearest eligible count (and its supported count) whose achievement rounds to the figure."""
    for step in range(0, 5000):
        for e in (eligible + step, eligible - step):
            s = round(achievement * TARGET_RATE * e)
            if round(s / (TARGET_RATE * e), 4) == round(achievement, 4):
                return e, s
    raise ValueError(f"no integer counts give an achievement of {achievement}")


def _pin_units(eligible: np.ndarray, pinned: dict[int, float], total: int) -> tuple[np.ndarray, dict[int, int]]:
    """Move pinned units' eligible counts to exact values; keep the track total by the largest unit."""
    eligible = eligible.copy()
    supported = {}
    for i, achievement in pinned.items():
        eligible[i], supported[i] = _exact_supported(int(eligible[i]), achievement)
    free = [i for i in range(len(eligible)) if i not in pinned]
    eligible[free[int(np.argmax(eligible[free]))]] += total - eligible.sum()
    return eligible, supported


def _commune_profiles(rng: np.random.Generator, code: int = PROVINCE_CODE, published: bool = True,
                      track: str = "residents") -> pd.DataFrame:
    """A province's communes and wards from the register (in ``track``), with their covariates drawn
    (the communes the published report names, when ``published``, get the median profile)."""
    wards = province_wards(code)
    n = len(wards)
    urban = (wards["division_type"] == "phường").to_numpy()
    share_60 = rng.uniform(0.11, 0.21, n) - 0.005 * urban
    smartphone = np.clip(0.95 - 1.2 * share_60 + 0.02 * urban + rng.normal(0, 0.05, n), 0.45, 0.92)
    absent = rng.uniform(0.05, 0.25, n) - 0.02 * urban
    level2 = np.clip(0.2 + 0.5 * smartphone + rng.normal(0, 0.04, n), 0.2, 0.9)
    # The communes the report names have their published achievement set, not drawn: give them
    # the median profile, so that these four outliers do not lever the slopes of the relation.
    if published:
        named = wards["name"].isin(published_figures()["subject"]).to_numpy()
        for values in (share_60, smartphone, absent, level2):
            values[named] = np.median(values[~named])
    return pd.DataFrame(
        {
            "code": wards["code"].to_numpy(),
            "name": wards["name"].to_numpy(),
            "track": track,
            "unit_type": np.where(urban, "ward", "commune"),
            "share_60plus": share_60.round(4),
            "smartphone_rate": smartphone.round(4),
            "absent_share": absent.round(4),
            "level2_rate": level2.round(4),
        }
    )


def draw_clustered(rng: np.random.Generator, eligible: np.ndarray, mu: np.ndarray,
                   cluster: int = CLUSTER_SIZE) -> np.ndarray:
    """People supported when they decide in groups of ``cluster``: overdispersion of constant scale."""
    eligible = np.asarray(eligible, dtype=np.int64)
    groups, rest = eligible // cluster, eligible % cluster
    return cluster * rng.binomial(groups, mu) + rng.binomial(rest, mu)


def _residents_final(rng: np.random.Generator, units: pd.DataFrame, figures: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Final eligible and supported counts of the communes, calibrated and with the truth."""
    total = int(_published(figures, "supported", "residents"))
    pinned = _pinned(units, figures)
    eligible = _integer_split(RESIDENTS_ELIGIBLE, rng.lognormal(0, 0.35, len(units)))
    eligible, supported_pinned = _pin_units(eligible, pinned, RESIDENTS_ELIGIBLE)
    free = np.array([i not in pinned for i in range(len(units))])
    x = units[list(TRUE_COEFFICIENTS)].to_numpy()
    slope = x @ np.array(list(TRUE_COEFFICIENTS.values()))
    free_total = total - sum(supported_pinned.values())
    b0 = brentq(lambda b: (eligible[free] * expit(b + slope[free])).sum() - free_total, -10, 10)
    mu = expit(b0 + slope)
    drawn = draw_clustered(rng, eligible, mu)
    for _ in range(50):  # redraw the few communes that would outrank the ones the report names
        high = free & (drawn > OTHER_RATE_CAP * eligible)
        drawn[high] = draw_clustered(rng, eligible[high], mu[high])
    drawn = np.where(free, np.minimum(drawn, np.floor(OTHER_RATE_CAP * eligible)), drawn).astype(int)
    supported = np.zeros(len(units), dtype=int)
    supported[free] = _integer_split(free_total, drawn[free])
    for i, s in supported_pinned.items():
        supported[i] = s
    truth = {
        "intercept": float(b0), "coefficients": TRUE_COEFFICIENTS, "cluster_size": CLUSTER_SIZE,
        "rescale_factor": float(free_total / drawn[free].sum()), "rate_cap_for_unnamed": OTHER_RATE_CAP,
    }
    return pd.DataFrame({"code": units["code"], "eligible": eligible, "supported": supported}), truth


def _pinned(units: pd.DataFrame, figures: pd.DataFrame) -> dict[int, float]:
    """Positions of the units whose achievement is published, with that achievement."""
    named = figures[figures["figure"] == "achievement"].set_index("subject")["value"]
    positions = {name: i for i, name in enumerate(units["name"])}
    return {positions[name]: float(a) for name, a in named.items() if name in positions}


def _facility_units() -> pd.DataFrame:
    rows = [
        {"code": f"CSYT{i + 1:03d}", "name": name, "track": "facilities", "unit_type": kind}
        for i, (name, kind, _, _) in enumerate(FACILITIES)
    ]
    return pd.DataFrame(rows)


def _facilities_final(rng: np.random.Generator, units: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Final visits and supported counts of the facilities that report."""
    total = int(_published(figures, "supported", "facilities"))
    reporting = ~units["name"].isin(NEVER_REPORTING).to_numpy()
    sizes = np.array([f[2] for f in FACILITIES], dtype=float) * rng.uniform(0.8, 1.2, len(FACILITIES))
    rates = np.array([f[3] if f[3] is not None else 0.0 for f in FACILITIES])
    rates = np.clip(rates + rng.normal(0, 0.01, len(rates)), 0.01, OTHER_RATE_CAP)
    rep = units[reporting].reset_index(drop=True)
    eligible = _integer_split(FACILITIES_ELIGIBLE, sizes[reporting])
    pinned = _pinned(rep, figures)
    eligible, supported_pinned = _pin_units(eligible, pinned, FACILITIES_ELIGIBLE)
    free = np.array([i not in pinned for i in range(len(rep))])
    free_total = total - sum(supported_pinned.values())
    supported = np.zeros(len(rep), dtype=int)
    supported[free] = _integer_split(free_total, eligible[free] * rates[reporting][free])
    for i, s in supported_pinned.items():
        supported[i] = s
    return pd.DataFrame({"code": rep["code"], "eligible": eligible, "supported": supported})


def _agency_units() -> pd.DataFrame:
    return pd.DataFrame(
        {"code": [f"CQ{i + 1:02d}" for i in range(len(AGENCIES))], "name": AGENCIES,
         "track": "cadres", "unit_type": "agency", "target_rate": CADRES_TARGET_RATE}
    )


def _agencies_final(rng: np.random.Generator, units: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Final counts of every agency; the 13 reporting at the end hold the published figures."""
    eligible_total = int(_published(figures, "eligible", "cadres"))
    missing = int(eligible_total - _published(figures, "supported", "cadres"))
    final = ~units["name"].isin(NEVER_REPORTING | set(STOPPED_REPORTING)).to_numpy()
    eligible = np.zeros(len(units), dtype=int)
    eligible[final] = _integer_split(eligible_total, rng.uniform(200, 1800, final.sum()))
    eligible[~final] = rng.integers(150, 900, (~final).sum())
    supported = eligible.copy()
    supported[np.flatnonzero(final)[:missing]] -= 1
    supported[~final] = (eligible[~final] * 0.9).astype(int)
    return pd.DataFrame({"code": units["code"], "eligible": eligible, "supported": supported})


def _progress(track: str, n_units: int, rng: np.random.Generator, dates: pd.DatetimeIndex = REPORT_DATES,
              phase2: str = PHASES["start"].iloc[1], staff: tuple[str, ...] = ("cadres",)) -> np.ndarray:
    """Share of each unit's final count reached at each report date (units x dates), ending at 1: a
    slow first phase and a pulse from ``phase2`` on, or (the tracks of ``staff``) a quick climb."""
    week = np.arange(len(dates))
    phase2_start = int(np.searchsorted(dates, pd.Timestamp(phase2)))
    if track in staff:
        base = np.where(week < phase2_start, 0.3 * (week + 1) / phase2_start,
                        np.minimum(1.0, 0.7 + 0.15 * (week - phase2_start)))
    else:
        w2 = np.clip(week - phase2_start + 1, 0, None)
        span = len(week) - phase2_start
        pulse = (1 - np.exp(-0.12 * w2)) / (1 - np.exp(-0.12 * span))
        base = np.where(week < phase2_start, 0.02 + 0.43 * week / (phase2_start - 1), 0.45 + 0.55 * pulse)
    gamma = rng.uniform(0.8, 1.25, n_units)[:, None]
    progress = base[None, :] ** gamma
    progress[:, -1] = 1.0
    return progress


def _central_final(rng: np.random.Generator, final: pd.DataFrame, figures: pd.DataFrame) -> np.ndarray:
    """Integrations the national system recorded per unit, summing to the published figure."""
    total = int(_published(figures, "integrated_central", "province"))
    mean = total / final["supported"].sum()
    conversion = rng.beta(mean * 40, (1 - mean) * 40, len(final))
    central = _integer_split(total, final["supported"].to_numpy() * conversion)
    return np.minimum(central, final["supported"].to_numpy())


def _panel(rng: np.random.Generator, units: pd.DataFrame, final: pd.DataFrame,
           dates: pd.DatetimeIndex = REPORT_DATES, **shape: object) -> pd.DataFrame:
    """Cumulative counts of every unit at every report date, before reporting gaps (``shape``: the
    phase-2 start and staff tracks of ``_progress``)."""
    frames = []
    for track, group in final.merge(units[["code", "track"]], on="code").groupby("track", sort=False):
        progress = _progress(track, len(group), rng, dates, **shape)
        supported = np.round(group["supported"].to_numpy()[:, None] * progress).astype(int)
        central = group["integrated_central"].to_numpy(dtype=float)[:, None] * progress ** 1.3
        central = np.minimum(np.round(central), supported)  # NaN stays NaN: no unit figure
        for j, date in enumerate(dates):
            frames.append(group.assign(as_of=date, supported=supported[:, j],
                                       integrated_central=pd.array(central[:, j], dtype="Int64")))
    return pd.concat(frames, ignore_index=True)


def _apply_flaws(rng: np.random.Generator, panel: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Reporting gaps, units that never or no longer report, and one falling cumulative count."""
    names = panel["code"].map(units.set_index("code")["name"])
    keep = ~names.isin(NEVER_REPORTING)
    for name, last in STOPPED_REPORTING.items():
        keep &= ~((names == name) & (panel["as_of"] > pd.Timestamp(last)))
    phase2 = REPORT_DATES[(REPORT_DATES >= pd.Timestamp(PHASES["start"].iloc[1]))][:-1]
    for track, n_skips in (("residents", 6), ("facilities", 2)):
        candidates = units[(units["track"] == track) & ~units["name"].isin(
            [FALLING_COUNT[0], *published_figures()["subject"]])]["code"].to_numpy()
        for code in rng.choice(candidates, n_skips, replace=False):
            keep &= ~((panel["code"] == code) & (panel["as_of"] == rng.choice(phase2)))
    panel = panel[keep].copy()
    fall = (names[keep] == FALLING_COUNT[0]) & (panel["as_of"] == pd.Timestamp(FALLING_COUNT[1]))
    previous = panel[(names[keep] == FALLING_COUNT[0]) & (panel["as_of"] < pd.Timestamp(FALLING_COUNT[1]))]
    dropped = int(previous["supported"].iloc[-1] * 0.92)
    panel.loc[fall, "supported"] = dropped
    panel.loc[fall, "integrated_central"] = np.minimum(panel.loc[fall, "integrated_central"], dropped)
    return panel


def _submitted(rng: np.random.Generator, panel: pd.DataFrame, units: pd.DataFrame,
               late_types: dict[str, float] = LATE_TYPES) -> pd.Series:
    """Date each report reached the department: the same or next day, but clinics and stations often late."""
    late_share = panel["code"].map(units.set_index("code")["unit_type"]).map(late_types).fillna(0.03)
    late = rng.random(len(panel)) < late_share.to_numpy()
    delay = np.where(late, rng.integers(3, 8, len(panel)), rng.integers(0, 2, len(panel)))
    return (panel["as_of"] + pd.to_timedelta(delay, unit="D")).dt.strftime("%Y-%m-%d")


def _province_rates(rng: np.random.Generator, figures: pd.DataFrame) -> pd.DataFrame:
    """Every province's C06 rate on each publication date; Ca Mau 30th, then 28th of 34."""
    from analysis.data.register import provinces

    others = provinces()
    others = others[others["code"] != PROVINCE_CODE].reset_index(drop=True)
    n_above = int(_published(figures, "central_rank", "province")) - 1
    climb = int(_published(figures, "rank_change", "province"))
    # 27 provinces stay ahead, `climb` are overtaken during phase 2, the rest stay behind.
    level = np.concatenate([rng.uniform(0.01, 0.12, n_above), np.full(climb, 0.004),
                            -rng.uniform(0.01, 0.08, len(others) - n_above - climb)])
    climbers = slice(n_above, n_above + climb)
    rows = []
    for k, (date, rate) in enumerate(CENTRAL_RATES.items()):
        values = rate + level + rng.normal(0, 0.001, len(others))
        values[climbers] = rate + 0.004 - 0.0025 * max(0, k - 3)  # overtaken after phase 2 starts
        rows += [{"as_of": date, "code": c, "province": p, "rate": round(v, 4)}
                 for c, p, v in zip(others["code"], others["name"], values)]
        rows.append({"as_of": date, "code": PROVINCE_CODE, "province": "Cà Mau", "rate": rate})
    table = pd.DataFrame(rows)
    table["rank"] = table.groupby("as_of")["rate"].rank(ascending=False, method="min").astype(int)
    return table


def _central_table(panel: pd.DataFrame, rates: pd.DataFrame, code: int = PROVINCE_CODE) -> pd.DataFrame:
    """The national system's figures for a province: counts by report date, rates and ranks."""
    counts = panel.groupby("as_of")["integrated_central"].sum().rename("integrated_central").reset_index()
    counts["as_of"] = counts["as_of"].dt.strftime("%Y-%m-%d")
    own = rates[rates["code"] == code][["as_of", "rate", "rank"]]
    own = own.assign(n_provinces=rates["code"].nunique())
    table = pd.concat([counts, own], ignore_index=True).sort_values("as_of", kind="stable")
    table = table.astype({"integrated_central": "Int64", "rank": "Int64", "n_provinces": "Int64"})
    return table[["as_of", "integrated_central", "rate", "rank", "n_provinces"]]


def build_sample(seed: int = SEED) -> dict[str, pd.DataFrame | dict]:
    """Every table of the sample data set, keyed by file name, plus the truth behind it."""
    rng = np.random.default_rng(seed)
    figures = published_figures()
    communes = _commune_profiles(rng)
    facilities, agencies = _facility_units(), _agency_units()
    units = pd.concat([communes, facilities, agencies], ignore_index=True)
    residents, truth = _residents_final(rng, communes, figures)
    final = pd.concat([residents, _facilities_final(rng, facilities, figures)], ignore_index=True)
    final["integrated_central"] = _central_final(rng, final, figures)
    final = pd.concat([final, _agencies_final(rng, agencies, figures)], ignore_index=True)
    panel = _panel(rng, units, final)
    central_truth = panel[panel["integrated_central"].notna()]
    panel = _apply_flaws(rng, panel, units)
    panel["submitted"] = _submitted(rng, panel, units)
    rates = _province_rates(rng, figures)
    truth["survey"] = SURVEY_TRUTH
    return {"units": units, "panel": panel, "central": _central_table(central_truth, rates),
            "provinces": rates, "phases": PHASES, "truth": truth, "survey": build_survey(rng)}


def build_survey(rng: np.random.Generator, size: int = SURVEY_SIZE) -> pd.DataFrame:
    """A door-to-door survey, one row per person (0/1 items), from the logistic truth ``SURVEY_TRUTH``."""
    elderly = rng.random(size) < 0.16
    smartphone = rng.random(size) < np.where(elderly, 0.35, 0.85)
    away = rng.random(size) < np.where(elderly, 0.02, 0.15)
    level2 = rng.random(size) < 0.3 + 0.4 * smartphone
    t = SURVEY_TRUTH
    eta = (t["intercept"] + t["age_60plus"] * elderly + t["has_smartphone"] * smartphone
           + t["works_away"] * away + t["level2"] * level2)
    integrated = rng.random(size) < expit(eta)
    return pd.DataFrame({"age_60plus": elderly, "has_smartphone": smartphone, "works_away": away,
                         "level2": level2, "integrated": integrated}).astype("int8")


def _report_file(panel: pd.DataFrame, units: pd.DataFrame, date: pd.Timestamp,
                 headers: dict[str, str] = REPORT_HEADERS, track_names: dict[str, str] = TRACK_VI) -> pd.DataFrame:
    """One date's report as the department compiles it: ``headers`` for the columns (and which of
    them), ``track_names`` for the track column's values."""
    rows = panel[panel["as_of"] == date].drop(columns="track").merge(units[["code", "name", "track"]], on="code")
    rows["track"] = rows["track"].map(track_names)
    return rows[list(headers)].rename(columns=headers)


def write_sample(out_dir: Path = SAMPLE_DIR, seed: int = SEED) -> list[Path]:
    """Write the sample data directory; return the files written."""
    tables = build_sample(seed)
    out_dir = Path(out_dir)
    (out_dir / "reports").mkdir(parents=True, exist_ok=True)
    written = []

    def _csv(frame: pd.DataFrame, name: str) -> None:
        path = out_dir / name
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        written.append(path)

    _csv(tables["units"], "units.csv")
    _csv(tables["phases"], "phases.csv")
    _csv(tables["central"], "central.csv")
    _csv(tables["provinces"][["as_of", "code", "province", "rate", "rank"]], "provinces.csv")
    _csv(tables["survey"], "survey.csv")
    for date in REPORT_DATES:
        _csv(_report_file(tables["panel"], tables["units"], date), f"reports/{date:%Y-%m-%d}.csv")
    provenance = out_dir / "provenance.json"
    provenance.write_text(json.dumps(PROVENANCE, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(provenance)
    truth_path = out_dir / "truth.json"
    truth_path.write_text(json.dumps(tables["truth"], indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return [*written, truth_path]


DEPARTMENT_SHEETS = {"residents": "Dân cư", "facilities": "Cơ sở y tế", "cadres": "Cán bộ"}


def _department_sheet(workbook, title: str, date: pd.Timestamp, rows: pd.DataFrame) -> None:
    """One track's sheet as the department compiles it: merged title, date line, STT, total row."""
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title)
    sheet.append(["BÁO CÁO KẾT QUẢ TÍCH HỢP SỔ SỨC KHỎE ĐIỆN TỬ TRÊN VNEID"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    sheet["A1"].font = Font(bold=True)
    sheet.append([f"(Số liệu đến ngày {date:%d/%m/%Y})"])
    sheet.append([])
    sheet.append(["STT", "Tên đơn vị", "Tổng số đối tượng", "Số đã hỗ trợ tích hợp", "Số ghi nhận trên hệ thống",
                  "Tỷ lệ (%)"])
    for i, row in enumerate(rows.itertuples(index=False), start=1):
        central = None if pd.isna(row.integrated_central) else int(row.integrated_central)
        rate = f"{100 * row.supported / row.eligible:.2f}%".replace(".", ",") if row.eligible else ""
        sheet.append([i, strip_diacritics(row.name).upper(), int(row.eligible), int(row.supported), central, rate])
        for column in "CDE":
            sheet[f"{column}{sheet.max_row}"].number_format = "#,##0"
    central_total = rows["integrated_central"].sum(min_count=1)
    sheet.append([None, "Tổng cộng", int(rows["eligible"].sum()), int(rows["supported"].sum()),
                  None if pd.isna(central_total) else int(central_total), None])


def write_department_xlsx(source: Path, out_dir: Path) -> list[Path]:
    """The data directory ``source`` (CSV) rewritten as the department sends it: Excel workbooks with
    one sheet per track, title and date lines, STT, names without diacritics in capitals, no codes,
    Vietnamese rate formats and a total row. It must load to exactly the same panel."""
    import shutil

    from openpyxl import Workbook

    from analysis.data.dataset import load_data_dir

    dataset = load_data_dir(source)
    out_dir = Path(out_dir)
    (out_dir / "reports").mkdir(parents=True, exist_ok=True)
    for name in ("units.csv", "phases.csv", "central.csv", "provinces.csv", "provenance.json"):
        if (source / name).is_file():
            shutil.copy2(source / name, out_dir / name)
    written = []
    tracks = dataset.units.set_index("code")["track"]
    for date in dataset.report_dates:
        rows = dataset.reports[dataset.reports["as_of"] == date].assign(track=lambda f: f["code"].map(tracks))
        workbook = Workbook()
        workbook.remove(workbook.active)
        for track, title in DEPARTMENT_SHEETS.items():
            part = rows[rows["track"] == track]
            if len(part):
                _department_sheet(workbook, title, date, part)
        path = out_dir / "reports" / f"{date:%Y-%m-%d}.xlsx"
        workbook.save(path)
        written.append(path)
    return written


def write_other_province(code: int, out_dir: Path, source: Path = SAMPLE_DIR) -> list[Path]:
    """A synthetic data directory for another province: the sample's figures moved onto that
    province's communes and wards from the official register (as many as both have), reports
    naming communes without codes. For checking that the workbook serves any province."""
    import shutil

    from analysis.data.register import find_province

    province = find_province(code)
    wards = province_wards(int(province["code"]))
    units = pd.read_csv(source / "units.csv", dtype={"code": str}, encoding="utf-8")
    residents = units[units["track"] == "residents"]
    n = min(len(residents), len(wards))
    mapping = dict(zip(residents["code"].iloc[:n], zip(wards["code"].iloc[:n], wards["name"].iloc[:n])))
    dropped = set(residents["code"].iloc[n:])
    units = units[~units["code"].isin(dropped)].copy()
    units["name"] = [mapping[c][1] if c in mapping else nm for c, nm in zip(units["code"], units["name"])]
    units["code"] = [mapping[c][0] if c in mapping else c for c in units["code"]]
    out_dir = Path(out_dir)
    (out_dir / "reports").mkdir(parents=True, exist_ok=True)
    units.to_csv(out_dir / "units.csv", index=False, encoding="utf-8", lineterminator="\n")
    written = [out_dir / "units.csv"]
    for path in sorted((source / "reports").glob("*.csv")):
        report = pd.read_csv(path, dtype={"Mã đơn vị": str}, encoding="utf-8")
        report = report[~report["Mã đơn vị"].isin(dropped)].copy()
        report["Số ghi nhận trên hệ thống"] = report["Số ghi nhận trên hệ thống"].astype("Int64")
        moved = report["Mã đơn vị"].isin(list(mapping))
        report.loc[moved, "Tên đơn vị"] = [strip_diacritics(mapping[c][1]) for c in report.loc[moved, "Mã đơn vị"]]
        report.loc[moved, "Mã đơn vị"] = ""  # matched by name against the register
        report.to_csv(out_dir / "reports" / path.name, index=False, encoding="utf-8", lineterminator="\n")
        written.append(out_dir / "reports" / path.name)
    for name in ("phases.csv", "central.csv"):
        shutil.copy2(source / name, out_dir / name)
        written.append(out_dir / name)
    note = {**PROVENANCE, "source": f"Synthetic data for {province['name']}: the Ca Mau sample moved onto its communes",
            "source_vi": f"Dữ liệu tổng hợp cho {province['name']}: dữ liệu mẫu Cà Mau chuyển sang các xã, phường của địa phương trong danh mục chính thức"}
    (out_dir / "provenance.json").write_text(json.dumps(note, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return written + [out_dir / "provenance.json"]
