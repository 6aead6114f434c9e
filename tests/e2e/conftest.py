"""Browser tests: the app started as `make run` starts it, driven by Playwright in Debian's chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import CHROMIUM_ARGS, free_port, start_app, stop

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app started as `make run` starts it, on a free port and its own data folder."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it: apt-get install chromium)")
    port = free_port()
    data = tmp_path_factory.mktemp("data")
    env = {**os.environ, "SALESOPT_DATA_DIR": str(data)}
    env.pop("SALESOPT_DATABASE_URL", None)
    with open(data / "server.log", "w") as log:
        try:
            proc = start_app(port, env, ["make", "--no-print-directory", "run", f"PORT={port}"], log)
        except RuntimeError as exc:
            pytest.fail(f"{exc}: " + (data / "server.log").read_text())
        yield f"http://127.0.0.1:{port}"
        stop(proc)


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
