"""Quota attainment, defined once (METRICS.md §6; docs/METRICS-local.md "Attainment"). Every
surface that shows a rep's attainment or tier (the Rep and Manager dashboards, the Tiers tab, the
plan and the recommendation rules) reads it from here.

- A rep's actual: the actual typed in the quota table, for the whole yearly quota; else the won
  revenue the export shows in the quota year (the year ending on the as-of date), set against the
  quota pro-rated to the days of that year the export covers. Attainment = actual / what is due.
- Team attainment = the actuals of the reps who have a quota / what is due of their quotas. The
  reps without a quota are counted apart (their won revenue is not set against anyone's quota).
- Tier: High above the High threshold, Core from the Core threshold, Struggling below
  (frameworks/performance).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

COLUMNS = ["rep", "quota", "due", "actual", "basis", "attainment", "tier"]


@lru_cache(maxsize=1)
def shipped_tier_thresholds() -> tuple[tuple[str, float], ...]:
    """The tier thresholds of the frameworks/performance YAML (the only place they are set)."""
    from salesopt.content.frameworks import load_catalog

    kit = load_catalog().performance()
    return tuple(sorted(kit.tier_thresholds.items())) if kit is not None else ()


def tier(attainment: float | None, thresholds: Mapping[str, float] | None = None) -> str | None:
    """High above the High threshold, Core at or above Core's, else Struggling (None: undefined, or
    no valid thresholds to judge by)."""
    th = dict(shipped_tier_thresholds()) if thresholds is None else dict(thresholds)
    if attainment is None or (isinstance(attainment, float) and np.isnan(attainment)) or not th:
        return None
    return "High" if attainment > th["High"] else "Core" if attainment >= th["Core"] else "Struggling"


@dataclass(frozen=True)
class Attainment:
    actual: float | None  # what the rep is credited with
    due: float | None  # the part of the yearly quota the actual is set against
    value: float | None  # actual / due; None without a quota or an actual
    basis: str | None  # "typed" (the quota table's actual) or "export" (won in the quota year)


def attainment(quota: float | None, typed: float | None, won: float | None, share: float = 1.0) -> Attainment:
    """One rep's attainment: ``typed`` (the quota table's actual) against the whole ``quota``, else
    ``won`` (the export's, in the quota year) against the quota x ``share`` of the year covered."""
    if typed is not None:
        actual, due, basis = typed, quota, "typed"
    elif won is not None:
        actual, due, basis = won, (quota * share if quota else None), "export"
    else:
        actual, due, basis = None, quota, None
    value = actual / due if actual is not None and due else None
    return Attainment(actual, due if due else None, value, basis)


def table(
    quotas: Sequence[tuple[str, float, float | None]],
    won_by_rep: Mapping[str, float] | None,
    share: float = 1.0,
    thresholds: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Per row of the quota table (rep, yearly quota, typed actual or None): quota, due, actual,
    basis, attainment and tier. ``won_by_rep``: the export's won revenue in the quota year of each
    owner in the export (0 for an owner who won nothing); a rep the export does not name has no
    actual (undefined, not 0%)."""
    rows = []
    for rep, quota, typed in quotas:
        found = None if won_by_rep is None else won_by_rep.get(rep)
        won = None if found is None else float(found)
        a = attainment(quota, typed, won, share)
        rows.append(
            {
                "rep": rep,
                "quota": quota,
                "due": a.due,
                "actual": a.actual,
                "basis": a.basis,
                "attainment": a.value,
                "tier": tier(a.value, thresholds),
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype(object).where(frame.notna(), None)


@dataclass(frozen=True)
class Team:
    """Team attainment over the reps who have a quota; the others apart."""

    reps: int  # reps with a quota
    actual: float  # their actuals
    due: float | None  # what is due of their quotas
    attainment: float | None  # actual / due
    yearly_quota: float | None  # their yearly quotas (a quarter's target is a quarter of it)
    without_quota: tuple[str, ...]  # reps shown who have no quota
    won_without_quota: float  # their won revenue in the quota year, not counted


def team(rows: pd.DataFrame, rep_column: str = "rep") -> Team:
    """``rows``: :func:`table` (or the rep table, with ``rep_column='owner'``)."""
    if rows.empty:
        return Team(0, 0.0, None, None, None, (), 0.0)
    quota = pd.to_numeric(rows["quota"], errors="coerce")
    has = quota.notna() & (quota > 0)
    actual = pd.to_numeric(rows["actual"], errors="coerce").fillna(0.0)
    due = pd.to_numeric(rows["due"], errors="coerce").fillna(0.0)
    total_due = float(due[has].sum()) or None
    total = float(actual[has].sum())
    return Team(
        int(has.sum()),
        total,
        total_due,
        total / total_due if total_due else None,
        float(quota[has].sum()) or None,
        tuple(str(r) for r in rows.loc[~has, rep_column]),
        float(actual[~has].sum()),
    )
