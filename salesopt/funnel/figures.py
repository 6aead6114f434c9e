"""What the Stage 2 figures are: the :class:`Analysis` of an import (every outcome and funnel
figure of METRICS.md §2 and §3, each undefined one with its reason and each defined one with
what it rests on), its :class:`StageRow` and :class:`Leak` rows, :func:`ratio` (undefined on a
zero denominator), and the command line's JSON of them (:func:`as_json`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
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
    as_of: date | None = None  # the date the figures are taken at (one per assessment)
    won_revenue_last_12_months: float | None = None  # won amounts closed in the 365 days to as_of
    won_last_12_months: int | None = None  # won deals closed in them
    window_days: int | None = None  # days of those 365 the export covers

    @property
    def sales_velocity_per_30_days(self) -> float | None:
        v = self.sales_velocity_per_day
        return None if v is None else v * 30

    @property
    def won_revenue_year(self) -> float | None:
        """A year's won revenue, the one every yearly claim reconciles with: won revenue of the last
        12 months; when the export covers fewer of those days, annualised (x 365 / days covered);
        undefined below 30 days (too short to say what a year holds)."""
        revenue, days = self.won_revenue_last_12_months, self.window_days
        if revenue is None or days is None or days < MIN_SPAN_DAYS:
            return None
        return revenue if days >= 365 else revenue * 365 / days

    @property
    def year_basis(self) -> str:
        """What :attr:`won_revenue_year` is, in words: "won in the 12 months to 2026-09-30", or
        annualised from the days the export covers."""
        if self.as_of is None or self.window_days is None:
            return "won in a year"
        if self.window_days >= 365:
            return f"won in the 12 months to {self.as_of:%Y-%m-%d}"
        return f"won in the {self.window_days:,} days to {self.as_of:%Y-%m-%d}, annualised"

    @property
    def per_year(self) -> float | None:
        """The factor that turns an amount won over the whole export into a year's worth: a year's
        won revenue / the export's won revenue (so revenue at stake a year = a year's won revenue x
        (benchmark / conversion - 1)); undefined without both."""
        year, total = self.won_revenue_year, self.won_revenue
        return None if year is None or not total else year / total


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
        "as_of": None if a.as_of is None else a.as_of.isoformat(),
        "won_revenue_last_12_months": a.won_revenue_last_12_months,
        "won_last_12_months": a.won_last_12_months,
        "won_revenue_year": a.won_revenue_year,
        "undefined": a.reasons,
        "rests_on": a.rests_on,
        "warnings": list(report.warnings) + a.warnings,
        "profile": report.profile,
    }
