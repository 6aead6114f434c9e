"""The team's charts: Stage 4's onboarding timeline, and Stage 5's won and open pipeline per rep and
one figure by quarter (the dashboards' own charts are in salesopt.management.charts)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from salesopt.report.chart_style import BLUE, GREEN, ChartLike, money_axis, money_text, money_tooltip, style


def timeline(plan: pd.DataFrame) -> ChartLike:
    """Onboarding phases as bars over weeks (columns phase, start_week, weeks)."""
    data = plan.assign(end=plan["start_week"] + plan["weeks"])
    chart = (
        alt.Chart(data)
        .mark_bar(color=BLUE, cornerRadius=3)
        .encode(
            x=alt.X("start_week:Q", title="Week", scale=alt.Scale(domainMin=1)),
            x2="end:Q",
            y=alt.Y("phase:N", sort=list(data["phase"]), title=None),
            tooltip=["phase", "start_week", "weeks"],
        )
    )
    return style(chart, height=max(44 * len(data), 140))


def rep_comparison(reps: pd.DataFrame, currency: str = "USD") -> ChartLike:
    """Won and open pipeline per rep (salesopt.management.performance.rep_table)."""
    long = pd.concat(
        [
            pd.DataFrame({"owner": reps["owner"], "amount": reps["won"], "what": "won"}),
            pd.DataFrame({"owner": reps["owner"], "amount": reps["pipeline"], "what": "open pipeline"}),
        ]
    )
    chart = (
        money_text(alt.Chart(long), currency, "amount")
        .mark_bar()
        .encode(
            x=alt.X("amount:Q", title=None, axis=money_axis(currency)),
            y=alt.Y("owner:N", sort=list(reps["owner"]), title=None),
            color=alt.Color(
                "what:N",
                scale=alt.Scale(domain=["won", "open pipeline"], range=[GREEN, BLUE]),
                title=None,
                legend=alt.Legend(orient="bottom"),
            ),
            yOffset="what:N",
            tooltip=["owner", "what", money_tooltip("amount")],
        )
    )
    return style(chart, height=max(46 * len(reps), 160))


def trend(table: pd.DataFrame, field: str, title: str, axis_format: str, currency: str = "USD") -> ChartLike:
    """One figure by quarter (salesopt.management.performance.trends). ``axis_format`` is a d3 format, or
    "money" (a "$" format too, for callers written before) for the assessment's currency."""
    money = axis_format == "money" or "$" in axis_format
    base = money_text(alt.Chart(table), currency, field) if money else alt.Chart(table)
    tip = (
        money_tooltip(field, title)
        if money
        else alt.Tooltip(f"{field}:Q", format=axis_format.replace("~s", ",.0f"), title=title)
    )
    chart = base.mark_line(point=True, color=BLUE, strokeWidth=3).encode(
        x=alt.X("quarter:N", title=None, sort=list(table["quarter"])),
        y=alt.Y(f"{field}:Q", title=title, axis=money_axis(currency) if money else alt.Axis(format=axis_format)),
        tooltip=["quarter", tip],
    )
    return style(chart, height=220)
