"""The demo: the seed's usage example, and a CRM export consistent with it."""

from __future__ import annotations

import pandas as pd

from salesopt.demo import AS_OF, CRM_COLUMNS, demo_assessment, generate_crm
from salesopt.report.figures import context_figures, implied_quota, revenue_per_rep


def test_demo_assessment_is_the_seed_usage_example():
    answers = demo_assessment().context.answers
    assert answers["sales_model"][0] == "B2B"
    assert answers["avg_deal_size"] == 50000
    assert (answers["rep_count"], answers["sdr_count"]) == (10, 5)
    assert answers["quota_attainment"] == 0.6
    assert answers["win_rate"] == 0.2
    assert answers["sales_cycle"] == 270  # 9 months of 30 days
    assert "demo to proposal" in answers["challenges"]


def test_stage_one_figures_of_the_demo():
    demo = demo_assessment()
    assert implied_quota(demo) == 5_000_000  # $3M / 60%
    assert revenue_per_rep(demo) == 300_000  # $3M / 10 reps
    shown = {f.label: f.value for f in context_figures(demo)}
    assert shown["Average deal size (reported)"] == "$50K"
    assert shown["Sales cycle (reported)"] == "270 days"
    assert shown["Win rate (reported)"] == "20%"
    assert shown["Implied team quota"] == "$5M"


def test_figures_are_undefined_not_zero_without_answers():
    from salesopt.model.assessment import Assessment

    empty = Assessment()
    assert implied_quota(empty) is None
    zero = empty.with_answer("context", "annual_revenue", 1e6).with_answer("context", "quota_attainment", 0.0)
    assert implied_quota(zero) is None
    assert {f.value for f in context_figures(empty)} == {"—"}


def test_generated_crm_is_reproducible_and_seed_dependent():
    a, b = generate_crm(300, seed=1), generate_crm(300, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert not generate_crm(300, seed=2).equals(a)
    assert list(a.columns) == list(CRM_COLUMNS)


def test_generated_crm_matches_the_demo_figures():
    df = generate_crm()
    won, lost = (df["Stage"] == "Closed Won").sum(), (df["Stage"] == "Closed Lost").sum()
    assert 0.17 <= won / (won + lost) <= 0.24  # seed: 20% win rate
    wins = df[df["Stage"] == "Closed Won"]
    assert 45_000 <= wins["Amount"].mean() <= 56_000  # seed: $50K ACV
    cycle = (pd.to_datetime(wins["Close Date"]) - pd.to_datetime(wins["Created Date"])).dt.days
    assert 240 <= cycle.mean() <= 300  # seed: 9-month cycle
    open_deals = df[~df["Stage"].str.startswith("Closed")]
    assert (pd.to_datetime(open_deals["Close Date"]) > pd.Timestamp(AS_OF)).all()
    assert (pd.to_datetime(df[df["Stage"].str.startswith("Closed")]["Close Date"]) <= pd.Timestamp(AS_OF)).all()
    lost_df = df[df["Stage"] == "Closed Lost"]
    assert (lost_df["Loss Reason"] != "").all()
    assert ((lost_df["Competitor"] != "") == (lost_df["Loss Reason"] == "Went with competitor")).all()


def test_generated_crm_edge_sizes():
    assert len(generate_crm(0)) == 0
    assert len(generate_crm(1)) == 1
