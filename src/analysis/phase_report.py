"""The phase-results report as the reader sees it: sentences, tables and the page frame.

Turns the tables of ``phase_results`` into worded, formatted, escaped HTML in the report's
language. No analysis happens here.
"""

from __future__ import annotations

import pandas as pd

from analysis.dataset import Dataset
from analysis.labels import label, track_name
from analysis.parameters import Params
from analysis.present import block, esc, fmt_date, fmt_int, fmt_pct, fmt_pp, html_table, paragraphs, provenance_lines


def title_block(params: Params, dataset: Dataset, title_key: str = "report_title") -> object:
    """The report's title and one line of context (province, as-of date, target)."""
    lang = params.lang
    sub = label("subtitle", lang, province=params.province, as_of=fmt_date(params.as_of, lang),
                target=fmt_pct(params.target_rate, lang, 0))
    return block(f"<h1>{esc(label(title_key, lang))}</h1><p class='subtitle'>{esc(sub)}</p>")


def headline_sentences(headline: pd.DataFrame, lang: str) -> list[str]:
    """One short paragraph per track, every number from ``headline``."""
    out = []
    for _, row in headline.iterrows():
        parts = [label("headline_track", lang, track=track_name(row["track"], lang),
                       supported=fmt_int(row["supported"], lang), rate=fmt_pct(row["rate"], lang),
                       target=fmt_pct(row["target_rate"], lang, 0), achievement=fmt_pct(row["achievement"], lang))]
        parts.append(label("headline_reporting", lang, reported=row["n_reported"], expected=row["n_expected"]))
        if row["cf_n_carried"] > 0:
            parts.append(label("headline_carried", lang, n=int(row["cf_n_carried"]), rate=fmt_pct(row["cf_rate"], lang)))
        if row["gap_to_target"] > 0:
            parts.append(label("headline_gap", lang, gap=fmt_int(row["gap_to_target"], lang)))
        if pd.notna(row["previous_rate"]):
            parts.append(label("headline_previous", lang, date=fmt_date(row["previous_as_of"], lang),
                               rate=fmt_pct(row["previous_rate"], lang), change=fmt_pp(row["change_pp"], lang)))
        out.append(" ".join(parts))
    return out


def headline_table(headline: pd.DataFrame, lang: str) -> object:
    """The headline as a table: one row per track."""
    columns = [
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
    frame = headline.assign(n_reported=headline["n_reported"].astype(str) + "/" + headline["n_expected"].astype(str))
    return block(html_table(frame, columns))


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
    if status["integrated_central"] is not None:
        supported = headline[headline["track"].isin(["residents", "facilities"])]["supported"].sum()
        out.append(label("central_count", lang, supported=fmt_int(supported, lang),
                         central=fmt_int(status["integrated_central"], lang),
                         date=fmt_date(status["central_as_of"], lang)))
    return out


def footer(params: Params, dataset: Dataset) -> object:
    """Provenance at the foot of every report: data source, parameters, synthetic-data notice."""
    assumed = dataset.phases.loc[dataset.phases["assumed"], "name"].tolist()
    lines = provenance_lines(params.as_notebook_parameters(), dataset.provenance, assumed, params.lang)
    return paragraphs(lines, css="footer")


def section(title_key: str, lang: str, sentences: list[str] = (), *parts: str) -> object:
    """A report section: heading, sentences, then tables or figures (markup built in ``present``)."""
    text = "".join(f'<p class="lead">{esc(s)}</p>' for s in sentences if s)
    return block(f"<h2>{esc(label(title_key, lang))}</h2>{text}{''.join(parts)}")


def headline_section(headline: pd.DataFrame, status: dict, lang: str) -> object:
    """Headline: each track against the target and the previous phase, then the central view."""
    sentences = headline_sentences(headline, lang) + central_sentences(status, headline, lang)
    return section("headline", lang, sentences, headline_table(headline, lang).data)
