"""The Stage 5 page's headline figures, computed here so the page only draws them (docs/METRICS-local.md):

- Quota year (executive view): won revenue in the quota's period, the part of the yearly target due
  in it (target x the share of the year the export covers), attainment = won / due, the open
  pipeline and its coverage of what is left to win.
- Team attainment (manager view): the reps shown, their won revenue in the quota year, the sum of
  their (pro-rated) quotas, team attainment = team won / team quota.
- A rep's card (rep view): the rep table's row for the rep, and how many of the rep's open deals
  shown carry a risk flag.
- Capacity: the reps who closed a deal in the last quarter that had any.
- Open deals by forecast category, and reps by performance tier.
- Stage 1's quota per rep: the team quota Stage 1 implies / its quota-carrying reps.

An undefined figure (no quota, no target, no reps) is None, never NaN or a division by zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from salesopt.content import contract
from salesopt.management.dashboards import coverage
from salesopt.management.performance import QuotaPeriod, forecast_categories, won_by_owner
from salesopt.model.assessment import Assessment

TIERS = ("High", "Core", "Struggling")


def _number(value: object) -> float | None:
    """A figure as a float; None for None, NaN, NA and anything that is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return None if value != value else float(value)  # NaN != NaN


@dataclass(frozen=True)
class QuotaYear:
    """The executive view's quota-year figures."""

    won: float | None  # won in the quota's period; None without an owner column
    due: float | None  # the yearly target x the share of the year covered; None without a target
    attainment: float | None  # won / due
    open_pipeline: float  # amount of the open deals (0 without amounts)
    coverage: float | None  # open pipeline / (due - won); None without a target or once it is met


def quota_year(people: pd.DataFrame, period: QuotaPeriod | None, target: float | None) -> QuotaYear:
    """``people``: the deals of the reps shown, every quarter (attainment is judged on the quota's
    period whatever period the dashboards show); ``target``: the yearly target."""
    won = float(sum(won_by_owner(people, period).values())) if "owner" in people else None
    is_open = people["status"] == "open"
    pipeline = float(people.loc[is_open, "amount"].fillna(0).sum()) if "amount" in people else 0.0
    due = target * (period.share if period is not None else 1.0) if target else None
    attainment = won / due if due and won is not None else None
    return QuotaYear(won, due, attainment, pipeline, coverage(pipeline, due, won or 0.0))


@dataclass(frozen=True)
class TeamAttainment:
    """The manager view's team figures, over the reps of the rep table."""

    reps: int
    won: float  # won in the quota year
    quota: float | None  # sum of the reps' quotas for the period; None when none has one
    attainment: float | None  # won / quota


def team_attainment(reps: pd.DataFrame) -> TeamAttainment:
    """``reps``: :func:`salesopt.management.performance.rep_table` (its ``won`` and ``quota``)."""
    if reps.empty:
        return TeamAttainment(0, 0.0, None, None)
    won = float(reps["won"].sum())
    quota = sum(q for q in (_number(v) for v in reps["quota"]) if q) or None
    return TeamAttainment(len(reps), won, quota, won / quota if quota else None)


@dataclass(frozen=True)
class RepCard:
    """The rep view's figures for one rep."""

    rep: str
    won: float | None
    quota: float | None
    attainment: float | None
    tier: str | None
    pipeline: float | None
    coverage: float | None
    open_deals: int  # the rep's open deals in the filters
    flagged: int  # of those, the ones with a risk flag


def rep_card(reps: pd.DataFrame, rep: str, open_deals: pd.DataFrame) -> RepCard:
    """``reps``: the rep table; ``open_deals``: the rep's open deals
    (:func:`salesopt.management.dashboards.open_deals_of`, whose ``risk`` is '' when none)."""
    row = reps.set_index("owner").loc[rep]
    flagged = int((open_deals["risk"] != "").sum()) if "risk" in open_deals else 0
    tier = row["tier"]
    return RepCard(
        rep,
        _number(row["won"]),
        _number(row["quota"]),
        _number(row["attainment"]),
        tier if isinstance(tier, str) and tier else None,
        _number(row["pipeline"]),
        _number(row["coverage"]),
        len(open_deals),
        flagged,
    )


@dataclass(frozen=True)
class Capacity:
    """The reps who closed a deal in the last quarter that had one."""

    quarter: str
    reps: float


def last_capacity(trend: pd.DataFrame) -> Capacity | None:
    """From :func:`salesopt.management.performance.trends`; None without an owner column."""
    if "reps" not in trend or not trend["reps"].notna().any():
        return None
    last = trend.dropna(subset=["reps"]).iloc[-1]
    return Capacity(str(last["quarter"]), float(last["reps"]))


def category_mix(deals: pd.DataFrame, thresholds: Mapping[str, float]) -> pd.DataFrame:
    """Open deals per forecast category (the CRM's, else the probability's by ``thresholds``;
    '(none)' with neither), most first: category, deals."""
    cats = forecast_categories(deals[deals["status"] == "open"], thresholds)
    mix = cats.fillna("(none)").value_counts()
    return pd.DataFrame({"category": mix.index, "deals": mix.to_numpy()})


def tier_counts(table: pd.DataFrame, names: Sequence[str] = TIERS) -> dict[str, int]:
    """Reps per tier of :func:`salesopt.management.performance.tiers` (0 for a tier nobody is in)."""
    counts = table["tier"].value_counts() if "tier" in table else pd.Series(dtype="int64")
    return {name: int(counts.get(name, 0)) for name in names}


def stage1_reps(assessment: Assessment) -> float | None:
    """Stage 1's quota-carrying reps; None when not answered."""
    return _number(assessment.context.answers.get(contract.REP_COUNT))


def quota_per_rep(assessment: Assessment, team_quota: float | None) -> float | None:
    """``team_quota`` (the one Stage 1 implies) / Stage 1's reps; None without either, or at 0 reps."""
    reps = stage1_reps(assessment)
    return team_quota / reps if team_quota and reps else None
