"""Stage 5 widgets: the metrics framework, the quota table, the dashboards of one upload (their
views in dashboards_ui and team_ui), forecast categories with the period forecast and forecast
accuracy, and performance tiers. Calculations are in salesopt.management and salesopt.forecast."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from salesopt.content.frameworks import PerformanceKit
from salesopt.forecast.montecarlo import PeriodRange, default_period, forecast_period
from salesopt.forecast.weights import category_weights, weighted_inputs
from salesopt.management.dashboards import apply_filters, yearly_target
from salesopt.management.performance import accuracy, quota_period, rep_table, risk_flags
from salesopt.management.team import TIERS, category_mix, quota_table, tier_counts
from salesopt.model.assessment import Assessment, ForecastRow, MetricChoice, QuotaRow
from salesopt.report import fmt
from salesopt.report.mdtext import md_text
from ui import state, uploads, widgets
from ui.dashboards_ui import as_of_day, cached, executive_view, period_note, pick_filters
from ui.forecast_ui import DEFAULT_SEED
from ui.team_ui import manager_view, rep_view

if TYPE_CHECKING:
    from salesopt.funnel.stage2 import Result


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
                st.error(
                    f"Not saved: each rep needs a quota above 0 and an actual that is a number ({md_text(str(exc))})."
                )
                return {}
            st.rerun()
    return {r.rep: r.quota for r in rows}


def _typed_amount(value: object) -> float | None:
    """An optional amount typed in a text cell: empty is None; '1,200' or '1200.5' a number."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    return float(text.replace(",", "")) if text else None


def dashboards(
    assessment: Assessment, kit: PerformanceKit, result: Result | None, quotas: dict[str, float], implied: float | None
) -> None:
    """Executive, manager and rep views of one upload, cut by the filters. One as-of date (the
    book's) and one quota year whatever the filters; the period filter cuts the quarterly charts,
    the rep and team filters every view."""
    if result is None:
        st.info("Dashboards are built from a CRM export: upload one in Stage 2 (Data tab).", icon=":material/info:")
        st.page_link("app_pages/funnel.py", label="Stage 2 · upload an export", icon=":material/upload_file:")
        return
    filters = pick_filters(result.deals)
    actuals = {r.rep: r.actual for r in assessment.performance.quotas if r.actual is not None}
    target = yearly_target(quotas, implied, filters.owners)
    ctx = (filters, tuple(sorted(quotas.items())), tuple(sorted(actuals.items())), target)
    deals = cached(result, ctx, "deals", lambda: apply_filters(result.deals, filters))
    if deals.empty:
        st.info("No deal matches these filters: widen the period or clear a filter.", icon=":material/filter_alt_off:")
        return
    today = as_of_day(result)
    # attainment, open pipeline and risk are judged on the reps shown, whatever quarters the charts show
    people = cached(
        result,
        ctx,
        "people",
        lambda: apply_filters(result.deals, replace(filters, first_quarter=None, last_quarter=None)),
    )
    period = cached(result, (), "period", lambda: quota_period(result.deals, today))
    reps = cached(result, ctx, "reps", lambda: rep_table(people, quotas, period, kit.tier_thresholds, actuals))
    flags = cached(result, ctx, "flags", lambda: risk_flags(people, result.analysis.cycle_days_median, today))
    st.caption(
        f"As of {fmt.day(result.analysis.as_of)}: every view is taken at this date (set on Stage 2), whatever the "
        "filters. The period filter cuts the quarterly charts; open deals, risk and attainment are those of the "
        "reps shown."
    )
    exec_tab, manager_tab, rep_tab = st.tabs(["Executive", "Manager", "Rep"])
    with exec_tab:
        executive_view(assessment, kit, result, ctx, deals, people, period, target, reps)
    with manager_tab:
        manager_view(assessment, kit, result, ctx, deals, reps, flags, people)
    with rep_tab:
        rep_view(assessment, result, ctx, people, reps, period)


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
            "forecast": st.column_config.NumberColumn(
                f"Forecast ({assessment.currency})", min_value=0, required=True, format="localized"
            ),
            "actual": st.column_config.NumberColumn(
                f"Actual ({assessment.currency})", min_value=0, required=True, format="localized"
            ),
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
            st.error(f"Not saved: each period needs a forecast and an actual ({md_text(str(exc))}).")
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
        f = uploads.remember(result, ("perf.period_forecast", start, end), make)
    c = st.columns(3)
    c[0].metric(
        "Weighted forecast",
        fmt.money(f.category_forecast, cur, compact=True),
        help="Won in the period + sum of amount x its forecast category's weight ("
        + ", ".join(f"{name.title()} {fmt.percent(w)}" for name, w in category_weights(state.catalog()).items())
        + ").",
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
    table, period = quota_table(
        q,
        result.deals if result is not None else None,
        result.analysis.as_of if result is not None else None,
        kit.tier_thresholds,
    )
    if result is not None:
        st.caption(
            f"Attainment: the typed actual against the yearly quota, else won revenue in the quota's year "
            f"({period_note(period)}) against the quota for it: the same figures as the Dashboards' Rep view."
        )
    counts = tier_counts(table)
    c = st.columns(3)
    for col, name in zip(c, TIERS, strict=True):
        col.metric(name, fmt.number(counts[name]), help=kit.tier_actions[name])
    for name in TIERS:
        st.markdown(f"- **{name}:** {kit.tier_actions[name]}")
    cur = assessment.currency
    widgets.table(
        widgets.readable(
            pd.DataFrame(
                {
                    "Rep": table["rep"],
                    "Tier": [t or "No quota" for t in table["tier"]],
                    "Attainment": table["attainment"].map(fmt.percent),
                    "Actual": table["actual"].map(lambda v: fmt.money(v, cur)),
                    "Due": table["due"].map(lambda v: fmt.money(v, cur)),
                    "Yearly quota": table["quota"].map(lambda v: fmt.money(v, cur)),
                    "Actual from": table["basis"].map(
                        lambda b: {"typed": "quota table", "export": "export"}.get(b or "", fmt.DASH)
                    ),
                }
            )
        ),
        hide_index=True,
    )
