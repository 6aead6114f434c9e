"""Two answers a few ms apart from one user, in a real browser: how often the page claims a conflict
with itself, and whether both answers are in the database (issue 22: 13 of 45 trials on main).

Usage: .venv/bin/python bench/quick_answers.py [TRIALS]   (APP_ROOT=/path/to/other/checkout to compare)"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e import server  # noqa: E402
from tests.e2e.server import CHROMIUM_ARGS, free_port, start_app, stop  # noqa: E402


def main(trials: int) -> None:
    data = Path(tempfile.mkdtemp())
    port = free_port()
    env = {**os.environ, "SALESOPT_DATA_DIR": str(data)}
    env.pop("SALESOPT_DATABASE_URL", None)
    if os.environ.get("APP_ROOT"):
        server.ROOT = Path(os.environ["APP_ROOT"])
    proc = start_app(port, env)
    conflicts = lost = 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            for i in range(trials):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(20_000)
                page.goto(f"http://127.0.0.1:{port}")
                page.get_by_label("Title", exact=True).fill(f"Trial {i}")
                page.get_by_role("button", name="Start a new assessment").click()
                page.get_by_role("heading", name="Stage 1 · Sales context", exact=True).wait_for()
                size = page.get_by_label("What is your average deal size?", exact=True)
                cycle = page.get_by_label("What is your typical sales cycle length?", exact=True)
                size.fill("50k")
                cycle.fill("9 months")
                gap = i % 4  # the two answers leave the browser 0-3 ms apart
                page.evaluate(
                    """async (gap) => {
                      const enter = (el) => el.dispatchEvent(new KeyboardEvent('keydown',
                        {key: 'Enter', code: 'Enter', keyCode: 13, which: 13, bubbles: true, cancelable: true}));
                      const [a, b] = document.querySelectorAll('[data-testid="stTextInput"] input');
                      enter(a);
                      if (gap) await new Promise((r) => setTimeout(r, gap));
                      enter(b);
                    }""",
                    gap,
                )
                time.sleep(1.5)
                body = page.inner_text("body")
                conflicts += "Someone else saved" in body
                with sqlite3.connect(data / "salesopt.db") as db:  # raw: the other checkout's schema may differ
                    [(raw,)] = db.execute("SELECT data FROM assessments WHERE title = ?", (f"Trial {i}",)).fetchall()
                answers = json.loads(raw)["context"]["answers"]
                lost += answers != {"avg_deal_size": 50000.0, "sales_cycle": 270.0}
                page.close()
            browser.close()
    finally:
        stop(proc)
    print(
        f"quick answers: {trials} trials, {conflicts} false conflicts, {lost} with an answer missing from the database"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
