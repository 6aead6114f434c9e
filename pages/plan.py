"""Plan: the Sales Process Optimization Plan built from the assessment so far, with its downloads."""

import streamlit as st

from salesopt.assessment import to_json
from salesopt.facts import gather
from salesopt.plan import render_markdown
from salesopt.recommend import run
from salesopt.whatif import chosen_impact
from ui import funnel_ui, state, widgets

widgets.frame()

assessment = widgets.require_assessment()
result, _ = funnel_ui.current_result(assessment)
impact = chosen_impact(assessment, result.analysis if result else None, result.deals if result else None)
recommendations = run(state.catalog().rules(), gather(assessment, state.catalog(), result))
markdown = render_markdown(
    assessment, state.catalog(), result.analysis if result is not None else None, impact, recommendations
)

st.title("Sales Process Optimization Plan")
st.caption("Built from the answers so far. Sections without data say what is missing and which stage collects it.")
c1, c2 = st.columns(2)
c1.download_button(
    "Download plan (Markdown)",
    markdown,
    "sales-process-optimization-plan.md",
    "text/markdown",
    icon=":material/download:",
    on_click="ignore",
    width="stretch",
)
c2.download_button(
    "Download assessment (JSON)",
    to_json(assessment),
    "assessment.json",
    "application/json",
    icon=":material/download:",
    on_click="ignore",
    width="stretch",
)
with st.container(border=True):
    st.markdown(markdown)
