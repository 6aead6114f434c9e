"""Stage 2's charts: deals reaching each stage, conversion against benchmark, time in stage, the open
pipeline by stage, win rate by cohort, the loss Pareto, and the open deals' priority mix."""

from __future__ import annotations

import itertools

import altair as alt
import pandas as pd

from salesopt.funnel.analysis import StageRow
from salesopt.report import fmt
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

BELOW, NOT_BELOW = "below benchmark", "at or above benchmark, or none"  # the labels are the colour domain


def funnel(rows: list[StageRow]) -> ChartLike:
    """Deals reaching each stage, with the conversion to the next stage as a label."""
    data = pd.DataFrame(
        {
            "stage": [r.stage for r in rows],
            "reached": [r.reached for r in rows],
            "label": [
                f"{r.reached:,}"
                + (f"  →  {fmt.percent(r.conversion_to_next)}" if r.conversion_to_next is not None else "")
                for r in rows
            ],
            "order": range(len(rows)),
        }
    )
    y = alt.Y("stage:N", sort=list(data["stage"]), title=None)
    bars = (
        alt.Chart(data)
        .mark_bar(color=BLUE, cornerRadiusEnd=3)
        .encode(
            x=alt.X(
                "reached:Q",
                title="Deals that reached the stage",
                scale=alt.Scale(domain=[0, max(data["reached"].max(), 1) * 1.35]),
                axis=COUNT_AXIS,
            ),
            y=y,
            tooltip=[
                alt.Tooltip("stage:N", title="Stage"),
                alt.Tooltip("reached:Q", title="Reached", format=","),
                alt.Tooltip("label:N", title="Reached → next"),
            ],
        )
    )
    text = bars.mark_text(align="left", dx=6, fontSize=FONT, color="#222").encode(text="label:N")
    return style(bars + text, height=max(60 * len(rows), 160))


def conversion_vs_benchmark(rows: list[StageRow]) -> ChartLike:
    """Each transition's conversion; a tick at its benchmark; below-benchmark bars in vermillion."""
    data = pd.DataFrame(
        [
            {
                "transition": f"{r.stage} → {nxt.stage}",
                "conversion": r.conversion_to_next,
                "benchmark": r.benchmark,
                "status": BELOW if r.shortfall is not None and r.shortfall > 0 else NOT_BELOW,
                "order": i,
            }
            for i, (r, nxt) in enumerate(itertools.pairwise(rows))
            if r.conversion_to_next is not None
        ]
    )
    if data.empty:
        data = pd.DataFrame(columns=["transition", "conversion", "benchmark", "status", "order"])
    y = alt.Y("transition:N", sort=list(data["transition"]), title=None)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("conversion:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Conversion"),
            y=y,
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=[BELOW, NOT_BELOW], range=[VERMILLION, BLUE]),
                title=None,
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("transition:N"),
                alt.Tooltip("conversion:Q", format=".1%"),
                alt.Tooltip("benchmark:Q", format=".1%"),
            ],
        )
    )
    ticks = (
        alt.Chart(data)
        .mark_tick(color="#111", thickness=3, size=34)
        .encode(x="benchmark:Q", y=y, tooltip=[alt.Tooltip("benchmark:Q", format=".1%", title="Benchmark")])
    )
    return style(bars + ticks, height=max(60 * len(data), 160))


def time_in_stage(rows: list[StageRow]) -> ChartLike:
    data = pd.DataFrame(
        [
            {"stage": r.stage, "median": r.time_median_days, "mean": r.time_mean_days, "order": i}
            for i, r in enumerate(rows)
            if r.time_median_days is not None
        ]
    )
    chart = (
        alt.Chart(data)
        .mark_bar(color=SKY)
        .encode(
            x=alt.X("median:Q", title="Median days in stage", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("stage:N", sort=list(data["stage"]) if "stage" in data else None, title=None),
            tooltip=[
                alt.Tooltip("stage:N"),
                alt.Tooltip("median:Q", format=".1f"),
                alt.Tooltip("mean:Q", format=".1f"),
            ],
        )
    )
    return style(chart, height=max(50 * len(data), 140))


def pipeline_by_stage(data: pd.DataFrame, by: str = "count", currency: str = "USD") -> ChartLike:
    """Open deals per stage (salesopt.funnel.analysis.pipeline_by_stage), by count or by value."""
    field = "count" if by == "count" else "value"
    title = "Open deals" if by == "count" else "Open pipeline value"
    chart = (
        money_text(alt.Chart(data), currency, "value")
        .mark_bar(color=BLUE if by == "count" else GREEN)
        .encode(
            x=alt.X(f"{field}:Q", title=title, axis=COUNT_AXIS if by == "count" else money_axis(currency)),
            y=alt.Y("stage:N", sort=list(data["stage"]), title=None),
            tooltip=[
                alt.Tooltip("stage:N"),
                alt.Tooltip("count:Q", format=","),
                money_tooltip("value"),
            ],
        )
    )
    return style(chart, height=max(50 * len(data), 140))


def cohort_win_rates(table: pd.DataFrame, key: str, overall: float | None) -> ChartLike:
    """Win rate per cohort; small groups pale; outliers in vermillion; the overall rate as a rule."""
    data = table.copy()
    data["win_rate"] = pd.to_numeric(data["win_rate"], errors="coerce")
    data["group"] = [
        "outlier" if o else ("small group" if s else "cohort")
        for o, s in zip(data["outlier"], data["small"], strict=True)
    ]
    data[key] = data[key].astype(str)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("win_rate:Q", axis=alt.Axis(format="%"), title="Win rate, won / (won + lost)"),
            y=alt.Y(f"{key}:N", sort="-x", title=None),
            color=alt.Color(
                "group:N",
                scale=alt.Scale(domain=["cohort", "outlier", "small group"], range=[BLUE, VERMILLION, "#c9dcea"]),
                title=None,
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip(f"{key}:N"),
                alt.Tooltip("win_rate:Q", format=".1%"),
                alt.Tooltip("won:Q"),
                alt.Tooltip("lost:Q"),
                alt.Tooltip("opportunities:Q", format=","),
            ],
        )
    )
    layers = bars
    if overall is not None:
        rule = (
            alt.Chart(pd.DataFrame({"overall": [overall]}))
            .mark_rule(color=ORANGE, strokeWidth=3)
            .encode(x="overall:Q", tooltip=[alt.Tooltip("overall:Q", format=".1%", title="All deals")])
        )
        layers = bars + rule
    return style(layers, height=max(42 * len(data), 160))


def loss_pareto(counts: pd.DataFrame) -> ChartLike:
    """Lost deals per reason (salesopt.funnel.analysis.loss_counts), largest first, cumulative share as a line."""
    x = alt.X("reason:N", sort=list(counts["reason"]), title=None, axis=alt.Axis(labelAngle=-30))
    bars = (
        alt.Chart(counts)
        .mark_bar(color=VERMILLION)
        .encode(
            x=x,
            y=alt.Y("lost:Q", title="Lost deals", axis=COUNT_AXIS),
            tooltip=["reason", alt.Tooltip("lost:Q", format=",")],
        )
    )
    line = (
        alt.Chart(counts)
        .mark_line(color="#111", point=True)
        .encode(
            x=x,
            y=alt.Y("cumulative:Q", axis=alt.Axis(format="%"), title="Cumulative share"),
            tooltip=[alt.Tooltip("cumulative:Q", format=".0%")],
        )
    )
    return style(alt.layer(bars, line).resolve_scale(y="independent"))


def priority_mix(mix: pd.Series) -> ChartLike:
    """Open deals per priority tier (High / Medium / Low)."""
    data = pd.DataFrame({"priority": list(mix.index), "deals": [int(v) for v in mix.to_numpy()]})
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("deals:Q", title="Open deals", axis=COUNT_AXIS),
            y=alt.Y("priority:N", sort=list(data["priority"]), title=None),
            color=alt.Color(
                "priority:N",
                scale=alt.Scale(domain=["High", "Medium", "Low"], range=[GREEN, ORANGE, GREY]),
                legend=None,
            ),
            tooltip=["priority", alt.Tooltip("deals:Q", format=",")],
        )
    )
    return style(chart, height=160)
