"""Stage 5 · Performance management: metrics framework, dashboards from the export, forecasting and
accuracy, performance tiers, then the stage's questions (compensation, cadence) and output."""

import streamlit as st

from salesopt.management.team import quota_per_rep
from salesopt.report.figures import implied_quota
from ui import dialogue_ui, funnel_ui, page, performance_ui

page.frame()
stage = page.require_stage("performance")
assessment = page.require_assessment()
page.header(stage)
kit = page.require_kit("performance")
result, _ = funnel_ui.current_result(assessment)
quota = implied_quota(assessment)

tabs = st.tabs(["Metrics", "Dashboards", "Forecasting", "Tiers", "Questions"])
with tabs[0]:
    performance_ui.metrics_framework(assessment, kit)
with tabs[1]:
    quotas = performance_ui.quota_editor(assessment, result, quota_per_rep(assessment, quota))
    performance_ui.dashboards(assessment, kit, result, quotas, quota)
with tabs[2]:
    performance_ui.forecasting(assessment, kit, result)
with tabs[3]:
    performance_ui.tiers_panel(assessment, kit, result)
with tabs[4]:
    dialogue_ui.dialogue(stage, assessment)
