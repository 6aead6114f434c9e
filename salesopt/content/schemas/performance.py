"""Stage 5's content schema (frameworks/performance/): the metric catalogue, the forecast categories'
weights and probability thresholds, and the performance tiers' thresholds and actions."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from salesopt.content.schemas.base import ContentModel


class MetricDef(ContentModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Metric name.")
    category: Literal["activity", "pipeline", "conversion", "outcome", "efficiency"] = Field(
        description="The seed's metric family."
    )


class PerformanceKit(ContentModel):
    """Stage 5 content: the metric catalogue, forecast category weights and tier actions."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    source: str = Field(min_length=1, description="Where the content comes from.")
    metrics: tuple[MetricDef, ...] = Field(min_length=1)
    category_weights: dict[str, float] = Field(
        description="Forecast category -> weight (0-1) for the weighted forecast."
    )
    category_thresholds: dict[str, float] = Field(
        description="Forecast category -> lowest probability (0-1) that puts a deal in it (METRICS.md §5)."
    )
    tier_actions: dict[str, str] = Field(description="Performance tier (High, Core, Struggling) -> recommended action.")
    tier_thresholds: dict[str, float] = Field(
        description="Quota attainment (1.0 = 100%) that makes the tier: High above its value, Core at or above "
        "its value (up to High's, included), Struggling below Core's."
    )

    @model_validator(mode="after")
    def _weights(self) -> PerformanceKit:
        for name, w in {**self.category_weights, **self.category_thresholds}.items():
            if not 0 <= w <= 1:
                raise ValueError(f"'{name}': {w} is not between 0 and 1")
        if set(self.tier_actions) != {"High", "Core", "Struggling"}:
            raise ValueError("tier_actions needs exactly High, Core and Struggling")
        if set(self.tier_thresholds) != {"High", "Core"}:
            raise ValueError("tier_thresholds needs exactly High and Core")
        if not 0 < self.tier_thresholds["Core"] <= self.tier_thresholds["High"]:
            raise ValueError("tier_thresholds: Core must be above 0 and not above High")
        return self
