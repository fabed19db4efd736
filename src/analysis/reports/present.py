"""Tables, sentences and figures for the reader: numbers formatted for the language, text escaped.

Everything that reaches a report as HTML is built here, and every piece of text that came from
the data (unit names above all) goes through ``html.escape``: a unit called ``<script>`` is
shown as those characters, never run.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import HTML

from analysis.reports.labels import covariate_name, label, phase_name

CSV_FLOAT_FORMAT = "%.6f"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT


def fmt_int(value: object, lang: str) -> str:
    """A count: ``233.377`` in Vietnamese, ``233,377`` in English; a dash when missing."""
    if _missing(value):
        return "–"
    text = f"{round(float(value)):,}"
    return text.replace(",", ".") if lang == "vi" else text


def fmt_decimal(value: object, lang: str, digits: int = 2) -> str:
    """A decimal number with the language's separators (``27,76`` / ``27.76``)."""
    if _missing(value):
        return "–"
    text = f"{float(value):,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if lang == "vi" else text


def fmt_pct(value: object, lang: str, digits: int = 2) -> str:
    """A share as a percentage: 0.2776 -> ``27,76%`` (vi) or ``27.76%`` (en)."""
    return "–" if _missing(value) else fmt_decimal(100 * float(value), lang, digits) + "%"


CHANCE_FLOOR = 0.05  # the projection's backtests support no probability nearer to 0 or 1 than this


def fmt_chance(value: object, lang: str, supported: bool = True) -> str:
    """A probability as a reader can take it: ``dưới 5%`` / ``trên 95%`` at the ends, never "0%" or "100%"
    (the out-of-family backtest, benchmarks/results/projection_backtest_oof.md, supports nothing nearer);
    ``chưa nêu`` (not given yet) where the backtest supports no chance at all (``supported``: a phase's first
    weeks, ``stages.chance_supported``)."""
    if _missing(value):
        return "–"
    if not supported:
        return label("chance_too_early", lang)
    if value < CHANCE_FLOOR:
        return label("chance_below", lang, p=fmt_pct(CHANCE_FLOOR, lang, 0))
    if value > 1 - CHANCE_FLOOR:
        return label("chance_above", lang, p=fmt_pct(1 - CHANCE_FLOOR, lang, 0))
    return fmt_pct(value, lang, 0)


def chance_shown(row: pd.Series | dict) -> bool:
    """Whether a row's chance may be printed: its ``chance_supported`` (``stages.chance_supported``),
    True where the row has none or it is missing (a table written before the column existed)."""
    supported = row.get("chance_supported", True)
    return True if _missing(supported) else bool(supported)


def chances_shown(frame: pd.DataFrame) -> pd.Series:
    """``chance_shown`` of every row of ``frame``."""
    if "chance_supported" not in frame:
        return pd.Series(True, index=frame.index)
    return frame["chance_supported"].map(lambda v: True if _missing(v) else bool(v)).astype(bool)


def chance_text(row: pd.Series | dict, column: str, lang: str) -> str:
    """``fmt_chance`` of a row's ``column``, as ``chance_shown`` says."""
    return fmt_chance(row[column], lang, chance_shown(row))


def chance_column(field: str, header: str, lang: str) -> Column:
    """A table column of the chances in ``field``, each as its row's ``chance_supported`` says."""
    return (field, header, lambda row: chance_text(row, field, lang), "row")


def fmt_pp(value: object, lang: str, digits: int = 2, unit: bool = True) -> str:
    """A change in percentage points with its sign and an arrow: ``▲ +3,12 điểm %`` (without the
    unit when a column header carries it)."""
    if _missing(value):
        return "–"
    arrow = "▲" if value > 0.005 else "▼" if value < -0.005 else "▶"
    sign = "+" if value > 0 else ""
    text = f"{arrow} {sign}{fmt_decimal(value, lang, digits)}"
    return f"{text} {label('points', lang)}" if unit else text


def fmt_points(value: float, lang: str) -> str:
    """A difference in percentage points with its sign, one decimal: ``-4,3 điểm %`` / ``+3.3 pts``."""
    value = round(float(value), 1) + 0.0  # what is shown: no '+0,0' and no '-0,0' for a difference that rounds to 0
    sign = "+" if value > 0 else ""
    return f"{sign}{fmt_decimal(value, lang, 1)} {label('points', lang)}"


def association_sentences(main: pd.DataFrame, lang: str) -> list[str]:
    """Each covariate's association with uptake (rows of the drivers' effects: ``covariate``, ``effect_pp``,
    ``ci_low_pp``, ``ci_high_pp``), worded as an association between communes."""
    out = []
    for _, r in main.iterrows():
        key = "association_lower" if r["effect_pp"] < 0 else "association_higher"
        out.append(label(key, lang, covariate=covariate_name(r["covariate"], lang),
                         size=fmt_decimal(abs(r["effect_pp"]), lang, 1),
                         low=fmt_points(r["ci_low_pp"], lang), high=fmt_points(r["ci_high_pp"], lang)))
    return out


def fmt_date(value: object, lang: str) -> str:
    """A date: ``14/11/2025`` (vi) or ``2025-11-14`` (en)."""
    if _missing(value):
        return "–"
    stamp = pd.Timestamp(value)
    return f"{stamp:%d/%m/%Y}" if lang == "vi" else f"{stamp:%Y-%m-%d}"


def esc(value: object) -> str:
    """Text from the data, escaped for HTML."""
    return html.escape(str(value), quote=True)


Column = tuple  # (field, header, formatter of the field's value), or (field, header, formatter of the row, "row")


def _align(value: object) -> str:
    numeric = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    return "num" if numeric or _missing(value) else "txt"


def html_table(frame: pd.DataFrame, columns: Sequence[Column], row_class: Callable[[pd.Series], str] | None = None,
               caption: str | None = None) -> str:
    """An HTML table of ``frame``: ``columns`` are (field, header, formatter), the formatter given the
    field's value, or the whole row when the column ends with ``"row"`` (``chance_column``); cells
    aligned by the field's value, every cell escaped."""
    head = "".join(f"<th>{esc(c[1])}</th>" for c in columns)
    body = []
    for _, row in frame.iterrows():
        cls = f' class="{esc(row_class(row))}"' if row_class else ""
        cells = "".join(f'<td class="{_align(row[c[0]])}">{esc(c[2](row if c[3:] == ("row",) else row[c[0]]))}</td>'
                        for c in columns)
        body.append(f"<tr{cls}>{cells}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="report">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def paragraphs(sentences: Sequence[str], css: str = "lead") -> HTML:
    """Sentences (already worded by ``labels``) as escaped paragraphs."""
    return HTML("".join(f'<p class="{css}">{esc(s)}</p>' for s in sentences if s))


def block(markup: str) -> HTML:
    """Markup built here (escaped inside) for display in the notebook."""
    return HTML(markup)


def write_csv(frame: pd.DataFrame | None, name: str, out_dir: str | Path) -> Path | None:
    """Write ``frame`` as ``<out_dir>/<name>.csv`` (UTF-8 with BOM, so Excel shows the diacritics).

    Nothing is written when ``out_dir`` is empty (an interactive or nbval run) or ``frame`` is None
    (a part of the report that could not be computed).
    """
    if not str(out_dir) or frame is None:
        return None
    path = Path(out_dir) / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8-sig", float_format=CSV_FLOAT_FORMAT,
                 lineterminator="\n", date_format="%Y-%m-%d")
    return path


def write_png(image: object, name: str, out_dir: str | Path) -> Path | None:
    """Write a chart (an ``IPython.display.Image`` of a PNG, as ``figures`` returns it) as ``<out_dir>/<name>.png``
    for the Word report; nothing when ``out_dir`` is empty or ``image`` is not a PNG (a part with no chart)."""
    if not str(out_dir) or getattr(image, "format", None) != "png":
        return None
    path = Path(out_dir) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(image.data)
    return path


def synthetic_notice(provenance: dict, lang: str) -> str:
    """The line that says the data are synthetic: made to match the published figures (the sample), or
    drawn and calibrated to nothing (``"calibrated": false`` in provenance.json)."""
    return label("footer_synthetic" if provenance.get("calibrated", True) else "footer_synthetic_drawn", lang)


def provenance_lines(parameters: dict, provenance: dict, assumed_phases: Sequence[str], lang: str) -> list[str]:
    """The lines at the foot of every report: synthetic-data notice, source, assumptions, parameters."""
    lines = [synthetic_notice(provenance, lang)] if provenance.get("synthetic") else []
    source = provenance.get(f"source_{lang}") or provenance.get("source", "–")  # the data's own words, per language
    lines.append(label("footer_source", lang, source=source))
    lines += [label("assumed_phase", lang, name=phase_name(name, lang)) for name in assumed_phases]
    shown = ", ".join(f"{k}={v}" for k, v in parameters.items() if k != "data_dir")
    lines.append(label("footer_params", lang, params=shown))
    return lines
