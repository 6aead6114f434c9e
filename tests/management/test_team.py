"""The Stage 5 page's headline figures (salesopt.management.team), hand-worked: the quota year, team
attainment, a rep's card, capacity, the category mix, tier counts, Stage 1's quota per rep; and
their edge cases (no quota, zero quota, no reps, no target)."""

from __future__ import annotations

import pandas as pd
import pytest

from salesopt.management.attainment import table as tiers_table
from salesopt.management.performance import QuotaPeriod, rep_table
from salesopt.management.team import (
    Capacity,
    QuotaYear,
    RepCard,
    category_mix,
    last_capacity,
    quota_per_rep,
    quota_year,
    rep_card,
    stage1_reps,
    team_attainment,
    tier_counts,
)
from salesopt.model.assessment import Assessment

d = pd.to_datetime
DEALS = pd.DataFrame(
    {
        "opportunity_id": list("abcdef"),
        "owner": ["Ana", "Ana", "Ben", "Ben", "Ana", "Cy"],
        "status": ["won", "lost", "won", "open", "open", "open"],
        "amount": [100.0, 40.0, 200.0, 300.0, None, 50.0],
        "created_date": d(["2024-01-01", "2024-01-15", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-20"]),
        "close_date": d(["2024-02-15", "2024-03-01", "2024-06-30", "2024-09-01", "2024-08-01", "2024-09-30"]),
        "probability": [1.0, 0.0, 1.0, 0.9, 0.5, None],
    }
)
# a quota period covering half of its year (183 of 366 days), so quotas and targets halve
HALF = QuotaPeriod(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-06-30"), 183, 366)


def test_quota_year_hand_worked():
    # won 100 (Ana) + 200 (Ben) = 300; open 300 + 0 (no amount) + 50 = 350; due 1200 x 183/366 = 600;
    # attainment 300 / 600 = 50%; coverage 350 / (600 - 300) = 1.1667
    year = quota_year(DEALS, HALF, 1200.0)
    assert year.won == 300.0 and year.open_pipeline == 350.0 and year.due == pytest.approx(600.0)
    assert year.attainment == pytest.approx(0.5) and year.coverage == pytest.approx(350 / 300)


def test_quota_year_without_a_target_a_period_an_owner_or_amounts():
    assert quota_year(DEALS, HALF, None) == QuotaYear(300.0, None, None, 350.0, None, "every rep shown")
    assert quota_year(DEALS, HALF, 0.0).due is None  # a zero target is no target
    assert quota_year(DEALS, None, 300.0) == QuotaYear(300.0, 300.0, 1.0, 350.0, None, "every rep shown")  # met
    no_owner = quota_year(DEALS.drop(columns=["owner"]), HALF, 1200.0)
    assert no_owner.won is None and no_owner.attainment is None and no_owner.coverage == pytest.approx(350 / 600)
    no_amount = quota_year(DEALS.drop(columns=["amount"]), HALF, 1200.0)
    # open deals exist and none carries an amount: the open pipeline is undefined, not $0
    assert no_amount.won == 0.0 and no_amount.open_pipeline is None and no_amount.coverage is None


def test_team_attainment_hand_worked():
    # quotas pro-rated by the period's share (1/2): Ana 400 -> 200, Ben 1000 -> 500, Cy none
    reps = rep_table(DEALS, {"Ana": 400.0, "Ben": 1000.0}, HALF)
    team = team_attainment(reps)
    assert (team.reps, team.actual, team.due, team.yearly_quota) == (2, 300.0, pytest.approx(700.0), 1400.0)
    assert team.attainment == pytest.approx(300 / 700) and team.without_quota == ("Cy",)


def test_team_attainment_counts_only_the_reps_who_have_a_quota():
    # a one-row quota table: Ana 100 won of 200 due = 50%; Ben's 200 won is not set against anyone's quota
    team = team_attainment(rep_table(DEALS, {"Ana": 400.0}, HALF))
    assert (team.reps, team.actual, team.due, team.attainment) == (1, 100.0, 200.0, 0.5)
    assert set(team.without_quota) == {"Ben", "Cy"} and team.won_without_quota == 200.0
    # the executive view reads the same figures when a quota table exists
    year = quota_year(DEALS, HALF, 400.0, team)
    assert (year.won, year.due, year.attainment) == (100.0, 200.0, 0.5)


def test_a_typed_actual_is_set_against_the_whole_quota_everywhere():
    # Ana typed 360 for her 400 quota: 90%, Core, in the rep table and in the quota table alike
    reps = rep_table(DEALS, {"Ana": 400.0}, HALF, actuals={"Ana": 360.0}).set_index("owner")
    assert reps.loc["Ana", "attainment"] == pytest.approx(0.9) and reps.loc["Ana", "tier"] == "Core"
    table = tiers_table([("Ana", 400.0, 360.0)], {"Ana": 100.0}, HALF.share)
    assert table.loc[0, "attainment"] == pytest.approx(0.9) and table.loc[0, "tier"] == "Core"


def test_team_attainment_edge_cases():
    none = team_attainment(rep_table(DEALS, {}, HALF))  # no quota
    assert (none.reps, none.due, none.attainment, none.won_without_quota) == (0, None, None, 300.0)
    zero = pd.DataFrame({"owner": ["Ana"], "won": [50.0], "quota": [0.0], "due": [0.0], "actual": [50.0]})
    assert team_attainment(zero).attainment is None  # zero quota: undefined, not a division
    empty = team_attainment(pd.DataFrame())  # no reps (no owner column)
    assert (empty.reps, empty.actual, empty.attainment) == (0, 0.0, None)


def test_rep_card_hand_worked():
    reps = rep_table(DEALS, {"Ana": 400.0}, HALF)
    mine = pd.DataFrame({"opportunity_id": ["e", "x"], "risk": ["stale", ""]})
    # Ana: won 100 of 200 due = 50%, Struggling; her one open deal (e) has no amount, so her open
    # pipeline and its coverage are undefined, not 0
    card = rep_card(reps, "Ana", mine)
    assert card == RepCard("Ana", 100.0, 200.0, 0.5, "Struggling", None, None, 2, 1)
    cy = rep_card(reps, "Cy", mine.iloc[:0].drop(columns=["risk"]))
    assert (cy.quota, cy.attainment, cy.tier, cy.coverage, cy.open_deals, cy.flagged) == (None, None, None, None, 0, 0)


def test_last_capacity():
    trend = pd.DataFrame({"quarter": ["2024Q1", "2024Q2", "2024Q3"], "reps": [2.0, 3.0, None]})
    assert last_capacity(trend) == Capacity("2024Q2", 3.0)
    assert last_capacity(trend.assign(reps=None)) is None
    assert last_capacity(trend.drop(columns=["reps"])) is None


def test_category_mix_counts_open_deals_most_first():
    thresholds = {"Commit": 0.9, "Best Case": 0.7, "Pipeline": 0.5, "Omitted": 0.0}
    mix = category_mix(DEALS, thresholds)  # open: d 0.9 Commit, e 0.5 Pipeline, f no probability
    assert dict(zip(mix["category"], mix["deals"], strict=True)) == {"Commit": 1, "Pipeline": 1, "(none)": 1}
    assert category_mix(DEALS[DEALS["status"] != "open"], thresholds).empty


def test_tier_counts_include_empty_tiers():
    table = tiers_table([("Ana", 100.0, 120.0), ("Ben", 100.0, 90.0), ("Cy", 100.0, 85.0)], {})
    assert tier_counts(table) == {"High": 1, "Core": 2, "Struggling": 0}
    assert tier_counts(pd.DataFrame()) == {"High": 0, "Core": 0, "Struggling": 0}


def test_stage1_quota_per_rep():
    a = Assessment().with_answer("context", "rep_count", 4)
    assert stage1_reps(a) == 4.0 and quota_per_rep(a, 2_000_000.0) == 500_000.0
    assert quota_per_rep(a, None) is None and quota_per_rep(Assessment(), 2_000_000.0) is None
    assert quota_per_rep(Assessment().with_answer("context", "rep_count", 0), 2_000_000.0) is None  # no reps
