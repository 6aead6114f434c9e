"""What-if (docs/METRICS-local.md) and Monte Carlo (METRICS.md §5) against hand-worked figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesopt.forecast.montecarlo import deal_probabilities, forecast, simulate
from salesopt.forecast.whatif import (
    Baseline,
    Levers,
    capacity_plan,
    hires_needed,
    outcome,
    ramp,
    reps_needed,
    reverse_funnel,
    sensitivity,
)

# the demo, per month: 100 opportunities at Qualification -> 75% -> 50% -> 75% -> 71.1% won
BASE = Baseline(
    stages=("Qualification", "Demo", "Proposal", "Negotiation", "Closed Won"),
    volume=100,
    conversions=(0.75, 0.5, 0.75, 0.711),
    deal_size=50_000,
    cycle_days=270,
    win_rate=0.2,
    open_opportunities=200,
    reps=10,
    quota_per_rep=500_000,
    attainment=0.6,
    target=5_000_000,
    ramp_months=3,
    attainment_cap=0.6,  # capacity counted at 60% of quota: reps x quota x 60%
)


def test_funnel_velocity_pipeline_capacity_hand_worked():
    o = outcome(BASE)
    assert o.wins_per_month == pytest.approx(100 * 0.75 * 0.5 * 0.75 * 0.711)  # 19.996875
    assert o.funnel_revenue == pytest.approx(12 * 19.996875 * 50_000)  # $11,998,125
    assert o.velocity_per_day == pytest.approx(200 * 0.2 * 50_000 / 270)  # $7,407.41
    assert o.pipeline_value == 10_000_000 and o.coverage == 2.0
    assert o.capacity == pytest.approx(10 * 500_000 * 0.6)  # $3,000,000
    assert o.projected_revenue == pytest.approx(3_000_000)  # capacity binds
    assert o.gap_to_target == pytest.approx(2_000_000) and not o.makes_target


def test_capacity_with_ramp_hand_worked():
    # 10 reps + 2 hired in month 1, 3-month ramp: months 1-3 at 10 2/3, 11 1/3, 12 reps; $25,000 x 60% a rep-month
    plan = capacity_plan(BASE, Levers(hires=2, hire_month=1))
    assert plan["effective_reps"].tolist()[:4] == pytest.approx([10 + 2 / 3, 10 + 4 / 3, 12, 12])
    assert plan["capacity"].iloc[0] == pytest.approx((10 + 2 / 3) * 25_000)
    assert plan["capacity"].sum() == pytest.approx((10 * 12 + 2 * (1 / 3 + 2 / 3 + 10)) * 25_000)
    assert ramp(5, 6, 3) == 0 and ramp(6, 6, 3) == pytest.approx(1 / 3) and ramp(9, 6, 3) == 1


def test_attrition_reduces_capacity():
    assert capacity_plan(BASE, Levers(attrition=0.2))["capacity"].sum() < capacity_plan(BASE)["capacity"].sum()
    assert capacity_plan(BASE, Levers(attrition=0.2))["effective_reps"].iloc[-1] == pytest.approx(8)


def test_reps_and_hires_needed():
    assert reps_needed(5_000_000, 500_000, 0.6) == pytest.approx(16.667, abs=1e-3)  # METRICS.md §6
    hires = hires_needed(BASE)  # short by 80 rep-months; a hire from month 1 gives 1/3 + 2/3 + 10 = 11
    assert hires == pytest.approx((5_000_000 / 25_000 - 120) / 11)
    assert reps_needed(1, 0, 0.5) is None


def test_reverse_funnel_hand_worked():
    # $1,000,000 a month / $50,000 = 20 wins; / 0.711 = 28.13 at Negotiation; / 0.75 = 37.5 ...
    table = reverse_funnel(1_000_000, 50_000, BASE.stages, BASE.conversions)
    needs = table["needed_per_month"].tolist()
    assert needs[-1] == 20
    assert needs[3] == pytest.approx(20 / 0.711)
    assert needs[0] == pytest.approx(20 / 0.711 / 0.75 / 0.5 / 0.75)
    blocked = reverse_funnel(1_000_000, 50_000, ("A", "B"), (0.0,))
    assert blocked["needed_per_month"].tolist()[0] is None


def test_levers_hand_worked_demo_to_proposal_plus_ten_points_and_two_reps():
    lv = Levers(conversions=(0, 0.10, 0, 0), hires=2)
    o = outcome(BASE, lv)
    assert o.wins_per_month == pytest.approx(100 * 0.75 * 0.6 * 0.75 * 0.711)
    assert o.capacity == pytest.approx((120 + 2 * 11) * 25_000)


def test_win_rate_lever_moves_the_last_conversion_by_the_same_share():
    o = outcome(BASE, Levers(win_rate=0.05))  # 20% -> 25%: last conversion x 1.25
    assert o.wins_per_month == pytest.approx(100 * 0.75 * 0.5 * 0.75 * 0.711 * 1.25)
    assert o.velocity_per_day == pytest.approx(200 * 0.25 * 50_000 / 270)


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=0.01, max_value=0.5))
def test_each_lever_moves_the_outputs_the_right_way(d):
    o0 = outcome(BASE)
    assert outcome(BASE, Levers(volume=d)).funnel_revenue > o0.funnel_revenue
    assert outcome(BASE, Levers(deal_size=d)).funnel_revenue > o0.funnel_revenue
    assert outcome(BASE, Levers(deal_size=d)).pipeline_value > o0.pipeline_value
    assert outcome(BASE, Levers(win_rate=d / 10)).funnel_revenue > o0.funnel_revenue
    assert outcome(BASE, Levers(conversions=(0, d / 10, 0, 0))).wins_per_month > o0.wins_per_month
    assert outcome(BASE, Levers(cycle=-d)).velocity_per_day > o0.velocity_per_day
    assert outcome(BASE, Levers(cycle=d)).velocity_per_day < o0.velocity_per_day
    assert outcome(BASE, Levers(hires=d * 10)).capacity > o0.capacity
    assert outcome(BASE, Levers(attrition=d)).capacity < o0.capacity


def test_sensitivity_ranks_levers_by_swing():
    table = sensitivity(BASE)
    assert list(table["spread"]) == sorted(table["spread"], reverse=True)
    # capacity binds, so the people levers swing revenue and the funnel levers do not
    assert set(table["lever"].iloc[:2]) == {"Reps", "Quota attainment"}
    assert table.set_index("lever").loc["Reps", "high"] == pytest.approx(300_000)


def test_levers_round_trip_through_a_scenario_dict():
    lv = Levers(volume=0.1, conversions=(0, 0.1, 0, 0), hires=2, hire_month=3)
    assert Levers.from_dict(lv.as_dict(), 4) == lv


# ---- Monte Carlo --------------------------------------------------------------------------------


def test_monte_carlo_mean_and_variance_match_the_exact_ones():
    rng = np.random.default_rng(3)
    amounts = rng.lognormal(10, 1, 500)
    p = rng.random(500)
    f = forecast(amounts, p, trials=20_000, seed=11)
    se = f.exact_sd / np.sqrt(20_000)
    assert abs(f.mean - f.exact_mean) < 4 * se  # within 4 standard errors
    assert f.trials.std() == pytest.approx(f.exact_sd, rel=0.03)  # within 3%
    assert f.p10 < f.p50 < f.p90


def test_same_seed_same_result_and_chunking_does_not_change_it(monkeypatch):
    import salesopt.forecast.montecarlo as mc

    amounts, p = np.array([100.0, 200.0, 300.0]), np.array([0.5, 0.2, 0.9])
    first = simulate(amounts, p, 1000, seed=5)
    assert np.array_equal(first, simulate(amounts, p, 1000, seed=5))
    assert not np.array_equal(first, simulate(amounts, p, 1000, seed=6))
    assert set(np.unique(first)) <= {0, 100, 200, 300, 400, 500, 600}
    monkeypatch.setattr(mc, "CHUNK_CELLS", 3)  # one trial per chunk: the same stream, the same result
    assert np.array_equal(first, simulate(amounts, p, 1000, seed=5))


def test_probability_of_target_and_edge_cases():
    f = forecast(np.array([100.0]), np.array([1.0]), target=100, trials=100)
    assert f.probability_of_target == 1.0 and f.p50 == 100
    empty = forecast(np.array([]), np.array([]), target=1, trials=100)
    assert empty.p90 == 0 and empty.probability_of_target == 0.0


def test_deal_probability_sources():
    deals = pd.DataFrame(
        {
            "opportunity_id": ["a", "b"],
            "stage": ["Demo", "Proposal"],
            "probability": [0.2, None],
            "forecast_category": ["Commit", "Pipeline"],
        }
    )
    p, missing = deal_probabilities(deals, "crm")
    assert p.tolist() == [0.2, 0.0] and missing == 1
    assert deal_probabilities(deals, "stage", stage_rates={"Demo": 0.3, "Proposal": 0.6})[0].tolist() == [0.3, 0.6]
    assert deal_probabilities(deals, "category", category_weights={"Commit": 0.9, "Pipeline": 0.5})[0].tolist() == [
        0.9,
        0.5,
    ]
    assert deal_probabilities(deals, "tier", tier_probability={"b": 0.7})[0].tolist() == [0.0, 0.7]


def test_sure_deals_summing_exactly_to_the_target_reach_it():
    # p = 1: every trial is the sum. 0.1 + 0.2 + 0.3 = 0.6 exactly in cents (10 + 20 + 30 = 60);
    # 0.1 + 0.7 and ten times 0.1 are 0.7999999999999999 and 0.9999999999999999 as plain float64
    # sums, just under their targets: in cents they are 80 and 100, exactly the targets.
    for amounts, target in (([0.1, 0.2, 0.3], 0.6), ([0.1, 0.7], 0.8), ([0.1] * 10, 1.0)):
        f = forecast(np.array(amounts), np.ones(len(amounts)), target=target, trials=50, seed=3)
        assert f.probability_of_target == 1.0
        assert (f.trials == target).all() and f.p50 == target


def test_float32_rounding_does_not_flip_probability_of_target():
    # float32 has 24 bits: near 10 million its spacing is 1, so 10,000,000.4 was summed as 10,000,000
    # (under a target of 10,000,000.3: P was 0, the truth 1) and 10,000,000.6 as 10,000,001 (over
    # 10,000,000.7: P was 1, the truth 0).
    up = forecast(np.array([10_000_000.4]), np.array([1.0]), target=10_000_000.3, trials=20)
    assert up.probability_of_target == 1.0 and (up.trials == 10_000_000.4).all()
    down = forecast(np.array([10_000_000.6]), np.array([1.0]), target=10_000_000.7, trials=20)
    assert down.probability_of_target == 0.0 and (down.trials == 10_000_000.6).all()
    # one sure deal and one that never wins, 1,234,567.89 + 0: every trial exactly 1,234,567.89
    f = forecast(np.array([1_234_567.89, 5.0]), np.array([1.0, 0.0]), target=1_234_567.89, trials=20)
    assert f.probability_of_target == 1.0 and (f.trials == 1_234_567.89).all()


def test_target_is_compared_to_the_cent():
    # a target carrying float noise (0.9 - (0.1 + 0.2) = 0.6000000000000001 - ... = 0.5999999999999999,
    # and 0.3 + 0.3 + 0.0000000001) is read to the cent: 60 cents both times, reached by 0.6
    f = forecast(np.array([0.6]), np.array([1.0]), target=0.9 - (0.1 + 0.2), trials=10)
    assert f.probability_of_target == 1.0
    assert forecast(np.array([0.6]), np.array([1.0]), target=0.3 + 0.3 + 1e-10, trials=10).probability_of_target == 1.0
    # half the trials win the one deal of 100: P(>= 100) = P(win), P(>= 100.01) = 0
    half = forecast(np.array([100.0]), np.array([0.5]), target=100, trials=10_000, seed=1)
    assert (
        half.probability_of_target == pytest.approx((half.trials == 100).mean())
        and 0.45 < half.probability_of_target < 0.55
    )
    assert forecast(np.array([100.0]), np.array([0.5]), target=100.01, trials=1000).probability_of_target == 0.0


# ---- capacity at an attainment ceiling: attainment moves with the scenario ----------------------

SMALL = Baseline(
    stages=("Opportunity", "Proposal", "Won"),
    volume=10,
    conversions=(0.5, 0.4),  # 10 a month x 50% x 40% = 2 wins a month
    deal_size=50_000,
    cycle_days=180,
    win_rate=0.2,
    open_opportunities=60,
    reps=5,
    quota_per_rep=500_000,
    attainment=0.48,
    target=2_500_000,
)


def test_funnel_binds_and_attainment_is_revenue_over_quota():
    o = outcome(SMALL)  # 2 x 12 x $50,000 = $1,200,000; capacity 5 x $500,000 x 100% = $2,500,000
    assert o.funnel_revenue == pytest.approx(1_200_000) and o.capacity == pytest.approx(2_500_000)
    assert o.projected_revenue == pytest.approx(1_200_000) and o.binding == "funnel"
    assert o.attainment == pytest.approx(1_200_000 / 2_500_000)  # 48%


def test_a_scenario_can_beat_todays_revenue_and_attainment_rises_with_it():
    o = outcome(SMALL, Levers(win_rate=0.1))  # 20% -> 30%: the last step 40% x 1.5 = 60%, 3 wins a month
    assert o.projected_revenue == pytest.approx(1_800_000) and o.binding == "funnel"
    assert o.attainment == pytest.approx(0.72)
    both = outcome(SMALL, Levers(win_rate=0.1, volume=0.5))  # funnel $2,700,000 > capacity $2,500,000
    assert both.projected_revenue == pytest.approx(2_500_000) and both.binding == "capacity"
    assert both.attainment == pytest.approx(1.0)


def test_attainment_lever_sets_the_ceiling_capacity_counts():
    lv = Levers(win_rate=0.1, volume=0.5, attainment=0.22, conversions=(0.0, 0.0))  # 48% + 22 points = 70%
    o = outcome(SMALL, lv)
    assert o.ceiling == pytest.approx(0.70) and o.capacity == pytest.approx(5 * 500_000 * 0.70)
    assert o.projected_revenue == pytest.approx(1_750_000) and o.binding == "capacity"
    assert o.attainment == pytest.approx(0.70)
    assert Levers.from_dict(lv.as_dict(), 2) == lv


# ---- the period forecast, one core function -------------------------------------------------------


def _period_deals() -> pd.DataFrame:
    day = pd.Timestamp("2026-01-10")
    return pd.DataFrame(
        {
            "status": ["open", "open", "open", "won", "open", "won"],
            "amount": [100.0, 200.0, 300.0, 1000.0, 5000.0, 7000.0],
            "close_date": [
                day,
                day + pd.Timedelta(days=30),
                day + pd.Timedelta(days=89),
                day,
                day + pd.Timedelta(days=200),
                day - pd.Timedelta(days=5),
            ],
            "probability": [0.5, 0.5, 0.5, 1.0, 0.9, 1.0],
        }
    )


def test_period_forecast_hand_worked_three_deals_at_even_odds():
    # in the period: 1,000 won, and 100, 200, 300 open at 50% each. The 8 equally likely outcomes of
    # the open deals are 0, 100, 200, 300, 300, 400, 500, 600: P(<= 0) = 1/8 > 10%, so P10 = 0;
    # P(<= 200) = 3/8 < 50% < P(<= 300) = 5/8, so P50 = 300; P(<= 500) = 7/8 < 90%, so P90 = 600.
    # With what is won: P10 = 1,000, P50 = 1,300, P90 = 1,600; P(>= 1,400) = P(open >= 400) = 3/8.
    from salesopt.forecast.montecarlo import default_period, forecast_period, pro_rata_target

    deals = _period_deals()
    start, end = default_period(deals)
    assert (start, end) == (pd.Timestamp("2026-01-10"), pd.Timestamp("2026-04-10"))
    f = forecast_period(deals, start, end, "crm", target=1400, trials=20_000, seed=3)
    assert (f.won, f.open_deals, f.without_probability) == (1000.0, 3, 0)
    assert (f.p10, f.p50, f.p90) == (1000.0, 1300.0, 1600.0)
    assert f.exact_mean == 1300.0  # 1,000 + 0.5 x (100 + 200 + 300)
    assert f.probability_of_target == pytest.approx(3 / 8, abs=0.015)
    assert f.trials.min() == 1000.0 and f.trials.max() == 1600.0
    # the yearly target pro rata: 91 days of 365,000 a year = 91,000
    assert f.days == 91 and pro_rata_target(365_000, start, end) == 91_000
    assert pro_rata_target(None, start, end) is None


def test_period_forecast_edge_cases():
    from salesopt.forecast.montecarlo import default_period, forecast_period

    deals = _period_deals()
    assert default_period(deals[deals["status"] == "won"]) is None  # no open deal
    f = forecast_period(deals, pd.Timestamp("2030-01-01"), pd.Timestamp("2030-03-31"), "crm", target=10)
    assert (f.won, f.open_deals, f.p50, f.probability_of_target) == (0.0, 0, 0.0, 0.0)
    already = forecast_period(deals, pd.Timestamp("2026-01-10"), pd.Timestamp("2026-01-10"), "crm", target=500)
    assert already.probability_of_target == 1.0  # 1,000 already won beats a target of 500
    cat = forecast_period(deals, pd.Timestamp("2026-01-10"), pd.Timestamp("2026-04-10"), "stage", stage_rates={})
    assert cat.without_probability == 3 and cat.p90 == 1000.0  # no probability: counted at 0%


def test_year_range_is_a_binomial_of_the_years_deals():
    from salesopt.forecast.montecarlo import year_range

    r = year_range(100, 0.5, 10.0, trials=20_000, seed=1)  # wins ~ Binomial(100, 0.5): median 50
    assert r.p50 == 500.0
    assert 430 <= r.p10 <= 450 and 550 <= r.p90 <= 570  # 50 -+ 1.28 x 5 wins, x 10
    assert year_range(100, 0.5, 10.0, trials=20_000, seed=1) == r
    assert year_range(100, 0.5, 10.0, cap=450.0, trials=1000).p90 == 450.0
    assert year_range(0, 0.5, 10.0, trials=100).p90 == 0.0
