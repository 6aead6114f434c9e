"""AppTest fixtures: each test runs the real entry script against its own SQLite file (helpers such as
open_demo: tests/helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT


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
