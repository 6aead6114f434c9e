"""What-if widgets: the baseline, levers (a fragment, so a lever change reruns only this panel),
scenarios, sensitivity, reverse funnel, capacity, and the chosen scenario's expected impact with the
programme's own case. The Monte Carlo forecast range is in forecast_ui. Calculations are in salesopt."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from salesopt.forecast.baseline import Calibration
from salesopt.forecast.impact import (
    ExpectedImpact,
    binding_note,
    expected_impact,
    headline,
    lever_uplifts,
    programme_case,
)
from salesopt.forecast.whatif import (
    BASELINE_FIELDS,
    Baseline,
    Levers,
    capacity_plan,
    compare,
    hires_needed,
    outcome,
    reps_needed,
    reverse_funnel,
    sensitivity,
)
from salesopt.model.assessment import Assessment
from salesopt.report import charts, fmt
from salesopt.report.mdtext import md_text
from ui import state, widgets

if TYPE_CHECKING:
    from salesopt.funnel.stage2 import Result


def baseline_editor(assessment: Assessment, values: dict[str, float | None]) -> None:
    with st.expander("Baseline figures", expanded=any(v is None for v in values.values())):
        st.caption("From Stage 2 (export or workshop numbers), Stage 1 and Stage 4; change any figure here.")
        with st.form("whatif.baseline"):
            cols = st.columns(2)
            typed = {
                k: cols[i % 2].number_input(label, min_value=0.0, value=values.get(k), key=f"whatif.base.{k}")
                for i, (k, label) in enumerate(BASELINE_FIELDS.items())
            }
            if st.form_submit_button("Save baseline", icon=":material/save:", key="whatif.base.save"):
                limits = {"win_rate": 1, "attainment": 5, "attainment_cap": 2}
                errors = [
                    BASELINE_FIELDS[k] for k, top in limits.items() if (v := typed[k]) is not None and not 0 <= v <= top
                ]
                if errors:
                    st.error("Out of range: " + ", ".join(errors) + " (type a fraction, e.g. 0.2 for 20%).")
                else:
                    state.update_section(
                        "whatif",
                        overrides={k: float(v) for k, v in typed.items() if v is not None and v != values.get(k)}
                        | {
                            k: v
                            for k, v in assessment.whatif.overrides.items()
                            if k not in BASELINE_FIELDS or typed.get(k) == v
                        },
                    )
                    st.rerun()


def baseline_notes(cal: Calibration) -> None:
    """Where each baseline figure came from, and the baseline against actual revenue."""
    if cal.reconciliation is not None:
        st.info(cal.reconciliation.sentence, icon=":material/balance:")
    with st.expander("Where the baseline figures come from"):
        for note in cal.notes:
            st.caption(note)


@st.fragment
def levers(assessment: Assessment, base: Baseline, basis: str | None = None) -> None:
    """The levers; ``basis`` says on what the baseline's conversions rest (on each conversion lever)."""
    st.caption(
        "Move a lever: the figures update at once. Volume, deal size and cycle move by percent; "
        "conversions and win rate by points."
    )
    c1, c2 = st.columns(2)
    conv = []
    for i, c in enumerate(base.conversions):
        col = (c1, c2)[i % 2]
        conv.append(
            col.slider(
                f"{base.stages[i]} → {base.stages[i + 1]} ({fmt.percent(c)})",
                -30,
                30,
                0,
                1,
                format="%+d pts",
                key=f"whatif.conv.{i}",
                help=f"Baseline {fmt.percent(c)}. {basis}" if basis else None,
            )
            / 100
        )
    lv = Levers(
        volume=c1.slider("Top-of-funnel volume", -50, 100, 0, 5, format="%+d%%", key="whatif.volume") / 100,
        deal_size=c2.slider("Average deal size", -50, 100, 0, 5, format="%+d%%", key="whatif.deal") / 100,
        cycle=c1.slider("Sales cycle length", -50, 50, 0, 5, format="%+d%%", key="whatif.cycle") / 100,
        win_rate=c2.slider(
            f"Win rate ({fmt.percent(base.win_rate)})", -20, 20, 0, 1, format="%+d pts", key="whatif.win"
        )
        / 100,
        conversions=tuple(conv),
        hires=float(c1.number_input("New reps to hire", 0, 500, 0, key="whatif.hires")),
        hire_month=int(c2.number_input("Hired in month", 1, 12, 1, key="whatif.hire_month")),
        attrition=c1.slider("Rep attrition per year", 0, 50, 0, 5, format="%d%%", key="whatif.attrition") / 100,
        attainment=c2.slider(
            f"Quota attainment ({fmt.percent(base.attainment)} today)",
            -30,
            60,
            0,
            1,
            format="%+d pts",
            key="whatif.attainment",
            help="At 0, attainment moves with the wins, up to the most of quota a rep carries "
            f"({fmt.percent(base.attainment_cap)}); set, capacity counts the reps at this attainment.",
        )
        / 100,
    )
    before, after = outcome(base), outcome(base, lv)
    cur = assessment.currency
    m = st.columns(4)
    m[0].metric(
        "Projected revenue / year",
        fmt.money(after.projected_revenue, cur, compact=True),
        delta=fmt.money(after.projected_revenue - before.projected_revenue, cur, compact=True),
        help="The smaller of funnel revenue and capacity.",
    )
    m[1].metric(
        "Gap to target",
        fmt.money(after.gap_to_target, cur, compact=True),
        delta="makes the number" if after.makes_target else "short of the target",
        delta_color="normal" if after.makes_target else "inverse",  # green when it is good news
        delta_arrow="off",
        help=f"Target {fmt.money(base.target, cur)} - projected revenue.",
    )
    m[2].metric(
        "Funnel revenue / year",
        fmt.money(after.funnel_revenue, cur, compact=True),
        help="12 x volume x product of conversions x deal size.",
    )
    m[3].metric(
        "Capacity / year",
        fmt.money(after.capacity, cur, compact=True),
        help="Reps (ramping hires, attrition) x quota x the attainment ceiling.",
    )
    m = st.columns(4)
    m[0].metric(
        "Wins / month",
        fmt.number(after.wins_per_month, 1),
        delta=fmt.number(after.wins_per_month - before.wins_per_month, 1),
    )
    m[1].metric(
        "Modelled velocity / 30 days",
        fmt.money(after.velocity_per_30_days, cur, compact=True),
        help="Open opportunities x win rate x deal size / cycle days x 30.",
    )
    m[2].metric(
        "Modelled pipeline value",
        fmt.money(after.pipeline_value, cur, compact=True),
        help="Open opportunities x average deal size (a model; Stage 2's open pipeline sums the deals' amounts).",
    )
    m[3].metric("Modelled coverage", fmt.times(after.coverage), help="Modelled pipeline value / target.")
    st.metric(
        "Quota attainment (projected)",
        fmt.percent(after.attainment),
        help="Projected revenue / the quota the reps carry in the year.",
    )
    st.caption(binding_note(base, lv, after, cur))
    # no form: Enter in the name only commits the name; the button saves, once (a name saved again
    # replaces that scenario's levers)
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    name = c1.text_input(
        "Scenario name", max_chars=80, placeholder="e.g. +10 pts demo to proposal, 2 reps", key="whatif.name"
    )
    if c2.button("Save scenario", icon=":material/save:", key="whatif.save", disabled=not name.strip()):
        state.update(state.opened().with_scenario(name, lv.as_dict()))
        st.rerun()


def scenarios_panel(assessment: Assessment, base: Baseline) -> None:
    saved = assessment.scenarios
    if not saved:
        st.info("No scenarios yet: move the levers and save one.", icon=":material/info:")
        return
    table = compare(base, [(s.name, Levers.from_dict(s.levers, len(base.conversions))) for s in saved])
    widgets.chart(lambda: charts.scenarios(table, base.target), ("scenarios", base, table.to_json()))
    cur = assessment.currency
    widgets.table(
        pd.DataFrame(
            {
                "Scenario": table["scenario"],
                "Projected revenue": table["projected_revenue"].map(lambda v: fmt.money(v, cur)),
                "Gap to target": table["gap_to_target"].map(lambda v: fmt.money(v, cur)),
                "Wins / month": table["wins_per_month"].map(lambda v: fmt.number(v, 1)),
                "Modelled velocity / 30 days": table["velocity_per_30_days"].map(lambda v: fmt.money(v, cur)),
                "Makes the number": table["makes_target"].map({True: "yes", False: "no"}),
            }
        ),
        hide_index=True,
    )
    ids = [s.id for s in saved]
    chosen = st.selectbox(
        "Scenario for the plan's Expected Impact",
        ids,
        format_func=lambda i: next(s.name for s in saved if s.id == i),
        index=ids.index(assessment.whatif.chosen_scenario)
        if assessment.whatif.chosen_scenario in ids
        else len(ids) - 1,
        key="whatif.chosen",
    )
    if chosen != assessment.whatif.chosen_scenario:
        state.update_section("whatif", chosen_scenario=chosen)
        st.rerun()  # the expected impact drawn above is the chosen scenario's
    with st.expander("Rename or delete a scenario"):
        c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
        which = c1.selectbox(
            "Scenario", ids, format_func=lambda i: next(s.name for s in saved if s.id == i), key="whatif.manage"
        )
        new_name = c2.text_input("New name", max_chars=80, key="whatif.rename")
        if c3.button("Rename", key="whatif.rename.apply", disabled=not new_name.strip()):
            try:
                state.update(state.opened().renamed_scenario(which, new_name))
            except ValueError as exc:
                st.error(f"Not renamed: {md_text(str(exc))}.", icon=":material/error:")
            else:
                st.rerun()
        if st.button("Delete this scenario", key="whatif.delete", icon=":material/delete:"):
            state.update(state.opened().without_scenario(which))
            st.rerun()


def sensitivity_panel(assessment: Assessment, base: Baseline) -> None:
    table = sensitivity(base)
    widgets.chart(lambda: charts.tornado(table), ("tornado", base))
    top = table.iloc[0]
    st.caption(
        f"Ranked by swing: {top['lever']} moves projected revenue most "
        f"({fmt.money(top['high'], assessment.currency, compact=True)} for +10%). Revenue is a product of volume, "
        "conversions and deal size, so +10% on any of them is worth the same; per point, the lowest conversion "
        "(the biggest leak) gains most. Where capacity binds, funnel levers move nothing until reps are added."
    )


def reverse_panel(assessment: Assessment, base: Baseline) -> None:
    target = st.number_input("Revenue target per month", 0.0, value=round(base.target / 12, 2), key="whatif.rev")
    table = reverse_funnel(target, base.deal_size, base.stages, base.conversions)
    widgets.table(
        pd.DataFrame(
            {
                "Stage": table["stage"],
                "Needed per month": table["needed_per_month"].map(lambda v: fmt.number(v, 1)),
                "Observed conversion to next": table["conversion_to_next"].map(fmt.percent),
            }
        ),
        hide_index=True,
    )
    st.caption("Wins needed = target / deal size; each earlier stage = the next stage's need / its conversion.")


def capacity_panel(assessment: Assessment, base: Baseline) -> None:
    cur = assessment.currency
    if not base.has_capacity:
        st.info(
            "Capacity is not counted: no team size or quota is known (Stage 1, a Stage 2 target, or the baseline "
            "figures above), so only the funnel limits the projection.",
            icon=":material/info:",
        )
        return
    hires = st.session_state.get("whatif.hires", 0)
    plan = capacity_plan(
        base,
        Levers(
            hires=float(hires),
            hire_month=int(st.session_state.get("whatif.hire_month", 1)),
            attrition=st.session_state.get("whatif.attrition", 0) / 100,
        ),
    )
    c = st.columns(3)
    c[0].metric(
        "Reps needed (fully ramped)",
        fmt.number(reps_needed(base.target, base.quota_per_rep, base.attainment), 1),
        help="Target / (quota per rep x today's attainment).",
    )
    c[1].metric(
        "Hires needed now",
        fmt.number(hires_needed(base), 1),
        help=f"New reps from month 1, ramping over {base.ramp_months:.1f} months, to reach the target.",
    )
    c[2].metric("Ramp", f"{base.ramp_months:.1f} months", help="Stage 4 onboarding length (default 12 weeks).")
    widgets.chart(lambda: charts.capacity(plan), ("capacity", base, plan.to_json()))
    st.caption(
        f"With the hires and attrition set on the Levers tab; {fmt.money(base.quota_per_rep, cur)} quota per "
        f"rep. Capacity counts reps at {fmt.percent(base.attainment_cap)} of quota (the most a rep carries); reps "
        f"and hires needed are at today's {fmt.percent(base.attainment)}."
    )


PROGRAMME_INPUTS = {
    "rep_cost": ("Loaded cost of a rep per year", "Default: a quarter of the quota."),
    "tools_cost": ("Tools for the year", "Default: 1% of the quota a seat."),
    "enablement_hours": ("Training hours per rep in the year", "Default: 40 hours."),
    "gross_margin": ("Gross margin (0-1)", "Without it the return is counted on revenue (an upper bound)."),
}


def impact_panel(assessment: Assessment, result: Result | None) -> None:
    """The chosen scenario's expected impact, its levers alone, and the programme's own case."""
    analysis, deals = (result.analysis, result.deals) if result else (None, None)
    impact = expected_impact(assessment, analysis, deals)
    if impact is None:
        return
    cur = assessment.currency
    st.subheader(f"Expected impact: {md_text(impact.scenario)}")
    if impact.silenced:
        st.warning(f"No money figure: {impact.silenced}.", icon=":material/block:")
        return
    st.markdown(f"**{headline(impact, cur)}**")
    st.caption(f"Range: {impact.range_note}. {impact.binding_note}")
    rows = lever_uplifts(assessment, analysis, deals)
    widgets.table(
        pd.DataFrame(
            {
                "Lever": [r.label for r in rows],
                "Change": [r.change for r in rows],
                "Uplift a year": [fmt.money(r.uplift, cur) for r in rows],
                "Limit": [r.binding for r in rows],
            }
        ),
        hide_index=True,
    )
    if rows:
        st.caption(rows[-1].note)
    for line in impact.assumptions:
        st.caption(line)
    _programme(assessment, impact)


def _programme(assessment: Assessment, impact: ExpectedImpact) -> None:
    case = programme_case(assessment, impact)
    if case is None or case.silenced:
        return
    cur = assessment.currency
    st.markdown("**The programme's own case**")
    c = st.columns(4)
    c[0].metric("Investment", fmt.money(case.investment, cur, compact=True), help="Hires + tools + enablement time.")
    c[1].metric("Return", fmt.money(case.gain, cur, compact=True), help="Uplift x gross margin (revenue if not given).")
    c[2].metric("ROI (programme)", fmt.percent(case.roi), help="(Return - investment) / investment, over 12 months.")
    c[3].metric("Payback (programme)", f"month {case.payback_month}" if case.payback_month else "not in 12 months")
    for line in case.assumptions:
        st.caption(line)
    with st.expander("Programme costs and margin"), st.form("whatif.programme"):
        typed = {
            k: st.number_input(
                label, min_value=0.0, value=assessment.whatif.overrides.get(k), help=tip, key=f"whatif.prog.{k}"
            )
            for k, (label, tip) in PROGRAMME_INPUTS.items()
        }
        if st.form_submit_button("Save costs", icon=":material/save:", key="whatif.prog.save"):
            if typed["gross_margin"] is not None and typed["gross_margin"] > 1:
                st.error("Out of range: gross margin (type a fraction, e.g. 0.75 for 75%).")
            else:
                kept = {k: v for k, v in assessment.whatif.overrides.items() if k not in PROGRAMME_INPUTS}
                state.update_section("whatif", overrides=kept | {k: v for k, v in typed.items() if v is not None})
                st.rerun()
