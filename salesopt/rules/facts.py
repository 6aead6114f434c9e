"""The facts the recommendation rules read: figures and answers from every stage, one flat dict.

A fact is None when the stage that provides it has no data; rules that need it stay quiet.
The names and kinds of the facts are declared once, in salesopt/rules/expr.py (``FACTS``): the rule
files are checked against them when they load, and a test checks that :func:`gather` fills no
other name. A new fact goes into both places.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from salesopt.content import contract as c
from salesopt.content.benchmarks import BenchmarkSet, range_text
from salesopt.content.frameworks import Catalog
from salesopt.model.answers import AnswerValue
from salesopt.model.assessment import Assessment, BusinessCase

if TYPE_CHECKING:  # the Stage 2 evaluation is only read here
    from salesopt.funnel.stage2 import Result


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _options(answer: AnswerValue) -> list[str] | str:
    """A choice answer as stored: the options picked (a file written by hand may hold one string)."""
    if answer is None:
        return []
    return answer if isinstance(answer, list | str) else str(answer)


def _stage2(facts: dict[str, Any], result: Result) -> None:
    a = result.analysis
    facts.update(
        win_rate=a.win_rate,
        coverage=a.coverage_ratio,
        required_coverage=a.required_coverage,
        # a year's worth: won revenue over the export's span of won close dates, scaled to 365 days
        won_revenue=a.won_revenue_year,
        cycle=a.cycle_days_median if a.cycle_days_median is not None else facts.get("cycle"),
    )
    if a.stages:
        facts["first_conversion"] = a.stages[0].conversion_to_next
    leak = a.biggest_leak
    if leak is not None:
        facts.update(
            leak_from=leak.from_stage,
            leak_to=leak.to_stage,
            leak_conversion=leak.conversion,
            leak_benchmark=leak.benchmark,
            leak_shortfall=leak.shortfall,
            # revenue at stake is won revenue x (benchmark / conversion - 1): a year's worth likewise
            leak_revenue=None
            if leak.revenue_at_stake is None or a.per_year is None
            else leak.revenue_at_stake * a.per_year,
        )
    deals = result.deals
    lost = deals[deals["status"] == "lost"]
    if len(lost):
        reason = lost["loss_reason"].fillna("").astype(str).str.lower() if "loss_reason" in lost else None
        if reason is not None and (reason != "").any():
            facts["competitor_loss_share"] = float(reason.str.contains("compet").mean())
            facts["no_decision_share"] = float(reason.str.contains("no decision|status quo|no-decision").mean())
        facts["lost_without_stage_share"] = a.unknown_lost_stage / len(lost)
    if "owner" in deals:
        owners = result.cohort("owner")
        rates = pd.to_numeric(owners.loc[~owners["small"], "win_rate"], errors="coerce").dropna()
        if len(rates) >= 2:
            facts["rep_win_rate_spread"] = float(rates.max() - rates.min())


def _benchmark(facts: dict[str, Any], bench: BenchmarkSet | None) -> None:
    """The chosen benchmark's ranges (frameworks/benchmarks), as numbers and as text."""
    for name in ("win_rate", "coverage"):
        r = getattr(bench, name) if bench is not None else None
        if r is not None:
            facts[f"{name}_low"], facts[f"{name}_high"] = r.low, r.high
            facts[f"{name}_range"] = range_text(r, "percent" if name == "win_rate" else "times")


def gather(assessment: Assessment, catalog: Catalog, result: Result | None = None) -> dict[str, Any]:
    from salesopt.enablement import gap_scores, leak_content, onboarding_weeks
    from salesopt.management.performance import accuracy
    from salesopt.management.team import quota_table
    from salesopt.qualification.methodology import recommend

    ctx, q = assessment.context.answers, assessment.qualification
    e, p = assessment.enablement, assessment.performance
    model = ctx.get(c.SALES_MODEL) or []
    revenue, attainment = _num(ctx.get(c.ANNUAL_REVENUE)), _num(ctx.get(c.QUOTA_ATTAINMENT))
    facts: dict[str, Any] = {
        "currency": assessment.currency,
        "b2b": c.B2B in _options(model) if model else None,
        "deal_size": _num(ctx.get(c.AVG_DEAL_SIZE)),
        "reps": _num(ctx.get(c.REP_COUNT)),
        "sdrs": _num(ctx.get(c.SDR_COUNT)),
        "attainment": attainment,
        "revenue": revenue,
        "win_rate": _num(ctx.get(c.WIN_RATE)),
        "cycle": _num(ctx.get(c.SALES_CYCLE)),
        "target": assessment.funnel.target or (revenue / attainment if revenue and attainment else None),
    }
    _benchmark(facts, catalog.benchmarks().get(assessment.funnel.benchmark_id or ""))
    if result is not None:
        _stage2(facts, result)
    # Stage 3
    recs, _ = recommend(assessment)
    objections = _options(q.answers.get(c.TOP_OBJECTIONS) or [])
    # a Stage 3 that was not answered says nothing about SPIN or a business case: those stay unknown
    stage3_answered = any(str(v).strip() for v in q.answers.values()) or q.business_case != BusinessCase()
    facts.update(
        bant_in_use=q.answers.get(c.BANT_IN_USE),
        meddpicc_use=q.answers.get(c.MEDDPICC_USE),
        recommended=recs[0].framework_id if recs else None,
        business_case=(q.business_case != BusinessCase()) if stage3_answered else None,
        spin_answers=sum(1 for k in c.SPIN_ANSWERS if str(q.answers.get(k) or "").strip()) if stage3_answered else None,
        price_objection=(c.PRICE_OBJECTION in objections) if q.answers.get(c.TOP_OBJECTIONS) is not None else None,
    )
    # Stage 4
    kit = catalog.enablement()
    statuses = {k: v.status for k, v in e.content.items()}
    if kit is not None and statuses:
        scores = gap_scores(kit, statuses).dropna(subset=["gap"])
        scores = scores[scores["gap"].notna()]
        if len(scores):
            worst = scores.iloc[scores["gap"].astype(float).argmax()]  # the first largest gap
            facts.update(content_gap_max=float(worst["gap"]), weakest_phase=str(worst["phase"]))
    if kit is not None and facts.get("leak_from") and statuses:
        facts["leak_content_missing"] = len(leak_content(kit, statuses, facts["leak_from"]))
    if e.stack:
        conv = e.stack.get(c.CONVERSATION_TOOLS)
        facts["conversation_intel"] = conv.status if conv else "none"
    weeks = onboarding_weeks([(r.name, r.start_week, r.weeks) for r in e.onboarding]) if e.onboarding else None
    onboarding_days = _num(e.answers.get(c.ONBOARDING_WEEKS))
    facts["onboarding_weeks"] = weeks or (onboarding_days / 7 if onboarding_days else None)
    if e.sops:
        facts["sops_documented"] = sum(r.documented for r in e.sops) / len(e.sops)
    facts["lead_response_days"] = _num(e.answers.get(c.LEAD_RESPONSE_TIME))
    # Stage 5
    perf = catalog.performance()
    if p.metrics:
        families = {m.id: m.category for m in perf.metrics} if perf else {}
        facts["metrics_tracked"] = len(p.metrics)
        facts["activity_metrics_tracked"] = sum(families.get(m.metric_id) == "activity" for m in p.metrics)
    if p.forecasts:
        _, summary = accuracy([(r.period, r.forecast, r.actual) for r in p.forecasts])
        facts["forecast_bias"] = summary["bias"]
        facts["negative_bias"] = -summary["bias"] if summary["bias"] is not None else None
    facts["win_loss"] = p.answers.get(c.WIN_LOSS)
    cadence = [str(p.answers.get(k) or "").strip() for k in c.CADENCES]
    facts["cadence_defined"] = any(cadence) if any(str(v).strip() for v in p.answers.values()) else None
    if p.quotas:
        deals, as_of = (result.deals, result.analysis.as_of) if result is not None else (None, None)
        table, _ = quota_table(p.quotas, deals, as_of, perf.tier_thresholds if perf else {})
        rated = table["tier"].dropna()
        facts["struggling_share"] = float((rated == "Struggling").mean()) if len(rated) else None
    return facts
