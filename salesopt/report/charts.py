"""Altair chart builders: colour-blind-safe (Okabe-Ito), large type for a projector.

Each takes results from salesopt (no I/O, no streamlit) and returns an Altair chart.
"""

from __future__ import annotations

import itertools
import json
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from salesopt.funnel.analysis import StageRow
from salesopt.report import fmt

if TYPE_CHECKING:
    import numpy as np

BLUE, ORANGE, VERMILLION, SKY, GREEN, GREY = "#0072B2", "#E69F00", "#D55E00", "#56B4E9", "#009E73", "#999999"
FONT = 15


def _style(chart: alt.Chart, height: int = 320) -> alt.Chart:
    return (
        chart.properties(height=height)
        .configure_axis(labelFontSize=FONT, titleFontSize=FONT + 1, labelLimit=260)
        .configure_legend(labelFontSize=FONT, titleFontSize=FONT, labelLimit=400)
        .configure_title(fontSize=FONT + 3)
        .configure_view(strokeWidth=0)
    )


def _prefix(currency: str) -> str:
    return fmt.SYMBOLS.get(currency, currency + " ")


def _money_expr(value: str, currency: str, spec: str) -> str:
    """A Vega expression writing ``value`` as money in the currency (d3 ``spec``), with the plan's
    suffixes (fmt.money: K, M, B rather than d3's k, M, G)."""
    text = f"replace(replace(format(abs({value}), '{spec}'), 'G', 'B'), 'k', 'K')"
    return f"({value} < 0 ? '-' : '') + {json.dumps(_prefix(currency), ensure_ascii=False)} + {text}"


def money_axis(currency: str) -> alt.Axis:
    """An axis labelled in the assessment's currency: €1.2M, CHF 50k."""
    return alt.Axis(labelExpr=_money_expr("datum.value", currency, "~s"))


def _money_text(chart: alt.Chart, currency: str, *fields: str) -> alt.Chart:
    """The chart with a ``<field>_money`` text column per money field, for tooltips in the currency."""
    return chart.transform_calculate(**{f"{f}_money": _money_expr(f"datum['{f}']", currency, ",.0f") for f in fields})


def money_tooltip(field: str, title: str | None = None) -> alt.Tooltip:
    """The tooltip of a money field added by :func:`_money_text`."""
    return alt.Tooltip(f"{field}_money:N", title=title or field)


def funnel(rows: list[StageRow]) -> alt.Chart:
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
    return _style(bars + text, height=max(60 * len(rows), 160))


COUNT_AXIS = alt.Axis(format=",d", tickMinStep=1)  # counts are whole: no 0.05 deals on an axis
BELOW, NOT_BELOW = "below benchmark", "at or above benchmark, or none"  # the labels are the colour domain


def conversion_vs_benchmark(rows: list[StageRow]) -> alt.Chart:
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
    return _style(bars + ticks, height=max(60 * len(data), 160))


def time_in_stage(rows: list[StageRow]) -> alt.Chart:
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
    return _style(chart, height=max(50 * len(data), 140))


def pipeline_by_stage(data: pd.DataFrame, by: str = "count", currency: str = "USD") -> alt.Chart:
    """Open deals per stage (salesopt.funnel.analysis.pipeline_by_stage), by count or by value."""
    field = "count" if by == "count" else "value"
    title = "Open deals" if by == "count" else "Open pipeline value"
    chart = (
        _money_text(alt.Chart(data), currency, "value")
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
    return _style(chart, height=max(50 * len(data), 140))


def cohort_win_rates(table: pd.DataFrame, key: str, overall: float | None) -> alt.Chart:
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
    return _style(layers, height=max(42 * len(data), 160))


def loss_pareto(counts: pd.DataFrame) -> alt.Chart:
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
    return _style(alt.layer(bars, line).resolve_scale(y="independent"))


def priority_mix(mix: pd.Series) -> alt.Chart:
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
    return _style(chart, height=160)


def cash_flow(flow: pd.DataFrame, payback_months: float | None, currency: str = "USD") -> alt.Chart:
    """Cumulative net cash by month (columns month, cumulative), with the payback point."""
    line = (
        _money_text(alt.Chart(flow), currency, "cumulative")
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
    return _style(layers)


def tornado(table: pd.DataFrame, currency: str = "USD") -> alt.Chart:
    """Revenue change for -10% / +10% on each lever (salesopt.forecast.whatif.sensitivity), biggest swing on top."""
    long = pd.concat(
        [
            pd.DataFrame({"lever": table["lever"], "change": table["low"], "move": "-10%"}),
            pd.DataFrame({"lever": table["lever"], "change": table["high"], "move": "+10%"}),
        ]
    )
    chart = (
        _money_text(alt.Chart(long), currency, "change")
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
    return _style(chart, height=max(40 * len(table), 160))


def scenarios(table: pd.DataFrame, target: float, currency: str = "USD") -> alt.Chart:
    """Projected revenue per scenario against the target (salesopt.forecast.whatif.compare)."""
    bars = (
        _money_text(alt.Chart(table), currency, "projected_revenue", "gap_to_target")
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
        _money_text(alt.Chart(pd.DataFrame({"target": [target]})), currency, "target")
        .mark_rule(color=ORANGE, strokeWidth=3)
        .encode(x="target:Q", tooltip=[money_tooltip("target", "Target")])
    )
    return _style(bars + rule, height=max(48 * len(table), 140))


def capacity(plan: pd.DataFrame, currency: str = "USD") -> alt.Chart:
    """Cumulative capacity against the cumulative target, month by month."""
    long = pd.concat(
        [
            pd.DataFrame({"month": plan["month"], "value": plan["cumulative_capacity"], "series": "capacity"}),
            pd.DataFrame({"month": plan["month"], "value": plan["cumulative_target"], "series": "target"}),
        ]
    )
    chart = (
        _money_text(alt.Chart(long), currency, "value")
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
    return _style(chart)


def histogram(
    trials: list[float] | pd.Series | np.ndarray, marks: dict[str, float], currency: str = "USD"
) -> alt.Chart:
    """Distribution of simulated revenue with P10/P50/P90 (and the target) as rules. Binned here
    (40 bins) so the chart carries 40 rows, not one per trial."""
    import numpy as np

    counts, edges = np.histogram(np.asarray(trials, dtype=float), bins=40)
    data = pd.DataFrame({"start": edges[:-1], "end": edges[1:], "trials": counts})
    bars = (
        _money_text(alt.Chart(data), currency, "start", "end")
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
        _money_text(alt.Chart(rules), currency, "value")
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
    return _style(bars + lines)


def timeline(plan: pd.DataFrame) -> alt.Chart:
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
    return _style(chart, height=max(44 * len(data), 140))


def rep_comparison(reps: pd.DataFrame, currency: str = "USD") -> alt.Chart:
    """Won and open pipeline per rep (salesopt.management.performance.rep_table)."""
    long = pd.concat(
        [
            pd.DataFrame({"owner": reps["owner"], "amount": reps["won"], "what": "won"}),
            pd.DataFrame({"owner": reps["owner"], "amount": reps["pipeline"], "what": "open pipeline"}),
        ]
    )
    chart = (
        _money_text(alt.Chart(long), currency, "amount")
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
    return _style(chart, height=max(46 * len(reps), 160))


def trend(table: pd.DataFrame, field: str, title: str, axis_format: str, currency: str = "USD") -> alt.Chart:
    """One figure by quarter (salesopt.management.performance.trends). ``axis_format`` is a d3 format, or
    "money" (a "$" format too, for callers written before) for the assessment's currency."""
    money = axis_format == "money" or "$" in axis_format
    base = _money_text(alt.Chart(table), currency, field) if money else alt.Chart(table)
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
    return _style(chart, height=220)


DOC_WIDTH = 640  # px at 96 dpi: the PDF's text width (A4 less 2 x 18 mm), the HTML's column
DOC_FONT = 12  # px: 9 pt, a step below the 9.5 pt body text (the projector's FONT is 15)
DOC_ROW = 30  # px per bar row in a document (the screen uses 40-60)


def for_document(chart: alt.Chart) -> dict:
    """The chart's Vega-Lite spec sized for a printed page: the whole chart (axis labels and legend
    included) fits the text width, type matches the body, bar rows are compact. On-screen charts
    are unchanged: this only rewrites a copy of the spec."""
    spec = chart.to_dict()
    rows = spec.get("height", 320)
    spec["height"] = max(140, min(int(rows * DOC_ROW / 60), 300)) if isinstance(rows, int | float) else 200
    spec["width"] = DOC_WIDTH
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    config = spec.setdefault("config", {})
    config["font"] = "DejaVu Sans"
    config["axis"] = {**config.get("axis", {}), "labelFontSize": DOC_FONT, "titleFontSize": DOC_FONT, "labelLimit": 220}
    config["legend"] = {**config.get("legend", {}), "labelFontSize": DOC_FONT, "titleFontSize": DOC_FONT}
    config["title"] = {**config.get("title", {}), "fontSize": DOC_FONT + 1}
    config["text"] = {**config.get("text", {}), "fontSize": DOC_FONT}
    _shrink_marks(spec)
    return spec


def _shrink_marks(spec: dict) -> None:
    """Text marks and ticks carry their own size (FONT, 34 px ticks): bring them to document scale."""
    for layer in spec.get("layer", []):
        _shrink_marks(layer)
    mark = spec.get("mark")
    if isinstance(mark, dict):
        if mark.get("type") == "text" and "fontSize" in mark:
            mark["fontSize"] = DOC_FONT
        if mark.get("type") == "tick" and "size" in mark:
            mark["size"] = int(DOC_ROW * 0.7)
        if mark.get("type") == "point" and "size" in mark:
            mark["size"] = min(mark["size"], 80)
