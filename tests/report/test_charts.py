"""Charts carry the assessment's currency: a EUR chart has no "$" anywhere in its spec, its axis
labels and tooltips write euros, and a hand-worked label reads as the plan writes it."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from salesopt.report import chart_style, charts


def _money_charts(currency: str) -> dict[str, object]:
    months = pd.DataFrame({"month": [0, 1, 2], "cumulative": [-1000.0, 0.0, 2500.0]})
    table = pd.DataFrame({"lever": ["Win rate"], "low": [-1000.0], "high": [1200.0]})
    scen = pd.DataFrame(
        {"scenario": ["Base"], "projected_revenue": [5e6], "gap_to_target": [-1e5], "makes_target": [False]}
    )
    plan = pd.DataFrame({"month": [1, 2], "cumulative_capacity": [1e5, 2e5], "cumulative_target": [1.5e5, 3e5]})
    reps = pd.DataFrame({"owner": ["Ann"], "won": [1e5], "pipeline": [3e5]})
    trend = pd.DataFrame({"quarter": ["2024Q1", "2024Q2"], "won_revenue": [1e5, 2e5]})
    pipe = pd.DataFrame({"stage": ["Demo"], "count": [3], "value": [45_000.0]})
    return {
        "pipeline": charts.pipeline_by_stage(pipe, "value", currency=currency),
        "cash_flow": charts.cash_flow(months, 1.0, currency=currency),
        "tornado": charts.tornado(table, currency=currency),
        "scenarios": charts.scenarios(scen, 5.1e6, currency=currency),
        "capacity": charts.capacity(plan, currency=currency),
        "histogram": charts.histogram([1e5, 2e5, 3e5], {"P50": 2e5}, currency=currency),
        "reps": charts.rep_comparison(reps, currency=currency),
        "trend": charts.trend(trend, "won_revenue", "Won revenue", "money", currency=currency),
        "trend_legacy_format": charts.trend(trend, "won_revenue", "Won revenue", "$~s", currency=currency),
    }


def _spec(chart: object) -> str:
    """The chart's Vega-Lite spec as text, without the "$schema" key every spec carries."""
    data = chart.to_dict()
    data.pop("$schema", None)
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("name", list(_money_charts("EUR")))
def test_a_eur_chart_spec_has_no_dollar(name):
    spec = _spec(_money_charts("EUR")[name])
    assert "$" not in spec
    assert "€" in spec


def test_other_codes_prefix_the_code_and_usd_keeps_the_dollar():
    assert "CHF " in _spec(_money_charts("CHF")["cash_flow"])
    assert "$" in _spec(_money_charts("USD")["cash_flow"])


def test_the_money_label_expression_by_hand():
    # the Vega expression charts put on a money axis: sign, symbol, SI digits with B for billions
    expr = chart_style.money_expr("datum.value", "EUR", "~s")
    assert expr == (
        "(datum.value < 0 ? '-' : '') + \"€\" + replace(replace(format(abs(datum.value), '~s'), 'G', 'B'), 'k', 'K')"
    )
    assert charts.money_axis("GBP").to_dict()["labelExpr"].count("£") == 1


def test_the_rendered_axis_writes_the_currency():
    import re

    import vl_convert as vlc

    months = pd.DataFrame({"month": [0, 1, 2], "cumulative": [-1000.0, 0.0, 2500.0]})
    svg = vlc.vegalite_to_svg(charts.cash_flow(months, 1.0, currency="CHF").to_dict())
    labels = set(re.findall(r">([^<]*CHF[^<]*)<", svg))
    assert {"-CHF 1K", "CHF 0", "CHF 2.5K"} <= labels
    assert not any("$" in t for t in re.findall(r">([^<]*)<", svg))
