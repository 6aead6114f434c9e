"""The plan's builder: :func:`build_plan` (the Plan page and ``salesopt plan``) gathers the inputs
once, renders the outline to Markdown and adds the charts and the roadmap table;
:func:`render_markdown` renders from given parts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesopt.content.frameworks import Catalog
from salesopt.funnel.analysis import Analysis
from salesopt.model.assessment import Assessment
from salesopt.report.plan.body import section_lines
from salesopt.report.plan.inputs import Inputs, Plan
from salesopt.report.plan.outline import OUTLINE
from salesopt.report.plan.roadmap import roadmap_table
from salesopt.report.plan.text import quote

if TYPE_CHECKING:
    from salesopt.forecast.impact import ExpectedImpact
    from salesopt.funnel.stage2 import Result
    from salesopt.report.findings import Finding, Reconciliation
    from salesopt.rules.engine import Recommendation


def _render(inputs: Inputs) -> tuple[str, tuple[str, ...], int]:
    """The plan's Markdown, the titles of the sections with something missing, and how many
    sections there are (level 3; a level-2 heading only groups them)."""
    a = inputs.assessment
    title = a.company or a.title
    out = [
        f"# Sales Process Optimization Plan: {quote(title)}",
        "",
        f'_Assessment "{quote(a.title)}", last updated {a.updated_at:%Y-%m-%d}._',
        "",
    ]
    missing: list[str] = []
    total = 0
    for section in OUTLINE:
        out += [f"{'#' * section.level} {section.title}", ""]
        if section.level == 2:
            continue
        total += 1
        body = section_lines(section, inputs)
        if any(line.startswith("_Missing") for line in body):
            missing.append(section.title)
        out += [*body, ""]
    return "\n".join(out).rstrip() + "\n", tuple(missing), total


def _inputs(
    assessment: Assessment,
    catalog: Catalog,
    funnel: Analysis | None,
    result: Result | None,
    recommendations: list[Recommendation] | None,
    expected: ExpectedImpact | None = None,
) -> Inputs:
    """Everything the sections read, with the findings and the told-vs-measured rows of the export."""
    findings: list[Finding] = []
    told: list[Reconciliation] = []
    if result is not None:
        from salesopt.report.findings import compute, reconcile

        findings, told = compute(result), reconcile(assessment, result)
    return Inputs(
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
    recommendations: list[Recommendation] | None = None,
) -> str:
    """The plan as Markdown from given parts (no findings or expected impact without the deals:
    use :func:`build_plan`)."""
    return _render(_inputs(assessment, catalog, funnel, None, recommendations))[0]


def build_plan(assessment: Assessment, catalog: Catalog, result: Result | None = None) -> Plan:
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
