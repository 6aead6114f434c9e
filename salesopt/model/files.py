"""Assessment files: JSON and YAML round-trip exactly (:func:`to_json`/:func:`from_json`,
:func:`to_yaml`/:func:`from_yaml`). Files carry ``schema_version``; :data:`MIGRATIONS` upgrades
older versions step by step, and a file that cannot be read is refused with an
:class:`AssessmentFileError` that says why (file, line, field)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import yaml
from pydantic import ValidationError

from salesopt.model.assessment import SCHEMA_VERSION, Assessment

# version n -> function turning a version-n dict into a version-(n+1) dict
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class AssessmentFileError(ValueError):
    """An assessment file that cannot be used; the message says what and where."""


def to_dict(assessment: Assessment) -> dict[str, Any]:
    return assessment.model_dump(mode="json")


def to_json(assessment: Assessment) -> str:
    return json.dumps(to_dict(assessment), indent=2, ensure_ascii=False) + "\n"


class _Dumper(yaml.SafeDumper):
    """Readable Unicode, but strings holding a character YAML reads as a line break are quoted
    (escaped), so every string round-trips exactly."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(c in value for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def to_yaml(assessment: Assessment) -> str:
    return yaml.dump(to_dict(assessment), Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def from_dict(data: object, source: str = "assessment") -> Assessment:
    """Validate a parsed file, migrating older schema versions first."""
    if not isinstance(data, dict):
        raise AssessmentFileError(f"{source}: not an assessment file (expected a mapping of fields at the top level)")
    if "schema_version" not in data or "context" not in data:
        raise AssessmentFileError(
            f"{source}: not a salesopt assessment file (no 'schema_version' or 'context' field); "
            "export one from the app's Home page or with 'salesopt demo -o FILE'"
        )
    version = data["schema_version"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise AssessmentFileError(f"{source}: schema_version: expected a whole number, got {version!r}")
    if version > SCHEMA_VERSION:
        raise AssessmentFileError(
            f"{source}: written by a newer salesopt (schema {version}); this one reads up to "
            f"schema {SCHEMA_VERSION}: upgrade salesopt to open it"
        )
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise AssessmentFileError(
                f"{source}: schema {version} is too old for this salesopt (reads {SCHEMA_VERSION}); "
                "open it with an older release and export it again"
            )
        data = step(dict(data))
        version += 1
        data["schema_version"] = version
    try:
        return Assessment.model_validate(data)
    except ValidationError as exc:
        lines = [f"{source}: not a valid assessment ({exc.error_count()} problem(s)):"]
        for e in exc.errors()[:20]:
            field = ".".join(str(p) for p in e["loc"]) or "(top level)"
            msg = "unknown field" if e["type"] == "extra_forbidden" else str(e["msg"])
            lines.append(f"  {field}: {msg}")
        raise AssessmentFileError("\n".join(lines)) from None


def from_json(text: str | bytes, source: str = "assessment.json") -> Assessment:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise AssessmentFileError(f"{source}: not valid JSON{where}: {getattr(exc, 'msg', exc)}") from None
    return from_dict(data, source)


def from_yaml(text: str | bytes, source: str = "assessment.yaml") -> Assessment:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise AssessmentFileError(f"{source}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    return from_dict(data, source)


def from_file_bytes(raw: bytes, name: str) -> Assessment:
    """Read an uploaded or saved assessment file, JSON or YAML, decided by its content."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AssessmentFileError(
            f"{name}: not a text file (byte {exc.start} is not UTF-8); choose a .json or .yaml assessment file"
        ) from None
    if "\x00" in text:
        raise AssessmentFileError(f"{name}: binary content; choose a .json or .yaml assessment file")
    if text.lstrip().startswith(("{", "[")):
        return from_json(text, name)
    return from_yaml(text, name)
