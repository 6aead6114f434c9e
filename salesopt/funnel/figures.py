"""What the Stage 2 figures are: the :class:`Analysis` of an import (every outcome and funnel
figure of METRICS.md §2 and §3, each undefined one with its reason and each defined one with
what it rests on), its :class:`StageRow` and :class:`Leak` rows, :func:`ratio` (undefined on a
zero denominator), and the command line's JSON of them (:func:`as_json`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # the import is loaded by the caller
    from salesopt.crm.importer import ImportReport

MIN_SPAN_DAYS = 30  # won deals spread over fewer days than this do not say what a year holds
WinRateBasis = Literal["closed", "all"]


def ratio(num: float | None, den: float | None) -> float | None:
    return None if den is None or num is None or den == 0 else float(num) / float(den)


@dataclass(frozen=True)
class StageRow:
    stage: str
    reached: int
    conversion_to_next: float | None
    benchmark: float | None = None
    shortfall: float | None = None
    time_mean_days: float | None = None
    time_median_days: float | None = None


@dataclass(frozen=True)
class Leak:
    from_stage: str
    to_stage: str
    conversion: float
    benchmark: float | None
    shortfall: float | None
    revenue_at_stake: float | None
    source: str = ""


@dataclass
class Analysis:
    opportunities: int
    won: int
    lost: int
    open: int
    win_rate: float | None
    win_rate_basis: WinRateBasis
    win_rate_value: float | None
    avg_deal_size: float | None
    won_revenue: float | None
    cycle_days_mean: float | None
    cycle_days_median: float | None
    pipeline_value: float | None
    weighted_pipeline: float | None
    target: float | None
    coverage_ratio: float | None
    required_coverage: float | None
    sales_velocity_per_day: float | None
    stages: list[StageRow]
    biggest_leak: Leak | None
    leaks: list[Leak]
    closed_only: bool
    unknown_lost_stage: int
    reasons: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    rests_on: dict[str, str] = field(default_factory=dict)
    currency: str | None = None
    won_span_days: float | None = None  # first to last won close date, in calendar days

    @property
    def sales_velocity_per_30_days(self) -> float | None:
        v = self.sales_velocity_per_day
        return None if v is None else v * 30

    @property
    def per_year(self) -> float | None:
        """The factor that turns an amount won over the export's span into a year's worth:
        365 / span days; undefined below 30 days of won deals (too short to say what a year holds)."""
        span = self.won_span_days
        return None if span is None or span < MIN_SPAN_DAYS else 365 / span

    @property
    def won_revenue_per_year(self) -> float | None:
        """Won revenue annualised on the export's span of won close dates."""
        f = self.per_year
        return None if f is None or self.won_revenue is None else self.won_revenue * f


def as_json(a: Analysis, report: ImportReport, owners: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The command line's JSON object: rates as fractions, undefined as null, every line accounted
    for (rows_read = rows_kept + rows_rejected)."""
    leak = a.biggest_leak
    return {
        "rows_read": report.rows_read,
        "rows_kept": report.rows_kept,
        "rows_rejected": report.rows_rejected,
        "rejected": [{"line": r.line, "reason": r.reason} for r in report.rejected[:100]],
        "cells_emptied": [
            {"line": c.line, "column": c.column, "field": c.field, "value": c.value, "reason": c.reason}
            for c in report.cells_emptied[:100]
        ],
        "cells_emptied_by_field": dict(report.emptied_by_field),
        "mapping": report.mapping,
        "header_line": report.header_line,
        "sheet": report.sheet,
        "long_format": report.long_format,
        "currency": report.currency,
        "opportunities": a.opportunities,
        "won": a.won,
        "lost": a.lost,
        "open": a.open,
        "win_rate": a.win_rate,
        "win_rate_basis": a.win_rate_basis,
        "win_rate_value": a.win_rate_value,
        "avg_deal_size": a.avg_deal_size,
        "won_revenue": a.won_revenue,
        "cycle_days_mean": a.cycle_days_mean,
        "cycle_days_median": a.cycle_days_median,
        "pipeline_value": a.pipeline_value,
        "weighted_pipeline": a.weighted_pipeline,
        "coverage_ratio": a.coverage_ratio,
        "required_coverage": a.required_coverage,
        "sales_velocity_per_day": a.sales_velocity_per_day,
        "stages": [
            {
                "stage": s.stage,
                "reached": s.reached,
                "conversion_to_next": s.conversion_to_next,
                "benchmark": s.benchmark,
                "time_in_stage_days_median": s.time_median_days,
            }
            for s in a.stages
        ],
        "by_owner": [
            {
                "owner": r["owner"],
                "opportunities": r["opportunities"],
                "won": r["won"],
                "lost": r["lost"],
                "open": r["open"],
                "win_rate": r["win_rate"],
                "avg_deal_size": r["avg_deal_size"],
            }
            for r in owners
        ],
        "biggest_leak": None
        if leak is None
        else {
            "from": leak.from_stage,
            "to": leak.to_stage,
            "conversion": leak.conversion,
            "benchmark": leak.benchmark,
            "shortfall": leak.shortfall,
            "revenue_at_stake": leak.revenue_at_stake,
        },
        "undefined": a.reasons,
        "rests_on": a.rests_on,
        "warnings": list(report.warnings) + a.warnings,
        "profile": report.profile,
    }
