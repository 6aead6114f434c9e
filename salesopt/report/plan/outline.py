"""The plan's outline: its sections in the seed's "Output Format" order, and where each one's
content comes from (stage answers, Stage 2-5 tools, the recommendations, or a builder of
its own in salesopt.report.plan.body.CUSTOM)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Where a section's content comes from: aspects of a stage, and/or its closing answer."""

    stage: str
    aspects: tuple[str, ...] = ()
    closing: bool = False


@dataclass(frozen=True)
class Section:
    """One heading of the plan and what fills it (the flags name the builders to run)."""

    level: int
    title: str
    sources: tuple[Source, ...] = ()
    missing: str = ""  # shown when the section cannot be filled from any stage yet
    figures: bool = False  # the Stage 1 headline figures
    funnel: str = ""  # Stage 2 data: "figures", "stages" or "leaks"
    stage3: str = ""  # Stage 3 tools: "framework", "spin", "value", "roi" or "objections"
    recs: str = ""  # recommendations: "summary" or a roadmap phase id
    stage45: str = ""  # Stage 4/5 tools: "content", "playbooks", "stack", "training", "metrics", "forecast", "tiers"
    custom: str = ""  # built from the plan's inputs as a whole (see salesopt.report.plan.body.CUSTOM)


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
