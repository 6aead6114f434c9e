"""Stage 3 · Qualification and methodology: score deals and the pipeline with framework YAML, pick
the methodology that fits, SPIN guide, business case and objection playbook."""

import streamlit as st

from ui import dialogue_ui, funnel_ui, page, qualification_ui

page.frame()
stage = page.require_stage("qualification")
assessment = page.require_assessment()
page.header(stage)
cards = qualification_ui.scorecards(assessment)

deal_tab, pipeline_tab, fit_tab, spin_tab, value_tab, objections_tab, custom_tab, questions_tab = st.tabs(
    ["Score a deal", "Pipeline", "Which fits", "SPIN guide", "Business case", "Objections", "Custom", "Questions"]
)
with deal_tab:
    card = qualification_ui.pick_framework(assessment, cards)
    qualification_ui.score_deal(assessment, card)
with pipeline_tab:
    result, _ = funnel_ui.current_result(assessment)
    qualification_ui.pipeline(assessment, card, result)
with fit_tab:
    qualification_ui.methodology(assessment)
with spin_tab:
    qualification_ui.spin(assessment)
with value_tab:
    qualification_ui.business_case_panel(assessment)
with objections_tab:
    qualification_ui.objections(assessment)
with custom_tab:
    qualification_ui.custom_frameworks(assessment)
with questions_tab:
    dialogue_ui.dialogue(stage, assessment, output_extra=lambda: qualification_ui.output_summary(assessment))
