"""Forecast category weights, from frameworks/performance YAML only (METRICS.md §5).

What-if and Stage 5 weigh an open deal by its forecast category with the same weights and give a
deal the CRM left uncategorised the same category: the one its probability falls in by the YAML's
thresholds (:func:`salesopt.management.performance.forecast_categories`). A deal with neither counts as 0.
"""

from __future__ import annotations

import pandas as pd

from salesopt.content.frameworks import Catalog
from salesopt.management.performance import forecast_categories


def category_weights(catalog: Catalog) -> dict[str, float]:
    """Lower-case category -> weight, as the performance YAML gives it (both the Stage 2 SQL and the
    What-if draw compare categories in lower case); empty when that file did not load."""
    kit = catalog.performance()
    return {name.lower(): w for name, w in kit.category_weights.items()} if kit is not None else {}


def categorised(deals: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The deals with ``forecast_category`` as Stage 5 reads it: the CRM's, else the probability's."""
    kit = catalog.performance()
    if kit is None:
        return deals
    return deals.assign(forecast_category=forecast_categories(deals, kit.category_thresholds))


def weighted_inputs(deals: pd.DataFrame, catalog: Catalog) -> tuple[pd.DataFrame, dict[str, float]]:
    """(deals categorised like Stage 5, the YAML's weights): what a category-weighted forecast reads."""
    return categorised(deals, catalog), category_weights(catalog)
