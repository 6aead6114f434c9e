"""AppTest fixtures: each test runs the real entry script against its own SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    "pages/home.py",
    "pages/context.py",
    "pages/funnel.py",
    "pages/qualification.py",
    "pages/enablement.py",
    "pages/performance.py",
    "pages/whatif.py",
    "pages/plan.py",
    "pages/admin.py",
]


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "app.db"
    monkeypatch.setenv("SALESOPT_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.chdir(ROOT)
    return path


@pytest.fixture
def app(db_path: Path) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.run()
    assert not at.exception
    return at


def open_demo(at: AppTest) -> AppTest:
    at.button(key="home.demo").click().run()
    assert not at.exception, at.exception
    return at


def tab(at: AppTest, label: str) -> AppTest:
    """Open a tab of a page whose tabs draw only when open (Stage 2), as a click on it does."""
    at.session_state["funnel.tab"] = label
    at.run()
    assert not at.exception, at.exception
    return at
