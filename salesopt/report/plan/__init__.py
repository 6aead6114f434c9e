"""The Sales Process Optimization Plan, following the seed's "Output Format" section by section.

One builder, :func:`build_plan`, serves the Plan page and ``salesopt plan``. Each section is
filled from the assessment and, when there is one, the Stage 2 analysis of the CRM export: key
findings come from the data (salesopt.report.findings), not from answers printed back; the roadmap and
the prioritization come from the recommendation rules. A section without data says what is
missing and which stage collects it; nothing is invented. Money claims live in Expected Impact
only (salesopt.report.plan.expected_impact).

The modules, in the order the plan is built:

- ``outline``: the sections and where each one's content comes from;
- ``inputs``: :class:`Plan` and the inputs every section reads;
- ``text``: small text helpers;
- ``tools``: lines from the Stage 2-5 tools;
- ``roadmap``: the recommendations ranked and scheduled, the roadmap table;
- ``summary``, ``expected_impact``, ``appendix``: the sections built from the inputs as a whole;
- ``body``: one section's body; ``build``: the whole plan.
"""

from __future__ import annotations

from salesopt.report.plan.build import build_plan, render_markdown
from salesopt.report.plan.inputs import Inputs, Plan
from salesopt.report.plan.outline import (
    EXPORT_MISSING,
    IMPACT_MISSING,
    OUTLINE,
    ROADMAP_MISSING,
    Section,
    Source,
)
from salesopt.report.plan.roadmap import (
    DATA_FACTS,
    PHASE_CAP,
    PHASE_MONTHS,
    PHASE_ORDER,
    SCORE,
    prioritized,
    recommendation_lines,
    roadmap_table,
    schedule,
)

__all__ = [
    "DATA_FACTS",
    "EXPORT_MISSING",
    "IMPACT_MISSING",
    "OUTLINE",
    "PHASE_CAP",
    "PHASE_MONTHS",
    "PHASE_ORDER",
    "ROADMAP_MISSING",
    "SCORE",
    "Inputs",
    "Plan",
    "Section",
    "Source",
    "build_plan",
    "prioritized",
    "recommendation_lines",
    "render_markdown",
    "roadmap_table",
    "schedule",
]
