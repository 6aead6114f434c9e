"""Stage 5 widgets: metrics framework, rep / manager / executive dashboards from the export,
forecast categories and accuracy, performance tiers. Calculations are in salesopt.performance."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from salesopt import charts, fmt
from salesopt.assessment import Assessment, ForecastRow, MetricChoice, QuotaRow
from salesopt.frameworks import PerformanceKit
from salesopt.montecarlo import in_period, period_forecast
from salesopt.performance import accuracy, forecast_categories, kpi_changes, rep_table, risk_flags, tiers, trends
from ui import state, widgets


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
    by_family = table[table["Track"]].groupby("Family").size()
    st.caption("Tracked: " + (", ".join(f"{n} {fam}" for fam, n in by_family.items()) or "none yet") + ".")


def quota_editor(assessment: Assessment, result: Any, default_quota: float | None) -> dict[str, float]:
    rows = assessment.performance.quotas
    if not rows and result is not None and "owner" in result.deals and default_quota:
        owners = sorted(result.deals["owner"].dropna().astype(str).unique())
        rows = [QuotaRow(rep=o, quota=default_quota) for o in owners]
    with st.expander("Quota table", expanded=not assessment.performance.quotas):
        st.caption(
            "One row per rep: yearly quota, and the actual if the export does not carry it. Pre-filled with "
            "the export's owners at the Stage 1 quota per rep."
        )
        edited = st.data_editor(
            pd.DataFrame([r.model_dump() for r in rows], columns=["rep", "quota", "actual"]),
            num_rows="dynamic",
            hide_index=True,
            key="perf.quotas",
            column_config={
                "rep": st.column_config.TextColumn("Rep", required=True),
                "quota": st.column_config.NumberColumn("Quota", min_value=0.01, required=True),
                "actual": st.column_config.NumberColumn("Actual (optional)", min_value=0),
            },
        )
        if st.button("Save quotas", key="perf.quotas.save", icon=":material/save:"):
            try:
                state.update_section(
                    "performance",
                    quotas=[
                        QuotaRow(rep=str(r["rep"]), quota=float(r["quota"]), actual=r.get("actual"))
                        for r in state.editor_rows(edited)
                        if r.get("rep")
                    ],
                )
            except (TypeError, ValueError) as exc:
                st.error(f"Not saved: each rep needs a quota above 0 ({exc}).")
                return {}
            st.rerun()
    return {r.rep: r.quota for r in rows}


def dashboards(assessment: Assessment, result: Any, quotas: dict[str, float]) -> None:
    if result is None:
        st.info("Dashboards are built from a CRM export: upload one in Stage 2 (Data tab).", icon=":material/info:")
        return
    cur = assessment.currency
    reps = rep_table(result.deals, quotas)
    rep_tab, manager_tab, exec_tab = st.tabs(["Rep", "Manager", "Executive"])
    with rep_tab:
        if reps.empty:
            st.info("The export has no owner column.", icon=":material/info:")
        else:
            rep = st.selectbox("Rep", list(reps["owner"]), key="perf.rep")
            r = reps.set_index("owner").loc[rep]
            c = st.columns(4)
            c[0].metric("Won", fmt.money(r["won"], cur, compact=True), help="Won amount in the export.")
            c[1].metric("Attainment", fmt.percent(r["attainment"]), help="Won / quota (quota table).")
            c[2].metric("Open pipeline", fmt.money(r["pipeline"], cur, compact=True))
            c[3].metric("Coverage", fmt.times(r["coverage"]), help="Open pipeline / (quota - won).")
            mine = result.deals[(result.deals.get("owner") == rep) & (result.deals["status"] == "open")]
            cols = [c for c in ("opportunity_id", "name", "stage", "amount", "close_date", "next_step") if c in mine]
            mine = mine[cols].sort_values("close_date") if "close_date" in cols else mine[cols]
            if "amount" in mine:
                mine = mine.assign(amount=mine["amount"].map(lambda v: fmt.money(v, cur)))
            widgets.table(widgets.readable(mine), hide_index=True)
    with manager_tab:
        if not reps.empty:
            team_quota = sum(quotas.values())
            c = st.columns(3)
            c[0].metric("Team won", fmt.money(float(reps["won"].sum()), cur, compact=True))
            c[1].metric("Team quota", fmt.money(team_quota or None, cur, compact=True), help="Sum of the quota table.")
            c[2].metric(
                "Team attainment",
                fmt.percent(float(reps["won"].sum()) / team_quota if team_quota else None),
                help="Team won / team quota.",
            )
            widgets.chart(lambda: charts.rep_comparison(reps))
            widgets.table(
                widgets.readable(
                    reps.assign(
                        won=reps["won"].map(lambda v: fmt.money(v, cur)),
                        pipeline=reps["pipeline"].map(lambda v: fmt.money(v, cur)),
                        attainment=reps["attainment"].map(fmt.percent),
                        coverage=reps["coverage"].map(fmt.times),
                    )
                ),
                hide_index=True,
            )
        flags = risk_flags(result.deals, result.analysis.cycle_days_median)
        st.markdown(f"**Risk flags:** {len(flags):,} open deal(s)")
        shown = flags.head(200)
        if "amount" in shown:
            shown = shown.assign(amount=shown["amount"].map(lambda v: fmt.money(v, cur)))
        widgets.table(widgets.readable(shown), hide_index=True)
        st.caption(
            "Close date passed (before the export's latest date); stale (open longer than 1.5 x the median "
            "won cycle); no next step (when the export has that column)."
        )
    with exec_tab:
        trend = trends(result.deals)
        if trend.empty:
            st.info(
                "Trends need close dates on closed deals: map a close-date column in Stage 2 (Data tab).",
                icon=":material/info:",
            )
        else:
            kpi_tiles(kpi_changes(trend), cur)
            widgets.chart(lambda: charts.trend(trend, "won_revenue", "Won revenue", "$~s"))
            widgets.chart(lambda: charts.trend(trend, "win_rate", "Win rate", "%"))
            widgets.chart(lambda: charts.trend(trend, "median_cycle", "Median cycle (days)", ",.0f"))
            widgets.chart(lambda: charts.trend(trend, "avg_deal", "Average deal size", "$~s"))
            st.caption("By quarter of close date (closed deals); the last quarter may be partial.")


def forecasting(assessment: Assessment, kit: PerformanceKit, result: Any) -> None:
    cur = assessment.currency
    if result is not None and "close_date" in result.deals:
        cats = forecast_categories(result.deals[result.deals["status"] == "open"], kit.category_thresholds)
        mix = cats.fillna("(none)").value_counts()
        st.markdown(
            "**Open deals by forecast category** (the CRM's, else from probability: "
            + ", ".join(f"{k} from {fmt.percent(v)}" for k, v in kit.category_thresholds.items() if v)
            + ")"
        )
        widgets.table(widgets.readable(pd.DataFrame({"category": mix.index, "deals": mix.to_numpy()})), hide_index=True)
        dates = result.deals.loc[result.deals["status"] == "open", "close_date"].dropna()
        if not dates.empty:
            period = st.date_input(
                "Forecast period",
                value=(dates.min().date(), (dates.min() + pd.Timedelta(days=90)).date()),
                key="perf.period",
            )
            if isinstance(period, tuple) and len(period) == 2:
                deals, won = in_period(result.deals, pd.Timestamp(period[0]), pd.Timestamp(period[1]))
                deals = deals.assign(forecast_category=forecast_categories(deals, kit.category_thresholds))
                pf = period_forecast(
                    deals,
                    won,
                    deals.get("probability", pd.Series(0.0, index=deals.index)).fillna(0).to_numpy(),
                    kit.category_weights,
                )
                c = st.columns(3)
                c[0].metric(
                    "Weighted forecast",
                    fmt.money(pf.category_forecast, cur, compact=True),
                    help="Won in the period + sum of amount x category weight (frameworks/performance).",
                )
                c[1].metric("Won in the period", fmt.money(pf.won_in_period, cur, compact=True))
                c[2].metric("Open deals closing in it", fmt.number(pf.open_in_period))
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
        c[0].metric("MAPE", fmt.percent(summary["mape"]), help="Mean of |forecast - actual| / actual.")
        c[1].metric("Bias", fmt.percent(summary["bias"]), help="Sum(forecast - actual) / sum(actual).")
        c[2].metric(
            "Pattern", str(summary["verdict"] or fmt.DASH), help="Over-optimism above +5% bias, sandbagging below -5%."
        )
        widgets.table(widgets.readable(table.assign(accuracy=table["accuracy"].map(fmt.percent))), hide_index=True)


def tiers_panel(assessment: Assessment, kit: PerformanceKit, result: Any) -> None:
    q = assessment.performance.quotas
    if not q:
        st.info("Type the quota table (Dashboards tab) to see performance tiers.", icon=":material/info:")
        return
    won = {}
    if result is not None and "owner" in result.deals and "amount" in result.deals:
        w = result.deals[result.deals["status"] == "won"]
        won = w.groupby(w["owner"].astype(str))["amount"].sum().to_dict()
    table = tiers([(r.rep, r.quota, r.actual) for r in q], won)
    counts = table["tier"].value_counts()
    c = st.columns(3)
    for col, name in zip(c, ("High", "Core", "Struggling"), strict=True):
        col.metric(name, fmt.number(int(counts.get(name, 0))), help=kit.tier_actions[name])
    for name in ("High", "Core", "Struggling"):
        st.markdown(f"- **{name}:** {kit.tier_actions[name]}")
    widgets.table(
        table.assign(
            attainment=table["attainment"].map(fmt.percent),
            quota=table["quota"].map(lambda v: fmt.money(v, assessment.currency)),
            actual=table["actual"].map(lambda v: fmt.money(v, assessment.currency)),
        ),
        hide_index=True,
    )


KPI_LABELS = {
    "won_revenue": ("Won revenue", "Won amount of deals closed in the quarter."),
    "win_rate": ("Win rate", "Won / closed (won + lost) in the quarter."),
    "avg_deal": ("Average deal size", "Won amount / won deals in the quarter."),
    "median_cycle": ("Median sales cycle", "Median days from created to won, for deals won in the quarter."),
}


def kpi_tiles(tiles: list, cur: str) -> None:
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
        else:
            value = fmt.money(t.value, cur, compact=True)
            delta = None if t.change is None else fmt.money(t.change, cur, compact=True)
        col.metric(
            label,
            value,
            delta=delta,
            delta_color="normal" if t.higher_is_better else "inverse",
            help=help_text + ("" if t.previous is not None else " No earlier quarter to compare with."),
        )
