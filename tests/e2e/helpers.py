"""What several browser tests do: open the demo assessment in a new browser context."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

TIMEOUT = 30_000


def open_demo(browser: Any, app_url: str, width: int = 1920, height: int = 1080, **context: Any) -> tuple[Any, Any]:
    """(context, page) with the demo open on Stage 1."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, **context)
    page = ctx.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(app_url)
    page.get_by_role("tab", name="Demo").click()
    page.get_by_role("button", name="Open the demo assessment").click()
    expect(page.get_by_role("heading", name="Stage 1 · Sales context", exact=True)).to_be_visible()
    return ctx, page
