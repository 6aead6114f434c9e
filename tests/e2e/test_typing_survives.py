"""Answers are saved as they are given: text typed in a text area and never left survives a
closed tab (the page commits it while typing), and typing on through the commit loses nothing."""

from __future__ import annotations

from playwright.sync_api import expect

TIMEOUT = 20_000
PRODUCTS = "What products/services do you sell?"


def test_text_typed_and_not_left_survives_a_closed_tab(app_url, browser, artifacts):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(app_url)
    page.get_by_label("Title", exact=True).fill("Typing journey")
    page.get_by_role("button", name="Start a new assessment").click()
    expect(page.get_by_role("heading", name="Stage 1 · Sales context", exact=True)).to_be_visible()

    box = page.get_by_label(PRODUCTS, exact=True)
    box.click()
    page.keyboard.type("Fleet telematics", delay=40)
    page.wait_for_timeout(1500)  # a pause in typing: the page commits
    page.keyboard.type(" for logistics firms", delay=40)  # typing on through the rerun
    page.wait_for_timeout(1500)
    expect(box).to_be_focused()  # still in the field: never left it
    expect(box).to_have_value("Fleet telematics for logistics firms")
    page.screenshot(path=str(artifacts / "typing_not_left.png"))
    resume_link = page.url
    context.close()  # the tab is closed without leaving the field

    later = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = later.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(resume_link)
    expect(page.get_by_label(PRODUCTS, exact=True)).to_have_value("Fleet telematics for logistics firms")
    later.close()
