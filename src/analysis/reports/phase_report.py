"""The phase-results report as the reader sees it: sentences, tables and the page frame.

Turns the tables of ``phase_results`` into worded, formatted, escaped HTML in the report's
language. No analysis happens here.
"""

from __future__ import annotations

import pandas as pd

from analysis.data.campaign import active
from analysis.reports.frame import Parts, section, summary_box
from analysis.reports.labels import TEXT, counted_as, label, track_name, unit_type_name
from analysis.reports.present import (
    block,
    esc,
    fmt_date,
    fmt_decimal,
    fmt_int,
    fmt_pct,
    fmt_pp,
    html_table,
)


def headline_sentences(headline: pd.DataFrame, lang: str, since: pd.DataFrame | None = None) -> list[str]:
    """One short paragraph per track, every number from ``headline`` (and ``since``, the change
    since the previous period's report, from ``phase_results.period_change``)."""
    out = []
    before = since.set_index("track") if since is not None else pd.DataFrame()
    for _, row in headline.iterrows():
        parts = [label("headline_track", lang, track=track_name(row["track"], lang),
                       supported=fmt_int(row["supported"], lang), rate=fmt_pct(row["rate"], lang),
                       target=fmt_pct(row["target_rate"], lang, 0), achievement=fmt_pct(row["achievement"], lang))]
        parts.append(label("headline_reporting", lang, reported=row["n_reported"], expected=row["n_expected"]))
        if row["cf_n_carried"] > 0:
            parts.append(label("headline_carried", lang, n=int(row["cf_n_carried"]), rate=fmt_pct(row["cf_rate"], lang)))
        counted = counted_as(row["track"], lang)
        if row["n_reported"] < row["n_expected"]:  # a shortfall over the units that reported, bounded for the others
            parts.append(label("headline_gap_reported", lang, gap=fmt_int(row["gap_to_target"], lang),
                               reported=int(row["n_reported"]), counted=counted))
            if row["cf_n_carried"] > 0:
                parts.append(label("headline_gap_bounds", lang, n=int(row["cf_n_carried"]), counted=counted,
                                   gap=fmt_int(row["gap_to_target"], lang), gap_cf=fmt_int(row["cf_gap_to_target"], lang)))
            if row["n_never"] > 0:
                parts.append(label("headline_gap_never", lang, n=int(row["n_never"])))
        elif row["gap_to_target"] > 0:
            parts.append(label("headline_gap", lang, gap=fmt_int(row["gap_to_target"], lang), counted=counted))
        if pd.notna(row["previous_rate"]):
            parts.append(label("headline_previous", lang, date=fmt_date(row["previous_as_of"], lang),
                               rate=fmt_pct(row["previous_rate"], lang), change=fmt_pp(row["change_pp"], lang)))
        if row["track"] in before.index:
            last = before.loc[row["track"]]
            parts.append(label("headline_period", lang, period=last["previous_period"],
                               date=fmt_date(last["previous_as_of"], lang), rate=fmt_pct(last["previous_rate"], lang),
                               change=fmt_pp(last["change_pp"], lang)))
        out.append(" ".join(parts))
    return out


def headline_columns(lang: str) -> list:
    """The headline table's columns (field, header, formatter): the HTML appendix and the Word report use them."""
    return [
        ("track", label("col_track", lang), lambda v: track_name(v, lang)),
        ("n_reported", label("col_units", lang), str),
        ("eligible", label("col_eligible", lang), lambda v: fmt_int(v, lang)),
        ("supported", label("col_supported", lang), lambda v: fmt_int(v, lang)),
        ("rate", label("col_rate", lang), lambda v: fmt_pct(v, lang)),
        ("target_rate", label("col_target", lang), lambda v: fmt_pct(v, lang, 0)),
        ("achievement", label("col_achievement", lang), lambda v: fmt_pct(v, lang)),
        ("gap_to_target", label("col_gap", lang), lambda v: fmt_int(v, lang)),
        ("cf_rate", label("col_cf_rate", lang), lambda v: fmt_pct(v, lang)),
        ("previous_rate", label("col_previous", lang), lambda v: fmt_pct(v, lang)),
        ("change_pp", label("col_change", lang), lambda v: fmt_pp(v, lang)),
    ]


def headline_rows(headline: pd.DataFrame) -> pd.DataFrame:
    """The headline as its table shows it: who reported as ``13/19``."""
    return headline.assign(n_reported=headline["n_reported"].astype(int).astype(str) + "/"
                           + headline["n_expected"].astype(int).astype(str))


def headline_table(headline: pd.DataFrame, lang: str) -> object:
    """The headline as a table: one row per track."""
    return block(html_table(headline_rows(headline), headline_columns(lang)))


def central_sentences(status: dict, headline: pd.DataFrame, lang: str) -> list[str]:
    """The national system's rate and rank, and the gap between supported and centrally recorded."""
    out = []
    if status["rate"] is not None:
        change = ""
        if status["rank_change"] is not None:
            k = status["rank_change"]
            change = label("rank_up" if k > 0 else "rank_down" if k < 0 else "rank_same", lang, k=abs(k))
        out.append(label("central_rate", lang, rate=fmt_pct(status["rate"], lang),
                         date=fmt_date(status["rate_as_of"], lang), rank=status["rank"] or "–",
                         n=status["n_provinces"] or "–", change=change))
    tracks = headline.set_index("track")
    people, visits = active().main_track, active().counting("visits")
    if status["integrated_central"] is not None and visits and {people, visits} <= set(tracks.index):
        residents, facilities = tracks.loc[people, "supported"], tracks.loc[visits, "supported"]
        out.append(label("central_count", lang, residents=fmt_int(residents, lang), facilities=fmt_int(facilities, lang),
                         supported=fmt_int(residents + facilities, lang),  # the department's report quotes the sum
                         central=fmt_int(status["integrated_central"], lang),
                         date=fmt_date(status["central_as_of"], lang)))
    return out






def headline_section(headline: pd.DataFrame, status: dict, lang: str, since: pd.DataFrame | None = None) -> Parts:
    """Headline: each track against the target, the previous phase and the previous period's report,
    then the central view."""
    sentences = headline_sentences(headline, lang, since) + central_sentences(status, headline, lang)
    return (section("headline", lang, sentences),)


def headline_table_section(headline: pd.DataFrame, lang: str) -> Parts:
    """For the appendix: the headline as one table, every figure of the sentences side by side."""
    return (section("headline", lang, [], headline_table(headline, lang).data),)


def target_on(target: pd.DataFrame, date: pd.Timestamp) -> float:
    """The target line's value on ``date`` (0 at the campaign's start, the target at the deadline)."""
    (t0, t1), (r0, r1) = target["as_of"].tolist(), target["rate"].tolist()
    share = (pd.Timestamp(date) - t0) / (t1 - t0)
    return float(r0 + (r1 - r0) * min(max(share, 0.0), 1.0))


def monitoring_section(series: pd.DataFrame, target: pd.DataFrame, history: pd.DataFrame,
                       phases: pd.DataFrame, deadline, lang: str, projection: pd.DataFrame | None = None) -> Parts:
    """Progress over time: sentence on the residents' pace against the target line, then the chart
    (with the residents' no-campaign projection when ``projection``, the fans of ``project_scenarios``, is given)."""
    from analysis.reports.figures import monitoring_chart

    sentences = []
    residents = series[series["track"] == active().main_track]
    if len(residents):
        last = residents.iloc[-1]
        expected = target_on(target, last["as_of"])
        gap = expected - last["rate"]
        verdict = label("on_track", lang) if gap <= 0 else label("behind", lang, gap=fmt_pp(100 * gap, lang).split(" ", 1)[1])
        sentences.append(label("monitoring_text", lang, date=fmt_date(last["as_of"], lang), rate=fmt_pct(last["rate"], lang),
                               expected=fmt_pct(expected, lang), verdict=verdict))
    sentences.append(label("monitoring_note", lang))
    return section("monitoring", lang, sentences), monitoring_chart(series, target, history, phases, deadline, lang,
                                                              projection)


STATUS_MARKS = {"green": "●", "amber": "◐", "red": "○"}  # the traffic light without its colour (print, colour blindness)


def _marked_achievement(frame: pd.DataFrame, lang: str) -> list[str]:
    """Each unit's % of target with its status mark (full, half, empty), or 'did not report'."""
    return [f"{STATUS_MARKS.get(status, '')} {fmt_pct(value, lang)}".strip() if pd.notna(value)
            else label("not_reported", lang) for value, status in zip(frame["achievement"], frame["status"])]


def _status_class(row: pd.Series) -> str:
    return f"{row['status']} {row['position']}".strip()


def league_section(league: pd.DataFrame, thresholds, lang: str) -> Parts:
    """League table grouped by track: rank, unit, type, rate, % of target, change with arrow, colour."""
    green = league[(league["status"] == "green") & ~league["track"].isin(active().own_target)]
    names = ", ".join(f"{n} ({fmt_pct(a, lang)})" for n, a in zip(green["name"], green["achievement"]))
    text = label("league_text", lang, n_green=len(green), names=names or "–",
                 green=fmt_pct(thresholds.green, lang, 0), amber=fmt_pct(thresholds.amber, lang, 0))
    columns = [
        ("rank", label("col_rank", lang), lambda v: "–" if pd.isna(v) else str(int(v))),
        ("name", label("col_unit", lang), str),
        ("unit_type", label("col_unit_type", lang), lambda v: unit_type_name(v, lang)),
        ("supported", label("col_supported", lang), lambda v: fmt_int(v, lang)),
        ("eligible", label("col_eligible", lang), lambda v: fmt_int(v, lang)),
        ("rate", label("col_rate", lang), lambda v: fmt_pct(v, lang)),
        ("achievement_marked", label("col_achievement", lang), str),
        ("change_pp", label("col_change", lang), lambda v: fmt_pp(v, lang)),
    ]
    marked = league.assign(achievement_marked=_marked_achievement(league, lang))
    tables = [html_table(group, columns, _status_class, caption=track_name(track, lang))
              for track, group in marked.groupby("track", sort=False)]
    return (section("league", lang, [text], *tables),)


def scorecard_section(league: pd.DataFrame, actions: pd.DataFrame, thresholds, lang: str, split_above: int = 20,
                      short_name: int = 24) -> Parts:
    """Every unit's standing in one compact table per track: rate, achievement (traffic light), change,
    the weekly pace needed against the last four weeks', and whether it reported. A track of more
    than ``split_above`` units whose names are short (``short_name`` characters at most, as communes'
    are) is shown in two columns side by side (read down the left one first), so that the table of
    every unit fits the report's first pages."""
    pace = actions.set_index("code")[["needed_per_week", "recent_per_week"]] if len(actions) else None
    frame = league.assign(achievement_marked=_marked_achievement(league, lang))
    for column in ("needed_per_week", "recent_per_week"):
        frame[column] = frame["code"].map(pace[column]) if pace is not None else float("nan")
    green = league[(league["status"] == "green") & ~league["track"].isin(active().own_target)]
    own = [active().track(t).short[lang] for t in active().own_target if t in set(league["track"])]
    aside = label("scorecard_aside", lang, tracks=", ".join(own)) if own else ""
    units = list(dict.fromkeys(counted_as(t, lang) for t in league["track"].unique()))  # people, visits: each once
    text = label("scorecard_text", lang, n_green=len(green), aside=aside, green=fmt_pct(thresholds.green, lang, 0),
                 amber=fmt_pct(thresholds.amber, lang, 0), unit=label("or_join", lang).join(units))
    columns = [("name", label("col_unit", lang), str),
               ("rate", label("col_rate", lang), lambda v: fmt_pct(v, lang)),
               ("achievement_marked", label("col_achievement", lang), str),
               ("change_pp", label("col_change_points", lang), lambda v: fmt_pp(v, lang, 1, unit=False)),
               ("needed_per_week", label("col_needed", lang), lambda v: fmt_int(v, lang)),
               ("recent_per_week", label("col_recent", lang), lambda v: fmt_int(v, lang))]
    tables = []
    for track, group in frame.groupby("track", sort=False):
        if len(group) <= split_above or group["name"].astype(str).str.len().max() > short_name:
            tables.append(html_table(group, columns, _status_class, caption=track_name(track, lang)))
            continue
        half = (len(group) + 1) // 2
        pair = "".join(html_table(part, columns, _status_class) for part in (group.iloc[:half], group.iloc[half:]))
        tables.append(f'<h3 class="caption">{esc(track_name(track, lang))}</h3><div class="columns">{pair}</div>')
    return (section("scorecard", lang, [text], f'<div class="scorecard">{"".join(tables)}</div>'),)


def summary(headline: pd.DataFrame, status: dict, missing: pd.DataFrame, findings: pd.DataFrame, lang: str) -> Parts:
    """The answer first: each track against the target with who has not reported, the central record,
    and how many data-quality findings the appendix lists."""
    sentences = []
    for _, row in headline.iterrows():
        absent = missing[missing["track"] == row["track"]] if len(missing) else missing
        text = label("summary_track", lang, track=track_name(row["track"], lang), rate=fmt_pct(row["rate"], lang),
                     target=fmt_pct(row["target_rate"], lang, 0), reported=int(row["n_reported"]),
                     expected=int(row["n_expected"]))
        if len(absent):
            text += " " + label("summary_missing", lang, n=len(absent), names=", ".join(absent["name"].astype(str)))
        sentences.append(text)
    sentences += central_sentences(status, headline, lang)[:1]
    if len(findings):
        sentences.append(label("summary_findings", lang, n=len(findings)))
    return summary_box(lang, sentences)


def unit_types_section(summary: pd.DataFrame, lang: str) -> Parts:
    """Unit types compared: the kind of facility furthest behind against the one furthest ahead (the
    table of every kind and the distribution chart are in the appendix: ``unit_types_table``,
    ``detail_charts``)."""
    facilities = summary[summary["track"] == active().counting("visits")].sort_values("pooled_rate")
    sentences = []
    if len(facilities) >= 2:
        low, high = facilities.iloc[0], facilities.iloc[-1]
        sentences.append(label("unit_types_text", lang, type_low=unit_type_name(low["unit_type"], lang),
                               low_rate=fmt_pct(low["pooled_rate"], lang), low_median=fmt_pct(low["median_rate"], lang),
                               type_high=unit_type_name(high["unit_type"], lang), high_rate=fmt_pct(high["pooled_rate"], lang)))
    return (section("unit_types", lang, sentences),)


def unit_types_table(summary: pd.DataFrame, lang: str) -> Parts:
    """Every kind of unit: units reporting, pooled rate, median and range, units at target (appendix)."""
    frame = summary.assign(range=[f"{fmt_pct(a, lang)} – {fmt_pct(b, lang)}" for a, b in zip(summary["min_rate"], summary["max_rate"])],
                           units=summary["n_reported"].astype(str) + "/" + summary["n_units"].astype(str))
    columns = [("unit_type", label("col_unit_type", lang), lambda v: unit_type_name(v, lang)),
               ("units", label("col_units", lang), str),
               ("pooled_rate", label("col_pooled", lang), lambda v: fmt_pct(v, lang)),
               ("median_rate", label("col_median", lang), lambda v: fmt_pct(v, lang)),
               ("range", label("col_range", lang), str),
               ("n_at_target", label("col_at_target", lang), str)]
    return (section("unit_types_table", lang, [], html_table(frame, columns)),)


def funnel_section(funnel: pd.DataFrame, lang: str) -> Parts:
    """The funnel from supported to centrally recorded (the quadrant chart of units is in the
    appendix: ``detail_charts``)."""
    from analysis.reports.figures import funnel_chart

    sentences = []
    conversion = funnel.set_index("level")["central_conversion"]
    people, visits = active().main_track, active().counting("visits")
    if visits and pd.notna(conversion.get(people)) and pd.notna(conversion.get(visits)):
        sentences.append(label("funnel_text", lang, residents=fmt_pct(conversion[people], lang, 1),
                               facilities=fmt_pct(conversion[visits], lang, 1)))
    return section("funnel", lang, sentences), funnel_chart(funnel, lang)


def reporting_section(completeness: pd.DataFrame, missing: pd.DataFrame, lang: str) -> Parts:
    """Who reported on the report date, who is late, who never or no longer reports, named (the
    table of those units and the chart of reports over time are in the appendix)."""
    last = completeness[completeness["as_of"] == completeness["as_of"].max()]
    sentences = []
    for _, row in last.iterrows():
        late = "–" if pd.isna(row["n_late"]) else int(row["n_late"])
        sentences.append(f"{track_name(row['track'], lang)}: " + label(
            "reporting_text", lang, date=fmt_date(row["as_of"], lang), reported=row["n_reported"],
            expected=row["n_expected"], late=late))
    for kind, units in (missing.groupby("kind", sort=False) if len(missing) else []):
        names = [f"{name} ({fmt_date(last, lang)})" if pd.notna(last) else str(name)
                 for name, last in zip(units["name"], units["last_reported"])]
        sentences.append(label("reporting_names", lang, kind=label(f"kind_{kind}", lang).capitalize(),
                               names=", ".join(names)))
    return (section("reporting", lang, sentences),)


def non_reporters_section(missing: pd.DataFrame, lang: str) -> Parts:
    """The units that have not reported, for the appendix: track, kind, last report, reports missed."""
    columns = [("name", label("col_unit", lang), str),
               ("track", label("col_track", lang), lambda v: track_name(v, lang)),
               ("kind", label("col_kind", lang), lambda v: label(f"kind_{v}", lang)),
               ("last_reported", label("col_last", lang), lambda v: fmt_date(v, lang)),
               ("missed_reports", label("col_missed", lang), str),
               ("last_supported", label("col_supported", lang), lambda v: fmt_int(v, lang))]
    if missing.empty:
        return ()
    return (section("non_reporters", lang, [], html_table(missing, columns)),)


def finding_detail(row: pd.Series, lang: str) -> str:
    """What a finding saw, in the reader's words (the CSV keeps the English detail)."""
    key = f"dqd_{row['kind']}"
    if key not in TEXT:
        return str(row.get("detail", ""))
    value, reference = row.get("value"), row.get("reference")
    if row["kind"] == "unusual_jump":
        value, reference = fmt_decimal(float(value), lang, 1), fmt_decimal(float(reference), lang, 1)
    elif row["kind"] == "stated_rate_mismatch":
        value, reference = fmt_pct(float(value), lang), fmt_pct(float(reference), lang)
    elif row["kind"] in ("falling_count", "total_mismatch"):
        value, reference = fmt_int(float(value), lang), fmt_int(float(reference), lang)
    return label(key, lang, value=value, reference=reference)


def data_quality_section(findings: pd.DataFrame, lang: str) -> Parts:
    """Every data-quality finding with the unit, date and place in the file."""
    def where(row: pd.Series) -> str:
        parts = [row["file"], f"row {int(row['row'])}" if pd.notna(row["row"]) else None, row["column"]]
        return ", ".join(str(p) for p in parts if isinstance(p, str) or (p is not None and pd.notna(p)))

    frame = findings.assign(where=[where(r) for _, r in findings.iterrows()],
                            finding=[label(f"dq_{k}", lang) if f"dq_{k}" in TEXT else k for k in findings["kind"]],
                            detail=[finding_detail(r, lang) for _, r in findings.iterrows()])
    columns = [("finding", label("col_finding", lang), str),
               ("unit_name", label("col_unit", lang), lambda v: "–" if pd.isna(v) else str(v)),
               ("as_of", label("col_date", lang), lambda v: fmt_date(v, lang)),
               ("where", label("col_where", lang), str),
               ("detail", label("col_detail", lang), str)]
    table = html_table(frame, columns) if len(frame) else ""
    return (section("data_quality", lang, [label("data_quality_text", lang, n=len(findings))], table),)


def actions_section(actions: pd.DataFrame, deadline, lang: str, shown: int = 15) -> Parts:
    """Units needing action: the largest gaps first, with the weekly pace needed vs their recent pace."""
    weeks = actions["weeks_left"].iloc[0] if len(actions) else float("nan")
    top = actions.sort_values("gap", ascending=False).head(shown)
    counts = actions["track"].value_counts()
    by_track = ", ".join(f"{track_name(t, lang)}: {int(counts[t])}" for t in active().track_ids if t in counts)
    text = label("actions_text", lang, n=len(actions), weeks=fmt_decimal(weeks, lang, 1),
                 deadline=fmt_date(deadline, lang), shown=len(top), by_track=by_track)
    columns = [("name", label("col_unit", lang), str),
               ("track", label("col_track", lang), lambda v: track_name(v, lang)),
               ("achievement", label("col_achievement", lang), lambda v: fmt_pct(v, lang)),
               ("gap", label("col_gap", lang), lambda v: fmt_int(v, lang)),
               ("needed_per_week", label("col_needed", lang), lambda v: fmt_int(v, lang)),
               ("recent_per_week", label("col_recent", lang), lambda v: fmt_int(v, lang)),
               ("reason", label("col_reason", lang), lambda v: label(f"reason_{v}", lang))]
    return (section("actions", lang, [text], html_table(top, columns, lambda r: r["status"]) if len(top) else ""),)


def context_section(status: dict, lang: str) -> Parts:
    """The province's central rate and rank (the chart of both over time and of every province's
    rate is in the appendix: ``detail_charts``)."""
    return (section("context", lang, central_sentences({**status, "integrated_central": None},
                                                       pd.DataFrame(columns=["track"]), lang)),)


def detail_charts(league: pd.DataFrame, quadrants: pd.DataFrame, completeness: pd.DataFrame,
                  history: pd.DataFrame, ranking: pd.DataFrame, province: str, thresholds, target_rate: float,
                  lang: str) -> Parts:
    """The charts behind the body's tables, for the appendix: unit rates by type, units by supported
    and centrally recorded (quadrants), reports received over time, the province among provinces."""
    from analysis.reports.figures import (
        completeness_chart,
        province_chart,
        quadrant_chart,
        unit_type_chart,
    )

    charts, sentences = [unit_type_chart(league, target_rate, lang)], [label("detail_charts_text", lang)]
    if len(quadrants):
        counts = quadrants["quadrant"].value_counts()
        sentences.append(label("quadrant_text", lang, n_exchange=int(counts.get("data_exchange", 0)),
                               n_outreach=int(counts.get("outreach", 0))))
        charts.append(quadrant_chart(quadrants, thresholds.amber, lang))
    charts.append(completeness_chart(completeness, lang))
    if not history.empty and history["rank"].notna().any():  # a central table may give rates but no rank
        charts.append(province_chart(history.dropna(subset=["rank"]), ranking, province, lang))
    return (section("detail_charts", lang, sentences), *charts)



