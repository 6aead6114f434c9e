"""Stage 2 figures in SQL: what a stage map makes of each deal (status, furthest stage) and
every outcome and funnel figure of METRICS.md §2 and §3, computed by DuckDB over the typed
opportunity table. The app, the command line and the plan all read these; nothing else
computes them.

A figure that cannot be computed is ``None`` with a one-line reason; every figure says on
how many deals it rests ("cycle: 4,120 of 4,238 won deals; 118 have no readable close date").

The names callers import are re-exported here from where they live: the classification in
:mod:`~salesopt.funnel.classify`, the figures' types and the command line's JSON in
:mod:`~salesopt.funnel.figures`, the figures themselves in :mod:`~salesopt.funnel.metrics`,
cohorts and losses in :mod:`~salesopt.funnel.cohorts`.
"""

from salesopt.funnel.classify import CYCLE_DAYS, DERIVED, classified_sql
from salesopt.funnel.cohorts import COHORT_COLUMNS, SMALL_GROUP, cohort_rows, loss_rows
from salesopt.funnel.figures import MIN_SPAN_DAYS, Analysis, Leak, StageRow, WinRateBasis, as_json, ratio
from salesopt.funnel.metrics import Options, analyze_sql, time_in_stage

__all__ = [
    "COHORT_COLUMNS",
    "CYCLE_DAYS",
    "DERIVED",
    "MIN_SPAN_DAYS",
    "SMALL_GROUP",
    "Analysis",
    "Leak",
    "Options",
    "StageRow",
    "WinRateBasis",
    "analyze_sql",
    "as_json",
    "classified_sql",
    "cohort_rows",
    "loss_rows",
    "ratio",
    "time_in_stage",
]
