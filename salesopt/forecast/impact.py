"""The plan's money claims, by one import path: the expected impact of the chosen what-if scenario
(salesopt.forecast.expected, which states the rules it keeps), each lever's change in words
(salesopt.forecast.changes), the impact's text for the plan (salesopt.forecast.impact_text) and the
programme's own business case (salesopt.forecast.programme)."""

from salesopt.forecast.changes import lever_changes
from salesopt.forecast.expected import (
    LEVER_UNCERTAINTY,
    MONTE_CARLO,
    OVERLAP_NOTE,
    PERIOD,
    SEED,
    TRIALS,
    UNCERTAINTY,
    ExpectedImpact,
    Figures,
    LeverUplift,
    binding_note,
    expected_impact,
    lever_uplifts,
)
from salesopt.forecast.impact_text import headline, impact_lines
from salesopt.forecast.programme import (
    ENABLEMENT_HOURS,
    LOADED_COST_SHARE,
    TOOLS_SHARE,
    WORK_HOURS,
    ProgrammeCase,
    programme_case,
    roi_lines,
)

__all__ = [
    "ENABLEMENT_HOURS",
    "LEVER_UNCERTAINTY",
    "LOADED_COST_SHARE",
    "MONTE_CARLO",
    "OVERLAP_NOTE",
    "PERIOD",
    "SEED",
    "TOOLS_SHARE",
    "TRIALS",
    "UNCERTAINTY",
    "WORK_HOURS",
    "ExpectedImpact",
    "Figures",
    "LeverUplift",
    "ProgrammeCase",
    "binding_note",
    "expected_impact",
    "headline",
    "impact_lines",
    "lever_changes",
    "lever_uplifts",
    "programme_case",
    "roi_lines",
]
