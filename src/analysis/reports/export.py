"""Pages as files: an executed notebook exported to one self-contained HTML page, and the period's index.

The notebook export uses nbconvert with the package's own template (``templates/report``: no
code, no prompts, no script, style inlined, images embedded); the index is built with the same
page frame as the reports.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.config import TEMPLATE_DIR
from analysis.parameters import Params
from analysis.reports.frame import document, files_table, title_markup
from analysis.reports.labels import NOTEBOOK_TITLES, label
from analysis.reports.present import esc, fmt_date, fmt_pct, provenance_lines


def report_title(stem: str, lang: str) -> str:
    """The reader's title of a notebook's report."""
    return label(NOTEBOOK_TITLES[stem], lang) if stem in NOTEBOOK_TITLES else stem


def exporter():
    """nbconvert's HTML exporter with the report template (no code, no prompts)."""
    from nbconvert import HTMLExporter

    html = HTMLExporter(template_name="report", extra_template_basedirs=[str(TEMPLATE_DIR)])
    html.exclude_input = True
    html.exclude_input_prompt = True
    html.exclude_output_prompt = True
    return html


def export_html(executed, title: str, lang: str, html_exporter=None) -> str:
    """The executed notebook (a path or the notebook) as one self-contained HTML page (no code, images embedded)."""
    if isinstance(executed, (str, Path)):
        import nbformat  # not imported by the runner's process (its import costs 1.7 s)

        executed = nbformat.read(executed, as_version=4)
    nb = executed
    nb.metadata["report"] = {"title": title, "lang": lang}
    for i, cell in enumerate(nb.cells):  # papermill gives its injected cell a random id
        cell["id"] = f"cell-{i}"
    body, _ = (html_exporter or exporter()).from_notebook_node(nb)
    return body


def index_page(params: Params, pages: list[tuple[str, str]], folder: Path, up: str = "",
               options: dict | None = None, brief=None) -> str:
    """The period's index: the brief first (what leadership reads), then the links to every report, the
    tables beside them and the data files read, folded (``up``: a link back to the national comparison;
    ``brief``: the period's ``brief.Brief`` when the caller has it already, else read here)."""
    from analysis.reports.brief import brief_markup, csv_list, period_brief

    lang = params.lang
    provenance_path = params.data_dir / "provenance.json"
    provenance = json.loads(provenance_path.read_text(encoding="utf-8")) if provenance_path.is_file() else {}
    brief = brief_markup(brief if brief is not None else period_brief(folder, params, options), lang)
    links = "".join(f'<li><a href="{esc(href)}">{esc(title)}</a></li>' for href, title in pages)
    title = label("index_title", lang, period=params.period)
    heading = label("brief_title", lang) if brief else title
    sub = label("brief_subtitle", lang, province=params.province, as_of=fmt_date(params.as_of, lang),
                target=fmt_pct(params.target_rate, lang, 0), deadline=fmt_date(params.deadline, lang))
    parts = [title_markup(heading, sub), brief,
             f"<h2>{esc(label('brief_reports', lang))}</h2><ul class='reports'>{links}</ul>"]
    if up:
        parts.insert(0, f"<p class='subtitle'><a href=\"{esc(up)}\">{esc(label('national_back', lang))}</a></p>")
    parts.append(f"<details><summary>{esc(label('brief_tables', lang))}</summary>{csv_list(folder, lang)}</details>")
    notes = provenance_lines(params.as_notebook_parameters(), provenance, [], lang)
    synthetic = notes[:1] if provenance.get("synthetic") else []  # said on the page; source and parameters folded
    files = folder / "files_read.csv"
    table = files_table(pd.read_csv(files, encoding="utf-8-sig"), lang) if files.is_file() else ""
    folded = "".join(f"<p class='footer'>{esc(n)}</p>" for n in notes[len(synthetic):])
    parts.append(f"<details><summary>{esc(label('index_files', lang))}</summary>{table}{folded}</details>")
    parts += [f"<p class='footer'>{esc(n)}</p>" for n in synthetic]
    return document(title, "".join(parts), lang)


def archive_rows(out: Path) -> pd.DataFrame:
    """Every period rendered under ``out`` (a folder with ``headline.csv`` and ``index.html``): one row per
    period and track, the latest first, with the change in points since the period rendered before it."""
    frames = []
    for folder in sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")):
        headline = folder / "headline.csv"
        if headline.is_file() and (folder / "index.html").is_file():
            frame = pd.read_csv(headline, encoding="utf-8-sig", usecols=["track", "as_of", "rate", "n_reported", "n_expected"])
            frames.append(frame.assign(period=folder.name))
    if not frames:
        return pd.DataFrame(columns=["period", "track", "as_of", "rate", "n_reported", "n_expected", "change_pp"])
    rows = pd.concat(frames, ignore_index=True)
    rows["as_of"] = pd.to_datetime(rows["as_of"])
    rows = rows.sort_values(["as_of", "period"], kind="stable")
    rows["change_pp"] = 100 * rows.groupby("track")["rate"].diff()
    return rows.sort_values(["as_of", "period"], ascending=False, kind="stable").reset_index(drop=True)


def archive_page(out: Path, lang: str) -> str:
    """``<out>/index.html``: every rendered period with its headline rates per track, and links to its reports."""
    from analysis.reports.labels import track_name
    from analysis.reports.present import fmt_date, fmt_pct, fmt_pp, html_table

    rows = archive_rows(out)
    periods = rows.drop_duplicates("period")[["period", "as_of"]]
    wide = periods.set_index("period")
    for track in rows["track"].drop_duplicates():
        part = rows[rows["track"] == track].set_index("period")
        wide[f"rate_{track}"] = part["rate"]
        wide[f"change_{track}"] = part["change_pp"]
    wide = wide.reset_index()
    columns = [("period", label("col_period", lang), str), ("as_of", label("col_date", lang), lambda v: fmt_date(v, lang))]
    for track in rows["track"].drop_duplicates():
        columns += [(f"rate_{track}", f"{track_name(track, lang)}: {label('col_rate', lang)}", lambda v: fmt_pct(v, lang)),
                    (f"change_{track}", label("col_change_period", lang), lambda v: fmt_pp(v, lang))]
    title = label("archive_title", lang)
    links = "".join(f'<li><a href="{esc(p)}/index.html">{esc(p)}</a></li>' for p in wide["period"])
    body = (title_markup(title, label("archive_text", lang, n=len(wide))) + html_table(wide, columns)
            + f"<h2>{esc(label('index_reports', lang))}</h2><ul class='reports'>{links}</ul>")
    return document(title, body, lang)
