"""Stage 2 in a real browser: the page opens on the figures, a messy export shows its import report
on top of the Data tab, and an export with no recognised stage opens the mapping screen."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_demo

TIMEOUT = 30_000
EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


def _upload(page: Page, name: str) -> None:
    page.get_by_role("tab", name="Data").click()
    page.locator("input[type=file]").first.set_input_files(str(EXPORTS / name))


def test_stage_two_opens_on_the_figures_and_explains_a_messy_import(app_url, browser, artifacts):
    context, page = open_demo(browser, app_url, 1400, 1000)
    page.get_by_role("link", name="2 · Funnel analysis").first.click()
    # an export is loaded: the Funnel tab is the one showing
    expect(page.get_by_role("tab", name="Funnel", selected=True)).to_be_visible()
    expect(page.get_by_text("Opportunities", exact=True).first).to_be_visible()

    # three lines that cannot be deals and a stage-less row are rejected; unreadable cells are emptied
    _upload(page, "broken_lines.csv")
    expect(page.get_by_text("4 of 9 rows were rejected (they cannot be deals)")).to_be_visible()
    expect(page.get_by_role("button", name="Download all 4 lines")).to_be_visible()
    page.screenshot(path=str(artifacts / "stage2_import_report.png"), full_page=True)
    # above 5% affected: the Funnel tab says so too
    page.get_by_role("tab", name="Funnel").click()
    expect(page.get_by_text("were rejected or had a cell emptied").first).to_be_visible()

    # a leads export with a 0/1 outcome and no stage column: the mapping screen, not a dead end
    _upload(page, "converted_leads.csv")
    expect(page.get_by_text("Pick the column that holds each deal's stage")).to_be_visible()
    page.screenshot(path=str(artifacts / "stage2_pick_the_stage.png"), full_page=True)
    page.get_by_label("Which column holds the stage or outcome?").click()
    page.get_by_role("option", name="Converted", exact=True).click()
    page.get_by_role("tab", name="Funnel").click()
    values = page.get_by_test_id("stMetricValue")
    expect(values.first).to_have_text("20")  # 20 leads
    expect(values.nth(1)).to_have_text("40%")  # 8 converted of 20
    expect(
        page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first
    ).to_be_visible()
    page.wait_for_timeout(1500)  # the charts and tables finish drawing before the picture
    page.screenshot(path=str(artifacts / "stage2_outcome_funnel.png"), full_page=True)
    context.close()
