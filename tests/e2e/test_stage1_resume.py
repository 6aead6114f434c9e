"""The main journey in a real browser: start, answer Stage 1, come back through the resume link."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

TIMEOUT = 20_000


def _answer(page: Page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")  # Streamlit commits a text field on blur


def test_stage_one_answers_survive_a_new_session_through_the_resume_link(app_url, browser, artifacts):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(app_url)
    page.get_by_label("Title", exact=True).fill("Browser journey")
    page.get_by_role("button", name="Start a new assessment").click()
    expect(page.get_by_role("heading", name="Stage 1 · Sales context", exact=True)).to_be_visible()

    _answer(page, "What products/services do you sell?", "Fleet telematics for logistics firms")
    _answer(page, "What is your average deal size?", "$42k")
    expect(page.get_by_text("Saved as $42,000")).to_be_visible()
    _answer(page, "What is your typical sales cycle length?", "-3 days")
    expect(page.get_by_text("must not be negative")).to_be_visible()
    _answer(page, "What is your typical sales cycle length?", "4 months")
    expect(page.get_by_text("Saved as 120 days (4 months)")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Sales organization", exact=True)).to_be_visible()
    _answer(page, "How many sales reps do you have?", "8")
    expect(page.get_by_text("Saved as 8")).to_be_visible()
    page.screenshot(path=str(artifacts / "stage1_answering.png"), full_page=True)

    resume_link = page.url
    assert re.search(r"[?&]a=[A-Za-z0-9_-]{43}", resume_link), resume_link
    context.close()  # the tab is closed: nothing survives in the browser

    later = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = later.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(resume_link)
    expect(page.get_by_role("heading", name="Sales organization", exact=True)).to_be_visible()
    expect(page.get_by_label("How many sales reps do you have?", exact=True)).to_have_value("8")
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("What products/services do you sell?", exact=True)).to_have_value(
        "Fleet telematics for logistics firms"
    )
    expect(page.get_by_label("What is your average deal size?", exact=True)).to_have_value("42,000")
    expect(page.get_by_label("What is your typical sales cycle length?", exact=True)).to_have_value("120 days")
    page.screenshot(path=str(artifacts / "stage1_resumed.png"), full_page=True)

    # the sidebar shows progress and the save state; Home shows the same resume link
    expect(page.get_by_text(re.compile(r"1\. Sales context: 4 of 24 answered"))).to_be_visible()
    page.get_by_role("link", name="Home").click()
    expect(page.get_by_text("Your private resume link.")).to_be_visible()
    expect(page.locator("code").filter(has_text=resume_link.split("?")[1])).to_be_visible()
    expect(page.get_by_text("Stage 1", exact=True)).to_be_visible()
    page.screenshot(path=str(artifacts / "home_with_assessment.png"), full_page=True)
    later.close()
