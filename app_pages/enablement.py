"""Stage 4 · Enablement and tools: content by phase with gap scores linked to the funnel's leaks,
playbooks, tech stack, onboarding plan and SOPs, then the stage's questions and output."""

import streamlit as st

from ui import dialogue_ui, enablement_ui, funnel_ui, page

page.frame()
stage = page.require_stage("enablement")
assessment = page.require_assessment()
page.header(stage)
kit = page.require_kit("enablement")
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
    dialogue_ui.dialogue(stage, assessment)
