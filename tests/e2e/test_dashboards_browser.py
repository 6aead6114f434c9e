"""Stage 5 dashboards in a real browser at 1920x1080: the executive, manager and rep views of the
demo draw their charts and tiles, with no raw None/nan/NaT text; screenshots in tests/e2e/artifacts/."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.helpers import open_demo

RAW = re.compile(r"\b(None|nan|NaN|NaT)\b|<NA>")


def test_three_dashboards_render_for_people(app_url, browser, artifacts):
    context, page = open_demo(browser, app_url, 1920, 1080)
    page.get_by_role("link", name="5 · Performance").first.click()
    expect(page.get_by_role("heading", name="Stage 5 · Performance management", exact=True)).to_be_visible()
    page.get_by_role("tab", name="Dashboards").click()
    for view, marker in (
        ("Executive", "Revenue: won, forecast and target by quarter"),
        ("Manager", "Open pipeline by rep and stage"),
        ("Rep", "Open deals:"),
    ):
        page.get_by_role("tab", name=view, exact=True).click()
        expect(page.get_by_text(marker, exact=False).first).to_be_visible()
        page.wait_for_timeout(1500)  # charts draw
        charts = page.locator('[data-testid="stVegaLiteChart"]:visible').count()
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert not RAW.findall(text), (view, RAW.findall(text)[:5])
        # the main area scrolls inside the page: shoot the view from its tabs down, one screen at a time
        page.get_by_role("tab", name=view, exact=True).scroll_into_view_if_needed()
        page.get_by_role("tab", name=view, exact=True).evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(400)
        page.screenshot(path=str(artifacts / f"dashboard_{view.lower()}.png"))
        page.mouse.move(1200, 600)
        page.mouse.wheel(0, 950)
        page.wait_for_timeout(600)
        page.screenshot(path=str(artifacts / f"dashboard_{view.lower()}_2.png"))
        print(f"{view}: {charts} charts")
        if view != "Rep":
            assert charts >= 2, view
    context.close()
