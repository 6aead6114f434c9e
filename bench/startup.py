"""App start time to first render, measured.

Starts the app as `make run` does (streamlit run streamlit_app.py, fresh SQLite folder), then
times (1) process start -> /_stcore/health answers, and (2) process start -> the Home page's
title is visible in headless chromium (first render, including the browser's page load).
A warm run (browser page load against the already-running server) is reported too.

    .venv/bin/python bench/startup.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.e2e.server import CHROMIUM_ARGS, free_port, start_app, stop  # noqa: E402


def one_run(browser) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    port = free_port()
    data = tempfile.mkdtemp(prefix="salesopt-bench-")
    env = {**os.environ, "SALESOPT_DATA_DIR": data}
    env.pop("SALESOPT_DATABASE_URL", None)
    url = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    proc = start_app(port, env)
    try:
        health = time.perf_counter() - t0
        page = browser.new_page()
        page.goto(url)
        page.get_by_role("heading", name="Sales process optimization").wait_for(timeout=60_000)
        first = time.perf_counter() - t0
        page.close()
        page = browser.new_page()
        t1 = time.perf_counter()
        page.goto(url)
        page.get_by_role("heading", name="Sales process optimization").wait_for(timeout=60_000)
        warm = time.perf_counter() - t1
        page.close()
        return health, first, warm
    finally:
        stop(proc)
        shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_ARGS)
        results = [one_run(browser) for _ in range(runs)]
        browser.close()
    for name, idx in (
        ("process start -> health check", 0),
        ("process start -> Home rendered", 1),
        ("warm page load -> Home rendered", 2),
    ):
        values = [r[idx] for r in results]
        print(
            f"{name:36s} median {statistics.median(values):6.2f} s   (runs: "
            + ", ".join(f"{v:.2f}" for v in values)
            + ")"
        )


if __name__ == "__main__":
    main()
