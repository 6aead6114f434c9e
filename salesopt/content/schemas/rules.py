"""The recommendation rules' schema (frameworks/recommendations/): each rule's condition and impact as
expressions over the facts (checked against salesopt/rules/expr.py when the file loads), its lever,
owner, roadmap phase, and the facts it must fire and stay quiet on."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from salesopt.content.schemas.base import ContentModel
from salesopt.rules.expr import FACTS, check_expression


class RuleExamples(ContentModel):
    fires: dict[str, Any] = Field(description="Facts on which the rule must fire (tested).")
    quiet: dict[str, Any] = Field(description="Facts on which the rule must stay quiet (tested).")

    @field_validator("fires", "quiet")
    @classmethod
    def _known_facts(cls, facts: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(facts) - set(FACTS))
        if unknown:
            raise ValueError(f"unknown fact {', '.join(repr(u) for u in unknown)} (check the spelling)")
        return facts


class RecommendationRule(ContentModel):
    """Condition on the facts -> a recommendation with its lever, reason, impact, effort and owner."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    title: str = Field(min_length=1, description="The recommendation, as an action.")
    category: Literal["lever", "pitfall", "best_practice", "success_factor"] = Field(
        description="Seed 000: optimization lever, common pitfall, best practice or success factor."
    )
    lever: str = Field(min_length=1, description="The lever it pulls, e.g. 'Improve conversion rates'.")
    when: str = Field(
        min_length=1, description="Condition over the facts (language and fact names: salesopt/rules/expr.py)."
    )
    why: str = Field(min_length=1, description="Why, with {fact} placeholders ({x:%} percent, {x:$} money).")
    impact: str = Field("", description="Expression for the yearly money impact, where the data allows.")
    effort: Literal["low", "medium", "high"]
    priority: Literal["high", "medium", "low"]
    owner: str = Field(min_length=1, description="Who should own it.")
    phase: Literal["quick_wins", "foundation", "optimization", "scale"] = Field(description="Roadmap phase.")
    kpi: str = Field("", description="The metric that shows it works, e.g. 'Demo → proposal conversion'.")
    done_when: str = Field("", description="What is true when the roadmap item is done.")
    examples: RuleExamples

    @field_validator("when", "impact")
    @classmethod
    def _expression(cls, text: str) -> str:
        """Checked when the file loads: allowed syntax, and only facts that exist (salesopt/rules/expr.py)."""
        if text:
            check_expression(text)
        return text


class RuleSet(ContentModel):
    """Recommendation rules (frameworks/recommendations/*.yaml)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    source: str = Field(min_length=1, description="Where the rules come from.")
    rules: tuple[RecommendationRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> RuleSet:
        ids = [r.id for r in self.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"rule ids used twice: {', '.join(dupes)}")
        return self
