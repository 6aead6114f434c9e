"""Stage outputs: what a stage's answers say, ready to show or to put in the plan."""

from __future__ import annotations

from dataclasses import dataclass

from salesopt import fmt
from salesopt.answers import display
from salesopt.assessment import Assessment
from salesopt.frameworks import Stage


@dataclass(frozen=True)
class Figure:
    """One headline figure: label, formatted value, and the one-line explanation."""

    label: str
    value: str
    help: str


@dataclass(frozen=True)
class AspectSummary:
    title: str
    items: tuple[tuple[str, str], ...]  # (question, answer as shown)
    unanswered: int


def aspect_summaries(assessment: Assessment, stage: Stage) -> list[AspectSummary]:
    """Each aspect's answered questions with their answers formatted, in dialogue order."""
    section = assessment.section(stage.id)
    out = []
    for aspect in stage.aspects:
        items = []
        for q in aspect.questions:
            shown = display(q, section.answers.get(q.id), assessment.currency)
            if shown:
                items.append((q.prompt, shown))
        out.append(AspectSummary(aspect.title, tuple(items), len(aspect.questions) - len(items)))
    return out


def _num(assessment: Assessment, qid: str) -> float | None:
    value = assessment.context.answers.get(qid)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def implied_quota(assessment: Assessment) -> float | None:
    """Team quota implied by Stage 1: revenue / quota attainment (undefined without both, or at 0%)."""
    revenue, attainment = _num(assessment, "annual_revenue"), _num(assessment, "quota_attainment")
    if revenue is None or not attainment:
        return None
    return revenue / attainment


def revenue_per_rep(assessment: Assessment) -> float | None:
    """Revenue / quota-carrying reps (undefined without both, or with 0 reps)."""
    revenue, reps = _num(assessment, "annual_revenue"), _num(assessment, "rep_count")
    if revenue is None or not reps:
        return None
    return revenue / reps


def context_figures(assessment: Assessment) -> list[Figure]:
    """The Stage 1 headline figures, '—' where not answered, with what each means."""
    cur = assessment.currency
    return [
        Figure(
            "Average deal size",
            fmt.money(_num(assessment, "avg_deal_size"), cur, compact=True),
            "Stage 1 answer: average value of a won deal.",
        ),
        Figure(
            "Sales cycle",
            fmt.days(_num(assessment, "sales_cycle"), months=False),
            "Stage 1 answer: typical days from qualified conversation to signature (30 days a month).",
        ),
        Figure(
            "Quota-carrying reps",
            fmt.number(_num(assessment, "rep_count")),
            "Stage 1 answer: account executives with a closing quota.",
        ),
        Figure(
            "Win rate",
            fmt.percent(_num(assessment, "win_rate")),
            "Stage 1 answer: Closed-Won / (Closed-Won + Closed-Lost); B2B benchmark 20-30%.",
        ),
        Figure(
            "Quota attainment",
            fmt.percent(_num(assessment, "quota_attainment")),
            "Stage 1 answer: bookings / quota, team average; below 80% is the struggling tier.",
        ),
        Figure(
            "Revenue (12 months)",
            fmt.money(_num(assessment, "annual_revenue"), cur, compact=True),
            "Stage 1 answer: bookings over the last 12 months.",
        ),
        Figure(
            "Implied team quota",
            fmt.money(implied_quota(assessment), cur, compact=True),
            "Revenue / quota attainment: the number the team is measured against.",
        ),
        Figure(
            "Revenue per rep",
            fmt.money(revenue_per_rep(assessment), cur, compact=True),
            "Revenue / quota-carrying reps.",
        ),
    ]
