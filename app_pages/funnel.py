"""Stage 2 · Funnel analysis: the data (CRM export or workshop volumes), the funnel, cohorts and losses,
and the stage's questions ending on its output and closing question."""

import streamlit as st

from salesopt.report.figures import funnel_figures
from ui import dialogue_ui, funnel_data_ui, funnel_figures_ui, funnel_ui, page

page.frame()
stage = page.require_stage("funnel")
assessment = page.require_assessment()
page.header(stage)
result, problem = funnel_ui.current_result(assessment)
funnel_ui.settle_tab(result)

data_tab, funnel_tab, cohorts_tab, scoring_tab, questions_tab = st.tabs(
    ["Data", "Funnel", "Cohorts and losses", "Scoring", "Questions"],
    default=funnel_ui.opening_tab(assessment, result),
    key=funnel_ui.TAB_KEY,
    on_change="rerun",  # only the open tab is drawn: a million-row export's cohorts wait until asked for
)
if data_tab.open:
    with data_tab:
        funnel_data_ui.source_panel(assessment, result, problem)
for tab, panel in (
    (funnel_tab, funnel_figures_ui.figures_panel),
    (cohorts_tab, funnel_figures_ui.cohorts_panel),
    (scoring_tab, funnel_figures_ui.scoring_panel),
):
    if tab.open:
        with tab:
            funnel_ui.import_banner(result)
            panel(assessment, result, problem)
if questions_tab.open:
    with questions_tab:
        bench = funnel_ui.benchmark(assessment)
        output = funnel_figures(result.analysis, assessment.currency, bench) if result is not None else None
        dialogue_ui.dialogue(stage, assessment, output, lambda: funnel_ui.output_summary(assessment, result))
