"""Section lines from the stage tools: the Stage 2 funnel figures, stage table and leaks; the
Stage 3 qualification framework, SPIN guide, business case and objections; the Stage 4
enablement and Stage 5 performance tools."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from salesopt.content.frameworks import Catalog
from salesopt.funnel.analysis import Analysis
from salesopt.model.assessment import Assessment
from salesopt.report import fmt
from salesopt.report.figures import funnel_figures, stage_table
from salesopt.report.plan.text import days_months, plural, quote

if TYPE_CHECKING:
    from salesopt.funnel.stage2 import Result


def funnel_lines(kind: str, a: Analysis, currency: str) -> list[str]:
    """The Stage 2 analysis as plan lines: its headline ``figures``, the ``stages`` table, or the
    leaks (any other kind), largest revenue at stake first."""
    if kind == "figures":
        shown = [f for f in funnel_figures(a, currency) if f.value != fmt.DASH]
        days = {"Sales cycle (median)": days_months(a.cycle_days_median)}
        return ["", "From the CRM export (Stage 2):", ""] + [
            f"- **{f.label}:** {days.get(f.label, f.value)}" for f in shown
        ]
    if kind == "stages":
        lines = ["| Stage | Reached | Conversion to next | Benchmark | Median days in stage |", "|---|---|---|---|---|"]
        for row in stage_table(a, currency).to_dict("records"):
            lines.append(
                f"| {row['Stage']} | {row['Reached']} | {row['Conversion to next']} | {row['Benchmark']} "
                f"| {row['Median days in stage']} |"
            )
        return [*lines, ""]
    if not a.leaks:
        return ["- No stage conversion is below its benchmark."]
    return [
        f"- **{lk.from_stage} → {lk.to_stage}:** {fmt.percent(lk.conversion)} against a benchmark of "
        f"{fmt.percent(lk.benchmark)}; reaching it would add {_stake(lk.revenue_at_stake, a, currency)} "
        f"({lk.source})."
        for lk in sorted(a.leaks, key=lambda x: -(x.revenue_at_stake or 0))
    ]


def _stake(amount: float | None, a: Analysis, currency: str) -> str:
    """Revenue at stake over the whole export, and what that is in a year (a year's won revenue x
    the same factor), when the export says what a year holds."""
    if amount is None:
        return "an amount the export cannot tell (no won revenue)"
    if a.per_year is None or a.won_revenue_year is None:
        return f"{fmt.money(amount, currency)} of won revenue over the whole export"
    return (
        f"{fmt.money(amount, currency)} of won revenue over the whole export, about "
        f"{fmt.money(amount * a.per_year, currency)} a year (on {fmt.money(a.won_revenue_year, currency)} "
        f"{a.year_basis})"
    )


def stage3_lines(kind: str, assessment: Assessment, catalog: Catalog) -> list[str]:
    """Stage 3's tools as plan lines: the qualification ``framework`` (fit, today, scorecard, scored
    deals), the ``spin`` guide, the business case (``value`` / ``roi``) or the ``objections``."""
    from salesopt.qualification import business_case
    from salesopt.qualification.methodology import recommend, spin_guide
    from salesopt.qualification.scorecards import score, with_custom

    q = assessment.qualification
    cards = with_custom(catalog.scorecards(), q.custom_frameworks)
    cur = assessment.currency
    if kind == "framework":
        recs, _ = recommend(assessment)
        lines = [
            f"- **{'Recommended' if r.role == 'primary' else 'Also'}: "
            f"{cards[r.framework_id].name if r.framework_id in cards else r.framework_id}** "
            f"({'; '.join(r.reasons)})"
            for r in recs
        ]
        lines += _today_line(q.answers)
        card = cards.get(q.framework_id)
        if card is not None:
            tiers = ", ".join(f"{t.label} from {t.min_total:g} ({t.action.rstrip('.')})" for t in reversed(card.tiers))
            lines.append(f"- **Scorecard for scoring deals: {card.name}**, scored 0-{card.max_total:g}: {tiers}")
        for d in q.deals:
            c = cards.get(d.framework_id)
            if c is not None:
                r = score(c, d.scores)
                lines.append(
                    f"- Scored deal **{quote(d.name)}** ({c.name}): {r.total:g} / {r.max_total:g}, {r.tier.label}"
                )
        return lines
    if kind == "spin":
        spin = catalog.methodologies().get("spin")
        if spin is None:
            return []
        return [f"- **{name}:** " + " / ".join(questions) for name, _purpose, questions in spin_guide(spin, assessment)]
    bc = q.business_case
    if kind in ("value", "roi"):
        if not (bc.revenue_increase or bc.cost_savings or bc.efficiency_gains or bc.one_time or bc.recurring):
            return []
        case = business_case.evaluate(
            bc.revenue_increase,
            bc.cost_savings,
            bc.efficiency_gains,
            bc.one_time,
            bc.recurring,
            bc.years,
            bc.discount_rate,
        )
        payback = "never" if case.payback_never else f"{case.payback_months:.1f} months"
        return [
            f"- **Business case:** yearly benefit {fmt.money(case.annual_benefit, cur)} (revenue "
            f"{fmt.money(bc.revenue_increase, cur)}, savings {fmt.money(bc.cost_savings, cur)}, efficiency "
            f"{fmt.money(bc.efficiency_gains, cur)}); investment {fmt.money(bc.one_time, cur)} once and "
            f"{fmt.money(bc.recurring, cur)} a year",
            f"- **ROI** over {bc.years} years: {fmt.percent(case.roi)}; **payback:** {payback}; **NPV** at "
            f"{fmt.percent(bc.discount_rate)}: {fmt.money(case.npv, cur)}",
        ]
    if kind == "objections":
        if q.objections:
            return [f"- **{quote(o.name)}:** {quote(o.response)}" for o in q.objections]
        return [
            f"- **{o.name}:** {'; '.join(o.approach)}"
            for book in catalog.objections().values()
            for o in book.objections
        ]
    return []


_BANT_TODAY = {
    "Yes, consistently": "BANT is used consistently today",
    "Partly / informally": "BANT is used partly or informally today",
    "No": "deals are not qualified with BANT today",
}


def _today_line(answers: Mapping[str, object]) -> list[str]:
    """What the Stage 3 answers say about qualification today (never 'in use' above a 'No')."""
    today = _BANT_TODAY.get(str(answers.get("bant_in_use") or ""))
    if today is None:
        return []
    plan = str(answers.get("bant_stage") or "").strip()
    plan = plan[:1].lower() + plan[1:] if plan[1:2].islower() else plan
    return [f"- **Today:** {today}" + (f"; the plan: {quote(plan).rstrip('.')}" if plan else "") + "."]


def _rate(value: float | str | None) -> float | None:
    """A rate of the forecast-accuracy summary (its verdict is the only text in it)."""
    return value if isinstance(value, float) else None


def stage45_lines(kind: str, assessment: Assessment, catalog: Catalog, result: Result | None = None) -> list[str]:
    """Stage 4 and 5 tools as plan lines: content gaps, playbooks, the stack, onboarding, the chosen
    metrics, forecast accuracy and performance tiers (``metrics_tiers`` is metrics then tiers)."""
    from salesopt.enablement import gap_scores, onboarding_weeks, stack_gaps
    from salesopt.management.performance import accuracy

    e, p = assessment.enablement, assessment.performance
    kit, perf = catalog.enablement(), catalog.performance()
    if kind == "content" and kit is not None and e.content:
        rows = gap_scores(kit, {k: v.status for k, v in e.content.items()}).to_dict("records")
        return [
            f"- **{r['phase']}:** gap {fmt.percent(r['gap'])} ({r['have']} have, {r['outdated']} outdated, "
            f"{r['missing']} missing, {r['unrated']} not rated)"
            for r in rows
        ]
    if kind == "playbooks" and e.playbooks and kit is not None:
        names = {k.id: k.name for k in kit.playbooks}
        return [
            f"- **{names.get(kind_id, kind_id)}:** " + "; ".join(quote(next(iter(r.values()), "")) for r in rows)
            for kind_id, rows in e.playbooks.items()
            if rows
        ]
    if kind == "stack" and e.stack and kit is not None:
        names = {c.id: c.name for c in kit.tech_stack}
        lines = [
            f"- **{names.get(k, k)}:** {v.status}" + (f" ({quote(v.tool)})" if v.tool else "")
            for k, v in e.stack.items()
        ]
        gaps = stack_gaps(kit, {k: v.status for k, v in e.stack.items()})
        return [*lines, f"- **Gaps:** {', '.join(gaps) if gaps else 'none'}"]
    if kind == "training" and e.onboarding:
        weeks = onboarding_weeks([(r.name, r.start_week, r.weeks) for r in e.onboarding])
        return [
            f"- **Onboarding ({weeks} weeks):** "
            + "; ".join(f"weeks {r.start_week}-{r.start_week + r.weeks - 1}: {quote(r.name)}" for r in e.onboarding)
        ]
    if kind == "metrics" and p.metrics and perf is not None:
        metrics = {m.id: (m.name, m.category) for m in perf.metrics}
        return [
            f"- **{metrics.get(m.metric_id, (m.metric_id, ''))[0]}** ({metrics.get(m.metric_id, ('', ''))[1]})"
            + (f": target {quote(m.target)}" if m.target else "")
            + (f", owner {quote(m.owner)}" if m.owner else "")
            for m in p.metrics
        ]
    if kind == "forecast" and p.forecasts:
        _, summary = accuracy([(r.period, r.forecast, r.actual) for r in p.forecasts])
        mape, bias = _rate(summary["mape"]), _rate(summary["bias"])
        return [
            f"- **Forecast accuracy over {plural(len(p.forecasts), 'period')}:** MAPE {fmt.percent(mape)}, "
            f"bias {fmt.percent(bias)} ({summary['verdict']})"
        ]
    if kind == "metrics_tiers":
        return stage45_lines("metrics", assessment, catalog) + stage45_lines("tiers", assessment, catalog, result)
    if kind == "tiers" and p.quotas and perf is not None:
        from salesopt.management.team import quota_table

        deals, as_of = (result.deals, result.analysis.as_of) if result is not None else (None, None)
        table, _ = quota_table(p.quotas, deals, as_of, perf.tier_thresholds)
        counts = table["tier"].value_counts()
        return [
            f"- **{t} performers:** {int(counts.get(t, 0))}; {perf.tier_actions[t]}"
            for t in ("High", "Core", "Struggling")
        ]
    return []
