"""Uploads belong to their assessment: an imported assessment file that names another assessment's
upload (its SHA-256 is in every export) opens nothing of it, in the figures or the mapping preview,
even while that upload's import is in the server's shared memory."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from salesopt.model.files import to_json
from salesopt.storage import Store
from tests.helpers import ROOT, open_demo, opened, tab


def _texts(at: AppTest) -> str:
    return " ".join(e.value for e in (*at.error, *at.info, *at.warning, *at.markdown, *at.caption))


def test_an_imported_file_naming_another_assessments_upload_opens_nothing(app, db_path):
    open_demo(app)  # client A: the demo, with its CRM export as its own upload
    app.switch_page("app_pages/funnel.py").run()
    assert {m.label: m.value for m in app.metric}["Opportunities"] == "620"  # A's import is now in memory
    store = Store(f"sqlite:///{db_path}")
    exported = to_json(store.load(opened(app)["id"]).assessment)
    assert store.load(opened(app)["id"]).assessment.funnel.crm.sha256 in exported

    other = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)  # client B
    other.run()
    other.file_uploader(key="home.upload").upload("a.json", exported.encode(), "application/json").run()
    other.button(key="home.import").click().run()
    assert not other.exception
    other.switch_page("app_pages/funnel.py").run()
    assert not other.exception
    assert "Opportunities" not in {m.label for m in other.metric}
    body = _texts(other)
    assert "demo-crm-export.csv) that was not uploaded to it on this server, so it is not opened here" in body
    tab(other, "Data")
    assert not other.dataframe  # no preview of A's rows either
    assert "Upload the export on the Data tab to analyse it." in _texts(other)
