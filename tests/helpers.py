"""Test helpers, in one module: paths, the AppTest demo opener and small builders of results.

Tests import from here, never from a conftest (conftest files hold fixtures only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from salesopt.funnel.analysis import Analysis, Leak, StageRow

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REAL_DATA = SHARED / "data" / "real"
PAGES = [
    "app_pages/home.py",
    "app_pages/context.py",
    "app_pages/funnel.py",
    "app_pages/qualification.py",
    "app_pages/enablement.py",
    "app_pages/performance.py",
    "app_pages/whatif.py",
    "app_pages/plan.py",
    "app_pages/admin.py",
]


def open_demo(at: Any) -> Any:
    """Open the demo assessment in an AppTest from the home page."""
    at.button(key="home.demo").click().run()
    assert not at.exception, at.exception
    return at


def analysis(
    stages: list[StageRow] | None = None, leaks: list[Leak] | None = None, biggest: Leak | None = None, **figures: Any
) -> Analysis:
    """A Stage 2 Analysis with every figure undefined except those given: for hand-worked cases."""
    base: dict[str, Any] = {
        "opportunities": 0,
        "won": 0,
        "lost": 0,
        "open": 0,
        "win_rate": None,
        "win_rate_basis": "closed",
        "win_rate_value": None,
        "avg_deal_size": None,
        "won_revenue": None,
        "cycle_days_mean": None,
        "cycle_days_median": None,
        "pipeline_value": None,
        "weighted_pipeline": None,
        "target": None,
        "coverage_ratio": None,
        "required_coverage": None,
        "sales_velocity_per_day": None,
        "stages": stages or [],
        "biggest_leak": biggest,
        "leaks": leaks or [],
        "closed_only": False,
        "unknown_lost_stage": 0,
    }
    return Analysis(**{**base, **figures})


def tab(at: Any, label: str) -> Any:
    """Open a tab of a page whose tabs draw only when open (Stage 2), as a click on it does."""
    at.session_state["funnel.tab"] = label
    at.run()
    assert not at.exception, at.exception
    return at


def opened(at: Any) -> Any:
    """The open assessment's working copy (its JSON dump) in an AppTest session."""
    return at.session_state["so.held"].assessment
