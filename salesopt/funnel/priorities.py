"""The prioritized open pipeline as the screens show it: the priority mix and the table of the best
open deals (Stage 2 scoring), and the largest open deals to score with a scorecard (Stage 3).

The scores come from salesopt.funnel.scoring and salesopt.qualification.scorecards; this module only
orders, counts and formats them, so the pages draw what it returns."""

from __future__ import annotations

import pandas as pd

from salesopt.report import fmt

PRIORITIES = ("High", "Medium", "Low")
SHOWN = 200  # the Stage 2 table lists this many best deals
LABELS = {
    "opportunity_id": "Opportunity",
    "name": "Name",
    "owner": "Owner",
    "stage": "Stage",
    "amount": "Amount",
    "score": "Score",
    "priority": "Priority",
    "met": "Criteria met",
}


def priority_mix(scored: pd.DataFrame) -> pd.Series:
    """Open deals per priority, High, Medium, Low (0 where none)."""
    return scored["priority"].value_counts().reindex(list(PRIORITIES), fill_value=0)


def prioritized_table(scored: pd.DataFrame, currency: str, limit: int = SHOWN) -> pd.DataFrame:
    """The ``limit`` best scored deals (already best first), amounts as money, columns in words."""
    shown = scored.head(limit)
    if "amount" in shown:
        shown = shown.assign(amount=shown["amount"].map(lambda v: fmt.money(v, currency)))
    return shown.rename(columns=LABELS)


def largest_open(deals: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The ``limit`` largest open deals by amount (the first ones when there are no amounts)."""
    open_deals = deals[deals["status"] == "open"]
    if "amount" in open_deals:
        open_deals = open_deals.sort_values("amount", ascending=False)
    return open_deals.head(limit)


def tier_mix(scored: pd.DataFrame, tier_labels: list[str]) -> pd.Series:
    """Scored deals per scorecard tier, in the order given (0 where none)."""
    return scored["tier"].value_counts().reindex(tier_labels, fill_value=0)
