"""The department's written report: a Word draft in the administrative format of Decree 30/2020/ND-CP.

Built in the runner's process once the notebooks have finished, from what the run already wrote
beside the reports (the CSV tables, the charts as PNG) and from the brief (``brief.Brief``, computed
once for the index and this document), so every figure is the HTML reports' own. Nothing here
imports an analysis, matplotlib or statsmodels.

The page: A4, margins 20/20/30/15 mm (top, bottom, left, right), Times New Roman. At the top, the
issuing body (the province's People's Committee over the Department of Health, a short rule under
it) on the left and the national motto (a rule under it) on the right, with the document number
left blank ("Số:      /BC-SYT") and the place and date in italics beneath them; then the title, the
body (results; units ahead and behind; shortcomings and their causes; outlook; proposed tasks),
and at the foot the recipients on the left and the signer's title on the right (unsigned). A line
at the very top marks the document as a draft generated from the data (and says when the data are
synthetic), for the analyst to delete.

Text from the data (unit names) goes into text runs, which python-docx escapes: a name holding
``<b>``, ``&`` or ``{ MERGEFIELD x }`` is shown as typed, never as markup or a field.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from analysis.data.campaign import active
from analysis.data.register import find_province
from analysis.parameters import Params
from analysis.reports.brief import Brief, read_table
from analysis.reports.labels import (
    counted_as,
    division_word,
    label,
    month_name,
    track_name,
    unit_type_name,
)
from analysis.reports.phase_report import (
    central_sentences,
    headline_columns,
    headline_rows,
    headline_sentences,
)
from analysis.reports.present import (
    association_sentences,
    fmt_date,
    fmt_int,
    fmt_pct,
    fmt_points,
    synthetic_notice,
)

FONT = "Times New Roman"
SIZES = {"body": 14, "header": 13, "motto": 12, "recipients_title": 12, "recipients": 11, "table": 10.5, "draft": 11}
PAGE_MM = (210, 297)  # A4
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # Decree 30/2020: 20-25, 20-25, 30-35, 15-20
TEXT_WIDTH_CM = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10
LEFT_BLOCK_CM = 6.3  # the issuing body's column; the motto's takes the rest of the line
SHOWN = 5  # units named per track, ahead and behind
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def word_filename(period: str, lang: str) -> str:
    """``bao-cao-<period>.docx`` (vi) or ``report-<period>.docx`` (en)."""
    return label("word_file", lang, period=period)


def _plain(value: object) -> str:
    """Text from the data as a run takes it: characters XML cannot hold are dropped (a tab or a line
    break is kept)."""
    return _NOT_XML.sub("", str(value))


def _province(params: Params) -> tuple[str, str]:
    """The province's name without its prefix (``Cà Mau``, ``Hà Nội``) and its kind in words (tỉnh / thành phố),
    from the register."""
    province = find_province(params.province_code)
    return str(province["name"]).removeprefix("Thành phố "), division_word(province["division_type"], params.lang)


def _of_province(key: str, params: Params) -> str:
    """A text whose campaign words name the province (``{division}``, ``{name}``: ``_province``)."""
    name, division = _province(params)
    return label(key, params.lang).format(division=division, name=name)


def issuing_body(params: Params) -> tuple[str, str]:
    """The two lines of the issuing body: the authority above the department (by default the province's
    People's Committee, from the register) and the department, as the campaign names them."""
    return _of_province("word_committee", params).upper(), department(params).upper()


def department(params: Params) -> str:
    """Who writes the report, as the campaign names it."""
    return _of_province("word_department", params)


def place_and_date(params: Params) -> str:
    """``Cà Mau, ngày 14 tháng 11 năm 2025`` (day and months 1-2 with a leading zero, as the decree writes them)."""
    name = _province(params)[0]
    day, month = params.as_of.day, params.as_of.month
    return label("word_place_date", params.lang, place=name, day=f"{day:02d}",
                 month=f"{month:02d}" if params.lang == "vi" and month < 3 else str(month),
                 month_name=month_name(month, params.lang), year=params.as_of.year)


# ---- the sentences of each part, from the run's tables (pure: tables in, sentences out) ----

def _status(central: pd.DataFrame | None) -> dict:
    """The central record's row as ``phase_results.central_status`` gives it (None where unknown)."""
    keys = ("rate", "rate_as_of", "rank", "n_provinces", "rank_change", "integrated_central", "central_as_of")
    row = central.iloc[0] if central is not None and len(central) else pd.Series(dtype=object)
    status = {k: (None if k not in row or pd.isna(row[k]) else row[k]) for k in keys}
    for k in ("rank", "n_provinces", "rank_change"):
        status[k] = None if status[k] is None else int(status[k])
    return status


def central_record(central: pd.DataFrame | None, lang: str) -> list[str]:
    """The national system's rate and the province's rank, and the integrations it recorded in all (never
    compared with people and visits added together)."""
    status = _status(central)
    out = central_sentences({**status, "integrated_central": None}, pd.DataFrame(columns=["track"]), lang)
    if status["integrated_central"] is not None:
        out.append(label("word_central_total", lang, central=fmt_int(status["integrated_central"], lang),
                         date=fmt_date(status["central_as_of"], lang)))
    return out


def _unit_word(track: str, lang: str) -> str:
    return counted_as(track, lang)


def _names(rows: pd.DataFrame, describe, lang: str) -> str:
    """The first ``SHOWN`` rows described, and how many more there are."""
    shown = [describe(r) for _, r in rows.head(SHOWN).iterrows()]
    more = len(rows) - len(shown)
    return "; ".join(shown) + (label("word_more", lang, n=more) if more > 0 else "")


def units_ahead(league: pd.DataFrame | None, lang: str, amber_at: float = 0.75) -> list[str]:
    """Per track, the units at or near the target (from ``amber_at`` of it), the best named with their achievement."""
    if league is None:
        return []
    out = []
    for track, rows in league[league["reported"].astype(bool)].groupby("track", sort=False):
        near = rows[rows["achievement"] >= amber_at].sort_values("achievement", ascending=False)
        if not len(near):
            continue
        names = _names(near, lambda r: f"{_plain(r['name'])} ({fmt_pct(r['achievement'], lang)})", lang)
        out.append(label("word_ahead", lang, track=track_name(track, lang), n=len(near),
                         at=int((near["achievement"] >= 1).sum()), amber=fmt_pct(amber_at, lang, 0), names=names))
    return out


def units_behind(actions: pd.DataFrame | None, lang: str) -> list[str]:
    """Per track, the units far below the target or behind pace, the largest gaps named with their figures."""
    if actions is None or not len(actions):
        return []
    out = []
    order = actions["track"].map({track: i for i, track in enumerate(active().track_ids)})
    for track, rows in actions.assign(_order=order).sort_values(["_order", "gap"], ascending=[True, False]).groupby(
            "track", sort=False):
        unit = _unit_word(track, lang)
        names = _names(rows, lambda r: label("word_behind_unit", lang, name=_plain(r["name"]),
                                             achievement=fmt_pct(r["achievement"], lang), gap=fmt_int(r["gap"], lang),
                                             unit=unit, needed=fmt_int(r["needed_per_week"], lang),
                                             recent=fmt_int(r["recent_per_week"], lang)), lang)
        out.append(label("word_behind", lang, track=track_name(track, lang), n=len(rows), names=names))
    return out


def not_reported(missing: pd.DataFrame | None, lang: str) -> list[str]:
    """Per track, the units that have not reported, named, with when they last did."""
    if missing is None or not len(missing):
        return []
    out = []
    for track, rows in missing.groupby("track", sort=False):
        names = "; ".join(
            f"{_plain(r['name'])} ({label('kind_' + r['kind'], lang)}"
            + (f", {label('word_last', lang, date=fmt_date(r['last_reported'], lang))})" if pd.notna(r["last_reported"]) else ")")
            for _, r in rows.iterrows())
        out.append(label("word_missing", lang, track=track_name(track, lang), n=len(rows), names=names))
    return out


def associations(effects: pd.DataFrame | None, lang: str) -> list[str]:
    """The clearest associations of the drivers (interval away from zero), worded as associations between communes."""
    if effects is None or not len(effects):
        return []
    main = effects[(effects["model"] == "quasi_binomial") & (effects["weighting"] == "population")]
    clear = main[(main["ci_low_pp"] > 0) | (main["ci_high_pp"] < 0)]
    clear = clear.reindex(clear["effect_pp"].abs().sort_values(ascending=False).index)
    return association_sentences(clear, lang) + [label("caution", lang)] if len(clear) else []


def facility_types(types: pd.DataFrame | None, lang: str) -> list[str]:
    """The facility types clearly below hospitals (the whole interval of the difference below zero)."""
    if types is None or not len(types):
        return []
    low = types[types["diff_high_pp"] < 0].sort_values("rate")
    if not len(low):
        return []
    parts = "; ".join(label("word_facility_type", lang, type=unit_type_name(r["unit_type"], lang),
                            rate=fmt_pct(r["rate"], lang), diff=fmt_points(r["difference_pp"], lang))
                      for _, r in low.iterrows())
    return [label("word_facility_types", lang, types=parts)]


def outreach_line(comparison: pd.DataFrame | None, lang: str) -> list[str]:
    """What the proposed door-to-door plan buys by the deadline, against no campaign."""
    if comparison is None or not {"optimised", "none"} <= set(comparison["plan"]):
        return []
    by = comparison.set_index("plan")
    best = by.loc["optimised"]
    return [label("word_outreach", lang, team_weeks=fmt_int(best["team_weeks"], lang),
                  rate=fmt_pct(best["expected_rate"], lang), base=fmt_pct(by.loc["none", "expected_rate"], lang),
                  units=int(best["units_at_target"]))]


# ---- the page: fonts, paragraphs, rules, tables ----

def _run(paragraph, text: str, size: float, bold: bool = False, italic: bool = False, colour: RGBColor | None = None):
    run = paragraph.add_run(_plain(text))
    run.font.name, run.font.size = FONT, Pt(size)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if colour is not None:
        run.font.color.rgb = colour
    return run


def _paragraph(container, text: str = "", size: float = SIZES["body"], bold: bool = False, italic: bool = False,
               align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True, after: float = 6, colour: RGBColor | None = None):
    """A paragraph of body text (first line indented 1,27 cm, 6 pt after, line spacing 1,15) or, without
    ``indent``, of a header block."""
    paragraph = container.add_paragraph()
    form = paragraph.paragraph_format
    form.alignment, form.space_before, form.space_after, form.line_spacing = align, Pt(0), Pt(after), 1.15
    if indent:
        form.first_line_indent = Cm(1.27)
    if text:
        _run(paragraph, text, size, bold, italic, colour)
    return paragraph


def _text_cm(text: str, size: float) -> float:
    """About how wide ``text`` is set in bold Times New Roman (for the length of a rule under it)."""
    em = sum(0.64 if c.isupper() else 0.47 if c.isalpha() else 0.25 if c == " " else 0.33 for c in text)
    return em * size / 72 * 2.54


def _rule(cell, length_cm: float, cell_cm: float) -> None:
    """A short centred line under a header block: a paragraph's bottom border between symmetric indents
    (python-docx has no border API, so the one ``w:pBdr`` element is written here)."""
    paragraph = cell.add_paragraph()
    borders, bottom = OxmlElement("w:pBdr"), OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)  # first child: the formats below are inserted in schema order
    side = max((cell_cm - length_cm) / 2, 0.0)
    form = paragraph.paragraph_format
    form.left_indent, form.right_indent = Cm(side), Cm(side)
    form.space_before, form.space_after, form.line_spacing = Pt(0), Pt(6), Pt(2)


def _cell_width(table, widths_cm: list[float]) -> None:
    """Fixed column widths, in the table's grid (which LibreOffice follows) and in every cell (which Word does)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _header(document, params: Params) -> None:
    """The header table: issuing body and number on the left, national motto and place-date on the right."""
    lang, centre = params.lang, WD_ALIGN_PARAGRAPH.CENTER
    widths = [LEFT_BLOCK_CM, TEXT_WIDTH_CM - LEFT_BLOCK_CM]
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_width(table, widths)
    left, right = table.cell(0, 0), table.cell(0, 1)
    committee, department = issuing_body(params)
    left.paragraphs[0].paragraph_format.alignment = centre
    _run(left.paragraphs[0], committee, SIZES["header"])
    _paragraph(left, department, SIZES["header"], bold=True, align=centre, indent=False, after=0)
    _rule(left, _text_cm(department, SIZES["header"]) * 0.5, widths[0])
    right.paragraphs[0].paragraph_format.alignment = centre
    _run(right.paragraphs[0], label("word_nation", lang), SIZES["motto"], bold=True)
    motto = label("word_motto", lang)
    _paragraph(right, motto, SIZES["header"], bold=True, align=centre, indent=False, after=0)
    _rule(right, _text_cm(motto, SIZES["header"]), widths[1])
    number, date = table.cell(1, 0).paragraphs[0], table.cell(1, 1).paragraphs[0]
    number.paragraph_format.alignment = date.paragraph_format.alignment = centre
    _run(number, label("word_number", lang, symbol=label("word_symbol", lang)), SIZES["header"])
    _run(date, place_and_date(params), SIZES["header"], italic=True)


def _table(document, frame: pd.DataFrame, columns: list, first_cm: float = 4.0) -> None:
    """A bordered table (style Table Grid) the width of the text: ``columns`` are (field, header, formatter), as
    ``present.html_table``'s; the first column (the names) ``first_cm`` wide, the others share the rest."""
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, (_, header, _) in zip(table.rows[0].cells, columns):
        _run(cell.paragraphs[0], header, SIZES["table"], bold=True)
        cell.paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for _, row in frame.iterrows():
        cells = table.add_row().cells
        for i, (field, _, fmt) in enumerate(columns):
            value = row[field]
            _run(cells[i].paragraphs[0], fmt(value), SIZES["table"])
            numeric = i > 0 and not isinstance(value, str)
            cells[i].paragraphs[0].paragraph_format.alignment = (WD_ALIGN_PARAGRAPH.RIGHT if numeric
                                                                 else WD_ALIGN_PARAGRAPH.LEFT)
    _cell_width(table, _widths(frame, columns, first_cm))
    _paragraph(document, after=0)


CHAR_CM, PADDING_CM = 0.19, 0.4  # about a character of 10,5 pt Times New Roman, and a cell's inner margins


def _widths(frame: pd.DataFrame, columns: list, first_cm: float) -> list[float]:
    """The first column ``first_cm`` wide; each other column first as wide as its longest value needs, then,
    as far as the line allows, as its longest header word needs; what is left is shared equally."""
    values = [max([4] + [len(fmt(v)) for v in frame[field]]) * CHAR_CM + PADDING_CM for field, _, fmt in columns[1:]]
    words = [max(len(w) for w in header.split()) * CHAR_CM + PADDING_CM for _, header, _ in columns[1:]]
    extra = [max(w - v, 0.0) for v, w in zip(values, words)]
    spare = TEXT_WIDTH_CM - first_cm - sum(values)
    share = min(1.0, max(spare, 0.0) / sum(extra)) if sum(extra) else 0.0
    widths = [v + share * e for v, e in zip(values, extra)]
    left = (TEXT_WIDTH_CM - first_cm - sum(widths)) / len(widths)
    return [first_cm] + [w + left for w in widths]


def _picture(document, path: Path, caption: str) -> None:
    """A chart the run drew (PNG beside the reports), the width of the text, with its caption."""
    if not path.is_file():
        return
    document.add_picture(str(path), width=Cm(TEXT_WIDTH_CM))
    document.paragraphs[-1].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, caption, SIZES["table"], italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _footer_blocks(document, params: Params) -> None:
    """Recipients bottom left ("Nơi nhận:", 12 pt bold italic; the list 11 pt), the signer's title on the right."""
    lang = params.lang
    _paragraph(document, after=0)
    table = document.add_table(rows=1, cols=2)
    _cell_width(table, [TEXT_WIDTH_CM / 2, TEXT_WIDTH_CM / 2])
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.paragraphs[0].paragraph_format.space_after = Pt(0)
    _run(left.paragraphs[0], label("word_recipients", lang), SIZES["recipients_title"], bold=True, italic=True)
    names = _of_province("word_recipient_list", params).split("\n")
    for i, name in enumerate(names):
        _paragraph(left, f"- {name}{'.' if i == len(names) - 1 else ';'}", SIZES["recipients"],
                   align=WD_ALIGN_PARAGRAPH.LEFT, indent=False, after=0)
    right.paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], label("word_signer", lang), SIZES["body"], bold=True)
    for _ in range(4):  # room for the signature; the signer's name is left to the analyst
        _paragraph(right, indent=False, after=0)


def _heading(document, text: str) -> None:
    _paragraph(document, text, bold=True, after=6)


def _sentences(document, sentences: list[str]) -> None:
    for sentence in sentences:
        if sentence:
            _paragraph(document, sentence)


def _results(document, folder: Path, params: Params, tables: dict) -> None:
    """Part I: each track against the target, the previous phase and the previous report; the table of tracks;
    the monitoring chart; the central record and the province's rank."""
    lang, headline = params.lang, tables["headline"]
    _heading(document, label("word_part_results", lang))
    _sentences(document, headline_sentences(headline, lang, tables["period_change"]))
    fields = ("track", "n_reported", "eligible", "supported", "rate", "target_rate", "achievement", "change_pp")
    _table(document, headline_rows(headline), [c for c in headline_columns(lang) if c[0] in fields], first_cm=3.0)
    _picture(document, folder / "monitoring.png", label("word_figure", lang, n=1, title=label("monitoring", lang)))
    _sentences(document, central_record(tables["central"], lang))


def _units(document, params: Params, tables: dict, amber_at: float) -> None:
    """Part II: the units at or near the target, and those behind, named with their figures."""
    lang = params.lang
    _heading(document, label("word_part_units", lang))
    _sentences(document, units_ahead(tables["league_table"], lang, amber_at))
    _sentences(document, units_behind(tables["action_list"], lang))
    actions = tables["action_list"]
    if actions is not None and len(actions):
        top = actions.sort_values("gap", ascending=False).head(10)
        columns = [("name", label("col_unit", lang), _plain),
                   ("track", label("col_track", lang), lambda v: track_name(v, lang)),
                   ("achievement", label("col_achievement", lang), lambda v: fmt_pct(v, lang)),
                   ("gap", label("col_gap", lang), lambda v: fmt_int(v, lang)),
                   ("needed_per_week", label("col_needed", lang), lambda v: fmt_int(v, lang)),
                   ("recent_per_week", label("col_recent", lang), lambda v: fmt_int(v, lang))]
        _paragraph(document, label("word_behind_table", lang, n=len(top)), italic=True, after=3)
        _table(document, top, columns, first_cm=5.0)


def _shortcomings(document, params: Params, tables: dict, brief: Brief) -> None:
    """Part III: who has not reported, supported against recorded centrally (per track), the drivers as
    associations, the facility types behind, and the data-quality findings."""
    lang = params.lang
    _heading(document, label("word_part_shortcomings", lang))
    _sentences(document, not_reported(tables["non_reporters"], lang))
    if brief.central:
        cause = "word_central_cause" if active().words[f"central_cause_{lang}"] else "word_central_gap"
        _sentences(document, brief.central + [label(cause, lang)])
    _sentences(document, associations(tables["drivers_effects"], lang))
    _sentences(document, facility_types(tables["drivers_facility_types"], lang))
    findings = tables["data_quality"]
    if findings is not None and len(findings):
        _sentences(document, [label("data_quality_text", lang, n=len(findings))])


def _outlook(document, folder: Path, params: Params, brief: Brief) -> None:
    """Part IV: the projection to the deadline under each scenario and the pace needed (the brief's sentences)."""
    lang = params.lang
    _heading(document, label("word_part_outlook", lang))
    _sentences(document, brief.verdicts + brief.pace)
    _picture(document, folder / "projection_fan.png", label("word_figure", lang, n=2, title=label("projection", lang)))


def _tasks(document, params: Params, tables: dict, brief: Brief) -> None:
    """Part V: the brief's named actions and what the outreach plan buys."""
    lang = params.lang
    _heading(document, label("word_part_tasks", lang))
    tasks = [text for text, _ in brief.actions] + outreach_line(tables["outreach_comparison"], lang)
    _sentences(document, [f"{i}. {text}" for i, text in enumerate(tasks, start=1)])


TABLES = ("headline", "period_change", "central", "league_table", "action_list", "non_reporters", "drivers_effects",
          "drivers_facility_types", "data_quality", "outreach_comparison")


def _page(document) -> None:
    """A4 with the decree's margins; Times New Roman 14 pt as the normal text."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(SIZES["body"])


def _marks(document, params: Params) -> None:
    """The draft line (for the analyst to delete) and, for synthetic data, the line that says so."""
    lang, red = params.lang, RGBColor(0xB3, 0x26, 0x1E)
    _paragraph(document, label("word_draft", lang, as_of=fmt_date(params.as_of, lang)), SIZES["draft"], bold=True,
               italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False, colour=red)
    provenance = params.data_dir / "provenance.json"
    found = json.loads(provenance.read_text(encoding="utf-8")) if provenance.is_file() else {}
    if found.get("synthetic"):
        _paragraph(document, synthetic_notice(found, lang), SIZES["draft"], italic=True, align=WD_ALIGN_PARAGRAPH.LEFT,
                   indent=False, colour=red)


def _title(document, params: Params) -> str:
    """``BÁO CÁO`` and the subject, centred, bold, a short rule under them; returns the subject."""
    lang, centre = params.lang, WD_ALIGN_PARAGRAPH.CENTER
    subject = label("word_subject", lang, as_of=fmt_date(params.as_of, lang))
    _paragraph(document, after=0)
    _paragraph(document, label("word_kind", lang), SIZES["body"], bold=True, align=centre, indent=False, after=0)
    _paragraph(document, subject, SIZES["body"], bold=True, align=centre, indent=False, after=0)
    _rule(document, TEXT_WIDTH_CM / 3, TEXT_WIDTH_CM)
    intro = label("word_intro", lang, department=department(params), as_of=fmt_date(params.as_of, lang))
    _paragraph(document, intro)
    return subject


def _deterministic(document, when: pd.Timestamp) -> bytes:
    """The saved document with every zip entry dated ``when``: the same inputs give the same bytes."""
    import io
    import zipfile

    saved, out = io.BytesIO(), io.BytesIO()
    document.save(saved)
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(zipfile.ZipInfo(item.filename, date_time=stamp), source.read(item.filename),
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_word(folder: Path, params: Params, brief: Brief | None, amber_at: float = 0.75) -> Path | None:
    """Write the written report, ``<folder>/bao-cao-<period>.docx`` (or ``report-<period>.docx`` in English),
    from the tables and charts the run wrote into ``folder`` and the run's ``brief``; None when the period's
    headline is not there (a partial run)."""
    if brief is None:
        return None
    tables = {name: read_table(folder, name) for name in TABLES}
    document = Document()
    _page(document)
    _marks(document, params)
    _header(document, params)
    subject = _title(document, params)
    _results(document, folder, params, tables)
    _units(document, params, tables, amber_at)
    _shortcomings(document, params, tables, brief)
    _outlook(document, folder, params, brief)
    _tasks(document, params, tables, brief)
    _paragraph(document, label("word_closing", params.lang, department=department(params)))
    _footer_blocks(document, params)
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = subject, department(params), ""
    properties.created = properties.modified = params.as_of.to_pydatetime()
    properties.revision, properties.comments, properties.language = 1, "", params.lang
    path = folder / word_filename(params.period, params.lang)
    path.write_bytes(_deterministic(document, params.as_of))
    return path
