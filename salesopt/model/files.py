"""Assessment files: JSON and YAML round-trip exactly (:func:`to_json`/:func:`from_json`,
:func:`to_yaml`/:func:`from_yaml`). Files carry ``schema_version``; :data:`MIGRATIONS` upgrades
older versions step by step, and a file that cannot be read is refused with an
:class:`AssessmentFileError` that says why (file, line, field)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import yaml
from pydantic import ValidationError

from salesopt.content.paths import SAFE_LOADER
from salesopt.model.answers import MAX_TEXT
from salesopt.model.assessment import SCHEMA_VERSION, Assessment

MAX_FILE_BYTES = 5 << 20  # the Home page's upload limit (5 MB)
MAX_DEPTH = 20  # an assessment nests about 6 levels; libyaml stops at 1,000, json at the recursion limit
# text the form does not limit to MAX_TEXT: scorecards added as YAML (uploaded up to 1 MB each)
LONG_TEXT = {("qualification", "custom_frameworks"): 1 << 20}

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


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _too_deep_at(text: str) -> str:
    """Where JSON text first nests past MAX_DEPTH: ' (line L, column C)', or '' when it does not."""
    depth = 0
    for m in _TOKEN.finditer(text):
        bracket = m.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, m.start()) + 1
                return f" (line {line}, column {m.start() - text.rfind(chr(10), 0, m.start())})"
        elif bracket in "]}":
            depth -= 1
    return ""


def _deep(source: str, where: str = "") -> AssessmentFileError:
    return AssessmentFileError(
        f"{source}: nested more than {MAX_DEPTH} levels deep{where}; an assessment file nests about 6 "
        "levels: export it again from the app"
    )


def _check_depth(data: object, source: str) -> None:
    """Refuse parsed data nested past MAX_DEPTH, naming the field (iteratively: no recursion)."""
    stack: list[tuple[object, int, str]] = [(data, 0, "")]
    while stack:
        value, depth, path = stack.pop()
        if depth > MAX_DEPTH:
            raise _deep(source, f" (at {path[:80]}{'…' if len(path) > 80 else ''})")
        if isinstance(value, dict):
            stack += [(v, depth + 1, f"{path}.{k}" if path else str(k)) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(v, depth + 1, f"{path}[{i}]") for i, v in enumerate(value)]


def from_json(text: str | bytes, source: str = "assessment.json", *, check_text: bool = False) -> Assessment:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise AssessmentFileError(f"{source}: not valid JSON{where}: {getattr(exc, 'msg', exc)}") from None
    except RecursionError:
        raw = text if isinstance(text, str) else text.decode("utf-8", "replace")
        raise _deep(source, _too_deep_at(raw)) from None
    _check_depth(data, source)
    if check_text:
        _check_text(data, source)
    return from_dict(data, source)


def from_yaml(text: str | bytes, source: str = "assessment.yaml", *, check_text: bool = False) -> Assessment:
    try:
        # libyaml: fast, and it refuses nesting past 1,000 levels where the Python parser recurses
        data = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506  a safe loader (C or Python)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or exc
        if "maximum nesting depth" in str(exc):
            raise _deep(source, where) from None
        raise AssessmentFileError(f"{source}: not valid YAML{where}: {problem}") from None
    except RecursionError:
        raise _deep(source) from None
    _check_depth(data, source)
    if check_text:
        _check_text(data, source)
    return from_dict(data, source)


def _check_text(data: object, source: str) -> None:
    """Refuse text longer than the form accepts (MAX_TEXT characters), naming the fields."""
    too_long: list[str] = []
    stack: list[tuple[object, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            stack += [(v, (*path, str(k))) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(v, (*path, str(i))) for i, v in enumerate(value)]
        elif isinstance(value, str):
            cap = next((n for p, n in LONG_TEXT.items() if path[: len(p)] == p), MAX_TEXT)
            if len(value) > cap:
                too_long.append(f"{'.'.join(path)[:80]} ({len(value):,} characters)")
    if too_long:
        shown = "; ".join(sorted(too_long)[:3]) + (f"; and {len(too_long) - 3} more" if len(too_long) > 3 else "")
        raise AssessmentFileError(
            f"{source}: text longer than the {MAX_TEXT:,} characters the form accepts: {shown}; "
            "shorten it and import again"
        )


def from_file_bytes(raw: bytes, name: str) -> Assessment:
    """Read an uploaded or saved assessment file, JSON or YAML, decided by its content. An
    imported file obeys the form's limits: at most MAX_FILE_BYTES, MAX_DEPTH levels deep, and
    no text longer than the form accepts."""
    if len(raw) > MAX_FILE_BYTES:
        raise AssessmentFileError(
            f"{name}: {len(raw) / (1 << 20):,.1f} MB, more than the {MAX_FILE_BYTES >> 20} MB an assessment file "
            "may be; choose a .json or .yaml file exported from salesopt"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AssessmentFileError(
            f"{name}: not a text file (byte {exc.start} is not UTF-8); choose a .json or .yaml assessment file"
        ) from None
    if "\x00" in text:
        raise AssessmentFileError(f"{name}: binary content; choose a .json or .yaml assessment file")
    if text.lstrip().startswith(("{", "[")):
        return from_json(text, name, check_text=True)
    return from_yaml(text, name, check_text=True)
