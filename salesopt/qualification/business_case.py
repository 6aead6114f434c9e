"""Value selling: the business case of METRICS.md §7.

Annual benefit = revenue increase + cost savings + efficiency gains. Over N years:
ROI = (total benefit - total cost) / total cost, total cost = one-time + recurring x N;
payback months = one-time investment / monthly net benefit, monthly net = (annual benefit -
recurring cost) / 12; NPV = -one-time + sum over years t = 1..N of (annual benefit - recurring) /
(1 + rate)^t. Undefined where a denominator is 0; payback is "never" when the net benefit is not
positive.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BusinessCaseResult:
    annual_benefit: float
    total_benefit: float
    total_cost: float
    roi: float | None
    payback_months: float | None
    payback_never: bool
    npv: float
    reasons: dict[str, str]


def evaluate(
    revenue_increase: float,
    cost_savings: float,
    efficiency_gains: float,
    one_time: float,
    recurring: float,
    years: int,
    discount_rate: float,
) -> BusinessCaseResult:
    if years < 1:
        raise ValueError("the horizon must be at least 1 year")
    if discount_rate <= -1:
        raise ValueError("the discount rate must be above -100%")
    annual = revenue_increase + cost_savings + efficiency_gains
    total_benefit = annual * years
    total_cost = one_time + recurring * years
    reasons: dict[str, str] = {}
    roi = None if total_cost == 0 else (total_benefit - total_cost) / total_cost
    if roi is None:
        reasons["roi"] = "no cost entered"
    monthly_net = (annual - recurring) / 12
    never = monthly_net <= 0
    payback = None if never else one_time / monthly_net
    if never:
        reasons["payback_months"] = "never: the yearly benefit does not exceed the recurring cost"
    net = annual - recurring
    npv = -one_time + sum(net / (1 + discount_rate) ** t for t in range(1, years + 1))
    return BusinessCaseResult(annual, total_benefit, total_cost, roi, payback, never, npv, reasons)


def cumulative_cash_flow(
    one_time: float, annual_benefit: float, recurring: float, years: int
) -> list[tuple[int, float]]:
    """(month, cumulative net cash) from month 0 (the one-time investment) to the horizon."""
    monthly = (annual_benefit - recurring) / 12
    return [(m, -one_time + monthly * m) for m in range(0, 12 * years + 1)]
