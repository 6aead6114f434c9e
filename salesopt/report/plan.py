"""The Sales Process Optimization Plan, following the seed's "Output Format" section by section.

One builder, :func:`build_plan`, serves the Plan page and ``salesopt plan``. Each section is
filled from the assessment and, when there is one, the Stage 2 analysis of the CRM export: key
findings come from the data (salesopt.report.findings), not from answers printed back; the roadmap and
the prioritization come from the recommendation rules. A section without data says what is
missing and which stage collects it; nothing is invented. Money claims live in Expected Impact
only (behind :func:`_impact_headline`, :func:`_performance_improvements` and
:func:`_roi_calculation`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from salesopt.content.frameworks import Catalog
from salesopt.funnel.analysis import Analysis
from salesopt.model.assessment import Assessment
from salesopt.report import fmt
from salesopt.report.document import DocumentMeta
from salesopt.report.figures import aspect_summaries, context_figures, funnel_figures, stage_table


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
    recs: str = ""  # recommendations: "summary" or a roadmap phase id
    stage45: str = ""  # Stage 4/5 tools: "content", "playbooks", "stack", "training", "metrics", "forecast", "tiers"
    custom: str = ""  # built from the plan's inputs as a whole (see _CUSTOM)


ROADMAP_MISSING = (
    "no recommendation for this phase yet; recommendations come from the figures and answers of Stages 1-5, "
    "so more answers and a CRM export in Stage 2 bring more"
)
IMPACT_MISSING = "needs a chosen what-if scenario built on the Stage 2 funnel figures"
EXPORT_MISSING = "needs a CRM export in Stage 2 (Funnel analysis); these come from its deals"

OUTLINE: tuple[Section, ...] = (
    Section(2, "Executive Summary"),
    Section(3, "Current sales performance", custom="exec_performance"),
    Section(3, "Key findings and gaps", custom="exec_findings"),
    Section(3, "Recommended improvements", missing=ROADMAP_MISSING, custom="exec_actions"),
    Section(3, "Expected impact", missing=IMPACT_MISSING, custom="exec_impact"),
    Section(2, "Current State Analysis"),
    Section(3, "Sales Model and Organization", (Source("context", ("business_model", "organization")),)),
    Section(
        3, "Performance Metrics", (Source("context", ("performance",)),), figures=True, funnel="figures", custom="told"
    ),
    Section(3, "Funnel Analysis", (Source("funnel", ("metrics", "health")),), funnel="stages"),
    Section(3, "Key Challenges", (Source("context", ("challenges",), closing=True),), custom="challenges"),
    Section(2, "Sales Funnel Optimization"),
    Section(3, "Funnel Definition", (Source("funnel", ("stages",)),)),
    Section(3, "Conversion Analysis", (Source("funnel", ("conversion", "losses"), closing=True),), funnel="leaks"),
    Section(3, "Opportunity Prioritization", missing=ROADMAP_MISSING, custom="prioritization"),
    Section(2, "Sales Methodology"),
    Section(
        3,
        "Qualification Framework",
        (Source("qualification", ("bant", "meddpicc")),),
        stage3="framework",
    ),
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
    Section(
        3,
        "Metrics Framework",
        (Source("performance", ("metrics", "optimization"), closing=True),),
        stage45="metrics_tiers",
    ),
    Section(3, "Dashboards", (Source("performance", ("dashboards",)),)),
    Section(3, "Forecasting Process", (Source("performance", ("forecasting",)),), stage45="forecast"),
    Section(3, "Compensation Plan", custom="compensation"),
    Section(2, "Implementation Roadmap"),
    Section(3, "Quick Wins (Month 1)", missing=ROADMAP_MISSING, recs="quick_wins"),
    Section(3, "Foundation (Months 2-3)", missing=ROADMAP_MISSING, recs="foundation"),
    Section(3, "Optimization (Months 4-6)", missing=ROADMAP_MISSING, recs="optimization"),
    Section(3, "Scale (Months 7-12)", missing=ROADMAP_MISSING, recs="scale"),
    Section(2, "Expected Impact"),
    Section(3, "Performance Improvements", missing=IMPACT_MISSING, custom="improvements"),
    Section(3, "ROI Calculation", missing="needs a business case (Stage 3, value selling)", custom="roi"),
    Section(3, "Success Metrics", custom="success_metrics"),
    Section(2, "Appendix"),
    Section(3, "Monday-morning lists", missing=EXPORT_MISSING, custom="monday"),
    Section(3, "Data quality", missing=EXPORT_MISSING, custom="data_quality"),
    Section(3, "Data notes", custom="data_notes"),
    Section(3, "Evidence", custom="evidence"),
)

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


@dataclass(frozen=True)
class Plan:
    """The built plan: its Markdown, its charts (salesopt.report.export.plan_charts), and how complete it is."""

    title: str
    client: str
    date: str
    markdown: str
    charts: dict[str, Any] = field(default_factory=dict)
    sections_complete: int = 0
    sections_total: int = 0
    missing: tuple[str, ...] = ()
    roadmap: Any = None  # the roadmap as a table (one row per item), for the CSV download
    recommendations: tuple[Any, ...] = ()  # the rules that fired (salesopt.rules.engine.run), for the CSV download

    @property
    def meta(self) -> DocumentMeta:
        """What the document's cover, running header and draft banner say."""
        return DocumentMeta(
            client=self.client,
            title=self.title,
            date=date.fromisoformat(self.date),
            sections_complete=self.sections_complete,
            sections_total=self.sections_total,
        )


@dataclass(frozen=True)
class _Inputs:
    """Everything a section may read, computed once per plan."""

    assessment: Assessment
    catalog: Catalog
    funnel: Analysis | None
    result: Any
    recommendations: list[Any]
    findings: list[Any]
    told: list[Any]
    plan_date: date
    expected: Any = None  # salesopt.forecast.impact.ExpectedImpact of the chosen scenario, if any

    @property
    def currency(self) -> str:
        return self.assessment.currency


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    day = min(d.day, 28)
    return date(d.year + y, m + 1, day)


def _days(value: float | None) -> str:
    """Days with months in brackets: ``276 days (9.2 months)``."""
    if fmt.missing(value):
        return fmt.DASH
    months = value / fmt.DAYS_PER_MONTH
    shown = f"{months:.1f}".removesuffix(".0")
    return f"{value:,.0f} days ({shown} month{'' if shown == '1' else 's'})"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _quote(text: str) -> str:
    """User text on one line, so it stays inside its list item."""
    return " ".join(text.split())


def _funnel_lines(kind: str, a: Analysis, currency: str) -> list[str]:
    if kind == "figures":
        shown = [f for f in funnel_figures(a, currency) if f.value != fmt.DASH]
        days = {"Sales cycle (median)": _days(a.cycle_days_median)}
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


_BANT_TODAY = {
    "Yes, consistently": "BANT is used consistently today",
    "Partly / informally": "BANT is used partly or informally today",
    "No": "deals are not qualified with BANT today",
}


def _today_line(answers: dict[str, Any]) -> list[str]:
    """What the Stage 3 answers say about qualification today (never 'in use' above a 'No')."""
    today = _BANT_TODAY.get(str(answers.get("bant_in_use") or ""))
    if today is None:
        return []
    plan = str(answers.get("bant_stage") or "").strip()
    plan = plan[:1].lower() + plan[1:] if plan[1:2].islower() else plan
    return [f"- **Today:** {today}" + (f"; the plan: {_quote(plan).rstrip('.')}" if plan else "") + "."]


def _stage45_lines(kind: str, assessment: Assessment, catalog: Catalog) -> list[str]:
    from salesopt.enablement import gap_scores, onboarding_weeks, stack_gaps
    from salesopt.management.performance import accuracy, tiers

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
            f"- **Forecast accuracy over {_plural(len(p.forecasts), 'period')}:** MAPE {fmt.percent(summary['mape'])}, "
            f"bias {fmt.percent(summary['bias'])} ({summary['verdict']})"
        ]
    if kind == "metrics_tiers":
        return _stage45_lines("metrics", assessment, catalog) + _stage45_lines("tiers", assessment, catalog)
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
        cycle = assessment.context.answers.get("sales_cycle")
        days = {"Sales cycle": _days(float(cycle))} if isinstance(cycle, (int, float)) else {}
        measured = lines
        lines = [f"- **{f.label}:** {days.get(f.label, f.value)}" for f in shown]
        if not shown and funnel is None:
            lines.append("_Missing: the current performance figures. Stage 1 (Sales context) collects them._")
            return lines
        # the answers that the headline figures above already show are not printed twice
        context = catalog.stage("context")
        shown_prompts = {q.prompt for q in context.questions() if q.id in FIGURE_QUESTIONS} if context else set()
        answers = _answer_lines(section, assessment, catalog)[0]
        answers = [a for a in answers if not any(f"**{_quote(p)}**" in a for p in shown_prompts)]
        return [*lines, *answers, *measured]
    answers, stages_missing = _answer_lines(section, assessment, catalog)
    lines += answers
    if not lines:
        if section.missing:
            lines.append(f"_Missing: {section.missing}._")
        elif stages_missing:
            lines.append(f"_Missing: no answers yet. {' and '.join(stages_missing)} collects them._")
    return lines


FIGURE_QUESTIONS = ("annual_revenue", "quota_attainment", "win_rate", "avg_deal_size", "sales_cycle")


def _answer_lines(section: Section, assessment: Assessment, catalog: Catalog) -> tuple[list[str], list[str]]:
    """The answers of a section's sources as plan lines, and the stages that have none yet."""
    lines: list[str] = []
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
    return lines, stages_missing


# ---- Expected Impact: small functions the impact module will take over ---------------------------


def _impact_headline(inputs: _Inputs) -> list[str]:
    """The Executive Summary's expected impact: one number with its range, from the what-if
    engine's run of the chosen scenario (overlapping levers combined, never summed)."""
    from salesopt.forecast.impact import headline

    e = inputs.expected
    if e is None:
        return []
    if e.silenced:
        return [f"Scenario **{_quote(e.scenario)}**: no money figure is claimed: {_quote(e.silenced)}."]
    return [
        f"Scenario **{_quote(e.scenario)}**: {headline(e, inputs.currency)}, all levers combined in one run "
        "(see Expected Impact for the assumptions and what limits it)."
    ]


def _performance_improvements(inputs: _Inputs) -> list[str]:
    """Expected Impact / Performance Improvements: the chosen scenario against the baseline."""
    from salesopt.forecast.impact import impact_lines as scenario_lines

    if inputs.expected is None:
        return []
    return scenario_lines(inputs.expected, inputs.currency)


def _roi_calculation(inputs: _Inputs) -> list[str]:
    """Expected Impact / ROI Calculation: the programme's own business case (its investment
    against the chosen scenario's uplift), not the buyer's case of Stage 3's value selling."""
    from salesopt.forecast.impact import programme_case, roi_lines

    if inputs.expected is None:
        return []
    return roi_lines(programme_case(inputs.assessment, inputs.expected), inputs.currency)


# ---- recommendations: ranking and roadmap ------------------------------------------------------


def _fact_names(expression: str) -> set[str]:
    import ast

    return {n.id for n in ast.walk(ast.parse(expression, mode="eval")) if isinstance(n, ast.Name)}


def _confidence(rec: Any, has_data: bool) -> int:
    """3 when the rule rests on measured CRM figures, 2 on answers."""
    return 3 if has_data and _fact_names(rec.rule.when) & DATA_FACTS else 2


def prioritized(recs: list[Any], has_data: bool) -> list[tuple[Any, int, int, int, float]]:
    """(recommendation, impact, confidence, effort, score) ranked by impact x confidence / effort,
    each 1-3 (impact from the rule's priority, effort from its effort, confidence from its evidence)."""
    rows = []
    for r in _unique(recs):
        impact, conf, effort = SCORE[r.rule.priority], _confidence(r, has_data), SCORE[r.rule.effort]
        rows.append((r, impact, conf, effort, impact * conf / effort))
    order = {id(r): i for i, r in enumerate(recs)}
    return sorted(rows, key=lambda t: (-t[4], order[id(t[0])]))


def _unique(recs: list[Any]) -> list[Any]:
    """One recommendation per lever and KPI: two rules that pull the same lever towards the same
    KPI are one action (the higher-priority one is kept)."""
    seen, out = set(), []
    for r in recs:
        key = (r.rule.lever, r.kpi or r.title)
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


def schedule(recs: list[Any]) -> dict[str, list[Any]]:
    """The roadmap: each phase holds at most five items, its own first; overflow moves to the
    next phase; no item appears twice."""
    phases: dict[str, list[Any]] = {p: [] for p in PHASE_ORDER}
    carry: list[Any] = []
    for phase in PHASE_ORDER:
        own = [r for r in _unique(recs) if r.rule.phase == phase]
        queue = own + carry
        phases[phase], carry = queue[:PHASE_CAP], queue[PHASE_CAP:]
    if carry:
        phases["later"] = carry
    return phases


def _phase_of(rec: Any, plan: dict[str, list[Any]]) -> str:
    return next((p for p, items in plan.items() if any(x is rec for x in items)), rec.rule.phase)


def _due(inputs: _Inputs, phase: str) -> str:
    months = PHASE_MONTHS.get(phase, 12)
    return f"{_add_months(inputs.plan_date, months):%Y-%m-%d}"


def _action_line(r: Any, inputs: _Inputs, plan: dict[str, list[Any]], long: bool = False) -> str:
    phase = _phase_of(r, plan)
    kpi = f"; KPI: {_quote(r.kpi)}" if r.kpi else ""
    done = f"; done when: {_quote(r.done_when).rstrip('.')}" if long and r.done_when else ""
    # a reason whose figure is unknown (a placeholder left unfilled) is left out rather than shown raw
    why = f" {_quote(r.why.rstrip('.'))}." if long and "{" not in r.why else ""
    see = " (expected impact: see Expected Impact)" if r.impact and long else ""
    return (
        f"- **{_quote(r.title)}**.{why} Owner: {r.rule.owner}; by {_due(inputs, phase)}{kpi}{done}. "
        f"Effort {r.rule.effort}, priority {r.rule.priority}{see}."
    )


def recommendation_lines(recs: list[Any], kind: str, currency: str, inputs: _Inputs | None = None) -> list[str]:
    """Recommendations as plan lines: the top three for the summary (by impact x confidence /
    effort), or those the roadmap puts in one phase. No money claim: that is Expected Impact's."""
    inputs = inputs or _Inputs(Assessment(currency=currency), None, None, None, None, recs, [], [], date.today())  # type: ignore[arg-type]
    plan = schedule(recs)
    if kind == "summary":
        top = [row[0] for row in prioritized(recs, inputs.result is not None)[:3]]
        return [_action_line(r, inputs, plan) for r in top]
    lines = [_action_line(r, inputs, plan, long=True) for r in plan.get(kind, [])]
    if kind == "scale" and plan.get("later"):
        later = "; ".join(_quote(r.title) for r in plan["later"])
        lines.append(f"- After month 12, once the phases above are done: {later}.")
    return lines


def roadmap_table(recs: list[Any], plan_date: date) -> Any:
    """The roadmap as rows for a spreadsheet: phase, item, owner, due date, KPI, done when."""
    import pandas as pd

    names = {"quick_wins": "Quick Wins (Month 1)", "foundation": "Foundation (Months 2-3)",
             "optimization": "Optimization (Months 4-6)", "scale": "Scale (Months 7-12)", "later": "Later"}  # fmt: skip
    rows = []
    for phase, items in schedule(recs).items():
        for r in items:
            due = _add_months(plan_date, PHASE_MONTHS.get(phase, 12))
            rows.append([names[phase], r.title, r.rule.owner, f"{due:%Y-%m-%d}", r.kpi, r.done_when,
                         r.rule.effort, r.rule.priority])  # fmt: skip
    columns = ["Phase", "Item", "Owner", "Due", "KPI", "Done when", "Effort", "Priority"]
    return pd.DataFrame(rows, columns=columns)


# ---- the sections built from the inputs as a whole ---------------------------------------------


def _exec_performance(inputs: _Inputs) -> list[str]:
    """A handful of headline figures, measured where the export has them, else as reported."""
    a, ctx, cur = inputs.funnel, inputs.assessment.context.answers, inputs.currency
    num = _answer_number
    lines = []
    if a is not None:
        from salesopt.report.findings import revenue_last_12_months

        revenue, basis = revenue_last_12_months(inputs.result.deals) if inputs.result is not None else (None, "")
        if revenue is not None:
            lines.append(f"- **Won revenue, last 12 months:** {fmt.money(revenue, cur, compact=True)} ({basis})")
        lines.append(f"- **Win rate:** {fmt.percent(a.win_rate)} ({a.rests_on.get('win_rate', 'won / closed')})")
        if a.cycle_days_median is not None:
            lines.append(f"- **Sales cycle (median, won deals):** {_days(a.cycle_days_median)}")
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
        for label, qid, show in (
            ("Revenue (12 months, reported)", "annual_revenue", lambda v: fmt.money(v, cur, compact=True)),
            ("Win rate (reported)", "win_rate", fmt.percent),
            ("Sales cycle (reported)", "sales_cycle", _days),
        ):
            if num(ctx, qid) is not None:
                lines.append(f"- **{label}:** {show(num(ctx, qid))}")
    if num(ctx, "quota_attainment") is not None:
        lines.append(f"- **Quota attainment (reported):** {fmt.percent(num(ctx, 'quota_attainment'))}")
    if not lines:
        return ["_Missing: the current performance figures. Stage 1 (Sales context) collects them._"]
    return lines


def _why(a: Analysis, key: str) -> str:
    return str(a.reasons.get(key) or "the export does not say").rstrip(".")


def _answer_number(answers: dict[str, Any], qid: str) -> float | None:
    v = answers.get(qid)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _key_findings(inputs: _Inputs) -> list[Any]:
    """The three findings the summary leads with: the heaviest, one per topic (losses at the leak's
    stage are the leak itself)."""
    from salesopt.report.findings import gap_findings

    a = inputs.funnel
    leak_stage = a.biggest_leak.from_stage if a is not None and a.biggest_leak else None
    picked = []
    for f in sorted([*inputs.findings, *gap_findings(inputs.told)], key=lambda f: -f.weight):
        if f.key == "losses_by_stage" and leak_stage and f" at {leak_stage} " in f.text:
            continue
        picked.append(f)
    return picked[:3]


def _exec_findings(inputs: _Inputs) -> list[str]:
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


def _told_lines(inputs: _Inputs) -> list[str]:
    if not inputs.told:
        return []
    lines = ["", "What you told us and what the data says:", "",
             "| Figure | You told us | The export says | Agrees | Rests on |", "|---|---|---|---|---|"]  # fmt: skip
    for t in inputs.told:
        lines.append(f"| {t.figure} | {t.said} | {t.measured} | {'yes' if t.agrees else 'no'} | {t.note} |")
    return [*lines, ""]


def _challenges(inputs: _Inputs) -> list[str]:
    if not inputs.findings:
        return []
    lines = ["From the data:", ""]
    lines += [f"- **{f.title}:** {f.text} Rests on {f.rests_on}." for f in inputs.findings]
    return [*lines, "", "In your words:", ""]


def _prioritization(inputs: _Inputs) -> list[str]:
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
        lines.append(f"| {i} | {_quote(r.title)} | {imp} | {conf} | {eff} | {score:.1f} |")
    return lines


def _compensation(inputs: _Inputs) -> list[str]:
    """Pay structure and incentives: Stage 1's compensation answer and Stage 5's people answers."""
    a = inputs.assessment
    ctx, perf = a.context.answers, a.performance.answers
    lines = []
    if str(ctx.get("compensation") or "").strip():
        lines.append(f"- **Pay structure today:** {_quote(str(ctx['compensation']))}")
    if str(perf.get("incentives") or "").strip():
        lines.append(f"- **Incentives:** {_quote(str(perf['incentives']))}")
    above, below = _answer_number(perf, "reps_above_quota"), _answer_number(perf, "reps_below_80")
    if above is not None or below is not None:
        parts = []
        if above is not None:
            parts.append(f"{_plural(int(above), 'rep')} above 100% of quota")
        if below is not None:
            parts.append(f"{_plural(int(below), 'rep')} below 80%")
        lines.append(f"- **Where the team stands:** {', '.join(parts)} (Stage 5 answers)")
    if str(perf.get("one_on_ones") or "").strip():
        lines.append(f"- **1-on-1s:** {_quote(str(perf['one_on_ones']))}")
    if not lines:
        return ["_Missing: no answers yet. Stage 1 (Sales context) and Stage 5 (Performance management) collect them._"]
    return lines


_METRIC_WHEN = {"activity": "foundation", "pipeline": "optimization", "conversion": "optimization"}


def _baseline(metric_id: str, inputs: _Inputs) -> tuple[str, str]:
    """(baseline value, its source and date) for a Stage 5 metric, where the data or answers give one."""
    a, ctx, cur = inputs.funnel, inputs.assessment.context.answers, inputs.currency
    as_of = ""
    if inputs.result is not None:
        from salesopt.management.performance import as_of as export_date

        d = export_date(inputs.result.deals)
        as_of = f", {d:%Y-%m-%d}" if d is not None else ""
    answered = f"Stage 1 answer, {inputs.assessment.updated_at:%Y-%m-%d}"
    measured = f"CRM export{as_of}"
    num = _answer_number
    if metric_id == "win_rate":
        if a is not None and a.win_rate is not None:
            return fmt.percent(a.win_rate), measured
        if num(ctx, "win_rate") is not None:
            return fmt.percent(num(ctx, "win_rate")), answered
    if metric_id in ("cycle", "cycle_duration"):
        if a is not None and a.cycle_days_median is not None:
            return _days(a.cycle_days_median), f"{measured}, median of won deals"
        if num(ctx, "sales_cycle") is not None:
            return _days(num(ctx, "sales_cycle")), answered
    if metric_id == "attainment" and num(ctx, "quota_attainment") is not None:
        return fmt.percent(num(ctx, "quota_attainment")), answered
    if metric_id == "coverage" and a is not None and a.coverage_ratio is not None:
        return fmt.times(a.coverage_ratio), measured
    if metric_id == "deal_size":
        if a is not None and a.avg_deal_size is not None:
            return fmt.money(a.avg_deal_size, cur), measured
        if num(ctx, "avg_deal_size") is not None:
            return fmt.money(num(ctx, "avg_deal_size"), cur), answered
    if metric_id == "revenue" and num(ctx, "annual_revenue") is not None:
        return fmt.money(num(ctx, "annual_revenue"), cur), answered
    if metric_id in ("demos", "proposals") and a is not None and inputs.result is not None:
        stage = {"demos": "demo", "proposals": "proposal"}[metric_id]
        row = next((s for s in a.stages if s.stage.lower().startswith(stage)), None)
        months = _created_months(inputs.result.deals)
        if row is not None and months:
            return (
                f"{row.reached / months:,.1f} a month",
                f"{measured}, deals reaching {row.stage} over {months:.0f} months",
            )
    return "not measured yet", "to be set from the first month of tracking"


def _created_months(deals: Any) -> float | None:
    if "created_date" not in deals or not deals["created_date"].notna().any():
        return None
    span = (deals["created_date"].max() - deals["created_date"].min()).days
    return max(span / (365.25 / 12), 1.0)


def _success_metrics(inputs: _Inputs) -> list[str]:
    p, perf = inputs.assessment.performance, inputs.catalog.performance()
    if not p.metrics or perf is None:
        return ["_Missing: no metrics chosen yet. Stage 5 (Performance management) collects them._"]
    names = {m.id: (m.name, m.category) for m in perf.metrics}
    lines = ["| Metric | Baseline | Source, date | Target | By when | Owner |", "|---|---|---|---|---|---|"]
    for m in p.metrics:
        name, category = names.get(m.metric_id, (m.metric_id, ""))
        value, source = _baseline(m.metric_id, inputs)
        when = _due(inputs, _METRIC_WHEN.get(category, "scale"))
        lines.append(
            f"| {name} | {value} | {source} | {_quote(m.target) or 'to be set'} | {when} | "
            f"{_quote(m.owner) or 'to be named'} |"
        )
    return lines


def _monday(inputs: _Inputs) -> list[str]:
    if inputs.result is None:
        return []
    from salesopt.report.actions import monday_lists

    cur, lines = inputs.currency, []
    for lst in monday_lists(inputs.result):
        lines += [f"**{lst.title}** ({_plural(lst.total, 'deal')} on {lst.as_of}): {lst.rule}.", ""]
        if not lst.reps:
            lines += ["None today.", ""]
            continue
        lines += ["| Rep | Deals | Amount | Largest deals |", "|---|---|---|---|"]
        for r in lst.reps:
            lines.append(f"| {r.rep} | {r.deals:,} | {fmt.money(r.amount, cur)} | {', '.join(r.names)} |")
        lines.append("")
    return lines or ["The export has no open deals with the dates these lists need."]


def _data_quality(inputs: _Inputs) -> list[str]:
    if inputs.result is None:
        return []
    from salesopt.report.dataquality import field_gaps

    gaps = field_gaps(inputs.result.deals)
    if not gaps:
        return ["Every field the analysis uses is filled on every deal it applies to."]
    lines = ["| Field | Empty on | What filling it unlocks |", "|---|---|---|"]
    for g in gaps:
        where = (
            f"not in the export ({_plural(g.of, g.scope[:-1] if g.scope.endswith('s') else g.scope, g.scope)})"
            if not g.in_export
            else f"{g.empty:,} of {g.of:,} {g.scope}"
        )
        lines.append(f"| {g.label} | {where} | {g.unlocks} |")
    return lines


def _data_notes(inputs: _Inputs) -> list[str]:
    if inputs.result is None:
        return ["No CRM export was analysed: the figures in this plan are the answers given in the stages."]
    from salesopt.report.dataquality import data_notes

    report = inputs.result.imported.report
    notes = data_notes(inputs.result)
    head = f"- The export: {report.rows_read:,} rows read, {report.rows_kept:,} kept as deals."
    return (
        [head, *(f"- {_quote(n)}" for n in notes)] if notes else [head, "- No import warning and no undefined figure."]
    )


def _evidence(inputs: _Inputs) -> list[str]:
    lines = ["| Figure | Value | Formula and source |", "|---|---|---|"]
    for f in context_figures(inputs.assessment):
        if f.value != fmt.DASH:
            lines.append(f"| {f.label} (reported) | {f.value} | {f.help} |")
    if inputs.funnel is not None:
        for f in funnel_figures(inputs.funnel, inputs.currency):
            if f.value != fmt.DASH:
                lines.append(f"| {f.label} (CRM export) | {f.value} | {_quote(f.help)} |")
    for f in inputs.findings:
        lines.append(f"| {f.title} | {f.text} | {f.formula}; rests on {f.rests_on} |")
    return lines if len(lines) > 2 else ["_Missing: no figures yet. Stages 1 and 2 collect them._"]


_CUSTOM = {
    "exec_performance": _exec_performance,
    "exec_findings": _exec_findings,
    "exec_impact": _impact_headline,
    "told": _told_lines,
    "challenges": _challenges,
    "prioritization": _prioritization,
    "compensation": _compensation,
    "improvements": _performance_improvements,
    "roi": _roi_calculation,
    "success_metrics": _success_metrics,
    "monday": _monday,
    "data_quality": _data_quality,
    "data_notes": _data_notes,
    "evidence": _evidence,
}


def _body(section: Section, inputs: _Inputs) -> list[str]:
    a = inputs.assessment
    if section.custom == "exec_actions" or section.recs:
        if not inputs.recommendations:
            return [f"_Missing: {section.missing}._"]
        kind = "summary" if section.custom == "exec_actions" else section.recs
        return recommendation_lines(inputs.recommendations, kind, a.currency, inputs) or [
            "Nothing further in this phase: the items above fill the earlier phases."
        ]
    own = _CUSTOM[section.custom](inputs) if section.custom else []
    if section.custom and not section.sources and not section.figures:
        return own or [f"_Missing: {section.missing}._"]
    lines = _section_body(section, a, inputs.catalog, inputs.funnel)
    if section.custom == "told":
        return [*lines, *own]
    if own and lines and lines[0].startswith("_Missing"):
        return own[:-3] if own[-1] == "" else own  # findings without client words
    return [*own, *lines]


def _render(inputs: _Inputs) -> tuple[str, tuple[str, ...], int]:
    a = inputs.assessment
    title = a.company or a.title
    out = [
        f"# Sales Process Optimization Plan: {_quote(title)}",
        "",
        f'_Assessment "{_quote(a.title)}", last updated {a.updated_at:%Y-%m-%d}._',
        "",
    ]
    missing, total = [], 0
    for section in OUTLINE:
        out += [f"{'#' * section.level} {section.title}", ""]
        if section.level == 2:
            continue
        total += 1
        body = _body(section, inputs)
        if any(line.startswith("_Missing") for line in body):
            missing.append(section.title)
        out += [*body, ""]
    return "\n".join(out).rstrip() + "\n", tuple(missing), total


def _inputs(
    assessment: Assessment,
    catalog: Catalog,
    funnel: Analysis | None,
    result: Any,
    recommendations: list[Any] | None,
    expected: Any = None,
) -> _Inputs:
    findings: list[Any] = []
    told: list[Any] = []
    if result is not None:
        from salesopt.report.findings import compute, reconcile

        findings, told = compute(result), reconcile(assessment, result)
    return _Inputs(
        assessment,
        catalog,
        funnel,
        result,
        list(recommendations or []),
        findings,
        told,
        assessment.updated_at.date(),
        expected,
    )


def render_markdown(
    assessment: Assessment,
    catalog: Catalog,
    funnel: Analysis | None = None,
    recommendations: list[Any] | None = None,
) -> str:
    """The plan as Markdown from given parts (no findings or expected impact without the deals:
    use :func:`build_plan`)."""
    return _render(_inputs(assessment, catalog, funnel, None, recommendations))[0]


def build_plan(assessment: Assessment, catalog: Catalog, result: Any = None) -> Plan:
    """The plan: the one builder behind the Plan page and ``salesopt plan``. ``result`` is the
    Stage 2 evaluation of the CRM export (salesopt.funnel.stage2.evaluate), if any."""
    from salesopt.forecast.impact import expected_impact
    from salesopt.forecast.whatif import chosen_impact
    from salesopt.report.export import plan_charts
    from salesopt.rules.engine import run
    from salesopt.rules.facts import gather

    analysis = result.analysis if result is not None else None
    deals = result.deals if result is not None else None
    impact = chosen_impact(assessment, analysis, deals)
    recs = run(catalog.rules(), gather(assessment, catalog, result))
    inputs = _inputs(assessment, catalog, analysis, result, recs, expected_impact(assessment, analysis, deals))
    markdown, missing, total = _render(inputs)
    target = assessment.funnel.target or (analysis.target if analysis is not None else None)
    return Plan(
        title="Sales Process Optimization Plan",
        client=assessment.company or assessment.title,
        date=f"{inputs.plan_date:%Y-%m-%d}",
        markdown=markdown,
        charts=plan_charts(analysis, assessment.qualification.business_case, impact, target),
        sections_complete=total - len(missing),
        sections_total=total,
        missing=missing,
        roadmap=roadmap_table(recs, inputs.plan_date),
        recommendations=tuple(recs),
    )
