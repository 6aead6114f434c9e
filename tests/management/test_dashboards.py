"""Stage 5 dashboard figures, hand-worked: filters, revenue vs forecast vs target, pipeline by rep and
stage, a rep's open deals with age and risk, flagged deals per rep, coverage."""

from __future__ import annotations

import pandas as pd
import pytest

from salesopt.management.dashboards import (
    Filters,
    apply_filters,
    coverage,
    filter_options,
    flagged_by_rep,
    open_deals_of,
    pipeline_by_rep_and_stage,
    quarters,
    revenue_by_quarter,
    yearly_target,
)
from salesopt.management.performance import risk_flags

WEIGHTS = {"Commit": 0.9, "Best Case": 0.7, "Pipeline": 0.5, "Omitted": 0.0}
THRESHOLDS = {"Commit": 0.9, "Best Case": 0.7, "Pipeline": 0.5, "Omitted": 0.0}

d = pd.to_datetime
DEALS = pd.DataFrame(
    {
        "opportunity_id": list("abcdef"),
        "owner": ["Ana", "Ana", "Ben", "Ben", "Ana", "Ben"],
        "segment": ["SMB", "Ent", "SMB", "SMB", "Ent", "Ent"],
        "stage": ["Won", "Lost", "Won", "Propose", "Qualify", "Qualify"],
        "status": ["won", "lost", "won", "open", "open", "open"],
        "amount": [100.0, 40.0, 200.0, 300.0, 1000.0, 50.0],
        "created_date": d(["2024-01-01", "2024-01-15", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-20"]),
        # as of 2024-06-30 (c's close); d's expected close (2024-05-01) has passed
        "close_date": d(["2024-02-15", "2024-03-01", "2024-06-30", "2024-05-01", "2024-08-01", "2024-09-30"]),
        "probability": [1.0, 0.0, 1.0, 0.9, 0.5, 0.1],
        "next_step": [None, None, None, "call", "", None],
    }
)


def test_filters_by_quarter_owner_and_segment():
    assert quarters(DEALS) == ["2024Q1", "2024Q2", "2024Q3"]
    assert filter_options(DEALS) == {"owner": ["Ana", "Ben"], "segment": ["Ent", "SMB"]}
    ids = lambda f: list(apply_filters(DEALS, f)["opportunity_id"])  # noqa: E731
    assert ids(Filters(first_quarter="2024Q2", last_quarter="2024Q2")) == ["c", "d"]
    assert ids(Filters(owners=("Ana",), values=(("segment", ("Ent",)),))) == ["b", "e"]
    assert ids(Filters(values=(("team", ("North",)),))) == list("abcdef")  # no team column: not a filter


def test_revenue_by_quarter_actual_forecast_and_target():
    table = revenue_by_quarter(DEALS, WEIGHTS, THRESHOLDS, yearly_target=1200).set_index("quarter")
    # Q1: won a 100. Q2: won c 200 + d (overdue, Commit 0.9) 300 x 0.9 = 270 -> 470.
    # Q3: e Pipeline 1000 x 0.5 = 500 + f (10%, no category) 0 -> 500. Target 1200 / 4 = 300.
    assert table["actual"].to_dict() == {"2024Q1": 100.0, "2024Q2": 200.0, "2024Q3": 0.0}
    assert table["forecast"].to_dict() == pytest.approx({"2024Q1": 100.0, "2024Q2": 470.0, "2024Q3": 500.0})
    assert set(table["target"]) == {300.0}
    assert revenue_by_quarter(DEALS, WEIGHTS, THRESHOLDS, None)["target"].isna().all()
    assert revenue_by_quarter(DEALS.drop(columns="close_date"), WEIGHTS, THRESHOLDS, 1).empty


def test_pipeline_by_rep_and_stage():
    table = pipeline_by_rep_and_stage(DEALS).set_index(["owner", "stage"])
    assert table["amount"].to_dict() == {
        ("Ana", "Qualify"): 1000.0,
        ("Ben", "Propose"): 300.0,
        ("Ben", "Qualify"): 50.0,
    }
    assert pipeline_by_rep_and_stage(DEALS[DEALS["status"] != "open"]).empty


def test_a_reps_open_deals_with_age_next_step_and_risk():
    deals = open_deals_of(DEALS, ["Ben"], median_cycle_days=60)
    # as of 2024-06-30: d created 2024-03-01 is 121 days old (> 1.5 x 60: stale) and overdue; f 41 days
    assert list(deals["opportunity_id"]) == ["d", "f"]
    assert list(deals["age_days"]) == [121, 41]
    assert list(deals["risk"]) == ["close date passed, stale", "no next step"]
    assert list(open_deals_of(DEALS, [], None)["opportunity_id"]) == ["d", "e", "f"]


def test_flagged_deals_per_rep_and_coverage():
    per_rep = flagged_by_rep(risk_flags(DEALS, 60)).set_index("owner")
    assert per_rep.loc["Ben", "deals"] == 2 and per_rep.loc["Ben", "amount"] == 350.0
    assert per_rep.loc["Ana", "deals"] == 1  # e: no next step ("" counts as none)
    assert coverage(1350.0, 1200.0, 300.0) == 1.5  # 1350 / (1200 - 300)
    assert coverage(10.0, 100.0, 100.0) is None and coverage(10.0, None, 0.0) is None
    assert yearly_target({"Ana": 500.0, "Ben": 700.0}, 9.0) == 1200.0 and yearly_target({}, None) is None


def test_the_as_of_date_does_not_move_with_the_filters():
    # the book is as of 2024-06-30 (c's close). Filtered to Ben's Q2 deals without c, the deals alone
    # would say 2024-05-20; given the book's date, d (expected 2024-05-01) is still overdue and
    # counted in the as-of quarter, and its age runs to 2024-06-30
    today = pd.Timestamp("2024-06-30")
    shown = apply_filters(DEALS, Filters(owners=("Ben",)))
    shown = shown[shown["opportunity_id"] != "c"]
    flags = risk_flags(shown, 60, today).set_index("opportunity_id")["flags"].to_dict()
    assert "close date passed" in flags["d"]
    ages = open_deals_of(shown, ["Ben"], None, today).set_index("opportunity_id")["age_days"].to_dict()
    assert ages["d"] == 121  # 2024-03-01 to 2024-06-30
    table = revenue_by_quarter(shown, WEIGHTS, THRESHOLDS, None, today).set_index("quarter")
    assert table.loc["2024Q2", "forecast"] == pytest.approx(300 * 0.9)  # d, overdue, in the as-of quarter


def test_under_a_rep_filter_the_target_is_the_shown_reps_quotas():
    quotas = {"Ana": 500.0, "Ben": 700.0}
    assert yearly_target(quotas, 9.0, owners=("Ben",)) == 700.0
    assert yearly_target({}, 9.0, owners=("Ben",)) is None  # Stage 1's team quota says nothing of one rep
    assert yearly_target({}, 9.0) == 9.0
