"""The public CRM exports in ../shared/data/real give the figures their PROVENANCE.md states,
through the same path as the CLI. Skipped, with that reason, where ../shared is absent."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from salesopt.funnel.stage2 import evaluate, load, stage_map_for
from tests.helpers import REAL_DATA

pytestmark = pytest.mark.skipif(
    not REAL_DATA.is_dir(),
    reason="../shared/data/real is not here (licences unclear: the exports are never copied into the repo)",
)
MAVEN = REAL_DATA / "maven-crm-opportunities" / "sales_pipeline.csv"
QUICKSIGHT = REAL_DATA / "quicksight-sales-pipeline" / "sales-pipeline.csv"
SF = REAL_DATA / "salesforce-devorg-export"
LEADS = REAL_DATA / "x-education-leads" / "Leads.csv"


def analyze(path, overrides=None, history=None, won=(), lost=(), **kw):
    imported = load(
        path.read_bytes(),
        path.name,
        overrides=overrides,
        history=(history.read_bytes(), history.name) if history else None,
    )
    return evaluate(imported, stage_map_for(imported, None, won, lost), **kw)


def test_maven_figures():
    r = analyze(MAVEN)  # no override: engage_date stands in for the missing created date
    assert r.imported.report.mapping["created_date"] == "engage_date"
    a = r.analysis
    assert (a.won, a.lost, a.open, a.opportunities) == (4238, 2473, 2089, 8800)
    assert a.win_rate == pytest.approx(0.6315, abs=5e-5)
    assert a.avg_deal_size == pytest.approx(2360.91, abs=0.005)
    assert a.cycle_days_median == 57 and a.cycle_days_mean == pytest.approx(51.78, abs=0.005)  # won only
    assert a.win_rate_value is None
    assert a.reasons["win_rate_value"] == "all 2,473 lost deals have no amount above 0"
    assert r.stage_map.funnel == ("Prospecting", "Engaging", "Won")
    owners = r.cohort("owner").set_index("owner")
    assert len(owners) == 30
    darcel = owners.loc["Darcel Schlecht"]
    assert [darcel["opportunities"], darcel["won"], darcel["lost"]] == [747, 349, 204]
    assert darcel["win_rate"] == pytest.approx(0.6311, abs=5e-5)
    assert darcel["avg_deal_size"] == pytest.approx(3304.34, abs=0.005)


def test_quicksight_long_format_history():
    r = analyze(QUICKSIGHT, {"opportunity_id": "Lead Name"})
    a = r.analysis
    assert r.imported.report.long_format
    assert (a.won, a.lost, a.opportunities) == (616, 7980, 9571)
    assert a.open == 799 + 108 + 47 + 21
    assert a.win_rate == pytest.approx(0.0717, abs=5e-5)
    assert a.avg_deal_size == pytest.approx(236581.45, abs=0.005)
    assert a.cycle_days_median == 115  # won: first row -> closing row
    assert r.stage_map.funnel == ("Lead", "Prospect", "Qualified", "Contracting", "Closed Won")
    times = {s.stage: s.time_median_days for s in a.stages}
    assert all(t is None or t >= 0 for t in times.values())
    owners = r.cohort("owner").set_index("owner")
    assert owners.loc["Walter Landfair", "win_rate"] == pytest.approx(0.1820, abs=5e-5)
    assert owners.loc["Gerri Hinds", ["won", "lost"]].tolist() == [9, 1419]


def test_salesforce_export_with_its_history_file():
    r = analyze(SF / "opportunity.csv", history=SF / "OpportunityHistory.csv")
    a = r.analysis
    assert (a.won, a.lost, a.open) == (18, 0, 13)
    assert a.win_rate == 1.0
    assert a.avg_deal_size == pytest.approx(202500)
    assert a.cycle_days_mean is None
    assert "closes before it was created" in a.reasons["cycle_days"]
    assert any("18 won deals close before they were created" in w for w in a.warnings)
    assert r.stage_map.funnel[0] == "Prospecting" and r.stage_map.funnel[-1] == "Closed Won"
    assert a.weighted_pipeline == pytest.approx(1_094_500)  # sum(Amount x Probability) over open deals


def test_lead_level_export_as_a_one_step_funnel():
    r = analyze(LEADS, {"stage": "Converted"}, won=["1"], lost=["0"])
    assert (r.analysis.won, r.analysis.lost) == (3561, 5679)
    assert r.analysis.win_rate == pytest.approx(0.3854, abs=5e-5)


def test_cli_json_on_maven_has_the_contract_keys():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "salesopt",
            "analyze",
            str(MAVEN),
            "--map",
            "created_date=engage_date",
            "--json",
            "--target",
            "1000000",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(proc.stdout)
    for key in (
        "rows_read",
        "rows_rejected",
        "rejected",
        "mapping",
        "opportunities",
        "won",
        "lost",
        "open",
        "win_rate",
        "win_rate_value",
        "avg_deal_size",
        "cycle_days_mean",
        "cycle_days_median",
        "pipeline_value",
        "weighted_pipeline",
        "coverage_ratio",
        "required_coverage",
        "sales_velocity_per_day",
        "stages",
        "by_owner",
        "biggest_leak",
        "warnings",
    ):
        assert key in data
    assert data["rows_read"] == 8800 and data["won"] == 4238
    assert data["win_rate_value"] is None
    assert data["mapping"]["created_date"] == "engage_date"
    assert data["stages"][0] == {
        "stage": "Prospecting",
        "reached": 6327,
        "conversion_to_next": pytest.approx(5827 / 6327),
        "benchmark": None,
        "time_in_stage_days_median": None,
    }
    assert {"owner", "opportunities", "won", "lost", "open", "win_rate", "avg_deal_size"} == set(data["by_owner"][0])
    assert "all 2,473 lost deals have no amount above 0: value win rate undefined" in data["warnings"]
