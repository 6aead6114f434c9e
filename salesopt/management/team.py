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
from datetime import date

import pandas as pd

from salesopt.content import contract
from salesopt.management.attainment import Team, table, team
from salesopt.management.dashboards import coverage
from salesopt.management.performance import QuotaPeriod, forecast_categories, quota_period, won_by_owner
from salesopt.model.assessment import Assessment, QuotaRow

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
    due: float | None  # what is due of the target in the period; None without a target
    attainment: float | None  # won / due
    open_pipeline: float | None  # amount of the open deals; None when open deals carry no amount
    coverage: float | None  # open pipeline / (due - won); None without a target or once it is met
    basis: str = ""  # on what won and due rest, in words


def open_pipeline(deals: pd.DataFrame) -> float | None:
    """Open pipeline (METRICS.md §2): the open deals' amounts; 0 with no open deal; undefined
    (None) when open deals exist and none carries an amount."""
    is_open = deals["status"] == "open"
    if not is_open.any():
        return 0.0
    if "amount" not in deals or not deals.loc[is_open, "amount"].notna().any():
        return None
    return float(deals.loc[is_open, "amount"].sum())


def quota_year(
    people: pd.DataFrame, period: QuotaPeriod | None, target: float | None, team: Team | None = None
) -> QuotaYear:
    """``people``: the deals of the reps shown, every quarter (attainment is judged on the quota's
    period whatever period the dashboards show); ``target``: the yearly target. With a quota table
    (``team``: its reps who have a quota), won and due are those reps' (the same figures as the
    Manager view's team attainment); else everyone's won against the target pro-rated to the period."""
    pipeline = open_pipeline(people)
    if team is not None and team.due:
        return QuotaYear(
            team.actual,
            team.due,
            team.attainment,
            pipeline,
            coverage(pipeline, team.due, team.actual),
            f"the {team.reps:,} rep(s) with a quota",
        )
    won = float(sum(won_by_owner(people, period).values())) if "owner" in people else None
    due = target * (period.share if period is not None else 1.0) if target else None
    attainment = won / due if due and won is not None else None
    return QuotaYear(won, due, attainment, pipeline, coverage(pipeline, due, won or 0.0), "every rep shown")


def team_attainment(reps: pd.DataFrame) -> Team:
    """``reps``: :func:`salesopt.management.performance.rep_table`: the reps who have a quota, their
    actuals against what is due of their quotas; the others apart."""
    return team(reps, rep_column="owner")


def quota_table(
    quotas: Sequence[QuotaRow],
    deals: pd.DataFrame | None,
    as_of: date | None,
    thresholds: Mapping[str, float] | None = None,
) -> tuple[pd.DataFrame, QuotaPeriod | None]:
    """The quota table's attainment and tiers (the Tiers tab, the plan and the rules read this):
    each rep's typed actual, else the export's won revenue (``deals``, the whole book) in the quota
    year to ``as_of``."""
    rows = [(r.rep, r.quota, r.actual) for r in quotas]
    if deals is None:
        return table(rows, None, 1.0, thresholds), None
    period = quota_period(deals, None if as_of is None else pd.Timestamp(as_of))
    won = None
    if "owner" in deals:
        won = {str(o): 0.0 for o in deals["owner"].dropna().unique()} | won_by_owner(deals, period)
    return table(rows, won, period.share if period is not None else 1.0, thresholds), period


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
    open_deals: int  # the rep's open deals
    flagged: int  # of those, the ones with a risk flag


def rep_card(reps: pd.DataFrame, rep: str, open_deals: pd.DataFrame) -> RepCard:
    """``reps``: the rep table; ``open_deals``: the rep's open deals
    (:func:`salesopt.management.dashboards.open_deals_of`, whose ``risk`` is '' when none)."""
    row = reps.set_index("owner").loc[rep]
    flagged = int((open_deals["risk"] != "").sum()) if "risk" in open_deals else 0
    tier = row["tier"]
    return RepCard(
        rep,
        _number(row["actual"]),
        _number(row["due"]),
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
