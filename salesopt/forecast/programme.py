"""The programme's own business case: what the improvement programme costs in its year (hires, tools,
enablement time) against the scenario's uplift x gross margin, its ROI and payback month, and the
plan's ROI Calculation in Markdown. Not the buyer's ROI of the client's product."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from salesopt.forecast.changes import count
from salesopt.forecast.expected import ExpectedImpact
from salesopt.report import fmt

if TYPE_CHECKING:  # the assessment is only read here
    from salesopt.model.assessment import Assessment

LOADED_COST_SHARE = 0.25  # stated: a rep's yearly loaded cost is about a quarter of the quota
TOOLS_SHARE = 0.01  # stated: tools about 1% of the quota, a rep a year
ENABLEMENT_HOURS = 40  # stated: hours of selling time each rep spends in training in the year
WORK_HOURS = 1_800  # working hours in a year, to price an hour of a rep's time


@dataclass(frozen=True)
class ProgrammeCase:
    """Return on the programme (not the buyer's ROI of the client's product)."""

    scenario: str
    hires_cost: float
    tools_cost: float
    enablement_cost: float
    investment: float  # the three above, for the year
    uplift: float  # the scenario's yearly revenue uplift
    gross_margin: float | None
    gain: float  # uplift x gross margin (the uplift itself when no margin is given)
    roi: float | None  # (gain - investment) / investment
    payback_month: int | None  # first month the cumulative gain covers the cumulative cost, within 12
    assumptions: tuple[str, ...]
    silenced: str | None = None


def _answer(assessment: Assessment, key: str) -> float | None:
    value = assessment.whatif.overrides.get(key)
    return float(value) if value is not None else None


def _payback(monthly_gain: float, monthly_costs: list[float]) -> int | None:
    gained = spent = 0.0
    for month, cost in enumerate(monthly_costs, start=1):
        gained, spent = gained + monthly_gain, spent + cost
        if gained >= spent and spent > 0:
            return month
    return None


def programme_case(assessment: Assessment, impact: ExpectedImpact | None) -> ProgrammeCase | None:
    """Investment (hires x loaded cost for the months employed, tools, enablement time) against the
    scenario's uplift x gross margin over the same 12 months. Costs and margin from the answers
    typed on the What-if page where given, else the stated assumptions. None without a scenario."""
    if impact is None:
        return None
    cur = assessment.currency
    reason = impact.silenced or (None if impact.uplift is not None else "the scenario has no yearly uplift")
    quota, reps = impact.quota_per_rep, impact.reps
    rep_cost, tools = _answer(assessment, "rep_cost"), _answer(assessment, "tools_cost")
    if reason is None and reps is None:
        reason = "the team size is unknown, so the programme's cost cannot be counted"
    if reason is None and quota is None and (rep_cost is None or tools is None):
        reason = "no quota is known to price a rep and the tools on, and no costs are given"
    if reason is not None or reps is None or impact.uplift is None:
        return ProgrammeCase(impact.scenario, 0, 0, 0, 0, 0, None, 0, None, None, (), reason)
    notes: list[str] = []
    if rep_cost is None:  # a quota is known: checked above
        rep_cost = (quota or 0.0) * LOADED_COST_SHARE
        notes.append(f"Loaded cost of a rep: {fmt.percent(LOADED_COST_SHARE)} of the quota, {fmt.money(rep_cost, cur)}")
    else:
        notes.append(f"Loaded cost of a rep: {fmt.money(rep_cost, cur)} a year (given)")
    months_employed = max(13 - impact.hire_month, 0)
    hires_cost = impact.hires * rep_cost * months_employed / 12
    if impact.hires:
        notes.append(
            f"Hires: {count(impact.hires, 1)} x {fmt.money(rep_cost, cur)} x {months_employed}/12 months employed"
        )
    seats = reps + impact.hires
    if tools is None:
        tools = seats * (quota or 0.0) * TOOLS_SHARE
        notes.append(
            f"Tools: {fmt.percent(TOOLS_SHARE)} of the quota a seat, {count(seats, 1)} seats x "
            f"{fmt.money((quota or 0.0) * TOOLS_SHARE, cur)}"
        )
    else:
        notes.append(f"Tools: {fmt.money(tools, cur)} for the year (given)")
    hours = _answer(assessment, "enablement_hours")
    hours = float(ENABLEMENT_HOURS) if hours is None else hours
    enablement = reps * hours * rep_cost / WORK_HOURS
    notes.append(
        f"Enablement time: {count(reps, 1)} reps x {count(hours, 1)} hours x "
        f"{fmt.money(rep_cost / WORK_HOURS, cur)} an hour ({fmt.money(rep_cost, cur)} / {WORK_HOURS:,} hours)"
    )
    margin = _answer(assessment, "gross_margin")
    gain = impact.uplift * (margin if margin is not None else 1.0)
    if margin is None:
        notes.append("Gross margin not given: the return is counted on revenue, so it is an upper bound")
    else:
        notes.append(f"Gross margin: {fmt.percent(margin)} (given)")
    notes.append("The uplift arrives evenly over the 12 months; enablement time is spent in month 1")
    investment = hires_cost + tools + enablement
    monthly = [
        tools / 12 + (enablement if m == 1 else 0.0) + (impact.hires * rep_cost / 12 if m >= impact.hire_month else 0.0)
        for m in range(1, 13)
    ]
    roi = (gain - investment) / investment if investment > 0 else None
    return ProgrammeCase(
        impact.scenario,
        hires_cost,
        tools,
        enablement,
        investment,
        impact.uplift,
        margin,
        gain,
        roi,
        _payback(gain / 12, monthly),
        tuple(notes),
    )


def roi_lines(case: ProgrammeCase | None, currency: str) -> list[str]:
    """Markdown for the plan's ROI Calculation: the programme's investment, return, ROI and payback."""
    if case is None:
        return ["No scenario is saved, so the programme has no return to weigh against its cost."]
    if case.silenced:
        return [f"No return can be stated for the programme: {case.silenced}."]
    cur = currency
    roi = fmt.percent(case.roi) if case.roi is not None else f"{fmt.DASH} (no investment)"
    payback = f"month {case.payback_month}" if case.payback_month else "not within the 12 months"
    gain = "uplift x gross margin" if case.gross_margin is not None else "uplift (no gross margin given)"
    return [
        f"The programme's own case for scenario **{' '.join(case.scenario.split())}**, over 12 months:",
        "",
        "| Item | Amount |",
        "|---|---:|",
        f"| New hires | {fmt.money(case.hires_cost, cur)} |",
        f"| Tools | {fmt.money(case.tools_cost, cur)} |",
        f"| Enablement time | {fmt.money(case.enablement_cost, cur)} |",
        f"| **Investment** | **{fmt.money(case.investment, cur)}** |",
        f"| Return: {gain} | {fmt.money(case.gain, cur)} |",
        "",
        f"- **ROI:** {roi} ((return - investment) / investment)",
        f"- **Payback:** {payback}",
        "- **Assumptions:**",
        *(f"  - {a}" for a in case.assumptions),
    ]
