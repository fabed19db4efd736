"""Charts of the reports: titled, labelled axes, the target marked, a colour-blind-safe palette.

Each function takes tables from the analysis modules and returns the chart as a PNG image
(embedded in the HTML report as a data URI), whatever matplotlib backend the kernel uses. Unit names are drawn as plain text (mathtext is off), so a name
holding ``$`` or markup shows as typed.

Every figure is ``WIDTH`` inches wide and no text is smaller than ``SMALL`` points, so that a chart
scaled to the 7 inches of an A4 page's printable width prints every word at 9 pt or more. Tick
labels and annotations are formatted for the report's language (``12,5%`` / ``12.5%``). Legends sit
outside the plotting area, and value labels are placed where no line crosses them.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from IPython.display import Image
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from analysis.data.campaign import active
from analysis.reports.labels import (
    chart_label,
    covariate_name,
    phase_name,
    track_name,
    unit_type_name,
)
from analysis.reports.present import fmt_date, fmt_decimal, fmt_int, fmt_pct

PALETTE = sns.color_palette("colorblind")
_TRACK_PALETTE = (0, 2, 4, 1, 3)  # the campaign's tracks in order: blue, green, purple, orange, red


def track_colour(track: str) -> tuple:
    """A track's colour, by its place in the campaign (the same in every chart)."""
    ids = active().track_ids
    return PALETTE[_TRACK_PALETTE[ids.index(track) % len(_TRACK_PALETTE)]] if track in ids else MUTED
TARGET_RED, MUTED = "#b3261e", "#57606a"
WIDTH = 8.0  # inches: printed 7 in wide on A4, a text of SMALL points prints at SMALL * 7 / 8 >= 9 pt
SMALL = 10.5  # the smallest font used anywhere in a chart
PRINT_WIDTH, PRINT_MIN_PT = 7.0, 9.0
plt.rcParams.update({
    "font.family": "DejaVu Sans", "font.size": 11, "axes.titlesize": 12.5, "axes.titleweight": "bold",
    "axes.labelsize": 11, "xtick.labelsize": SMALL, "ytick.labelsize": SMALL, "legend.fontsize": SMALL,
    "figure.titlesize": 12.5, "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100,
    "savefig.dpi": 125, "text.parse_math": False, "svg.fonttype": "none",
})
_kept: list[Figure] | None = None


@contextmanager
def kept_figures() -> Iterator[list[Figure]]:
    """Inside this block every chart's Figure is also kept (in the list yielded) for inspection."""
    global _kept
    previous, _kept = _kept, []
    try:
        yield _kept
    finally:
        _kept = previous


def _step_digits(locs: Sequence[float], scale: float, most: int = 2) -> int:
    """Decimals needed to tell ticks ``locs`` (times ``scale``) apart exactly: 0 for 5, 10; 1 for 2.5."""
    values = np.asarray(locs, dtype=float) * scale
    for digits in range(most + 1):
        if np.allclose(values, np.round(values, digits), atol=1e-6):
            return digits
    return most


class LangFormatter(Formatter):
    """Tick labels in the report's language, with as many decimals as the tick step needs."""

    def __init__(self, lang: str, kind: str = "pct") -> None:
        self.lang, self.kind, self._ticks = lang, kind, []

    def set_locs(self, locs: Sequence[float]) -> None:
        """Remember the ticks being labelled: their step decides the decimals."""
        self._ticks = list(locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        if self.kind == "int":
            return fmt_int(x, self.lang)
        digits = _step_digits(self._ticks or [x], 100 if self.kind == "pct" else 1)
        if self.kind == "pct":
            return fmt_pct(x, self.lang, digits)
        return fmt_decimal(0.0 if abs(x) < 1e-12 else x, self.lang, digits)


def _percent_axis(axis: Axis, lang: str) -> None:
    axis.set_major_formatter(LangFormatter(lang, "pct"))


def _number_axis(axis: Axis, lang: str, kind: str = "decimal") -> None:
    axis.set_major_formatter(LangFormatter(lang, kind))


def _date_axis(axis: Axis, lang: str) -> None:
    axis.set_major_formatter(DateFormatter("%m/%Y" if lang == "vi" else "%b %Y"))


def _figure(height: float = 4.8) -> tuple[Figure, Axes]:
    fig, ax = plt.subplots(figsize=(WIDTH, height), layout="constrained")
    return fig, ax


def _done(fig: Figure) -> Image:
    """The figure as a PNG image; the Figure is kept when inside ``kept_figures``."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    if _kept is not None:
        _kept.append(fig)
    titles = [" ".join(ax.get_title().split()) for ax in fig.axes if ax.get_title()]
    # the chart's own title(s) as its text alternative, not nbconvert's "No description has been provided"
    return Image(data=buffer.getvalue(), format="png", alt="; ".join(titles) or None)


def _legend_below(ax: Axes, ncols: int = 2, **kwargs) -> None:
    """The legend under the plotting area, where no line can cross it."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False, ncols=ncols, **kwargs)


def _spread(values: Sequence[float], gap: float) -> list[float]:
    """``values`` moved apart (keeping their order) so that neighbours are at least ``gap`` apart."""
    order = np.argsort(values)
    placed = np.asarray(values, dtype=float)[order].copy()
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    overshoot = (placed - np.asarray(values, dtype=float)[order]).mean()
    placed -= overshoot / 2 if len(placed) > 1 else 0
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    out = np.empty_like(placed)
    out[order] = placed
    return out.tolist()


def _text_height(ax: Axes, points: float = SMALL) -> float:
    """The height of a line of text in ``ax``'s y data units (from the figure's current size)."""
    fig = ax.get_figure()
    fig.canvas.draw()
    height_in = ax.get_window_extent().height / fig.dpi
    low, high = ax.get_ylim()
    return abs(high - low) * 1.3 * points / 72 / height_in


def _end_labels(ax: Axes, items: Sequence[tuple[float, float, str, object]], dx: float = 6) -> None:
    """Each line's last value at its end, right of it, moved apart so that no two overlap."""
    if not items:
        return
    ys = _spread([y for _, y, _, _ in items], _text_height(ax))
    for (x, y, text, colour), shown in zip(items, ys):
        ax.annotate(text, (x, shown), xytext=(dx, 0), textcoords="offset points", va="center", ha="left",
                    fontsize=SMALL, color=colour, fontweight="bold", annotation_clip=False)


def _shade_phases(ax: Axes, phases: pd.DataFrame, lang: str) -> None:
    """Phases as alternating bands, each named (in the report's language) at the top left of its band."""
    for i, phase in phases.reset_index(drop=True).iterrows():
        ax.axvspan(phase["start"], phase["end"], color="#eaeef2" if i % 2 == 0 else "#f6f8fa", zorder=0)
        ax.text(phase["start"], 0.99, f" {phase_name(phase['name'], lang)}", transform=ax.get_xaxis_transform(), va="top",
                fontsize=SMALL, color=MUTED)


def _mark_deadline(ax: Axes, deadline: pd.Timestamp, lang: str, y: float = 0.99) -> None:
    """The deadline as a red vertical line, labelled with its date just left of it."""
    ax.axvline(deadline, color=TARGET_RED, lw=1.2)
    ax.text(deadline, y, f"{chart_label('deadline', lang)}\n{fmt_date(deadline, lang)} ", ha="right", va="top",
            transform=ax.get_xaxis_transform(), fontsize=SMALL, color=TARGET_RED)


def _required_path(ax: Axes, residents: pd.DataFrame, deadline: pd.Timestamp, target_rate: float, lang: str) -> None:
    """From the residents' latest rate straight to the target at the deadline: the pace still needed."""
    last = residents.iloc[-1]
    ax.plot([last["as_of"], deadline], [last["rate"], target_rate], color=track_colour(active().main_track), ls="--",
            lw=1.3, label=chart_label("required_path", lang))


def _no_campaign(ax: Axes, projection: pd.DataFrame, start: pd.Series) -> pd.Series | None:
    """The residents' projection without a new campaign: median and 80% band, from the latest rate."""
    if projection.empty or not {"scenario", "level"} <= set(projection.columns):
        return None
    fan = projection[(projection["scenario"] == "no_campaign") & (projection["level"] == active().main_track)]
    if fan.empty:
        return None
    colour = track_colour(active().main_track)
    x = pd.concat([pd.Series([start["as_of"]]), fan["as_of"]])
    ax.fill_between(x, [start["rate"], *fan["p10"]], [start["rate"], *fan["p90"]], color=colour, alpha=0.18, lw=0,
                    label=chart_label("no_campaign_band", start["lang"]))
    ax.plot(x, [start["rate"], *fan["median"]], color=colour, ls="-.", lw=1.5,
            label=chart_label("no_campaign_median", start["lang"]))
    return fan.iloc[-1]


def monitoring_chart(series: pd.DataFrame, target: pd.DataFrame, central: pd.DataFrame, phases: pd.DataFrame,
                     deadline: pd.Timestamp, lang: str, projection: pd.DataFrame | None = None) -> Image:
    """Cumulative rate by report date per track, the national (C06) rate, the straight target line
    from the campaign start to the deadline (labelled with its value), phases shaded, the deadline
    marked, each line's last value, and from the latest rate on: the path required to reach the
    target by the deadline and (when ``projection``, the fans of ``project_scenarios``, is given)
    the residents' projection without a new campaign, median and 80% band."""
    deadline, target_rate = pd.Timestamp(deadline), float(target["rate"].max())
    fig, ax = _figure(5.0)
    _shade_phases(ax, phases, lang)
    series = series[~series["track"].isin(active().own_target)]  # held to a target of their own, not to this line
    ends = []
    for track, group in series.groupby("track", sort=False):
        colour = track_colour(track)
        ax.plot(group["as_of"], group["rate"], marker="o", ms=3, color=colour, label=track_name(track, lang))
        ends.append((group["as_of"].iloc[-1], group["rate"].iloc[-1], fmt_pct(group["rate"].iloc[-1], lang, 1), colour))
    if len(central):
        ax.plot(central["as_of"], central["rate"], ls="--", marker="s", ms=4, color="black",
                label=chart_label("central_line", lang))
    ax.plot(target["as_of"], target["rate"], color=MUTED, ls=":", lw=2, label=chart_label("target_line", lang))
    right = [(deadline, target_rate, f"{chart_label('target', lang)} {fmt_pct(target_rate, lang, 0)}", TARGET_RED)]
    residents = series[series["track"] == active().main_track]
    if len(residents):
        _required_path(ax, residents, deadline, target_rate, lang)
    if projection is not None and len(residents):
        last = _no_campaign(ax, projection, pd.Series({**residents.iloc[-1].to_dict(), "lang": lang}))
        if last is not None:
            right.append((deadline, last["median"], fmt_pct(last["median"], lang, 1), track_colour(active().main_track)))
    _mark_deadline(ax, deadline, lang)
    start = min(series["as_of"].min(), target["as_of"].min())
    ax.set_xlim(start - (deadline - start) * 0.02, deadline + (deadline - start) * 0.17)
    ax.set_ylim(0, max(1.0 if series["rate"].max() > 0.6 else 0.5, target_rate * 1.1))
    _percent_axis(ax.yaxis, lang)
    ax.set_ylabel(chart_label("rate_axis", lang))
    _date_axis(ax.xaxis, lang)
    ax.set_title(chart_label("monitoring_title", lang))
    _legend_below(ax, ncols=2)
    _end_labels(ax, right)
    _observed_labels(ax, ends, central, lang)
    return _done(fig)


def _observed_labels(ax: Axes, ends: list, central: pd.DataFrame, lang: str) -> None:
    """The observed lines' last values: the highest above and left of its last point (the required
    path and the projection leave it to the right), on a white ground where the target line passes;
    the others right of their last point, moved apart so that none overlap."""
    if len(central):
        ends = [*ends, (central["as_of"].iloc[-1], central["rate"].iloc[-1],
                        fmt_pct(central["rate"].iloc[-1], lang, 1), "black")]
    if not ends:
        return
    ends = sorted(ends, key=lambda end: -end[1])
    x, y, text, colour = ends[0]
    ax.annotate(text, (x, y), xytext=(-2, 7), textcoords="offset points", ha="right", va="bottom", fontsize=SMALL,
                color=colour, fontweight="bold", zorder=5,
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    _end_labels(ax, ends[1:])


def _target_vline(ax: Axes, target_rate: float, lang: str, y: float) -> None:
    """A vertical target line, labelled with its value at ``y`` (data units, a free band above the bars)."""
    ax.axvline(target_rate, color=TARGET_RED, ls="--", lw=1.5)
    ax.text(target_rate, y, f" {chart_label('target', lang)} {fmt_pct(target_rate, lang, 0)}", color=TARGET_RED,
            fontsize=SMALL, va="center", ha="left")


def unit_type_chart(league: pd.DataFrame, target_rate: float, lang: str) -> Image:
    """Distribution of unit rates by unit type (box and every unit as a dot), target marked."""
    data = league[league["track"].isin(active().projected)].dropna(subset=["rate"]).copy()
    data["type_label"] = [unit_type_name(t, lang) for t in data["unit_type"]]
    order = data.groupby("type_label")["rate"].median().sort_values(ascending=False).index.tolist()
    fig, ax = _figure(0.7 * len(order) + 1.8)
    sns.boxplot(data=data, y="type_label", x="rate", order=order, color="#eaeef2", showfliers=False, ax=ax)
    jitter = np.random.default_rng(0).uniform(-0.18, 0.18, len(data))  # seeded: the same chart every run
    ax.scatter(data["rate"], data["type_label"].map({t: i for i, t in enumerate(order)}) + jitter, s=16,
               color=PALETTE[0], alpha=0.8, zorder=3)
    ax.set_ylim(len(order) - 0.5, -1.1)
    _target_vline(ax, target_rate, lang, -0.8)
    _percent_axis(ax.xaxis, lang)
    ax.set_xlabel(chart_label("rate_axis", lang))
    ax.set_ylabel("")
    ax.set_title(chart_label("unit_types_title", lang))
    return _done(fig)


def _counts_axis(tracks: pd.Series, lang: str) -> str:
    """What the bars of ``tracks`` count: people, patient visits, or each (named by its track)."""
    counts = {found.counts for found in map(active().track, tracks) if found}
    if "visits" in counts and counts - {"visits"}:
        visits = active().track(active().counting("visits"))
        name = visits.name[lang][:1].lower() + visits.name[lang][1:] if lang == "vi" else visits.short[lang]
        return chart_label("people_or_visits_axis", lang).format(visits=name)
    return chart_label("visits_axis" if counts == {"visits"} else "people_axis", lang)


def funnel_chart(funnel: pd.DataFrame, lang: str) -> Image:
    """Supported vs recorded centrally, per track: the data-exchange gap (people and patient visits are
    different counts, so no bar adds them: the province's own count is in the text)."""
    fig, ax = _figure(3.0)
    rows = funnel[funnel["supported"].notna()].reset_index(drop=True)
    names = [chart_label("province", lang) if lv == "province" else track_name(lv, lang) for lv in rows["level"]]
    y = np.arange(len(rows))
    supported = rows["supported"].astype(float).to_numpy()
    central = rows["integrated_central"].astype(float).fillna(0).to_numpy()
    ax.barh(y, supported, color=PALETTE[0], alpha=0.35, label=chart_label("supported", lang))
    ax.barh(y, central, color=PALETTE[0], label=chart_label("recorded_central", lang))
    inside = central > 0.4 * supported.max()
    for yi, s, c, conv, ins in zip(y, supported, central, rows["central_conversion"], inside):
        ax.text(s, yi, f" {fmt_int(s, lang)}", va="center", fontsize=SMALL)
        if c > 0:
            ax.text(c, yi, f" {fmt_int(c, lang)} ({fmt_pct(conv, lang, 1)}) ", va="center", fontsize=SMALL,
                    color="white" if ins else "black", ha="right" if ins else "left")
    ax.set_yticks(y, [textwrap.fill(n, 22) for n in names])
    ax.invert_yaxis()
    _number_axis(ax.xaxis, lang, "int")
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.set_xlim(0, supported.max() * 1.22)
    ax.set_xlabel(_counts_axis(rows["level"], lang))
    ax.set_title(chart_label("funnel_title", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), frameon=False, ncols=2)
    return _done(fig)


def _fit_between(values: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """``values`` spread ``gap`` apart, then moved (or squeezed evenly) into ``[low, high]``."""
    ys = np.asarray(_spread(values, gap))
    if len(ys) and ys.max() - ys.min() > high - low:
        order = np.argsort(values)
        out = np.empty(len(ys))
        out[order] = np.linspace(low, high, len(ys))
        return out.tolist()
    shift = min(0.0, high - ys.max()) + max(0.0, low - ys.min()) if len(ys) else 0.0
    return (ys + shift).tolist()


def _name_problem_units(ax: Axes, units: pd.DataFrame, pooled: float) -> None:
    """Names of the units in the data-exchange quadrant (supported well, recorded little), in a
    column right of the plot at the height of their dots, each joined to its dot by a thin line."""
    if units.empty:
        return
    ax.get_figure().canvas.draw()  # the final layout, so that the text height is right
    gap = 1.1 * _text_height(ax)
    low = ax.get_ylim()[0] + gap / 2
    ys = _fit_between(units["conversion"].tolist(), gap, low, pooled - gap / 2)
    for (_, unit), y in zip(units.iterrows(), ys):
        ax.annotate(str(unit["name"]), (unit["achievement"], unit["conversion"]), xytext=(1.03, y),
                    textcoords=ax.get_yaxis_transform(), ha="left", va="center", fontsize=SMALL,
                    annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": "#8c959f", "lw": 0.7, "shrinkA": 0, "shrinkB": 3})


def quadrant_chart(quadrants: pd.DataFrame, amber: float, lang: str) -> Image:
    """Supported (achievement of target) against central conversion, one dot per unit, four quadrants;
    the units of the data-exchange quadrant (supported well, recorded little) named."""
    fig, ax = _figure(6.0)
    if quadrants.empty:
        ax.text(0.5, 0.5, chart_label("no_central_per_unit", lang), ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return _done(fig)
    pooled = float(quadrants["pooled_conversion"].iloc[0])
    for track, group in quadrants.groupby("track", sort=False):
        ax.scatter(group["achievement"], group["conversion"], s=22, color=track_colour(track),
                   label=track_name(track, lang), alpha=0.85)
    ax.axvline(amber, color=MUTED, ls="--", lw=1)
    ax.axhline(pooled, color=MUTED, ls="--", lw=1)
    corners = {"on_track": (0.99, 0.99, "right", "top"), "data_exchange": (0.99, 0.01, "right", "bottom"),
               "outreach": (0.01, 0.99, "left", "top"), "both": (0.01, 0.01, "left", "bottom")}
    for key, (x, y, ha, va) in corners.items():
        n = int((quadrants["quadrant"] == key).sum())
        ax.text(x, y, textwrap.fill(f"{chart_label('q_' + key, lang)} ({n})", 14), transform=ax.transAxes, ha=ha, va=va, ma=ha,
                fontsize=SMALL, color=MUTED, fontweight="bold" if key == "data_exchange" else "normal")
    low, high = ax.get_ylim()
    ax.set_ylim(low - 0.08 * (high - low), high + 0.08 * (high - low))
    _percent_axis(ax.xaxis, lang)
    _percent_axis(ax.yaxis, lang)
    ax.set_xlabel(chart_label("achievement_axis", lang))
    ax.set_ylabel(chart_label("conversion_axis", lang))
    ax.set_title(chart_label("quadrant_title", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False, ncols=2)
    _name_problem_units(ax, quadrants[quadrants["quadrant"] == "data_exchange"], pooled)
    return _done(fig)


def completeness_chart(completeness: pd.DataFrame, lang: str) -> Image:
    """Share of expected units that reported, by report date and track; each line's last value."""
    fig, ax = _figure(3.8)
    ends = []
    for track, group in completeness.groupby("track", sort=False):
        colour = track_colour(track)
        ax.plot(group["as_of"], group["completeness"], marker="o", ms=3, color=colour, label=track_name(track, lang))
        ends.append((group["as_of"].iloc[-1], group["completeness"].iloc[-1],
                     fmt_pct(group["completeness"].iloc[-1], lang, 0), colour))
    ax.set_ylim(0, 1.05)
    start, end = completeness["as_of"].min(), completeness["as_of"].max()
    ax.set_xlim(start - (end - start) * 0.02, end + (end - start) * 0.12)
    _percent_axis(ax.yaxis, lang)
    _date_axis(ax.xaxis, lang)
    ax.set_ylabel(chart_label("completeness_axis", lang))
    ax.set_title(chart_label("completeness_title", lang))
    _legend_below(ax, ncols=3)
    _end_labels(ax, ends)
    return _done(fig)


def _rank_panel(ax: Axes, history: pd.DataFrame, province: str, lang: str) -> None:
    """The province's rank by date, each point labelled with its rank."""
    ranks = history["rank"].astype(float)
    ax.plot(history["as_of"], ranks, marker="o", color="black")
    values = ranks.tolist()
    for i, (date, rank) in enumerate(zip(history["as_of"], values)):
        neighbours = values[max(i - 1, 0):i] + values[i + 1:i + 2]
        below = any(n < rank for n in neighbours)  # the line climbs from here: the label goes under the point
        ax.annotate(fmt_int(rank, lang), (date, rank), textcoords="offset points", xytext=(0, -7 if below else 7),
                    ha="center", va="top" if below else "bottom", fontsize=SMALL)
    ax.set_ylim(ranks.max() + 2, max(ranks.min() - 2.5, 0.5))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _number_axis(ax.yaxis, lang, "int")
    _date_axis(ax.xaxis, lang)
    ax.set_ylabel(chart_label("rank_axis", lang))
    ax.set_title(chart_label("rank_title", lang).format(province=province))


def _ranking_panel(ax: Axes, ranking: pd.DataFrame, lang: str) -> None:
    """Every province's central rate, the province itself highlighted and its value written."""
    y = np.arange(len(ranking))
    colours = [PALETTE[3] if s else "#afb8c1" for s in ranking["is_self"]]
    ax.barh(y, ranking["rate"], color=colours)
    ax.set_yticks(y, ranking["name"].astype(str))
    for yi, rate, is_self in zip(y, ranking["rate"], ranking["is_self"]):
        if is_self:
            ax.text(rate, yi, f" {fmt_pct(rate, lang, 1)}", va="center", fontsize=SMALL, fontweight="bold")
    ax.set_ylim(len(ranking) - 0.5, -0.7)
    ax.set_xlim(0, float(ranking["rate"].max()) * 1.12)
    ax.tick_params(axis="y", length=0)
    _percent_axis(ax.xaxis, lang)
    ax.set_title(chart_label("ranking_title", lang))


def province_chart(history: pd.DataFrame, ranking: pd.DataFrame, province: str, lang: str) -> Image:
    """The province's rank over time, and (below it) every province's central rate on the latest date."""
    if len(ranking) == 0:
        fig, ax = _figure(3.4)
        _rank_panel(ax, history, province, lang)
        return _done(fig)
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(WIDTH, 3.0 + 0.2 * len(ranking) + 1.0), layout="constrained",
                                  height_ratios=[3.0, 0.2 * len(ranking) + 1.0])
    _rank_panel(ax, history, province, lang)
    _ranking_panel(ax2, ranking, lang)
    return _done(fig)


def effects_chart(effects: pd.DataFrame, lang: str) -> Image:
    """Forest plot: the effect of 10 more points of each covariate, by model, population-weighted."""
    shown = effects[effects["weighting"] == "population"]
    models = [("quasi_binomial", "quasi", PALETTE[0]), ("beta_binomial", "beta_binomial", PALETTE[1]),
              ("binomial_scale_1", "binomial", "#8c959f")]
    covariates = list(dict.fromkeys(shown["covariate"]))
    fig, ax = _figure(0.95 * len(covariates) + 1.9)
    for m, (model, key, colour) in enumerate(models):
        rows = shown[shown["model"] == model].set_index("covariate").reindex(covariates)
        y = np.arange(len(covariates)) + (m - 1) * 0.22
        ax.errorbar(rows["effect_pp"], y, xerr=[rows["effect_pp"] - rows["ci_low_pp"], rows["ci_high_pp"] - rows["effect_pp"]],
                    fmt="o", color=colour, capsize=3, label=chart_label(key, lang))
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(np.arange(len(covariates)), [textwrap.fill(covariate_name(c, lang), 22) for c in covariates])
    ax.invert_yaxis()
    _number_axis(ax.xaxis, lang)
    ax.set_xlabel(chart_label("effect_axis", lang))
    ax.set_title(textwrap.fill(chart_label("effects_title", lang), 60))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=3, frameon=False)
    return _done(fig)


def scenarios_chart(table: pd.DataFrame, names: list[str], target_rate: float, lang: str) -> Image:
    """The residents' rate today and under each scenario, with intervals, the target marked. Each
    value is written inside its bar, near the base, where the interval cannot cross it."""
    fig, ax = _figure(0.7 * len(table) + 1.9)
    y = np.arange(len(table))
    colours = [PALETTE[7]] + [PALETTE[0]] * (len(table) - 1)
    ax.barh(y, table["rate"], color=colours)
    ax.errorbar(table["rate"], y, xerr=[table["rate"] - table["ci_low"], table["ci_high"] - table["rate"]],
                fmt="none", color="black", capsize=3)
    right = max(target_rate, table["ci_high"].max()) * 1.15
    for yi, rate, colour in zip(y, table["rate"], colours):
        ax.text(right * 0.01, yi, fmt_pct(rate, lang, 1), va="center", ha="left", fontsize=SMALL, fontweight="bold",
                color="black" if colour == PALETTE[7] else "white")
    ax.set_ylim(len(table) - 0.5, -1.2)
    _target_vline(ax, target_rate, lang, -0.85)
    ax.set_yticks(y, [textwrap.fill(n, 26) for n in names])
    ax.set_xlim(0, right)
    _percent_axis(ax.xaxis, lang)
    ax.set_xlabel(chart_label("rate_axis", lang))
    ax.set_title(chart_label("scenarios_title", lang))
    return _done(fig)


def gap_chart(gap: pd.DataFrame, names: list[str], lang: str) -> Image:
    """Waterfall of how far the profiles put the province below the benchmark: each covariate's part
    (they add up to the whole), the whole marked and labelled."""
    parts = gap[gap["component"] != "benchmark"].reset_index(drop=True)
    fig, ax = _figure(4.4)
    start = 0.0
    for i, row in parts.iterrows():
        ax.bar(i, row["pp"], bottom=start, color=PALETTE[0])
        ax.errorbar(i, start + row["pp"], yerr=[[row["pp"] - row["ci_low_pp"]], [row["ci_high_pp"] - row["pp"]]],
                    color="black", capsize=3)
        start += row["pp"]
    total = float(gap.loc[gap["component"] == "benchmark", "pp"].iloc[0])
    ax.axhline(total, color=TARGET_RED, ls="--")
    ax.set_xlim(-0.6, len(parts) - 0.4)
    ax.text(-0.55, total, f"{chart_label('benchmark_line', lang)} {fmt_decimal(total, lang, 1)}", color=TARGET_RED,
            fontsize=SMALL, va="bottom", ha="left")
    low, high = ax.get_ylim()
    ax.set_ylim(min(low, 0), max(high, total + 0.12 * (high - low)))
    ax.set_xticks(range(len(parts)), [textwrap.fill(n, 16) for n in names])
    _number_axis(ax.yaxis, lang)
    ax.set_ylabel(chart_label("effect_axis", lang))
    ax.set_title(chart_label("gap_title", lang))
    return _done(fig)


def residuals_chart(residuals: pd.DataFrame, worst: int, lang: str) -> Image:
    """Standardised residual of each commune against its predicted rate; the worst named."""
    fig, ax = _figure(4.6)
    ax.scatter(residuals["fitted"], residuals["residual"], s=18, color=PALETTE[0])
    for _, row in residuals.head(worst).iterrows():
        ax.annotate(str(row["name"]), (row["fitted"], row["residual"]), fontsize=SMALL, xytext=(5, 0),
                    textcoords="offset points", va="center")
    ax.axhline(0, color="black", lw=0.8)
    for bound in (-2, 2):
        ax.axhline(bound, color="#8c959f", ls=":", lw=0.8)
    _percent_axis(ax.xaxis, lang)
    _number_axis(ax.yaxis, lang)
    ax.set_xlabel(chart_label("fitted_axis", lang))
    ax.set_ylabel(chart_label("residual_axis", lang))
    ax.set_title(chart_label("residuals_title", lang))
    return _done(fig)


def _fan_panel(ax: Axes, seen: pd.DataFrame, fans: pd.DataFrame, colours: dict, scenario_names: dict,
               lang: str) -> list:
    """One level's observed path and each scenario's median and bands; returns the end labels."""
    ax.plot(seen["as_of"], seen["rate"], color="black", lw=2, label=chart_label("observed", lang))
    ends = [(seen["as_of"].iloc[-1], seen["rate"].iloc[-1], fmt_pct(seen["rate"].iloc[-1], lang, 1), "black")]
    for scenario, label_text in scenario_names.items():
        fan = fans[fans["scenario"] == scenario]
        if fan.empty:
            continue
        start = seen.iloc[[-1]]
        x = pd.concat([start["as_of"], fan["as_of"]])
        ax.fill_between(fan["as_of"], fan["p025"], fan["p975"], color=colours[scenario], alpha=0.12, lw=0)
        ax.fill_between(fan["as_of"], fan["p10"], fan["p90"], color=colours[scenario], alpha=0.25, lw=0)
        ax.plot(x, pd.concat([start["rate"], fan["median"]]), color=colours[scenario], label=label_text)
        ends.append((fan["as_of"].iloc[-1], fan["median"].iloc[-1], fmt_pct(fan["median"].iloc[-1], lang, 1),
                     colours[scenario]))
    return ends


def fan_chart(observed: pd.DataFrame, fans: pd.DataFrame, levels: list[str], names: list[str], scenario_names: dict,
              target_rate: float, deadline: pd.Timestamp, lang: str) -> Image:
    """Observed path, median projection and 80%/95% bands per scenario, the target and the deadline
    (both labelled), each line's last value; one panel per level, stacked."""
    deadline = pd.Timestamp(deadline)
    fig, axes = plt.subplots(len(levels), 1, figsize=(WIDTH, 2.9 * len(levels) + 1.0), layout="constrained",
                             sharex=True, sharey=True, squeeze=False)
    colours = dict(zip(scenario_names, [PALETTE[0], PALETTE[1], PALETTE[2]]))
    shown = fans[fans["level"].isin(levels)]
    start = observed["as_of"].min()
    for ax, level, name in zip(axes[:, 0], levels, names):
        seen = observed[observed["level"] == level]
        ends = _fan_panel(ax, seen, fans[fans["level"] == level], colours, scenario_names, lang)
        ax.plot([start, deadline], [target_rate, target_rate], color=TARGET_RED, ls="--", lw=1)
        ax.text(start, target_rate, f"{chart_label('target', lang)} {fmt_pct(target_rate, lang, 0)}",
                color=TARGET_RED, fontsize=SMALL, va="bottom", ha="left")
        _mark_deadline(ax, deadline, lang, y=0.35)
        ax.set_title(chart_label("fan_title", lang).format(level=name), fontsize=11.5)
        ax.set_xlim(start - (deadline - start) * 0.02, deadline + (deadline - start) * 0.11)
        ax.set_ylim(0, max(target_rate * 1.15, float(shown["p975"].max()) * 1.05 if len(shown) else target_rate))
        _percent_axis(ax.yaxis, lang)
        _date_axis(ax.xaxis, lang)
        _end_labels(ax, ends[1:], dx=4)
        _observed_label(ax, ends[0])
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False)
    return _done(fig)


def _observed_label(ax: Axes, end: tuple) -> None:
    """The observed path's last value, above and left of its last point (the projections go right)."""
    x, y, text, colour = end
    ax.annotate(text, (x, y), xytext=(-4, 6), textcoords="offset points", ha="right", va="bottom",
                fontsize=SMALL, color=colour, fontweight="bold")


def outreach_chart(plan: pd.DataFrame, lang: str, shown: int = 20) -> Image:
    """Where the teams go (team-weeks per commune) and what it buys (expected extra people)."""
    top = plan[plan["team_weeks"] > 0].head(shown)
    fig, ax = _figure(0.3 * max(len(top), 4) + 1.6)
    y = np.arange(len(top))
    ax.barh(y, top["team_weeks"], color=PALETTE[0])
    for yi, weeks, gained in zip(y, top["team_weeks"], top["expected_gain"]):
        ax.text(weeks, yi, f" +{fmt_int(gained, lang)}", va="center", fontsize=SMALL)
    ax.set_yticks(y, top["name"].astype(str))
    ax.set_ylim(len(top) - 0.5, -0.6)
    ax.set_xlim(0, top["team_weeks"].max() * 1.25 if len(top) else 1)
    _number_axis(ax.xaxis, lang)
    ax.set_xlabel(chart_label("team_weeks_axis", lang))
    ax.set_title(chart_label("outreach_chart", lang))
    return _done(fig)


def national_chart(table: pd.DataFrame, target_rate: float, lang: str) -> Image:
    """Every province's central rate (bars, by rank) and, where reported, its residents' rate (dots);
    the target line labelled with its value."""
    fig, ax = _figure(max(4.0, 0.22 * len(table) + 1.8))
    y = np.arange(len(table))
    ax.barh(y, table["central_rate"], color=PALETTE[0], label=chart_label("central_rate", lang))
    reported = table["rate_now"].notna().to_numpy()
    ax.scatter(table.loc[reported, "rate_now"], y[reported], color=PALETTE[3], zorder=3, s=24,
               label=chart_label("reported_residents", lang))
    ax.set_yticks(y, table["province"].astype(str))
    ax.set_ylim(len(table) - 0.5, -1.6)
    _target_vline(ax, target_rate, lang, -1.0)
    ax.tick_params(axis="y", length=0)
    _percent_axis(ax.xaxis, lang)
    ax.set_title(chart_label("national_chart", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.04), frameon=False, ncols=1)
    return _done(fig)
