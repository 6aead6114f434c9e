"""What-if on the sales velocity equation (METRICS.md §2).

Sales velocity (revenue per day) = open opportunities x win rate x average deal size / mean sales
cycle days. A scenario moves each lever by a relative change (or, for the win rate, by points) and
the result is compared with the baseline. Undefined (``None``) when a lever is missing or the
cycle is 0.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVERS = ("open_opportunities", "win_rate", "avg_deal_size", "cycle_days")


@dataclass(frozen=True)
class Baseline:
    open_opportunities: float | None
    win_rate: float | None  # fraction
    avg_deal_size: float | None
    cycle_days: float | None

    def missing(self) -> list[str]:
        return [name for name in LEVERS if getattr(self, name) is None]


@dataclass(frozen=True)
class Change:
    """Lever moves: relative (+0.10 = +10%) except win_rate_points (+0.05 = +5 points)."""

    open_opportunities: float = 0.0
    win_rate_points: float = 0.0
    avg_deal_size: float = 0.0
    cycle_days: float = 0.0


@dataclass(frozen=True)
class Outcome:
    velocity_per_day: float | None
    per_30_days: float | None
    per_year: float | None
    wins: float | None  # expected wins from the open opportunities


def velocity(
    open_opportunities: float | None, win_rate: float | None, avg_deal_size: float | None, cycle_days: float | None
) -> float | None:
    """Revenue per day; None when any input is missing or the cycle is not positive."""
    if None in (open_opportunities, win_rate, avg_deal_size, cycle_days) or not cycle_days or cycle_days <= 0:
        return None
    return open_opportunities * win_rate * avg_deal_size / cycle_days  # type: ignore[operator]


def apply(base: Baseline, change: Change) -> Baseline:
    """The baseline with the change applied; the win rate stays within [0, 1]."""

    def rel(value: float | None, delta: float) -> float | None:
        return None if value is None else max(value * (1 + delta), 0.0)

    win = None if base.win_rate is None else min(max(base.win_rate + change.win_rate_points, 0.0), 1.0)
    return Baseline(
        rel(base.open_opportunities, change.open_opportunities),
        win,
        rel(base.avg_deal_size, change.avg_deal_size),
        rel(base.cycle_days, change.cycle_days),
    )


def difference(after: Outcome, before: Outcome) -> Outcome:
    """after - before, figure by figure (None where either is undefined)."""

    def sub(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else a - b

    return Outcome(
        sub(after.velocity_per_day, before.velocity_per_day),
        sub(after.per_30_days, before.per_30_days),
        sub(after.per_year, before.per_year),
        sub(after.wins, before.wins),
    )


def outcome(base: Baseline) -> Outcome:
    v = velocity(base.open_opportunities, base.win_rate, base.avg_deal_size, base.cycle_days)
    wins = None if base.open_opportunities is None or base.win_rate is None else base.open_opportunities * base.win_rate
    return Outcome(v, None if v is None else v * 30, None if v is None else v * 365, wins)


def _answer(answers: dict, key: str) -> float | None:
    value = answers.get(key)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def baseline_from(assessment) -> Baseline:  # type: ignore[no-untyped-def]
    """Win rate, deal size and cycle from the Stage 1 answers; open opportunities from the What-if page."""
    answers = assessment.context.answers
    return Baseline(
        assessment.whatif.open_opportunities,
        _answer(answers, "win_rate"),
        _answer(answers, "avg_deal_size"),
        _answer(answers, "sales_cycle"),
    )


LEVER_LABELS = {
    "open_opportunities": "open opportunities (What-if page)",
    "win_rate": "win rate (Stage 1)",
    "avg_deal_size": "average deal size (Stage 1)",
    "cycle_days": "sales cycle (Stage 1)",
}
