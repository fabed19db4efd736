"""The national comparison as the reader sees it: the ranking, its sentences, the chart, the links."""

from __future__ import annotations

import pandas as pd

from analysis.analyses.stages import WEEKS
from analysis.reports import figures
from analysis.reports.frame import Parts, section, title_markup
from analysis.reports.labels import label
from analysis.reports.present import (
    block,
    chance_column,
    chances_shown,
    esc,
    fmt_date,
    fmt_int,
    fmt_pct,
    fmt_pp,
    html_table,
)


def title_block(table: pd.DataFrame, as_of, deadline, target_rate: float, lang: str) -> Parts:
    """Title and one line of context: how many provinces, the date, the target and deadline."""
    sub = label("national_subtitle", lang, n=len(table), as_of=fmt_date(as_of, lang),
                target=fmt_pct(target_rate, lang, 0), deadline=fmt_date(deadline, lang))
    return (block(title_markup(label("national_title", lang), sub)),)


def _rank_change(value, lang: str) -> str:
    if pd.isna(value):
        return "–"
    k = int(value)
    return f"▲ {k}" if k > 0 else f"▼ {-k}" if k < 0 else "="


def sentences(table: pd.DataFrame, target_rate: float, deadline, lang: str) -> list[str]:
    """Who leads and who trails, who moved, how many have data and what the projection says."""
    top, bottom = table.iloc[0], table.iloc[-1]
    out = [label("national_lead", lang, date=fmt_date(top["central_as_of"], lang), top=top["province"],
                 top_rate=fmt_pct(top["central_rate"], lang), bottom=bottom["province"],
                 bottom_rate=fmt_pct(bottom["central_rate"], lang),
                 above=int((table["central_rate"] >= target_rate).sum()), n=len(table),
                 target=fmt_pct(target_rate, lang, 0))]
    moves = table.dropna(subset=["rank_change"])
    if len(moves) and moves["rank_change"].max() > 0 and moves["rank_change"].min() < 0:
        up, down = moves.loc[moves["rank_change"].idxmax()], moves.loc[moves["rank_change"].idxmin()]
        out.append(label("national_movers", lang, up=up["province"], k_up=int(up["rank_change"]),
                         down=down["province"], k_down=int(-down["rank_change"])))
    out.append(label("national_with_data", lang, k=int(table["has_data"].sum()), n=len(table)))
    chances = table[table["prob_no_campaign"].notna() & chances_shown(table)]
    if len(chances):  # no count of the chances withheld in a phase's first weeks
        out.append(label("national_projection", lang, k=int((chances["prob_no_campaign"] >= 0.5).sum()),
                         k2=int((chances["prob_campaign"] >= 0.5).sum()), target=fmt_pct(target_rate, lang, 0),
                         deadline=fmt_date(deadline, lang)))
    if len(chances) < table["prob_no_campaign"].notna().sum():
        out.append(label("chance_withheld", lang, weeks=WEEKS.start_after))
    out.append(label("national_method", lang))
    return out


def ranking_section(table: pd.DataFrame, target_rate: float, deadline, lang: str) -> Parts:
    """The ranking: sentences, the table of every province, then the chart."""
    columns = [("rank", label("col_rank", lang), lambda v: fmt_int(v, lang)),
               ("province", label("col_province", lang), str),
               ("central_rate", label("col_central_rate", lang), lambda v: fmt_pct(v, lang)),
               ("central_change_pp", label("col_central_change", lang), lambda v: fmt_pp(v, lang)),
               ("rank_change", label("col_rank_change", lang), lambda v: _rank_change(v, lang)),
               ("rate_now", label("col_residents_rate", lang), lambda v: fmt_pct(v, lang)),
               ("change_pp", label("col_residents_change", lang), lambda v: fmt_pp(v, lang)),
               chance_column("prob_no_campaign", label("col_prob_none", lang), lang),
               ("median_no_campaign", label("col_median_none", lang), lambda v: fmt_pct(v, lang)),
               chance_column("prob_campaign", label("col_prob_campaign", lang), lang)]
    chart = figures.national_chart(table, target_rate, lang)
    return section("national_ranking", lang, sentences(table, target_rate, deadline, lang),
                   html_table(table, columns)), chart


def links_section(table: pd.DataFrame, lang: str) -> Parts:
    """Links to the provinces' own reports rendered in this run (relative, inside the report folder)."""
    rendered = table[table["has_data"] & (table["folder"] != "")]
    items = "".join(f'<li><a href="{esc(f)}/index.html">{esc(p)}</a></li>'
                    for f, p in zip(rendered["folder"], rendered["province"]))
    return (section("national_reports", lang, [], f"<ul class='links'>{items}</ul>" if items else ""),)

