"""Home: start, resume, import or open the demo; the open assessment's resume link and exports."""

import streamlit as st

from salesopt.model import progress
from salesopt.model.files import to_json, to_yaml
from salesopt.report.export import file_slug
from salesopt.report.mdtext import md_text
from ui import page, state

page.frame()

catalog = state.catalog()
stages = catalog.stages()
assessment = state.current()

st.title("Sales process optimization")
st.markdown(
    "A guided engagement in five stages that turns your answers and CRM data into numbers, charts "
    "and a **Sales Process Optimization Plan**. Answers are saved as you give them."
)
if catalog.problems:
    with st.expander(f":material/warning: {len(catalog.problems)} problem(s) in framework files", expanded=True):
        st.caption("The app runs with the valid files; fix these and restart to use the rest.")
        st.code("\n".join(str(p) for p in catalog.problems), language=None)

if assessment is not None:
    with st.container(border=True):
        st.subheader(f":material/folder_open: {md_text(assessment.title)}")
        if assessment.company:
            st.caption(md_text(assessment.company))
        cols = st.columns(len(stages) or 1)
        for col, stage in zip(cols, stages, strict=False):
            p = progress.of_stage(assessment, stage)
            col.metric(
                f"Stage {stage.number}",
                p.text,
                help=f"{stage.title}: questions answered, the closing question included",
            )
        st.markdown("**Your private resume link.** Keep it: anyone with it can open and edit this assessment.")
        st.code(state.resume_link() or "", language=None, wrap_lines=True)
        first_open = next(
            (s for s in stages if progress.of_stage(assessment, s).answered < progress.of_stage(assessment, s).total),
            stages[0] if stages else None,
        )
        c1, c2, c3, c4 = st.columns(4)
        if first_open is not None:
            c1.page_link(
                f"app_pages/{first_open.id}.py",
                label=f"Continue: stage {first_open.number}",
                icon=":material/play_arrow:",
            )
        slug = file_slug(assessment.title)
        c2.download_button(
            "Export JSON",
            to_json(assessment),
            f"{slug}.json",
            "application/json",
            icon=":material/download:",
            on_click="ignore",
            key="home.export_json",
        )
        c3.download_button(
            "Export YAML",
            to_yaml(assessment),
            f"{slug}.yaml",
            "application/yaml",
            icon=":material/download:",
            on_click="ignore",
            key="home.export_yaml",
        )
        c4.button("Duplicate", on_click=state.duplicate_current, icon=":material/content_copy:", key="home.duplicate")
        left = [(s, progress.of_stage(assessment, s).answered, progress.of_stage(assessment, s).total) for s in stages]
        left = [(s, done, total) for s, done, total in left if done < total]
        if left or assessment.funnel.crm is None:
            st.markdown("**Left to complete the plan**")
            for stage, done, total in left:
                st.page_link(
                    f"app_pages/{stage.id}.py",
                    label=f"Stage {stage.number} · {stage.title}: {total - done} of {total} questions open",
                    icon=":material/radio_button_unchecked:",
                )
            if assessment.funnel.crm is None and assessment.funnel.source != "workshop":
                st.page_link(
                    "app_pages/funnel.py",
                    label="Stage 2 · a CRM export (or workshop numbers) for the funnel figures",
                    icon=":material/upload_file:",
                )
        else:
            st.page_link(
                "app_pages/plan.py", label="Every stage is answered: open the plan", icon=":material/description:"
            )
        st.button("Close this assessment", on_click=state.close, type="tertiary", key="home.close")

st.subheader("Start" if assessment is None else "Start another")
new, demo, resume, upload = st.tabs(["New assessment", "Demo", "Resume", "Import a file"])
with new, st.form("home.new", border=False):
    title = st.text_input("Title", placeholder="e.g. FY27 sales process review", max_chars=200, key="home.new.title")
    company = st.text_input("Company", max_chars=200, key="home.new.company")
    if st.form_submit_button("Start a new assessment", type="primary", icon=":material/add:", key="home.new.start"):
        if state.start_new(title, company):
            st.switch_page("app_pages/context.py")
        page.flash_here()  # a failing database is answered here, where the button was pressed
with demo:
    st.markdown(
        "A worked example: B2B SaaS, \\$50K ACV, 10 AEs and 5 SDRs, 60% quota attainment, "
        "20% win rate, a 9-month cycle and a leak from demo to proposal."
    )
    if st.button("Open the demo assessment", icon=":material/rocket_launch:", key="home.demo"):
        if state.open_demo():
            st.switch_page("app_pages/context.py")
        page.flash_here()
with resume, st.form("home.resume", border=False):
    link = st.text_input(
        "Resume link or token",
        type="password",
        help="The private link shown when the assessment was started.",
        key="home.resume.link",
    )
    if st.form_submit_button("Resume", icon=":material/history:", key="home.resume.submit") and link.strip():
        if state.resume(link):
            st.rerun()
        message = state.pop_flash()  # a wrong link is answered here, where it was pasted
        if message:
            st.error(message[1], icon=":material/link_off:")
with upload:
    file = st.file_uploader(
        "Assessment file (.json or .yaml, exported from salesopt)",
        type=["json", "yaml", "yml"],
        max_upload_size=5,
        key="home.upload",
    )
    if file is not None and st.button("Import as a new assessment", icon=":material/upload:", key="home.import"):
        error = state.import_file(file.getvalue(), file.name)
        if error:
            st.error(f"Nothing was imported. {md_text(error)}", icon=":material/error:")
        else:
            st.switch_page("app_pages/context.py")

st.subheader("The five stages")
for stage in stages:
    st.markdown(f"**{stage.number}. {stage.title}** · about {stage.minutes} min  \n{stage.goal}")
