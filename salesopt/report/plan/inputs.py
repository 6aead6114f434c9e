"""The plan's data: :class:`Plan`, what the builder returns, and :class:`Inputs`, everything a
section may read, computed once per plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from salesopt.content.frameworks import Catalog
from salesopt.funnel.analysis import Analysis
from salesopt.model.assessment import Assessment
from salesopt.report.document import DocumentMeta


@dataclass(frozen=True)
class Plan:
    """The built plan: its Markdown, its charts (salesopt.report.export.plan_charts), and how complete it is."""

    title: str
    client: str
    date: str
    markdown: str
    charts: dict[str, Any] = field(default_factory=dict)
    sections_complete: int = 0
    sections_total: int = 0
    missing: tuple[str, ...] = ()
    roadmap: Any = None  # the roadmap as a table (one row per item), for the CSV download
    recommendations: tuple[Any, ...] = ()  # the rules that fired (salesopt.rules.engine.run), for the CSV download

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
    result: Any
    recommendations: list[Any]
    findings: list[Any]
    told: list[Any]
    plan_date: date
    expected: Any = None  # salesopt.forecast.impact.ExpectedImpact of the chosen scenario, if any

    @property
    def currency(self) -> str:
        return self.assessment.currency
