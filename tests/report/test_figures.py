"""Stage 2 output sentences (salesopt.report.figures.bottleneck_lines), hand-worked."""

from __future__ import annotations

from salesopt.funnel.analysis import Leak, StageRow
from salesopt.report.figures import bottleneck_lines
from tests.helpers import analysis


def test_leaks_largest_revenue_first_then_the_longest_stage():
    small = Leak("Lead", "Demo", 0.2, 0.3, 0.1, 10_000.0)
    big = Leak("Demo", "Proposal", 0.5, 0.7, 0.2, 250_000.0)
    stages = [StageRow("Lead", 100, 0.2, time_median_days=12.0), StageRow("Demo", 20, 0.5, time_median_days=30.5)]
    lines = bottleneck_lines(analysis(stages=stages, leaks=[small, big], biggest=big), "EUR")
    assert lines == [
        "Demo → Proposal: 50% against 70%; reaching the benchmark adds €250,000 of won revenue.",
        "Lead → Demo: 20% against 30%; reaching the benchmark adds €10,000 of won revenue.",
        "Longest stage: Demo, median 30.5 days.",
    ]


def test_no_leak_below_benchmark_names_the_lowest_conversion():
    lowest = Leak("Lead", "Demo", 0.25, None, None, None)
    assert bottleneck_lines(analysis(biggest=lowest)) == [
        "No conversion is below a benchmark; the lowest is Lead → Demo at 25%."
    ]


def test_an_empty_funnel_has_no_sentence():
    assert bottleneck_lines(analysis()) == []
