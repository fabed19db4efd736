"""Charts of the reports: titled, labelled axes, the target marked, a colour-blind-safe palette.

Each function takes tables from the analysis modules and returns the chart as a PNG image
(embedded in the HTML report as a data URI), whatever matplotlib backend the kernel uses. Unit names are drawn as plain text (mathtext is off), so a name
holding ``$`` or markup shows as typed.
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from IPython.display import Image
from matplotlib.dates import DateFormatter
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis.reports.labels import chart_label, track_name, unit_type_name
from analysis.reports.present import fmt_int, fmt_pct

PALETTE = sns.color_palette("colorblind")
TRACK_COLOURS = {"residents": PALETTE[0], "facilities": PALETTE[2], "cadres": PALETTE[4]}
plt.rcParams.update({
    "font.family": "DejaVu Sans", "font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold",
    "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100, "savefig.dpi": 100,
    "text.parse_math": False, "svg.fonttype": "none",
})


def _percent_axis(axis, lang: str, digits: int = 0) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: fmt_pct(v, lang, digits)))


def _date_axis(axis, lang: str) -> None:
    axis.set_major_formatter(DateFormatter("%m/%Y" if lang == "vi" else "%b %Y"))


def _figure(width: float = 10, height: float = 4.8):
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def _done(fig) -> Image:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return Image(data=buffer.getvalue(), format="png")


def _shade_phases(ax, phases: pd.DataFrame) -> None:
    for i, phase in phases.reset_index(drop=True).iterrows():
        ax.axvspan(phase["start"], phase["end"], color="#eaeef2" if i % 2 == 0 else "#f6f8fa", zorder=0)
        ax.text(phase["start"], 1.0, f" {phase['name']}", transform=ax.get_xaxis_transform(), va="top",
                fontsize=9, color="#57606a")


def monitoring_chart(series: pd.DataFrame, target: pd.DataFrame, central: pd.DataFrame, phases: pd.DataFrame,
                     deadline: pd.Timestamp, lang: str):
    """Cumulative rate by report date per track, the national (C06) rate, the straight target
    line from the campaign start to the deadline, phases shaded, the deadline marked."""
    fig, ax = _figure()
    _shade_phases(ax, phases)
    series = series[series["track"] != "cadres"]  # agencies are held to 100%, not to this target line
    for track, group in series.groupby("track", sort=False):
        ax.plot(group["as_of"], group["rate"], marker="o", ms=3, color=TRACK_COLOURS.get(track),
                label=track_name(track, lang))
    if len(central):
        ax.plot(central["as_of"], central["rate"], ls="--", marker="s", ms=4, color="black",
                label=chart_label("central_line", lang))
    ax.plot(target["as_of"], target["rate"], color="#57606a", ls=":", lw=2, label=chart_label("target_line", lang))
    ax.axvline(pd.Timestamp(deadline), color="#b3261e", lw=1)
    ax.text(pd.Timestamp(deadline), 0.02, f" {chart_label('deadline', lang)}", transform=ax.get_xaxis_transform(),
            color="#b3261e", fontsize=9)
    ax.set_ylim(0, max(1.0 if series["rate"].max() > 0.6 else 0.5, target["rate"].max() * 1.1))
    _percent_axis(ax.yaxis, lang)
    ax.set_ylabel(chart_label("rate_axis", lang))
    ax.set_xlabel(chart_label("date_axis", lang))
    _date_axis(ax.xaxis, lang)
    ax.set_title(chart_label("monitoring_title", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(0, 0.93), fontsize=9, frameon=False)
    return _done(fig)


def unit_type_chart(league: pd.DataFrame, target_rate: float, lang: str):
    """Distribution of unit rates by unit type (box and every unit as a dot), target marked."""
    data = league[league["track"].isin(["residents", "facilities"])].dropna(subset=["rate"]).copy()
    data["type_label"] = [unit_type_name(t, lang) for t in data["unit_type"]]
    order = data.groupby("type_label")["rate"].median().sort_values(ascending=False).index.tolist()
    fig, ax = _figure(10, 0.6 * len(order) + 1.6)
    sns.boxplot(data=data, y="type_label", x="rate", order=order, color="#eaeef2", showfliers=False, ax=ax)
    jitter = np.random.default_rng(0).uniform(-0.18, 0.18, len(data))  # seeded: the same chart every run
    ax.scatter(data["rate"], data["type_label"].map({t: i for i, t in enumerate(order)}) + jitter, s=16,
               color=PALETTE[0], alpha=0.8, zorder=3)
    ax.axvline(target_rate, color="#b3261e", ls="--", lw=1.5)
    ax.text(target_rate, -0.6, f" {chart_label('target', lang)} {fmt_pct(target_rate, lang, 0)}", color="#b3261e", fontsize=9)
    _percent_axis(ax.xaxis, lang)
    ax.set_xlabel(chart_label("rate_axis", lang))
    ax.set_ylabel("")
    ax.set_title(chart_label("unit_types_title", lang))
    return _done(fig)


def funnel_chart(funnel: pd.DataFrame, lang: str):
    """Supported vs recorded centrally, per track and for the province: the data-exchange gap."""
    fig, ax = _figure(10, 3.2)
    rows = funnel.reset_index(drop=True)
    names = [chart_label("province", lang) if lv == "province" else track_name(lv, lang) for lv in rows["level"]]
    y = np.arange(len(rows))
    supported = rows["supported"].astype(float).to_numpy()
    central = rows["integrated_central"].astype(float).fillna(0).to_numpy()
    ax.barh(y, supported, color=PALETTE[0], alpha=0.35, label=chart_label("supported", lang))
    ax.barh(y, central, color=PALETTE[0], label=chart_label("recorded_central", lang))
    for yi, s, c, conv in zip(y, supported, central, rows["central_conversion"]):
        ax.text(s, yi, f"  {fmt_int(s, lang)}", va="center", fontsize=9)
        if c > 0:
            ax.text(c, yi, f"  {fmt_int(c, lang)} ({fmt_pct(conv, lang, 1)})", va="center", fontsize=9, color="white"
                    if c > 0.25 * supported.max() else "black", ha="right" if c > 0.25 * supported.max() else "left")
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_int(v, lang)))
    ax.set_xlim(0, supported.max() * 1.2)
    ax.set_xlabel(chart_label("people_axis", lang))
    ax.set_title(chart_label("funnel_title", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), frameon=False, fontsize=9, ncols=2)
    return _done(fig)


def quadrant_chart(quadrants: pd.DataFrame, amber: float, lang: str):
    """Supported (achievement of target) against central conversion, one dot per unit, four quadrants."""
    fig, ax = _figure(10, 5.5)
    if quadrants.empty:
        ax.text(0.5, 0.5, chart_label("no_central_per_unit", lang), ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return _done(fig)
    pooled = float(quadrants["pooled_conversion"].iloc[0])
    for track, group in quadrants.groupby("track", sort=False):
        ax.scatter(group["achievement"], group["conversion"], s=22, color=TRACK_COLOURS.get(track),
                   label=track_name(track, lang), alpha=0.85)
    ax.axvline(amber, color="#57606a", ls="--", lw=1)
    ax.axhline(pooled, color="#57606a", ls="--", lw=1)
    corners = {"on_track": (0.98, 0.98, "right", "top"), "data_exchange": (0.98, 0.02, "right", "bottom"),
               "outreach": (0.02, 0.98, "left", "top"), "both": (0.02, 0.02, "left", "bottom")}
    for key, (x, y, ha, va) in corners.items():
        n = int((quadrants["quadrant"] == key).sum())
        ax.text(x, y, f"{chart_label('q_' + key, lang)} ({n})", transform=ax.transAxes, ha=ha, va=va,
                fontsize=9, color="#57606a")
    _percent_axis(ax.xaxis, lang)
    _percent_axis(ax.yaxis, lang)
    ax.set_xlabel(chart_label("achievement_axis", lang))
    ax.set_ylabel(chart_label("conversion_axis", lang))
    ax.set_title(chart_label("quadrant_title", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False, fontsize=9, ncols=2)
    return _done(fig)


def completeness_chart(completeness: pd.DataFrame, lang: str):
    """Share of expected units that reported, by report date and track."""
    fig, ax = _figure(10, 3.2)
    for track, group in completeness.groupby("track", sort=False):
        ax.plot(group["as_of"], group["completeness"], marker="o", ms=3, color=TRACK_COLOURS.get(track),
                label=track_name(track, lang))
    ax.set_ylim(0, 1.05)
    _percent_axis(ax.yaxis, lang)
    _date_axis(ax.xaxis, lang)
    ax.set_ylabel(chart_label("completeness_axis", lang))
    ax.set_title(chart_label("completeness_title", lang))
    ax.legend(loc="lower left", frameon=False, fontsize=9)
    return _done(fig)


def province_chart(history: pd.DataFrame, ranking: pd.DataFrame, province: str, lang: str):
    """The province's rank over time, and every province's central rate on the latest date."""
    with_ranking = len(ranking) > 0
    fig, axes = plt.subplots(1, 2 if with_ranking else 1, figsize=(11, 6 if with_ranking else 3.2),
                             layout="constrained", width_ratios=[1, 1.3] if with_ranking else None, squeeze=False)
    ax = axes[0][0]
    ax.plot(history["as_of"], history["rank"].astype(float), marker="o", color="black")
    for _, row in history.iterrows():
        ax.annotate(f"{row['rank']}", (row["as_of"], float(row["rank"])), textcoords="offset points", xytext=(0, 6),
                    ha="center", fontsize=9)
    ranks = history["rank"].astype(float)
    ax.set_ylim(ranks.max() + 2, max(ranks.min() - 2, 0.5))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _date_axis(ax.xaxis, lang)
    ax.set_ylabel(chart_label("rank_axis", lang))
    ax.set_title(chart_label("rank_title", lang).format(province=province))
    ax.tick_params(axis="x", rotation=30)
    if with_ranking:
        ax2 = axes[0][1]
        colours = [PALETTE[3] if s else "#afb8c1" for s in ranking["is_self"]]
        ax2.barh(ranking["name"].astype(str), ranking["rate"], color=colours)
        ax2.invert_yaxis()
        ax2.tick_params(axis="y", labelsize=7)
        _percent_axis(ax2.xaxis, lang)
        ax2.set_title(chart_label("ranking_title", lang))
    return _done(fig)


def effects_chart(effects: pd.DataFrame, lang: str):
    """Forest plot: the effect of 10 more points of each covariate, by model, population-weighted."""
    from analysis.reports.labels import covariate_name

    shown = effects[effects["weighting"] == "population"]
    models = [("quasi_binomial", "quasi", PALETTE[0]), ("beta_binomial", "beta_binomial", PALETTE[1]),
              ("binomial_scale_1", "binomial", "#8c959f")]
    covariates = list(dict.fromkeys(shown["covariate"]))
    fig, ax = _figure(10, 0.9 * len(covariates) + 1.6)
    for m, (model, key, colour) in enumerate(models):
        rows = shown[shown["model"] == model].set_index("covariate").reindex(covariates)
        y = np.arange(len(covariates)) + (m - 1) * 0.22
        ax.errorbar(rows["effect_pp"], y, xerr=[rows["effect_pp"] - rows["ci_low_pp"], rows["ci_high_pp"] - rows["effect_pp"]],
                    fmt="o", color=colour, capsize=3, label=chart_label(key, lang))
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(np.arange(len(covariates)), [covariate_name(c, lang) for c in covariates])
    ax.invert_yaxis()
    ax.set_xlabel(chart_label("effect_axis", lang))
    ax.set_title(chart_label("effects_title", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=3, frameon=False, fontsize=9)
    return _done(fig)


def scenarios_chart(table: pd.DataFrame, names: list[str], target_rate: float, lang: str):
    """The residents' rate today and under each scenario, with intervals, the target marked."""
    fig, ax = _figure(10, 0.6 * len(table) + 1.4)
    y = np.arange(len(table))
    ax.barh(y, table["rate"], color=[PALETTE[7]] + [PALETTE[0]] * (len(table) - 1))
    ax.errorbar(table["rate"], y, xerr=[table["rate"] - table["ci_low"], table["ci_high"] - table["rate"]],
                fmt="none", color="black", capsize=3)
    for yi, rate in zip(y, table["rate"]):
        ax.text(rate, yi, f"  {fmt_pct(rate, lang, 1)}", va="center", ha="left", fontsize=9)
    ax.axvline(target_rate, color="#b3261e", ls="--")
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, max(target_rate, table["ci_high"].max()) * 1.15)
    _percent_axis(ax.xaxis, lang)
    ax.set_title(chart_label("scenarios_title", lang))
    return _done(fig)


def gap_chart(gap: pd.DataFrame, names: list[str], lang: str):
    """Waterfall of the gap to the target: each covariate's share, then what is unexplained."""
    parts = gap[gap["component"] != "gap"].reset_index(drop=True)
    fig, ax = _figure(10, 3.6)
    start = 0.0
    for i, row in parts.iterrows():
        colour = "#8c959f" if row["component"] == "unexplained" else PALETTE[0]
        ax.bar(i, row["pp"], bottom=start, color=colour)
        ax.errorbar(i, start + row["pp"], yerr=[[row["pp"] - row["ci_low_pp"]], [row["ci_high_pp"] - row["pp"]]],
                    color="black", capsize=3)
        start += row["pp"]
    total = float(gap.loc[gap["component"] == "gap", "pp"].iloc[0])
    ax.axhline(total, color="#b3261e", ls="--")
    ax.set_xticks(range(len(parts)), names, rotation=15, ha="right")
    ax.set_ylabel(chart_label("effect_axis", lang))
    ax.set_title(chart_label("gap_title", lang))
    return _done(fig)


def residuals_chart(residuals: pd.DataFrame, worst: int, lang: str):
    """Standardised residual of each commune against its predicted rate; the worst named."""
    fig, ax = _figure(10, 4)
    ax.scatter(residuals["fitted"], residuals["residual"], s=18, color=PALETTE[0])
    for _, row in residuals.head(worst).iterrows():
        ax.annotate(str(row["name"]), (row["fitted"], row["residual"]), fontsize=8, xytext=(4, 2),
                    textcoords="offset points")
    ax.axhline(0, color="black", lw=0.8)
    for bound in (-2, 2):
        ax.axhline(bound, color="#8c959f", ls=":", lw=0.8)
    _percent_axis(ax.xaxis, lang)
    ax.set_xlabel(chart_label("fitted_axis", lang))
    ax.set_ylabel(chart_label("residual_axis", lang))
    ax.set_title(chart_label("residuals_title", lang))
    return _done(fig)


def fan_chart(observed: pd.DataFrame, fans: pd.DataFrame, levels: list[str], names: list[str], scenario_names: dict,
              target_rate: float, deadline: pd.Timestamp, lang: str):
    """Observed path, median projection and 80%/95% bands per scenario, the target and the deadline."""
    fig, axes = plt.subplots(1, len(levels), figsize=(4.2 * len(levels), 4.2), layout="constrained", sharey=True,
                             squeeze=False)
    colours = dict(zip(scenario_names, [PALETTE[0], PALETTE[1], PALETTE[2]]))
    for ax, level, name in zip(axes[0], levels, names):
        seen = observed[observed["level"] == level]
        ax.plot(seen["as_of"], seen["rate"], color="black", lw=2, label=chart_label("observed", lang))
        for scenario, label_text in scenario_names.items():
            fan = fans[(fans["level"] == level) & (fans["scenario"] == scenario)]
            if fan.empty:
                continue
            start = seen.iloc[[-1]]
            x = pd.concat([start["as_of"], fan["as_of"]])
            ax.fill_between(fan["as_of"], fan["p025"], fan["p975"], color=colours[scenario], alpha=0.12, lw=0)
            ax.fill_between(fan["as_of"], fan["p10"], fan["p90"], color=colours[scenario], alpha=0.25, lw=0)
            ax.plot(x, pd.concat([start["rate"], fan["median"]]), color=colours[scenario], label=label_text)
        ax.axhline(target_rate, color="#b3261e", ls="--", lw=1)
        ax.axvline(pd.Timestamp(deadline), color="#b3261e", lw=1)
        ax.set_title(chart_label("fan_title", lang).format(level=name), fontsize=10)
        _percent_axis(ax.yaxis, lang)
        _date_axis(ax.xaxis, lang)
        ax.tick_params(axis="x", rotation=30)
    shown = fans[fans["level"].isin(levels)]
    axes[0][0].set_ylim(0, max(target_rate * 1.15, float(shown["p975"].max()) * 1.05 if len(shown) else target_rate))
    axes[0][0].legend(loc="upper left", fontsize=8, frameon=False)
    return _done(fig)


def outreach_chart(plan: pd.DataFrame, lang: str, shown: int = 20):
    """Where the teams go (team-weeks per commune) and what it buys (expected extra people)."""
    top = plan[plan["team_weeks"] > 0].head(shown)
    fig, ax = _figure(10, 0.32 * max(len(top), 4) + 1.4)
    y = np.arange(len(top))
    ax.barh(y, top["team_weeks"], color=PALETTE[0])
    for yi, weeks, gained in zip(y, top["team_weeks"], top["expected_gain"]):
        ax.text(weeks, yi, f"  +{fmt_int(gained, lang)}", va="center", fontsize=8)
    ax.set_yticks(y, top["name"].astype(str))
    ax.invert_yaxis()
    ax.set_xlim(0, top["team_weeks"].max() * 1.25 if len(top) else 1)
    ax.set_xlabel(chart_label("team_weeks_axis", lang))
    ax.set_title(chart_label("outreach_chart", lang))
    return _done(fig)


def national_chart(table: pd.DataFrame, target_rate: float, lang: str):
    """Every province's central rate (bars, by rank) and, where reported, its residents' rate (dots)."""
    fig, ax = plt.subplots(figsize=(10, max(4.0, 0.24 * len(table) + 1.2)), layout="constrained")
    names = table["province"].astype(str)
    ax.barh(names, table["central_rate"], color=PALETTE[0], label=chart_label("central_rate", lang))
    reported = table["rate_now"].notna()
    ax.scatter(table.loc[reported, "rate_now"], names[reported], color=PALETTE[3], zorder=3, s=24,
               label=chart_label("reported_residents", lang))
    ax.axvline(target_rate, color="black", linestyle="--", linewidth=1, label=chart_label("target", lang))
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=8)
    _percent_axis(ax.xaxis, lang)
    ax.set_title(chart_label("national_chart", lang))
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    return _done(fig)
