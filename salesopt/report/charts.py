"""Altair chart builders, by one import path: colour-blind-safe (Okabe-Ito), large type for a
projector. Each takes results from salesopt (no I/O, no streamlit) and returns an Altair chart.

The look they share is in salesopt.report.chart_style; the builders are in
salesopt.report.funnel_charts (Stage 2), salesopt.report.forecast_charts (business case and
what-if) and salesopt.report.team_charts (onboarding, reps): this module re-exports them all.
"""

from salesopt.report.chart_style import (
    BLUE,
    COUNT_AXIS,
    DOC_FONT,
    DOC_ROW,
    DOC_WIDTH,
    FONT,
    GREEN,
    GREY,
    ORANGE,
    SKY,
    VERMILLION,
    ChartLike,
    for_document,
    money_axis,
    money_tooltip,
)
from salesopt.report.forecast_charts import capacity, cash_flow, histogram, scenarios, tornado
from salesopt.report.funnel_charts import (
    BELOW,
    NOT_BELOW,
    cohort_win_rates,
    conversion_vs_benchmark,
    funnel,
    loss_pareto,
    pipeline_by_stage,
    priority_mix,
    time_in_stage,
)
from salesopt.report.team_charts import rep_comparison, timeline, trend

__all__ = [
    "BELOW",
    "BLUE",
    "COUNT_AXIS",
    "DOC_FONT",
    "DOC_ROW",
    "DOC_WIDTH",
    "FONT",
    "GREEN",
    "GREY",
    "NOT_BELOW",
    "ORANGE",
    "SKY",
    "VERMILLION",
    "ChartLike",
    "capacity",
    "cash_flow",
    "cohort_win_rates",
    "conversion_vs_benchmark",
    "for_document",
    "funnel",
    "histogram",
    "loss_pareto",
    "money_axis",
    "money_tooltip",
    "pipeline_by_stage",
    "priority_mix",
    "rep_comparison",
    "scenarios",
    "time_in_stage",
    "timeline",
    "tornado",
    "trend",
]
