"""The calibrated What-if baseline (salesopt.forecast.baseline) against hand-worked figures."""

from __future__ import annotations

import pandas as pd
import pytest

from salesopt.demo import demo_assessment, demo_crm_csv
from salesopt.forecast.baseline import calibrate, twelve_months
from salesopt.forecast.whatif import DAYS_PER_MONTH, outcome
from salesopt.funnel.analysis import analyze, classify
from salesopt.funnel.stage2 import evaluate, load, stage_map_for
from salesopt.funnel.stages import from_names
from salesopt.model.assessment import Assessment, FunnelSection


@pytest.fixture(scope="module")
def demo_result():
    imported = load(demo_crm_csv(), "demo.csv")
    return evaluate(imported, stage_map_for(imported), target=5_000_000)


def test_demo_baseline_is_the_steady_rate_of_the_export_on_closed_deals(demo_result):
    # 87 won of 415 closed; $4,385,500 won in 87 deals; set to the books: the volume at which that
    # win rate and deal size give the $3,512,500 won in the last 12 months (620 deals created over
    # 728 days, 25.9 a month, is the measured rate, kept in the note)
    cal = calibrate(demo_assessment(), demo_result.analysis, demo_result.deals)
    base = cal.baseline
    assert base.volume == pytest.approx(3_512_500 / 12 / (4_385_500 / 87) / (87 / 415))
    assert any("measured over the export's whole span it is 25.9 a month" in n for n in cal.notes)
    assert base.win_rate == pytest.approx(87 / 415)
    assert base.conversions[0] == pytest.approx(307 / 415)  # closed deals reaching Demo / all closed
    assert base.deal_size == pytest.approx(4_385_500 / 87)
    assert outcome(base).projected_revenue == pytest.approx(3_512_500)  # the books' year
    assert outcome(base).binding == "funnel"
    # people from Stage 1: 10 reps, $3,000,000 / 60% / 10 = $500,000 quota; capacity at 100% = $5,000,000
    assert (base.reps, base.quota_per_rep, base.attainment, base.attainment_cap) == (10, 500_000, 0.6, 1.0)
    assert outcome(base).capacity == pytest.approx(5_000_000)
    # the What-if levers say on what the conversions rest (they differ from Stage 2's, which count open deals)
    assert cal.conversion_basis == (
        "Conversions and win rate: the 415 closed deals (87 won, 21%); open deals are left out because they have "
        "not finished their path."
    )


def test_demo_baseline_reconciles_with_the_last_twelve_months(demo_result):
    cal = calibrate(demo_assessment(), demo_result.analysis, demo_result.deals)
    twelve = cal.twelve_months
    assert (twelve.revenue, twelve.wins, twelve.days) == (3_512_500.0, 70.0, 365)
    assert (twelve.start, twelve.end) == (pd.Timestamp("2025-10-01"), pd.Timestamp("2026-09-30"))
    rec = cal.reconciliation
    assert rec.actual == 3_512_500 and rec.difference == pytest.approx(rec.projected - 3_512_500)
    assert rec.share == pytest.approx(0, abs=1e-9)
    assert "within 5%" in rec.sentence and "Stage 1 states $3,000,000" in rec.sentence


def test_stage_two_only_fills_the_team_from_the_export(demo_result):
    a = Assessment(funnel=FunnelSection(target=5_000_000))
    cal = calibrate(a, demo_result.analysis, demo_result.deals)
    base = cal.baseline
    assert cal.missing == ()
    assert base.reps == 10  # the export's deal owners
    assert base.quota_per_rep == 500_000  # the $5,000,000 target over 10 reps
    assert base.attainment == pytest.approx(3_512_500 / 5_000_000)  # the last 12 months' revenue / quota
    assert any("deal owners" in n for n in cal.notes) and any("split evenly" in n for n in cal.notes)
    assert any("last 12 months" in n for n in cal.notes)


def test_stage_two_only_without_a_target_leaves_capacity_uncounted(demo_result):
    cal = calibrate(Assessment(), demo_result.analysis, demo_result.deals)
    base = cal.baseline
    assert base.target == 3_512_500  # this year's revenue: the gap reads as growth needed
    assert base.reps == 10 and base.quota_per_rep is None and base.attainment is None and not base.has_capacity
    o = outcome(base)
    assert o.capacity is None and o.binding == "funnel" and o.projected_revenue == o.funnel_revenue
    assert any("gap reads as growth needed" in n for n in cal.notes)
    assert any(n.startswith("capacity: unknown") for n in cal.notes)


def test_stage_one_only_builds_a_one_step_funnel_that_matches_the_stated_revenue():
    # $3,000,000 / 12 / $50,000 / 20% = 25 deals a month; 25 x 12 x 20% x $50,000 = $3,000,000
    cal = calibrate(demo_assessment())
    base = cal.baseline
    assert base.stages == ("Opportunity", "Won") and base.conversions == (0.2,)
    assert base.volume == pytest.approx(25)
    assert base.open_opportunities == pytest.approx(25 * 270 / DAYS_PER_MONTH)
    assert outcome(base).projected_revenue == pytest.approx(3_000_000)
    assert cal.reconciliation.difference == pytest.approx(0)
    assert "within 5%" in cal.reconciliation.sentence


def test_nothing_answered_lists_what_is_missing():
    cal = calibrate(Assessment())
    assert cal.baseline is None and cal.reconciliation is None
    assert cal.missing[0].startswith("stage conversions")


def test_overrides_win_over_derived_figures():
    a = demo_assessment()
    a = a.updated("whatif", overrides={"attainment_cap": 1.2, "reps": 12})
    base = calibrate(a).baseline
    assert base.attainment_cap == 1.2 and base.reps == 12


def test_twelve_months_annualised_on_a_short_export():
    # the export spans 2026-01-01 to 2026-04-10, 100 days: $1,000 won x 365 / 100 = $3,650 a year
    deals = pd.DataFrame(
        {
            "opportunity_id": ["a", "b"],
            "stage": ["Won", "Proposal"],
            "amount": [1000.0, 500.0],
            "created_date": [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")],
            "close_date": [pd.Timestamp("2026-04-10"), pd.Timestamp("2027-01-01")],  # an open deal's future date
        }
    )
    stages = from_names(["Proposal", "Won"])
    twelve = twelve_months(analyze(classify(deals, stages), stages))
    assert twelve.days == 100 and twelve.annualised
    assert twelve.revenue == pytest.approx(3650) and twelve.wins == pytest.approx(3.65)
    assert "annualised" in twelve.source
    assert twelve_months(analyze(classify(deals.drop(columns="amount"), stages), stages)) is None
    assert twelve_months(None) is None


def test_the_baseline_is_the_books_year_on_the_real_exports(demo_result):
    # the baseline's yearly revenue equals the won revenue of the last 12 months to the as-of date
    result = demo_result
    c = calibrate(demo_assessment(), result.analysis, result.deals)
    assert outcome(c.baseline).projected_revenue == pytest.approx(3_512_500)
    assert c.reconciliation is not None and abs(c.reconciliation.difference) < 1


def test_a_stated_team_that_cannot_have_closed_the_books_is_a_contradiction_not_a_cap(demo_result):
    # Stage 1 says $1M a year at 60% with 10 reps: $166,667 quota each, $1.67M of capacity at 100%;
    # the export shows $3,512,500 won in its last 12 months
    result = demo_result
    a = demo_assessment()
    small = a.model_copy(
        update={"context": a.context.model_copy(update={"answers": {**a.context.answers, "annual_revenue": 1_000_000}})}
    )
    c = calibrate(small, result.analysis, result.deals)
    assert any(n.startswith("contradiction:") for n in c.notes)
    assert outcome(c.baseline).projected_revenue == pytest.approx(3_512_500)


def test_export_without_created_dates_takes_volume_from_closed_deals_and_cycle_from_the_pipeline():
    # 4 closed deals whose close dates span 2026-01-01 to 2026-03-02 (60 days, 1.97 months): 2.03 a
    # month enter; 2 won of 4; 3 open deals / 2.03 a month = 1.48 months of cycle (no created dates)
    csv = (
        b"Opportunity ID,Stage,Amount,Close Date,Owner\n"
        b"1,Won,1000,2026-01-01,Ann\n2,Won,3000,2026-03-02,Ann\n3,Lost,500,2026-02-01,Bo\n4,Lost,500,2026-02-10,Bo\n"
        b"5,Open,,,Ann\n6,Open,,,Bo\n7,Open,,,Bo\n"
    )
    imported = load(csv, "deals.csv")
    result = evaluate(imported, stage_map_for(imported, ["Open", "Won"], ["Won"], ["Lost"]))
    cal = calibrate(Assessment(), result.analysis, result.deals)
    base = cal.baseline
    # set to the books: $4,000 won over the 61 days the export covers is $23,934 a year, which a 50% win
    # rate at $2,000 a deal needs 1.99 new deals a month for (measured: 4 closed over 1.97 months, 2.03)
    volume = 4_000 * 365 / 61 / 12 / 2_000 / 0.5
    assert base.volume == pytest.approx(volume)
    assert any("measured over the export's whole span it is 2.0 a month" in n for n in cal.notes)
    assert base.win_rate == pytest.approx(0.5) and base.deal_size == pytest.approx(2000)
    assert base.cycle_days == pytest.approx(3 / volume * DAYS_PER_MONTH)
    assert base.reps == 2 and not base.has_capacity
    assert any("no created dates" in n for n in cal.notes) and any(n.startswith("sales cycle:") for n in cal.notes)
