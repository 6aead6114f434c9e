"""Altair charts of the Stage 5 dashboards (salesopt.management.dashboards): revenue actual vs forecast vs
target, pipeline by rep and stage, attainment by rep with its tiers, a figure by quarter. Okabe-Ito
colours; money axes in the assessment's currency (named in the title, never a hard "$")."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from salesopt.report.chart_style import BLUE, GREEN, GREY, ORANGE, SKY, VERMILLION, ChartLike, style

STAGE_COLOURS = [BLUE, ORANGE, GREEN, SKY, VERMILLION, "#CC79A7", "#F0E442", GREY]
TIER_COLOURS = {"High": GREEN, "Core": BLUE, "Struggling": VERMILLION, "No quota": GREY}


def revenue_vs_target(table: pd.DataFrame, currency: str) -> ChartLike:
    """Won revenue by quarter as bars; the forecast and the target as lines over them."""
    long = table.melt(id_vars="quarter", value_vars=["actual", "forecast", "target"], var_name="what")
    long["what"] = long["what"].map({"actual": "Won", "forecast": "Forecast", "target": "Target"})
    long = long.dropna(subset=["value"])
    order = list(table["quarter"])
    x = alt.X("quarter:N", sort=order, title=None)
    y_title = f"Revenue ({currency})"
    tooltip = [
        alt.Tooltip("quarter:N", title="Quarter"),
        alt.Tooltip("what:N", title="Series"),
        alt.Tooltip("value:Q", title=y_title, format=",.0f"),
    ]
    colour = alt.Color(
        "what:N",
        scale=alt.Scale(domain=["Won", "Forecast", "Target"], range=[BLUE, ORANGE, GREY]),
        title=None,
        legend=alt.Legend(orient="bottom"),
    )
    bars = (
        alt.Chart(long[long["what"] == "Won"])
        .mark_bar(opacity=0.85)
        .encode(x=x, y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format="~s")), color=colour, tooltip=tooltip)
    )
    lines = (
        alt.Chart(long[long["what"] != "Won"])
        .mark_line(point=True, strokeWidth=3)
        .encode(
            x=x,
            y="value:Q",
            color=colour,
            strokeDash=alt.StrokeDash(
                "what:N", scale=alt.Scale(domain=["Forecast", "Target"], range=[[1, 0], [6, 4]]), legend=None
            ),
            tooltip=tooltip,
        )
    )
    return style(alt.layer(bars, lines), height=320)


def pipeline_by_rep_and_stage(long: pd.DataFrame, stages: list[str], currency: str) -> ChartLike:
    """Open pipeline per rep, stacked by stage in funnel order."""
    order = list(long.groupby("owner")["amount"].sum().sort_values(ascending=False).index)
    present = [s for s in stages if s in set(long["stage"])] + sorted(set(long["stage"]) - set(stages))
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("sum(amount):Q", title=f"Open pipeline ({currency})", axis=alt.Axis(format="~s")),
            y=alt.Y("owner:N", sort=order, title=None),
            color=alt.Color(
                "stage:N",
                scale=alt.Scale(domain=present, range=STAGE_COLOURS[: len(present)] or [BLUE]),
                sort=present,
                title="Stage",
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("stage_order:Q"),
            tooltip=[
                alt.Tooltip("owner:N", title="Rep"),
                alt.Tooltip("stage:N", title="Stage"),
                alt.Tooltip("amount:Q", title=f"Open pipeline ({currency})", format=",.0f"),
                alt.Tooltip("deals:Q", title="Deals"),
            ],
        )
        .transform_calculate(stage_order=f"indexof({present!r}, datum.stage)")
    )
    return style(chart, height=max(40 * len(order), 160))


def attainment_by_rep(reps: pd.DataFrame, thresholds: Mapping[str, float]) -> ChartLike:
    """Attainment per rep coloured by tier, with the tier thresholds as rules."""
    data = reps[["owner", "attainment", "tier"]].copy()
    data["tier"] = data["tier"].fillna("No quota")
    data["attainment"] = data["attainment"].astype(float)
    data = data.dropna(subset=["attainment"])
    order = list(data.sort_values("attainment", ascending=False)["owner"])
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("attainment:Q", title="Quota attainment", axis=alt.Axis(format="%")),
            y=alt.Y("owner:N", sort=order, title=None),
            color=alt.Color(
                "tier:N",
                scale=alt.Scale(domain=list(TIER_COLOURS), range=list(TIER_COLOURS.values())),
                title="Tier",
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("owner:N", title="Rep"),
                alt.Tooltip("attainment:Q", title="Attainment", format=".0%"),
                alt.Tooltip("tier:N", title="Tier"),
            ],
        )
    )
    rules = (
        alt.Chart(pd.DataFrame({"x": sorted(thresholds.values())}))
        .mark_rule(color="#333333", strokeDash=[4, 3])
        .encode(x="x:Q")
    )
    return style(alt.layer(bars, rules), height=max(40 * len(order), 160))


def by_quarter(table: pd.DataFrame, field: str, title: str, axis_format: str) -> ChartLike:
    """One figure by quarter as a line (axis_format: '~s' for money, '%' for rates, ',.0f' for days)."""
    data = table[["quarter", field]].dropna()
    chart = (
        alt.Chart(data)
        .mark_line(point=True, color=BLUE, strokeWidth=3)
        .encode(
            x=alt.X("quarter:N", title=None, sort=list(data["quarter"])),
            y=alt.Y(f"{field}:Q", title=title, axis=alt.Axis(format=axis_format)),
            tooltip=[
                alt.Tooltip("quarter:N", title="Quarter"),
                alt.Tooltip(f"{field}:Q", title=title, format=axis_format.replace("~s", ",.0f")),
            ],
        )
    )
    return style(chart, height=240)
