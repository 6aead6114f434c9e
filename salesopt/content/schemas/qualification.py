"""Stage 3's content schemas: qualification scorecards (frameworks/scorecards/), selling
methodologies (frameworks/methodologies/) and objection playbooks (frameworks/objections/)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from salesopt.content.schemas.base import ContentModel


class Level(ContentModel):
    """One point on an element's scale, with what it means."""

    score: int = Field(ge=0, le=100, description="Points for this level.")
    label: str = Field(min_length=1, description="What the level means, e.g. 'Fully present'.")


class Element(ContentModel):
    """One element of a qualification framework (e.g. Budget), scored on its own scale."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Element name, e.g. 'Budget'.")
    description: str = Field(min_length=1, description="What the element checks.")
    questions: tuple[str, ...] = Field(min_length=1, description="Questions to ask the buyer.")
    weight: float = Field(1.0, gt=0, le=10, description="Multiplier of the element's points in the total.")
    scale: tuple[Level, ...] = Field(min_length=2, description="Levels from lowest to highest score.")

    @model_validator(mode="after")
    def _ascending(self) -> Element:
        scores = [lv.score for lv in self.scale]
        if scores != sorted(set(scores)):
            raise ValueError("scale scores must be unique and in ascending order")
        return self

    @property
    def max_points(self) -> float:
        return self.weight * self.scale[-1].score


class Tier(ContentModel):
    """A band of totals and what it means for action and for the forecast."""

    label: str = Field(min_length=1, description="Tier name, e.g. 'High'.")
    min_total: float = Field(ge=0, description="Lowest total in this tier (inclusive); up to the next tier's minimum.")
    action: str = Field(min_length=1, description="What to do with a deal in this tier.")
    forecast_category: Literal["Commit", "Best Case", "Pipeline", "Omitted"] | None = Field(
        None, description="Forecast category this tier suggests."
    )
    probability_adjustment: float = Field(0.0, ge=-1, le=1, description="Points added to the CRM probability.")


class Scorecard(ContentModel):
    """A qualification framework: elements on scales, weights, and tiers over the total."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Framework name, e.g. 'BANT'.")
    description: str = Field(min_length=1, description="What it is for.")
    when_to_use: str = Field(min_length=1, description="Where in the sales process it fits.")
    source: str = Field(min_length=1, description="Where the definition comes from.")
    elements: tuple[Element, ...] = Field(min_length=1, description="The elements, in the order asked.")
    tiers: tuple[Tier, ...] = Field(min_length=1, description="Tiers from lowest to highest minimum total.")

    @model_validator(mode="after")
    def _valid(self) -> Scorecard:
        ids = [e.id for e in self.elements]
        if len(ids) != len(set(ids)):
            raise ValueError("element ids must be unique")
        mins = [t.min_total for t in self.tiers]
        if mins != sorted(set(mins)):
            raise ValueError("tier min_total values must be unique and ascending")
        if mins[0] != 0:
            raise ValueError("the lowest tier must start at min_total 0 so every total has a tier")
        if mins[-1] > self.max_total:
            raise ValueError(f"tier min_total {mins[-1]} is above the highest possible total {self.max_total:g}")
        return self

    @property
    def max_total(self) -> float:
        return sum(e.max_points for e in self.elements)


class Step(ContentModel):
    """One step or question type of a methodology (e.g. SPIN's Implication questions)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Step name.")
    purpose: str = Field(min_length=1, description="What the step achieves.")
    questions: tuple[str, ...] = Field(min_length=1, description="Example questions; [brackets] are filled in.")
    share: float = Field(1.0, gt=0, description="Relative number of questions in a guide (the recommended ratio).")


class Methodology(ContentModel):
    """A selling methodology as ordered steps: SPIN, value selling, ..."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Methodology name.")
    description: str = Field(min_length=1, description="What it is for.")
    source: str = Field(min_length=1, description="Where the definition comes from.")
    steps: tuple[Step, ...] = Field(min_length=1, description="Steps in the order used.")


class Objection(ContentModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="The objection, e.g. 'Price / cost'.")
    approach: tuple[str, ...] = Field(min_length=1, description="The response approach, step by step.")
    example: str = Field("", description="An example response.")


class ObjectionPlaybook(ContentModel):
    """Common objections and how to respond (seed 000, Stage 3 'Objection Handling')."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Playbook name.")
    source: str = Field(min_length=1, description="Where the content comes from.")
    objections: tuple[Objection, ...] = Field(min_length=1, description="The objections.")
