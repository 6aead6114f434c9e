"""Benchmark ranges are read from frameworks/benchmarks only: the figures' notes, the facts and
the rule texts carry the chosen file's range, and no code or rule writes one."""

from __future__ import annotations

import re
from pathlib import Path

from salesopt.content.benchmarks import benchmark_note, range_text
from salesopt.content.frameworks import FRAMEWORKS_DIR, Range, load_catalog
from salesopt.demo import demo_assessment
from salesopt.rules.engine import run
from salesopt.rules.facts import gather

CATALOG = load_catalog()
B2B = CATALOG.benchmarks()["b2b"]
ROOT = Path(__file__).resolve().parent.parent


def test_range_text_by_hand():
    assert range_text(Range(low=0.2, high=0.3, source="s"), "percent") == "20-30%"
    assert range_text(Range(low=0.125, high=0.3, source="s"), "percent") == "12.5-30%"
    assert range_text(Range(low=3, high=5, source="s"), "times") == "3-5x"
    assert range_text(Range(low=2.5, high=4, source="s"), "times") == "2.5-4x"
    assert range_text(None, "times") is None


def test_notes_come_from_the_chosen_file():
    assert benchmark_note(B2B, "win_rate") == " Benchmark 20-30% (B2B software, illustrative)."
    assert benchmark_note(CATALOG.benchmarks()["home_services"], "win_rate").startswith(" Benchmark 35-55%")
    assert benchmark_note(CATALOG.benchmarks()["home_services"], "coverage") == ""  # the file has no coverage
    assert benchmark_note(None, "coverage") == ""


def test_no_range_is_written_in_code_or_rules():
    sources = [*ROOT.joinpath("salesopt").rglob("*.py"), *FRAMEWORKS_DIR.joinpath("recommendations").glob("*.yaml")]
    hits = [
        f"{p.name}:{n}"
        for p in sources
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\b(20-30%|3-5x)", line)
        and "'20-30%'" not in line
        and "'3-5x'" not in line
        and "Benchmark 20-30%" not in line
    ]
    assert hits == []


def test_the_win_rate_rule_reads_the_chosen_benchmark():
    facts = {**gather(demo_assessment(), CATALOG), "win_rate": 0.1, "won_revenue": 1_000_000.0}
    assert facts["win_rate_low"] == 0.2 and facts["win_rate_range"] == "20-30%" and facts["coverage_range"] == "3-5x"
    lift = next(r for r in run(CATALOG.rules(), facts) if r.rule.id == "lift_win_rate")
    assert lift.why == "Win rate 10% is below the benchmark range of 20-30%."
    assert lift.impact == 1_000_000.0  # won revenue x (0.2 / 0.1 - 1), by hand
    home = demo_assessment().with_section("funnel", benchmark_id="home_services")
    facts = {**gather(home, CATALOG), "win_rate": 0.3, "won_revenue": 1_000_000.0}
    lift = next(r for r in run(CATALOG.rules(), facts) if r.rule.id == "lift_win_rate")
    assert lift.why == "Win rate 30% is below the benchmark range of 35-55%."
    assert "coverage_low" not in facts
