"""The Sales Process Optimization Plan, following the seed's "Output Format" section by section.

Each section is filled from the assessment. A section without data says what is missing and
which stage collects it; nothing is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from salesopt import fmt
from salesopt.assessment import Assessment
from salesopt.frameworks import Catalog
from salesopt.funnel import Analysis
from salesopt.summary import aspect_summaries, context_figures, funnel_figures, stage_table


@dataclass(frozen=True)
class Source:
    """Where a section's content comes from: aspects of a stage, and/or its closing answer."""

    stage: str
    aspects: tuple[str, ...] = ()
    closing: bool = False


@dataclass(frozen=True)
class Section:
    level: int
    title: str
    sources: tuple[Source, ...] = ()
    missing: str = ""  # shown when the section cannot be filled from any stage yet
    figures: bool = False  # the Stage 1 headline figures
    funnel: str = ""  # Stage 2 data: "figures", "stages" or "leaks"
    stage3: str = ""  # Stage 3 tools: "framework", "spin", "value", "roi" or "objections"
    impact: bool = False  # the chosen what-if scenario against the baseline
    recs: str = ""  # recommendations: "summary" or a roadmap phase id
    stage45: str = ""  # Stage 4/5 tools: "content", "playbooks", "stack", "training", "metrics", "forecast", "tiers"


ROADMAP_MISSING = (
    "no recommendation for this phase yet; recommendations come from the figures and answers of Stages 1-5, "
    "so more answers and a CRM export in Stage 2 bring more"
)

OUTLINE: tuple[Section, ...] = (
    Section(2, "Executive Summary"),
    Section(3, "Current sales performance", figures=True, funnel="figures"),
    Section(
        3, "Key findings and gaps", (Source("context", ("challenges",), closing=True), Source("funnel", closing=True))
    ),
    Section(3, "Recommended improvements", missing=ROADMAP_MISSING, recs="summary"),
    Section(
        3,
        "Expected impact",
        missing="needs a saved what-if scenario built on the Stage 2 funnel figures",
        impact=True,
    ),
    Section(2, "Current State Analysis"),
    Section(3, "Sales Model and Organization", (Source("context", ("business_model", "organization")),)),
    Section(3, "Performance Metrics", (Source("context", ("performance",)),)),
    Section(3, "Funnel Analysis", (Source("funnel", ("metrics", "health")),), funnel="stages"),
    Section(3, "Key Challenges", (Source("context", ("challenges",)),)),
    Section(2, "Sales Funnel Optimization"),
    Section(3, "Funnel Definition", (Source("funnel", ("stages",)),)),
    Section(3, "Conversion Analysis", (Source("funnel", ("conversion", "losses")),), funnel="leaks"),
    Section(3, "Opportunity Prioritization", (Source("funnel", ("scoring",), closing=True),)),
    Section(2, "Sales Methodology"),
    Section(3, "Qualification Framework", (Source("qualification", ("bant", "meddpicc")),), stage3="framework"),
    Section(3, "SPIN Selling Guide", (Source("qualification", ("spin",)),), stage3="spin"),
    Section(3, "Value Selling Approach", (Source("qualification", ("value_selling",)),), stage3="value"),
    Section(3, "Objection Handling", (Source("qualification", ("objections",), closing=True),), stage3="objections"),
    Section(2, "Sales Enablement"),
    Section(3, "Content and Collateral", (Source("enablement", ("content",)),), stage45="content"),
    Section(3, "Sales Playbooks", (Source("enablement", ("playbooks",)),), stage45="playbooks"),
    Section(3, "Technology Stack", (Source("enablement", ("tech_stack",)),), stage45="stack"),
    Section(
        3, "Training Program", (Source("enablement", ("training", "process_docs"), closing=True),), stage45="training"
    ),
    Section(2, "Performance Management"),
    Section(3, "Metrics Framework", (Source("performance", ("metrics",)),), stage45="metrics"),
    Section(3, "Dashboards", (Source("performance", ("dashboards",)),)),
    Section(3, "Forecasting Process", (Source("performance", ("forecasting",)),), stage45="forecast"),
    Section(
        3, "Compensation Plan", (Source("performance", ("people", "optimization"), closing=True),), stage45="tiers"
    ),
    Section(2, "Implementation Roadmap"),
    Section(3, "Quick Wins (Month 1)", missing=ROADMAP_MISSING, recs="quick_wins"),
    Section(3, "Foundation (Months 2-3)", missing=ROADMAP_MISSING, recs="foundation"),
    Section(3, "Optimization (Months 4-6)", missing=ROADMAP_MISSING, recs="optimization"),
    Section(3, "Scale (Months 7-12)", missing=ROADMAP_MISSING, recs="scale"),
    Section(2, "Expected Impact"),
    Section(
        3,
        "Performance Improvements",
        missing="needs a saved what-if scenario built on the Stage 2 funnel figures",
        impact=True,
    ),
    Section(3, "ROI Calculation", missing="needs a business case (Stage 3, Business case tab)", stage3="roi"),
    Section(3, "Success Metrics", (Source("performance", ("metrics",), closing=True),)),
)


def _quote(text: str) -> str:
    """User text on one line, so it stays inside its list item."""
    return " ".join(text.split())


def _funnel_lines(kind: str, a: Analysis, currency: str) -> list[str]:
    if kind == "figures":
        shown = [f for f in funnel_figures(a, currency) if f.value != fmt.DASH]
        return ["", "From the CRM export (Stage 2):", ""] + [f"- **{f.label}:** {f.value}" for f in shown]
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
    """Revenue at stake over the export's span, and what that is in a year (when the span says)."""
    if amount is None:
        return "an amount the export cannot tell (no won revenue)"
    span = a.won_span_days
    months = f"{span / 30.4:.0f} months" if span else "the export's span"
    if a.per_year is None:
        return f"{fmt.money(amount, currency)} of won revenue over {months}"
    return (
        f"{fmt.money(amount, currency)} of won revenue over the {months} the export covers, "
        f"about {fmt.money(amount * a.per_year, currency)} a year"
    )


def _stage3_lines(kind: str, assessment: Assessment, catalog: Catalog) -> list[str]:
    from salesopt import business_case
    from salesopt.methodology import recommend, spin_guide
    from salesopt.scorecards import score, with_custom

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
        card = cards.get(q.framework_id)
        if card is not None:
            tiers = ", ".join(f"{t.label} from {t.min_total:g} ({t.action})" for t in reversed(card.tiers))
            lines.append(f"- **In use: {card.name}**, scored 0-{card.max_total:g}: {tiers}")
        for d in q.deals:
            c = cards.get(d.framework_id)
            if c is not None:
                r = score(c, d.scores)
                lines.append(
                    f"- Scored deal **{_quote(d.name)}** ({c.name}): {r.total:g} / {r.max_total:g}, {r.tier.label}"
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
        r = business_case.evaluate(
            bc.revenue_increase,
            bc.cost_savings,
            bc.efficiency_gains,
            bc.one_time,
            bc.recurring,
            bc.years,
            bc.discount_rate,
        )
        payback = "never" if r.payback_never else f"{r.payback_months:.1f} months"
        return [
            f"- **Business case:** yearly benefit {fmt.money(r.annual_benefit, cur)} (revenue "
            f"{fmt.money(bc.revenue_increase, cur)}, savings {fmt.money(bc.cost_savings, cur)}, efficiency "
            f"{fmt.money(bc.efficiency_gains, cur)}); investment {fmt.money(bc.one_time, cur)} once and "
            f"{fmt.money(bc.recurring, cur)} a year",
            f"- **ROI** over {bc.years} years: {fmt.percent(r.roi)}; **payback:** {payback}; **NPV** at "
            f"{fmt.percent(bc.discount_rate)}: {fmt.money(r.npv, cur)}",
        ]
    if kind == "objections":
        if q.objections:
            return [f"- **{_quote(o.name)}:** {_quote(o.response)}" for o in q.objections]
        return [
            f"- **{o.name}:** {'; '.join(o.approach)}"
            for book in catalog.objections().values()
            for o in book.objections
        ]
    return []


def _stage45_lines(kind: str, assessment: Assessment, catalog: Catalog) -> list[str]:
    from salesopt.enablement import gap_scores, onboarding_weeks, stack_gaps
    from salesopt.performance import accuracy, tiers

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
            f"- **{names.get(kind_id, kind_id)}:** " + "; ".join(_quote(next(iter(r.values()), "")) for r in rows)
            for kind_id, rows in e.playbooks.items()
            if rows
        ]
    if kind == "stack" and e.stack and kit is not None:
        names = {c.id: c.name for c in kit.tech_stack}
        lines = [
            f"- **{names.get(k, k)}:** {v.status}" + (f" ({_quote(v.tool)})" if v.tool else "")
            for k, v in e.stack.items()
        ]
        gaps = stack_gaps(kit, {k: v.status for k, v in e.stack.items()})
        return [*lines, f"- **Gaps:** {', '.join(gaps) if gaps else 'none'}"]
    if kind == "training" and e.onboarding:
        weeks = onboarding_weeks([(r.name, r.start_week, r.weeks) for r in e.onboarding])
        return [
            f"- **Onboarding ({weeks} weeks):** "
            + "; ".join(f"weeks {r.start_week}-{r.start_week + r.weeks - 1}: {_quote(r.name)}" for r in e.onboarding)
        ]
    if kind == "metrics" and p.metrics and perf is not None:
        names = {m.id: (m.name, m.category) for m in perf.metrics}
        return [
            f"- **{names.get(m.metric_id, (m.metric_id, ''))[0]}** ({names.get(m.metric_id, ('', ''))[1]})"
            + (f": target {_quote(m.target)}" if m.target else "")
            + (f", owner {_quote(m.owner)}" if m.owner else "")
            for m in p.metrics
        ]
    if kind == "forecast" and p.forecasts:
        _, summary = accuracy([(r.period, r.forecast, r.actual) for r in p.forecasts])
        return [
            f"- **Forecast accuracy over {len(p.forecasts)} period(s):** MAPE {fmt.percent(summary['mape'])}, "
            f"bias {fmt.percent(summary['bias'])} ({summary['verdict']})"
        ]
    if kind == "tiers" and p.quotas and perf is not None:
        table = tiers([(r.rep, r.quota, r.actual) for r in p.quotas], {})
        counts = table["tier"].value_counts()
        return [
            f"- **{t} performers:** {int(counts.get(t, 0))}; {perf.tier_actions[t]}"
            for t in ("High", "Core", "Struggling")
        ]
    return []


def _section_body(
    section: Section, assessment: Assessment, catalog: Catalog, funnel: Analysis | None = None
) -> list[str]:
    lines: list[str] = []
    if section.funnel and funnel is not None:
        lines += _funnel_lines(section.funnel, funnel, assessment.currency)
    if section.stage3:
        lines += _stage3_lines(section.stage3, assessment, catalog)
    if section.stage45:
        lines += _stage45_lines(section.stage45, assessment, catalog)
    if section.figures:
        shown = [f for f in context_figures(assessment) if f.value != "—"]
        lines[:0] = [f"- **{f.label}:** {f.value}" for f in shown]
        if not shown and funnel is None:
            lines.append("_Missing: the current performance figures. Stage 1 (Sales context) collects them._")
        return lines
    stages_missing = []
    for src in section.sources:
        stage = catalog.stage(src.stage)
        if stage is None:
            continue
        summaries = {a.id: s for a, s in zip(stage.aspects, aspect_summaries(assessment, stage), strict=True)}
        found = False
        for aspect_id in src.aspects:
            for prompt, answer in summaries[aspect_id].items if aspect_id in summaries else ():
                lines.append(f"- **{_quote(prompt)}** {_quote(answer)}")
                found = True
        closing = assessment.section(src.stage).closing_answer.strip()
        if src.closing and closing:
            lines.append(f"- **{_quote(stage.closing_question)}** {_quote(closing)}")
            found = True
        if not found:
            stages_missing.append(f"Stage {stage.number} ({stage.title})")
    if not lines:
        if section.missing:
            lines.append(f"_Missing: {section.missing}._")
        elif stages_missing:
            lines.append(f"_Missing: no answers yet. {' and '.join(stages_missing)} collects them._")
    return lines


def impact_lines(table: Any, currency: str) -> list[str]:
    """The chosen scenario against the baseline (rows of salesopt.whatif.compare: baseline first)."""
    base, chosen = table.iloc[0], table.iloc[-1]
    lines = [f"Scenario **{_quote(str(chosen['scenario']))}** against today's baseline:", ""]
    for label, key, f in (
        ("Projected revenue per year", "projected_revenue", fmt.money),
        ("Gap to target", "gap_to_target", fmt.money),
        ("Wins per month", "wins_per_month", lambda v, _c: fmt.number(v, 1)),
        ("Sales velocity per 30 days", "velocity_per_30_days", fmt.money),
    ):
        lines.append(f"- **{label}:** {f(base[key], currency)} → {f(chosen[key], currency)}")
    lines.append(f"- **Makes the number:** {'yes' if chosen['makes_target'] else 'no'}")
    return lines


def recommendation_lines(recs: list[Any], kind: str, currency: str) -> list[str]:
    """Recommendations as plan lines: the top five for the summary, or those of one roadmap phase."""
    chosen = recs[:5] if kind == "summary" else [r for r in recs if r.rule.phase == kind]
    lines = []
    for r in chosen:
        money = f"; impact about {fmt.money(r.impact, currency)} a year" if r.impact else ""
        lines.append(
            f"- **{_quote(r.title)}** ({r.rule.lever}). {_quote(r.why.rstrip('.'))}{money}. "
            f"Effort {r.rule.effort}, priority {r.rule.priority}, owner: {r.rule.owner}."
        )
    return lines


def render_markdown(
    assessment: Assessment,
    catalog: Catalog,
    funnel: Analysis | None = None,
    impact: Any = None,
    recommendations: list[Any] | None = None,
) -> str:
    """The whole plan as Markdown; ``funnel`` is the Stage 2 analysis of the CRM export, if any;
    ``impact`` the chosen what-if scenario beside the baseline (salesopt.whatif.compare)."""
    title = assessment.company or assessment.title
    out = [
        f"# Sales Process Optimization Plan: {_quote(title)}",
        "",
        f'_Assessment "{_quote(assessment.title)}", last updated {assessment.updated_at:%Y-%m-%d}._',
        "",
    ]
    for section in OUTLINE:
        out.append(f"{'#' * section.level} {section.title}")
        out.append("")
        if section.level == 2 and not section.sources and not section.missing:
            continue
        body = _section_body(section, assessment, catalog, funnel)
        if section.impact and impact is not None and len(impact) > 1:
            body = impact_lines(impact, assessment.currency)
        if section.recs and recommendations:
            lines = recommendation_lines(recommendations, section.recs, assessment.currency)
            body = lines or body
        out += [*body, ""]
    return "\n".join(out).rstrip() + "\n"
