"""Expected impact of the chosen what-if scenario, the one source of the plan's money claims.

Rules it keeps (docs/METRICS-local.md, "Expected impact"):
- The scenario's levers overlap (a higher win rate and a higher attainment both need the same
  wins), so they are combined in ONE run of the what-if engine, never added up; each lever alone is
  given only to rank them, with the note that they do not add.
- A year is a year: the baseline is the steady yearly rate of the export's whole span, reconciled
  with what was won in its last 12 months (salesopt.forecast.baseline).
- A range with every figure: P10-P90 of a Monte Carlo of the scenario's year where the baseline
  rests on an export's deals, else low/high with each lever's change achieved at half and at one
  and a half times (stated lever uncertainty). The range says which.
- An undefined input silences the claim: no money figure, only the reason.
- Every figure is printed with what it rests on, so it can be reproduced by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from salesopt.forecast.baseline import calibrate
from salesopt.forecast.montecarlo import year_range
from salesopt.forecast.whatif import DAYS_PER_MONTH, Baseline, Levers, Outcome, apply, chosen_scenario, outcome
from salesopt.report import fmt

if TYPE_CHECKING:  # the assessment and the Stage 2 figures are only read here
    from salesopt.funnel.sql import Analysis
    from salesopt.model.assessment import Assessment

PERIOD = "12 months"
MONTE_CARLO = "monte_carlo"
LEVER_UNCERTAINTY = "lever_uncertainty"
UNCERTAINTY = 0.5  # stated: each lever's change achieved at 50% (low) to 150% (high)
TRIALS, SEED = 10_000, 0
OVERLAP_NOTE = (
    "The levers overlap: each alone is shown to rank them, and the figures alone do not add up; the "
    "scenario's figure is the levers combined in one run."
)


@dataclass(frozen=True)
class Figures:
    """One side of the comparison (baseline or scenario), per year."""

    revenue: float  # the smaller of funnel revenue and capacity
    funnel_revenue: float
    capacity: float | None  # None: reps or quota unknown, capacity not counted
    wins_per_year: float
    win_rate: float
    cycle_days: float
    deal_size: float
    attainment: float | None
    binding: str  # "funnel" or "capacity"


@dataclass(frozen=True)
class ExpectedImpact:
    scenario: str
    baseline_revenue: float | None  # a year
    scenario_revenue: float | None  # a year
    uplift: float | None  # scenario - baseline, a year
    low: float | None  # scenario revenue: P10 (Monte Carlo) or low (lever uncertainty)
    high: float | None  # scenario revenue: P90 or high
    range_method: str | None  # MONTE_CARLO or LEVER_UNCERTAINTY
    range_note: str
    period: str
    assumptions: tuple[str, ...]  # plain-language lines, each lever from -> to
    binding: str | None  # "funnel" or "capacity"
    binding_note: str
    reconciliation: str
    silenced: str | None  # set: no money claim at all, only this reason
    baseline: Figures | None = None
    outcome: Figures | None = None
    pull_forward: float | None = None  # revenue a shorter cycle brings forward once (not in the uplift)
    hires: float = 0.0
    hire_month: int = 1
    reps: float | None = None
    quota_per_rep: float | None = None

    @property
    def uplift_low(self) -> float | None:
        return None if self.low is None or self.baseline_revenue is None else self.low - self.baseline_revenue

    @property
    def uplift_high(self) -> float | None:
        return None if self.high is None or self.baseline_revenue is None else self.high - self.baseline_revenue


@dataclass(frozen=True)
class LeverUplift:
    lever: str  # the lever's key, or "combined"
    label: str
    change: str  # the lever from -> to (the combined row: every lever)
    scenario_revenue: float
    uplift: float
    binding: str
    combined: bool = False
    note: str = ""


def _figures(base: Baseline, lv: Levers) -> Figures:
    moved, _ = apply(base, lv)
    o = outcome(base, lv)
    return Figures(
        o.projected_revenue,
        o.funnel_revenue,
        o.capacity,
        o.wins_per_month * 12,
        moved.win_rate,
        moved.cycle_days,
        moved.deal_size,
        o.attainment,
        o.binding,
    )


def _silenced(name: str, reason: str, reconciliation: str = "") -> ExpectedImpact:
    return ExpectedImpact(name, None, None, None, None, None, None, "", PERIOD, (), None, "", reconciliation, reason)


def _why_silent(base: Baseline, cur: str) -> str | None:
    """The undefined input that makes a yearly money claim impossible, if any."""
    if base.deal_size <= 0:
        return "the average deal size is 0 or unknown (no won deal carries an amount)"
    if base.win_rate <= 0 or outcome(base).wins_per_month <= 0:
        return "no deal has been won yet, so the win rate the revenue rests on is 0"
    if base.volume <= 0:
        return "no deal enters the funnel"
    if base.has_capacity and ((base.quota_per_rep or 0) <= 0 or (base.reps or 0) <= 0):
        return f"capacity is {fmt.money(0, cur)}: no reps or no quota"
    return None


def _n(value: float | None, digits: int = 1) -> str:
    """A count: whole numbers without decimals (10 reps), others to ``digits``."""
    if value is not None and value == int(value):
        return fmt.number(value)
    return fmt.number(value, digits)


def _stage_pair(base: Baseline, i: int) -> str:
    return f"{base.stages[i]} → {base.stages[i + 1]}"


def _points(d: float) -> str:
    return f"{d * 100:+.0f} points" if round(d * 100) == d * 100 else f"{d * 100:+.1f} points"


def _share(d: float) -> str:
    return f"{d * 100:+.0f}%" if round(d * 100) == d * 100 else f"{d * 100:+.1f}%"


def lever_changes(base: Baseline, lv: Levers, cur: str) -> list[tuple[str, str, Levers]]:
    """(key, from -> to line, the lever alone) for each lever the scenario moves."""
    moved, _ = apply(base, lv)
    out: list[tuple[str, str, Levers]] = []
    if lv.volume:
        line = f"Deals entering the funnel: {base.volume:,.1f} → {moved.volume:,.1f} a month ({_share(lv.volume)})"
        out.append(("volume", line, Levers(volume=lv.volume)))
    for i, d in enumerate(lv.conversions[: len(base.conversions)]):
        if d:
            conv = [0.0] * len(base.conversions)
            conv[i] = d
            line = (
                f"{_stage_pair(base, i)}: {fmt.percent(base.conversions[i])} → "
                f"{fmt.percent(moved.conversions[i])} ({_points(d)})"
            )
            out.append((f"conversion_{i}", line, Levers(conversions=tuple(conv))))
    if lv.win_rate:
        line = (
            f"Win rate: {fmt.percent(base.win_rate)} → {fmt.percent(moved.win_rate)} ({_points(lv.win_rate)}); "
            f"the last step, {_stage_pair(base, len(base.conversions) - 1)}, moves by the same share"
        )
        out.append(("win_rate", line, Levers(win_rate=lv.win_rate)))
    if lv.deal_size:
        line = (
            f"Average deal size: {fmt.money(base.deal_size, cur)} → {fmt.money(moved.deal_size, cur)} "
            f"({_share(lv.deal_size)})"
        )
        out.append(("deal_size", line, Levers(deal_size=lv.deal_size)))
    if lv.cycle:
        line = (
            f"Sales cycle: {fmt.days(round(base.cycle_days))} → {fmt.days(round(moved.cycle_days))} "
            f"({_share(lv.cycle)}): it changes velocity and when deals land, not the steady yearly revenue"
        )
        out.append(("cycle", line, Levers(cycle=lv.cycle)))
    if lv.hires:
        ramp = lv.ramp_months if lv.ramp_months is not None else base.ramp_months
        line = (
            f"New reps: {_n(lv.hires, 1)} hired in month {lv.hire_month}, each ramping to full "
            f"productivity over {ramp:.1f} months"
        )
        out.append(("hires", line, Levers(hires=lv.hires, hire_month=lv.hire_month, ramp_months=lv.ramp_months)))
    if lv.attrition:
        line = f"Rep attrition: {fmt.percent(lv.attrition)} of reps leave a year"
        out.append(("attrition", line, Levers(attrition=lv.attrition)))
    if lv.attainment and base.attainment is None:
        line = "Quota attainment: not counted, as no quota is known"
        out.append(("attainment", line, Levers(attainment=lv.attainment)))
    elif lv.attainment:
        line = (
            f"Quota attainment: {fmt.percent(base.attainment)} as reported → {fmt.percent(base.ceiling(lv))} "
            f"({_points(lv.attainment)}): capacity counts the reps at {fmt.percent(base.ceiling(lv))} of quota "
            "(the table's baseline attainment is the baseline revenue over the team's quota)"
        )
        out.append(("attainment", line, Levers(attainment=lv.attainment)))
    return out


def _scaled(lv: Levers, k: float) -> Levers:
    """The levers with each change achieved at ``k`` times (hire month, attrition and ramp kept)."""
    return replace(
        lv,
        volume=lv.volume * k,
        conversions=tuple(c * k for c in lv.conversions),
        deal_size=lv.deal_size * k,
        cycle=lv.cycle * k,
        win_rate=lv.win_rate * k,
        hires=lv.hires * k,
        attainment=lv.attainment * k,
    )


def _range(base: Baseline, lv: Levers, o: Outcome, monte_carlo: bool) -> tuple[float, float, str, str]:
    """(low, high, method, note) of the scenario's yearly revenue."""
    if monte_carlo:
        moved, _ = apply(base, lv)
        deals, p = round(12 * moved.volume), min(math.prod(moved.conversions), 1.0)
        r = year_range(deals, p, moved.deal_size, o.capacity, TRIALS, SEED)
        note = (
            f"P10-P90 of a Monte Carlo of the scenario's year ({TRIALS:,} trials): {deals:,} deals "
            f"enter, each won with {fmt.percent(p, 2)} at the scenario's deal size"
            + (", capped at capacity" if o.capacity is not None else "")
        )
        # whole deals: the draws' centre can sit a little off the scenario's figure; the range holds it
        return min(r.p10, o.projected_revenue), max(r.p90, o.projected_revenue), MONTE_CARLO, note
    lo, hi = outcome(base, _scaled(lv, 1 - UNCERTAINTY)), outcome(base, _scaled(lv, 1 + UNCERTAINTY))
    note = (
        f"low-high with each lever's change achieved at {fmt.percent(1 - UNCERTAINTY)} to "
        f"{fmt.percent(1 + UNCERTAINTY)} (stated lever uncertainty; no export to simulate)"
    )
    return lo.projected_revenue, hi.projected_revenue, LEVER_UNCERTAINTY, note


def binding_note(base: Baseline, lv: Levers, o: Outcome, cur: str) -> str:
    """Which limit binds, funnel or capacity, with both figures and what each rests on."""
    moved, _ = apply(base, lv)
    if o.capacity is None:
        return (
            f"The funnel sets the figure: {fmt.money(o.funnel_revenue, cur)} ({_n(o.wins_per_month * 12, 1)} wins a "
            f"year x {fmt.money(moved.deal_size, cur)}); capacity is not counted, as reps or quota are unknown."
        )
    capacity = (
        f"capacity {fmt.money(o.capacity, cur)} ({_n(base.reps, 1)} reps"
        + (f" + {_n(lv.hires, 1)} ramping hires" if lv.hires else "")
        + f" x {fmt.money(base.quota_per_rep, cur)} quota x {fmt.percent(o.ceiling)})"
    )
    funnel = (
        f"the funnel's {fmt.money(o.funnel_revenue, cur)} ({_n(o.wins_per_month * 12, 1)} wins a year x "
        f"{fmt.money(moved.deal_size, cur)})"
    )
    if o.binding == "capacity":
        return f"Capacity binds: {capacity} is below {funnel}; more reps or higher attainment would lift it."
    return f"The funnel binds: {funnel} is below {capacity}; more reps would not lift it."


def _pull_forward(base: Baseline, lv: Levers, o: Outcome, cur: str) -> tuple[float | None, str | None]:
    if not lv.cycle or lv.cycle >= 0:
        return None, None
    moved, _ = apply(base, lv)
    months = (base.cycle_days - moved.cycle_days) / DAYS_PER_MONTH
    amount = o.projected_revenue / 12 * months
    line = (
        f"A cycle {months:.1f} months shorter brings about {fmt.money(amount, cur)} forward once (a month's "
        f"revenue x {months:.1f}), in the first year only: not counted in the yearly figure"
    )
    return amount, line


def expected_impact(
    assessment: Assessment, analysis: Analysis | None = None, deals: pd.DataFrame | None = None
) -> ExpectedImpact | None:
    """The chosen scenario (else the last saved one) against the calibrated baseline, its levers
    combined in one run of the engine; None without a saved scenario."""
    chosen = chosen_scenario(assessment)
    if chosen is None:
        return None
    cal = calibrate(assessment, analysis, deals)
    name = chosen.name
    if cal.baseline is None:
        return _silenced(name, "the baseline needs " + "; ".join(cal.missing))
    base, cur = cal.baseline, assessment.currency
    note = (
        cal.reconciliation.sentence if cal.reconciliation else "No actual yearly revenue to compare the baseline with."
    )
    if (why := _why_silent(base, cur)) is not None:
        return _silenced(name, why, note)
    lv = Levers.from_dict(chosen.levers, len(base.conversions))
    o, o0 = outcome(base, lv), outcome(base)
    # the Monte Carlo applies where the baseline rests on an export's deals (won ones among them)
    monte_carlo = (
        deals is not None and analysis is not None and "status" in deals and bool((deals["status"] == "won").any())
    )
    low, high, method, range_note = _range(base, lv, o, monte_carlo)
    changes = [line for _, line, _ in lever_changes(base, lv, cur)]
    pull, pull_line = _pull_forward(base, lv, o, cur)
    if not base.has_capacity:
        changes.append("Capacity not counted: no quota is known, so the funnel alone sets the figure")
    elif not lv.attainment:
        changes.append(
            f"Attainment moves with the wins, up to {fmt.percent(base.attainment_cap)} of quota "
            "(the most a rep is taken to carry)"
        )
    if pull_line:
        changes.append(pull_line)
    return ExpectedImpact(
        name,
        o0.projected_revenue,
        o.projected_revenue,
        o.projected_revenue - o0.projected_revenue,
        low,
        high,
        method,
        range_note,
        PERIOD,
        tuple(changes),
        o.binding,
        binding_note(base, lv, o, cur),
        note,
        None,
        _figures(base, Levers()),
        _figures(base, lv),
        pull,
        lv.hires,
        lv.hire_month,
        base.reps,
        base.quota_per_rep,
    )


def lever_uplifts(
    assessment: Assessment, analysis: Analysis | None = None, deals: pd.DataFrame | None = None
) -> list[LeverUplift]:
    """Each lever of the chosen scenario alone (largest uplift first, for ranking), then the levers
    combined, whose note says that they overlap and do not add. Empty when no claim can be made."""
    chosen = chosen_scenario(assessment)
    if chosen is None:
        return []
    base = calibrate(assessment, analysis, deals).baseline
    if base is None or _why_silent(base, assessment.currency) is not None:
        return []
    name, lv = chosen.name, Levers.from_dict(chosen.levers, len(base.conversions))
    cur, b0 = assessment.currency, outcome(base).projected_revenue
    alone = []
    for key, line, single in lever_changes(base, lv, cur):
        o = outcome(base, single)
        alone.append(
            LeverUplift(key, line.split(":")[0], line, o.projected_revenue, o.projected_revenue - b0, o.binding)
        )
    alone.sort(key=lambda u: u.uplift, reverse=True)
    o = outcome(base, lv)
    total, together = sum(u.uplift for u in alone), o.projected_revenue - b0
    note = f"{OVERLAP_NOTE} Alone they come to {fmt.money(total, cur)}; combined, {fmt.money(together, cur)}."
    combined = LeverUplift(
        "combined",
        name,
        "; ".join(u.change for u in alone),
        o.projected_revenue,
        o.projected_revenue - b0,
        o.binding,
        True,
        note,
    )
    return [*alone, combined]


def _signed(value: float | None, cur: str, compact: bool = False) -> str:
    if value is None:
        return fmt.DASH
    text = fmt.money(value, cur, compact=compact)
    return text if value < 0 else "+" + text


def headline(impact: ExpectedImpact, currency: str) -> str:
    """One number with its range, for the Executive Summary."""
    if impact.silenced:
        return f"No yearly figure for the scenario: {impact.silenced}."
    word = "P10" if impact.range_method == MONTE_CARLO else "low"
    word_hi = "P90" if impact.range_method == MONTE_CARLO else "high"
    return (
        f"{_signed(impact.uplift, currency, True)} a year ({word} {_signed(impact.uplift_low, currency, True)} – "
        f"{word_hi} {_signed(impact.uplift_high, currency, True)})"
    )


def _row(label: str, base: str, scenario: str) -> str:
    return f"| {label} | {base} | {scenario} |"


def impact_lines(impact: ExpectedImpact, currency: str) -> list[str]:
    """Markdown for the plan's Performance Improvements: baseline against scenario, the uplift with
    its range, the binding limit, the reconciliation and the assumptions."""
    name = " ".join(impact.scenario.split()).replace("|", "/")
    if impact.silenced:
        lines = [f"Scenario **{name}**: no money figure, because {impact.silenced}."]
        return [*lines, "", impact.reconciliation] if impact.reconciliation else lines
    b, s, cur = impact.baseline, impact.outcome, currency
    assert b is not None and s is not None  # set whenever the claim is not silenced
    lines = [
        f"Scenario **{name}** against today's baseline, over {impact.period}:",
        "",
        "| Figure | Baseline | Scenario |",
        "|---|---:|---:|",
        _row("Revenue a year", fmt.money(b.revenue, cur), fmt.money(s.revenue, cur)),
        _row("Win rate", fmt.percent(b.win_rate), fmt.percent(s.win_rate)),
        _row("Sales cycle", fmt.days(round(b.cycle_days)), fmt.days(round(s.cycle_days))),
        _row("Average deal size", fmt.money(b.deal_size, cur), fmt.money(s.deal_size, cur)),
        _row("Quota attainment", fmt.percent(b.attainment), fmt.percent(s.attainment)),
        _row("Binding limit", b.binding, s.binding),
        "",
        f"- **Uplift:** {_signed(impact.uplift, cur)} a year ({_signed(impact.uplift_low, cur)} to "
        f"{_signed(impact.uplift_high, cur)}; {impact.range_note}).",
        f"- **Limit:** {impact.binding_note}",
        f"- **Baseline against actual revenue:** {impact.reconciliation}",
        "- **Assumptions:**",
        *(f"  - {a}" for a in impact.assumptions),
    ]
    return lines


# ---- the programme's own business case ------------------------------------------------------------

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
            f"Hires: {_n(impact.hires, 1)} x {fmt.money(rep_cost, cur)} x {months_employed}/12 months employed"
        )
    seats = reps + impact.hires
    if tools is None:
        tools = seats * (quota or 0.0) * TOOLS_SHARE
        notes.append(
            f"Tools: {fmt.percent(TOOLS_SHARE)} of the quota a seat, {_n(seats, 1)} seats x "
            f"{fmt.money((quota or 0.0) * TOOLS_SHARE, cur)}"
        )
    else:
        notes.append(f"Tools: {fmt.money(tools, cur)} for the year (given)")
    hours = _answer(assessment, "enablement_hours")
    hours = float(ENABLEMENT_HOURS) if hours is None else hours
    enablement = reps * hours * rep_cost / WORK_HOURS
    notes.append(
        f"Enablement time: {_n(reps, 1)} reps x {_n(hours, 1)} hours x "
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
