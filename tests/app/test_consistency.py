"""One figure, one value: every page and tab rendered under AppTest for the demo and each real export
in ../shared/data/real, each headline figure collected by its label, and one value per label; the
Stage 2 figures the command line prints (analyze --json) read the same as on the page. A figure on
another basis must say so in its label ("Win rate (reported)", "Won revenue, 2026Q3")."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from salesopt.cli import main
from salesopt.demo import demo_crm_csv
from salesopt.model.assessment import Assessment, CrmSource, FunnelSection
from salesopt.report import fmt
from salesopt.storage import Store
from tests.helpers import REAL_DATA, open_demo, tab

REAL = {
    "maven": REAL_DATA / "maven-crm-opportunities" / "sales_pipeline.csv",
    "quicksight": REAL_DATA / "quicksight-sales-pipeline" / "sales-pipeline.csv",
    "salesforce": REAL_DATA / "salesforce-devorg-export" / "opportunity.csv",
}
PAGES = ("context", "performance", "whatif", "plan")
FUNNEL_TABS = ("Funnel", "Cohorts", "Scoring")


def _open(at: AppTest, db_path: Path, name: str, data: bytes) -> None:
    """An assessment whose Stage 2 is this export (stored as its own upload), opened by its link."""
    store = Store(f"sqlite:///{db_path}")
    crm = CrmSource(sha256=hashlib.sha256(data).hexdigest(), name=name, size=len(data))
    only = Assessment(title=f"Consistency: {name}", funnel=FunnelSection(target=1_000_000, crm=crm))
    _, token = store.create(only)
    store.put_file(data, name, only.id)
    at.query_params["a"] = token
    at.run()
    assert not at.exception, at.exception


def _figures(at: AppTest) -> dict[str, dict[str, str]]:
    """label -> {value: where it was seen} over every page and tab."""
    seen: dict[str, dict[str, str]] = {}

    def grab(where: str) -> None:
        assert not at.exception, (where, at.exception)
        for m in at.metric:
            seen.setdefault(m.label, {}).setdefault(str(m.value), where)

    at.switch_page("app_pages/funnel.py").run()
    for name in FUNNEL_TABS:
        tab(at, name)
        grab(f"Stage 2 · {name}")
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        grab(page)
    return seen


def _cli(path: Path) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["analyze", str(path), "--json", "--target", "1000000"]) == 0
    return json.loads(out.getvalue())


def _check(seen: dict[str, dict[str, str]]) -> None:
    twice = {label: values for label, values in seen.items() if len(values) > 1}
    assert not twice, f"one label, several values: {twice}"


def _against_the_command_line(seen: dict[str, dict[str, str]], data: dict, cur: str = "USD") -> None:
    expected = {
        "Opportunities": fmt.number(data["opportunities"]),
        "Win rate": fmt.percent(data["win_rate"]),
        "Open pipeline": fmt.money(data["pipeline_value"], cur, compact=True),
        "Weighted pipeline": fmt.money(data["weighted_pipeline"], cur, compact=True),
        "Required coverage": fmt.times(data["required_coverage"]),
    }
    for label, value in expected.items():
        if label in seen:
            assert set(seen[label]) == {value}, (label, seen[label], value)


def test_the_demo_shows_one_value_per_label_on_every_page_and_the_command_line(app, tmp_path):
    open_demo(app)
    seen = _figures(app)
    _check(seen)
    csv = tmp_path / "demo.csv"
    csv.write_bytes(demo_crm_csv())
    _against_the_command_line(seen, _cli(csv))
    assert "Open pipeline" in seen and "Win rate" in seen


@pytest.mark.parametrize("name", sorted(REAL))
def test_each_real_export_shows_one_value_per_label(app, db_path, name):
    path = REAL[name]
    if not path.is_file():
        pytest.skip(f"{path} is absent: the real CRM exports live in ../shared, outside the repo")
    _open(app, db_path, path.name, path.read_bytes())
    seen = _figures(app)
    _check(seen)
    _against_the_command_line(seen, _cli(path))


def test_setting_the_as_of_date_moves_every_surface_alike(app, tmp_path):
    from datetime import date

    open_demo(app)
    app.switch_page("app_pages/funnel.py").run()
    tab(app, "Funnel")
    shown = {m.label: m.value for m in app.metric}
    assert shown["Won revenue, last 12 months"] == "$3.5M"  # as of 2026-09-30, the export's latest event
    app.date_input(key="funnel.as_of").set_value(date(2026, 3, 31)).run()
    assert not app.exception, app.exception
    assert app.session_state["so.held"].assessment["funnel"]["as_of"] == "2026-03-31"
    csv = tmp_path / "demo.csv"
    csv.write_bytes(demo_crm_csv())
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["analyze", str(csv), "--json", "--as-of", "2026-03-31"]) == 0
    data = json.loads(out.getvalue())
    assert data["as_of"] == "2026-03-31"
    seen = _figures(app)
    _check(seen)
    assert set(seen["Won revenue, last 12 months"]) == {fmt.money(data["won_revenue_last_12_months"], compact=True)}
    assert set(seen["Won revenue, last 12 months"]) != {"$3.5M"}
