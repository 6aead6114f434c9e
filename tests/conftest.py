"""Shared fixtures: a temporary database for every test that touches storage (helpers: tests/helpers.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'salesopt.db'}"


def database_urls() -> list[str]:
    """SQLite always; PostgreSQL too when SALESOPT_TEST_POSTGRES_URL names a server."""
    urls = ["sqlite"]
    if os.environ.get("SALESOPT_TEST_POSTGRES_URL"):
        urls.append("postgresql")
    return urls


@pytest.fixture(params=database_urls())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'salesopt.db'}"
    url = os.environ["SALESOPT_TEST_POSTGRES_URL"]
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        for table in ("assessments", "files", "file_owners"):
            conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
    engine.dispose()
    return url
