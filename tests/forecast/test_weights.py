"""Forecast category weights come from frameworks/performance YAML only, and What-if and Stage 5
give an uncategorised deal the same category (the one of its probability)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesopt.content.frameworks import Catalog, load_catalog
from salesopt.forecast.montecarlo import deal_probabilities, period_forecast
from salesopt.forecast.weights import categorised, category_weights, weighted_inputs
from salesopt.funnel import analysis as funnel

CATALOG = load_catalog()


def _deals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "amount": [100.0, 200.0, 300.0],
            "forecast_category": ["Commit", None, None],
            "probability": [0.2, 0.75, np.nan],
            "status": ["open"] * 3,
        }
    )


def test_the_weights_are_the_yaml_ones_and_the_code_has_none():
    assert category_weights(CATALOG) == {"commit": 0.9, "best case": 0.7, "pipeline": 0.5, "omitted": 0.0}
    assert set(category_weights(CATALOG)) == {k.lower() for k in CATALOG.performance().category_weights}
    assert not hasattr(funnel, "CATEGORY_WEIGHTS")


def test_an_uncategorised_deal_takes_the_category_of_its_probability():
    # the CRM's Commit stays; 0.75 is at or above Best Case's 0.7 threshold; no probability, no category
    assert categorised(_deals(), CATALOG)["forecast_category"].tolist() == ["Commit", "Best Case", None]


def test_what_if_and_stage_5_weigh_the_same_deals_the_same():
    deals, weights = weighted_inputs(_deals(), CATALOG)
    p, missing = deal_probabilities(deals, "category", category_weights=weights)
    # hand-worked: Commit 0.9, Best Case 0.7, none 0
    assert p.tolist() == pytest.approx([0.9, 0.7, 0.0]) and missing == 1
    pf = period_forecast(deals, 50.0, p, weights)
    assert pf.category_forecast == pytest.approx(50 + 0.9 * 100 + 0.7 * 200)  # 280
    assert pf.category_forecast == pf.probability_forecast


def test_without_the_performance_file_nothing_is_weighted():
    empty = Catalog({}, ())
    assert category_weights(empty) == {}
    assert categorised(_deals(), empty).equals(_deals())
