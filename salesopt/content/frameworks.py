"""Framework files: YAML content in frameworks/, validated by pydantic.

Each sub-folder of frameworks/ holds one kind of file (``dialogue/`` holds the five stages'
questions); :data:`KINDS` maps the folder to its schema. Loading never raises on bad content:
it returns the valid files and a list of :class:`Problem` (file, line, field, what is wrong),
so the app can start with what is valid and show the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from salesopt.content.paths import FRAMEWORKS_DIR, SAFE_LOADER
from salesopt.rules.expr import FACTS, check_expression

SCHEMA_FILE = "_schema.json"
M = TypeVar("M", bound=BaseModel)

AnswerType = Literal["text", "choice", "number", "money", "percent", "duration"]
StageId = Literal["context", "funnel", "qualification", "enablement", "performance"]
STAGE_IDS: tuple[str, ...] = ("context", "funnel", "qualification", "enablement", "performance")


class _Content(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Question(_Content):
    """One question of the dialogue, with the kind of answer it needs."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id, the key of the answer in the assessment.")
    prompt: str = Field(min_length=1, description="The question as the facilitator asks it.")
    type: AnswerType = Field(description="Kind of answer: text, choice, number, money, percent or duration.")
    help: str = Field("", description="One line under the question: what a good answer looks like.")
    options: tuple[str, ...] = Field((), description="Choices, for type 'choice' only.")
    multiple: bool = Field(False, description="For type 'choice': more than one option may be picked.")
    min: float | None = Field(None, description="Smallest accepted value (percent in points, duration in days).")
    max: float | None = Field(None, description="Largest accepted value (percent in points, duration in days).")
    integer: bool = Field(False, description="For type 'number': whole numbers only.")
    note: str = Field("", description="Facilitator note: what to listen for, what to ask next.")

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if self.type == "choice" and not self.options:
            raise ValueError("a 'choice' question needs options")
        if self.type != "choice" and self.options:
            raise ValueError(f"options are only for 'choice' questions, not '{self.type}'")
        if self.multiple and self.type != "choice":
            raise ValueError("multiple is only for 'choice' questions")
        if self.integer and self.type != "number":
            raise ValueError("integer is only for 'number' questions")
        if len(set(self.options)) != len(self.options):
            raise ValueError("options must be unique")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        if self.type in ("text", "choice") and (self.min is not None or self.max is not None):
            raise ValueError(f"min/max do not apply to '{self.type}' questions")
        return self


class Aspect(_Content):
    """One aspect of a stage, asked as one step of the dialogue."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id of the aspect.")
    title: str = Field(min_length=1, description="Heading shown for the step.")
    questions: tuple[Question, ...] = Field(min_length=1, description="The questions, in the order asked.")


class Stage(_Content):
    """One dialogue stage: its goal, aspects in order, and closing question."""

    id: StageId = Field(description="Which stage this file describes.")
    number: int = Field(ge=1, le=5, description="Position in the engagement, 1-5.")
    title: str = Field(min_length=1, description="Stage title.")
    goal: str = Field(min_length=1, description="The stage's goal, from the seed.")
    approach: str = Field("", description="How the stage is run (the seed's 'Important' line).")
    minutes: int = Field(ge=1, description="Typical time the stage takes in a workshop, in minutes.")
    aspects: tuple[Aspect, ...] = Field(min_length=1, description="Aspects in the order asked.")
    output: str = Field(min_length=1, description="What the stage's output presents.")
    closing_question: str = Field(min_length=1, description="The question that ends the stage.")

    @model_validator(mode="after")
    def _unique_ids(self) -> Stage:
        seen: set[str] = set()
        for aspect in self.aspects:
            for q in aspect.questions:
                if q.id in seen:
                    raise ValueError(f"question id '{q.id}' is used twice")
                seen.add(q.id)
        return self

    def questions(self) -> list[Question]:
        return [q for a in self.aspects for q in a.questions]

    def question(self, qid: str) -> Question:
        for q in self.questions():
            if q.id == qid:
                return q
        raise KeyError(qid)


class Range(_Content):
    """A benchmark range with its source."""

    low: float = Field(description="Low end of the typical range.")
    high: float = Field(description="High end of the typical range.")
    source: str = Field(min_length=1, description="Where the figure comes from.")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is greater than high ({self.high})")
        return self


class ConversionBenchmark(_Content):
    """The expected conversion from one funnel stage to the next."""

    from_stages: tuple[str, ...] = Field(min_length=1, description="Names the 'from' stage goes by in CRMs.")
    to_stages: tuple[str, ...] = Field(min_length=1, description="Names the 'to' stage goes by in CRMs.")
    value: float = Field(ge=0, le=1, description="Expected conversion, a fraction (0.7 = 70%).")
    source: str = Field(min_length=1, description="Where the figure comes from.")


class BenchmarkSet(_Content):
    """Benchmarks for one segment; each figure carries its source."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id of the set.")
    title: str = Field(min_length=1, description="Name shown to the user.")
    segment: str = Field(min_length=1, description="Which businesses the figures describe.")
    win_rate: Range | None = Field(None, description="Win rate, won / (won + lost), as fractions.")
    coverage: Range | None = Field(None, description="Pipeline coverage ratio, pipeline / target.")
    sales_cycle_days: Range | None = Field(None, description="Sales cycle in days.")
    conversions: tuple[ConversionBenchmark, ...] = Field((), description="Stage-to-stage conversions.")


class Criterion(_Content):
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


class ScoringModel(_Content):
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


class Level(_Content):
    """One point on an element's scale, with what it means."""

    score: int = Field(ge=0, le=100, description="Points for this level.")
    label: str = Field(min_length=1, description="What the level means, e.g. 'Fully present'.")


class Element(_Content):
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


class Tier(_Content):
    """A band of totals and what it means for action and for the forecast."""

    label: str = Field(min_length=1, description="Tier name, e.g. 'High'.")
    min_total: float = Field(ge=0, description="Lowest total in this tier (inclusive); up to the next tier's minimum.")
    action: str = Field(min_length=1, description="What to do with a deal in this tier.")
    forecast_category: Literal["Commit", "Best Case", "Pipeline", "Omitted"] | None = Field(
        None, description="Forecast category this tier suggests."
    )
    probability_adjustment: float = Field(0.0, ge=-1, le=1, description="Points added to the CRM probability.")


class Scorecard(_Content):
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


class Step(_Content):
    """One step or question type of a methodology (e.g. SPIN's Implication questions)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Step name.")
    purpose: str = Field(min_length=1, description="What the step achieves.")
    questions: tuple[str, ...] = Field(min_length=1, description="Example questions; [brackets] are filled in.")
    share: float = Field(1.0, gt=0, description="Relative number of questions in a guide (the recommended ratio).")


class Methodology(_Content):
    """A selling methodology as ordered steps: SPIN, value selling, ..."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Methodology name.")
    description: str = Field(min_length=1, description="What it is for.")
    source: str = Field(min_length=1, description="Where the definition comes from.")
    steps: tuple[Step, ...] = Field(min_length=1, description="Steps in the order used.")


class Objection(_Content):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="The objection, e.g. 'Price / cost'.")
    approach: tuple[str, ...] = Field(min_length=1, description="The response approach, step by step.")
    example: str = Field("", description="An example response.")


class ObjectionPlaybook(_Content):
    """Common objections and how to respond (seed 000, Stage 3 'Objection Handling')."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Playbook name.")
    source: str = Field(min_length=1, description="Where the content comes from.")
    objections: tuple[Objection, ...] = Field(min_length=1, description="The objections.")


class ContentItem(_Content):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="The asset, e.g. 'Proposal templates'.")
    helps: tuple[str, ...] = Field((), description="Funnel stage names whose exit this asset supports (leak links).")


class ContentPhase(_Content):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Sales phase, e.g. 'Discovery'.")
    items: tuple[ContentItem, ...] = Field(min_length=1, description="Content the phase needs.")


class PlaybookKind(_Content):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Playbook kind, e.g. 'Persona-based'.")
    columns: tuple[str, ...] = Field(min_length=1, description="What each entry records.")


class ToolCategory(_Content):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Category, e.g. 'CRM system'.")
    examples: str = Field(min_length=1, description="Example products.")
    purpose: str = Field(min_length=1, description="What the category is for.")


class OnboardingPhase(_Content):
    name: str = Field(min_length=1, description="What the new hire does.")
    start_week: int = Field(ge=1, description="First week (1-based).")
    weeks: int = Field(ge=1, description="Length in weeks.")


class Sop(_Content):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="The procedure.")
    target: str = Field("", description="The default target, e.g. 'first touch within 1 business day'.")


class EnablementKit(_Content):
    """Stage 4 content: content by phase, playbook kinds, tech stack, onboarding plan and SOPs."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    source: str = Field(min_length=1, description="Where the content comes from.")
    content: tuple[ContentPhase, ...] = Field(min_length=1)
    playbooks: tuple[PlaybookKind, ...] = Field(min_length=1)
    tech_stack: tuple[ToolCategory, ...] = Field(min_length=1)
    onboarding: tuple[OnboardingPhase, ...] = Field(min_length=1)
    sops: tuple[Sop, ...] = Field(min_length=1)


class MetricDef(_Content):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Metric name.")
    category: Literal["activity", "pipeline", "conversion", "outcome", "efficiency"] = Field(
        description="The seed's metric family."
    )


class PerformanceKit(_Content):
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


class RuleExamples(_Content):
    fires: dict[str, Any] = Field(description="Facts on which the rule must fire (tested).")
    quiet: dict[str, Any] = Field(description="Facts on which the rule must stay quiet (tested).")

    @field_validator("fires", "quiet")
    @classmethod
    def _known_facts(cls, facts: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(facts) - set(FACTS))
        if unknown:
            raise ValueError(f"unknown fact {', '.join(repr(u) for u in unknown)} (check the spelling)")
        return facts


class RecommendationRule(_Content):
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


class RuleSet(_Content):
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


class StageDef(_Content):
    name: str = Field(min_length=1)
    probability: float | None = Field(default=None, ge=0, le=1, description="default win probability, 0-1")
    aliases: list[str] = Field(default_factory=list, description="other spellings of the stage (API names)")


class StageSet(_Content):
    """A CRM's default stages in funnel order with their default probabilities, and its won and
    lost stage names: used to recognise an export's stages and to weight open deals that carry
    no probability of their own (METRICS.md §2)."""

    id: str
    title: str
    source: str = Field(min_length=1, description="where the stages and probabilities come from")
    stages: list[StageDef] = Field(min_length=1, description="open stages in funnel order")
    won: list[str] = Field(min_length=1)
    lost: list[str] = Field(default_factory=list)


KINDS: dict[str, type[BaseModel]] = {
    "dialogue": Stage,
    "benchmarks": BenchmarkSet,
    "stage_sets": StageSet,
    "scoring": ScoringModel,
    "scorecards": Scorecard,
    "methodologies": Methodology,
    "objections": ObjectionPlaybook,
    "enablement": EnablementKit,
    "performance": PerformanceKit,
    "recommendations": RuleSet,
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one framework file."""

    file: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field or '(file)'}: {self.message}"


@dataclass(frozen=True)
class Catalog:
    """What loaded: the valid content by kind and id, and every problem found."""

    items: dict[str, dict[str, Any]]
    problems: tuple[Problem, ...]

    def stages(self) -> list[Stage]:
        return sorted(self.items.get("dialogue", {}).values(), key=lambda s: s.number)

    def stage(self, stage_id: str) -> Stage | None:
        return self.items.get("dialogue", {}).get(stage_id)

    def benchmarks(self) -> dict[str, BenchmarkSet]:
        return dict(self.items.get("benchmarks", {}))

    def stage_sets(self) -> dict[str, StageSet]:
        return dict(self.items.get("stage_sets", {}))

    def scoring(self) -> dict[str, ScoringModel]:
        return dict(self.items.get("scoring", {}))

    def scorecards(self) -> dict[str, Scorecard]:
        return dict(self.items.get("scorecards", {}))

    def methodologies(self) -> dict[str, Methodology]:
        return dict(self.items.get("methodologies", {}))

    def objections(self) -> dict[str, ObjectionPlaybook]:
        return dict(self.items.get("objections", {}))

    def enablement(self) -> EnablementKit | None:
        return next(iter(self.items.get("enablement", {}).values()), None)

    def rules(self) -> list[RuleSet]:
        return list(self.items.get("recommendations", {}).values())

    def performance(self) -> PerformanceKit | None:
        return next(iter(self.items.get("performance", {}).values()), None)


def _node_line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the YAML node at a pydantic error location (best effort)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(part)), None)
            if match is None:
                key = next((k for k, _ in node.value if k.value == str(part)), None)
                return key.start_mark.line + 1 if key is not None else line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


def _describe(err: ErrorDetails) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return "unknown field (check the spelling; see _schema.json for the fields allowed)"
    if err["type"] == "missing":
        return "required field is missing"
    if err["type"] == "string_type" and isinstance(err.get("input"), bool):
        return f"{msg} (YAML reads an unquoted yes/no/on/off as {err['input']}: put it in quotes)"
    return msg


def validate_file(path: Path, model: type[M], label: str | None = None) -> tuple[M | None, list[Problem]]:
    """Parse and validate one YAML file; never raises for bad content."""
    name = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, "", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")]
    except OSError as exc:
        return None, [Problem(name, "", f"cannot be read: {exc.strerror}")]
    return validate_text(text, model, name)


def validate_text(text: str, model: type[M], name: str) -> tuple[M | None, list[Problem]]:
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - SAFE_LOADER is a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(name, "", f"not valid YAML: {problem}", mark.line + 1 if mark else None)]
    if not isinstance(data, dict):
        return None, [Problem(name, "", "expected a mapping of fields at the top level")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        root = yaml.compose(text, Loader=SAFE_LOADER)  # node positions, only to say where a problem is
        errors = exc.errors()
        # a failed item also makes its list "too short": report the item, not the echo
        locs = [tuple(e["loc"]) for e in errors]
        errors = [
            e
            for e in errors
            if not (
                e["type"] == "too_short"
                and any(loc[: len(e["loc"])] == tuple(e["loc"]) and loc != tuple(e["loc"]) for loc in locs)
            )
        ]
        problems = [
            Problem(name, ".".join(str(p) for p in e["loc"]), _describe(e), _node_line(root, tuple(e["loc"])))
            for e in errors
        ]
        return None, problems


def load_kind(kind: str, directory: Path | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Load the YAML files of one kind folder (the command line reads only what it needs)."""
    base = Path(directory or FRAMEWORKS_DIR)
    model = KINDS[kind]
    items: dict[str, Any] = {}
    problems: list[Problem] = []
    for path in sorted((base / kind).glob("*.y*ml")):
        label = str(path.relative_to(base.parent)) if base.parent in path.parents else str(path)
        item, found = validate_file(path, model, label)
        problems.extend(found)
        if item is None:
            continue
        key = getattr(item, "id", path.stem)
        if key in items:
            problems.append(Problem(label, "id", f"'{key}' is already defined by another file"))
            continue
        items[key] = item
    return items, problems


def load_catalog(directory: Path | None = None) -> Catalog:
    """Load every YAML file under the kind folders of ``directory``."""
    base = Path(directory or FRAMEWORKS_DIR)
    if not base.is_dir():
        return Catalog({kind: {} for kind in KINDS}, (Problem(str(base), "", "framework folder not found"),))
    items: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    for kind in KINDS:
        items[kind], found = load_kind(kind, base)
        problems.extend(found)
    return Catalog(items, tuple(problems))


def schema_json(kind: str) -> str:
    """The JSON Schema of a kind of file, as written beside its YAML files."""
    return json.dumps(KINDS[kind].model_json_schema(), indent=2, sort_keys=True) + "\n"


def write_schemas(directory: Path | None = None) -> list[Path]:
    base = Path(directory or FRAMEWORKS_DIR)
    written = []
    for kind in KINDS:
        path = base / kind / SCHEMA_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(schema_json(kind), encoding="utf-8")
        written.append(path)
    return written
