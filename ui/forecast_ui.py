"""What-if's forecast range: the Monte Carlo of one period's open deals (salesopt.forecast.montecarlo:
forecast_period, the one period forecast What-if and Stage 5 share), from a chosen source of deal
probabilities, with what is already won, the chance of a target and the histogram of the trials."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from salesopt.forecast.montecarlo import default_period, forecast_period, pro_rata_target
from salesopt.forecast.weights import weighted_inputs
from salesopt.model.assessment import Assessment
from salesopt.report import charts, fmt
from ui import state, uploads, widgets

if TYPE_CHECKING:
    from salesopt.funnel.stage2 import Result


DEFAULT_SEED = 7  # the Monte Carlo's seed unless one is typed (What-if's seed field, Stage 5's range)
PROBABILITY_SOURCES = {
    "crm": "CRM probability",
    "stage": "Observed stage win rate (history)",
    "category": "Forecast category weight",
    "tier": "Stage 3 tier (adjusted CRM probability)",
}


def forecast_panel(assessment: Assessment, result: Result | None) -> None:
    if result is None or "close_date" not in result.deals or "amount" not in result.deals:
        st.info(
            "The forecast range needs a CRM export with amounts and close dates (Stage 2, Data tab).",
            icon=":material/info:",
        )
        return
    default = default_period(result.deals)
    if default is None:
        st.info("No open deal has a close date.", icon=":material/info:")
        return
    c1, c2, c3 = st.columns(3)
    period = c1.date_input("Period", value=(default[0].date(), default[1].date()), key="mc.period")
    source = c2.selectbox(
        "Deal probability from", list(PROBABILITY_SOURCES), format_func=_source_label, key="mc.source"
    )
    seed = int(
        c3.number_input(
            "Random seed",
            0,
            10**9,
            DEFAULT_SEED,
            key="mc.seed",
            help="The same seed draws the same simulated outcomes, so a figure can be reproduced.",
        )
    )
    if not isinstance(period, tuple) or len(period) != 2:
        st.caption("Pick the period's first and last day.")
        return
    start, end = pd.Timestamp(period[0]), pd.Timestamp(period[1])
    deals, weights = weighted_inputs(result.deals, state.catalog())  # categorised as Stage 5 does
    model = state.catalog().scoring().get("default")
    rates = {}
    if model is not None:
        cal = result.calibration(model.min_closed_for_calibration)
        rates = {r["stage"]: r["observed"] for r in cal.to_dict("records") if r["observed"] is not None}
    tier_p = _tier_probabilities(assessment, result)
    share = pro_rata_target(assessment.funnel.target, start, end)
    target = (
        st.number_input(
            "Revenue target for the period",
            0.0,
            value=share or 0.0,
            step=10_000.0,
            key=f"mc.target.{(end - start).days}",
            help="Default: the Stage 2 yearly target pro rata for the period's days (target x days / 365).",
        )
        or None
    )
    key = ("period_forecast", period, source, seed, target, tuple(sorted(rates.items())), tuple(sorted(tier_p.items())))
    with st.spinner("Simulating 10,000 trials…"):  # once per input; a rerun reuses the result
        f = uploads.remember(
            result,
            key,
            lambda: forecast_period(
                deals,
                start,
                end,
                source,
                target=target,
                stage_rates=rates,
                category_weights=weights,
                tier_probability=tier_p,
                trials=10_000,
                seed=seed,
            ),
        )
    cur = assessment.currency
    m = st.columns(4)
    m[0].metric(
        "P10", fmt.money(f.p10, cur, compact=True), help="Won in the period + simulated: 90% of trials reach this."
    )
    m[1].metric("P50", fmt.money(f.p50, cur, compact=True), help="Won in the period + the median simulated trial.")
    m[2].metric(
        "P90", fmt.money(f.p90, cur, compact=True), help="Won in the period + simulated: 10% of trials reach this."
    )
    m[3].metric(
        "Chance of the target",
        fmt.percent(f.probability_of_target),
        help="Share of trials with won + simulated revenue >= the period's target"
        if target
        else "Set a revenue target in Stage 2 (Funnel tab).",
    )
    n = st.columns(3)
    n[0].metric(
        "Weighted forecast (probabilities)",
        fmt.money(f.exact_mean, cur, compact=True),
        help="Won in the period + sum of amount x the chosen probability.",
    )
    n[1].metric(
        "Category forecast",
        fmt.money(f.category_forecast, cur, compact=True),
        help="Won in the period + sum of amount x forecast category weight ("
        + ", ".join(f"{name.title()} {fmt.percent(w)}" for name, w in weights.items())
        + ").",
    )
    n[2].metric("Open deals in the period", fmt.number(f.open_deals), help=f"Won so far: {fmt.money(f.won, cur)}.")
    marks = {"P10": f.p10, "P50": f.p50, "P90": f.p90}
    if target:
        marks["target"] = target
    widgets.chart(lambda: charts.histogram(f.trials, marks), (*key, "histogram"))
    if f.without_probability:
        st.caption(f"{f.without_probability:,} deal(s) have no {PROBABILITY_SOURCES[source].lower()}: counted at 0%.")
    if model is not None:
        with st.expander("Stage win rates from history (used by 'Observed stage win rate')"):
            widgets.calibration_table(result.calibration(model.min_closed_for_calibration))
            st.caption(
                f"Observed only where at least {model.min_closed_for_calibration} closed deals reached the "
                "stage (the scoring model's setting); otherwise insufficient history."
            )


def _source_label(source: str) -> str:
    return PROBABILITY_SOURCES[source]


def _tier_probabilities(assessment: Assessment, result: Result) -> dict[str, float]:
    from salesopt.qualification.scorecards import score_pipeline, with_custom

    q = assessment.qualification
    card = with_custom(state.catalog().scorecards(), q.custom_frameworks).get(q.framework_id)
    if card is None or not q.pipeline:
        return {}
    open_deals = result.deals[result.deals["opportunity_id"].astype(str).isin(q.pipeline)]
    table = score_pipeline(card, open_deals, q.pipeline)
    return {
        str(r["opportunity_id"]): r["adjusted_probability"]
        for r in table.to_dict("records")
        if r["adjusted_probability"] is not None and not pd.isna(r["adjusted_probability"])
    }
