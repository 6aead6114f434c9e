"""Stage 2 page: the demo's export, an upload with a column override, bad uploads, workshop numbers."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from salesopt.model.assessment import Assessment, WorkshopRow
from salesopt.storage import Store
from tests.helpers import REAL_DATA, ROOT, open_demo, opened, tab

SMALL = (
    b"Opportunity ID,Stage,Amount,Created Date,Close Date,Owner\n"
    b'1,Closed Won,"$50,000",2024-01-01,2024-03-01,Ana\n2,Closed Lost,"$10,000",2024-01-01,2024-02-01,Ben\n'
    b'3,Closed Won,"$30,000",2024-01-01,2024-01-31,Ana\n4,Negotiation,"$40,000",2024-02-01,2024-09-01,Ben\n'
)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_demo_opens_with_its_crm_export_analysed(app):
    open_demo(app)
    app.switch_page("app_pages/funnel.py").run()
    assert not app.exception
    m = metrics(app)
    assert m["Opportunities"] == "620"
    assert m["Win rate"] == "21%"
    assert m["Coverage"] == "2.1x"  # $10.7M open pipeline / $5M target
    assert "Leak: Demo → Proposal" in m


def test_no_benchmark_is_a_labelled_choice_and_is_saved_as_none(app, db_path):
    open_demo(app)
    app.switch_page("app_pages/funnel.py").run()
    box = app.selectbox(key="funnel.benchmark")
    assert box.options[0] == "No benchmark"  # a word a person reads, not Python's None
    box.set_value("none").run()
    assert not app.exception
    assert app.selectbox(key="funnel.benchmark").value == "none"
    saved = Store(f"sqlite:///{db_path}").load(opened(app)["id"]).assessment
    assert saved.funnel.benchmark_id is None


def test_upload_maps_columns_and_shows_the_figures(app, db_path):
    open_demo(app)
    app.switch_page("app_pages/funnel.py").run()
    tab(app, "Data")
    app.file_uploader(key="funnel.export").upload("mine.csv", SMALL, "text/csv").run()
    assert not app.exception
    m = metrics(app)
    assert m["Opportunities"] == "4"
    assert m["Win rate"] == "66.7%"  # 2 / (2 + 1)
    assert m["Average deal size"] == "$40K"  # (50,000 + 30,000) / 2
    assert m["Sales cycle (median)"] == "45 days"
    store = Store(f"sqlite:///{db_path}")
    saved = store.load(opened(app)["id"]).assessment
    assert saved.funnel.crm.name == "mine.csv"
    assert store.get_file(saved.funnel.crm.sha256, saved.id) == SMALL  # kept in storage, not only in the widget


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01binary\x00", "binary content"),
        (b"", "the file is empty"),
    ],
)
def test_a_bad_upload_says_why_and_keeps_the_previous_data(app, content, message):
    open_demo(app)
    app.switch_page("app_pages/funnel.py").run()
    before = opened(app)["funnel"]["crm"]
    tab(app, "Data")
    app.file_uploader(key="funnel.export").upload("bad.csv", content, "text/csv").run()
    assert not app.exception
    errors = " ".join(e.value for e in app.error)
    assert message in errors and "The previous data (demo-crm-export.csv) stays loaded" in errors
    assert opened(app)["funnel"]["crm"] == before
    assert metrics(tab(app, "Funnel"))["Opportunities"] == "620"


LEADS = b"Prospect ID,Lead Source,Converted\n" + b"".join(
    f"p{i},{'Google' if i % 2 else 'Referral'},{1 if i % 5 < 2 else 0}\n".encode() for i in range(20)
)


def test_an_export_without_a_recognised_stage_opens_the_mapping_screen_not_a_dead_end(app):
    # a leads export whose outcome is a 0/1 "Converted" column: no stage column is recognised
    open_demo(app)
    app.switch_page("app_pages/funnel.py").run()
    tab(app, "Data")
    app.file_uploader(key="funnel.export").upload("leads.csv", LEADS, "text/csv").run()
    assert not app.exception
    warnings = " ".join(w.value for w in app.warning)
    assert "No column of this export is recognised as the deal stage" in warnings
    assert "--map" not in warnings and not app.error  # no pointer to a command-line flag, no error
    app.selectbox(key="funnel.map.stage").select("Converted").run()
    assert not app.exception
    m = metrics(app)
    assert m["Opportunities"] == "20"
    assert m["Win rate"] == "40%"  # 8 of 20 leads converted (i % 5 in {0, 1})


def test_the_import_report_opens_on_the_data_tab_with_a_download(app):
    open_demo(app)
    app.switch_page("app_pages/funnel.py").run()
    bad = SMALL + b'5,Closed Lost,n/a,2024-01-01,soon,Ben\n6,,"$1",2024-01-01,2024-02-01,Ana\n'
    tab(app, "Data")
    app.file_uploader(key="funnel.export").upload("mine.csv", bad, "text/csv").run()
    assert not app.exception
    # 2 of 6 rows affected (33%): an error-coloured line on every Stage 2 tab and on top of the Data tab
    # the page stays on the Data tab, where the report is
    errors = [e.value for e in app.error]
    assert any("1 of 6 rows were rejected" in e and "amount (1), close date (1)" in e for e in errors)
    assert app.session_state["funnel.tab"] == "Data"
    assert metrics(tab(app, "Funnel"))["Opportunities"] == "5"  # the deal with unreadable cells is kept
    for label in ("Funnel", "Cohorts and losses", "Scoring"):
        errors = [e.value for e in tab(app, label).error]
        assert sum("were rejected or had a cell emptied" in e for e in errors) == 1, label


def test_a_column_override_on_the_mapping_screen(app):
    open_demo(app)
    app.switch_page("app_pages/funnel.py").run()
    tab(app, "Data")
    app.file_uploader(key="funnel.export").upload("mine.csv", SMALL, "text/csv").run()
    tab(app, "Data")
    app.selectbox(key="funnel.map.created_date").select("(not mapped)").run()
    assert not app.exception
    assert opened(app)["funnel"]["crm"]["overrides"] == {"created_date": ""}
    assert metrics(tab(app, "Funnel"))["Sales cycle (median)"] == "—"


def test_workshop_numbers_give_conversions(db_path):
    rows = [
        WorkshopRow(stage="Lead", volume=1000),
        WorkshopRow(stage="Demo", volume=200),
        WorkshopRow(stage="Proposal", volume=100),
        WorkshopRow(stage="Closed Won", volume=40, value=2_000_000),
    ]
    a = Assessment()
    a = a.model_copy(update={"funnel": a.funnel.model_copy(update={"source": "workshop", "workshop": rows})})
    _, token = Store(f"sqlite:///{db_path}").create(a)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.query_params["a"] = token
    at.run()
    at.switch_page("app_pages/funnel.py").run()
    assert not at.exception
    m = metrics(at)
    assert m["Overall conversion"] == "4%"
    assert m["Biggest leak"] == "Demo → Proposal"


@pytest.mark.skipif(not REAL_DATA.is_dir(), reason="../shared/data/real is not here")
def test_the_maven_export_through_the_ui_with_one_override(app):
    open_demo(app)
    app.switch_page("app_pages/funnel.py").run()
    raw = (REAL_DATA / "maven-crm-opportunities" / "sales_pipeline.csv").read_bytes()
    tab(app, "Data")
    app.file_uploader(key="funnel.export").upload("sales_pipeline.csv", raw, "text/csv").run()
    tab(app, "Data")
    app.selectbox(key="funnel.map.created_date").select("engage_date").run()
    assert not app.exception
    m = metrics(tab(app, "Funnel"))
    assert m["Opportunities"] == "8,800"
    assert m["Win rate"] == "63.2%"
    assert m["Average deal size"] == "$2.4K"
    assert m["Win rate by value"] == "—"


def test_scoring_tab_and_the_stage_output(app):
    open_demo(app)
    app.switch_page("app_pages/funnel.py").run()
    m = metrics(tab(app, "Scoring"))
    assert {"High priority", "Medium priority", "Low priority"} <= set(m)
    assert sum(int(m[k].replace(",", "")) for k in ("High priority", "Medium priority", "Low priority")) == 205
    tab(app, "Questions")
    for _ in range(6):
        app.button(key="funnel.next").click().run()
    assert not app.exception
    body = " ".join(str(md.value) for md in app.markdown)
    assert "Stage by stage" in body and "Demo → Proposal: 44.9% against 70%" in body
    assert "Which funnel stage needs the most attention" in app.text_area(key="q.funnel.closing").label


def test_reload_theirs_after_a_conflict_leaves_no_stale_widget(app, db_path):
    """The other writer set the target to 9M while I typed 7M: after "Reload theirs" every
    Stage 2 widget shows the stored assessment (the target box, the closed-only toggle)."""
    open_demo(app)
    app.switch_page("app_pages/funnel.py").run()
    store = Store(f"sqlite:///{db_path}")
    aid = opened(app)["id"]
    theirs = store.load(aid)
    store.save(theirs.assessment.updated("funnel", target=9_000_000, closed_only=True), theirs.version)
    app.text_input(key="funnel.target").input("7M").run()  # my save meets their newer version
    app.toggle(key="funnel.closed_only").set_value(False).run()
    assert any("Someone else saved this assessment" in e.value for e in app.error)
    app.button(key="conflict.reload").click().run()
    assert not app.exception
    assert opened(app)["funnel"]["target"] == 9_000_000
    assert app.text_input(key="funnel.target").value == "$9,000,000"
    assert app.toggle(key="funnel.closed_only").value is True
