"""What-if modeling: the seed's "volume x conversion x velocity" and deal size as levers.

The model (docs/METRICS-local.md, "What-if"):
- Funnel: wins per month = volume entering the first stage per month x the product of the stage
  conversions; revenue per year = 12 x wins per month x average deal size. The last conversion
  (into won) moves with the win-rate lever, by the same relative amount as the win rate.
- Velocity (METRICS.md §2): open opportunities x win rate x deal size / cycle days, per day.
- Pipeline value = open opportunities x deal size; coverage = pipeline value / target.
- Capacity (METRICS.md §6): reps x quota per rep x the attainment ceiling per year: the most of
  quota a rep can carry (the stated cap, 100% unless changed), or the scenario's attainment when
  attainment is one of its levers. New hires ramp linearly to full productivity over the ramp
  (onboarding) months; attrition is a yearly share of reps leaving, spread evenly over the months.
- Projected revenue = the smaller of funnel revenue and capacity; the smaller one is the binding
  limit. Attainment moves with the scenario: projected revenue / the quota the reps carry.
- Gap to target = target - projected revenue ("do we make the number?").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # the assessment and the Stage 2 figures are only read here
    from salesopt.funnel.sql import Analysis
    from salesopt.model.assessment import Assessment, Scenario

DEFAULT_RAMP_MONTHS = 12 * 7 / 30  # a 12-week onboarding = 2.8 months
DEFAULT_ATTAINMENT_CAP = 1.0  # stated assumption: a fully productive rep carries at most the quota
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Baseline:
    stages: tuple[str, ...]
    volume: float  # deals entering the first stage per month
    conversions: tuple[float, ...]  # stage k -> k+1, one fewer than stages
    deal_size: float
    cycle_days: float
    win_rate: float
    open_opportunities: float
    reps: float | None  # None with quota and attainment: capacity unknown, only the funnel limits
    quota_per_rep: float | None  # per year
    attainment: float | None  # today's
    target: float  # per year
    ramp_months: float = DEFAULT_RAMP_MONTHS
    attainment_cap: float = DEFAULT_ATTAINMENT_CAP  # the most of quota a rep can carry

    def ceiling(self, lv: Levers) -> float:
        """The attainment capacity is counted at: today's attainment moved by the attainment lever
        when the scenario sets one (the scenario says what reps will reach), else the cap."""
        if lv.attainment and self.attainment is not None:
            return max(self.attainment + lv.attainment, 0.0)
        return self.attainment_cap

    @property
    def has_capacity(self) -> bool:
        """Reps and quota are known, so capacity can be counted."""
        return self.reps is not None and self.quota_per_rep is not None


@dataclass(frozen=True)
class Levers:
    """Changes to the baseline: relative for volume, deal size and cycle (+0.1 = +10%); points for
    conversions, win rate and attainment (+0.05 = +5 points); reps hired at ``hire_month`` (1-12)."""

    volume: float = 0.0
    conversions: tuple[float, ...] = ()
    deal_size: float = 0.0
    cycle: float = 0.0
    win_rate: float = 0.0
    hires: float = 0.0
    hire_month: int = 1
    attrition: float = 0.0
    ramp_months: float | None = None
    attainment: float = 0.0

    def as_dict(self) -> dict[str, float]:
        """The levers that differ from no change (what a saved scenario keeps)."""
        out = {
            k: float(v)
            for k, v in (
                ("volume", self.volume),
                ("deal_size", self.deal_size),
                ("cycle", self.cycle),
                ("win_rate", self.win_rate),
                ("hires", self.hires),
                ("attrition", self.attrition),
                ("attainment", self.attainment),
            )
            if v
        }
        if self.hire_month != 1:
            out["hire_month"] = float(self.hire_month)
        out.update({f"conversion_{i}": v for i, v in enumerate(self.conversions) if v})
        if self.ramp_months is not None:
            out["ramp_months"] = self.ramp_months
        return out

    @classmethod
    def from_dict(cls, data: dict[str, float], n_conversions: int) -> Levers:
        conv = tuple(float(data.get(f"conversion_{i}", 0.0)) for i in range(n_conversions))
        return cls(
            volume=data.get("volume", 0.0),
            conversions=conv,
            deal_size=data.get("deal_size", 0.0),
            cycle=data.get("cycle", 0.0),
            win_rate=data.get("win_rate", 0.0),
            hires=data.get("hires", 0.0),
            hire_month=int(data.get("hire_month", 1) or 1),
            attrition=data.get("attrition", 0.0),
            ramp_months=data.get("ramp_months"),
            attainment=data.get("attainment", 0.0),
        )


@dataclass(frozen=True)
class Outcome:
    wins_per_month: float
    funnel_revenue: float  # per year
    velocity_per_day: float | None
    pipeline_value: float
    coverage: float | None
    capacity: float | None  # per year, with ramp and attrition; None when reps or quota are unknown
    projected_revenue: float  # min(funnel revenue, capacity)
    gap_to_target: float
    makes_target: bool
    reasons: dict[str, str] = field(default_factory=dict)
    attainment: float | None = None  # projected revenue / the quota the reps carry in the year
    binding: str = "funnel"  # "funnel" or "capacity": the smaller of the two limits
    ceiling: float = DEFAULT_ATTAINMENT_CAP  # the attainment capacity was counted at

    @property
    def velocity_per_30_days(self) -> float | None:
        return None if self.velocity_per_day is None else self.velocity_per_day * 30


def _clip01(x: float) -> float:
    return min(max(x, 0.0), 1.0)


def apply(base: Baseline, lv: Levers) -> tuple[Baseline, Levers]:
    """The baseline moved by the levers (rates kept within 0-1, amounts at 0 or more)."""
    conv = list(base.conversions)
    for i, d in enumerate(lv.conversions[: len(conv)]):
        conv[i] = _clip01(conv[i] + d)
    win = _clip01(base.win_rate + lv.win_rate)
    if conv and base.win_rate > 0 and lv.win_rate:
        conv[-1] = _clip01(conv[-1] * win / base.win_rate)
    moved = replace(
        base,
        volume=max(base.volume * (1 + lv.volume), 0.0),
        conversions=tuple(conv),
        deal_size=max(base.deal_size * (1 + lv.deal_size), 0.0),
        cycle_days=max(base.cycle_days * (1 + lv.cycle), 0.0),
        win_rate=win,
        ramp_months=lv.ramp_months if lv.ramp_months is not None else base.ramp_months,
    )
    return moved, lv


def ramp(month: int, start: int, ramp_months: float) -> float:
    """Productivity (0-1) in ``month`` of a rep hired at the start of month ``start``."""
    if month < start:
        return 0.0
    if ramp_months <= 0:
        return 1.0
    return min((month - start + 1) / ramp_months, 1.0)


def capacity_plan(base: Baseline, lv: Levers = Levers(), months: int = 12) -> pd.DataFrame:
    """Month by month: effective reps (ramping hires, attrition), capacity and the target's share."""
    rows = []
    monthly_quota = (base.quota_per_rep or 0.0) / 12
    ceiling = base.ceiling(lv)
    for m in range(1, months + 1):
        remaining = (1 - lv.attrition) ** (m / 12) if lv.attrition < 1 else 0.0
        effective = (base.reps or 0.0) * remaining + lv.hires * ramp(m, lv.hire_month, base.ramp_months) * remaining
        rows.append(
            {
                "month": m,
                "effective_reps": effective,
                "quota": effective * monthly_quota,
                "capacity": effective * monthly_quota * ceiling,
                "target": base.target / 12,
            }
        )
    frame = pd.DataFrame(rows)
    frame["cumulative_capacity"] = frame["capacity"].cumsum()
    frame["cumulative_target"] = frame["target"].cumsum()
    return frame


def outcome(base: Baseline, lv: Levers = Levers()) -> Outcome:
    moved, lv = apply(base, lv)
    reasons: dict[str, str] = {}
    wins = moved.volume * math.prod(moved.conversions)
    funnel_revenue = 12 * wins * moved.deal_size
    velocity = None
    if moved.cycle_days > 0:
        velocity = moved.open_opportunities * moved.win_rate * moved.deal_size / moved.cycle_days
    else:
        reasons["velocity"] = "the sales cycle is 0 days"
    pipeline = moved.open_opportunities * moved.deal_size
    coverage = pipeline / moved.target if moved.target > 0 else None
    if coverage is None:
        reasons["coverage"] = "no target"
    capacity: float | None = None
    attainment = None
    if moved.has_capacity:
        plan = capacity_plan(moved, lv)
        capacity, quota = float(plan["capacity"].sum()), float(plan["quota"].sum())
        attainment = min(funnel_revenue, capacity) / quota if quota > 0 else None
    else:
        reasons["capacity"] = "reps or quota unknown: only the funnel limits the projection"
    projected = funnel_revenue if capacity is None else min(funnel_revenue, capacity)
    if attainment is None:
        reasons["attainment"] = "no quota is carried (no reps or no quota)"
    return Outcome(
        wins,
        funnel_revenue,
        velocity,
        pipeline,
        coverage,
        capacity,
        projected,
        moved.target - projected,
        projected >= moved.target,
        reasons,
        attainment,
        "capacity" if capacity is not None and capacity < funnel_revenue else "funnel",
        moved.ceiling(lv),
    )


LEVER_NAMES = {
    "volume": "Top-of-funnel volume",
    "deal_size": "Average deal size",
    "win_rate": "Win rate",
    "cycle": "Sales cycle length",
    "reps": "Reps",
}


def sensitivity(base: Baseline, step: float = 0.10) -> pd.DataFrame:
    """Projected revenue change for -step / +step on each lever (relative; conversions and win rate
    relative to their own value), ranked by the size of the swing: where effort is worth most."""
    b0 = outcome(base).projected_revenue
    rows = []

    def swing(name: str, low: Levers | Baseline, high: Levers | Baseline) -> None:
        lo = outcome(low) if isinstance(low, Baseline) else outcome(base, low)
        hi = outcome(high) if isinstance(high, Baseline) else outcome(base, high)
        rows.append({"lever": name, "low": lo.projected_revenue - b0, "high": hi.projected_revenue - b0})

    swing("Top-of-funnel volume", Levers(volume=-step), Levers(volume=step))
    swing("Average deal size", Levers(deal_size=-step), Levers(deal_size=step))
    swing("Win rate", Levers(win_rate=-step * base.win_rate), Levers(win_rate=step * base.win_rate))
    for i, c in enumerate(base.conversions[:-1]):
        name = f"{base.stages[i]} → {base.stages[i + 1]}"
        d = [0.0] * len(base.conversions)
        d[i] = -step * c
        lo = Levers(conversions=tuple(d))
        d[i] = step * c
        swing(name, lo, Levers(conversions=tuple(d)))
    if base.reps is not None and base.has_capacity:  # unknown capacity: the people levers move nothing
        swing("Reps", replace(base, reps=base.reps * (1 - step)), replace(base, reps=base.reps * (1 + step)))
        swing(
            "Quota attainment",
            replace(base, attainment_cap=base.attainment_cap * (1 - step)),
            replace(base, attainment_cap=base.attainment_cap * (1 + step)),
        )
    frame = pd.DataFrame(rows)
    frame["spread"] = (frame["high"] - frame["low"]).abs()
    return frame.sort_values("spread", ascending=False, kind="stable").reset_index(drop=True)


def reverse_funnel(
    target_per_month: float, deal_size: float, stages: tuple[str, ...], conversions: tuple[float, ...]
) -> pd.DataFrame:
    """METRICS.md §6: wins needed = target / deal size; each earlier stage = the next stage's need /
    that transition's conversion. None where a conversion is 0 (the target cannot be reached)."""
    needs: list[float | None] = [None] * len(stages)
    needs[-1] = target_per_month / deal_size if deal_size > 0 else None
    for k in range(len(stages) - 2, -1, -1):
        nxt = needs[k + 1]
        needs[k] = None if nxt is None or conversions[k] <= 0 else nxt / conversions[k]
    conv_col = [*conversions, None]
    return pd.DataFrame(
        {
            "stage": list(stages),
            "needed_per_month": pd.Series(needs, dtype=object),
            "conversion_to_next": pd.Series(conv_col, dtype=object),
        }
    )


def reps_needed(target: float, quota_per_rep: float | None, attainment: float | None) -> float | None:
    """METRICS.md §6: target / (quota per rep x expected attainment), fully ramped reps."""
    if quota_per_rep is None or attainment is None:
        return None
    denom = quota_per_rep * attainment
    return None if denom <= 0 else target / denom


def hires_needed(base: Baseline, hire_month: int = 1, months: int = 12) -> float | None:
    """New reps, hired at ``hire_month`` and ramping, for the team to reach the target at today's
    attainment (a new rep taken to perform like today's reps, as :func:`reps_needed` counts them)."""
    if base.reps is None or base.quota_per_rep is None or base.attainment is None:
        return None
    monthly = base.quota_per_rep / 12 * base.attainment
    ramp_sum = sum(ramp(m, hire_month, base.ramp_months) for m in range(1, months + 1))
    if monthly <= 0 or ramp_sum <= 0:
        return None
    short = base.target / monthly - months * base.reps
    return max(short / ramp_sum, 0.0)


BASELINE_FIELDS = {
    "volume": "Deals entering the first stage per month",
    "deal_size": "Average deal size",
    "cycle_days": "Sales cycle (days)",
    "win_rate": "Win rate (0-1)",
    "open_opportunities": "Open opportunities",
    "reps": "Quota-carrying reps",
    "quota_per_rep": "Quota per rep per year",
    "attainment": "Today's quota attainment (0-1)",
    "target": "Revenue target per year",
    "ramp_months": "Ramp of a new hire (months)",
    "attainment_cap": "Most of quota a rep can carry (0-2)",
}


def baseline_from(
    assessment: Assessment, analysis: Analysis | None = None, deals: pd.DataFrame | None = None
) -> tuple[Baseline | None, list[str], list[str]]:
    """The calibrated baseline as (baseline or None, missing figures, notes): see salesopt.forecast.baseline."""
    from salesopt.forecast.baseline import calibrate  # salesopt.forecast.baseline builds on this module's Baseline

    cal = calibrate(assessment, analysis, deals)
    return cal.baseline, list(cal.missing), list(cal.notes)


def compare(base: Baseline, scenarios: list[tuple[str, Levers]]) -> pd.DataFrame:
    """The baseline and each scenario side by side."""
    rows = []
    for name, lv in [("Baseline", Levers()), *scenarios]:
        o = outcome(base, lv)
        rows.append(
            {
                "scenario": name,
                "projected_revenue": o.projected_revenue,
                "funnel_revenue": o.funnel_revenue,
                "capacity": o.capacity,
                "gap_to_target": o.gap_to_target,
                "wins_per_month": o.wins_per_month,
                "velocity_per_30_days": o.velocity_per_30_days,
                "makes_target": o.makes_target,
                "target": base.target,
                "attainment": o.attainment,
                "binding": o.binding,
            }
        )
    return pd.DataFrame(rows)


def chosen_impact(
    assessment: Assessment, analysis: Analysis | None = None, deals: pd.DataFrame | None = None
) -> pd.DataFrame | None:
    """Baseline and the scenario chosen for the plan (the last saved one if none is chosen)."""
    chosen = chosen_scenario(assessment)
    if chosen is None:
        return None
    base, _, _ = baseline_from(assessment, analysis, deals)
    if base is None:
        return None
    return compare(base, [(chosen.name, Levers.from_dict(chosen.levers, len(base.conversions)))])


def chosen_scenario(assessment: Assessment) -> Scenario | None:
    """The scenario chosen for the plan, else the last saved one; None without scenarios."""
    if not assessment.scenarios:
        return None
    chosen = assessment.whatif.chosen_scenario
    return next((s for s in assessment.scenarios if s.id == chosen), assessment.scenarios[-1])
