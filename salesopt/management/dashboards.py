"""The Stage 5 dashboards' own figures, from the imported opportunities (one upload feeds the rep,
manager and executive views): the filters, revenue actual vs forecast vs target by quarter,
pipeline by rep and stage, revenue per rep, and a rep's open deals with their age and risk.

- Filters: a period (quarters of the close date, expected close for open deals), owners, teams and
  segments (only the columns the export has).
- Forecast by quarter = won in the quarter + the open deals expected to close in it x their forecast
  category's weight (frameworks/performance). An open deal whose close date has passed is counted in
  the as-of quarter: it has not closed, so it can only close from now on.
- Target by quarter = the yearly target / 4.
- Revenue per rep by quarter = won revenue / the reps who closed a deal in that quarter.
- A deal's age = calendar days from its created date to the as-of date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesopt.management.performance import as_of, forecast_categories, risk_flags

FILTER_COLUMNS = (("team", "Team"), ("segment", "Segment"))


@dataclass(frozen=True)
class Filters:
    """What the dashboards are cut to: quarters (inclusive, as 'YYYYQn'), owners, and values of the
    filter columns. Empty means everything."""

    first_quarter: str | None = None
    last_quarter: str | None = None
    owners: tuple[str, ...] = ()
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()


def deal_quarter(deals: pd.DataFrame) -> pd.Series:
    """Each deal's quarter: its close date (expected close for open deals), as 'YYYYQn' (None without one)."""
    if "close_date" not in deals:
        return pd.Series(None, index=deals.index, dtype=object)
    q: pd.Series[str] = deals["close_date"].dt.to_period("Q").astype(str)
    return q.where(deals["close_date"].notna(), None)


def quarters(deals: pd.DataFrame) -> list[str]:
    """The quarters the export's deals close in, in order."""
    return sorted(q for q in deal_quarter(deals).dropna().unique())


def filter_options(deals: pd.DataFrame) -> dict[str, list[str]]:
    """The filter columns the export has, with their values (owners under 'owner')."""
    out = {}
    for col in ("owner", *(c for c, _ in FILTER_COLUMNS)):
        if col in deals and deals[col].notna().any():
            out[col] = sorted(deals[col].dropna().astype(str).unique())
    return out


def apply_filters(deals: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The deals inside the filters."""
    keep = pd.Series(True, index=deals.index)
    if filters.first_quarter or filters.last_quarter:
        q = deal_quarter(deals)
        if filters.first_quarter:
            keep &= q.notna() & (q >= filters.first_quarter)
        if filters.last_quarter:
            keep &= q.notna() & (q <= filters.last_quarter)
    if filters.owners and "owner" in deals:
        keep &= deals["owner"].astype(str).isin(filters.owners)
    for col, values in filters.values:
        if values and col in deals:
            keep &= deals[col].astype(str).isin(values)
    return deals[keep]


def revenue_by_quarter(
    deals: pd.DataFrame,
    weights: Mapping[str, float],
    thresholds: Mapping[str, float],
    yearly_target: float | None,
    today: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Per quarter: won (actual), forecast (won + weighted open deals) and target (a quarter of the
    yearly target; None without one). Quarters with no deal are left out. ``today``: the book's
    as-of date (an overdue open deal counts in its quarter); when not given, the latest event of
    ``deals``, which must then be the whole book."""
    columns = ["quarter", "actual", "forecast", "target"]
    if "close_date" not in deals or deals["close_date"].isna().all():
        return pd.DataFrame(columns=columns)
    amount = deals["amount"].fillna(0) if "amount" in deals else pd.Series(0.0, index=deals.index)
    q = deal_quarter(deals)
    today = as_of(deals) if today is None else today
    if today is not None:
        now = pd.Timestamp(today).to_period("Q")
        slipped = (deals["status"] == "open") & (deals["close_date"].dt.to_period("Q") < now)
        q = q.where(~slipped, str(now))
    is_open = deals["status"] == "open"
    cats = forecast_categories(deals[is_open], thresholds)
    weight = pd.Series(0.0, index=deals.index)
    weight[is_open] = np.array([float(weights.get(c, 0.0)) if c else 0.0 for c in cats], dtype=float)
    frame = pd.DataFrame(
        {
            "quarter": q,
            "actual": amount.where(deals["status"] == "won", 0.0),
            "weighted": amount * weight,
        }
    ).dropna(subset=["quarter"])
    g = frame.groupby("quarter")[["actual", "weighted"]].sum().sort_index()
    out = pd.DataFrame(
        {
            "quarter": g.index,
            "actual": g["actual"].to_numpy(),
            "forecast": (g["actual"] + g["weighted"]).to_numpy(),
            "target": [yearly_target / 4 if yearly_target else None] * len(g),
        }
    )
    return out.reset_index(drop=True)


def pipeline_by_rep_and_stage(deals: pd.DataFrame) -> pd.DataFrame:
    """Open pipeline by owner and stage (long form: owner, stage, amount, deals), stages in funnel order."""
    columns = ["owner", "stage", "amount", "deals"]
    if "owner" not in deals or "stage" not in deals:
        return pd.DataFrame(columns=columns)
    open_deals = deals[deals["status"] == "open"]
    if open_deals.empty:
        return pd.DataFrame(columns=columns)
    amount = open_deals["amount"].fillna(0) if "amount" in open_deals else pd.Series(0.0, index=open_deals.index)
    frame = pd.DataFrame(
        {"owner": open_deals["owner"].fillna("(no owner)").astype(str), "stage": open_deals["stage"], "amount": amount}
    )
    out = frame.groupby(["owner", "stage"], observed=True).agg(amount=("amount", "sum"), deals=("amount", "size"))
    return out.reset_index()


def revenue_per_rep(deals: pd.DataFrame) -> pd.DataFrame:
    """Per quarter of close date: won revenue, the reps who closed a deal in it, won revenue per rep."""
    columns = ["quarter", "won_revenue", "reps", "revenue_per_rep"]
    closed = deals[deals["status"] != "open"]
    if "owner" not in closed or "close_date" not in closed or closed["close_date"].isna().all():
        return pd.DataFrame(columns=columns)
    amount = closed["amount"].fillna(0) if "amount" in closed else pd.Series(0.0, index=closed.index)
    frame = pd.DataFrame(
        {
            "quarter": closed["close_date"].dt.to_period("Q").astype(str),
            "won": amount.where(closed["status"] == "won", 0.0),
            "owner": closed["owner"],
        }
    )[closed["close_date"].notna()]
    g = frame.groupby("quarter").agg(won_revenue=("won", "sum"), reps=("owner", "nunique")).sort_index()
    g["revenue_per_rep"] = [w / r if r else None for w, r in zip(g["won_revenue"], g["reps"], strict=True)]
    return g.reset_index()


def open_deals_of(
    deals: pd.DataFrame, owners: Sequence[str], median_cycle_days: float | None, today: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Open deals of ``owners`` (all owners when empty), oldest first: id, name, owner, stage, amount,
    expected close, age in days at ``today`` (the book's as-of date), next step (when the export
    has it) and risk flags ('' when none)."""
    open_deals = deals[deals["status"] == "open"]
    if owners and "owner" in open_deals:
        open_deals = open_deals[open_deals["owner"].astype(str).isin(owners)]
    cols = [
        c for c in ("opportunity_id", "name", "owner", "stage", "amount", "close_date", "next_step") if c in open_deals
    ]
    out = open_deals[cols].copy()
    today = as_of(deals) if today is None else today
    if today is not None and "created_date" in open_deals:
        age = (pd.Timestamp(today).normalize() - open_deals["created_date"].dt.normalize()).dt.days
        out.insert(len(out.columns) - ("next_step" in out), "age_days", age.astype("Float64"))
    flags = risk_flags(deals, median_cycle_days, today)
    by_id = (
        dict(zip(flags["opportunity_id"], flags["flags"], strict=True))
        if "opportunity_id" in flags and "opportunity_id" in out
        else {}
    )
    out["risk"] = [by_id.get(i, "") for i in out["opportunity_id"]] if "opportunity_id" in out else ""
    if "age_days" in out:
        out = out.sort_values("age_days", ascending=False, na_position="last")
    return out.reset_index(drop=True)


def flagged_by_rep(flags: pd.DataFrame) -> pd.DataFrame:
    """Risk-flagged open deals per owner: deals and amount, most first."""
    if flags.empty or "owner" not in flags:
        return pd.DataFrame(columns=["owner", "deals", "amount"])
    amount = flags["amount"].fillna(0) if "amount" in flags else pd.Series(0.0, index=flags.index)
    g = (
        pd.DataFrame({"owner": flags["owner"].fillna("(no owner)").astype(str), "amount": amount})
        .groupby("owner")
        .agg(deals=("amount", "size"), amount=("amount", "sum"))
        .sort_values(["deals", "amount"], ascending=False)
    )
    return g.reset_index()


def coverage(open_pipeline: float | None, target: float | None, won: float) -> float | None:
    """Open pipeline / what is left to win of the target (undefined without a target or pipeline,
    or once the target is met)."""
    if open_pipeline is None or not target or target <= won or np.isnan(open_pipeline):
        return None
    return open_pipeline / (target - won)


def yearly_target(quotas: Mapping[str, float], implied_quota: float | None, owners: Sequence[str] = ()) -> float | None:
    """The yearly target of the reps shown: the quota table's total over ``owners`` (every rep when
    empty), else the quota Stage 1 implies (for the whole team: None under a rep filter, since it
    says nothing of one rep's share)."""
    total = sum(q for rep, q in quotas.items() if q and (not owners or rep in owners))
    if total:
        return total
    return None if owners else implied_quota or None
