"""Stage 5's dashboards, shared parts and the executive view: the filters, a dashboard figure
remembered per export and filters, the quota period's note, the executive view with its KPI tiles.
The manager and rep views are in team_ui. Calculations are in salesopt.management."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
import streamlit as st

from salesopt.content.frameworks import PerformanceKit
from salesopt.management import charts as dashboard_charts
from salesopt.management.dashboards import FILTER_COLUMNS, Filters, filter_options, quarters, revenue_by_quarter
from salesopt.management.performance import KpiChange, QuotaPeriod, kpi_changes, trends
from salesopt.management.team import last_capacity, quota_year, stage1_reps, team_attainment
from salesopt.model.assessment import Assessment
from salesopt.report import fmt
from ui import uploads, widgets

if TYPE_CHECKING:
    from salesopt.funnel.stage2 import Result

T = TypeVar("T")
Ctx = tuple[Hashable, ...]  # what a dashboard figure depends on besides the export: filters, quotas, target


def pick_filters(deals: pd.DataFrame) -> Filters:
    """The dashboards' filters: a period of quarters, reps, and team and segment where the export
    has those columns."""
    options = filter_options(deals)
    qs = quarters(deals)
    extra = [(c, label) for c, label in FILTER_COLUMNS if c in options]
    cols = st.columns([2, 2, *([1.5] * len(extra))])
    first = last = None
    if len(qs) > 1:
        first, last = cols[0].select_slider(
            "Period (quarter of close date)",
            options=qs,
            value=(qs[0], qs[-1]),
            key="perf.f.period",
            help="Closed deals by their close date, open deals by their expected close date.",
        )
    owners: tuple[str, ...] = ()
    if "owner" in options:
        owners = tuple(
            cols[1].multiselect(
                "Reps", options["owner"], key="perf.f.owners", placeholder="All reps", help="Deal owner."
            )
        )
    values = []
    for col, (name, label) in zip(cols[2:], extra, strict=True):
        values.append(
            (
                name,
                tuple(
                    col.multiselect(label, options[name], key=f"perf.f.{name}", placeholder=f"Every {label.lower()}")
                ),
            )
        )
    return Filters(first, last, owners, tuple(values))


def cached(result: Result, ctx: Ctx, name: str, make: Callable[[], T]) -> T:
    """A dashboard figure computed once per export, filters, quotas and target (reruns on a click
    elsewhere on the page do not pay for it again)."""
    return uploads.remember(result, ("perf.dash", name, *ctx), make)


def as_of_day(result: Result) -> pd.Timestamp | None:
    """The book's as-of date, as the dashboards' calendar reads it."""
    return None if result.analysis.as_of is None else pd.Timestamp(result.analysis.as_of)


def period_note(period: QuotaPeriod | None) -> str:
    if period is None:
        return "the export has no dates: all its won deals"
    text = f"{period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}"
    return text + (f", {period.days} of the year's {period.year_days} days: quotas pro-rated" if period.partial else "")


def needs_owner(view: str) -> None:
    """The manager and rep views' empty state: which Stage 2 mapping fills them."""
    st.info(f"The {view} view needs an owner column: map one in Stage 2 (Data tab).", icon=":material/info:")
    st.page_link("app_pages/funnel.py", label="Stage 2 · map the owner", icon=":material/upload_file:")


def executive_view(
    assessment: Assessment,
    kit: PerformanceKit,
    result: Result,
    ctx: Ctx,
    deals: pd.DataFrame,
    people: pd.DataFrame,
    period: QuotaPeriod | None,
    target: float | None,
    reps: pd.DataFrame,
) -> None:
    cur = assessment.currency
    trend = cached(result, ctx, "trend", lambda: trends(deals))
    if trend.empty:
        st.info(
            "Trends need close dates on closed deals: map a close-date column in Stage 2 (Data tab).",
            icon=":material/info:",
        )
        st.page_link("app_pages/funnel.py", label="Stage 2 · map the close date", icon=":material/upload_file:")
        return
    kpi_tiles(kpi_changes(trend), cur)
    team = team_attainment(reps) if not reps.empty else None
    year = cached(result, ctx, "quota_year", lambda: quota_year(people, period, target, team))
    c = st.columns(4)
    quota_basis = team is not None and bool(team.due)
    c[0].metric(
        "Team actual" if quota_basis else "Won in the quota year",
        fmt.money(year.won, cur, compact=True),
        help=(
            "The quota table's typed actuals, else won revenue in the quota's year "
            f"({period_note(period)}), of {year.basis} (the Manager view's team actual)."
            if quota_basis
            else f"Won revenue closed in the quota's year ({period_note(period)}), {year.basis}."
        ),
    )
    c[1].metric(
        "Attainment of quota" if team is not None and team.due else "Attainment of target",
        fmt.percent(year.attainment),
        help=(
            "Won in the quota year / what is due of the quotas of the reps who have one (the Manager view's team "
            "attainment)."
            if team is not None and team.due
            else "Won in the quota year / the yearly target (Stage 1's implied quota), pro-rated to the days covered."
        )
        + (
            f" Not counted: {len(team.without_quota):,} rep(s) without a quota, "
            f"{fmt.money(team.won_without_quota, cur)} won."
            if team is not None and team.due and team.without_quota
            else ""
        ),
    )
    c[2].metric(
        "Open pipeline",
        fmt.money(year.open_pipeline, cur, compact=True),
        help="Amount of the open deals of the reps shown, whatever their expected close date"
        + ("." if year.open_pipeline is not None else ": undefined, the open deals carry no amount."),
    )
    c[3].metric(
        "Pipeline coverage",
        fmt.times(year.coverage),
        help="Open pipeline / what is left to win of the target this quota year (undefined once it is met).",
    )
    st.markdown("**Revenue: won, forecast and target by quarter**")
    revenue = cached(
        result,
        ctx,
        "revenue",
        lambda: revenue_by_quarter(deals, kit.category_weights, kit.category_thresholds, target, as_of_day(result)),
    )
    widgets.chart(lambda: dashboard_charts.revenue_vs_target(revenue, cur), ("perf", "rev", cur, *ctx), result)
    st.caption(
        "Won: closed won in the quarter. Forecast: won + open deals expected to close in it x their forecast "
        "category's weight (an overdue open deal counts in the current quarter). Target: a quarter of the yearly "
        + ("target." if target else "target, once the quota table or Stage 1 gives one.")
    )
    left, right = st.columns(2)
    with left:
        widgets.chart(
            lambda: dashboard_charts.by_quarter(trend, "win_rate", "Win rate", "%"), ("perf", "wr", *ctx), result
        )
        st.caption("Won / closed (won + lost) deals by quarter of close date.")
        widgets.chart(
            lambda: dashboard_charts.by_quarter(trend, "avg_deal", f"Average deal ({cur})", "~s"),
            ("perf", "deal", cur, *ctx),
            result,
        )
        st.caption("Won amount / won deals by quarter of close date.")
    with right:
        widgets.chart(
            lambda: dashboard_charts.by_quarter(trend, "median_cycle", "Median cycle (days)", ",.0f"),
            ("perf", "cycle", *ctx),
            result,
        )
        st.caption("Median calendar days from created to won, deals won in the quarter.")
        widgets.chart(
            lambda: dashboard_charts.by_quarter(trend, "revenue_per_rep", f"Revenue per rep ({cur})", "~s"),
            ("perf", "rpr", cur, *ctx),
            result,
        )
        st.caption("Productivity: won revenue / the reps who closed a deal in the quarter.")
    reps_stage1 = stage1_reps(assessment)
    last = last_capacity(trend)
    capacity = (
        f"Capacity: {fmt.number(last.reps)} reps closed deals in {last.quarter}"
        + (f", of the {fmt.number(reps_stage1)} quota-carrying reps in Stage 1." if reps_stage1 else ".")
        if last is not None
        else "Capacity: the export has no owner column."
    )
    st.caption(
        capacity + " CAC and LTV need the cost of sales and marketing and the customers' lifetime, which no answer "
        "in this assessment gives; they are left out rather than guessed."
    )


KPI_LABELS = {
    "won_revenue": ("Won revenue", "Won amount of deals closed in the quarter."),
    "win_rate": ("Win rate", "Won / closed (won + lost) in the quarter."),
    "avg_deal": ("Average deal size", "Won amount / won deals in the quarter."),
    "median_cycle": ("Median sales cycle", "Median days from created to won, for deals won in the quarter."),
    "revenue_per_rep": ("Revenue per rep", "Won revenue / the reps who closed a deal in the quarter."),
}


def kpi_tiles(tiles: list[KpiChange], cur: str) -> None:
    """Executive KPI tiles: the last quarter, with its change against the quarter before (green when
    the change is good: a shorter cycle is good)."""
    if not tiles:
        return
    st.markdown(f"**{tiles[0].period}** against the quarter before (the last quarter may be partial)")
    cols = st.columns(len(tiles))
    for col, t in zip(cols, tiles, strict=True):
        label, help_text = KPI_LABELS[t.key]
        label = f"{label}, {t.period}"  # a quarter's figure, not the export's (Stage 2 shows those)
        if t.key == "win_rate":
            value, delta = fmt.percent(t.value), (None if t.change is None else f"{t.change * 100:+.1f} pts")
        elif t.key == "median_cycle":
            value = fmt.DASH if t.value is None else f"{fmt.number(t.value)} days"
            delta = None if t.change is None else f"{t.change:+,.0f} days"
        else:  # money: won revenue, average deal, revenue per rep
            value = fmt.money(t.value, cur, compact=True)
            delta = None if t.change is None else fmt.money(t.change, cur, compact=True)
        col.metric(
            label,
            value,
            delta=delta,
            delta_color="normal" if t.higher_is_better else "inverse",
            help=help_text + ("" if t.previous is not None else " No earlier quarter to compare with."),
        )
