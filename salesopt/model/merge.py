"""Three-way merge of assessment dumps, field by field: what I changed since the version I loaded
(the base) against what was saved meanwhile (theirs).

A field is a leaf of the dump (a value inside nested mappings; a list is one field). My change and
theirs collide only when both changed the same field (or one changed a part of the other) to
different values; every other change of either side is kept. The dialogue's position (``step``,
``question_step``) and ``updated_at`` never collide: mine is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Path = tuple[str, ...]
_ABSENT: Any = object()
# fields whose difference is not a disagreement: where each tab stands, when it last saved
QUIET = {"step", "question_step", "updated_at"}


@dataclass(frozen=True)
class Difference:
    """One field both sides changed differently: its path, and its value at the base, in mine and
    in theirs (None where absent)."""

    path: Path
    base: Any
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class Merged:
    """The merge: ``data`` holds theirs with my changes applied (mine wins a collision, which is
    listed in ``collisions``); ``theirs_changed`` names the fields theirs brought in."""

    data: dict[str, Any]
    collisions: list[Difference] = field(default_factory=list)
    theirs_changed: list[Path] = field(default_factory=list)


def leaves(data: Mapping[str, Any], prefix: Path = ()) -> dict[Path, Any]:
    """Every field of a dump by its path (a mapping is opened, so an empty one holds no field;
    anything else is a leaf)."""
    out: dict[Path, Any] = {}
    for key, value in data.items():
        path = (*prefix, str(key))
        if isinstance(value, Mapping):
            out.update(leaves(value, path))
        else:
            out[path] = value
    return out


def changes(base: Mapping[str, Any], other: Mapping[str, Any]) -> dict[Path, Any]:
    """The fields ``other`` changed from ``base``: path -> new value (_ABSENT when removed)."""
    before, after = leaves(base), leaves(other)
    out = {p: v for p, v in after.items() if before.get(p, _ABSENT) != v}
    out.update({p: _ABSENT for p in before if p not in after})
    return out


def _overlaps(a: Path, b: Path) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _get(data: Mapping[str, Any], path: Path) -> Any:
    node: Any = data
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return _ABSENT
        node = node[key]
    return node


def _set(data: dict[str, Any], path: Path, value: Any) -> None:
    node = data
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    if value is _ABSENT:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value


def _plain(value: Any) -> Any:
    return None if value is _ABSENT else value


def _copy(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _copy(v) if isinstance(v, Mapping) else (list(v) if isinstance(v, list) else v) for k, v in data.items()}


def merge(base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any], prefer: str = "mine") -> Merged:
    """Theirs with my changes since ``base`` applied; a field both changed differently is a
    collision, which takes the value of ``prefer`` (mine or theirs; the caller decides whether to
    ask first)."""
    my_changes, their_changes = changes(base, mine), changes(base, theirs)
    collisions: list[Difference] = []
    for path in my_changes:
        if path[-1] in QUIET:
            continue
        for their_path in their_changes:
            if not _overlaps(path, their_path):
                continue
            wide = path if len(path) <= len(their_path) else their_path
            if _get(mine, wide) != _get(theirs, wide):
                collisions.append(
                    Difference(wide, _plain(_get(base, wide)), _plain(_get(mine, wide)), _plain(_get(theirs, wide)))
                )
                break
    merged = _copy(theirs)
    for path, value in sorted(my_changes.items(), key=lambda kv: len(kv[0])):
        _set(merged, path, value)
    unique = {d.path: d for d in collisions}
    if prefer == "theirs":
        for d in unique.values():
            _set(merged, d.path, _get(theirs, d.path))
    theirs_changed = [p for p in their_changes if p[-1] not in QUIET and p not in my_changes]
    return Merged(merged, list(unique.values()), theirs_changed)


def differences(mine: Mapping[str, Any], theirs: Mapping[str, Any], base: Mapping[str, Any]) -> list[Difference]:
    """Every field where mine and theirs differ (what a person compares before choosing)."""
    a, b = leaves(mine), leaves(theirs)
    out = []
    for path in sorted(set(a) | set(b)):
        if path[-1] in QUIET:
            continue
        if a.get(path, _ABSENT) != b.get(path, _ABSENT):
            out.append(
                Difference(path, _plain(_get(base, path)), _plain(a.get(path, _ABSENT)), _plain(b.get(path, _ABSENT)))
            )
    return out
