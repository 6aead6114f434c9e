"""Scale-out: two app processes on different ports share one PostgreSQL; an assessment started and
answered through one resumes, answers intact, through the other (needs SALESOPT_TEST_POSTGRES_URL,
which `make test` provides)."""

from __future__ import annotations

import os
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.server import free_port, start_app, stop

PG = os.environ.get("SALESOPT_TEST_POSTGRES_URL")


def _wait_saved(url: str, answer: str, seconds: float = 15) -> None:
    """Until the shared database holds the answer (the page's save runs after the keystroke)."""
    from salesopt.storage import Store

    store, deadline = Store(url), time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            for summary in store.list():
                if store.load(summary.id).assessment.context.answers.get("products") == answer:
                    return
            time.sleep(0.2)
        raise AssertionError(f"the answer {answer!r} never reached the database")
    finally:
        store.engine.dispose()


@pytest.mark.skipif(not PG, reason="needs PostgreSQL: SALESOPT_TEST_POSTGRES_URL (make test starts one)")
def test_an_assessment_saved_through_one_replica_resumes_through_the_other(browser, artifacts):
    ports = [free_port(), free_port()]
    env = {**os.environ, "SALESOPT_DATABASE_URL": PG or ""}
    replicas = [start_app(p, env) for p in ports]
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        page.goto(f"http://127.0.0.1:{ports[0]}/")
        page.get_by_label("Title", exact=True).fill("Two replicas")
        page.get_by_role("button", name="Start a new assessment").click()
        field = page.get_by_label("What products/services do you sell?", exact=True)
        field.fill("Answered on replica A")
        field.press("Tab")
        expect(page.get_by_text("All answers saved")).to_be_visible()
        _wait_saved(PG or "", "Answered on replica A")  # the indicator shows before this save lands
        link = page.url.replace(f":{ports[0]}/", f":{ports[1]}/")
        page.close()
        other = browser.new_page(viewport={"width": 1400, "height": 1000})
        other.set_default_timeout(30_000)
        other.goto(link)
        expect(other.get_by_role("heading", name="Stage 1 · Sales context", exact=True)).to_be_visible()
        expect(other.get_by_label("What products/services do you sell?", exact=True)).to_have_value(
            "Answered on replica A"
        )
        other.screenshot(path=str(artifacts / "replica_b_resumed.png"))
        other.close()
    finally:
        for proc in replicas:
            stop(proc)
