"""Workshop mode at 1920x1080: the question large on the left, what the room has said so far in its
aspect on the right; one progress count (sidebar, stage banner and question counter agree); Next is
the first button the keyboard reaches after the answer; facilitator notes only when shown; page
idle times measured. Screenshots in tests/e2e/artifacts/."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_demo

IDLE = """() => !document.querySelector('[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]')
  && !document.querySelector('[data-testid="stSkeleton"]')"""


def idle_seconds(page: Page, action) -> float:  # type: ignore[no-untyped-def]
    """Seconds from an action until the app has finished its rerun (no running indicator)."""
    start = time.perf_counter()
    action()
    page.wait_for_timeout(150)
    page.wait_for_function(IDLE, timeout=30_000, polling=50)
    return time.perf_counter() - start


def test_workshop_question_beside_what_was_said_with_one_count(app_url, browser, artifacts):
    context, page = open_demo(browser, app_url, 1920, 1080)
    page.get_by_text("Workshop mode").click()
    counter = page.get_by_text(re.compile(r"^Question 1 of \d+ · \d+ of \d+ answered$"))
    expect(counter).to_be_visible()
    position_total, answered, total = re.match(
        r"Question 1 of (\d+) · (\d+) of (\d+) answered", counter.inner_text()
    ).groups()
    assert position_total == total  # the walk and the count share one total (closing question included)
    expect(page.get_by_text(f"Stage 1 · {answered} of {total} answered")).to_be_visible()
    expect(page.get_by_text(f"1. Sales context: {answered} of {total} answered")).to_be_visible()
    assert page.get_by_text("Facilitator:", exact=False).count() == 0  # notes hidden until shown

    # two columns: the question on the left, what was said so far on the right, side by side
    question = page.locator('[data-testid="stTextArea"]').first.bounding_box()
    said = page.get_by_text("Said so far:", exact=False).first.bounding_box()
    assert said["x"] > question["x"] + question["width"] - 5, (question, said)
    assert said["y"] < question["y"] + question["height"] + 200  # beside it, not under it
    page.screenshot(path=str(artifacts / "workshop_layout_stage1.png"))

    # keyboard: from the answer, Tab reaches Next first
    page.locator('[data-testid="stTextArea"] textarea').first.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => document.activeElement.innerText || document.activeElement.getAttribute('aria-label')"
    )
    assert "Next" in focused, focused
    seconds = idle_seconds(page, lambda: page.keyboard.press("Enter"))
    expect(page.get_by_text(re.compile(r"^Question 2 of \d+"))).to_be_visible()
    print(f"next question idle after {seconds:.2f} s")

    page.get_by_text("Facilitator notes").click()
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_text(re.compile(r"^Question 1 of \d+"))).to_be_visible()
    expect(page.get_by_text("Facilitator:", exact=False).first).to_be_visible()
    page.screenshot(path=str(artifacts / "workshop_layout_stage1_notes.png"))

    # Stage 2's questions: the figures of the export beside the question
    page.get_by_role("link", name="2 · Funnel analysis").first.click()
    page.get_by_role("tab", name="Questions").click()
    expect(page.get_by_text("Said so far:", exact=False).locator("visible=true").first).to_be_visible()
    leak = page.get_by_text("Leak: Demo → Proposal").locator("visible=true").first
    expect(leak).to_be_visible()
    said = page.get_by_text("Said so far:", exact=False).locator("visible=true").first.bounding_box()
    box = leak.bounding_box()
    assert box["x"] + box["width"] < said["x"]  # under the question, left of what was said
    heading = page.get_by_text("The stage's figures").locator("visible=true").first.bounding_box()
    assert heading["y"] + heading["height"] < 1080  # the figures start on the first screen
    page.wait_for_timeout(800)
    page.screenshot(path=str(artifacts / "workshop_layout_stage2.png"))
    # walking the questions with the keyboard and the buttons changed no answer
    expect(page.get_by_text(f"1. Sales context: {answered} of {total} answered")).to_be_visible()
    context.close()


def test_every_page_idles_quickly(app_url, browser):
    context, page = open_demo(browser, app_url, 1920, 1080)
    times = {}
    for link in ("2 · Funnel analysis", "3 · Qualification", "4 · Enablement", "5 · Performance", "What-if", "Plan"):
        times[link] = idle_seconds(page, lambda link=link: page.get_by_role("link", name=link).first.click())
    times["Home"] = idle_seconds(page, lambda: page.get_by_role("link", name="Home").first.click())
    print("idle seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in times.items()))
    assert max(times.values()) < 8, times
    context.close()


# each visible text element of the main area: its colour against the first opaque background behind it
CONTRAST = """() => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bg = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c;
    }
    return [255, 255, 255];
  };
  const out = [];
  const main = document.querySelector('[data-testid="stMain"]');
  for (const el of main.querySelectorAll('p, li, label, h1, h2, h3, td, th')) {
    const box = el.getBoundingClientRect();
    if (!(el.innerText || '').trim() || box.width === 0 || box.height === 0) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg(el));
    out.push({text: el.innerText.trim().slice(0, 40), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)});
  }
  return out;
}"""


def test_workshop_text_meets_contrast_aa(app_url, browser):
    context, page = open_demo(browser, app_url, 1920, 1080)
    page.get_by_text("Workshop mode").click()
    expect(page.get_by_text(re.compile(r"^Question 1 of \d+"))).to_be_visible()
    page.wait_for_timeout(1000)
    ratios = page.evaluate(CONTRAST)
    low = [r for r in ratios if r["ratio"] < 4.5]
    print(f"contrast: {len(ratios)} text elements, lowest {min(r['ratio'] for r in ratios):.2f}:1")
    assert ratios and not low, low[:5]
    context.close()
