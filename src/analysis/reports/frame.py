"""The page frame shared by every report and index: title, sections, files read, footer, document.

Every report function that a notebook displays returns ``Parts`` (a tuple of displayable
objects), so each notebook cell reads alike: ``display(*module.some_section(...))``.
"""

from __future__ import annotations

import base64

import pandas as pd

from analysis.analyses.phase_results import phase_of
from analysis.config import TEMPLATE_DIR
from analysis.data.dataset import Dataset
from analysis.parameters import Params
from analysis.reports.labels import label, phase_name
from analysis.reports.present import (
    block,
    esc,
    fmt_date,
    fmt_int,
    fmt_pct,
    html_table,
    paragraphs,
    provenance_lines,
)

Parts = tuple  # what a report function returns: HTML blocks and figures, in reading order


def title_markup(title: str, subtitle: str) -> str:
    """The title and its one line of context, as markup (both escaped)."""
    return f"<h1>{esc(title)}</h1><p class='subtitle'>{esc(subtitle)}</p>"


def subtitle(params: Params, dataset: Dataset | None = None) -> str:
    """One line of context under a report's title: province, the phase the as-of date falls in (its
    name and dates, with ``dataset``), as-of date, target."""
    lang = params.lang
    line = label("subtitle", lang, province=params.province, as_of=fmt_date(params.as_of, lang),
                 target=fmt_pct(params.target_rate, lang, 0))
    k = phase_of(dataset.phases, pd.Timestamp(params.as_of)) if dataset is not None else None
    if k is None:
        return line
    phase = dataset.phases.iloc[k]
    dates = f"{fmt_date(phase['start'], lang)} – {fmt_date(phase['end'], lang)}"
    return line.replace(" · ", f" · {phase_name(phase['name'], lang)} ({dates}) · ", 1)


def title_block(params: Params, title_key: str = "report_title", dataset: Dataset | None = None) -> Parts:
    """The report's title and one line of context (province, as-of date, target), under a link back to
    the brief (``index.html`` beside the report); with ``dataset``, the synthetic-data notice where it
    applies, under the title (the reader knows before the first figure; the source, assumed phases
    and parameters are in the appendix, ``provenance``)."""
    back = f'<p class="back"><a href="index.html">{esc(label("brief_back", params.lang))}</a></p>'
    notice = ""
    if dataset is not None and dataset.provenance.get("synthetic"):
        notice = f'<p class="notice">{esc(footer_lines(params, dataset)[0])}</p>'
    return (block(back + title_markup(label(title_key, params.lang), subtitle(params, dataset)) + notice),)


def section(title_key: str, lang: str, sentences: list[str] = (), *parts: str) -> object:
    """A report section: heading, sentences, then tables or figures (markup built in ``present``)."""
    text = "".join(f'<p class="lead">{esc(s)}</p>' for s in sentences if s)
    return block(f'<h2 id="{esc(title_key)}">{esc(label(title_key, lang))}</h2>{text}{"".join(parts)}')


def summary_box(lang: str, sentences: list[str]) -> Parts:
    """The report's conclusions in plain words, first on the page (``id="summary"``)."""
    items = "".join(f"<li>{esc(s)}</li>" for s in sentences if s)
    return (block(f'<div class="summary"><h2 id="summary">{esc(label("summary_title", lang))}</h2><ul>{items}</ul></div>'),)


def _markup(part: object) -> str:
    """A displayable part as markup: HTML blocks as they are, figures as embedded PNG images."""
    if hasattr(part, "data") and isinstance(part.data, bytes):  # an IPython Image (figures.py makes PNGs)
        alt = esc(getattr(part, "alt", None) or "")  # the chart's title (figures._done)
        return f'<img src="data:image/png;base64,{base64.b64encode(part.data).decode("ascii")}" alt="{alt}">'
    return part.data if hasattr(part, "data") else str(part)


def appendix(lang: str, *parts: object) -> Parts:
    """Method, model output, files read and parameters: folded at the end of the report (``<details>``,
    no script), so the body gives the answer and the evidence."""
    inner = "".join(_markup(p) for p in parts)
    return (block(f'<details class="appendix" id="appendix"><summary>{esc(label("appendix_title", lang))}</summary>'
                  f"{inner}</details>"),)


def footer_lines(params: Params, dataset: Dataset) -> list[str]:
    """Provenance lines: data source, assumed phases, parameters, synthetic-data notice."""
    assumed = dataset.phases.loc[dataset.phases["assumed"], "name"].tolist()
    return provenance_lines(params.as_notebook_parameters(), dataset.provenance, assumed, params.lang)


def footer(lines: list[str]) -> Parts:
    """Provenance at the foot of a page."""
    return (paragraphs(lines, css="footer"),)


def provenance(params: Params, dataset: Dataset) -> Parts:
    """For the appendix: the data source, the assumed phase dates and the run's parameters."""
    lines = footer_lines(params, dataset)
    return footer(lines[1:] if dataset.provenance.get("synthetic") else lines)


def files_table(files: pd.DataFrame, lang: str) -> str:
    """The files read, their report dates, how many rows each gave and (``used``, from
    ``phase_results.files_read``) whether it goes into this period's figures, as an HTML table."""
    columns = [("file", label("col_file", lang), str), ("kind", label("col_kind", lang), lambda v: label(f"file_kind_{v}", lang)),
               ("as_of", label("col_date", lang), lambda v: fmt_date(v, lang)),
               ("rows", label("col_rows", lang), lambda v: fmt_int(v, lang))]
    if "used" in files:
        columns.append(("used", label("col_used", lang), lambda v: label("file_used" if v else "file_after_as_of", lang)))
    return html_table(files, columns)


def files_section(files: pd.DataFrame, lang: str) -> Parts:
    """Which files were read, their report dates, how many rows each gave, and which are later than the
    period (read and checked, not used)."""
    later = int((~files["used"].astype(bool)).sum()) if "used" in files else 0
    sentences = [label("files_after_as_of", lang, n=later)] if later else []
    return (section("index_files", lang, sentences, files_table(files, lang)),)


def css() -> str:
    """The reports' style sheet (inlined in every page)."""
    return (TEMPLATE_DIR / "report" / "report.css").read_text(encoding="utf-8")


def document(title: str, body: str, lang: str) -> str:
    """A whole self-contained HTML page (style inlined) around ``body`` markup."""
    return (f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title><style>{css()}</style></head>"
            f"<body><main>{body}</main></body></html>")
