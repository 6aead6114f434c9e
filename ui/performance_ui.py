"""Stage 5 widgets: metrics framework, rep / manager / executive dashboards from the export,
forecast categories and accuracy, performance tiers. Calculations are in salesopt.management.performance."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
import streamlit as st

from salesopt.content.frameworks import PerformanceKit
from salesopt.forecast.montecarlo import PeriodRange, default_period, forecast_period
from salesopt.forecast.weights import weighted_inputs
from salesopt.management import charts as dashboard_charts
from salesopt.management.dashboards import (
    FILTER_COLUMNS,
    Filters,
    apply_filters,
    filter_options,
    flagged_by_rep,
    open_deals_of,
    pipeline_by_rep_and_stage,
    quarters,
    revenue_by_quarter,
)
from salesopt.management.performance import (
    KpiChange,
    QuotaPeriod,
    accuracy,
    kpi_changes,
    quota_period,
    rep_table,
    risk_flags,
    tiers,
    trends,
    won_by_owner,
)
from salesopt.management.team import (
    TIERS,
    category_mix,
    last_capacity,
    quota_year,
    rep_card,
    stage1_reps,
    team_attainment,
    tier_counts,
)
from salesopt.model.assessment import Assessment, ForecastRow, MetricChoice, QuotaRow
from salesopt.report import fmt
from ui import state, widgets
from ui.whatif_ui import DEFAULT_SEED

if TYPE_CHECKING:
    from salesopt.funnel.stage2 import Result

T = TypeVar("T")
Ctx = tuple[Hashable, ...]  # what a dashboard figure depends on besides the export: filters, quotas, target


def metrics_framework(assessment: Assessment, kit: PerformanceKit) -> None:
    chosen = {m.metric_id: m for m in assessment.performance.metrics}
    table = pd.DataFrame(
        [
            {
                "id": m.id,
                "Family": m.category,
                "Metric": m.name,
                "Track": m.id in chosen,
                "Target": chosen[m.id].target if m.id in chosen else "",
                "Owner": chosen[m.id].owner if m.id in chosen else "",
            }
            for m in kit.metrics
        ]
    )
    edited = st.data_editor(
        table,
        hide_index=True,
        key="perf.metrics",
        disabled=["id", "Family", "Metric"],
        column_order=["Family", "Metric", "Track", "Target", "Owner"],
    )
    if st.button("Save metrics framework", key="perf.metrics.save", icon=":material/save:"):
        state.update_section(
            "performance",
            metrics=[
                MetricChoice(metric_id=r["id"], target=str(r["Target"] or ""), owner=str(r["Owner"] or ""))
                for r in state.editor_rows(edited)
                if r["Track"]
            ],
        )
        st.rerun()
    by_family = sorted(Counter(m.category for m in kit.metrics if m.id in chosen).items())
    st.caption("Tracked: " + (", ".join(f"{n} {fam}" for fam, n in by_family) or "none yet") + ".")


def quota_editor(assessment: Assessment, result: Result | None, default_quota: float | None) -> dict[str, float]:
    rows = assessment.performance.quotas
    if not rows and result is not None and "owner" in result.deals and default_quota:
        owners = sorted(result.deals["owner"].dropna().astype(str).unique())
        rows = [QuotaRow(rep=o, quota=default_quota) for o in owners]
    with st.expander("Quota table", expanded=False):
        st.caption(
            "One row per rep: yearly quota, and the actual if the export does not carry it. Pre-filled with "
            "the export's owners at the Stage 1 quota per rep"
            + ("; not saved yet." if not assessment.performance.quotas else ".")
        )
        frame = pd.DataFrame(
            [{"rep": r.rep, "quota": r.quota, "actual": "" if r.actual is None else f"{r.actual:,.0f}"} for r in rows],
            columns=["rep", "quota", "actual"],
        )
        edited = st.data_editor(
            frame,
            num_rows="dynamic",
            hide_index=True,
            key="perf.quotas",
            column_config={
                "rep": st.column_config.TextColumn("Rep", required=True),
                "quota": st.column_config.NumberColumn(
                    f"Quota ({assessment.currency})", min_value=0.01, required=True, format="localized"
                ),
                "actual": st.column_config.TextColumn(
                    f"Actual ({assessment.currency}, optional)",
                    help="Leave empty to use the won revenue of the export's quota year.",
                ),
            },
        )
        if st.button("Save quotas", key="perf.quotas.save", icon=":material/save:"):
            try:
                state.update_section(
                    "performance",
                    quotas=[
                        QuotaRow(rep=str(r["rep"]), quota=float(r["quota"]), actual=_typed_amount(r.get("actual")))
                        for r in state.editor_rows(edited)
                        if r.get("rep")
                    ],
                )
            except (TypeError, ValueError) as exc:
                st.error(f"Not saved: each rep needs a quota above 0 and an actual that is a number ({exc}).")
                return {}
            st.rerun()
    return {r.rep: r.quota for r in rows}


def _filters(deals: pd.DataFrame) -> Filters:
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


def _cached(result: Result, ctx: Ctx, name: str, make: Callable[[], T]) -> T:
    """A dashboard figure computed once per export, filters, quotas and target (reruns on a click
    elsewhere on the page do not pay for it again)."""
    return result._remember(("perf.dash", name, *ctx), make)


def _typed_amount(value: object) -> float | None:
    """An optional amount typed in a text cell: empty is None; '1,200' or '1200.5' a number."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    return float(text.replace(",", "")) if text else None


def dashboards(
    assessment: Assessment, kit: PerformanceKit, result: Result | None, quotas: dict[str, float], target: float | None
) -> None:
    """Executive, manager and rep views of one upload, cut by the filters."""
    if result is None:
        st.info("Dashboards are built from a CRM export: upload one in Stage 2 (Data tab).", icon=":material/info:")
        st.page_link("pages/funnel.py", label="Stage 2 · upload an export", icon=":material/upload_file:")
        return
    filters = _filters(result.deals)
    ctx = (filters, tuple(sorted(quotas.items())), target)
    deals = _cached(result, ctx, "deals", lambda: apply_filters(result.deals, filters))
    if deals.empty:
        st.info("No deal matches these filters: widen the period or clear a filter.", icon=":material/filter_alt_off:")
        return
    # attainment is judged on the quota's period (the year to the export's date), whatever period is shown
    people = _cached(
        result,
        ctx,
        "people",
        lambda: apply_filters(result.deals, replace(filters, first_quarter=None, last_quarter=None)),
    )
    period = _cached(result, (), "period", lambda: quota_period(result.deals))
    reps = _cached(result, ctx, "reps", lambda: rep_table(people, quotas, period, kit.tier_thresholds))
    flags = _cached(result, ctx, "flags", lambda: risk_flags(deals, result.analysis.cycle_days_median))
    exec_tab, manager_tab, rep_tab = st.tabs(["Executive", "Manager", "Rep"])
    with exec_tab:
        executive_view(assessment, kit, result, ctx, deals, people, period, target)
    with manager_tab:
        manager_view(assessment, kit, result, ctx, deals, reps, flags)
    with rep_tab:
        rep_view(assessment, result, ctx, deals, reps, period)


def _period_note(period: QuotaPeriod | None) -> str:
    if period is None:
        return "the export has no dates: all its won deals"
    text = f"{period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}"
    return text + (f", {period.days} of the year's {period.year_days} days: quotas pro-rated" if period.partial else "")


def executive_view(
    assessment: Assessment,
    kit: PerformanceKit,
    result: Result,
    ctx: Ctx,
    deals: pd.DataFrame,
    people: pd.DataFrame,
    period: QuotaPeriod | None,
    target: float | None,
) -> None:
    cur = assessment.currency
    trend = _cached(result, ctx, "trend", lambda: trends(deals))
    if trend.empty:
        st.info(
            "Trends need close dates on closed deals: map a close-date column in Stage 2 (Data tab).",
            icon=":material/info:",
        )
        st.page_link("pages/funnel.py", label="Stage 2 · map the close date", icon=":material/upload_file:")
        return
    kpi_tiles(kpi_changes(trend), cur)
    year = _cached(result, ctx, "quota_year", lambda: quota_year(people, period, target))
    c = st.columns(4)
    c[0].metric(
        "Won in the quota year",
        fmt.money(year.won, cur, compact=True),
        help=f"Won revenue closed in the quota's year ({_period_note(period)}).",
    )
    c[1].metric(
        "Attainment of target",
        fmt.percent(year.attainment),
        help="Won in the quota year / the yearly target (the quota table's total, else Stage 1's implied quota).",
    )
    c[2].metric("Open pipeline", fmt.money(year.open_pipeline, cur, compact=True), help="Amount of the open deals.")
    c[3].metric(
        "Pipeline coverage",
        fmt.times(year.coverage),
        help="Open pipeline / what is left to win of the target this quota year (undefined once it is met).",
    )
    st.markdown("**Revenue: won, forecast and target by quarter**")
    revenue = _cached(
        result, ctx, "revenue", lambda: revenue_by_quarter(deals, kit.category_weights, kit.category_thresholds, target)
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


def _needs_owner(view: str) -> None:
    """The manager and rep views' empty state: which Stage 2 mapping fills them."""
    st.info(f"The {view} view needs an owner column: map one in Stage 2 (Data tab).", icon=":material/info:")
    st.page_link("pages/funnel.py", label="Stage 2 · map the owner", icon=":material/upload_file:")


def manager_view(
    assessment: Assessment,
    kit: PerformanceKit,
    result: Result,
    ctx: Ctx,
    deals: pd.DataFrame,
    reps: pd.DataFrame,
    flags: pd.DataFrame,
) -> None:
    cur = assessment.currency
    if reps.empty:
        _needs_owner("manager")
        return
    team = team_attainment(reps)
    c = st.columns(4)
    c[0].metric("Team won", fmt.money(team.won, cur, compact=True), help="Won revenue in the quota's year.")
    c[1].metric(
        "Team quota",
        fmt.money(team.quota, cur, compact=True),
        help="Sum of the quota table for the reps shown (pro-rated when the export covers less than a year).",
    )
    c[2].metric(
        "Team attainment",
        fmt.percent(team.attainment),
        help="Team won / team quota.",
    )
    c[3].metric("Flagged open deals", fmt.number(len(flags)), help="Open deals with at least one risk flag.")
    left, right = st.columns(2)
    with left:
        st.markdown("**Attainment by rep, with the tiers**")
        if reps["attainment"].notna().any():
            widgets.chart(
                lambda: dashboard_charts.attainment_by_rep(reps, kit.tier_thresholds), ("perf", "att", *ctx), result
            )
            th = kit.tier_thresholds
            st.caption(
                f"Won in the quota year / quota. High above {fmt.percent(th['High'])}, Core from "
                f"{fmt.percent(th['Core'])}, Struggling below (dashed lines)."
            )
        else:
            st.caption("Type quotas in the quota table above to see attainment and tiers.")
    with right:
        st.markdown("**Open pipeline by rep and stage**")
        long = _cached(result, ctx, "long", lambda: pipeline_by_rep_and_stage(deals))
        if long.empty:
            st.caption("No open deals in these filters.")
        else:
            widgets.chart(
                lambda: dashboard_charts.pipeline_by_rep_and_stage(long, list(result.stage_map.order), cur),
                ("perf", "pipe", cur, *ctx),
                result,
            )
            st.caption("Amount of the open deals by owner, stacked by stage (funnel order).")
    st.markdown("**Team forecast against actual by quarter**")
    revenue = _cached(
        result,
        ctx,
        "team_revenue",
        lambda: revenue_by_quarter(deals, kit.category_weights, kit.category_thresholds, team.quota),
    )
    widgets.chart(lambda: dashboard_charts.revenue_vs_target(revenue, cur), ("perf", "team_rev", cur, *ctx), result)
    st.caption("Won, forecast (won + weighted open deals) and a quarter of the team's yearly quota.")
    st.markdown("**Rep comparison**")
    widgets.table(_rep_rows(reps, cur), hide_index=True)
    risk_panel(flags, cur)


def _rep_rows(reps: pd.DataFrame, cur: str) -> pd.DataFrame:
    return widgets.readable(
        pd.DataFrame(
            {
                "Rep": reps["owner"],
                "Tier": [t or "No quota" for t in reps["tier"]],
                "Attainment": reps["attainment"].map(fmt.percent),
                "Won (quota year)": reps["won"].map(lambda v: fmt.money(v, cur)),
                "Quota": reps["quota"].map(lambda v: fmt.money(v, cur)),
                "Open pipeline": reps["pipeline"].map(lambda v: fmt.money(v, cur)),
                "Coverage": reps["coverage"].map(fmt.times),
                "Open deals": reps["open"].map(fmt.number),
            }
        )
    )


def risk_panel(flags: pd.DataFrame, cur: str) -> None:
    """Risk flags by rep; pick a rep to list their flagged deals."""
    st.markdown(f"**Risk flags:** {len(flags):,} open deal(s)")
    st.caption(
        "Close date passed (before the export's latest date); stale (open longer than 1.5 x the median "
        "won cycle); no next step (when the export has that column)."
    )
    if flags.empty:
        return
    per_rep = flagged_by_rep(flags)
    labels = {"": f"Every rep ({len(flags):,})"}
    labels.update({r: f"{r} ({n:,})" for r, n in zip(per_rep["owner"], per_rep["deals"], strict=True)})
    pick = st.selectbox(
        "Show the flagged deals of",
        list(labels),
        format_func=lambda r: labels[r],
        key="perf.flags.rep",
        help="Reps by their number of flagged deals, most first.",
    )
    shown = flags if not pick else flags[flags["owner"].astype(str) == pick]
    widgets.table(_deal_rows(shown, cur), hide_index=True)


def _deal_rows(deals: pd.DataFrame, cur: str) -> pd.DataFrame:
    out = deals.copy()
    if "amount" in out:
        out["amount"] = out["amount"].map(lambda v: fmt.money(v, cur))
    if "age_days" in out:
        out["age_days"] = out["age_days"].map(lambda v: fmt.DASH if pd.isna(v) else f"{int(v):,} days")
    for col in ("risk", "flags"):
        if col in out:
            out[col] = out[col].map(lambda v: v or "none")
    if "next_step" in out:
        out["next_step"] = out["next_step"].map(_next_step)
    return widgets.readable(out.rename(columns={"age_days": "Age"}))


def _next_step(value: object) -> str:
    """A deal's next step as typed; a dash when it has none (blank, or missing: None, NaN, NA, NaT)."""
    missing = value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)
    return fmt.DASH if missing or not str(value).strip() else str(value)


def rep_view(
    assessment: Assessment,
    result: Result,
    ctx: Ctx,
    deals: pd.DataFrame,
    reps: pd.DataFrame,
    period: QuotaPeriod | None,
) -> None:
    cur = assessment.currency
    if reps.empty:
        _needs_owner("rep")
        return
    rep = st.selectbox("Rep", list(reps["owner"]), key="perf.rep")
    mine = _cached(result, (*ctx, rep), "mine", lambda: open_deals_of(deals, [rep], result.analysis.cycle_days_median))
    r = rep_card(reps, rep, mine)
    c = st.columns(6)
    c[0].metric("Won", fmt.money(r.won, cur, compact=True), help=f"Won in the quota year ({_period_note(period)}).")
    c[1].metric("Quota", fmt.money(r.quota, cur, compact=True), help="The quota table's quota for the period.")
    c[2].metric("Attainment", fmt.percent(r.attainment), help="Won / quota.")
    c[3].metric("Tier", r.tier or "No quota", help="High above 100% of quota, Core from 80%, Struggling below.")
    c[4].metric("Open pipeline", fmt.money(r.pipeline, cur, compact=True), help="Amount of the rep's open deals.")
    c[5].metric("Coverage", fmt.times(r.coverage), help="Open pipeline / (quota - won); undefined once it is met.")
    st.markdown(f"**Open deals:** {r.open_deals:,}, {r.flagged:,} with a risk flag (oldest first)")
    if mine.empty:
        st.caption("No open deals for this rep in these filters.")
    else:
        widgets.table(_deal_rows(mine.drop(columns=["owner"], errors="ignore"), cur), hide_index=True)
        if "next_step" not in mine:
            st.caption("The export has no next-step column, so next steps are not shown.")


def forecasting(assessment: Assessment, kit: PerformanceKit, result: Result | None) -> None:
    cur = assessment.currency
    if result is not None and "close_date" in result.deals:
        mix = category_mix(result.deals, kit.category_thresholds)
        st.markdown(
            "**Open deals by forecast category** (the CRM's, else from probability: "
            + ", ".join(f"{k} from {fmt.percent(v)}" for k, v in kit.category_thresholds.items() if v)
            + ")"
        )
        widgets.table(widgets.readable(mix), hide_index=True)
        default = default_period(result.deals)
        if default is not None:
            period = st.date_input(
                "Forecast period",
                value=(default[0].date(), default[1].date()),
                key="perf.period",
            )
            if isinstance(period, tuple) and len(period) == 2:
                _period_forecast(result, pd.Timestamp(period[0]), pd.Timestamp(period[1]), cur)
    else:
        st.info("Forecast categories and the weighted forecast need a CRM export (Stage 2).", icon=":material/info:")
    st.markdown("**Forecast accuracy:** past forecasts against actuals")
    rows = assessment.performance.forecasts
    edited = st.data_editor(
        pd.DataFrame([r.model_dump() for r in rows], columns=["period", "forecast", "actual"]),
        num_rows="dynamic",
        hide_index=True,
        key="perf.forecasts",
        column_config={
            "period": st.column_config.TextColumn("Period", required=True),
            "forecast": st.column_config.NumberColumn("Forecast", min_value=0, required=True),
            "actual": st.column_config.NumberColumn("Actual", min_value=0, required=True),
        },
    )
    if st.button("Save forecasts", key="perf.forecasts.save", icon=":material/save:"):
        try:
            state.update_section(
                "performance",
                forecasts=[
                    ForecastRow(period=str(r["period"]), forecast=float(r["forecast"]), actual=float(r["actual"]))
                    for r in state.editor_rows(edited)
                    if r.get("period")
                ],
            )
        except (TypeError, ValueError) as exc:
            st.error(f"Not saved: each period needs a forecast and an actual ({exc}).")
            return
        st.rerun()
    if rows:
        table, summary = accuracy([(r.period, r.forecast, r.actual) for r in rows])
        c = st.columns(3)
        mape, bias = summary["mape"], summary["bias"]
        c[0].metric(
            "MAPE",
            fmt.percent(mape if isinstance(mape, float) else None),
            help="Mean of |forecast - actual| / actual.",
        )
        c[1].metric(
            "Bias",
            fmt.percent(bias if isinstance(bias, float) else None),
            help="Sum(forecast - actual) / sum(actual).",
        )
        c[2].metric(
            "Pattern", str(summary["verdict"] or fmt.DASH), help="Over-optimism above +5% bias, sandbagging below -5%."
        )
        widgets.table(widgets.readable(table.assign(accuracy=table["accuracy"].map(fmt.percent))), hide_index=True)


def _period_forecast(result: Result, start: pd.Timestamp, end: pd.Timestamp, cur: str) -> None:
    """The weighted forecast of a period: What-if's period forecast (the same deals, categories and
    weights, salesopt.forecast.montecarlo.forecast_period), each open deal won at its category's
    weight, so its P50 sits by the weighted forecast and What-if's range with that source matches."""

    def make() -> PeriodRange:
        deals, weights = weighted_inputs(result.deals, state.catalog())  # categorised as What-if does
        return forecast_period(deals, start, end, "category", category_weights=weights, seed=DEFAULT_SEED)

    with st.spinner("Simulating 10,000 trials…"):  # once per period; a rerun reuses it
        f = result._remember(("perf.period_forecast", start, end), make)
    c = st.columns(3)
    c[0].metric(
        "Weighted forecast",
        fmt.money(f.category_forecast, cur, compact=True),
        help="Won in the period + sum of amount x category weight (frameworks/performance).",
    )
    c[1].metric("Won in the period", fmt.money(f.won, cur, compact=True))
    c[2].metric("Open deals closing in it", fmt.number(f.open_deals))
    st.caption(
        f"Range, each open deal won at its category's weight ({len(f.trials):,} trials, won included): "
        f"P10 {fmt.money(f.p10, cur, compact=True)}, P50 {fmt.money(f.p50, cur, compact=True)}, "
        f"P90 {fmt.money(f.p90, cur, compact=True)}. What-if's Forecast range tab draws it, with other "
        "deal probabilities and a target."
    )


def tiers_panel(assessment: Assessment, kit: PerformanceKit, result: Result | None) -> None:
    q = assessment.performance.quotas
    if not q:
        st.info("Type the quota table (Dashboards tab) to see performance tiers.", icon=":material/info:")
        return
    period = quota_period(result.deals) if result is not None else None
    won = won_by_owner(result.deals, period) if result is not None else {}
    table = tiers(
        [(r.rep, r.quota, r.actual) for r in q], won, kit.tier_thresholds, period.share if period is not None else 1.0
    )
    if result is not None:
        st.caption(f"Attainment: the typed actual, else won revenue in the quota's year ({_period_note(period)}).")
    counts = tier_counts(table)
    c = st.columns(3)
    for col, name in zip(c, TIERS, strict=True):
        col.metric(name, fmt.number(counts[name]), help=kit.tier_actions[name])
    for name in TIERS:
        st.markdown(f"- **{name}:** {kit.tier_actions[name]}")
    widgets.table(
        widgets.readable(
            table.assign(
                tier=[t or "No quota" for t in table["tier"]],
                attainment=table["attainment"].map(fmt.percent),
                quota=table["quota"].map(lambda v: fmt.money(v, assessment.currency)),
                actual=table["actual"].map(lambda v: fmt.money(v, assessment.currency)),
            )
        ),
        hide_index=True,
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
