"""The outreach plan as the reader sees it: what the teams buy, the plans compared, the chart."""

from __future__ import annotations

import pandas as pd

from analysis.analyses.outreach import Teams, budget_of, whole_weeks
from analysis.analyses.stages import WEEKS
from analysis.reports import figures
from analysis.reports.frame import Parts, section, summary_box
from analysis.reports.labels import label
from analysis.reports.present import (
    chance_column,
    chance_text,
    chances_shown,
    fmt_decimal,
    fmt_int,
    fmt_pct,
    html_table,
)


def _why_empty(plan: pd.DataFrame, lang: str) -> str:
    """Why there is no plan (``outreach.no_plan``): no track for door-to-door teams, too few dates, or
    no drivers model to say how each commune responds."""
    return label(plan.attrs.get("why", "trend_needs_dates"), lang, n=4)


def plan_sentence(by: pd.DataFrame, teams: Teams, target_rate: float, lang: str) -> str:
    """The proposed plan in one sentence: teams, weeks, the expected rate against no campaign, communes
    at target and the chance of the target (``by``: the comparison indexed by plan)."""
    best = by.loc["optimised"]
    return label("outreach_sentence", lang, teams=teams.teams, weeks=fmt_int(max(whole_weeks(teams), 1), lang),
                 budget=fmt_int(budget_of(teams), lang), rate=fmt_pct(best["expected_rate"], lang),
                 base=fmt_pct(by.loc["none", "expected_rate"], lang), units=int(best["units_at_target"]),
                 target=fmt_pct(target_rate, lang, 0), prob=chance_text(best, "prob_reach_target", lang))


def plan_section(plan: pd.DataFrame, comparison: pd.DataFrame, teams: Teams, target_rate: float, lang: str,
                 shown: int = 20, cases: pd.DataFrame | None = None) -> Parts:
    """The proposed plan in one paragraph, the comparison with naive plans, the chart and the table."""
    if plan.empty:
        return (section("outreach", lang, [_why_empty(plan, lang)]),)
    cases = pd.DataFrame() if cases is None else cases
    by = comparison.set_index("plan")
    sentences = [plan_sentence(by, teams, target_rate, lang),
                 label("outreach_compare", lang, equal=fmt_pct(by.loc["equal_shares", "expected_rate"], lang),
                       lowest=fmt_pct(by.loc["lowest_rate_first", "expected_rate"], lang)),
                 *sensitivity_sentences(comparison, cases, lang)]
    if not chances_shown(comparison).all():
        sentences.append(label("chance_withheld", lang, weeks=WEEKS.start_after))
    compare_columns = [("plan", label("col_plan", lang), lambda v: label(f"plan_{v}", lang)),
                       ("team_weeks", label("col_team_weeks", lang), lambda v: fmt_int(v, lang)),
                       ("expected_rate", label("col_expected_rate", lang), lambda v: fmt_pct(v, lang)),
                       ("units_at_target", label("col_units_target", lang), str),
                       chance_column("prob_reach_target", label("col_prob", lang), lang)]
    top = plan[plan["team_weeks"] > 0].head(shown)
    frame = top.assign(band=[f"+{fmt_int(a, lang)} (+{fmt_int(lo, lang)} – +{fmt_int(hi, lang)})"
                             for a, lo, hi in zip(top["expected_gain"], top["gain_low"], top["gain_high"])])
    columns = [("name", label("col_unit", lang), str),
               ("teams_per_week", label("col_teams_week", lang), lambda v: fmt_decimal(v, lang, 1)),
               ("band", label("col_gain", lang), str),
               ("rate_without", label("plan_none", lang), lambda v: fmt_pct(v, lang)),
               ("expected_rate", label("col_expected_rate", lang), lambda v: fmt_pct(v, lang)),
               ("visit", label("col_visit", lang), lambda v: label(f"visit_{v}", lang))]
    return (section("outreach", lang, sentences, html_table(comparison, compare_columns)),
            figures.outreach_chart(plan, lang), section("outreach", lang, [], html_table(frame, columns)))


def summary(plan: pd.DataFrame, comparison: pd.DataFrame, teams: Teams, target_rate: float, lang: str) -> Parts:
    """The answer first: what the proposed plan gains, against doing nothing, and who gets no team."""
    if plan.empty:
        return summary_box(lang, [_why_empty(plan, lang)])
    by = comparison.set_index("plan")
    none = plan[plan["team_weeks"] == 0]
    sentences = [plan_sentence(by, teams, target_rate, lang),
                 label("outreach_no_team", lang, n=len(none)) if len(none) else label("outreach_all_teams", lang)]
    past = plan[(plan["team_weeks"] > 0) & (plan["rate_without"] >= target_rate)]
    if len(past):  # the rate objective's choice, said so that no reader takes it for a mistake
        sentences.append(label("outreach_past_target", lang, n=len(past), target=fmt_pct(target_rate, lang, 0)))
    return summary_box(lang, sentences)


def sensitivity_sentences(comparison: pd.DataFrame, cases: pd.DataFrame, lang: str) -> list[str]:
    """The equity option against the proposed plan, and the range of the plan under other assumptions."""
    by = comparison.set_index("plan")
    out = []
    if "equity_floor" in by.index:
        out.append(label("outreach_equity", lang, rate=fmt_pct(by.loc["equity_floor", "expected_rate"], lang),
                         units=int(by.loc["equity_floor", "units_at_target"]),
                         best=fmt_pct(by.loc["optimised", "expected_rate"], lang)))
    if len(cases):
        out.append(label("outreach_sensitivity", lang, s_low=fmt_pct(cases["success"].min(), lang, 0),
                         s_high=fmt_pct(cases["success"].max(), lang, 0), low=fmt_pct(cases["expected_rate"].min(), lang),
                         high=fmt_pct(cases["expected_rate"].max(), lang), n_low=int(cases["units_without_team"].min()),
                         n_high=int(cases["units_without_team"].max())))
    return out


def sensitivity_section(cases: pd.DataFrame, lang: str) -> Parts:
    """For the appendix: the optimised plan under every case of the assumptions."""
    if cases.empty:
        return ()
    columns = [("response", label("col_response", lang), lambda v: label(f"response_{v}", lang)),
               ("success", label("col_success", lang), lambda v: fmt_pct(v, lang, 0)),
               ("capacity_factor", label("col_capacity", lang), lambda v: fmt_pct(v, lang, 0)),
               ("expected_gain", label("col_gain", lang), lambda v: fmt_int(v, lang)),
               ("expected_rate", label("col_expected_rate", lang), lambda v: fmt_pct(v, lang)),
               ("units_at_target", label("col_units_target", lang), str),
               ("units_without_team", label("col_no_team", lang), str),
               ("same_communes", label("col_same_communes", lang), str)]
    return (section("outreach_sensitivity_title", lang, [], html_table(cases, columns)),)


def method(lang: str) -> Parts:
    """How the plan is made, for the appendix."""
    return (section("method", lang, [label("outreach_method", lang)]),)
