"""What-if modeling: the seed's "volume x conversion x velocity" and deal size as levers.

The model (docs/METRICS-local.md, "What-if"):
- Funnel: wins per month = volume entering the first stage per month x the product of the stage
  conversions; revenue per year = 12 x wins per month x average deal size. The last conversion
  (into won) moves with the win-rate lever, by the same relative amount as the win rate.
- Velocity (METRICS.md §2): open opportunities x win rate x deal size / cycle days, per day.
- Pipeline value = open opportunities x deal size; coverage = pipeline value / target.
- Capacity (METRICS.md §6): reps x quota per rep x expected attainment per year; new hires ramp
  linearly to full productivity over the ramp (onboarding) months; attrition is a yearly share of
  reps leaving, spread evenly over the months.
- Gap to target = target - the smaller of funnel revenue and capacity ("do we make the number?").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import pandas as pd

DEFAULT_RAMP_MONTHS = 12 * 7 / 30  # seed 000: 12-week onboarding = 2.8 months


@dataclass(frozen=True)
class Baseline:
    stages: tuple[str, ...]
    volume: float  # deals entering the first stage per month
    conversions: tuple[float, ...]  # stage k -> k+1, one fewer than stages
    deal_size: float
    cycle_days: float
    win_rate: float
    open_opportunities: float
    reps: float
    quota_per_rep: float  # per year
    attainment: float
    target: float  # per year
    ramp_months: float = DEFAULT_RAMP_MONTHS


@dataclass(frozen=True)
class Levers:
    """Changes to the baseline: relative for volume, deal size and cycle (+0.1 = +10%); points for
    conversions and win rate (+0.05 = +5 points); reps hired at ``hire_month`` (1-12)."""

    volume: float = 0.0
    conversions: tuple[float, ...] = ()
    deal_size: float = 0.0
    cycle: float = 0.0
    win_rate: float = 0.0
    hires: float = 0.0
    hire_month: int = 1
    attrition: float = 0.0
    ramp_months: float | None = None

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
        )


@dataclass(frozen=True)
class Outcome:
    wins_per_month: float
    funnel_revenue: float  # per year
    velocity_per_day: float | None
    pipeline_value: float
    coverage: float | None
    capacity: float  # per year, with ramp and attrition
    projected_revenue: float  # min(funnel revenue, capacity)
    gap_to_target: float
    makes_target: bool
    reasons: dict[str, str] = field(default_factory=dict)

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
    monthly_quota = base.quota_per_rep / 12 * base.attainment
    for m in range(1, months + 1):
        remaining = (1 - lv.attrition) ** (m / 12) if lv.attrition < 1 else 0.0
        effective = base.reps * remaining + lv.hires * ramp(m, lv.hire_month, base.ramp_months) * remaining
        rows.append(
            {"month": m, "effective_reps": effective, "capacity": effective * monthly_quota, "target": base.target / 12}
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
    capacity = float(capacity_plan(moved, lv)["capacity"].sum())
    projected = min(funnel_revenue, capacity)
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
    swing("Reps", replace(base, reps=base.reps * (1 - step)), replace(base, reps=base.reps * (1 + step)))
    swing(
        "Quota attainment",
        replace(base, attainment=base.attainment * (1 - step)),
        replace(base, attainment=base.attainment * (1 + step)),
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


def reps_needed(target: float, quota_per_rep: float, attainment: float) -> float | None:
    """METRICS.md §6: target / (quota per rep x expected attainment), fully ramped reps."""
    denom = quota_per_rep * attainment
    return None if denom <= 0 else target / denom


def hires_needed(base: Baseline, hire_month: int = 1, months: int = 12) -> float | None:
    """New reps, hired at ``hire_month`` and ramping, for a year's capacity to reach the target."""
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
    "attainment": "Expected quota attainment (0-1)",
    "target": "Revenue target per year",
    "ramp_months": "Ramp of a new hire (months)",
}


def baseline_from(assessment, analysis=None, deals=None) -> tuple[Baseline | None, list[str], list[str]]:  # type: ignore[no-untyped-def]
    """The baseline from Stage 2 figures (CRM analysis or workshop volumes), Stage 1 answers and
    Stage 4's onboarding length, with the user's overrides on top. Returns (baseline or None,
    missing figures, notes on where figures came from)."""
    ctx = assessment.context.answers

    def num(value: object) -> float | None:
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    notes: list[str] = []
    stages: tuple[str, ...] = ()
    conversions: tuple[float, ...] = ()
    volume = None
    f = assessment.funnel
    if analysis is not None and len(analysis.stages) >= 2:
        stages = tuple(s.stage for s in analysis.stages)
        conversions = tuple(s.conversion_to_next or 0.0 for s in analysis.stages[:-1])
        months = 12.0
        if deals is not None and "created_date" in deals and deals["created_date"].notna().any():
            span = (deals["created_date"].max() - deals["created_date"].min()).days / (365.25 / 12)
            months = max(span, 1.0)
            notes.append(f"volume: {analysis.stages[0].reached:,} deals over {months:.1f} months of created dates")
        else:
            notes.append("volume: the export has no created dates; its deals are taken as one year's")
        volume = analysis.stages[0].reached / months
    elif f.source == "workshop" and len(f.workshop) >= 2 and f.workshop[0].volume > 0:
        stages = tuple(r.stage for r in f.workshop)
        conversions = tuple(
            (f.workshop[k + 1].volume / f.workshop[k].volume) if f.workshop[k].volume else 0.0
            for k in range(len(f.workshop) - 1)
        )
        volume = float(f.workshop[0].volume)
        notes.append("volume and conversions: Stage 2 workshop numbers, taken as one month's")
    deal = (analysis.avg_deal_size if analysis is not None else None) or num(ctx.get("avg_deal_size"))
    cycle = (analysis.cycle_days_mean if analysis is not None else None) or num(ctx.get("sales_cycle"))
    win = analysis.win_rate if analysis is not None else None
    win = win if win is not None else num(ctx.get("win_rate"))
    open_opps = float(analysis.open) if analysis is not None else assessment.whatif.open_opportunities
    reps = num(ctx.get("rep_count"))
    revenue, attainment = num(ctx.get("annual_revenue")), num(ctx.get("quota_attainment"))
    quota = revenue / attainment / reps if revenue and attainment and reps else None
    target = f.target or (revenue / attainment if revenue and attainment else None)
    onboarding = num(assessment.enablement.answers.get("onboarding_weeks"))
    ramp_months = onboarding / 30 if onboarding else DEFAULT_RAMP_MONTHS
    values = {
        "volume": volume,
        "deal_size": deal,
        "cycle_days": cycle,
        "win_rate": win,
        "open_opportunities": open_opps,
        "reps": reps,
        "quota_per_rep": quota,
        "attainment": attainment,
        "target": target,
        "ramp_months": ramp_months,
    }
    values.update({k: v for k, v in assessment.whatif.overrides.items() if k in values})
    missing = [BASELINE_FIELDS[k] for k, v in values.items() if v is None]
    if not stages:
        missing.insert(0, "stage conversions (Stage 2: a CRM export or workshop volumes)")
    if missing:
        return None, missing, notes
    return Baseline(stages=stages, conversions=conversions, **values), [], notes  # type: ignore[arg-type]


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
            }
        )
    return pd.DataFrame(rows)


def chosen_impact(assessment, analysis=None, deals=None) -> pd.DataFrame | None:  # type: ignore[no-untyped-def]
    """Baseline and the scenario chosen for the plan (the last saved one if none is chosen)."""
    if not assessment.scenarios:
        return None
    base, _, _ = baseline_from(assessment, analysis, deals)
    if base is None:
        return None
    chosen = next(
        (s for s in assessment.scenarios if s.id == assessment.whatif.chosen_scenario), assessment.scenarios[-1]
    )
    return compare(base, [(chosen.name, Levers.from_dict(chosen.levers, len(base.conversions)))])
