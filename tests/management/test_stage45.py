"""Stages 4 and 5: gap scores, leak links, forecast categories and accuracy, tiers, dashboards."""

from __future__ import annotations

import pandas as pd
import pytest

from salesopt.content.frameworks import load_catalog
from salesopt.enablement import gap_scores, leak_content, onboarding_weeks, stack_gaps
from salesopt.funnel.analysis import classify
from salesopt.funnel.stages import from_names
from salesopt.management.attainment import table as tiers_table
from salesopt.management.performance import (
    accuracy,
    category_from_probability,
    forecast_categories,
    rep_table,
    risk_flags,
    tier,
    trends,
)

KIT = load_catalog().enablement()
PERF = load_catalog().performance()


def test_gap_score_hand_worked():
    # discovery: have 1, outdated 2, missing 1 -> (1 + 0.5 x 2) / 4 = 50%
    statuses = {
        "conversation_guides": "have",
        "persona_research": "outdated",
        "competitive_intel": "outdated",
        "discovery_templates": "missing",
        "proposal_templates": "missing",
    }
    table = gap_scores(KIT, statuses).set_index("phase")
    assert table.loc["Discovery phase", "gap"] == pytest.approx(0.5)
    assert table.loc["Proposal phase", "gap"] == 1.0 and table.loc["Proposal phase", "unrated"] == 3
    assert table.loc["Solution phase", "gap"] is None


def test_a_demo_to_proposal_leak_points_to_proposal_content():
    items = dict(leak_content(KIT, {"case_studies": "have", "roi_calculators": "missing"}, "Demo"))
    assert items["Proposal templates"] == "not rated" and items["ROI calculators"] == "missing"
    assert "Case studies and testimonials" not in items
    assert "Pricing guides" not in items


def test_stack_gaps_and_onboarding_length():
    assert stack_gaps(KIT, {"crm": "in use", "engagement": "planned"}) == [
        "Sales intelligence",
        "Proposal/CPQ tools",
        "Conversation intelligence",
    ]
    assert onboarding_weeks([(p.name, p.start_week, p.weeks) for p in KIT.onboarding]) == 12  # seed: 12 weeks


@pytest.mark.parametrize(
    ("p", "category"),
    [
        (0.95, "Commit"),
        (0.9, "Commit"),
        (0.89, "Best Case"),
        (0.7, "Best Case"),
        (0.5, "Pipeline"),
        (0.49, "Omitted"),
        (0.0, "Omitted"),
        (None, None),
    ],
)
def test_category_from_probability(p, category):
    assert category_from_probability(p, PERF.category_thresholds) == category


def test_crm_category_wins_over_probability():
    deals = pd.DataFrame({"forecast_category": ["best case", None], "probability": [0.1, 0.92]})
    assert forecast_categories(deals, PERF.category_thresholds).tolist() == ["Best Case", "Commit"]


def test_forecast_accuracy_mape_and_bias_hand_worked():
    # Q1 forecast 110 vs 100: accuracy 0.9; Q2 90 vs 100: 0.9; Q3 130 vs 100: 0.7
    table, summary = accuracy([("Q1", 110, 100), ("Q2", 90, 100), ("Q3", 130, 100)])
    assert table["accuracy"].tolist() == pytest.approx([0.9, 0.9, 0.7])
    assert summary["mape"] == pytest.approx((0.1 + 0.1 + 0.3) / 3)
    assert summary["bias"] == pytest.approx(30 / 300) and summary["verdict"] == "over-optimism"
    _, low = accuracy([("Q1", 80, 100), ("Q2", 90, 100)])
    assert low["bias"] == pytest.approx(-0.15) and low["verdict"] == "sandbagging"
    zero, s = accuracy([("Q1", 10, 0)])
    assert zero["accuracy"].tolist() == [None] and s["mape"] is None and s["bias"] is None


@pytest.mark.parametrize(
    ("attainment", "expected"), [(1.01, "High"), (1.0, "Core"), (0.8, "Core"), (0.79, "Struggling"), (None, None)]
)
def test_tiers_at_exactly_80_and_100_percent(attainment, expected):
    assert tier(attainment) == expected


def test_tier_thresholds_come_from_the_performance_yaml():
    assert PERF.tier_thresholds == {"High": 1.0, "Core": 0.8}
    assert tier(0.75, {"High": 1.2, "Core": 0.7}) == "Core" and tier(1.1, {"High": 1.2, "Core": 0.7}) == "Core"
    assert tier(1.0, {}) is None  # no valid thresholds: not judged


def test_quota_period_is_the_year_to_the_as_of_date_pro_rated_when_the_export_is_shorter():
    from salesopt.management.performance import quota_period, won_by_owner

    # as of 2024-05-01; the export starts 2023-01-01, before the year 2023-05-02..2024-05-01: full year
    period = quota_period(DEALS)
    assert (period.start, period.end) == (pd.Timestamp("2023-05-02"), pd.Timestamp("2024-05-01"))
    assert period.share == 1.0 and not period.partial
    # six quarters of won deals: only the last year's count against a yearly quota
    deals = DEALS.assign(created_date=DEALS["created_date"].where(DEALS["opportunity_id"] != "d", pd.NaT))
    old_win = pd.DataFrame(
        {
            "opportunity_id": ["z"],
            "owner": ["Ana"],
            "status": ["won"],
            "amount": [1_000.0],
            "created_date": [pd.Timestamp("2022-10-01")],
            "close_date": [pd.Timestamp("2023-02-01")],
        }
    )
    deals = pd.concat([deals, old_win], ignore_index=True)
    assert won_by_owner(deals, quota_period(deals)) == {"Ana": 100.0, "Ben": 70.0}
    assert rep_table(deals, {"Ana": 200.0}).set_index("owner").loc["Ana", "attainment"] == 0.5
    # an export covering 2024-01-01..2024-05-01 only (122 days of a 366-day year): quota pro-rated
    short = DEALS[DEALS["opportunity_id"].isin(["a", "b", "e"])]
    period = quota_period(short)
    assert period.start == pd.Timestamp("2024-01-01") and period.days == 122 and period.year_days == 366
    table = rep_table(short, {"Ana": 300.0}).set_index("owner")
    assert table.loc["Ana", "quota"] == 300.0 and table.loc["Ana", "due"] == pytest.approx(100.0)  # 300 x 122 / 366
    assert table.loc["Ana", "attainment"] == pytest.approx(1.0) and table.loc["Ana", "tier"] == "Core"


def test_tiers_from_a_quota_table():
    table = tiers_table([("Ana", 100_000, 120_000), ("Ben", 100_000, None), ("Cy", 100_000, None)], {"Ben": 80_000})
    assert table["tier"].tolist() == ["High", "Core", None]
    assert table["attainment"].tolist()[:2] == [1.2, 0.8]


STAGES = from_names(["Qualify", "Propose", "Won"], lost=["Lost"])
DEALS = classify(
    pd.DataFrame(
        {
            "opportunity_id": list("abcde"),
            "owner": ["Ana", "Ana", "Ben", "Ben", "Ben"],
            "stage": ["Won", "Propose", "Lost", "Qualify", "Won"],
            "amount": [100.0, 50.0, 30.0, 20.0, 70.0],
            "created_date": pd.to_datetime(["2024-01-01", "2024-01-10", "2024-02-01", "2023-01-01", "2024-03-01"]),
            "close_date": pd.to_datetime(["2024-03-01", "2024-01-31", "2024-03-15", "2024-12-31", "2024-05-01"]),
            "next_step": ["x", None, None, "call", None],
        }
    ),
    STAGES,
)


def test_rep_dashboard_hand_worked():
    table = rep_table(DEALS, {"Ana": 200.0, "Ben": 50.0}).set_index("owner")
    assert table.loc["Ana", ["won", "pipeline", "open"]].tolist() == [100, 50, 1]
    assert table.loc["Ana", "attainment"] == 0.5 and table.loc["Ana", "coverage"] == 0.5  # 50 / (200 - 100)
    assert table.loc["Ben", "attainment"] == 1.4 and table.loc["Ben", "tier"] == "High"
    assert table.loc["Ben", "coverage"] is None  # quota already met


def test_risk_flags():
    flags = risk_flags(DEALS, median_cycle_days=60).set_index("opportunity_id")["flags"].to_dict()
    # as of 2024-05-01 (the latest date): stale = open more than 1.5 x 60 = 90 days
    assert flags == {"b": "close date passed, stale, no next step", "d": "stale"}  # b: open 112 days > 90


def test_trends_by_quarter():
    table = trends(DEALS).set_index("quarter")
    assert table.loc["2024Q1", "won_revenue"] == 100 and table.loc["2024Q1", "win_rate"] == 0.5
    assert table.loc["2024Q2", "avg_deal"] == 70


def test_weighted_forecast_hand_worked():
    from salesopt.forecast.montecarlo import in_period, period_forecast

    deals = pd.DataFrame(
        {
            "status": ["won", "open", "open", "open", "open"],
            "amount": [100.0, 200.0, 300.0, 400.0, 999.0],
            "close_date": pd.to_datetime(["2024-01-10", "2024-01-20", "2024-02-01", "2024-03-01", "2024-06-01"]),
            "forecast_category": [None, "Commit", "Best Case", "Omitted", "Commit"],
            "probability": [None, 0.9, 0.6, 0.1, 0.9],
        }
    )
    open_deals, won = in_period(deals, pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31"))
    pf = period_forecast(open_deals, won, open_deals["probability"].to_numpy(), PERF.category_weights)
    # 100 won + 200 x 0.9 + 300 x 0.7 + 400 x 0 = 490; by probability: 100 + 180 + 180 + 40 = 500
    assert pf.won_in_period == 100 and pf.open_in_period == 3
    assert pf.category_forecast == pytest.approx(490) and pf.probability_forecast == pytest.approx(500)


def test_dashboards_on_a_real_export():
    from tests.helpers import REAL_DATA

    if not REAL_DATA.is_dir():
        pytest.skip("../shared/data/real is not here")
    from salesopt.funnel.stage2 import evaluate, load, stage_map_for

    path = REAL_DATA / "maven-crm-opportunities" / "sales_pipeline.csv"
    imported = load(path.read_bytes(), path.name, overrides={"created_date": "engage_date"})
    result = evaluate(imported, stage_map_for(imported))
    reps = rep_table(result.deals, {"Darcel Schlecht": 1_000_000}).set_index("owner")
    # won in the quota's year (ending on the export's last date), read from the file independently
    raw = pd.read_csv(path, parse_dates=["close_date"])
    end = max(raw["close_date"].max(), pd.to_datetime(raw["engage_date"]).max())
    mine = raw[(raw["sales_agent"] == "Darcel Schlecht") & (raw["deal_stage"] == "Won")]
    mine = mine[mine["close_date"] > end - pd.DateOffset(years=1)]
    assert reps.loc["Darcel Schlecht", "won"] == pytest.approx(mine["close_value"].sum())
    assert reps.loc["Darcel Schlecht", "open"] == 111 + 83
    table = trends(result.deals)
    assert table["won_revenue"].sum() == pytest.approx(10_005_534)  # PROVENANCE: won close_value sum


def test_period_ends_include_the_whole_last_day():
    from salesopt.forecast.montecarlo import in_period

    deals = pd.DataFrame(
        {
            "opportunity_id": list("abcdef"),
            "status": ["won", "open", "open", "open", "won", "open"],
            "amount": [100.0, 200.0, 300.0, 400.0, 500.0, 600.0],
            "close_date": pd.to_datetime(
                [
                    "2024-03-31 15:00",  # won on the last day, in the afternoon: inside
                    "2024-03-31 15:00",  # open, expected then: inside
                    "2024-01-01 00:30",  # first day: inside
                    "2024-04-01 00:00",  # the next day: outside
                    "2023-12-31 23:59",  # the day before: outside
                    "2024-03-31 23:59:59",  # the last second of the last day: inside
                ],
                format="ISO8601",
            ),
        }
    )
    open_deals, won = in_period(deals, pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31"))
    assert won == 100 and open_deals["opportunity_id"].tolist() == ["b", "c", "f"]
    # a period typed with a time of day is read as its calendar days too
    open_deals, won = in_period(deals, pd.Timestamp("2024-01-01 12:00"), pd.Timestamp("2024-03-31 09:00"))
    assert won == 100 and open_deals["opportunity_id"].tolist() == ["b", "c", "f"]


def test_cycles_count_calendar_days():
    deals = pd.DataFrame(
        {
            "status": ["won", "won", "won", "lost"],
            "amount": [10.0, 20.0, 30.0, 40.0],
            # Q1: created 23:00, closed 01:00 the next day = 1 calendar day (a 2-hour timedelta is 0 days)
            # Q2: created and closed the same day = 0; Q3: the same day, closed at an earlier hour than
            # created = 0 (the timedelta is -10 hours, -1 day, and was dropped as negative)
            "created_date": pd.to_datetime(
                ["2024-01-05 23:00", "2024-05-10 09:00", "2024-08-01 18:00", "2024-08-01 00:00"]
            ),
            "close_date": pd.to_datetime(
                ["2024-01-06 01:00", "2024-05-10 17:00", "2024-08-01 08:00", "2024-08-20 00:00"]
            ),
        }
    )
    table = trends(deals).set_index("quarter")
    assert table["median_cycle"].to_dict() == {"2024Q1": 1.0, "2024Q2": 0.0, "2024Q3": 0.0}
    assert table.loc["2024Q3", "win_rate"] == 0.5


def test_risk_flags_compare_calendar_days():
    deals = pd.DataFrame(
        {
            "opportunity_id": ["x", "y"],
            "status": ["won", "open"],
            "amount": [1.0, 2.0],
            "created_date": pd.to_datetime(["2024-03-01 00:00", "2024-01-31 23:00"]),
            "close_date": pd.to_datetime(["2024-05-01 10:00", "2024-05-01 09:00"]),
        }
    )
    # as of 2024-05-01 (x's close, 10:00). y closes that same day (09:00): not passed. y was created
    # 2024-01-31: Feb 29 + Mar 31 + Apr 30 + 1 = 91 calendar days open > 1.5 x 60 = 90, stale (the
    # timedelta, 90 days 11 hours, read 90 days: not stale)
    flags = risk_flags(deals, median_cycle_days=60).set_index("opportunity_id")["flags"].to_dict()
    assert flags == {"y": "stale"}
