"""The plan's data: :class:`Plan`, what the builder returns, and :class:`Inputs`, everything a
section may read, computed once per plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from salesopt.content.frameworks import Catalog
from salesopt.funnel.analysis import Analysis
from salesopt.model.assessment import Assessment
from salesopt.report.document import DocumentMeta

if TYPE_CHECKING:  # imported where they are used, so building a plan without data stays light
    import pandas as pd

    from salesopt.forecast.impact import ExpectedImpact
    from salesopt.funnel.stage2 import Result
    from salesopt.report.chart_style import ChartLike
    from salesopt.report.findings import Finding, Reconciliation
    from salesopt.rules.engine import Recommendation


@dataclass(frozen=True)
class Plan:
    """The built plan: its Markdown, its charts (salesopt.report.export.plan_charts), and how complete it is."""

    title: str
    client: str
    date: str
    markdown: str
    charts: dict[str, tuple[str, ChartLike]] = field(default_factory=dict)  # id -> (caption, chart)
    sections_complete: int = 0
    sections_total: int = 0
    missing: tuple[str, ...] = ()
    roadmap: pd.DataFrame | None = None  # the roadmap as a table (one row per item), for the CSV download
    recommendations: tuple[
        Recommendation, ...
    ] = ()  # the rules that fired (salesopt.rules.engine.run), for the CSV download

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
class Inputs:
    """Everything a section may read, computed once per plan."""

    assessment: Assessment
    catalog: Catalog
    funnel: Analysis | None
    result: Result | None  # the Stage 2 evaluation of the CRM export, if any
    recommendations: list[Recommendation]
    findings: list[Finding]
    told: list[Reconciliation]
    plan_date: date
    expected: ExpectedImpact | None = None  # of the chosen scenario, if any

    @property
    def currency(self) -> str:
        """The assessment's currency, for every money figure in the plan."""
        return self.assessment.currency
