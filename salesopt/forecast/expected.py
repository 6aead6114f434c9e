"""Expected impact of the chosen what-if scenario, the one source of the plan's money claims: the
baseline against the scenario a year, its range, the binding limit, and each lever alone (to rank).

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
from salesopt.forecast.changes import count, lever_changes
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
            f"The funnel sets the figure: {fmt.money(o.funnel_revenue, cur)} ({count(o.wins_per_month * 12, 1)} wins a "
            f"year x {fmt.money(moved.deal_size, cur)}); capacity is not counted, as reps or quota are unknown."
        )
    capacity = (
        f"capacity {fmt.money(o.capacity, cur)} ({count(base.reps, 1)} reps"
        + (f" + {count(lv.hires, 1)} ramping hires" if lv.hires else "")
        + f" x {fmt.money(base.quota_per_rep, cur)} quota x {fmt.percent(o.ceiling)})"
    )
    funnel = (
        f"the funnel's {fmt.money(o.funnel_revenue, cur)} ({count(o.wins_per_month * 12, 1)} wins a year x "
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
