"""The projection report as the reader sees it: scenarios side by side, the pace required, the fan chart."""

from __future__ import annotations

import pandas as pd

from analysis.analyses.projection import MIN_DATES, WEEKS
from analysis.data.campaign import active
from analysis.reports import figures
from analysis.reports.brief import scenario_label
from analysis.reports.frame import Parts, section, summary_box
from analysis.reports.labels import chart_label, counted_as, label, track_name
from analysis.reports.present import (
    chance_column,
    chance_shown,
    chance_text,
    chances_shown,
    fmt_date,
    fmt_int,
    fmt_pct,
    html_table,
)


def levels() -> list[str]:
    """The projected tracks, one chart panel each: people and patient visits are never added."""
    return active().projected


def level_name(level: str, lang: str) -> str:
    """The reader's name of a projection level (province or track)."""
    return chart_label("province", lang) if level == "province" else track_name(level, lang)


def _date_text(row: pd.Series, lang: str) -> str:
    """The median date the target is reached, not given where the chance is not (a phase's first weeks)."""
    if not chance_shown(row):
        return label("chance_too_early", lang)
    value = row["median_date_reached"]
    return fmt_date(value, lang) if pd.notna(value) else label("not_by_deadline", lang)


def projection_section(table: pd.DataFrame, observed: pd.DataFrame, fans: pd.DataFrame, target_rate: float,
                       deadline, intensity: float, paths: int, lang: str) -> Parts:
    """Each track under each scenario, side by side, then the fan chart (no figure adds a track to another)."""
    if table.empty:
        return (section("projection", lang, [label("trend_needs_dates", lang, n=MIN_DATES)]),)
    sentences, rows = [], table[(table["level"] == "track") & table["track"].isin(levels())]
    for _, r in rows[rows["track"] == active().main_track].iterrows():
        date = (label("reached_on", lang, date=fmt_date(r["median_date_reached"], lang))
                if pd.notna(r["median_date_reached"]) and chance_shown(r) else "")  # a date is a chance too
        sentences.append(label("projection_sentence", lang, level=level_name(r["track"], lang),
                               scenario=scenario_label(r["scenario"], intensity, lang), deadline=fmt_date(deadline, lang),
                               median=fmt_pct(r["rate_median"], lang), p10=fmt_pct(r["rate_p10"], lang),
                               p90=fmt_pct(r["rate_p90"], lang), p025=fmt_pct(r["rate_p025"], lang),
                               p975=fmt_pct(r["rate_p975"], lang), target=fmt_pct(target_rate, lang, 0),
                               prob=chance_text(r, "prob_reach", lang), date=date))
    for track in [t for t in levels() if t not in set(rows["track"])]:
        sentences.append(label("track_not_projected", lang, track=level_name(track, lang)))
    # a phase's first weeks: the warnings are with the answer, in the summary (``brief.young_phase_lines``)

    frame = rows.assign(band=[f"{fmt_pct(a, lang)} – {fmt_pct(b, lang)}" for a, b in zip(rows["rate_p10"], rows["rate_p90"])])
    columns = [("scenario", label("col_scenario", lang), lambda v: scenario_label(v, intensity, lang)),
               ("rate_now", label("col_rate", lang), lambda v: fmt_pct(v, lang)),
               ("rate_median", label("col_projected", lang), lambda v: fmt_pct(v, lang)),
               ("band", label("col_band80", lang), str),
               chance_column("prob_reach", label("col_prob", lang), lang),
               ("median_date_reached", label("col_date_reached", lang), lambda row: _date_text(row, lang), "row")]
    names = {s: scenario_label(s, intensity, lang) for s in fans["scenario"].unique()}
    chart = figures.fan_chart(observed, fans, levels(), [level_name(x, lang) for x in levels()], names, target_rate,
                              deadline, lang)
    tables = [html_table(part, columns, caption=level_name(track, lang))  # one table per track: never added
              for track, part in frame.groupby("track", sort=False)]
    return section("projection", lang, sentences, *tables), chart


def pace_section(table: pd.DataFrame, intensity: float, lang: str, shown: int = 15) -> Parts:
    """People per week needed to reach the target by the deadline, next to the last four weeks' pace."""
    if table.empty:
        return ()
    main = table[table["scenario"] == "no_campaign"]
    tracks = main[(main["level"] == "track") & main["track"].isin(levels())]
    sentences = [label("pace_sentence", lang, level=level_name(r["track"], lang), needed=fmt_int(r["needed_per_week"], lang),
                       recent=fmt_int(r["recent_per_week"], lang), unit=counted_as(r["track"], lang))
                 for _, r in tracks.iterrows()]
    units = main[(main["level"] == "unit") & main["track"].isin(levels())]
    if chances_shown(units).all():  # no count of chances withheld
        likely = int((units["prob_reach"] >= 0.5).sum())
        sentences.append(label("units_reaching", lang, scenario=scenario_label("no_campaign", intensity, lang),
                               n=likely, total=len(units)))
    behind = units.assign(ratio=units["needed_per_week"] / units["recent_per_week"].where(units["recent_per_week"] > 0))
    behind = behind.sort_values("needed_per_week", ascending=False).head(shown)
    columns = [("name", label("col_unit", lang), str), ("track", label("col_track", lang), lambda v: track_name(v, lang)),
               ("rate_now", label("col_rate", lang), lambda v: fmt_pct(v, lang)),
               ("needed_per_week", label("col_needed", lang), lambda v: fmt_int(v, lang)),
               ("recent_per_week", label("col_recent", lang), lambda v: fmt_int(v, lang)),
               chance_column("prob_reach", label("col_prob", lang), lang)]
    return (section("pace", lang, sentences, html_table(behind, columns)),)


def summary(table: pd.DataFrame, target_rate: float, deadline, intensity: float, lang: str) -> Parts:
    """The answer first: per track, on course or not at the deadline under each scenario, and the pace needed
    (the same sentences as the brief's)."""
    from analysis.reports.brief import pace_lines, verdicts

    if table.empty:
        return summary_box(lang, [label("trend_needs_dates", lang, n=MIN_DATES)])
    said = verdicts(table, deadline, target_rate, lang, lambda s: scenario_label(s, intensity, lang))
    return summary_box(lang, said + pace_lines(table, lang))


def method(paths: int, lang: str) -> Parts:
    """How the projection is made, for the appendix."""
    return (section("method", lang, [label("projection_method", lang, paths=fmt_int(paths, lang), start=WEEKS.start_after)]),)
