"""Phase-results sections on small fixtures, including the edge cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.analyses import phase_results as pr
from analysis.data.dataset import load_data_dir
from analysis.data.panel import full_panel
from helpers import HEADER, REPORTS, write_data_dir

AS_OF = pd.Timestamp("2025-11-14")


@pytest.fixture()
def small(tmp_path):
    ds = load_data_dir(write_data_dir(tmp_path))
    return ds, full_panel(ds, 0.40)


def test_headline_over_reporters_and_with_carry_forward(small):
    ds, panel = small
    h = pr.headline(ds, AS_OF, 0.40, panel).set_index("track")
    assert h.loc["residents", "supported"] == 450 + 700 and h.loc["residents", "eligible"] == 3000
    assert h.loc["residents", "n_reported"] == 2 and h.loc["residents", "n_expected"] == 3
    assert h.loc["residents", "cf_supported"] == 450 + 700 + 400 and h.loc["residents", "cf_n_carried"] == 1
    assert h.loc["residents", "rate"] == pytest.approx(1150 / 3000)
    assert h.loc["residents", "gap_to_target"] == 1200 - 1150
    assert h.loc["cadres", "target_rate"] == 1.0 and h.loc["cadres", "gap_to_target"] == 0
    assert h.loc["residents", "previous_rate"] == pytest.approx((200 + 300 + 400) / 6000)
    assert h.loc["residents", "change_pp"] == pytest.approx(100 * (1150 / 3000 - 900 / 6000))


def test_period_without_previous_phase_has_no_comparison(small):
    ds, panel = small
    h = pr.headline(ds, pd.Timestamp("2025-08-08"), 0.40, panel)
    assert h["previous_rate"].isna().all() and h["previous_as_of"].isna().all()


def test_comparison_date_is_same_offset_in_previous_phase(small):
    ds, _ = small
    assert pr.comparison_date(ds.phases, pd.Timestamp("2025-08-25")) == pd.Timestamp("2025-05-25")
    assert pr.comparison_date(ds.phases, pd.Timestamp("2025-11-14")) == pd.Timestamp("2025-08-14")
    assert pr.comparison_date(ds.phases, pd.Timestamp("2025-06-01")) is None


def test_league_table_non_reporter_has_no_rate_or_rank(small):
    ds, panel = small
    league = pr.league_table(ds, panel, AS_OF).set_index("code")
    assert pd.isna(league.loc["32002", "rate"]) and pd.isna(league.loc["32002", "rank"])
    assert league.loc["32002", "status"] == "none"
    assert league.loc["32248", "achievement"] == pytest.approx(450 / 400)
    assert league.loc["32248", "rank"] == 1 and league.loc["32248", "status"] == "green"
    assert league.loc["H2", "status"] == "red"
    assert league.loc["32248", "change_pp"] == pytest.approx(100 * (0.45 - 0.2))


def test_unit_with_zero_eligible_gets_no_rate(tmp_path):
    reports = {**REPORTS, "2025-11-14": HEADER + "32248,Xã Đất Mũi,residents,0,0,0\n"}
    ds = load_data_dir(write_data_dir(tmp_path, reports=reports))
    panel = full_panel(ds, 0.40)
    league = pr.league_table(ds, panel, AS_OF).set_index("code")
    assert pd.isna(league.loc["32248", "rate"]) and league.loc["32248", "status"] == "none"
    h = pr.headline(ds, AS_OF, 0.40, panel).set_index("track")
    assert h.loc["residents", "eligible"] == 0 and pd.isna(h.loc["residents", "rate"])


def test_funnel_never_adds_people_to_visits(small):
    """Residents are people, facilities count patient visits: the province row holds only the
    national system's count, with no supported figure or conversion made of the two."""
    ds, panel = small
    h = pr.headline(ds, AS_OF, 0.40, panel)
    status = pr.central_status(ds, AS_OF)
    f = pr.funnel(h, status).set_index("level")
    assert f.loc["province", "integrated_central"] == 900
    assert pd.isna(f.loc["province", "supported"]) and pd.isna(f.loc["province", "central_conversion"])
    assert f.loc["residents", "supported"] == 1150 and f.loc["facilities", "supported"] == 1930
    assert f.loc["residents", "integrated_central"] == 310
    assert f.loc["residents", "central_conversion"] == pytest.approx(310 / 1150)


def test_track_without_central_figures_gives_empty_quadrants(tmp_path):
    header = "code,name,track,eligible,supported\n"
    reports = {d: header + "\n".join(",".join(line.split(",")[:5]) for line in t.splitlines()[1:]) + "\n"
               for d, t in REPORTS.items()}
    ds = load_data_dir(write_data_dir(tmp_path, reports=reports))
    quadrants = pr.central_quadrants(full_panel(ds, 0.40), AS_OF)
    assert quadrants.empty


def test_quadrants_sort_units_by_support_and_conversion(small):
    ds, panel = small
    q = pr.central_quadrants(panel, AS_OF).set_index("code")
    pooled = q["pooled_conversion"].iloc[0]
    assert pooled == pytest.approx((150 + 160 + 300 + 5) / (450 + 700 + 1900 + 30))
    # by hand, target 40%, amber at 75% of target, pooled conversion 615 / 3080 = 0.1997:
    # 32248 45% of 40% (1.125), 150/450 = 0.333; 32092 35% (0.875), 160/700 = 0.229;
    # H1 38% (0.95), 300/1900 = 0.158; H2 6% (0.15), 5/30 = 0.167
    assert q["quadrant"].to_dict() == {"32248": "on_track", "32092": "on_track", "H1": "data_exchange", "H2": "both"}
    assert q.loc["H1", "conversion"] == pytest.approx(300 / 1900)


def test_reporting_completeness_names_the_missing(small):
    ds, panel = small
    rc = pr.reporting_completeness(ds, panel, AS_OF)
    last = rc[rc["as_of"] == AS_OF].set_index("track")
    assert last.loc["residents", "missing"] == "Phường An Xuyên"
    assert last.loc["cadres", "n_reported"] == 1 and last.loc["cadres", "completeness"] == 0.5
    assert last["n_late"].isna().all()  # no submitted dates in these files


def test_non_reporters_kinds(small):
    ds, panel = small
    nr = pr.non_reporters(ds, panel, AS_OF, stop_after=1).set_index("code")
    assert nr.loc["32002", "kind"] == "stopped" and nr.loc["32002", "last_supported"] == 400
    assert set(nr.index) == {"32002", "A2"}


def test_action_list_pace(small):
    ds, panel = small
    league = pr.league_table(ds, panel, AS_OF)
    actions = pr.action_list(league, panel, AS_OF, pd.Timestamp("2025-12-26")).set_index("code")
    assert "32248" not in actions.index  # above target
    assert "H1" not in actions.index  # 95% of target, and its own pace covers the 100 still needed
    h2 = actions.loc["H2"]
    assert h2["gap"] == 200 - 30 and h2["weeks_left"] == pytest.approx(6) and h2["reason"] == "far_below"
    assert h2["needed_per_week"] == pytest.approx(170 / 6)
    assert h2["recent_per_week"] == pytest.approx((30 - 10) / (98 / 7))


def test_central_status_rank_change(small):
    ds, _ = small
    status = pr.central_status(ds, AS_OF)
    assert status["rate"] == 0.22 and status["rank"] == 28 and status["rank_before"] == 30
    assert status["rank_change"] == 2 and status["integrated_central"] == 900


def test_data_quality_flags_a_jump_only_against_unit_and_peers(sample):
    panel = full_panel(sample, 0.40)
    dq = pr.data_quality(sample, panel, AS_OF)
    assert set(dq["kind"]) == {"falling_count", "unusual_jump"}
    assert set(dq["unit_name"]) == {"Xã Khánh Bình"}


def test_data_quality_details_are_worded_in_the_report_language(sample):
    from analysis.reports.phase_report import finding_detail

    dq = pr.data_quality(sample, full_panel(sample, 0.40), AS_OF)
    fall = dq[dq["kind"] == "falling_count"].iloc[0]
    jump = dq[dq["kind"] == "unusual_jump"].iloc[0]
    assert finding_detail(fall, "vi") == f"{int(fall['reference']):,} → {int(fall['value']):,}".replace(",", ".")
    assert "điểm % kế hoạch/tuần" in finding_detail(jump, "vi") and "pts of target a week" in finding_detail(jump, "en")


def test_a_shortfall_is_bounded_for_the_units_that_did_not_report(sample):
    """Counted over the agencies that reported, the cadres are 2 short; the agencies that stopped
    reporting can only have grown since their last report, which bounds the shortfall above."""
    from analysis.reports.phase_report import headline_sentences

    panel = full_panel(sample, 0.40)
    date = pd.Timestamp("2025-11-14")
    row = pr.headline(sample, date, 0.40, panel).set_index("track").loc["cadres"]
    units = panel[(panel["track"] == "cadres") & (panel["as_of"] == date)]
    reported, carried = units[units["reported"]], units[units["carried"]]

    def short(part):
        return max(0, int(np.ceil((part["target_rate"] * part["eligible"]).sum() - part["supported"].sum())))

    low, high = short(reported), short(pd.concat([reported, carried]))
    assert (row["gap_to_target"], row["cf_gap_to_target"], row["n_never"]) == (low, high, len(units) - len(reported) - len(carried))
    assert low < high and row["n_never"] > 0
    sentence = headline_sentences(pr.headline(sample, date, 0.40, panel), "vi")[2]
    assert f"{low} – {high} người" in sentence and f"{row['n_never']} đơn vị chưa từng báo cáo" in sentence
