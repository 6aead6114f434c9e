"""The money charts of the business case and the what-if: cumulative cash flow with the payback
point, the tornado of lever sensitivities, scenarios against the target, capacity against the
target month by month, and the Monte Carlo's histogram of revenue."""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from salesopt.report.chart_style import (
    BLUE,
    COUNT_AXIS,
    FONT,
    GREEN,
    GREY,
    ORANGE,
    SKY,
    VERMILLION,
    ChartLike,
    money_axis,
    money_text,
    money_tooltip,
    style,
)

if TYPE_CHECKING:
    import numpy as np


def cash_flow(flow: pd.DataFrame, payback_months: float | None, currency: str = "USD") -> ChartLike:
    """Cumulative net cash by month (columns month, cumulative), with the payback point."""
    line = (
        money_text(alt.Chart(flow), currency, "cumulative")
        .mark_line(color=BLUE, strokeWidth=3)
        .encode(
            x=alt.X("month:Q", title="Month"),
            y=alt.Y("cumulative:Q", title="Cumulative net cash", axis=money_axis(currency)),
            tooltip=[alt.Tooltip("month:Q"), money_tooltip("cumulative")],
        )
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=GREY).encode(y="y:Q")
    layers = line + zero
    if payback_months is not None and payback_months <= flow["month"].max():
        point = alt.Chart(
            pd.DataFrame(
                {"month": [payback_months], "cumulative": [0.0], "label": [f"payback: {payback_months:.1f} months"]}
            )
        )
        layers = (
            layers
            + point.mark_point(color=VERMILLION, size=200, filled=True).encode(
                x="month:Q", y="cumulative:Q", tooltip=["label:N"]
            )
            + point.mark_text(dy=-18, fontSize=FONT, color=VERMILLION).encode(
                x="month:Q", y="cumulative:Q", text="label:N"
            )
        )
    return style(layers)


def tornado(table: pd.DataFrame, currency: str = "USD") -> ChartLike:
    """Revenue change for -10% / +10% on each lever (salesopt.forecast.whatif.sensitivity), biggest swing on top."""
    long = pd.concat(
        [
            pd.DataFrame({"lever": table["lever"], "change": table["low"], "move": "-10%"}),
            pd.DataFrame({"lever": table["lever"], "change": table["high"], "move": "+10%"}),
        ]
    )
    chart = (
        money_text(alt.Chart(long), currency, "change")
        .mark_bar()
        .encode(
            x=alt.X("change:Q", title="Change in projected revenue per year", axis=money_axis(currency)),
            y=alt.Y("lever:N", sort=list(table["lever"]), title=None),
            color=alt.Color(
                "move:N",
                scale=alt.Scale(domain=["-10%", "+10%"], range=[VERMILLION, BLUE]),
                title=None,
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=["lever", "move", money_tooltip("change")],
        )
    )
    return style(chart, height=max(40 * len(table), 160))


def scenarios(table: pd.DataFrame, target: float, currency: str = "USD") -> ChartLike:
    """Projected revenue per scenario against the target (salesopt.forecast.whatif.compare)."""
    bars = (
        money_text(alt.Chart(table), currency, "projected_revenue", "gap_to_target")
        .mark_bar()
        .encode(
            x=alt.X("projected_revenue:Q", title="Projected revenue per year", axis=money_axis(currency)),
            y=alt.Y("scenario:N", sort=list(table["scenario"]), title=None),
            color=alt.condition(alt.datum.makes_target, alt.value(GREEN), alt.value(BLUE)),
            tooltip=[
                "scenario",
                money_tooltip("projected_revenue"),
                money_tooltip("gap_to_target"),
            ],
        )
    )
    rule = (
        money_text(alt.Chart(pd.DataFrame({"target": [target]})), currency, "target")
        .mark_rule(color=ORANGE, strokeWidth=3)
        .encode(x="target:Q", tooltip=[money_tooltip("target", "Target")])
    )
    return style(bars + rule, height=max(48 * len(table), 140))


def capacity(plan: pd.DataFrame, currency: str = "USD") -> ChartLike:
    """Cumulative capacity against the cumulative target, month by month."""
    long = pd.concat(
        [
            pd.DataFrame({"month": plan["month"], "value": plan["cumulative_capacity"], "series": "capacity"}),
            pd.DataFrame({"month": plan["month"], "value": plan["cumulative_target"], "series": "target"}),
        ]
    )
    chart = (
        money_text(alt.Chart(long), currency, "value")
        .mark_line(point=True, strokeWidth=3)
        .encode(
            x=alt.X("month:O", title="Month"),
            y=alt.Y("value:Q", title="Cumulative revenue", axis=money_axis(currency)),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=["capacity", "target"], range=[BLUE, ORANGE]),
                title=None,
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=["capacity", "target"], range=[[1, 0], [6, 4]]), legend=None
            ),
            tooltip=["month", "series", money_tooltip("value")],
        )
    )
    return style(chart)


def histogram(
    trials: list[float] | pd.Series | np.ndarray, marks: dict[str, float], currency: str = "USD"
) -> ChartLike:
    """Distribution of simulated revenue with P10/P50/P90 (and the target) as rules. Binned here
    (40 bins) so the chart carries 40 rows, not one per trial."""
    import numpy as np

    counts, edges = np.histogram(np.asarray(trials, dtype=float), bins=40)
    data = pd.DataFrame({"start": edges[:-1], "end": edges[1:], "trials": counts})
    bars = (
        money_text(alt.Chart(data), currency, "start", "end")
        .mark_rect(color=SKY, stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("start:Q", title="Revenue in the period", axis=money_axis(currency)),
            x2="end:Q",
            y=alt.Y("trials:Q", title="Trials", axis=COUNT_AXIS),
            y2=alt.datum(0),
            tooltip=[money_tooltip("start", "from"), money_tooltip("end", "to"), "trials"],
        )
    )
    rules = pd.DataFrame({"mark": list(marks), "value": list(marks.values())})
    lines = (
        money_text(alt.Chart(rules), currency, "value")
        .mark_rule(strokeWidth=3)
        .encode(
            x="value:Q",
            color=alt.Color(
                "mark:N",
                scale=alt.Scale(domain=list(marks), range=[VERMILLION, "#111", GREEN, ORANGE][: len(marks)]),
                title=None,
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=["mark", money_tooltip("value")],
        )
    )
    return style(bars + lines)
