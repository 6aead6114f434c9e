"""A session's save and the version it holds move in one step: ui.state.save_held touches no
Streamlit (whose session-state reads and writes are where a run may be stopped for the next one),
and a save from a session left with an older version merges instead of conflicting with itself."""

from __future__ import annotations

import threading
import time

import pytest

import ui.state as state
from salesopt.model.assessment import Assessment
from salesopt.model.files import to_dict
from salesopt.storage import Store


class _NoStreamlit:
    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"st.{name} was touched during a save")


@pytest.fixture
def opened(sqlite_url):
    store = Store(sqlite_url)
    stored, _ = store.create(Assessment(title="Quick"))
    held = state.Held()
    held.open(to_dict(stored.assessment), stored.version)
    yield store, held, stored.assessment
    store.dispose()


def test_save_and_version_are_one_step_with_no_streamlit_call(opened, monkeypatch):
    store, held, a = opened
    monkeypatch.setattr(state, "st", _NoStreamlit())
    first = a.with_answer("context", "products", "Payroll")
    assert state.save_held(held, store, first) is True
    second = first.with_answer("context", "rep_count", 12)
    assert state.save_held(held, store, second) is True
    assert (held.version, held.base["context"]["answers"]) == (3, {"products": "Payroll", "rep_count": 12})
    assert held.status["state"] == "saved"


def test_answers_0_to_3_ms_apart_from_one_session_never_conflict(opened):
    """45 pairs of answers, the second 0-3 ms after the first, each first save's version withheld
    from the session half the time (the run stopped right after its commit): no conflict, every
    answer in the database."""
    store, held, a = opened
    current = a
    for i in range(45):
        current = current.with_answer("context", "products", f"answer {i}")
        kept = (dict(held.base), held.version)
        assert state.save_held(held, store, current)
        if i % 2:
            held.base, held.version = kept  # the session never heard of that commit
        time.sleep((i % 4) / 1000)
        current = current.with_answer("context", "rep_count", i)
        assert state.save_held(held, store, current), held.status
        assert held.conflict is None
        assert store.load(a.id).assessment.context.answers == {"products": f"answer {i}", "rep_count": i}


def test_two_sessions_saving_different_answers_at_once_lose_none(opened, sqlite_url):
    store, held, a = opened
    other = state.Held()
    other.open(to_dict(a), 1)
    errors: list[str] = []

    def answer(h: state.Held, question: str) -> None:
        base = Assessment.model_validate(h.assessment)
        for i in range(20):
            base = base.with_answer("context", question, f"{question} {i}")
            if not state.save_held(h, store, base):
                errors.append(str(h.status))
            base = Assessment.model_validate(h.assessment)

    threads = [threading.Thread(target=answer, args=(h, q)) for h, q in ((held, "products"), (other, "icp"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.load(a.id).assessment.context.answers == {"products": "products 19", "icp": "icp 19"}
