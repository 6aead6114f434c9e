"""Plan: the Sales Process Optimization Plan from the assessment so far, and its downloads."""

import streamlit as st

from salesopt.assessment import to_json, to_yaml
from salesopt.export import file_slug, plan_charts, render, tables_zip
from salesopt.facts import gather
from salesopt.plan import render_markdown
from salesopt.recommend import run
from salesopt.summary import cohort_csv, recommendation_csv, stage_csv
from salesopt.whatif import chosen_impact
from ui import funnel_ui, state, widgets

widgets.frame()
assessment = widgets.require_assessment()
catalog = state.catalog()
result, _ = funnel_ui.current_result(assessment)
analysis = result.analysis if result is not None else None
impact = chosen_impact(assessment, analysis, result.deals if result else None)
recommendations = run(catalog.rules(), gather(assessment, catalog, result))
markdown = render_markdown(assessment, catalog, analysis, impact, recommendations)
charts = plan_charts(analysis, assessment.qualification.business_case, impact)
title = assessment.company or assessment.title
slug = file_slug(title, "plan")

st.title("Sales Process Optimization Plan")
st.caption("Built from every stage so far. Sections without data say what is missing and which stage collects it.")
tables = [("recommendations", recommendation_csv(recommendations, assessment.currency))]  # numbers, not text
if result is not None:
    tables.append(("funnel_stages", stage_csv(analysis)))
    if result.has_values("owner"):
        tables.append(("owners", cohort_csv(result.cohort("owner"), "owner", assessment.currency)))
widgets.download_row(
    [
        (
            "Plan (PDF)",
            lambda: render(markdown, "pdf", charts, title),
            f"{slug}-plan.pdf",
            "application/pdf",
            ":material/picture_as_pdf:",
        ),
        (
            "Plan (HTML)",
            lambda: render(markdown, "html", charts, title),
            f"{slug}-plan.html",
            "text/html",
            ":material/html:",
        ),
        ("Plan (Markdown)", markdown, f"{slug}-plan.md", "text/markdown", ":material/description:"),
    ],
    "plan.plan",
)
widgets.download_row(
    [
        ("Assessment (JSON)", to_json(assessment), f"{slug}.json", "application/json", ":material/download:"),
        ("Assessment (YAML)", to_yaml(assessment), f"{slug}.yaml", "application/yaml", ":material/download:"),
        ("Tables (CSV, zip)", lambda: tables_zip(tables), f"{slug}-tables.zip", "application/zip", ":material/table:"),
    ],
    "plan.data",
)
st.caption("CSV cells that start like a spreadsheet formula (= + - @) get a leading apostrophe.")
with st.container(border=True):
    st.markdown(markdown)
    for caption, figure in charts.values():
        widgets.chart(lambda figure=figure: figure)
        st.caption(caption)
