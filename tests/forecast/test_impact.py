"""Expected impact, lever uplifts and the programme's own case (salesopt.forecast.impact), hand-worked."""

from __future__ import annotations

import pytest

from salesopt.demo import demo_assessment, demo_crm_csv
from salesopt.forecast.impact import (
    LEVER_UNCERTAINTY,
    MONTE_CARLO,
    expected_impact,
    headline,
    impact_lines,
    lever_uplifts,
    programme_case,
    roi_lines,
)
from salesopt.funnel.stage2 import evaluate, load, stage_map_for
from salesopt.model.assessment import Assessment, ContextSection


def small(currency: str = "USD", **answers: float) -> Assessment:
    """Stage 1 only: $1,200,000 a year at $50,000 and 20% = 10 deals a month; 5 reps at 60% of a
    $400,000 quota ($1,200,000 / 60% / 5); capacity 5 x $400,000 x 100% = $2,000,000."""
    base = {"annual_revenue": 1_200_000.0, "avg_deal_size": 50_000.0, "win_rate": 0.2, "rep_count": 5}
    base["quota_attainment"] = 0.6
    base["sales_cycle"] = 180.0
    return Assessment(currency=currency, context=ContextSection(answers={**base, **answers}))


def with_scenario(a: Assessment, levers: dict[str, float], name: str = "Qualify and grow") -> Assessment:
    return a.with_scenario(name, levers)


def test_no_scenario_no_impact():
    assert expected_impact(small()) is None
    assert lever_uplifts(small()) == []
    assert programme_case(small(), None) is None


def test_expected_impact_hand_worked_levers_combined_in_one_run():
    # win rate 20% -> 30% and volume +50%: 15 deals a month x 12 x 30% x $50,000 = $2,700,000 of
    # funnel, above the $2,000,000 capacity, which binds: the scenario makes $2,000,000, +$800,000
    a = with_scenario(small(), {"win_rate": 0.1, "volume": 0.5})
    imp = expected_impact(a)
    assert imp.silenced is None and imp.period == "12 months"
    assert imp.baseline_revenue == pytest.approx(1_200_000)
    assert imp.scenario_revenue == pytest.approx(2_000_000) and imp.uplift == pytest.approx(800_000)
    assert imp.binding == "capacity" and imp.outcome.funnel_revenue == pytest.approx(2_700_000)
    assert imp.baseline.attainment == pytest.approx(0.6) and imp.outcome.attainment == pytest.approx(1.0)
    # no export: the range is the levers achieved at 50% and 150%. Low: 12.5 deals x 12 x 25% x
    # $50,000 = $1,875,000 (the funnel binds); high: 17.5 x 12 x 35% x $50,000 = $3,675,000, capped at $2,000,000
    assert imp.range_method == LEVER_UNCERTAINTY
    assert imp.low == pytest.approx(1_875_000) and imp.high == pytest.approx(2_000_000)
    assert imp.uplift_low == pytest.approx(675_000) and imp.uplift_high == pytest.approx(800_000)
    assert headline(imp, "USD") == "+$800K a year (low +$675K – high +$800K)"
    assert "Win rate: 20% → 30% (+10 points)" in imp.assumptions[1]
    assert imp.assumptions[0] == "Deals entering the funnel: 10.0 → 15.0 a month (+50%)"
    assert "The baseline projects $1,200,000 a year against $1,200,000" in imp.reconciliation
    assert imp.binding_note.startswith("Capacity binds: capacity $2,000,000 (5 reps x $400,000 quota x 100%)")


def test_overlapping_levers_are_not_summed():
    # alone, each lever makes $1,800,000 (+$600,000): summed, +$1,200,000; combined, capacity caps
    # the scenario at $2,000,000: +$800,000
    a = with_scenario(small(), {"win_rate": 0.1, "volume": 0.5})
    rows = lever_uplifts(a)
    alone, combined = rows[:-1], rows[-1]
    assert {r.lever for r in alone} == {"volume", "win_rate"}  # a tie: +$600,000 each
    assert [r.uplift for r in alone] == pytest.approx([600_000, 600_000])
    assert combined.combined and combined.uplift == pytest.approx(800_000)
    assert combined.uplift != pytest.approx(sum(r.uplift for r in alone))
    assert combined.uplift == pytest.approx(expected_impact(a).uplift)
    assert "do not add up" in combined.note and "$1,200,000" in combined.note and "$800,000" in combined.note


def test_impact_lines_carry_the_table_range_limit_and_assumptions():
    a = with_scenario(small(), {"win_rate": 0.1, "volume": 0.5})
    lines = impact_lines(expected_impact(a), "USD")
    text = "\n".join(lines)
    assert "| Revenue a year | $1,200,000 | $2,000,000 |" in lines
    assert "| Win rate | 20% | 30% |" in lines
    assert "| Sales cycle | 180 days (6 months) | 180 days (6 months) |" in lines
    assert "| Quota attainment | 60% | 100% |" in lines
    assert "| Binding limit | funnel | capacity |" in lines
    assert "- **Uplift:** +$800,000 a year (+$675,000 to +$800,000; low-high" in text
    assert "  - Win rate: 20% → 30% (+10 points)" in text


def test_eur_assessment_has_no_dollar_sign():
    a = with_scenario(small("EUR"), {"win_rate": 0.1, "volume": 0.5, "hires": 1})
    imp = expected_impact(a)
    case = programme_case(a, imp)
    text = "\n".join([*impact_lines(imp, a.currency), headline(imp, a.currency), *roi_lines(case, a.currency)])
    text += "\n".join(imp.assumptions) + imp.binding_note + imp.reconciliation + "\n".join(case.assumptions)
    assert "€" in text and "$" not in text


def test_undefined_input_silences_the_claim():
    a = with_scenario(small().updated("whatif", overrides={"deal_size": 0.0}), {"win_rate": 0.1})
    imp = expected_impact(a)
    assert imp.silenced.startswith("the average deal size is 0")
    assert imp.uplift is None and imp.scenario_revenue is None and imp.low is None
    assert "$" not in headline(imp, "USD") and headline(imp, "USD").startswith("No yearly figure")
    assert all("$" not in line for line in impact_lines(imp, "USD")[:1])
    assert lever_uplifts(a) == []
    case = programme_case(a, imp)
    assert case.silenced and roi_lines(case, "USD") == [f"No return can be stated for the programme: {case.silenced}."]
    # nothing to build a baseline from: the reason names what is missing
    empty = expected_impact(Assessment().with_scenario("x", {"win_rate": 0.1}))
    assert empty.silenced.startswith("the baseline needs stage conversions")


def test_programme_case_hand_worked_with_stated_assumptions():
    # loaded cost 25% x $400,000 = $100,000 a rep; tools 1% x $400,000 x 5 seats = $20,000;
    # enablement 5 reps x 40 h x $100,000 / 1,800 h = $11,111.11; investment $31,111.11 against the
    # +$800,000 uplift (no gross margin: counted on revenue). ROI = (800,000 - 31,111.11) / 31,111.11
    a = with_scenario(small(), {"win_rate": 0.1, "volume": 0.5})
    case = programme_case(a, expected_impact(a))
    assert (case.hires_cost, case.tools_cost) == (0, pytest.approx(20_000))
    assert case.enablement_cost == pytest.approx(5 * 40 * 100_000 / 1_800)
    assert case.investment == pytest.approx(31_111.11, abs=0.01)
    assert case.gain == pytest.approx(800_000) and case.gross_margin is None
    assert case.roi == pytest.approx((800_000 - 31_111.111) / 31_111.111, rel=1e-6)
    assert case.payback_month == 1  # $66,667 gained in month 1 against $1,667 tools + $11,111 enablement
    lines = roi_lines(case, "USD")
    assert (
        "| **Investment** | **$31,111** |" in lines and "| Return: uplift (no gross margin given) | $800,000 |" in lines
    )
    assert any("upper bound" in a for a in case.assumptions)


def test_programme_case_hand_worked_with_answers_and_hires():
    # 2 reps hired in month 7 at $120,000 (given), 75% margin (given): capacity $2,000,000 + 2 x
    # $400,000 / 12 x (1/2.8 + 2/2.8 + 4) = $2,338,095; the funnel's $2,700,000 is above it, so the
    # uplift is $1,138,095. Hires: 2 x $120,000 x 6/12 = $120,000; tools 7 seats x $4,000 = $28,000;
    # enablement 5 x 40 x $120,000 / 1,800 = $13,333.33; investment $161,333.33; gain 75% x uplift.
    a = small().updated("whatif", overrides={"rep_cost": 120_000.0, "gross_margin": 0.75})
    a = with_scenario(a, {"win_rate": 0.1, "volume": 0.5, "hires": 2, "hire_month": 7})
    imp = expected_impact(a)
    capacity = 2_000_000 + 2 * 400_000 / 12 * (1 / 2.8 + 2 / 2.8 + 4)
    assert imp.scenario_revenue == pytest.approx(capacity) and imp.binding == "capacity"
    case = programme_case(a, imp)
    assert case.hires_cost == pytest.approx(120_000) and case.tools_cost == pytest.approx(28_000)
    assert case.enablement_cost == pytest.approx(13_333.33, abs=0.01)
    assert case.investment == pytest.approx(161_333.33, abs=0.01)
    assert case.gain == pytest.approx(0.75 * (capacity - 1_200_000))
    assert case.roi == pytest.approx((case.gain - case.investment) / case.investment)
    assert case.payback_month == 1


def test_demo_scenario_of_the_seed_results():
    # win rate +8 points, cycle 9 -> 7 months, attainment 60% -> 82%: capacity 10 x $500,000 x 82% =
    # $4,100,000 binds below the funnel's $4,541,578; the baseline is the export's steady $3,287,165
    imported = load(demo_crm_csv(), "demo.csv")
    result = evaluate(imported, stage_map_for(imported), target=5_000_000)
    a = demo_assessment().with_scenario("Seed results", {"win_rate": 0.08, "cycle": -2 / 9, "attainment": 0.22})
    a = a.updated("whatif", chosen_scenario=a.scenarios[-1].id)  # this one, not the demo's own
    imp = expected_impact(a, result.analysis, result.deals)
    assert imp.baseline_revenue == pytest.approx(3_512_500, abs=0.01)
    assert imp.scenario_revenue == pytest.approx(4_100_000)
    assert imp.uplift == pytest.approx(4_100_000 - 3_512_500, abs=0.01)
    assert imp.binding == "capacity" and imp.outcome.attainment == pytest.approx(0.82)
    assert imp.range_method == MONTE_CARLO and imp.low <= imp.scenario_revenue <= imp.high
    assert imp.pull_forward == pytest.approx(4_100_000 / 12 * (2 / 9 * 277.4828 / (365.25 / 12)), rel=1e-4)
    rows = lever_uplifts(a, result.analysis, result.deals)
    assert [r.lever for r in rows] == ["win_rate", "cycle", "attainment", "combined"]
    assert rows[1].uplift == 0 and rows[2].uplift == 0  # alone, neither lifts a funnel-bound baseline


def test_unknown_capacity_lets_the_funnel_set_the_figure_and_silences_the_programme_cost():
    answers = {"annual_revenue": 1_200_000.0, "avg_deal_size": 50_000.0, "win_rate": 0.2, "sales_cycle": 90.0}
    a = Assessment(context=ContextSection(answers=answers))  # no team size: capacity unknown
    a = with_scenario(a, {"win_rate": 0.1, "attainment": 0.1})
    imp = expected_impact(a)
    assert imp.scenario_revenue == pytest.approx(1_800_000) and imp.binding == "funnel"
    assert imp.outcome.capacity is None and imp.outcome.attainment is None
    assert "capacity is not counted" in imp.binding_note
    assert "Quota attainment: not counted, as no quota is known" in imp.assumptions
    case = programme_case(a, imp)
    assert case.silenced == "the team size is unknown, so the programme's cost cannot be counted"
