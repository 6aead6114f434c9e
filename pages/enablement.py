"""Stage 4 · Enablement and tools: content by phase with gap scores linked to the funnel's leaks,
playbooks, tech stack, onboarding plan and SOPs, then the stage's questions and output."""

import streamlit as st

from ui import enablement_ui, funnel_ui, widgets

widgets.frame()
stage = widgets.require_stage("enablement")
assessment = widgets.require_assessment()
widgets.page_header(stage)
kit = widgets.require_kit("enablement")
result, _ = funnel_ui.current_result(assessment)

tabs = st.tabs(["Content", "Playbooks", "Tech stack", "Onboarding", "SOPs", "Questions"])
with tabs[0]:
    enablement_ui.content(assessment, kit, result.analysis.biggest_leak if result else None)
with tabs[1]:
    enablement_ui.playbooks(assessment, kit)
with tabs[2]:
    enablement_ui.tech_stack(assessment, kit)
with tabs[3]:
    enablement_ui.onboarding(assessment, kit)
with tabs[4]:
    enablement_ui.sops(assessment, kit)
with tabs[5]:
    widgets.dialogue(stage, assessment)
