"""Every page renders; Stage 1 answers survive page switches, reloads and bad input; conflicts show."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from salesopt.storage import Store
from tests.helpers import PAGES, ROOT, open_demo, opened


def texts(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.info]
    parts += [e.value for e in at.error] + [e.value for e in at.title] + [e.value for e in at.subheader]
    return "\n".join(str(p) for p in parts)


def test_home_renders_with_the_five_stages(app):
    body = texts(app)
    assert "Sales process optimization" in body
    for title in (
        "Sales context",
        "Funnel analysis",
        "Qualification and methodology",
        "Enablement and tools",
        "Performance management",
    ):
        assert title in body


@pytest.mark.parametrize("page", [p for p in PAGES[1:] if p != "app_pages/admin.py"])
def test_every_page_without_an_assessment_points_to_home(app, page):
    app.switch_page(page).run()
    assert not app.exception
    assert "No assessment is open" in texts(app)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_the_demo(app, page):
    open_demo(app)
    app.switch_page(page).run()
    assert not app.exception, app.exception


def test_demo_opens_on_the_stage_one_summary_with_its_figures(app):
    open_demo(app)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Average deal size (reported)"] == "$50K"
    assert metrics["Win rate (reported)"] == "20%"
    assert metrics["Quota attainment (reported)"] == "60%"
    assert metrics["Sales cycle (reported)"] == "270 days"
    assert "What's the #1 sales problem" in app.text_area(key="q.context.closing").label


def _start(app: AppTest, title: str = "Workshop") -> AppTest:
    app.text_input[0].input(title)
    app.button[0].click()  # the form's submit button is the first button on Home
    app.run()
    assert not app.exception, app.exception
    return app


def test_stage_one_flow_survives_page_switch_and_resume(app, db_path):
    _start(app, "ACME review")
    assert "Stage 1 · Sales context" in texts(app)
    app.text_area(key="q.context.products").input("Payroll software").run()
    app.text_input(key="q.context.avg_deal_size").input("50k").run()
    app.text_input(key="q.context.sales_cycle").input("9 months").run()
    app.button(key="context.next").click().run()
    app.text_input(key="q.context.rep_count").input("12").run()
    assert not app.exception

    app.switch_page("app_pages/plan.py").run()
    app.switch_page("app_pages/context.py").run()
    assert app.text_input(key="q.context.rep_count").value == "12"
    app.button(key="context.back").click().run()
    assert app.text_area(key="q.context.products").value == "Payroll software"
    assert app.text_input(key="q.context.avg_deal_size").value == "50,000"

    token = app.session_state["so.token"]
    stored = Store(f"sqlite:///{db_path}").load_by_token(token)
    assert stored.assessment.title == "ACME review"
    assert stored.assessment.context.answers == {
        "products": "Payroll software",
        "avg_deal_size": 50000.0,
        "sales_cycle": 270.0,
        "rep_count": 12,
    }
    assert stored.assessment.context.step == 0

    # a new browser session through the resume link sees the same answers
    again = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    again.query_params["a"] = token
    again.run()
    again.switch_page("app_pages/context.py").run()
    assert again.text_area(key="q.context.products").value == "Payroll software"


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("q.context.avg_deal_size", "-5000", "must not be negative"),
        ("q.context.avg_deal_size", "lots", "is not an amount of money"),
        ("q.context.sales_cycle", "forever", "is not a duration"),
    ],
)
def test_bad_values_get_an_inline_message_and_are_not_saved(app, db_path, key, raw, message):
    _start(app)
    app.text_input(key=key).input(raw).run()
    assert any(message in e.value for e in app.error)
    assert app.text_input(key=key).value == raw  # what the user typed stays on screen
    [summary] = Store(f"sqlite:///{db_path}").list()
    assert Store(f"sqlite:///{db_path}").load(summary.id).assessment.context.answers == {}


def test_percent_over_100_and_text_in_a_number_are_refused(app, db_path):
    _start(app)
    app.button(key="context.next").click().run()
    app.text_input(key="q.context.rep_count").input("ten").run()
    app.button(key="context.next").click().run()
    app.text_input(key="q.context.win_rate").input("140%").run()
    errors = " ".join(e.value for e in app.error)
    assert "must be at most 100%" in errors
    [summary] = Store(f"sqlite:///{db_path}").list()
    assert Store(f"sqlite:///{db_path}").load(summary.id).assessment.context.answers == {}


def test_a_save_over_a_newer_version_shows_the_conflict_and_keeps_my_answer(app, db_path):
    _start(app)
    store = Store(f"sqlite:///{db_path}")
    [summary] = store.list()
    theirs = store.load(summary.id)
    store.save(theirs.assessment.with_answer("context", "products", "theirs"), theirs.version)

    app.text_area(key="q.context.products").input("mine").run()
    assert any("Someone else saved this assessment" in e.value for e in app.error)
    assert store.load(summary.id).assessment.context.answers["products"] == "theirs"

    app.button(key="conflict.copy").click().run()
    assert not app.exception
    assert store.count() == 2
    copies = [store.load(s.id).assessment for s in store.list() if s.id != summary.id]
    assert copies[0].context.answers["products"] == "mine"
    assert not any("Someone else saved" in e.value for e in app.error)
    assert any("Its private resume link" in m.value and "?a=" in m.value for m in app.success)  # the new link, shown


def test_conflict_overwrite_and_reload(app, db_path):
    _start(app)
    store = Store(f"sqlite:///{db_path}")
    [summary] = store.list()
    theirs = store.load(summary.id)
    store.save(theirs.assessment.with_answer("context", "products", "theirs"), theirs.version)
    app.text_area(key="q.context.products").input("mine").run()
    app.button(key="conflict.overwrite").click().run()
    assert store.load(summary.id).assessment.context.answers["products"] == "mine"

    current = store.load(summary.id)
    store.save(current.assessment.with_answer("context", "products", "theirs again"), current.version)
    app.text_area(key="q.context.products").input("mine again").run()
    app.button(key="conflict.reload").click().run()
    assert app.text_area(key="q.context.products").value == "theirs again"


def test_a_wrong_resume_link_says_so(db_path):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.query_params["a"] = "not-a-real-token"
    at.run()
    assert not at.exception
    assert any("does not match any assessment" in e.value for e in at.error)


def test_closing_question_answer_is_kept(app):
    open_demo(app)
    app.text_area(key="q.context.closing").input("Fix qualification first").run()
    app.switch_page("app_pages/plan.py").run()
    assert "Fix qualification first" in texts(app)


def test_whatif_levers_scenarios_and_forecast_on_the_demo(app):
    open_demo(app)
    app.switch_page("app_pages/whatif.py").run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Capacity / year"] == "$5M"  # 10 reps x $500,000 quota x 100%, the most of quota a rep carries
    wins_before = float(metrics["Wins / month"])
    app.slider(key="whatif.conv.1").set_value(10).run()  # Demo -> Proposal +10 points
    app.number_input(key="whatif.hires").set_value(2).run()
    metrics = {m.label: m.value for m in app.metric}
    assert float(metrics["Wins / month"]) > wins_before
    assert metrics["Capacity / year"] != "$5M"
    before = opened(app)["scenarios"]  # the demo's own scenario, chosen for the plan
    app.text_input(key="whatif.name").input("+10 pts demo to proposal, 2 reps").run()
    assert opened(app)["scenarios"] == before  # Enter commits the name, it does not save
    app.button(key="whatif.save").click().run()
    app.button(key="whatif.save").click().run()  # saved once: the same name again replaces it
    assert not app.exception
    scenarios = opened(app)["scenarios"]
    assert len(scenarios) == len(before) + 1 and scenarios[-1]["name"] == "+10 pts demo to proposal, 2 reps"
    assert scenarios[-1]["levers"] == {"conversion_1": 0.1, "hires": 2.0}
    assert {"P10", "P50", "P90", "Chance of the target", "Category forecast"} <= {m.label for m in app.metric}


def test_whatif_scenarios_can_be_renamed_and_deleted(app):
    open_demo(app)
    app.switch_page("app_pages/whatif.py").run()
    app.selectbox(key="whatif.manage").select_index(0).run()  # the demo's own scenario, out of the way
    app.button(key="whatif.delete").click().run()
    for name in ("Plan A", "Plan B"):
        app.text_input(key="whatif.name").input(name).run()
        app.button(key="whatif.save").click().run()
    app.selectbox(key="whatif.manage").select_index(0).run()
    app.text_input(key="whatif.rename").input("plan b").run()
    app.button(key="whatif.rename.apply").click().run()  # the other one's name, in other case: refused
    assert any("another scenario is already called 'plan b'" in e.value for e in app.error)
    app.text_input(key="whatif.rename").input("Hire two reps").run()
    app.button(key="whatif.rename.apply").click().run()
    names = [s["name"] for s in opened(app)["scenarios"]]
    assert names == ["Hire two reps", "Plan B"]
    app.selectbox(key="whatif.manage").select_index(1).run()
    app.button(key="whatif.delete").click().run()
    assert not app.exception
    assert [s["name"] for s in opened(app)["scenarios"]] == ["Hire two reps"]


def test_whatif_without_stage_two_asks_for_the_baseline(app):
    _start(app)
    app.switch_page("app_pages/whatif.py").run()
    assert not app.exception
    assert any("The baseline needs" in i.value for i in app.info)


def test_importing_an_assessment_file_creates_a_new_private_copy(app, db_path):
    from salesopt.demo import demo_assessment
    from salesopt.model.files import to_json

    demo = demo_assessment()
    app.file_uploader(key="home.upload").upload("client.json", to_json(demo).encode(), "application/json").run()
    app.button(key="home.import").click().run()
    assert not app.exception
    store = Store(f"sqlite:///{db_path}")
    [summary] = store.list()
    imported = store.load(summary.id).assessment
    assert imported.id != demo.id  # never overwrites or reaches the original's record
    assert imported.context == demo.context


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.json", b"\x00\x01\x02 binary", "binary content"),
        ("deals.yaml", b"name,stage\nA,Won\n", "not an assessment file"),
        ("newer.json", b'{"schema_version": 7, "context": {}}', "newer salesopt (schema 7)"),
    ],
)
def test_a_bad_assessment_file_is_refused_and_changes_nothing(app, db_path, name, content, message):
    open_demo(app)
    before = opened(app)
    app.switch_page("app_pages/home.py").run()
    app.file_uploader(key="home.upload").upload(name, content).run()
    app.button(key="home.import").click().run()
    assert not app.exception
    assert any(message in e.value and "Nothing was imported" in e.value for e in app.error)
    assert opened(app) == before
    assert Store(f"sqlite:///{db_path}").count() == 1


def test_a_broken_framework_file_is_listed_on_home_and_the_app_still_runs(db_path, tmp_path, monkeypatch):
    import shutil

    import streamlit as st

    import salesopt.content.frameworks as fw

    shutil.copytree(fw.FRAMEWORKS_DIR, tmp_path / "fw")
    (tmp_path / "fw" / "dialogue" / "2_funnel.yaml").write_text("id: funnel\nnumber: 2\ncolour: red\n")
    monkeypatch.setattr(fw, "FRAMEWORKS_DIR", tmp_path / "fw")
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
        at.run()
        assert not at.exception
        problems = "\n".join(c.value for c in at.code)
        assert "2_funnel.yaml:3: colour: unknown field" in problems
        open_demo(at)
        at.switch_page("app_pages/funnel.py").run()
        assert not at.exception
        assert any("could not be loaded" in e.value for e in at.error)
        at.switch_page("app_pages/context.py").run()
        assert not at.error
    finally:
        st.cache_resource.clear()


def test_workshop_mode_hides_facilitator_notes_until_shown(app):
    open_demo(app)
    app.toggle(key="so.workshop").set_value(True).run()
    app.switch_page("app_pages/context.py").run()
    assert not any("Facilitator:" in i.value for i in app.info)
    # beside the question: what the room has said so far in this part of the stage
    assert any(m.value.startswith("**Said so far:") for m in app.markdown)


def test_workshop_mode_asks_one_question_at_a_time_with_notes(app):
    open_demo(app)
    app.toggle(key="so.workshop").set_value(True).run()
    app.toggle(key="so.notes").set_value(True).run()
    app.switch_page("app_pages/context.py").run()
    assert not app.exception
    # the demo's Stage 1 has every answer, so workshop mode opens on question 1 with one input
    texts = [p.text for p in app.get("progress")]
    # one progress count: the sidebar, the stage banner and the question counter say the same 24
    assert "1. Sales context: 24 of 24 answered" in texts
    assert "Stage 1 · 24 of 24 answered" in texts
    assert "Question 1 of 24 · 24 of 24 answered" in texts
    assert len(app.text_area) + len(app.text_input) == 1
    assert app.text_area(key="q.context.products").value.startswith("B2B SaaS")
    assert any("Facilitator: Listen for one product or many" in i.value for i in app.info)
    app.button(key="context.wnext").click().run()
    assert len(app.get("button_group")) == 1  # sales model: one question on screen
    for _ in range(30):
        if any(b.key == "context.wnext" for b in app.button):
            app.button(key="context.wnext").click().run()
    assert any("What's the #1 sales problem" in t.label for t in app.text_area)


def test_admin_is_off_without_a_password(app):
    app.switch_page("app_pages/admin.py").run()
    assert not app.exception
    assert any("Admin is off" in i.value for i in app.info)


def test_admin_behind_a_password(db_path):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.secrets["admin_password"] = "correct horse"
    at.run()
    at.button(key="home.demo").click().run()
    at.switch_page("app_pages/admin.py").run()
    at.text_input[0].input("wrong")
    at.button[0].click().run()
    assert any("Wrong password" in e.value for e in at.error)
    assert not at.metric
    at.text_input[0].input("correct horse")
    at.button[0].click().run()
    assert {m.label: m.value for m in at.metric}["Assessments"] == "1"


def test_a_wrong_link_pasted_on_home_is_answered_there(app):
    form_input = next(t for t in app.text_input if t.label == "Resume link or token")
    form_input.input("https://example.org/?a=not-a-real-token")
    next(b for b in app.button if b.label == "Resume").click().run()
    assert not app.exception
    assert any("does not match any assessment" in e.value for e in app.error)  # on Home, at once


def test_home_lists_what_is_left_to_complete_the_plan_with_links(app):
    open_demo(app)
    app.switch_page("app_pages/home.py").run()
    assert not app.exception
    texts = [m.value for m in app.markdown]
    assert "**Left to complete the plan**" in texts
    labels = [link.label for link in app.get("page_link")]
    # the demo answers Stages 1, 3, 4 and 5 in full; Stage 2 keeps open questions
    assert any(lbl.startswith("Stage 2 · Funnel analysis: 13 of 22 questions open") for lbl in labels), labels
    assert not any(lbl.startswith("Stage 4") for lbl in labels), labels


def test_an_empty_business_case_says_what_fills_its_chart(app):
    _start(app, "Empty business case")
    app.switch_page("app_pages/qualification.py").run()
    assert not app.exception
    assert any("cash-flow chart appears once the business case has a benefit or a cost" in i.value for i in app.info)
