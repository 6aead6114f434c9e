"""The recommendations in the plan: ranked by impact x confidence / effort (the summary's top three
and Opportunity Prioritization), scheduled into the roadmap's phases (at most five each), and the
roadmap as a table for the CSV download."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from salesopt.report.plan.inputs import Inputs
from salesopt.report.plan.text import quote

if TYPE_CHECKING:
    import pandas as pd

    from salesopt.rules.engine import Recommendation

# a phase id -> the month its items are due, after the plan's date ("later" is not a phase of its own)
PHASE_MONTHS = {"quick_wins": 1, "foundation": 3, "optimization": 6, "scale": 12}
PHASE_ORDER = tuple(PHASE_MONTHS)
PHASE_CAP = 5
SCORE = {"low": 1, "medium": 2, "high": 3}
# facts that come from the CRM export: a rule resting on them has measured, not reported, evidence
DATA_FACTS = frozenset(
    "win_rate cycle coverage required_coverage won_revenue first_conversion leak_from leak_to leak_conversion "
    "leak_benchmark leak_shortfall leak_revenue competitor_loss_share no_decision_share lost_without_stage_share "
    "rep_win_rate_spread".split()
)


def _add_months(d: date, months: int) -> date:
    """``months`` later, on the same day of the month (the 28th at most, so every month has it)."""
    y, m = divmod(d.month - 1 + months, 12)
    day = min(d.day, 28)
    return date(d.year + y, m + 1, day)


def _fact_names(expression: str) -> set[str]:
    """The fact names a rule's condition reads."""
    import ast

    return {n.id for n in ast.walk(ast.parse(expression, mode="eval")) if isinstance(n, ast.Name)}


def _confidence(rec: Recommendation, has_data: bool) -> int:
    """3 when the rule rests on measured CRM figures, 2 on answers."""
    return 3 if has_data and _fact_names(rec.rule.when) & DATA_FACTS else 2


def prioritized(recs: list[Recommendation], has_data: bool) -> list[tuple[Recommendation, int, int, int, float]]:
    """(recommendation, impact, confidence, effort, score) ranked by impact x confidence / effort,
    each 1-3 (impact from the rule's priority, effort from its effort, confidence from its evidence)."""
    rows: list[tuple[Recommendation, int, int, int, float]] = []
    for r in _unique(recs):
        impact, conf, effort = SCORE[r.rule.priority], _confidence(r, has_data), SCORE[r.rule.effort]
        rows.append((r, impact, conf, effort, impact * conf / effort))
    order = {id(r): i for i, r in enumerate(recs)}
    return sorted(rows, key=lambda t: (-t[4], order[id(t[0])]))


def _unique(recs: list[Recommendation]) -> list[Recommendation]:
    """One recommendation per lever and KPI: two rules that pull the same lever towards the same
    KPI are one action (the higher-priority one is kept)."""
    seen: set[tuple[str, str]] = set()
    out: list[Recommendation] = []
    for r in recs:
        key = (r.rule.lever, r.kpi or r.title)
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


def schedule(recs: list[Recommendation]) -> dict[str, list[Recommendation]]:
    """The roadmap: each phase holds at most five items, its own first; overflow moves to the
    next phase; no item appears twice."""
    phases: dict[str, list[Recommendation]] = {p: [] for p in PHASE_ORDER}
    carry: list[Recommendation] = []
    for phase in PHASE_ORDER:
        own = [r for r in _unique(recs) if r.rule.phase == phase]
        queue = own + carry
        phases[phase], carry = queue[:PHASE_CAP], queue[PHASE_CAP:]
    if carry:
        phases["later"] = carry
    return phases


def _phase_of(rec: Recommendation, plan: dict[str, list[Recommendation]]) -> str:
    """The phase the roadmap put a recommendation in (its own phase, or a later one it overflowed to)."""
    return next((p for p, items in plan.items() if any(x is rec for x in items)), rec.rule.phase)


def due_date(inputs: Inputs, phase: str) -> str:
    """When a phase's items are due, as ``YYYY-MM-DD`` (month 12 for anything after the phases)."""
    months = PHASE_MONTHS.get(phase, 12)
    return f"{_add_months(inputs.plan_date, months):%Y-%m-%d}"


def _action_line(r: Recommendation, inputs: Inputs, plan: dict[str, list[Recommendation]], long: bool = False) -> str:
    """One recommendation as a list item: owner, due date and KPI; ``long`` adds why and done-when."""
    phase = _phase_of(r, plan)
    kpi = f"; KPI: {quote(r.kpi)}" if r.kpi else ""
    done = f"; done when: {quote(r.done_when).rstrip('.')}" if long and r.done_when else ""
    # a reason whose figure is unknown (a placeholder left unfilled) is left out rather than shown raw
    why = f" {quote(r.why.rstrip('.'))}." if long and "{" not in r.why else ""
    see = " (expected impact: see Expected Impact)" if r.impact and long else ""
    return (
        f"- **{quote(r.title)}**.{why} Owner: {r.rule.owner}; by {due_date(inputs, phase)}{kpi}{done}. "
        f"Effort {r.rule.effort}, priority {r.rule.priority}{see}."
    )


def recommendation_lines(recs: list[Recommendation], kind: str, inputs: Inputs) -> list[str]:
    """Recommendations as plan lines: the top three for the summary (by impact x confidence /
    effort), or those the roadmap puts in one phase. No money claim: that is Expected Impact's."""
    plan = schedule(recs)
    if kind == "summary":
        top = [row[0] for row in prioritized(recs, inputs.result is not None)[:3]]
        return [_action_line(r, inputs, plan) for r in top]
    lines = [_action_line(r, inputs, plan, long=True) for r in plan.get(kind, [])]
    if kind == "scale" and plan.get("later"):
        later = "; ".join(quote(r.title) for r in plan["later"])
        lines.append(f"- After month 12, once the phases above are done: {later}.")
    return lines


def roadmap_table(recs: list[Recommendation], plan_date: date) -> pd.DataFrame:
    """The roadmap as rows for a spreadsheet: phase, item, owner, due date, KPI, done when."""
    import pandas as pd

    names = {"quick_wins": "Quick Wins (Month 1)", "foundation": "Foundation (Months 2-3)",
             "optimization": "Optimization (Months 4-6)", "scale": "Scale (Months 7-12)", "later": "Later"}  # fmt: skip
    rows: list[list[str]] = []
    for phase, items in schedule(recs).items():
        for r in items:
            due = _add_months(plan_date, PHASE_MONTHS.get(phase, 12))
            rows.append([names[phase], r.title, r.rule.owner, f"{due:%Y-%m-%d}", r.kpi, r.done_when,
                         r.rule.effort, r.rule.priority])  # fmt: skip
    columns = ["Phase", "Item", "Owner", "Due", "KPI", "Done when", "Effort", "Priority"]
    return pd.DataFrame(rows, columns=columns)


def prioritization(inputs: Inputs) -> list[str]:
    """Opportunity Prioritization: every recommendation ranked, with its scores and how they are set."""
    rows = prioritized(inputs.recommendations, inputs.result is not None)
    if not rows:
        return []
    lines = [
        "Score = impact x confidence / effort, each scored 1-3: impact from the recommendation's priority, "
        "confidence 3 when it rests on figures measured in the CRM export and 2 when on answers, effort from "
        "low (1) to high (3).",
        "",
        "| Rank | Improvement | Impact | Confidence | Effort | Score |",
        "|---|---|---|---|---|---|",
    ]
    for i, (r, imp, conf, eff, score) in enumerate(rows, start=1):
        lines.append(f"| {i} | {quote(r.title)} | {imp} | {conf} | {eff} | {score:.1f} |")
    return lines
