"""The expected impact in words: the Executive Summary's one number with its range, and the
Markdown table of the plan's Performance Improvements (baseline against scenario, uplift, limit,
reconciliation, assumptions)."""

from __future__ import annotations

from salesopt.forecast.expected import MONTE_CARLO, ExpectedImpact
from salesopt.report import fmt


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
