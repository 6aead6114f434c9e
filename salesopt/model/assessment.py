"""The Assessment: one engagement's answers and figures, the single source of truth; its files
(JSON and YAML, schema versions) are read and written by :mod:`salesopt.model.files`."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from salesopt.content.frameworks import STAGE_IDS, Stage
from salesopt.model.answers import AnswerValue

SCHEMA_VERSION = 1


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _plain(value: object) -> object:
    """Models (also inside lists and dicts) as plain data, so validation sees every field again:
    a model built with model_copy(update=...) was never validated."""
    if isinstance(value, BaseModel):
        return {k: _plain(v) for k, v in dict(value).items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Model(BaseModel):
    """Frozen: a change is a new, validated model (:meth:`Assessment.updated`), never an attribute set."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class StageSection(_Model):
    """The answers of one dialogue stage."""

    answers: dict[str, AnswerValue] = Field(default_factory=dict, description="Answer per question id.")
    closing_answer: str = Field("", description="Answer to the stage's closing question.")
    step: int = Field(0, ge=0, description="The aspect the dialogue is on, so a resume returns there.")
    question_step: int = Field(0, ge=0, description="The question a workshop (one question at a time) is on.")


class ContextSection(StageSection):
    """Stage 1: sales context."""


class CrmSource(_Model):
    """An uploaded CRM export (kept in storage by its SHA-256) and how to read it."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    name: str = Field(min_length=1, max_length=300)
    size: int = Field(ge=0)
    history_sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    history_name: str | None = None
    overrides: dict[str, str] = Field(default_factory=dict, description="field -> column ('' = not mapped)")
    dayfirst: bool = False
    stage_order: list[str] = Field(default_factory=list, description="Funnel stages in order, won last; [] = detected")
    won: list[str] = Field(default_factory=list)
    lost: list[str] = Field(default_factory=list)
    stage_probabilities: dict[str, float] = Field(
        default_factory=dict, description="stage -> default win probability (0-1) set on the stage mapping screen"
    )

    @field_validator("stage_probabilities")
    @classmethod
    def _probabilities_in_range(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [k for k, p in value.items() if not 0 <= p <= 1]
        if bad:
            raise ValueError(f"a stage probability must be between 0 and 1 ({', '.join(bad)})")
        return value


class WorkshopRow(_Model):
    """One funnel stage typed in during a workshop (aggregate mode, METRICS.md §3)."""

    stage: str = Field(min_length=1, max_length=100)
    volume: int = Field(ge=0, description="Deals that entered the stage in the period.")
    days_in_stage: float | None = Field(None, ge=0)
    value: float | None = Field(None, ge=0, description="Value of the deals that entered the stage.")


class FunnelSection(StageSection):
    """Stage 2: funnel analysis."""

    source: Literal["crm", "workshop"] = "crm"
    crm: CrmSource | None = None
    workshop: list[WorkshopRow] = Field(default_factory=list)
    target: float | None = Field(None, ge=0, description="Revenue target the open pipeline should cover.")
    closed_only: bool = False
    win_rate_basis: Literal["closed", "all"] = "closed"
    benchmark_id: str | None = "b2b"
    as_of: date | None = Field(
        None,
        description="The date every figure is taken at; None: the export's latest event (a created date, a won "
        "or lost deal's close date, a stage change).",
    )


class ScoredDeal(_Model):
    """A deal scored live against a qualification framework."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    name: str = Field(min_length=1, max_length=200)
    framework_id: str = Field(min_length=1)
    scores: dict[str, int] = Field(default_factory=dict, description="element id -> level score")
    scored_at: datetime = Field(default_factory=_now)


class BusinessCase(_Model):
    """Value selling inputs (METRICS.md §7), yearly amounts in the assessment's currency."""

    revenue_increase: float = Field(0.0, ge=0)
    cost_savings: float = Field(0.0, ge=0)
    efficiency_gains: float = Field(0.0, ge=0)
    one_time: float = Field(0.0, ge=0, description="One-time investment.")
    recurring: float = Field(0.0, ge=0, description="Recurring cost per year.")
    years: int = Field(3, ge=1, le=20)
    discount_rate: float = Field(0.10, ge=0, le=1)


class ObjectionResponse(_Model):
    """The team's own response to one objection (defaults come from frameworks/objections)."""

    name: str = Field(min_length=1, max_length=200)
    response: str = Field("", max_length=5000)


class QualificationSection(StageSection):
    """Stage 3: qualification and methodology."""

    framework_id: str = "bant"
    deals: list[ScoredDeal] = Field(default_factory=list)
    pipeline: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="opportunity id -> element scores, for the framework in framework_id"
    )
    business_case: BusinessCase = Field(default_factory=BusinessCase)
    objections: list[ObjectionResponse] = Field(default_factory=list, description="[] = the YAML defaults")
    custom_frameworks: list[str] = Field(default_factory=list, description="YAML of scorecards the user added")


class ContentStatus(_Model):
    status: Literal["have", "outdated", "missing"]
    owner: str = Field("", max_length=100)
    last_updated: str = Field("", max_length=40)


class ToolStatus(_Model):
    status: Literal["in use", "planned", "none"]
    tool: str = Field("", max_length=200)


class OnboardingRow(_Model):
    name: str = Field(min_length=1, max_length=200)
    start_week: int = Field(ge=1, le=104)
    weeks: int = Field(ge=1, le=104)


class SopRow(_Model):
    name: str = Field(min_length=1, max_length=200)
    target: str = Field("", max_length=300)
    owner: str = Field("", max_length=100)
    documented: bool = False


class EnablementSection(StageSection):
    """Stage 4: enablement and tools."""

    content: dict[str, ContentStatus] = Field(default_factory=dict, description="content item id -> status")
    playbooks: dict[str, list[dict[str, str]]] = Field(default_factory=dict, description="kind -> entries")
    stack: dict[str, ToolStatus] = Field(default_factory=dict, description="tool category id -> status")
    onboarding: list[OnboardingRow] = Field(default_factory=list, description="[] = the YAML default plan")
    sops: list[SopRow] = Field(default_factory=list, description="[] = the YAML defaults, none documented")


class MetricChoice(_Model):
    metric_id: str = Field(min_length=1)
    target: str = Field("", max_length=100)
    owner: str = Field("", max_length=100)


class QuotaRow(_Model):
    rep: str = Field(min_length=1, max_length=200)
    quota: float = Field(gt=0)
    actual: float | None = Field(None, ge=0, description="Typed actual; else won revenue from the export")


class ForecastRow(_Model):
    period: str = Field(min_length=1, max_length=40)
    forecast: float = Field(ge=0)
    actual: float = Field(ge=0)


class PerformanceSection(StageSection):
    """Stage 5: performance management."""

    metrics: list[MetricChoice] = Field(default_factory=list)
    quotas: list[QuotaRow] = Field(default_factory=list)
    forecasts: list[ForecastRow] = Field(default_factory=list)


class Scenario(_Model):
    """A named what-if scenario: lever values that differ from the baseline."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    name: str = Field(min_length=1)
    levers: dict[str, float] = Field(default_factory=dict)
    notes: str = ""


class WhatIfSection(_Model):
    """What-if inputs that no dialogue question collects."""

    open_opportunities: float | None = Field(None, ge=0, description="Open opportunities in the pipeline today.")
    overrides: dict[str, float] = Field(default_factory=dict, description="Baseline figures typed in by the user.")
    chosen_scenario: str | None = Field(None, description="Id of the scenario that feeds the plan's Expected Impact.")


class Assessment(_Model):
    """One sales process optimization engagement."""

    schema_version: int = Field(SCHEMA_VERSION, description="File format version.")
    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    title: str = Field("Sales process assessment", min_length=1, max_length=200)
    company: str = Field("", max_length=200)
    currency: str = Field("USD", pattern=r"^[A-Z]{3}$", description="ISO 4217 code used for money.")
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)
    context: ContextSection = Field(default_factory=ContextSection)
    funnel: FunnelSection = Field(default_factory=FunnelSection)
    qualification: QualificationSection = Field(default_factory=QualificationSection)
    enablement: EnablementSection = Field(default_factory=EnablementSection)
    performance: PerformanceSection = Field(default_factory=PerformanceSection)
    whatif: WhatIfSection = Field(default_factory=WhatIfSection)
    scenarios: list[Scenario] = Field(default_factory=list)

    def section(self, stage_id: str) -> StageSection:
        section = getattr(self, stage_id) if stage_id in STAGE_IDS else None
        if not isinstance(section, StageSection):
            raise KeyError(stage_id)
        return section

    def with_section(self, stage_id: str, **changes: object) -> Assessment:
        """A copy with one stage's section changed (answers, closing_answer, step), validated."""
        return self.updated(stage_id, **changes)

    def with_scenario(self, name: str, levers: dict[str, float]) -> Assessment:
        """Save a what-if scenario once: the same name again replaces its levers (names are how
        people tell scenarios apart, so they stay unique)."""
        name = " ".join(name.split())
        kept = [sc for sc in self.scenarios if sc.name.casefold() != name.casefold()]
        same = next((sc for sc in self.scenarios if sc.name.casefold() == name.casefold()), None)
        new = Scenario(id=same.id, name=name, levers=levers) if same else Scenario(name=name, levers=levers)
        return self.model_validate({**self.model_dump(), "scenarios": [*(_plain(sc) for sc in kept), _plain(new)]})

    def renamed_scenario(self, scenario_id: str, name: str) -> Assessment:
        """A scenario renamed; a name another scenario has is refused (ValueError)."""
        name = " ".join(name.split())
        if not name:
            raise ValueError("a scenario needs a name")
        if any(sc.name.casefold() == name.casefold() and sc.id != scenario_id for sc in self.scenarios):
            raise ValueError(f"another scenario is already called '{name}'")
        scenarios = [
            _plain(sc.model_copy(update={"name": name}) if sc.id == scenario_id else sc) for sc in self.scenarios
        ]
        return self.model_validate({**self.model_dump(), "scenarios": scenarios})

    def without_scenario(self, scenario_id: str) -> Assessment:
        """A scenario deleted (and no longer the plan's choice)."""
        data = self.model_dump()
        data["scenarios"] = [_plain(sc) for sc in self.scenarios if sc.id != scenario_id]
        if self.whatif.chosen_scenario == scenario_id:
            data["whatif"] = {**data["whatif"], "chosen_scenario": None}
        return self.model_validate(data)

    def updated(self, part: str, **changes: object) -> Assessment:
        """A copy with fields of one part (a stage section, 'whatif', ...) changed. Validated as a
        loaded file is: an invalid value raises ValidationError here, never reaches storage."""
        current = getattr(self, part)
        data = current.model_dump()
        data.update({k: _plain(v) for k, v in changes.items()})
        new_part = type(current).model_validate(data)
        return self.model_copy(update={part: new_part, "updated_at": _now()})

    def with_answer(self, stage_id: str, question_id: str, value: AnswerValue) -> Assessment:
        answers = dict(self.section(stage_id).answers)
        if value is None:
            answers.pop(question_id, None)
        else:
            answers[question_id] = value
        return self.with_section(stage_id, answers=answers)


def stage_progress(assessment: Assessment, stage: Stage) -> tuple[int, int]:
    """(answered, total) for a stage, the closing question counted as one."""
    section = assessment.section(stage.id)
    ids = [q.id for q in stage.questions()]
    answered = sum(1 for qid in ids if section.answers.get(qid) not in (None, "", []))
    return answered + (1 if section.closing_answer.strip() else 0), len(ids) + 1
