"""The plan's Expected Impact: the summary's headline, the performance improvements and the ROI of
the chosen what-if scenario (the only money claims in the plan, from salesopt.forecast.impact),
and the success metrics with their baselines, targets and dates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesopt.report import fmt
from salesopt.report.plan.inputs import Inputs
from salesopt.report.plan.roadmap import due_date
from salesopt.report.plan.text import answer_number, days_months, quote

if TYPE_CHECKING:
    import pandas as pd


def impact_headline(inputs: Inputs) -> list[str]:
    """The Executive Summary's expected impact: one number with its range, from the what-if
    engine's run of the chosen scenario (overlapping levers combined, never summed)."""
    from salesopt.forecast.impact import headline

    e = inputs.expected
    if e is None:
        return []
    if e.silenced:
        return [f"Scenario **{quote(e.scenario)}**: no money figure is claimed: {quote(e.silenced)}."]
    return [
        f"Scenario **{quote(e.scenario)}**: {headline(e, inputs.currency)}, all levers combined in one run "
        "(see Expected Impact for the assumptions and what limits it)."
    ]


def performance_improvements(inputs: Inputs) -> list[str]:
    """Expected Impact / Performance Improvements: the chosen scenario against the baseline."""
    from salesopt.forecast.impact import impact_lines as scenario_lines

    if inputs.expected is None:
        return []
    return scenario_lines(inputs.expected, inputs.currency)


def roi_calculation(inputs: Inputs) -> list[str]:
    """Expected Impact / ROI Calculation: the programme's own business case (its investment
    against the chosen scenario's uplift), not the buyer's case of Stage 3's value selling."""
    from salesopt.forecast.impact import programme_case, roi_lines

    if inputs.expected is None:
        return []
    return roi_lines(programme_case(inputs.assessment, inputs.expected), inputs.currency)


# a metric's category -> the roadmap phase by whose end its target is due (others: scale)
_METRIC_WHEN = {"activity": "foundation", "pipeline": "optimization", "conversion": "optimization"}


def _baseline(metric_id: str, inputs: Inputs) -> tuple[str, str]:
    """(baseline value, its source and date) for a Stage 5 metric, where the data or answers give one."""
    a, ctx, cur = inputs.funnel, inputs.assessment.context.answers, inputs.currency
    as_of = ""
    if inputs.result is not None:
        from salesopt.management.performance import as_of as export_date

        d = export_date(inputs.result.deals)
        as_of = f", {d:%Y-%m-%d}" if d is not None else ""
    answered = f"Stage 1 answer, {inputs.assessment.updated_at:%Y-%m-%d}"
    measured = f"CRM export{as_of}"
    num = answer_number
    if metric_id == "win_rate":
        if a is not None and a.win_rate is not None:
            return fmt.percent(a.win_rate), measured
        if num(ctx, "win_rate") is not None:
            return fmt.percent(num(ctx, "win_rate")), answered
    if metric_id in ("cycle", "cycle_duration"):
        if a is not None and a.cycle_days_median is not None:
            return days_months(a.cycle_days_median), f"{measured}, median of won deals"
        if num(ctx, "sales_cycle") is not None:
            return days_months(num(ctx, "sales_cycle")), answered
    if metric_id == "attainment" and num(ctx, "quota_attainment") is not None:
        return fmt.percent(num(ctx, "quota_attainment")), answered
    if metric_id == "coverage" and a is not None and a.coverage_ratio is not None:
        return fmt.times(a.coverage_ratio), measured
    if metric_id == "deal_size":
        if a is not None and a.avg_deal_size is not None:
            return fmt.money(a.avg_deal_size, cur), measured
        if num(ctx, "avg_deal_size") is not None:
            return fmt.money(num(ctx, "avg_deal_size"), cur), answered
    if metric_id == "revenue" and num(ctx, "annual_revenue") is not None:
        return fmt.money(num(ctx, "annual_revenue"), cur), answered
    if metric_id in ("demos", "proposals") and a is not None and inputs.result is not None:
        stage = {"demos": "demo", "proposals": "proposal"}[metric_id]
        row = next((s for s in a.stages if s.stage.lower().startswith(stage)), None)
        months = _created_months(inputs.result.deals)
        if row is not None and months:
            return (
                f"{row.reached / months:,.1f} a month",
                f"{measured}, deals reaching {row.stage} over {months:.0f} months",
            )
    return "not measured yet", "to be set from the first month of tracking"


def _created_months(deals: pd.DataFrame) -> float | None:
    """How many months the deals' created dates span (one at least), or None without them."""
    if "created_date" not in deals or not deals["created_date"].notna().any():
        return None
    span: int = (deals["created_date"].max() - deals["created_date"].min()).days
    return max(span / (365.25 / 12), 1.0)


def success_metrics(inputs: Inputs) -> list[str]:
    """Success Metrics: each chosen Stage 5 metric with its baseline, source, target, due date and owner."""
    p, perf = inputs.assessment.performance, inputs.catalog.performance()
    if not p.metrics or perf is None:
        return ["_Missing: no metrics chosen yet. Stage 5 (Performance management) collects them._"]
    names = {m.id: (m.name, m.category) for m in perf.metrics}
    lines = ["| Metric | Baseline | Source, date | Target | By when | Owner |", "|---|---|---|---|---|---|"]
    for m in p.metrics:
        name, category = names.get(m.metric_id, (m.metric_id, ""))
        value, source = _baseline(m.metric_id, inputs)
        when = due_date(inputs, _METRIC_WHEN.get(category, "scale"))
        lines.append(
            f"| {name} | {value} | {source} | {quote(m.target) or 'to be set'} | {when} | "
            f"{quote(m.owner) or 'to be named'} |"
        )
    return lines
