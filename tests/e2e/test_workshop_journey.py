"""The workshop journey in a real browser at 1920x1080: the demo through all five stages in
workshop mode, ending on a downloaded PDF plan. Screenshots are kept in tests/e2e/artifacts/."""

from __future__ import annotations

from playwright.sync_api import expect

TIMEOUT = 30_000
STAGES = [
    ("1 · Sales context", "Stage 1 · Sales context"),
    ("2 · Funnel analysis", "Stage 2 · Funnel analysis"),
    ("3 · Qualification", "Stage 3 · Qualification and methodology"),
    ("4 · Enablement", "Stage 4 · Enablement and tools"),
    ("5 · Performance", "Stage 5 · Performance management"),
]


def test_demo_through_all_stages_in_workshop_mode_to_a_pdf(app_url, browser, artifacts):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(app_url)
    page.get_by_role("tab", name="Demo").click()
    page.get_by_role("button", name="Open the demo assessment").click()
    expect(page.get_by_role("heading", name="Stage 1 · Sales context", exact=True)).to_be_visible()
    page.get_by_text("Workshop mode").click()
    expect(page.get_by_text("Facilitator notes")).to_be_visible()
    page.get_by_text("Facilitator notes").click()
    expect(page.get_by_text("Question 1 of 24")).to_be_visible()
    expect(page.get_by_text("Facilitator: Listen for one product or many")).to_be_visible()
    page.screenshot(path=str(artifacts / "workshop_1_context.png"))
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Question 2 of 24")).to_be_visible()

    for number, (link, heading) in enumerate(STAGES[1:], start=2):
        page.get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        expect(page.get_by_text(f"Stage {number} · ", exact=False).first).to_be_visible()  # the stage's progress
        page.screenshot(path=str(artifacts / f"workshop_{number}_{link.split(' · ')[1].lower().replace(' ', '_')}.png"))
    page.get_by_role("link", name="2 · Funnel analysis").click()
    page.get_by_role("tab", name="Funnel").click()
    expect(page.get_by_text("Leak: Demo → Proposal").locator("visible=true").first).to_be_visible()
    page.screenshot(path=str(artifacts / "workshop_2_funnel_figures.png"))

    page.get_by_role("link", name="Plan").click()
    expect(page.get_by_role("heading", name="Sales Process Optimization Plan", exact=True)).to_be_visible()
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Plan (PDF)").click()
    download = download_info.value
    path = artifacts / "plan.pdf"
    download.save_as(str(path))
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    page.screenshot(path=str(artifacts / "workshop_6_plan.png"))
    context.close()
