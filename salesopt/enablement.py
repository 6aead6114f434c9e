"""Stage 4 figures: content gap scores by phase, content linked to the funnel's leaks, tech-stack gaps.

Gap score of a phase = (missing + 0.5 x outdated) / rated items, 0-1 (higher = bigger gap); items
not rated yet are left out and counted; undefined (None) while no item of the phase is rated.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from salesopt.content.frameworks import EnablementKit


def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def gap_scores(kit: EnablementKit, statuses: Mapping[str, str]) -> pd.DataFrame:
    rows = []
    for phase in kit.content:
        counts = {"have": 0, "outdated": 0, "missing": 0}
        unrated = 0
        for item in phase.items:
            st = statuses.get(item.id)
            if st in counts:
                counts[st] += 1
            else:
                unrated += 1
        rated = sum(counts.values())
        gap = (counts["missing"] + 0.5 * counts["outdated"]) / rated if rated else None
        rows.append({"phase": phase.name, "items": len(phase.items), **counts, "unrated": unrated, "gap": gap})
    frame = pd.DataFrame(rows)
    frame["gap"] = pd.Series([None if pd.isna(v) else float(v) for v in frame["gap"]], dtype=object)
    return frame


def leak_content(kit: EnablementKit, statuses: Mapping[str, str], from_stage: str) -> list[tuple[str, str]]:
    """(item name, status) of content that supports leaving ``from_stage`` and is not in good shape
    ('missing', 'outdated' or 'not rated')."""
    k = _key(from_stage)
    out = []
    for phase in kit.content:
        for item in phase.items:
            if k in {_key(h) for h in item.helps} and statuses.get(item.id) != "have":
                out.append((item.name, statuses.get(item.id, "not rated")))
    return out


def stack_gaps(kit: EnablementKit, stack: Mapping[str, str]) -> list[str]:
    """Tool categories with no tool in use or planned."""
    return [c.name for c in kit.tech_stack if stack.get(c.id, "none") == "none"]


def onboarding_weeks(rows: list[tuple[str, int, int]]) -> int:
    """Length of an onboarding plan: the last week any phase runs to."""
    return max((start + weeks - 1 for _, start, weeks in rows), default=0)
