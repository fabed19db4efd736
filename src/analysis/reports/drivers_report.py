"""The drivers report as the reader sees it: worded effects, scenarios, the gap, diagnostics."""

from __future__ import annotations

import pandas as pd

from analysis.analyses.drivers import MIN_CELL, Scenario
from analysis.data.campaign import active
from analysis.reports import figures
from analysis.reports.frame import Parts, section, summary_box
from analysis.reports.labels import covariate_name, label, scenario_name, unit_type_name
from analysis.reports.present import (
    association_sentences,
    fmt_decimal,
    fmt_int,
    fmt_pct,
    fmt_points,
    html_table,
)


def missing_note(analysis, lang: str) -> str:
    """Why the model sections are empty (too few communes), in the reader's words."""
    for note in analysis.notes or []:
        if note in ("no_drivers_track", "no_profiles"):
            return label(note, lang)
        if note.startswith("too_few_units:"):
            _, have, need = note.split(":")
            return label("too_few_units", lang, have=have, need=need)
    return ""


def _not_fitted(key: str, analysis, lang: str) -> Parts:
    """A model section without a model: why, once. When nothing in the data can be modelled (no drivers
    track, no profiles) the conclusions say it and the section is left out."""
    if any(note in ("no_drivers_track", "no_profiles") for note in analysis.notes or []):
        return ()
    return (section(key, lang, [missing_note(analysis, lang)]),)


def _interval(low: float, high: float, lang: str) -> str:
    return f"{fmt_points(low, lang)} – {fmt_points(high, lang)}"


def _main_effects(analysis) -> pd.DataFrame:
    effects = analysis.effects
    return effects[(effects["model"] == "quasi_binomial") & (effects["weighting"] == "population")]


def effects_section(analysis, lang: str) -> Parts:
    """What goes with low uptake: each covariate's association in points of uptake, with its interval."""
    if analysis.effects is None:
        return _not_fitted("effects", analysis, lang)
    main = _main_effects(analysis)
    frame = main.assign(ci=[_interval(lo, hi, lang) for lo, hi in zip(main["ci_low_pp"], main["ci_high_pp"])])
    columns = [("covariate", label("col_covariate", lang), lambda v: covariate_name(v, lang)),
               ("effect_pp", label("col_association", lang), lambda v: fmt_points(v, lang)),
               ("ci", label("col_ci", lang), str)]
    return (section("effects", lang, association_sentences(main, lang) + [label("caution", lang)],
                    html_table(frame, columns)),)


def summary(analysis, lang: str) -> Parts:
    """The answer first: the clearest associations (interval away from zero), and what they are not."""
    if analysis.effects is None:
        return summary_box(lang, [missing_note(analysis, lang)])
    main = _main_effects(analysis)
    clear = main[(main["ci_low_pp"] > 0) | (main["ci_high_pp"] < 0)]
    clear = clear.reindex(clear["effect_pp"].abs().sort_values(ascending=False).index)
    return summary_box(lang, association_sentences(clear if len(clear) else main, lang) + [label("caution", lang)])


def effects_method(analysis, lang: str) -> Parts:
    """For the appendix: the models, every weighting and model side by side, and the forest plot."""
    effects = analysis.effects
    if effects is None:
        return ()
    main = _main_effects(analysis)
    wide = main[["covariate", "effect_pp", "ci_low_pp", "ci_high_pp"]].copy()
    for model, weighting, column in (("quasi_binomial", "typical_unit", "units"), ("beta_binomial", "population", "bb"),
                                     ("binomial_scale_1", "population", "binomial")):
        other = effects[(effects["model"] == model) & (effects["weighting"] == weighting)].set_index("covariate")
        if len(other):
            wide[column] = [f"{fmt_points(other.loc[c, 'effect_pp'], lang)} ({_interval(other.loc[c, 'ci_low_pp'], other.loc[c, 'ci_high_pp'], lang)})"
                            for c in wide["covariate"]]
        else:
            wide[column] = "–"
    wide["ci"] = [_interval(lo, hi, lang) for lo, hi in zip(wide["ci_low_pp"], wide["ci_high_pp"])]
    columns = [("covariate", label("col_covariate", lang), lambda v: covariate_name(v, lang)),
               ("effect_pp", label("col_effect_people", lang), lambda v: fmt_points(v, lang)),
               ("ci", label("col_ci", lang), str), ("units", label("col_effect_units", lang), str),
               ("bb", label("col_effect_bb", lang), str), ("binomial", label("col_effect_binomial", lang), str)]
    return (section("method", lang, [label("effects_weighting", lang)], html_table(wide, columns)),
            figures.effects_chart(effects, lang))


def facilities_section(analysis, lang: str) -> Parts:
    """Facilities by unit type: fitted rate and the difference from hospitals, with intervals."""
    types = analysis.facility_types
    if active().counting("visits") is None:
        return ()  # the campaign has no track of facilities
    if types is None:
        return (section("facility_types", lang, [label("no_data", lang)]),)
    rows = types[types["difference_pp"] != 0]
    sentences = [label("facility_sentence", lang, type=unit_type_name(r["unit_type"], lang), rate=fmt_pct(r["rate"], lang),
                       diff=fmt_points(r["difference_pp"], lang)) for _, r in rows.iterrows()]
    frame = types.assign(ci=[f"{fmt_pct(a, lang)} – {fmt_pct(b, lang)}" for a, b in zip(types["ci_low"], types["ci_high"])],
                         diff=[_interval(a, b, lang) for a, b in zip(types["diff_low_pp"], types["diff_high_pp"])])
    columns = [("unit_type", label("col_unit_type", lang), lambda v: unit_type_name(v, lang)),
               ("n_units", label("col_units", lang), str), ("rate", label("col_rate", lang), lambda v: fmt_pct(v, lang)),
               ("ci", label("col_ci", lang), str), ("diff", label("col_difference", lang), str)]
    return (section("facility_types", lang, sentences, html_table(frame, columns)),)


def scenario_names(table: pd.DataFrame, scenario: Scenario, lang: str) -> list[str]:
    """The reader's name of each scenario row, with its amounts."""
    amounts = {"gain": f"{fmt_decimal(100 * scenario.smartphone_gain, lang, 0)} {label('points', lang)}", "elderly": fmt_pct(scenario.elderly_assisted, lang, 0),
               "remote": fmt_pct(scenario.absent_remote, lang, 0)}
    return [scenario_name(s, lang, **amounts) for s in table["scenario"]]


def scenarios_section(analysis, scenario: Scenario, target_rate: float, lang: str) -> Parts:
    """The residents' rate predicted for each changed commune profile, within the observed range,
    with intervals, against the target; a change outside the range is refused with its sentence."""
    table = analysis.scenarios
    if table is None:
        survey = _survey_scenario(analysis, lang)
        return (*_not_fitted("scenarios", analysis, lang), *((section("survey_scenario_title", lang, survey),) if survey else ()))
    names = scenario_names(table, scenario, lang)
    n = len(analysis.fit.frame) if analysis.fit is not None else 0
    sentences = [label("scenarios_intro", lang)]
    for name, (_, r) in zip(names, table.iterrows()):
        if r["scenario"] == "today":
            continue
        if r["refused"]:
            key = "scenario_all_refused" if r["scenario"] == "all" else "scenario_refused"
            sentences.append(label(key, lang, scenario=name, held=int(r["held"]), n=n,
                                   low=fmt_pct(r["range_low"], lang), high=fmt_pct(r["range_high"], lang)))
            continue
        key = "scenario_held" if r["held"] and r["scenario"] != "all" else "scenario_sentence"
        sentences.append(label(key, lang, scenario=name, rate=fmt_pct(r["rate"], lang), low=fmt_pct(r["ci_low"], lang),
                               high=fmt_pct(r["ci_high"], lang), held=int(r["held"])))
    shown = table[~table["refused"]]
    chart = (figures.scenarios_chart(shown.reset_index(drop=True), [m for m, keep in zip(names, ~table["refused"]) if keep],
                                     target_rate, lang),) if len(shown) > 1 else ()
    survey = _survey_scenario(analysis, lang)  # its own section: the survey's people, not the province's communes
    return (section("scenarios", lang, sentences), *chart,
            *((section("survey_scenario_title", lang, survey),) if survey else ()))


def _survey_scenario(analysis, lang: str) -> list[str]:
    """The assisted-elderly scenario from the person-level survey, where there is one (drivers.survey_assisted)."""
    table = analysis.survey_scenario
    if table is None or not len(table):
        return []
    r = table.iloc[0]
    out = [label("survey_scenario", lang, people=fmt_int(r["people"], lang), share=fmt_pct(r["share"], lang, 0),
                 rate=fmt_pct(r["rate_assisted"], lang), low=fmt_pct(r["ci_low"], lang), high=fmt_pct(r["ci_high"], lang),
                 today=fmt_pct(r["rate"], lang), change=fmt_points(r["change_pp"], lang))]
    if r["elderly_unmatched"] > 0:
        out.append(label("survey_scenario_unmatched", lang, n=fmt_int(r["elderly_unmatched"], lang), min=MIN_CELL))
    return out


def gap_section(analysis, lang: str) -> Parts:
    """How far the communes' profiles put the province below the best-placed tenth of communes, in
    parts that add up to the whole (Shapley), beside the gap to the target."""
    gap = analysis.gap
    if gap is None:
        return _not_fitted("gap_section", analysis, lang)
    whole = gap[gap["component"] == "benchmark"].iloc[0]
    text = label("gap_sentence", lang, whole=fmt_points(whole["pp"], lang), low=fmt_points(whole["ci_low_pp"], lang),
                 high=fmt_points(whole["ci_high_pp"], lang), gap=fmt_points(whole["target_gap_pp"], lang))
    names = [covariate_name(c, lang) for c in gap["component"] if c != "benchmark"]
    return section("gap_section", lang, [text, label("gap_method", lang)]), figures.gap_chart(gap, names, lang)


def diagnostics_section(analysis, lang: str) -> Parts:
    """Dispersion, deviance explained, the communes the model explains worst, and the residual chart."""
    residuals, summary = analysis.residuals, analysis.summary
    if residuals is None:
        return _not_fitted("diagnostics", analysis, lang)
    text = label("diagnostics_sentence", lang, n=summary["n_units"], scale=fmt_decimal(summary["scale"], lang, 1),
                 r2=fmt_pct(summary["pseudo_r2"], lang, 0), worst=", ".join(summary["worst"]))
    return (section("diagnostics", lang, [text, label("caution", lang)]),
            figures.residuals_chart(residuals, len(summary["worst"]), lang))


def survey_section(analysis, lang: str) -> Parts:
    """The person-level model: odds ratios; cells under the minimum size never shown (empty without a survey)."""
    model, cells = analysis.survey_model, analysis.survey_cells
    if model is None:
        return ()
    text = label("survey_sentence", lang, people=fmt_int(cells["people"].sum(), lang), min=MIN_CELL)
    personal = [n.split(":", 1)[1].split("|") for n in analysis.notes or [] if n.startswith("identifiers_not_read:")]
    if personal:
        text += " " + label("identifiers_not_read", lang, n=len(personal[0]))
    frame = model.assign(ci=[f"{fmt_decimal(a, lang)} – {fmt_decimal(b, lang)}" for a, b in zip(model["or_low"], model["or_high"])])
    columns = [("covariate", label("col_covariate", lang).split(" (")[0], lambda v: covariate_name(v, lang)),
               ("odds_ratio", label("col_odds_ratio", lang), lambda v: fmt_decimal(v, lang)),
               ("ci", label("col_ci", lang), str)]
    return (section("survey", lang, [text], html_table(frame, columns)),)
