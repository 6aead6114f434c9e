"""Sales velocity what-if (METRICS.md §2) against hand-worked figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesopt.assessment import Assessment
from salesopt.demo import demo_assessment
from salesopt.whatif import Baseline, Change, apply, baseline_from, difference, outcome, velocity


def test_velocity_hand_worked():
    # 100 open x 20% x $50,000 / 270 days = $3,703.70 per day; x30 = $111,111; x365 = $1,351,852
    base = Baseline(100, 0.2, 50_000, 270)
    result = outcome(base)
    assert result.velocity_per_day == pytest.approx(3703.7037, rel=1e-6)
    assert result.per_30_days == pytest.approx(111_111.11, rel=1e-6)
    assert result.per_year == pytest.approx(1_351_851.85, rel=1e-6)
    assert result.wins == pytest.approx(20)


def test_velocity_is_undefined_without_a_cycle_or_an_input():
    assert velocity(100, 0.2, 50_000, 0) is None
    assert velocity(None, 0.2, 50_000, 270) is None
    assert outcome(Baseline(None, 0.2, 50_000, 270)).per_year is None


def test_levers_hand_worked():
    # +10% deals, +5 pts win rate, -20% cycle: 110 x 25% x 50,000 / 216 = 6,365.74 per day
    after = apply(Baseline(100, 0.2, 50_000, 270), Change(0.10, 0.05, 0.0, -0.20))
    assert outcome(after).velocity_per_day == pytest.approx(110 * 0.25 * 50_000 / 216)
    gain = difference(outcome(after), outcome(Baseline(100, 0.2, 50_000, 270)))
    assert gain.wins == pytest.approx(27.5 - 20)


def test_win_rate_stays_within_0_and_1():
    assert apply(Baseline(1, 0.95, 1, 1), Change(win_rate_points=0.2)).win_rate == 1.0
    assert apply(Baseline(1, 0.05, 1, 1), Change(win_rate_points=-0.2)).win_rate == 0.0


def test_baseline_reads_stage_one_and_names_what_is_missing():
    assert Baseline(None, 0.2, 50_000.0, 270.0) == baseline_from(demo_assessment())
    assert baseline_from(Assessment()).missing() == ["open_opportunities", "win_rate", "avg_deal_size", "cycle_days"]


positive = st.floats(min_value=0.01, max_value=1.0)


@given(positive, st.floats(min_value=0.01, max_value=0.5))
def test_every_lever_moves_revenue_the_right_way(delta, points):
    base = Baseline(100, 0.3, 50_000, 200)
    v0 = outcome(base).per_year
    assert outcome(apply(base, Change(open_opportunities=delta))).per_year > v0
    assert outcome(apply(base, Change(avg_deal_size=delta))).per_year > v0
    assert outcome(apply(base, Change(win_rate_points=points))).per_year > v0
    assert outcome(apply(base, Change(cycle_days=-min(delta, 0.9)))).per_year > v0
    assert outcome(apply(base, Change(cycle_days=delta))).per_year < v0
