"""What-if: levers on volume, conversion, velocity, deal size and people; scenarios, sensitivity,
reverse funnel, capacity, and the Monte Carlo forecast range of the open pipeline."""

import streamlit as st

from salesopt.forecast.baseline import calibrate
from salesopt.forecast.whatif import BASELINE_FIELDS
from ui import forecast_ui, funnel_ui, page, whatif_ui

page.frame()
assessment = page.require_assessment()
st.title("What-if")
st.caption("Volume x conversion x velocity, deal size and people: move the levers, save scenarios, compare them.")
result, _ = funnel_ui.current_result(assessment)
cal = calibrate(assessment, result.analysis if result else None, result.deals if result else None)
base = cal.baseline
if base is None:
    st.info(
        "The baseline needs: " + "; ".join(cal.missing) + ". Fill them in below, or answer Stages 1-2.",
        icon=":material/info:",
    )
    whatif_ui.baseline_editor(assessment, {k: None for k in BASELINE_FIELDS} | assessment.whatif.overrides)
    whatif_ui.baseline_notes(cal)
    st.stop()
whatif_ui.baseline_editor(assessment, {k: getattr(base, k) for k in BASELINE_FIELDS})
whatif_ui.baseline_notes(cal)

tabs = st.tabs(["Levers", "Scenarios", "Sensitivity", "Reverse funnel", "Capacity", "Forecast range"])
with tabs[0]:
    whatif_ui.levers(assessment, base, cal.conversion_basis)
with tabs[1]:
    whatif_ui.scenarios_panel(assessment, base)
    whatif_ui.impact_panel(assessment, result)
with tabs[2]:
    whatif_ui.sensitivity_panel(assessment, base)
with tabs[3]:
    whatif_ui.reverse_panel(assessment, base)
with tabs[4]:
    whatif_ui.capacity_panel(assessment, base)
with tabs[5]:
    forecast_ui.forecast_panel(assessment, result)
