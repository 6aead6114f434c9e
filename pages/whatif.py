"""What-if: move the sales velocity levers and compare scenarios with the baseline."""

import streamlit as st

from salesopt import fmt
from salesopt.assessment import Scenario
from salesopt.whatif import LEVER_LABELS, Change, apply, baseline_from, difference, outcome
from ui import state, widgets

widgets.frame()

assessment = widgets.require_assessment()
st.title("What-if: sales velocity")
st.caption(
    "Sales velocity = open opportunities × win rate × average deal size ÷ sales cycle days "
    "(METRICS.md §2). Move a lever to see what it is worth."
)

st.session_state.setdefault("whatif.open", assessment.whatif.open_opportunities)


def _save_open() -> None:
    current = state.current()
    value = st.session_state["whatif.open"]
    state.update(current.model_copy(update={"whatif": current.whatif.model_copy(update={"open_opportunities": value})}))


st.number_input(
    "Open opportunities in the pipeline today",
    min_value=0.0,
    step=1.0,
    format="%.0f",
    key="whatif.open",
    on_change=_save_open,
    help="Deals that are neither won nor lost.",
)
base = baseline_from(state.current())
if base.missing():
    st.info(
        "The baseline needs "
        + ", ".join(LEVER_LABELS[m] for m in base.missing())
        + ". Answer them and the levers appear here.",
        icon=":material/info:",
    )
    st.page_link("pages/context.py", label="Stage 1 · Sales context", icon=":material/storefront:")
    st.stop()


@st.fragment
def levers() -> None:
    c1, c2 = st.columns(2)
    change = Change(
        open_opportunities=c1.slider("Open opportunities", -50, 100, 0, 5, format="%d%%", key="whatif.opps") / 100,
        win_rate_points=c2.slider("Win rate (points)", -20, 20, 0, 1, format="%+d pts", key="whatif.win") / 100,
        avg_deal_size=c1.slider("Average deal size", -50, 100, 0, 5, format="%d%%", key="whatif.deal") / 100,
        cycle_days=c2.slider("Sales cycle length", -50, 50, 0, 5, format="%d%%", key="whatif.cycle") / 100,
    )
    after = outcome(apply(base, change))
    gain = difference(after, outcome(base))
    cur = assessment.currency
    m1, m2, m3 = st.columns(3)
    m1.metric(
        "Revenue per 30 days",
        fmt.money(after.per_30_days, cur, compact=True),
        delta=fmt.money(gain.per_30_days, cur, compact=True),
        help="Sales velocity × 30: revenue the pipeline produces per month at these levers.",
    )
    m2.metric(
        "Revenue per year",
        fmt.money(after.per_year, cur, compact=True),
        delta=fmt.money(gain.per_year, cur, compact=True),
        help="Sales velocity × 365.",
    )
    m3.metric(
        "Expected wins",
        fmt.number(after.wins, 1),
        delta=fmt.number(gain.wins, 1),
        help="Open opportunities × win rate.",
    )
    with st.form("whatif.save", border=False):
        name = st.text_input("Scenario name", max_chars=80, placeholder="e.g. +5 pts win rate, 20% shorter cycle")
        if st.form_submit_button("Save scenario", icon=":material/save:") and name.strip():
            current = state.current()
            levers_ = {k: v for k, v in change.__dict__.items() if v}
            state.update(
                current.model_copy(
                    update={"scenarios": [*current.scenarios, Scenario(name=name.strip(), levers=levers_)]}
                )
            )
            st.rerun()


levers()
scenarios = state.current().scenarios
if scenarios:
    st.subheader("Saved scenarios")
    rows = []
    for sc in scenarios:
        result = outcome(apply(base, Change(**sc.levers)))
        rows.append(
            {
                "Scenario": sc.name,
                "Revenue per 30 days": fmt.money(result.per_30_days, assessment.currency),
                "Revenue per year": fmt.money(result.per_year, assessment.currency),
                "Expected wins": fmt.number(result.wins, 1),
            }
        )
    st.dataframe(rows, hide_index=True)
