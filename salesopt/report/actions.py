"""Monday-morning lists: the open deals to act on now, by rep.

Two lists from the Stage 2 deals table: deals open longer than 1.5x the median won cycle
(stuck), and open deals sitting at the stage the biggest leak starts from (e.g. demoed and
without a proposal). The export's own last date is "today", so a re-run on the same file gives
the same lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

STUCK_FACTOR = 1.5
DEALS_SHOWN_PER_REP = 5


@dataclass(frozen=True)
class RepList:
    """One rep's deals in a list: how many, their amount, and the largest few by name."""

    rep: str
    deals: int
    amount: float | None
    names: tuple[str, ...]


@dataclass(frozen=True)
class ActionList:
    title: str
    rule: str  # which deals and why, in the client's words
    as_of: str
    reps: tuple[RepList, ...]

    @property
    def total(self) -> int:
        return sum(r.deals for r in self.reps)


def _today(deals: pd.DataFrame) -> pd.Timestamp | None:
    from salesopt.management.performance import as_of

    return as_of(deals)


def _by_rep(frame: pd.DataFrame) -> tuple[RepList, ...]:
    if frame.empty:
        return ()
    blank = pd.Series("(no owner)", frame.index)
    owner = frame["owner"].fillna("(no owner)").astype(str) if "owner" in frame else blank
    amount = frame["amount"] if "amount" in frame else pd.Series(float("nan"), frame.index)
    name = frame["name"] if "name" in frame else frame.get("opportunity_id", frame["line"].astype(str))
    work = pd.DataFrame({"owner": owner, "amount": amount, "name": name.fillna("").astype(str)})
    out = []
    for rep, group in work.groupby("owner", sort=False):
        group = group.sort_values("amount", ascending=False, na_position="last")
        total = group["amount"].sum(min_count=1)
        out.append(
            RepList(
                str(rep),
                len(group),
                None if pd.isna(total) else float(total),
                tuple(group["name"].head(DEALS_SHOWN_PER_REP)),
            )
        )
    return tuple(sorted(out, key=lambda r: (-r.deals, -(r.amount or 0), r.rep)))


def stuck_deals(deals: pd.DataFrame, median_cycle_days: float | None) -> ActionList | None:
    """Open deals whose age (today - created date) is past 1.5x the median won cycle."""
    if not median_cycle_days or "created_date" not in deals:
        return None
    today = _today(deals)
    if today is None:
        return None
    open_ = deals[deals["status"] == "open"].dropna(subset=["created_date"])
    age = (today - pd.to_datetime(open_["created_date"])).dt.days
    limit = STUCK_FACTOR * median_cycle_days
    return ActionList(
        "Stuck deals",
        f"open deals created more than {limit:,.0f} days ago (1.5x the median won cycle of "
        f"{median_cycle_days:,.0f} days): requalify, set a next step or close them out",
        f"{today:%Y-%m-%d}",
        _by_rep(open_[age > limit]),
    )


def leak_deals(deals: pd.DataFrame, analysis: Any) -> ActionList | None:
    """Open deals sitting at the stage the biggest leak starts from (e.g. demoed, no proposal yet)."""
    leak = analysis.biggest_leak
    names = [s.stage for s in analysis.stages]
    if leak is None or leak.from_stage not in names or "stage_index" not in deals:
        return None
    i = names.index(leak.from_stage)
    today = _today(deals)
    at = deals[(deals["status"] == "open") & (deals["stage_index"] == i)]
    return ActionList(
        f"At {leak.from_stage}, not yet at {leak.to_stage}",
        f"open deals at {leak.from_stage} that have not reached {leak.to_stage}: book the next step or "
        "qualify them out",
        f"{today:%Y-%m-%d}" if today is not None else "",
        _by_rep(at),
    )


def monday_lists(result: Any) -> list[ActionList]:
    """Both lists that the export supports (empty lists included: none to act on is news too)."""
    a, deals = result.analysis, result.deals
    return [x for x in (leak_deals(deals, a), stuck_deals(deals, a.cycle_days_median)) if x is not None]
