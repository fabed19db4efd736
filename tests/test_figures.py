"""The charts as printed: every text at least 9 pt on A4, tick labels in the report's language,
no two texts overlapping and no line striking through a label, on the sample data."""

from __future__ import annotations

import re
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from analysis.analyses import drivers, outreach, phase_results, projection
from analysis.data.dataset import load_data_dir
from analysis.data.panel import full_panel
from analysis.parameters import validate_parameters
from analysis.reports import drivers_report, figures, projection_report

VI_DECIMAL_POINT = re.compile(r"\d\.(?!\d{3}(?!\d))")  # a dot not followed by exactly three digits
EN_DECIMAL_COMMA = re.compile(r"\d,(?!\d{3}(?!\d))")


@pytest.fixture(scope="module")
def inputs() -> dict:
    """Every table the charts are drawn from, computed on the sample data as the notebooks do."""
    params = validate_parameters()
    dataset = load_data_dir(params.data_dir, params.province_code, params.target_rate)
    panel = full_panel(dataset, params.target_rate)
    thresholds = phase_results.Thresholds()
    headline = phase_results.headline(dataset, params.as_of, params.target_rate, panel)
    status = phase_results.central_status(dataset, params.as_of)
    history, ranking = phase_results.province_context(dataset, params.as_of)
    table, fans = projection.project_scenarios(dataset, panel, params.as_of, params.deadline, params.target_rate,
                                               1.5, 200, 1)
    teams = outreach.Teams(weeks_left=outreach.weeks_between(params.as_of, params.deadline))
    prepared, band = outreach.prepare(dataset, panel, params.as_of, params.deadline, params.target_rate, teams, 200)
    scenario = drivers.Scenario(0.10, 0.50, 0.50)
    return {"params": params, "dataset": dataset, "panel": panel, "thresholds": thresholds, "headline": headline,
            "status": status, "history": history, "ranking": ranking, "fans": fans,
            "observed": projection.observed_path(panel, params.as_of), "scenario": scenario,
            "league": phase_results.league_table(dataset, panel, params.as_of, thresholds),
            "drivers": drivers.analyse(dataset, panel, params.as_of, params.target_rate, scenario),
            "plan": outreach.plan(prepared, teams, params.target_rate)}


def _national_table(ranking: pd.DataFrame, rate_now: float) -> pd.DataFrame:
    """The national comparison's columns the chart reads, from the sample's ranking of provinces."""
    return pd.DataFrame({"province": ranking["name"], "central_rate": ranking["rate"],
                         "rate_now": [rate_now if s else np.nan for s in ranking["is_self"]]})


def _draw_all(d: dict, lang: str) -> dict[str, Figure]:
    """Every chart of the reports in ``lang``, as matplotlib Figures (drawn)."""
    p, result = d["params"], d["drivers"]
    series = phase_results.monitoring_series(d["panel"])
    target = phase_results.target_line(d["dataset"].phases, p.deadline, p.target_rate)
    names = drivers_report.scenario_names(result.scenarios, d["scenario"], lang)
    gap_names = [drivers_report.covariate_name(c, lang) for c in result.gap["component"] if c != "benchmark"]
    levels = projection_report.levels()
    scenario_names = {s: projection_report.scenario_label(s, 1.5, lang) for s in d["fans"]["scenario"].unique()}
    charts = {
        "monitoring": lambda: figures.monitoring_chart(series, target, d["history"], d["dataset"].phases, p.deadline,
                                                       lang, d["fans"]),
        "unit_types": lambda: figures.unit_type_chart(d["league"], p.target_rate, lang),
        "funnel": lambda: figures.funnel_chart(phase_results.funnel(d["headline"], d["status"]), lang),
        "quadrant": lambda: figures.quadrant_chart(
            phase_results.central_quadrants(d["panel"], p.as_of, d["thresholds"]), d["thresholds"].amber, lang),
        "completeness": lambda: figures.completeness_chart(
            phase_results.reporting_completeness(d["dataset"], d["panel"], p.as_of), lang),
        "province": lambda: figures.province_chart(d["history"], d["ranking"], p.province, lang),
        "effects": lambda: figures.effects_chart(result.effects, lang),
        "scenarios": lambda: figures.scenarios_chart(result.scenarios, names, p.target_rate, lang),
        "gap": lambda: figures.gap_chart(result.gap, gap_names, lang),
        "residuals": lambda: figures.residuals_chart(result.residuals, len(result.summary["worst"]), lang),
        "fan": lambda: figures.fan_chart(d["observed"], d["fans"], levels, [projection_report.level_name(x, lang)
                                         for x in levels], scenario_names, p.target_rate, p.deadline, lang),
        "outreach": lambda: figures.outreach_chart(d["plan"], lang),
        "national": lambda: figures.national_chart(_national_table(d["ranking"], 0.2776), p.target_rate, lang),
    }
    out = {}
    for name, draw in charts.items():
        with figures.kept_figures() as kept:
            draw()
        assert len(kept) == 1, name
        FigureCanvasAgg(kept[0]).draw()  # closed by pyplot: a canvas of its own to measure texts on
        out[name] = kept[0]
    return out


@pytest.fixture(scope="module")
def drawn(inputs) -> dict[str, dict[str, Figure]]:
    """Every chart by language, drawn the first time a test asks for that language."""
    return {}


def _in(drawn: dict, inputs: dict, lang: str) -> dict[str, Figure]:
    if lang not in drawn:
        drawn[lang] = _draw_all(inputs, lang)
    return drawn[lang]


@pytest.fixture(scope="module", params=["vi", "en"])
def charts(request, inputs, drawn) -> tuple[str, dict[str, Figure]]:
    return request.param, _in(drawn, inputs, request.param)


def _drawn_tick_labels(fig: Figure) -> set[int]:
    """The tick labels actually drawn: visible, non-empty, at a tick inside the axis' view interval."""
    drawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            span = (high - low) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if low - span <= tick.get_loc() <= high + span:
                    drawn |= {id(t) for t in (tick.label1, tick.label2) if t.get_visible() and t.get_text()}
    return drawn


def _tick_label_ids(fig: Figure) -> set[int]:
    return {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
            for tick in axis.get_major_ticks() + axis.get_minor_ticks() for t in (tick.label1, tick.label2)}


def visible_texts(fig: Figure) -> list[Text]:
    """Every text the PNG shows: titles, labels, annotations, legend entries, drawn tick labels."""
    ticks, drawn = _tick_label_ids(fig), _drawn_tick_labels(fig)
    out = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        if id(text) in ticks and id(text) not in drawn:
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        out.append(text)
    return list({id(t): t for t in out}.values())


def _extent(text: Text, fig: Figure) -> Bbox:
    box = Text.get_window_extent(text, renderer=fig.canvas.get_renderer())  # an annotation's text, not its arrow
    return Bbox.from_extents(box.x0 + 1, box.y0 + 1, box.x1 - 1, box.y1 - 1)  # a pixel of tolerance


def test_every_text_prints_at_nine_points_or_more_on_a4(charts):
    lang, figs = charts
    for name, fig in figs.items():
        width = fig.get_figwidth()
        for text in visible_texts(fig):
            printed = text.get_fontsize() * figures.PRINT_WIDTH / width
            assert printed >= figures.PRINT_MIN_PT, (lang, name, text.get_text(), text.get_fontsize(), width)


def test_tick_labels_and_annotations_use_the_language_s_decimal_mark(charts):
    lang, figs = charts
    wrong = VI_DECIMAL_POINT if lang == "vi" else EN_DECIMAL_COMMA
    for name, fig in figs.items():
        shown = [t.get_text() for t in visible_texts(fig)]
        assert not [s for s in shown if wrong.search(s)], (lang, name, shown)
        ticks = [t.get_text() for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()]
        assert not [s for s in ticks if wrong.search(s)], (lang, name, ticks)


def test_vietnamese_ticks_carry_a_decimal_comma_where_a_decimal_is_due(inputs, drawn):
    figs = _in(drawn, inputs, "vi")
    ticks = [t.get_text() for t in visible_texts(figs["residuals"]) if t in figs["residuals"].axes[0].get_xticklabels()]
    assert any(re.fullmatch(r"\d+,\d%", s) for s in ticks), ticks  # 22,5% and not 23% nor 22.5%


def test_no_two_texts_overlap(charts):
    lang, figs = charts
    for name, fig in figs.items():
        texts = visible_texts(fig)
        boxes = [(t, _extent(t, fig)) for t in texts]
        clashes = [(a.get_text(), b.get_text()) for (a, box_a), (b, box_b) in combinations(boxes, 2)
                   if box_a.overlaps(box_b)]
        assert not clashes, (lang, name, clashes)


def _line_points(artist, fig: Figure) -> np.ndarray:
    """Points every pixel along a line (or its markers only), in display coordinates."""
    if isinstance(artist, LineCollection):
        paths = [(artist.get_transform().transform(seg), True) for seg in artist.get_segments() if len(seg)]
    else:
        xy = artist.get_transform().transform(artist.get_path().vertices)
        paths = [(xy, artist.get_linestyle() not in ("None", "none", " ", ""))]
    points = []
    for xy, joined in paths:
        points.append(xy)
        if joined:
            for a, b in zip(xy[:-1], xy[1:]):
                n = int(np.hypot(*(b - a))) + 2
                points.append(a + np.linspace(0, 1, n)[:, None] * (b - a))
    return np.concatenate(points) if points else np.empty((0, 2))


def _on_white_ground(text: Text) -> bool:
    """A label drawn on an opaque white box above the lines: a line passes behind it, not through it."""
    patch = text.get_bbox_patch()
    return patch is not None and tuple(patch.get_facecolor()) == (1.0, 1.0, 1.0, 1.0) and text.get_zorder() > 2


def test_no_line_strikes_through_a_label_or_a_legend(charts):
    lang, figs = charts
    for name, fig in figs.items():
        ticks = _tick_label_ids(fig)
        for ax in fig.axes:
            lines = [a for a in ax.get_children() if isinstance(a, (Line2D, LineCollection)) and a.get_visible()]
            points = np.concatenate([_line_points(a, fig) for a in lines]) if lines else np.empty((0, 2))
            boxes = [(t.get_text(), _extent(t, fig)) for t in visible_texts(fig)
                     if id(t) not in ticks and not _on_white_ground(t) and t.axes is ax and t is not ax.title]
            boxes += [("legend", legend.get_window_extent())
                      for legend in [ax.get_legend(), *fig.legends] if legend is not None]
            for label, box in boxes:
                inside = (points[:, 0] > box.x0) & (points[:, 0] < box.x1) & (points[:, 1] > box.y0) & (points[:, 1] < box.y1)
                assert not inside.any(), (lang, name, label)
