"""Stage 2's figure tabs: the settings (target, benchmark, win-rate basis), the funnel figures and
charts (or the workshop volumes'), cohorts and losses, and opportunity scoring. Calculations are in salesopt."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import streamlit as st

from salesopt.crm import COHORT_FIELDS
from salesopt.funnel.analysis import analyze_volumes
from salesopt.funnel.priorities import SHOWN, prioritized_table, priority_mix
from salesopt.model.answers import parse_money
from salesopt.model.assessment import Assessment
from salesopt.report import charts, fmt
from salesopt.report.figures import cohort_table, funnel_figures, stage_table
from ui import state, uploads, widgets
from ui.funnel_ui import benchmark

if TYPE_CHECKING:  # the Stage 2 pipeline (DuckDB) loads when an export is first read
    from salesopt.funnel.stage2 import Result


def settings(assessment: Assessment) -> None:
    f = assessment.funnel
    c1, c2, c3 = st.columns([2, 2, 3])
    st.session_state.setdefault("funnel.target", "" if f.target is None else fmt.money(f.target, assessment.currency))
    c1.text_input(
        "Revenue target",
        key="funnel.target",
        on_change=_on_target,
        placeholder="e.g. 5M",
        help="The revenue the open pipeline should cover (coverage ratio = pipeline / target).",
    )
    sets = state.catalog().benchmarks()
    options: list[str] = ["none", *sets]

    def benchmark_label(k: str) -> str:
        return "No benchmark" if k == "none" else sets[k].title

    c2.selectbox(
        "Benchmarks",
        options,
        index=options.index(f.benchmark_id) if f.benchmark_id in options else 0,
        format_func=benchmark_label,
        key="funnel.benchmark",
        on_change=_on_setting,
        args=("benchmark_id", "funnel.benchmark"),
    )
    c3.radio(
        "Win rate",
        ["closed", "all"],
        index=0 if f.win_rate_basis == "closed" else 1,
        horizontal=True,
        format_func=_basis_label,
        key="funnel.basis",
        on_change=_on_setting,
        args=("win_rate_basis", "funnel.basis"),
    )
    st.toggle(
        "Stage conversions over closed deals only",
        value=f.closed_only,
        key="funnel.closed_only",
        help="Leaves out open deals that have not had time to move on.",
        on_change=_on_setting,
        args=("closed_only", "funnel.closed_only"),
    )


def as_of_setting(assessment: Assessment, shown: date | None) -> None:
    """The one as-of date every figure of this assessment is taken at: the export's latest event
    unless set here (every page, the plan and the command line use it)."""
    if shown is None:
        st.caption("As of: the export has no dates, so no figure is tied to a date.")
        return
    c1, c2 = st.columns([2, 3], vertical_alignment="bottom")
    c1.date_input(
        "As of",
        value=shown,
        key="funnel.as_of",
        on_change=_on_as_of,
        help="The date every figure is taken at (the last 12 months end on it; the dashboards' today). By "
        "default the latest created date, won or lost close date or stage change in the export.",
    )
    if assessment.funnel.as_of is not None:
        c2.button("Use the export's latest date", key="funnel.as_of_reset", on_click=_reset_as_of)
    else:
        c2.caption("The export's latest event (a created date, a won or lost close date or a stage change).")


def _on_as_of() -> None:
    value = st.session_state.get("funnel.as_of")
    state.update_section("funnel", as_of=value if isinstance(value, date) else None)


def _reset_as_of() -> None:
    st.session_state.pop("funnel.as_of", None)
    state.update_section("funnel", as_of=None)


def _basis_label(basis: str) -> str:
    return "won / (won + lost)" if basis == "closed" else "won / all created"


def _on_setting(field: str, key: str) -> None:
    """A Stage 2 setting changed: save its widget's value (the benchmark's 'none' as no benchmark)."""
    value = st.session_state[key]
    state.update_section("funnel", **{field: None if field == "benchmark_id" and value == "none" else value})


def _on_target() -> None:
    raw = st.session_state["funnel.target"].strip()
    value = parse_money(raw) if raw else None
    if raw and (value is None or value < 0):
        st.session_state["funnel.target_error"] = f"'{raw}' is not an amount of money; type e.g. 5M or 5,000,000"
        return
    st.session_state.pop("funnel.target_error", None)
    state.update_section("funnel", target=value)


def figures_panel(assessment: Assessment, result: Result | None, problem: str | None) -> None:
    if assessment.funnel.source == "workshop":
        workshop_figures(assessment)
        return
    settings(assessment)
    if st.session_state.get("funnel.target_error"):
        st.error(st.session_state["funnel.target_error"], icon=":material/error:")
    if result is None:
        st.info(problem, icon=":material/info:")
        return
    a = result.analysis
    from ui.widgets import figures

    as_of_setting(assessment, a.as_of)
    figures(funnel_figures(a, assessment.currency, benchmark(assessment)))
    st.subheader("Funnel")
    widgets.chart(lambda: charts.funnel(a.stages), ("funnel",), result)
    st.caption(
        "Deals that reached each stage (furthest stage: current if open, last if won, the stage lost at if "
        "lost); the percent is the conversion to the next stage."
    )
    st.subheader("Conversion against benchmark")
    widgets.chart(lambda: charts.conversion_vs_benchmark(a.stages), ("conversion",), result)
    widgets.table(stage_table(a, assessment.currency), hide_index=True)
    if any(s.time_median_days is not None for s in a.stages):
        st.subheader("Time in stage")
        widgets.chart(lambda: charts.time_in_stage(a.stages), ("time",), result)
    else:
        st.caption("Time in stage needs a stage history (a history file, or one row per stage entry).")
    if "amount" in result.fields:
        st.subheader("Open pipeline by stage")
        by = st.segmented_control("Show", ["count", "value"], default="count", key="funnel.pipeline_by")
        widgets.chart(
            lambda: charts.pipeline_by_stage(result.pipeline_by_stage(), by or "count", currency=assessment.currency),
            ("pipeline", by, assessment.currency),
            result,
        )


def workshop_figures(assessment: Assessment) -> None:
    rows = assessment.funnel.workshop
    if len(rows) < 2:
        st.info(
            "Type at least two stage volumes on the Data tab (workshop numbers) and save them.", icon=":material/info:"
        )
        return
    bench = benchmark(assessment)
    v = analyze_volumes([(r.stage, r.volume, r.days_in_stage, r.value) for r in rows], bench)
    c1, c2 = st.columns(2)
    c1.metric("Overall conversion", fmt.percent(v.overall_conversion), help="Last stage volume / first stage volume.")
    if v.biggest_leak is not None:
        lk = v.biggest_leak
        c2.metric(
            "Biggest leak",
            f"{lk.from_stage} → {lk.to_stage}",
            fmt.percent(lk.conversion),
            delta_color="off",
            help="Largest shortfall against benchmark, else the lowest conversion.",
        )
    widgets.chart(lambda: charts.funnel(v.stages))
    widgets.chart(lambda: charts.conversion_vs_benchmark(v.stages))
    for reason in v.reasons.values():
        st.caption(reason)


def cohorts_panel(assessment: Assessment, result: Result | None, problem: str | None) -> None:
    if result is None:
        st.info(problem, icon=":material/info:")
        return
    keys = [k for k in (*COHORT_FIELDS, "size_band") if result.has_values(k)]
    if not keys:
        st.info(
            "Cohorts need an owner, segment, region, product, lead source or team column in the export.",
            icon=":material/info:",
        )
    else:
        key = st.selectbox("Compare by", keys, format_func=lambda k: k.replace("_", " "), key="funnel.cohort")
        table = result.cohort(key)
        widgets.chart(lambda: charts.cohort_win_rates(table, key, result.analysis.win_rate), ("cohort", key), result)
        st.caption(
            "Pale bars: fewer than 10 closed deals, too few to judge. Vermillion: more than two standard "
            "deviations from the other groups. Orange line: all deals."
        )
        widgets.table(cohort_table(table, key, assessment.currency), hide_index=True)
    if result.has_values("loss_reason"):
        st.subheader("Loss reasons")
        widgets.chart(lambda: charts.loss_pareto(result.losses("loss_reason")), ("loss",), result)
        st.caption("Lost deals per reason, largest first; the line is the cumulative share.")
    if result.has_values("lost_at_stage"):
        st.subheader("Stage at which deals are lost")
        widgets.chart(lambda: charts.loss_pareto(result.losses("lost_at_stage", blanks=None)), ("lost_at",), result)
        st.caption("Lost deals per the last stage they reached before being lost.")
    if result.has_values("competitor"):
        st.subheader("Lost to")
        widgets.chart(lambda: charts.loss_pareto(result.losses("competitor", blanks=None)), ("competitor",), result)
        st.caption("Lost deals that name a competitor, per competitor.")


def scoring_panel(assessment: Assessment, result: Result | None, problem: str | None) -> None:
    if result is None:
        st.info(problem, icon=":material/info:")
        return
    models = state.catalog().scoring()
    if not models:
        st.warning(
            "No scoring model in frameworks/scoring/; add one to score opportunities.", icon=":material/warning:"
        )
        return
    model_id = st.selectbox("Scoring model", list(models), format_func=lambda k: models[k].title, key="funnel.scoring")
    model = models[model_id]
    from salesopt.funnel.scoring import usable_criteria

    used = uploads.remember(
        result, ("usable", model.id, hash(model)), lambda: usable_criteria(result.scoring_frame(model), model)
    )
    unused = [c.label for c in model.criteria if c not in used]
    st.caption(
        "Score = points of the criteria a deal meets / points of the criteria this export can answer, 0-100. "
        f"High from {model.high_at}, Medium from {model.medium_at}."
        + (f" Not in this export, so left out: {'; '.join(unused)}." if unused else "")
    )
    scored = result.scored(model)
    if scored.empty:
        st.info("No open deals to prioritize.", icon=":material/info:")
    elif not used:
        st.info(
            "None of the scoring criteria's fields is in this export; map segment, lead source, next step, "
            "forecast category or probability on the Data tab.",
            icon=":material/info:",
        )
    else:
        mix = uploads.remember(result, ("mix", model.id, hash(model)), lambda: priority_mix(scored))
        c1, c2, c3 = st.columns(3)
        for col, tier in zip((c1, c2, c3), mix.index, strict=True):
            col.metric(f"{tier} priority", fmt.number(int(mix[tier])), help=f"Open deals scored {tier}.")
        widgets.chart(lambda: charts.priority_mix(mix), ("mix", model.id, hash(model)), result)
        widgets.table(prioritized_table(scored, assessment.currency), hide_index=True)
        st.caption(f"The {min(len(scored), SHOWN)} best of {len(scored):,} open deals, best first.")
    st.subheader("Stage win probability: observed against configured")
    widgets.calibration_table(result.calibration(model.min_closed_for_calibration))
    st.caption(
        "Observed = closed deals that reached the stage and were won / closed deals that reached it. "
        "Configured = the median CRM probability of deals at that stage."
    )
