"""Stage 2's content schemas: benchmark sets (frameworks/benchmarks/), the CRMs' stage sets
(frameworks/stage_sets/) and the opportunity scoring model (frameworks/scoring/)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from salesopt.content.schemas.base import ContentModel


class Range(ContentModel):
    """A benchmark range with its source."""

    low: float = Field(description="Low end of the typical range.")
    high: float = Field(description="High end of the typical range.")
    source: str = Field(min_length=1, description="Where the figure comes from.")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is greater than high ({self.high})")
        return self


class ConversionBenchmark(ContentModel):
    """The expected conversion from one funnel stage to the next."""

    from_stages: tuple[str, ...] = Field(min_length=1, description="Names the 'from' stage goes by in CRMs.")
    to_stages: tuple[str, ...] = Field(min_length=1, description="Names the 'to' stage goes by in CRMs.")
    value: float = Field(ge=0, le=1, description="Expected conversion, a fraction (0.7 = 70%).")
    source: str = Field(min_length=1, description="Where the figure comes from.")


class BenchmarkSet(ContentModel):
    """Benchmarks for one segment; each figure carries its source."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id of the set.")
    title: str = Field(min_length=1, description="Name shown to the user.")
    segment: str = Field(min_length=1, description="Which businesses the figures describe.")
    win_rate: Range | None = Field(None, description="Win rate, won / (won + lost), as fractions.")
    coverage: Range | None = Field(None, description="Pipeline coverage ratio, pipeline / target.")
    sales_cycle_days: Range | None = Field(None, description="Sales cycle in days.")
    conversions: tuple[ConversionBenchmark, ...] = Field((), description="Stage-to-stage conversions.")


class Criterion(ContentModel):
    """One scoring criterion: a rule on one opportunity field and the points it gives."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    label: str = Field(min_length=1, description="What the criterion means, shown with the score.")
    group: Literal["fit", "behavioral", "buying"] = Field(
        description="Fit (ICP), behavioral (engagement) or buying signal."
    )
    field: str = Field(min_length=1, description="Opportunity table field (METRICS.md §1) the rule reads.")
    rule: Literal["in", "not_blank", "at_least", "at_most"] = Field(description="How the field is tested.")
    values: tuple[str, ...] = Field((), description="For 'in': the values that score (case-insensitive).")
    threshold: float | None = Field(None, description="For 'at_least' / 'at_most': a fixed value.")
    percentile: float | None = Field(
        None,
        ge=0,
        le=1,
        description="For 'at_least' / 'at_most', instead of a fixed threshold: this quantile of the field over "
        "the export's won deals (0.5 = the median won deal), so money criteria follow the business's deal "
        "sizes; the label is shown with the resolved value.",
    )
    points: int = Field(ge=1, le=100, description="Points when the rule holds.")

    @model_validator(mode="after")
    def _rule_needs(self) -> Criterion:
        if self.rule == "in" and not self.values:
            raise ValueError("rule 'in' needs values")
        if self.rule in ("at_least", "at_most") and self.threshold is None and self.percentile is None:
            raise ValueError(f"rule '{self.rule}' needs a threshold or a percentile")
        if self.threshold is not None and self.percentile is not None:
            raise ValueError("give a threshold or a percentile, not both")
        if self.percentile is not None and self.rule not in ("at_least", "at_most"):
            raise ValueError(f"a percentile is for 'at_least' / 'at_most', not rule '{self.rule}'")
        return self


class ScoringModel(ContentModel):
    """Opportunity scoring: criteria over the opportunity table, and the calibration guard."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    title: str = Field(min_length=1, description="Name shown to the user.")
    criteria: tuple[Criterion, ...] = Field(min_length=1, description="The criteria, scored and summed.")
    high_at: int = Field(70, ge=0, le=100, description="Score (0-100) from which a deal is High priority.")
    medium_at: int = Field(40, ge=0, le=100, description="Score (0-100) from which a deal is Medium priority.")
    min_closed_for_calibration: int = Field(
        30, ge=1, description="Closed deals a stage needs before its observed win rate is shown."
    )

    @model_validator(mode="after")
    def _tiers(self) -> ScoringModel:
        if self.medium_at > self.high_at:
            raise ValueError(f"medium_at ({self.medium_at}) is above high_at ({self.high_at})")
        ids = [c.id for c in self.criteria]
        if len(ids) != len(set(ids)):
            raise ValueError("criterion ids must be unique")
        return self


class StageDef(ContentModel):
    name: str = Field(min_length=1)
    probability: float | None = Field(default=None, ge=0, le=1, description="default win probability, 0-1")
    aliases: list[str] = Field(default_factory=list, description="other spellings of the stage (API names)")


class StageSet(ContentModel):
    """A CRM's default stages in funnel order with their default probabilities, and its won and
    lost stage names: used to recognise an export's stages and to weight open deals that carry
    no probability of their own (METRICS.md §2)."""

    id: str
    title: str
    source: str = Field(min_length=1, description="where the stages and probabilities come from")
    stages: list[StageDef] = Field(min_length=1, description="open stages in funnel order")
    won: list[str] = Field(min_length=1)
    lost: list[str] = Field(default_factory=list)
    match_alone: bool = Field(
        True,
        description="false: the set is used only when a CRM profile (frameworks/crm/) names it, never guessed "
        "from the stage names alone",
    )
