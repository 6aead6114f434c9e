"""The page tells the truth about saving: a user's own quick answers never conflict with each other;
"Saved as" and "All answers saved" only over what the database confirmed; a storage fault is said in
words where the user is (under the field, at the top, in the sidebar), never with the server's path,
and Retry saves what was kept; the answer typed just before a reconnect is kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from salesopt.storage import Store, storage_error
from tests.helpers import ROOT, opened


def _texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in (*at.error, *at.warning, *at.caption, *at.markdown, *at.info))


def _start(at: AppTest) -> AppTest:
    at.text_input(key="home.new.title").input("Quick answers")
    at.button(key="home.new.start").click().run()
    assert not at.exception, at.exception
    return at


def test_two_quick_answers_of_one_user_never_conflict(app, db_path):
    """The false "Someone else saved": the first answer's save committed, but the session kept the
    older version (Streamlit stopped the run at its next session-state write, 0-3 ms later, as it did
    when the version was stored there after the commit). The second answer merges, both are saved."""
    _start(app)
    store = Store(f"sqlite:///{db_path}")
    held = app.session_state["so.held"]
    before = (dict(held.base), held.version)
    app.text_area(key="q.context.products").input("Payroll software").run()
    assert store.load(held.assessment["id"]).version == 2
    held.base, held.version = before  # as if the run had stopped right after the first commit
    app.text_input(key="q.context.avg_deal_size").input("50k").run()
    assert not app.exception
    body = _texts(app)
    assert "Someone else saved" not in body
    saved = store.load(held.assessment["id"])
    assert saved.assessment.context.answers == {"products": "Payroll software", "avg_deal_size": 50000.0}
    assert (saved.version, held.version) == (3, 3)
    assert "All answers saved" in body
    assert "Saved as $50,000" in body


def test_another_tabs_answer_to_another_question_is_merged_not_a_conflict(app, db_path):
    _start(app)
    store = Store(f"sqlite:///{db_path}")
    aid = opened(app)["id"]
    other = store.load(aid)  # the second tab answers the deal size meanwhile
    store.save(other.assessment.with_answer("context", "avg_deal_size", 80000.0), other.version)
    app.text_area(key="q.context.products").input("Payroll software").run()
    assert not app.exception
    assert "Someone else saved" not in _texts(app)
    assert store.load(aid).assessment.context.answers == {"avg_deal_size": 80000.0, "products": "Payroll software"}
    assert app.text_input(key="q.context.avg_deal_size").value == "80,000"  # their answer shows here too


def test_a_conflict_shows_each_differing_answer_and_overwrite_keeps_their_other_answers(app, db_path):
    _start(app)
    store = Store(f"sqlite:///{db_path}")
    aid = opened(app)["id"]
    other = store.load(aid)
    theirs = other.assessment.with_answer("context", "products", "ERP").with_answer("context", "avg_deal_size", 80000.0)
    store.save(theirs, other.version)
    app.text_area(key="q.context.products").input("Payroll software").run()
    assert any("Someone else saved this assessment" in e.value for e in app.error)
    tables = [t.value for t in app.table] + [d.value for d in app.dataframe]
    collide = next(t for t in tables if "Yours (not saved)" in t.columns)
    assert collide.to_dict("records") == [
        {
            "Answer": "Stage 1 · What products/services do you sell?",
            "Yours (not saved)": "Payroll software",
            "Theirs (saved)": "ERP",
        }
    ]
    kept = next(t for t in tables if "Changed by" in t.columns)
    assert kept.to_dict("records") == [
        {"Answer": "Stage 1 · What is your average deal size?", "Changed by": "theirs", "Kept as": "$80,000"}
    ]
    app.button(key="conflict.overwrite").click().run()
    assert not app.exception
    assert store.load(aid).assessment.context.answers == {"products": "Payroll software", "avg_deal_size": 80000.0}


def _fail_saves(monkeypatch: pytest.MonkeyPatch, says: str) -> None:
    def save(self, assessment, loaded_version):
        raise storage_error(sqlite3.OperationalError(says), "save your answers")

    monkeypatch.setattr(Store, "save", save)


@pytest.mark.parametrize(
    ("driver_says", "words"),
    [
        ("database or disk is full", "the server's disk is full"),
        ("attempt to write a readonly database", "the database is read-only"),
        ("database is locked", "the database is busy"),
        ("database disk image is malformed", "the database file is damaged"),
    ],
)
def test_a_storage_fault_is_said_where_the_user_is_and_nothing_claims_saved(
    app, db_path, monkeypatch, driver_says, words
):
    _start(app)
    aid = opened(app)["id"]
    with monkeypatch.context() as m:
        _fail_saves(m, driver_says)
        app.text_input(key="q.context.avg_deal_size").input("50k").run()
        assert not app.exception
        body = _texts(app)
        assert f"Not saved: could not save your answers: {words}" in body  # under the field, and in the sidebar
        assert "Your latest changes are not saved" in body  # at the top of the page
        assert "All answers saved" not in body and "Saved as" not in body
        assert str(db_path.parent) not in body
        assert any(f"Not saved: could not save your answers: {words}" in t.value for t in app.toast)
        assert app.text_input(key="q.context.avg_deal_size").value == "50k"  # the answer stays on screen
    assert Store(f"sqlite:///{db_path}").load(aid).assessment.context.answers == {}
    app.button(key="so.retry_save").click().run()  # the fault is gone: Retry saves what was kept
    assert Store(f"sqlite:///{db_path}").load(aid).assessment.context.answers == {"avg_deal_size": 50000.0}
    assert "All answers saved" in _texts(app) and "Saved as $50,000" in _texts(app)


def test_starting_an_assessment_on_a_broken_store_says_why_at_once(db_path: Path):
    db_path.write_bytes(b"")  # a zero-length database file
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.run()
    assert not at.exception
    at.text_input(key="home.new.title").input("Never saved")
    at.button(key="home.new.start").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Nothing was started: could not open the database: its file is empty (0 bytes)" in errors
    assert str(db_path.parent) not in errors
    assert db_path.read_bytes() == b""  # not replaced by an empty store


def test_the_answer_typed_just_before_a_reconnect_is_kept(app, db_path):
    """After a server restart the browser reconnects to a new session and sends the value typed
    meanwhile; no change callback runs for it there. It is saved when its field draws."""
    _start(app)
    token = app.session_state["so.token"]
    aid = opened(app)["id"]
    again = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    again.query_params["a"] = token
    again.session_state["q.context.products"] = "typed during the restart"  # the browser's widget value
    again.switch_page("app_pages/context.py").run()
    assert not again.exception
    assert again.text_area(key="q.context.products").value == "typed during the restart"
    assert Store(f"sqlite:///{db_path}").load(aid).assessment.context.answers == {
        "products": "typed during the restart"
    }
