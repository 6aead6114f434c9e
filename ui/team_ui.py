"""Stage 5's manager and rep views: team attainment, attainment and pipeline by rep, the team's
forecast against actual, the rep comparison and the risk flags; one rep's figures and open deals.
Calculations are in salesopt.management (team figures: salesopt.management.team)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from salesopt.content.frameworks import PerformanceKit
from salesopt.management import charts as dashboard_charts
from salesopt.management.dashboards import flagged_by_rep, open_deals_of, pipeline_by_rep_and_stage, revenue_by_quarter
from salesopt.management.performance import QuotaPeriod
from salesopt.management.team import rep_card, team_attainment
from salesopt.model.assessment import Assessment
from salesopt.report import fmt
from ui import widgets
from ui.dashboards_ui import Ctx, as_of_day, cached, needs_owner, period_note

if TYPE_CHECKING:
    from salesopt.funnel.stage2 import Result


def manager_view(
    assessment: Assessment,
    kit: PerformanceKit,
    result: Result,
    ctx: Ctx,
    deals: pd.DataFrame,
    reps: pd.DataFrame,
    flags: pd.DataFrame,
    people: pd.DataFrame,
) -> None:
    cur = assessment.currency
    if reps.empty:
        needs_owner("manager")
        return
    team = team_attainment(reps)
    apart = (
        f" Not counted: {len(team.without_quota):,} rep(s) without a quota "
        f"({fmt.money(team.won_without_quota, cur)} won)."
        if team.without_quota and team.due
        else ""
    )
    c = st.columns(4)
    c[0].metric(
        "Team actual",
        fmt.money(team.actual, cur, compact=True),
        help="The actuals of the reps with a quota: the typed actual, else won revenue in the quota's year." + apart,
    )
    c[1].metric(
        "Team quota due",
        fmt.money(team.due, cur, compact=True),
        help="The quotas of the reps shown who have one, for the quota year (pro-rated when the export covers less "
        "than a year and the actual is the export's).",
    )
    c[2].metric(
        "Attainment of quota",
        fmt.percent(team.attainment),
        help="Team actual / team quota due, over the reps with a quota." + apart,
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
        long = cached(result, ctx, "long", lambda: pipeline_by_rep_and_stage(people))
        if long.empty:
            st.caption("No open deals for the reps shown.")
        else:
            widgets.chart(
                lambda: dashboard_charts.pipeline_by_rep_and_stage(long, list(result.stage_map.order), cur),
                ("perf", "pipe", cur, *ctx),
                result,
            )
            st.caption(
                "Amount of the open deals by owner, stacked by stage (funnel order), whatever their expected close."
            )
    st.markdown("**Team forecast against actual by quarter**")
    revenue = cached(
        result,
        ctx,
        "team_revenue",
        lambda: revenue_by_quarter(
            deals, kit.category_weights, kit.category_thresholds, team.yearly_quota, as_of_day(result)
        ),
    )
    widgets.chart(lambda: dashboard_charts.revenue_vs_target(revenue, cur), ("perf", "team_rev", cur, *ctx), result)
    st.caption("Won, forecast (won + weighted open deals) and a quarter of the yearly quotas of the reps shown.")
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
                "Actual": reps["actual"].map(lambda v: fmt.money(v, cur)),
                "Quota due": reps["due"].map(lambda v: fmt.money(v, cur)),
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
        needs_owner("rep")
        return
    rep = st.selectbox("Rep", list(reps["owner"]), key="perf.rep")
    mine = cached(
        result,
        (*ctx, rep),
        "mine",
        lambda: open_deals_of(deals, [rep], result.analysis.cycle_days_median, as_of_day(result)),
    )
    r = rep_card(reps, rep, mine)
    c = st.columns(6)
    c[0].metric(
        "Actual",
        fmt.money(r.won, cur, compact=True),
        help=f"The quota table's typed actual, else won in the quota year ({period_note(period)}).",
    )
    c[1].metric("Quota due", fmt.money(r.quota, cur, compact=True), help="The quota table's quota for the period.")
    c[2].metric("Attainment", fmt.percent(r.attainment), help="Actual / quota due (the Tiers tab's figure).")
    c[3].metric("Tier", r.tier or "No quota", help="High above 100% of quota, Core from 80%, Struggling below.")
    c[4].metric(
        "Rep's open pipeline",
        fmt.money(r.pipeline, cur, compact=True),
        help="Amount of the rep's open deals, whatever their expected close date.",
    )
    c[5].metric(
        "Rep's coverage of quota left",
        fmt.times(r.coverage),
        help="Open pipeline / (quota - won); undefined once it is met.",
    )
    st.markdown(f"**Open deals:** {r.open_deals:,}, {r.flagged:,} with a risk flag (oldest first)")
    if mine.empty:
        st.caption("This rep has no open deals.")
    else:
        widgets.table(_deal_rows(mine.drop(columns=["owner"], errors="ignore"), cur), hide_index=True)
        if "next_step" not in mine:
            st.caption("The export has no next-step column, so next steps are not shown.")
