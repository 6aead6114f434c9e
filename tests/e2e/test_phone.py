"""A phone opening the resume link: at 390x844 every page renders without horizontal scrolling and
the dialogue can be answered."""

from __future__ import annotations

from playwright.sync_api import expect

TIMEOUT = 30_000
PAGES = ["context", "funnel", "qualification", "enablement", "performance", "whatif", "plan", ""]
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_every_page_fits_a_phone_and_the_dialogue_can_be_answered(app_url, browser, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(app_url)
    # the dialogue answers on a phone
    page.get_by_label("Title", exact=True).fill("On the road")
    page.get_by_role("button", name="Start a new assessment").click()
    expect(page.get_by_role("heading", name="Stage 1 · Sales context", exact=True)).to_be_visible()
    field = page.get_by_label("What is your average deal size?", exact=True)
    field.fill("$55k")
    field.press("Tab")
    expect(page.get_by_text("Saved as $55,000")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0, "Stage 1 scrolls sideways on a phone"
    page.screenshot(path=str(artifacts / "phone_stage1.png"), full_page=True)

    # every page, with the demo's figures, charts and tables
    page.goto(app_url)
    page.get_by_role("tab", name="Demo").click()
    page.get_by_role("button", name="Open the demo assessment").click()
    expect(page.get_by_role("heading", name="Stage 1 · Sales context", exact=True)).to_be_visible()
    query = page.url.split("?", 1)[1]
    for name in PAGES:  # each page opened from its address, as a shared link would open it
        page.goto(f"{app_url}/{name}?{query}")
        expect(page.locator("h1").first).to_be_visible()
        page.wait_for_timeout(1500)  # charts and tables drawn
        overflow = page.evaluate(OVERFLOW)
        page.screenshot(path=str(artifacts / f"phone_{name or 'home'}.png"), full_page=True)
        assert overflow <= 0, f"/{name} scrolls {overflow}px sideways on a phone"
    context.close()
