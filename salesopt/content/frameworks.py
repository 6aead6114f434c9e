"""Framework files: YAML content in frameworks/, validated by pydantic.

Each sub-folder of frameworks/ holds one kind of file (``dialogue/`` holds the five stages'
questions); :data:`KINDS` maps the folder to its schema (salesopt.content.schemas, re-exported
here). Loading never raises on bad content: it returns the valid files and a list of
:class:`Problem` (file, line, field, what is wrong), so the app can start with what is valid and
show the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from salesopt.content.paths import FRAMEWORKS_DIR, SAFE_LOADER
from salesopt.content.schemas.crm import CrmProfile
from salesopt.content.schemas.dialogue import STAGE_IDS, AnswerType, Aspect, Question, Stage, StageId
from salesopt.content.schemas.enablement import (
    ContentItem,
    ContentPhase,
    EnablementKit,
    OnboardingPhase,
    PlaybookKind,
    Sop,
    ToolCategory,
)
from salesopt.content.schemas.funnel import (
    BenchmarkSet,
    ConversionBenchmark,
    Criterion,
    Range,
    ScoringModel,
    StageDef,
    StageSet,
)
from salesopt.content.schemas.performance import MetricDef, PerformanceKit
from salesopt.content.schemas.qualification import (
    Element,
    Level,
    Methodology,
    Objection,
    ObjectionPlaybook,
    Scorecard,
    Step,
    Tier,
)
from salesopt.content.schemas.rules import RecommendationRule, RuleExamples, RuleSet

__all__ = [
    "FRAMEWORKS_DIR",
    "KINDS",
    "SCHEMA_FILE",
    "STAGE_IDS",
    "AnswerType",
    "Aspect",
    "BenchmarkSet",
    "Catalog",
    "ContentItem",
    "ContentPhase",
    "ConversionBenchmark",
    "Criterion",
    "CrmProfile",
    "Element",
    "EnablementKit",
    "Level",
    "Methodology",
    "MetricDef",
    "Objection",
    "ObjectionPlaybook",
    "OnboardingPhase",
    "PerformanceKit",
    "PlaybookKind",
    "Problem",
    "Question",
    "Range",
    "RecommendationRule",
    "RuleExamples",
    "RuleSet",
    "Scorecard",
    "ScoringModel",
    "Sop",
    "Stage",
    "StageDef",
    "StageId",
    "StageSet",
    "Step",
    "Tier",
    "ToolCategory",
    "load_catalog",
    "load_kind",
    "schema_json",
    "validate_file",
    "validate_text",
    "write_schemas",
]

SCHEMA_FILE = "_schema.json"
M = TypeVar("M", bound=BaseModel)


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
    "crm": CrmProfile,
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

    def crm_profiles(self) -> dict[str, CrmProfile]:
        return dict(self.items.get("crm", {}))

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
