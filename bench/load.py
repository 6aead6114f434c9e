"""Load: N concurrent browser sessions against one app process, each completing Stage 1 answers
and a Stage 2 import. Reports p50/p95 interaction latency, server memory per session, and checks
that every assessment was saved intact. A benchmark, not a test: it prints figures.

    .venv/bin/python bench/load.py [--sessions 25]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright, expect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.e2e.server import CHROMIUM_ARGS, free_port, start_app, stop  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def session(browser, url: str, csv_path: Path, n: int, latencies: list[float], tokens: list[str]) -> None:  # type: ignore[no-untyped-def]
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(120_000)

    async def timed(action, check) -> None:  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        await action()
        await expect(check).to_be_visible(timeout=120_000)
        latencies.append(time.perf_counter() - t)

    async def answer(label: str, value: str, shown: str) -> None:
        field = page.get_by_label(label, exact=True)
        await field.fill(value)
        await timed(lambda: field.press("Tab"), page.get_by_text(shown))

    await page.goto(url)
    await page.get_by_label("Title", exact=True).fill(f"Load session {n}")
    await timed(
        lambda: page.get_by_role("button", name="Start a new assessment").click(),
        page.get_by_role("heading", name="Stage 1 · Sales context", exact=True),
    )
    await answer("What is your average deal size?", "50k", "Saved as $50,000")
    await answer("What is your typical sales cycle length?", "9 months", "Saved as 270 days (9 months)")
    await timed(
        lambda: page.get_by_role("button", name="Next").click(),
        page.get_by_role("heading", name="Sales organization", exact=True),
    )
    await answer("How many sales reps do you have?", "10", "Saved as 10")
    await timed(
        lambda: page.get_by_role("link", name="2 · Funnel analysis").click(),
        page.get_by_role("heading", name="Stage 2 · Funnel analysis", exact=True),
    )
    await timed(
        lambda: page.locator('input[type="file"]').first.set_input_files(str(csv_path)), page.get_by_text("Loaded:")
    )
    tokens.append(page.url.split("a=")[1].split("&")[0])
    await context.close()


async def run(sessions: int, url: str, csv_path: Path) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    tokens: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        t = time.perf_counter()
        await asyncio.gather(*(session(browser, url, csv_path, i, latencies, tokens) for i in range(sessions)))
        wall = time.perf_counter() - t
        await browser.close()
    return latencies, tokens, wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=25)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="salesopt-load-"))
    csv_path = data / "demo.csv"
    from salesopt.demo import demo_crm_csv

    csv_path.write_bytes(demo_crm_csv())
    port = free_port()
    env = {**os.environ, "SALESOPT_DATA_DIR": str(data)}
    env.pop("SALESOPT_DATABASE_URL", None)
    server = start_app(port, env)
    url = f"http://127.0.0.1:{port}/"
    try:
        before = rss_mb(server.pid)
        latencies, tokens, wall = asyncio.run(run(args.sessions, url, csv_path))
        after = rss_mb(server.pid)
        from salesopt.storage import Store

        store = Store(f"sqlite:///{data / 'salesopt.db'}")
        intact = 0
        for token in tokens:
            a = store.load_by_token(token).assessment
            ok = (
                a.context.answers.get("avg_deal_size") == 50000
                and a.context.answers.get("sales_cycle") == 270
                and a.context.answers.get("rep_count") == 10
                and a.funnel.crm is not None
            )
            intact += ok
        latencies.sort()
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        print(f"{args.sessions} concurrent sessions, {len(latencies)} interactions in {wall:.1f} s")
        print(
            f"  interaction latency: p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms"
        )
        print(
            f"  server memory: {before:.0f} MB before, {after:.0f} MB after = "
            f"{(after - before) / max(args.sessions, 1):.1f} MB per session"
        )
        print(f"  assessments saved intact: {intact} of {args.sessions}")
    finally:
        stop(server)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
