"""Workshop mode on a 1920x1080 projector: the text the room reads is 24 px or more, headings larger."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_demo

TIMEOUT = 30_000
# every visible text element of the main area with its computed size (px)
SIZES = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  for (const el of main.querySelectorAll('p, li, label, td, th, input, textarea, h1, h2, h3')) {
    const box = el.getBoundingClientRect();
    const text = (el.value || el.innerText || '').trim();
    if (!text || box.width === 0 || box.height === 0) continue;
    const shown = /^H[1-3]$/.test(el.tagName) && el.querySelector('span') ? el.querySelector('span') : el;
    out.push({tag: el.tagName.toLowerCase(), size: parseFloat(getComputedStyle(shown).fontSize), text: text.slice(0, 40)});
  }
  return out;
}"""


def _sizes(page: Page) -> list[dict]:
    page.wait_for_timeout(1200)
    return page.evaluate(SIZES)


def test_workshop_text_is_readable_from_the_back_of_the_room(app_url, browser, artifacts):
    context, page = open_demo(browser, app_url, 1920, 1080)
    page.get_by_text("Workshop mode").click()
    expect(page.get_by_text("Question 1 of", exact=False).first).to_be_visible()

    for where in ("stage1", "stage2", "stage5_dashboards"):
        if where == "stage2":
            page.get_by_role("link", name="2 · Funnel analysis").first.click()
            page.get_by_role("tab", name="Funnel").click()
            expect(page.get_by_text("Opportunities", exact=True).first).to_be_visible()
        if where == "stage5_dashboards":
            page.get_by_role("link", name="5 · Performance").first.click()
            page.get_by_role("tab", name="Dashboards").click()
            expect(page.get_by_text("Revenue: won, forecast and target by quarter").first).to_be_visible()
        sizes = _sizes(page)
        page.screenshot(path=str(artifacts / f"workshop_type_{where}.png"))
        body = [s for s in sizes if s["tag"] not in ("h1", "h2", "h3")]
        small = [s for s in body if s["size"] < 24]
        assert body and not small, f"{where}: text under 24 px: {small[:5]}"
        heads = [s["size"] for s in sizes if s["tag"] in ("h1", "h2", "h3")]
        assert heads and min(heads) >= 32, f"{where}: headings {heads}"  # larger than the text
        median = sorted(s["size"] for s in body)[len(body) // 2]
        print(f"{where}: {len(body)} text elements, smallest {min(s['size'] for s in body)} px, median {median} px")
    context.close()


def test_workshop_mode_survives_a_reload(app_url, browser):
    context, page = open_demo(browser, app_url, 1920, 1080)
    page.get_by_text("Workshop mode").click()
    expect(page.get_by_text("Question 1 of", exact=False).first).to_be_visible()
    page.get_by_role("link", name="2 · Funnel analysis").first.click()
    expect(page.get_by_text("Stage 2 · ", exact=False).first).to_be_visible()  # the workshop stage banner
    page.reload()  # the projector's browser reloads: still workshop mode, same page
    expect(page.get_by_role("heading", name="Stage 2 · Funnel analysis", exact=True)).to_be_visible()
    expect(page.get_by_text("left of", exact=False).first).to_be_visible()  # the timebox: workshop mode
    context.close()


def test_the_stage_timebox_starts_pauses_and_resets(app_url, browser, artifacts):
    context, page = open_demo(browser, app_url, 1920, 1080)
    page.get_by_text("Workshop mode").click()
    expect(page.get_by_text("left of 20 min (not started)")).to_be_visible()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("(running)")).to_be_visible()
    expect(page.get_by_text("(running)")).to_contain_text("19:5", timeout=15_000)  # it runs down from 20:00
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("(paused)")).to_be_visible()
    paused = page.get_by_text("(paused)").inner_text()
    page.wait_for_timeout(2000)
    assert page.get_by_text("(paused)").inner_text() == paused  # a paused clock stands still
    page.screenshot(path=str(artifacts / "workshop_timebox.png"))
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text("20:00 left of 20 min (not started)")).to_be_visible()
    context.close()
