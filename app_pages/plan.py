"""Plan: the Sales Process Optimization Plan from the assessment so far, and its downloads."""

import streamlit as st

from salesopt.model.files import to_json, to_yaml
from salesopt.report.export import file_slug, render, tables_zip
from salesopt.report.figures import cohort_csv, recommendation_csv, stage_csv
from salesopt.report.plan import build_plan
from ui import funnel_ui, page, state, widgets

page.frame()
assessment = page.require_assessment()
catalog = state.catalog()
result, _ = funnel_ui.current_result(assessment)
plan = build_plan(assessment, catalog, result)
markdown, charts, title = plan.markdown, plan.charts, plan.client
recommendations = list(plan.recommendations)
slug = file_slug(title, "plan")

st.title("Sales Process Optimization Plan")
st.caption(
    f"Built from every stage so far: {plan.sections_complete} of {plan.sections_total} sections complete. "
    "Sections without data say what is missing and which stage collects it."
)
tables = [("recommendations", recommendation_csv(recommendations, assessment.currency))]  # numbers, not text
if plan.roadmap is not None:
    tables.append(("roadmap", plan.roadmap))
if result is not None:
    tables.append(("funnel_stages", stage_csv(result.analysis)))
    if result.has_values("owner"):
        tables.append(("owners", cohort_csv(result.cohort("owner"), "owner", assessment.currency)))
widgets.download_row(
    [
        (
            "Plan (PDF)",
            lambda: render(markdown, "pdf", charts, title, meta=plan.meta),
            f"{slug}-plan.pdf",
            "application/pdf",
            ":material/picture_as_pdf:",
        ),
        (
            "Plan (HTML)",
            lambda: render(markdown, "html", charts, title, meta=plan.meta),
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
        widgets.chart(figure)
        st.caption(caption)
