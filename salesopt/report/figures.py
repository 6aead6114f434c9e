"""Stage outputs: what a stage's answers say, ready to show or to put in the plan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from salesopt.content import contract as c
from salesopt.content.benchmarks import BenchmarkSet, benchmark_note
from salesopt.content.frameworks import Stage
from salesopt.funnel.analysis import Analysis
from salesopt.model.answers import display
from salesopt.model.assessment import Assessment
from salesopt.report import fmt


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
    revenue, attainment = _num(assessment, c.ANNUAL_REVENUE), _num(assessment, c.QUOTA_ATTAINMENT)
    if revenue is None or not attainment:
        return None
    return revenue / attainment


def revenue_per_rep(assessment: Assessment) -> float | None:
    """Revenue / quota-carrying reps (undefined without both, or with 0 reps)."""
    revenue, reps = _num(assessment, c.ANNUAL_REVENUE), _num(assessment, c.REP_COUNT)
    if revenue is None or not reps:
        return None
    return revenue / reps


def context_figures(assessment: Assessment, benchmark: BenchmarkSet | None = None) -> list[Figure]:
    """The Stage 1 headline figures, '—' where not answered, with what each means."""
    cur = assessment.currency
    return [
        Figure(
            "Average deal size (reported)",
            fmt.money(_num(assessment, c.AVG_DEAL_SIZE), cur, compact=True),
            "Stage 1 answer: average value of a won deal.",
        ),
        Figure(
            "Sales cycle (reported)",
            fmt.days(_num(assessment, c.SALES_CYCLE), months=False),
            "Stage 1 answer: typical days from qualified conversation to signature (30 days a month).",
        ),
        Figure(
            "Quota-carrying reps",
            fmt.number(_num(assessment, c.REP_COUNT)),
            "Stage 1 answer: account executives with a closing quota.",
        ),
        Figure(
            "Win rate (reported)",
            fmt.percent(_num(assessment, c.WIN_RATE)),
            "Stage 1 answer: Closed-Won / (Closed-Won + Closed-Lost)." + benchmark_note(benchmark, "win_rate"),
        ),
        Figure(
            "Quota attainment (reported)",
            fmt.percent(_num(assessment, c.QUOTA_ATTAINMENT)),
            "Stage 1 answer: bookings / quota, team average; below 80% is the struggling tier.",
        ),
        Figure(
            "Revenue, last 12 months (reported)",
            fmt.money(_num(assessment, c.ANNUAL_REVENUE), cur, compact=True),
            "Stage 1 answer: bookings over the last 12 months.",
        ),
        Figure(
            "Implied team quota",
            fmt.money(implied_quota(assessment), cur, compact=True),
            "Revenue / quota attainment: the number the team is measured against.",
        ),
        Figure(
            "Revenue per rep (reported)",
            fmt.money(revenue_per_rep(assessment), cur, compact=True),
            "Revenue / quota-carrying reps.",
        ),
    ]


def _leak_figure(a: Analysis) -> Figure:
    leak = a.biggest_leak
    if leak is None:
        return Figure("Biggest leak", fmt.DASH, "Needs at least two stages with deals in the first.")
    against = (
        f"below the benchmark of {fmt.percent(leak.benchmark)}"
        if leak.benchmark is not None
        else "the lowest stage conversion (no benchmark for it)"
    )
    return Figure(
        f"Leak: {leak.from_stage} → {leak.to_stage}",
        fmt.percent(leak.conversion),
        f"Biggest leak: conversion {against}.",
    )


def _rests(a: Analysis, key: str) -> str:
    """What a figure rests on, as the end of its explanation ("Rests on 4,120 of 4,238 won deals.")."""
    text = a.rests_on.get(key)
    return f" Rests on {text}." if text else ""


def funnel_figures(a: Analysis, currency: str = "USD", benchmark: BenchmarkSet | None = None) -> list[Figure]:
    """The Stage 2 headline figures with their definitions and what each rests on; undefined
    ones say why. Benchmark ranges come from the chosen benchmark file (none without one)."""
    r = a.reasons
    basis = "won / (won + lost)" if a.win_rate_basis == "closed" else "won / all opportunities"
    return [
        Figure("Opportunities", fmt.number(a.opportunities), f"{a.won:,} won, {a.lost:,} lost, {a.open:,} open."),
        Figure(
            "Win rate",
            fmt.percent(a.win_rate),
            f"{basis}."
            + (f" {r['win_rate']}" if r.get("win_rate") else benchmark_note(benchmark, "win_rate"))
            + _rests(a, "win_rate"),
        ),
        Figure(
            "Win rate by value",
            fmt.percent(a.win_rate_value),
            (r.get("win_rate_value") or "Won amount / closed amount.") + _rests(a, "win_rate_value"),
        ),
        Figure(
            "Won revenue, last 12 months",
            fmt.money(a.won_revenue_last_12_months, currency, compact=True),
            (
                r["won_revenue_last_12_months"]
                if r.get("won_revenue_last_12_months")
                else f"Won amounts closed in the 365 days to the as-of date, {fmt.day(a.as_of)}."
            )
            + _rests(a, "won_revenue_last_12_months"),
        ),
        Figure(
            "Average deal size",
            fmt.money(a.avg_deal_size, currency, compact=True),
            (r.get("avg_deal_size") or "Won amount / won deals with an amount.") + _rests(a, "avg_deal_size"),
        ),
        Figure(
            "Sales cycle (median)",
            fmt.days(a.cycle_days_median, months=False),
            (
                r.get("cycle_days")
                or f"Close date - created date in calendar days, won deals; mean {fmt.number(a.cycle_days_mean, 1)}."
            )
            + _rests(a, "cycle_days"),
        ),
        Figure(
            "Open pipeline",
            fmt.money(a.pipeline_value, currency, compact=True),
            (r.get("pipeline_value") or "Sum of open deals' amounts.") + _rests(a, "pipeline_value"),
        ),
        Figure(
            "Weighted pipeline",
            fmt.money(a.weighted_pipeline, currency, compact=True),
            (r.get("weighted_pipeline") or "Sum of amount x probability over open deals.")
            + _rests(a, "weighted_pipeline"),
        ),
        Figure(
            "Coverage",
            fmt.times(a.coverage_ratio),
            r.get("coverage_ratio") or "Open pipeline / target." + benchmark_note(benchmark, "coverage"),
        ),
        Figure(
            "Required coverage",
            fmt.times(a.required_coverage),
            r.get("required_coverage") or "1 / win rate by value (by count when value is undefined).",
        ),
        Figure(
            "Sales velocity (30 days)",
            fmt.money(a.sales_velocity_per_30_days, currency, compact=True),
            r.get("sales_velocity") or "Open deals x win rate x average deal size / mean cycle days, x 30.",
        ),
        _leak_figure(a),
        Figure(
            "Revenue at stake",
            fmt.money(a.biggest_leak.revenue_at_stake if a.biggest_leak else None, currency, compact=True),
            "Won revenue x (benchmark / conversion - 1) at the biggest leak.",
        ),
    ]


def stage_table(a: Analysis, currency: str = "USD") -> pd.DataFrame:
    """Stage by stage, formatted: reached, conversion, benchmark, shortfall, time in stage."""
    rows = []
    for s in a.stages:
        rows.append(
            {
                "Stage": s.stage,
                "Reached": f"{s.reached:,}",
                "Conversion to next": fmt.percent(s.conversion_to_next),
                "Benchmark": fmt.percent(s.benchmark),
                "Against benchmark": fmt.DASH
                if s.shortfall is None
                else f"{abs(s.shortfall) * 100:.1f} pts {'below' if s.shortfall > 0 else 'above'}",
                "Median days in stage": fmt.number(s.time_median_days, 1),
            }
        )
    return pd.DataFrame(rows)


def stage_csv(a: Analysis) -> pd.DataFrame:
    """The stage table for a spreadsheet: numbers, not display text (rates as fractions)."""
    return pd.DataFrame(
        [
            {
                "Stage": s.stage,
                "Reached": s.reached,
                "Conversion to next": s.conversion_to_next,
                "Benchmark": s.benchmark,
                "Shortfall (benchmark - conversion)": s.shortfall,
                "Median days in stage": s.time_median_days,
            }
            for s in a.stages
        ]
    )


def cohort_csv(table: pd.DataFrame, key: str, currency: str = "USD") -> pd.DataFrame:
    """A cohorts table for a spreadsheet: numbers, not display text (rates as fractions)."""
    return pd.DataFrame(
        {
            key.replace("_", " ").capitalize(): table[key].astype(str),
            "Opportunities": table["opportunities"],
            "Won": table["won"],
            "Lost": table["lost"],
            "Open": table["open"],
            "Win rate": table["win_rate"],
            f"Average deal size ({currency})": table["avg_deal_size"],
            "Median cycle (days)": table["cycle_days_median"],
            "Small group": table["small"],
            "Outlier": table["outlier"],
        }
    )


def recommendation_csv(recs: list[Any], currency: str = "USD") -> pd.DataFrame:
    """Recommendations for a spreadsheet: the yearly impact as a number in the currency."""
    columns = [
        "Recommendation",
        "Lever",
        "Why",
        f"Impact per year ({currency})",
        "Effort",
        "Priority",
        "Owner",
        "Phase",
    ]
    return pd.DataFrame(
        [
            [r.title, r.rule.lever, r.why, r.impact, r.rule.effort, r.rule.priority, r.rule.owner, r.rule.phase]
            for r in recs
        ],
        columns=columns,
    )


def cohort_table(table: pd.DataFrame, key: str, currency: str = "USD") -> pd.DataFrame:
    """A cohorts table (salesopt.funnel.analysis.cohorts) formatted for people."""
    return pd.DataFrame(
        {
            key.replace("_", " ").capitalize(): table[key].astype(str),
            "Opportunities": table["opportunities"].map(fmt.number),
            "Won": table["won"].map(fmt.number),
            "Lost": table["lost"].map(fmt.number),
            "Open": table["open"].map(fmt.number),
            "Win rate": table["win_rate"].map(fmt.percent),
            "Avg deal size": table["avg_deal_size"].map(lambda v: fmt.money(v, currency)),
            "Median cycle (days)": table["cycle_days_median"].map(fmt.number),
            "Note": [
                "outlier" if o else ("small group" if s else "")
                for o, s in zip(table["outlier"], table["small"], strict=True)
            ],
        }
    )


def bottleneck_lines(a: Analysis, currency: str = "USD") -> list[str]:
    """Stage 2 output, "Bottlenecks and improvement opportunities": one sentence per conversion
    below its benchmark (largest revenue at stake first), else the lowest conversion; then the
    longest stage by median days when a stage history gives the time in stage."""
    lines = []
    if a.leaks:
        for lk in sorted(a.leaks, key=lambda x: -(x.revenue_at_stake or 0)):
            lines.append(
                f"{lk.from_stage} → {lk.to_stage}: {fmt.percent(lk.conversion)} against "
                f"{fmt.percent(lk.benchmark)}; reaching the benchmark adds "
                f"{fmt.money(lk.revenue_at_stake, currency)} of won revenue."
            )
    elif a.biggest_leak is not None:
        lk = a.biggest_leak
        lines.append(
            f"No conversion is below a benchmark; the lowest is {lk.from_stage} → {lk.to_stage} at "
            f"{fmt.percent(lk.conversion)}."
        )
    timed = [s for s in a.stages if s.time_median_days is not None]
    if timed:
        slowest = max(timed, key=lambda s: s.time_median_days or 0.0)
        lines.append(f"Longest stage: {slowest.stage}, median {fmt.number(slowest.time_median_days, 1)} days.")
    return lines
