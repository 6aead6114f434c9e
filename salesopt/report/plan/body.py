"""One section's body: its answers from the stages, its stage-tool lines, its own builder (CUSTOM)
or the recommendations, and a "Missing" line naming the stage that collects what is not there."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from salesopt.content.frameworks import Catalog
from salesopt.funnel.analysis import Analysis
from salesopt.model.assessment import Assessment
from salesopt.report.figures import aspect_summaries, context_figures
from salesopt.report.plan.appendix import data_notes, data_quality, evidence, monday
from salesopt.report.plan.expected_impact import (
    impact_headline,
    performance_improvements,
    roi_calculation,
    success_metrics,
)
from salesopt.report.plan.inputs import Inputs
from salesopt.report.plan.outline import Section
from salesopt.report.plan.roadmap import prioritization, recommendation_lines
from salesopt.report.plan.summary import challenges, compensation, exec_findings, exec_performance, told_lines
from salesopt.report.plan.text import days_months, quote
from salesopt.report.plan.tools import funnel_lines, stage3_lines, stage45_lines

if TYPE_CHECKING:
    from salesopt.funnel.stage2 import Result

# a section's own builder (Section.custom) -> its lines from the plan's inputs as a whole
CUSTOM: dict[str, Callable[[Inputs], list[str]]] = {
    "exec_performance": exec_performance,
    "exec_findings": exec_findings,
    "exec_impact": impact_headline,
    "told": told_lines,
    "challenges": challenges,
    "prioritization": prioritization,
    "compensation": compensation,
    "improvements": performance_improvements,
    "roi": roi_calculation,
    "success_metrics": success_metrics,
    "monday": monday,
    "data_quality": data_quality,
    "data_notes": data_notes,
    "evidence": evidence,
}


def section_lines(section: Section, inputs: Inputs) -> list[str]:
    """A level-3 section's body: the recommendations, its own builder, its answers and tool lines,
    in the order the section reads best, or a "Missing" line."""
    a = inputs.assessment
    if section.custom == "exec_actions" or section.recs:
        if not inputs.recommendations:
            return [f"_Missing: {section.missing}._"]
        kind = "summary" if section.custom == "exec_actions" else section.recs
        return recommendation_lines(inputs.recommendations, kind, inputs) or [
            "Nothing further in this phase: the items above fill the earlier phases."
        ]
    own = CUSTOM[section.custom](inputs) if section.custom else []
    if section.custom and not section.sources and not section.figures:
        return own or [f"_Missing: {section.missing}._"]
    lines = _section_body(section, a, inputs.catalog, inputs.funnel, inputs.result)
    if section.custom == "told":
        return [*lines, *own]
    if own and lines and lines[0].startswith("_Missing"):
        return own[:-3] if own[-1] == "" else own  # findings without client words
    return [*own, *lines]


def _section_body(
    section: Section,
    assessment: Assessment,
    catalog: Catalog,
    funnel: Analysis | None = None,
    result: Result | None = None,
) -> list[str]:
    """A section's stage-tool lines and answers (for Performance Metrics: the headline figures first,
    without the answers they already show)."""
    lines: list[str] = []
    if section.funnel and funnel is not None:
        lines += funnel_lines(section.funnel, funnel, assessment.currency)
    if section.stage3:
        lines += stage3_lines(section.stage3, assessment, catalog)
    if section.stage45:
        lines += stage45_lines(section.stage45, assessment, catalog, result)
    if section.figures:
        shown = [f for f in context_figures(assessment) if f.value != "—"]
        cycle = assessment.context.answers.get("sales_cycle")
        days = {"Sales cycle (reported)": days_months(float(cycle))} if isinstance(cycle, (int, float)) else {}
        measured = lines
        lines = [f"- **{f.label}:** {days.get(f.label, f.value)}" for f in shown]
        if not shown and funnel is None:
            lines.append("_Missing: the current performance figures. Stage 1 (Sales context) collects them._")
            return lines
        # the answers that the headline figures above already show are not printed twice
        context = catalog.stage("context")
        shown_prompts = {q.prompt for q in context.questions() if q.id in FIGURE_QUESTIONS} if context else set()
        answers = _answer_lines(section, assessment, catalog)[0]
        answers = [a for a in answers if not any(f"**{quote(p)}**" in a for p in shown_prompts)]
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
    stages_missing: list[str] = []
    for src in section.sources:
        stage = catalog.stage(src.stage)
        if stage is None:
            continue
        summaries = {a.id: s for a, s in zip(stage.aspects, aspect_summaries(assessment, stage), strict=True)}
        found = False
        for aspect_id in src.aspects:
            for prompt, answer in summaries[aspect_id].items if aspect_id in summaries else ():
                lines.append(f"- **{quote(prompt)}** {quote(answer)}")
                found = True
        closing = assessment.section(src.stage).closing_answer.strip()
        if src.closing and closing:
            lines.append(f"- **{quote(stage.closing_question)}** {quote(closing)}")
            found = True
        if not found:
            stages_missing.append(f"Stage {stage.number} ({stage.title})")
    return lines, stages_missing
