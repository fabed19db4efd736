"""The brief: what leadership reads first, the first page of a period's ``index.html``.

Built from the tables the notebooks wrote beside their reports (``headline.csv``,
``projection.csv``, ``funnel.csv``, ``non_reporters.csv``, ``action_list.csv``,
``outreach_plan.csv``), so every figure is the reports' own: one number for one thing. It holds,
per track, where the province stands against the target (tiles), the verdict at the deadline
under each effort scenario, the weekly pace needed against the pace of the last four weeks, the
gap to the central record, who has not reported, and a few named actions that link to the
section of the report that supports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.analyses.stages import WEEKS
from analysis.data.campaign import active
from analysis.reports.labels import counted_as, label, track_name
from analysis.reports.present import (
    chance_shown,
    chance_text,
    chances_shown,
    esc,
    fmt_date,
    fmt_decimal,
    fmt_int,
    fmt_pct,
    fmt_pp,
)

CSV_NOTES = {  # what each table beside the reports holds (label keys)
    "headline": "csv_headline", "league_table": "csv_league_table", "projection": "csv_projection",
    "action_list": "csv_action_list", "non_reporters": "csv_non_reporters", "funnel": "csv_funnel",
    "outreach_plan": "csv_outreach_plan", "drivers_effects": "csv_drivers_effects", "data_quality": "csv_data_quality",
}


def scenario_label(scenario: str, intensity: float, lang: str) -> str:
    """The reader's name of an effort scenario (here, so that the index needs no analysis imported)."""
    return label(f"scenario_{scenario}", lang, intensity=fmt_decimal(intensity, lang, 1))


def read_table(folder: Path, name: str) -> pd.DataFrame | None:
    """A table beside the reports; None when it is not there or empty (a part that could not be computed)."""
    path = folder / f"{name}.csv"
    try:
        return pd.read_csv(path, encoding="utf-8-sig") if path.is_file() else None
    except pd.errors.EmptyDataError:
        return None


def _tile(row: pd.Series, lang: str, amber_at: float = 0.75) -> str:
    """One track's tile: its rate (large), the target and the change over the phase, who reported;
    coloured as the reports' traffic lights (green at target, amber from ``amber_at`` of it)."""
    status = "green" if row["achievement"] >= 1 else "amber" if row["achievement"] >= amber_at else "red"
    lines = [label("brief_target", lang, target=fmt_pct(row["target_rate"], lang, 0)),
             label("brief_change", lang, change=fmt_pp(row["change_pp"], lang)) if pd.notna(row["change_pp"]) else "",
             label("brief_reported", lang, reported=int(row["n_reported"]), expected=int(row["n_expected"]))]
    small = "".join(f"<span>{esc(line)}</span>" for line in lines if line)
    return (f'<div class="tile {status}"><span class="track">{esc(track_name(row["track"], lang))}</span>'
            f'<span class="kpi">{esc(fmt_pct(row["rate"], lang))}</span>{small}</div>')


def verdicts(projection: pd.DataFrame | None, deadline, target_rate: float, lang: str,
             scenario_name) -> list[str]:
    """One sentence per projected track: on course or not, the projected rate at the deadline with its
    80% band under each effort scenario, and the chance of reaching the target."""
    if projection is None or projection.empty:
        return [label("brief_no_projection", lang)]
    out = []
    tracks = projection[projection["level"] == "track"]
    for track in active().projected:
        rows = tracks[tracks["track"] == track].set_index("scenario")
        if "no_campaign" not in rows.index:
            continue
        base = rows.loc["no_campaign"]
        reach = base["rate_median"] >= target_rate
        verdict = ("brief_verdict_open" if base["rate_p10"] < target_rate <= base["rate_p90"]  # the band spans it
                   else "brief_verdict_yes" if reach else "brief_verdict_no")
        scenarios = ". ".join(label("brief_scenario" if chance_shown(r) else "brief_scenario_no_chance",
                                    lang, scenario=_capital(scenario_name(s)), rate=fmt_pct(r["rate_median"], lang),
                                    low=fmt_pct(r["rate_p10"], lang), high=fmt_pct(r["rate_p90"], lang),
                                    chance=chance_text(r, "prob_reach", lang))  # no chance in a phase's first weeks
                              for s, r in rows.iterrows())
        out.append(label(verdict, lang, track=track_name(track, lang),
                         target=fmt_pct(target_rate, lang, 0), deadline=fmt_date(deadline, lang)) + " " + scenarios + ".")
    return out + young_phase_lines(tracks[tracks["track"].isin(active().projected)], lang)


def young_phase_lines(tracks: pd.DataFrame, lang: str) -> list[str]:
    """Beside the verdicts, in a phase's first weeks, one sentence: the projection may run low or high,
    and before ``WEEKS.start_after`` weeks no chance is given (``stages.chance_supported``)."""
    if tracks.empty or "weeks_in_phase" not in tracks:
        return []
    weeks = tracks["weeks_in_phase"].min()
    if not chances_shown(tracks).all():
        return [label("phase_too_young", lang, weeks=fmt_int(weeks, lang), start=WEEKS.start_after,
                      later=fmt_int(WEEKS.start_after - weeks, lang))]
    if weeks < WEEKS.early_warning:  # a campaign getting going is not (or barely) estimated
        return [label("phase_getting_going", lang, weeks=fmt_int(weeks, lang))]
    return []


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def pace_lines(projection: pd.DataFrame | None, lang: str) -> list[str]:
    """Per projected track: people needed each week to reach the target by the deadline, against the
    last four weeks' pace."""
    if projection is None or projection.empty:
        return []
    rows = projection[(projection["level"] == "track") & (projection["scenario"] == "no_campaign")]
    return [label("brief_pace", lang, track=track_name(r["track"], lang), needed=fmt_int(r["needed_per_week"], lang),
                  recent=fmt_int(r["recent_per_week"], lang), unit=counted_as(r["track"], lang))
            for _, r in rows.iterrows() if r["track"] in active().projected]


def central_lines(funnel: pd.DataFrame | None, lang: str) -> list[str]:
    """Per track, supported against recorded centrally; people and visits are never added together."""
    if funnel is None:
        return []
    rows = funnel[funnel["level"].isin(active().projected) & funnel["integrated_central"].notna()]
    return [label("brief_central", lang, track=track_name(r["level"], lang), supported=fmt_int(r["supported"], lang),
                  central=fmt_int(r["integrated_central"], lang), unit=counted_as(r["level"], lang),
                  share=fmt_pct(r["integrated_central"] / r["supported"], lang, 0))
            for _, r in rows.iterrows()]


def _names(frame: pd.DataFrame, lang: str, shown: int = 3) -> str:
    names = frame["name"].astype(str).tolist()
    more = len(names) - shown
    return label("names_more", lang, names=", ".join(names[:shown]), n=more) if more > 0 else ", ".join(names)


def actions(folder: Path, lang: str) -> list[tuple[str, str]]:
    """Three to five named actions, each with the link to the section that supports it."""
    out = []
    behind = read_table(folder, "action_list")
    if behind is not None and len(behind):
        order = {track: i for i, track in enumerate(active().track_ids)}
        behind = behind.assign(_order=behind["track"].map(order)).sort_values(["_order", "gap"], ascending=[True, False])
        for track, rows in behind.groupby("track", sort=False):
            out.append((label("brief_action_behind", lang, track=track_name(track, lang), n=len(rows), names=_names(rows, lang),
                              unit=counted_as(track, lang)),
                        "01_phase_results.html#scorecard"))
            if len(out) == 2:
                break
    missing = read_table(folder, "non_reporters")
    if missing is not None and len(missing):
        out.append((label("brief_action_reporting", lang, n=len(missing), names=_names(missing, lang)),
                    "01_phase_results.html#reporting"))
    funnel = read_table(folder, "funnel")
    if funnel is not None and funnel["integrated_central"].notna().any():
        out.append((label("brief_action_central", lang), "01_phase_results.html#funnel"))
    plan = read_table(folder, "outreach_plan")
    if plan is not None and len(plan) and plan["team_weeks"].sum() > 0:
        sent = plan[plan["team_weeks"] > 0].sort_values("team_weeks", ascending=False)
        out.append((_outreach_action(read_table(folder, "outreach_comparison"), read_table(folder, "headline"), sent, lang),
                    "04_outreach_plan.html#outreach"))
    return out[:5]


def _outreach_action(comparison: pd.DataFrame | None, headline: pd.DataFrame | None, sent: pd.DataFrame, lang: str) -> str:
    """Where to send the teams, and what the plan is expected to bring against no campaign (04's own figures)."""
    by = comparison.set_index("plan") if comparison is not None and len(comparison) else None
    if by is None or not {"optimised", "none"} <= set(by.index):
        return label("brief_action_outreach", lang, n=len(sent), names=_names(sent, lang))
    target = _main_target(headline)
    rate, base = float(by.loc["optimised", "expected_rate"]), float(by.loc["none", "expected_rate"])
    key = "brief_action_outreach_gain" if target is not None and rate < target else "brief_action_outreach_reach"
    return label(key, lang, n=len(sent), names=_names(sent, lang), rate=fmt_pct(rate, lang), base=fmt_pct(base, lang),
                 target=fmt_pct(target, lang, 0) if target is not None else "–")


def _main_target(headline: pd.DataFrame | None) -> float | None:
    """The outreach track's target from the headline table (None when it is not there)."""
    if headline is None or "target_rate" not in headline:
        return None
    rows = headline[headline["track"] == active().outreach_track]
    return float(rows["target_rate"].iloc[0]) if len(rows) else None


@dataclass(frozen=True)
class Brief:
    """The brief's content, read from the period's tables once: the index and the Word report both show it."""

    headline: pd.DataFrame  # headline.csv: one row per track
    verdicts: list[str]  # per projected track, the verdict at the deadline under each scenario
    pace: list[str]  # per projected track, the weekly pace needed against the last four weeks
    central: list[str]  # per track, supported against recorded centrally (people and visits apart)
    actions: list[tuple[str, str]]  # (action, link to the section that supports it)


def period_brief(folder: Path, params, options: dict | None = None) -> Brief | None:
    """The brief of the period whose tables are in ``folder`` (``options``: the run's notebook options, for the
    custom scenario's intensity); None when the headline is not there (a failed or partial run)."""
    from analysis.parameters import OPTIONS

    headline = read_table(folder, "headline")
    if headline is None:
        return None
    lang = params.lang
    intensity = (options or {}).get("intensity", OPTIONS["intensity"].default)
    projection = read_table(folder, "projection")
    return Brief(headline, verdicts(projection, params.deadline, params.target_rate, lang,
                                    lambda s: scenario_label(s, intensity, lang)),
                 pace_lines(projection, lang), central_lines(read_table(folder, "funnel"), lang), actions(folder, lang))


def brief_markup(brief: Brief | None, lang: str) -> str:
    """The brief's markup (escaped), or "" when there is no brief (a failed or partial run)."""
    if brief is None:
        return ""
    tiles = "".join(_tile(row, lang) for _, row in brief.headline.iterrows())
    paragraphs = [f'<p class="verdict">{esc(s)}</p>' for s in brief.verdicts]
    facts = brief.pace + brief.central
    todo = "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for text, href in brief.actions)
    return (f'<section class="brief"><div class="tiles">{tiles}</div>{"".join(paragraphs)}'
            f'<ul class="facts">{"".join(f"<li>{esc(s)}</li>" for s in facts)}</ul>'
            f'<h2>{esc(label("brief_actions", lang))}</h2><ol class="actions">{todo}</ol></section>')


def csv_list(folder: Path, lang: str) -> str:
    """Every CSV table beside the reports, with one line on what it holds (the main ones described)."""
    items = []
    for path in sorted(folder.glob("*.csv")):
        key = CSV_NOTES.get(path.stem)
        note = f" – {label(key, lang)}" if key else ""
        items.append(f'<li><a href="{esc(path.name)}">{esc(path.name)}</a>{esc(note)}</li>')
    return f"<ul class='csv'>{''.join(items)}</ul>"
