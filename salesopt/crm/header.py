"""Finding the header among a file's first lines (or a sheet's first rows): the first row that
maps a stage column (else the widest), the delimiter that gives it, and its cells made unique
column names."""

from __future__ import annotations

from collections.abc import Mapping

from salesopt.crm.lines import split_one
from salesopt.crm.mapping import auto_map

HEAD_LINES = 40  # lines searched for the header


def header_at(lines: list[str], delimiter: str, overrides: Mapping[str, str]) -> tuple[int, list[str], bool] | None:
    """(index, cells, has stage) of the header among the first lines."""
    stage_col = (overrides.get("stage") or "").strip()
    rows = [(i, [c.strip() for c in split_one(ln, delimiter)]) for i, ln in enumerate(lines) if ln.strip()]
    for i, cells in rows:
        if (stage_col and stage_col in cells) or (not stage_col and "stage" in auto_map(cells)):
            return i, cells, True
    if not rows:
        return None
    widest = max(sum(1 for c in cells if c) for _, cells in rows)
    i, cells = next((i, c) for i, c in rows if sum(1 for x in c if x) == widest)
    return i, cells, False


def sniff(lines: list[str], overrides: Mapping[str, str]) -> tuple[str, tuple[int, list[str], bool] | None]:
    """The delimiter whose header maps a stage column (else the most columns), and that header."""
    best: tuple[str, tuple[int, list[str], bool] | None] = (",", None)
    best_score = (-1, -1)
    for delimiter in (",", ";", "\t", "|"):
        found = header_at(lines, delimiter, overrides)
        if found is None:
            continue
        score = (int(found[2]), len(found[1]))
        if score > best_score:
            best, best_score = (delimiter, found), score
    return best


def unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, n in enumerate(names):
        n = n.strip() or f"Unnamed: {i}"
        if n in seen:
            seen[n] += 1
            n = f"{n}.{seen[n]}"
        else:
            seen[n] = 0
        out.append(n)
    return out
