"""The sections built from the plan's inputs as a whole for the Executive Summary and the Current
State Analysis: the headline figures, the key findings, what the client told us beside what the
export says, the challenges from the data, and the compensation plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from salesopt.funnel.analysis import Analysis
from salesopt.report import fmt
from salesopt.report.plan.inputs import Inputs
from salesopt.report.plan.outline import EXPORT_MISSING
from salesopt.report.plan.text import answer_number, days_months, plural, quote

if TYPE_CHECKING:
    from salesopt.report.findings import Finding


def exec_performance(inputs: Inputs) -> list[str]:
    """A handful of headline figures, measured where the export has them, else as reported."""
    a, ctx, cur = inputs.funnel, inputs.assessment.context.answers, inputs.currency
    num = answer_number
    lines: list[str] = []
    if a is not None:
        from salesopt.report.findings import revenue_last_12_months

        revenue, basis = revenue_last_12_months(inputs.result.deals) if inputs.result is not None else (None, "")
        if revenue is not None:
            lines.append(f"- **Won revenue, last 12 months:** {fmt.money(revenue, cur, compact=True)} ({basis})")
        lines.append(f"- **Win rate:** {fmt.percent(a.win_rate)} ({a.rests_on.get('win_rate', 'won / closed')})")
        if a.cycle_days_median is not None:
            lines.append(f"- **Sales cycle (median, won deals):** {days_months(a.cycle_days_median)}")
        else:
            lines.append(f"- **Sales cycle:** not defined ({_why(a, 'cycle_days')})")
        if a.coverage_ratio is not None:
            lines.append(
                f"- **Pipeline coverage:** {fmt.times(a.coverage_ratio)} of the target, where the win rate needs "
                f"{fmt.times(a.required_coverage)}"
            )
        else:
            lines.append(f"- **Pipeline coverage:** not defined ({_why(a, 'coverage_ratio')})")
    else:
        reported: tuple[tuple[str, str, Callable[[float | None], str]], ...] = (
            ("Revenue (12 months, reported)", "annual_revenue", lambda v: fmt.money(v, cur, compact=True)),
            ("Win rate (reported)", "win_rate", fmt.percent),
            ("Sales cycle (reported)", "sales_cycle", days_months),
        )
        for label, qid, show in reported:
            if num(ctx, qid) is not None:
                lines.append(f"- **{label}:** {show(num(ctx, qid))}")
    if num(ctx, "quota_attainment") is not None:
        lines.append(f"- **Quota attainment (reported):** {fmt.percent(num(ctx, 'quota_attainment'))}")
    if not lines:
        return ["_Missing: the current performance figures. Stage 1 (Sales context) collects them._"]
    return lines


def _why(a: Analysis, key: str) -> str:
    """Why the analysis leaves a figure undefined, as a clause."""
    return str(a.reasons.get(key) or "the export does not say").rstrip(".")


def _key_findings(inputs: Inputs) -> list[Finding]:
    """The three findings the summary leads with: the heaviest, one per topic (losses at the leak's
    stage are the leak itself)."""
    from salesopt.report.findings import gap_findings

    a = inputs.funnel
    leak_stage = a.biggest_leak.from_stage if a is not None and a.biggest_leak else None
    picked: list[Finding] = []
    for f in sorted([*inputs.findings, *gap_findings(inputs.told)], key=lambda f: -f.weight):
        if f.key == "losses_by_stage" and leak_stage and f" at {leak_stage} " in f.text:
            continue
        picked.append(f)
    return picked[:3]


def exec_findings(inputs: Inputs) -> list[str]:
    """Key findings and gaps: the three heaviest findings, then where reported and measured differ."""
    if inputs.result is None:
        return [f"_Missing: findings from the data; {EXPORT_MISSING}._"]
    lines = [f"{i}. **{f.title}.** {f.text}" for i, f in enumerate(_key_findings(inputs), start=1)]
    gaps = [t for t in inputs.told if not t.agrees]
    if gaps:
        lines += [
            "",
            "Reported and measured differ on "
            + "; ".join(f"{_lower(t.figure)} ({t.said_short} reported, {t.measured_short} measured)" for t in gaps)
            + " (see Performance Metrics).",
        ]
    return lines or ["The export supports no finding yet: too few deals per stage."]


def _lower(text: str) -> str:
    """A figure's name mid-sentence: 'Win rate' -> 'win rate'; one that starts with a stage name stays."""
    return text if "→" in text else text[:1].lower() + text[1:]


def told_lines(inputs: Inputs) -> list[str]:
    """What the client told us beside what the export says, as a table (under Performance Metrics)."""
    if not inputs.told:
        return []
    lines = ["", "What you told us and what the data says:", "",
             "| Figure | You told us | The export says | Agrees | Rests on |", "|---|---|---|---|---|"]  # fmt: skip
    for t in inputs.told:
        lines.append(f"| {t.figure} | {t.said} | {t.measured} | {'yes' if t.agrees else 'no'} | {t.note} |")
    return [*lines, ""]


def challenges(inputs: Inputs) -> list[str]:
    """Key Challenges from the data, each with what it rests on, ahead of the client's own words."""
    if not inputs.findings:
        return []
    lines = ["From the data:", ""]
    lines += [f"- **{f.title}:** {f.text} Rests on {f.rests_on}." for f in inputs.findings]
    return [*lines, "", "In your words:", ""]


def compensation(inputs: Inputs) -> list[str]:
    """Pay structure and incentives: Stage 1's compensation answer and Stage 5's people answers."""
    a = inputs.assessment
    ctx, perf = a.context.answers, a.performance.answers
    lines: list[str] = []
    if str(ctx.get("compensation") or "").strip():
        lines.append(f"- **Pay structure today:** {quote(str(ctx['compensation']))}")
    if str(perf.get("incentives") or "").strip():
        lines.append(f"- **Incentives:** {quote(str(perf['incentives']))}")
    above, below = answer_number(perf, "reps_above_quota"), answer_number(perf, "reps_below_80")
    if above is not None or below is not None:
        parts: list[str] = []
        if above is not None:
            parts.append(f"{plural(int(above), 'rep')} above 100% of quota")
        if below is not None:
            parts.append(f"{plural(int(below), 'rep')} below 80%")
        lines.append(f"- **Where the team stands:** {', '.join(parts)} (Stage 5 answers)")
    if str(perf.get("one_on_ones") or "").strip():
        lines.append(f"- **1-on-1s:** {quote(str(perf['one_on_ones']))}")
    if not lines:
        return ["_Missing: no answers yet. Stage 1 (Sales context) and Stage 5 (Performance management) collect them._"]
    return lines
