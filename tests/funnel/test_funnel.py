"""Stage 2 figures against hand-worked examples (METRICS.md §2, §3) and edge cases."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesopt.content.frameworks import BenchmarkSet, ConversionBenchmark
from salesopt.funnel.analysis import analyze, classify, cohorts
from salesopt.funnel.stages import StageMap, detect, from_names

STAGES = from_names(["Qualification", "Proposal", "Closed Won"], lost=["Closed Lost"])


def deals_frame(rows):
    df = pd.DataFrame(
        rows,
        columns=[
            "opportunity_id",
            "stage",
            "amount",
            "created_date",
            "close_date",
            "probability",
            "forecast_category",
            "lost_at_stage",
            "owner",
        ],
    )
    for c in ("created_date", "close_date"):
        df[c] = pd.to_datetime(df[c])
    return df


HAND = deals_frame(
    [
        ("A", "Closed Won", 50_000, "2024-01-01", "2024-03-01", None, None, None, "Ana"),  # 60 days
        ("B", "Closed Won", 30_000, "2024-01-01", "2024-01-31", None, None, None, "Ana"),  # 30 days
        ("C", "Closed Lost", 20_000, "2024-01-01", "2024-02-01", None, None, "Proposal", "Ben"),
        ("D", "Closed Lost", 0, "2024-01-01", "2024-02-01", None, None, None, "Ben"),
        ("E", "Proposal", 40_000, "2024-02-01", "2024-06-30", 0.5, None, None, "Ana"),
        ("F", "Qualification", 10_000, "2024-02-01", "2024-06-30", None, "Commit", None, "Ben"),
    ]
)
BENCH = BenchmarkSet(
    id="t",
    title="t",
    segment="t",
    conversions=(ConversionBenchmark(from_stages=("Proposal",), to_stages=("Closed Won",), value=0.75, source="test"),),
)


def run(df=HAND, **kw):
    return analyze(classify(df, STAGES), STAGES, **kw)


def test_outcome_metrics_hand_worked():
    a = run(target=100_000)
    assert (a.opportunities, a.won, a.lost, a.open) == (6, 2, 2, 2)
    assert a.win_rate == 0.5  # 2 / (2 + 2)
    assert a.win_rate_value == pytest.approx(0.8)  # 80,000 / (80,000 + 20,000)
    assert a.avg_deal_size == 40_000  # 80,000 / 2
    assert (a.cycle_days_mean, a.cycle_days_median) == (45, 45)
    assert a.pipeline_value == 50_000
    assert a.weighted_pipeline == pytest.approx(29_000)  # 40,000 x 0.5 + 10,000 x 0.9 (Commit)
    assert a.coverage_ratio == pytest.approx(0.5)  # 50,000 / 100,000
    assert a.required_coverage == pytest.approx(1.25)  # 1 / 0.8
    assert a.sales_velocity_per_day == pytest.approx(2 * 0.5 * 40_000 / 45)
    assert a.sales_velocity_per_30_days == pytest.approx(2 * 0.5 * 40_000 / 45 * 30)


def test_win_rate_denominator_switch():
    assert run(win_rate_basis="all").win_rate == pytest.approx(2 / 6)


def test_stage_conversions_hand_worked():
    a = run()
    assert [(s.stage, s.reached) for s in a.stages] == [("Qualification", 5), ("Proposal", 4), ("Closed Won", 2)]
    assert [s.conversion_to_next for s in a.stages] == [0.8, 0.5, None]
    assert a.unknown_lost_stage == 1
    assert any("1 lost deal with no known stage they were lost at" in w for w in a.warnings)


def test_closed_only_conversions():
    # closed deals: A, B won (reach 2), C lost at Proposal (1), D lost at an unknown stage: it still
    # counts as closed, assumed lost at the last open stage (Proposal), so no conversion reads 100%
    # because a loss was dropped
    a = run(closed_only=True)
    assert [s.reached for s in a.stages] == [4, 4, 2]
    assert a.stages[1].conversion_to_next == pytest.approx(2 / 4)
    assert any("counted as lost at Proposal" in w for w in a.warnings)


def test_leak_against_benchmark_and_revenue_at_stake():
    a = run(benchmark=BENCH)
    leak = a.biggest_leak
    assert (leak.from_stage, leak.to_stage, leak.conversion, leak.benchmark) == ("Proposal", "Closed Won", 0.5, 0.75)
    assert leak.shortfall == pytest.approx(0.25)
    assert leak.revenue_at_stake == pytest.approx(40_000)  # 80,000 x (0.75 / 0.5 - 1)


def test_biggest_leak_without_benchmarks_is_the_lowest_conversion():
    leak = run().biggest_leak
    assert (leak.from_stage, leak.conversion, leak.benchmark, leak.revenue_at_stake) == ("Proposal", 0.5, None, None)


def test_zero_closed_deals_leave_rates_undefined_with_reasons():
    a = run(HAND[HAND["stage"].isin(["Proposal", "Qualification"])])
    assert a.win_rate is None and a.reasons["win_rate"] == "no closed deals yet"
    assert a.win_rate_value is None and a.avg_deal_size is None and a.cycle_days_mean is None
    assert a.sales_velocity_per_day is None
    assert a.required_coverage is None
    assert a.coverage_ratio is None and a.reasons["coverage_ratio"] == "no revenue target given"


def test_lost_deals_with_zero_amounts_make_value_win_rate_undefined():
    df = HAND.copy()
    df.loc[df["stage"] == "Closed Lost", "amount"] = 0
    a = run(df)
    assert a.win_rate_value is None
    assert a.reasons["win_rate_value"] == "all 2 lost deals have no amount above 0"
    assert a.required_coverage == 2.0  # falls back to 1 / count win rate


def test_negative_cycles_are_excluded_and_reported():
    df = HAND.copy()
    df.loc[df["opportunity_id"] == "A", "close_date"] = pd.Timestamp("2023-12-01")
    a = run(df)
    assert a.cycle_days_mean == 30
    assert any("1 won deal closes before it was created" in w for w in a.warnings)


def test_empty_stage_and_one_row():
    one = run(HAND.iloc[[0]])
    assert one.win_rate == 1.0 and [s.reached for s in one.stages] == [1, 1, 1]
    empty_stage = run(HAND[HAND["stage"] != "Qualification"])
    assert empty_stage.stages[0].reached == 4


def test_cohorts_by_owner_with_small_groups_marked():
    table = cohorts(classify(HAND, STAGES), "owner").set_index("owner")
    assert table.loc["Ana", ["opportunities", "won", "lost", "open"]].tolist() == [3, 2, 0, 1]
    assert table.loc["Ana", "win_rate"] == 1.0 and table.loc["Ana", "avg_deal_size"] == 40_000
    assert table.loc["Ben", "win_rate"] == 0.0 and table.loc["Ben", "avg_deal_size"] is None
    assert table["small"].all()


def test_stage_detection_from_known_crm_lists():
    m = detect(["Closed Won", "Negotiation/Review", "Prospecting", "Closed Lost", "Id. Decision Makers"])
    assert m.funnel == ("Prospecting", "Id. Decision Makers", "Negotiation/Review", "Closed Won")
    assert m.lost == frozenset({"Closed Lost"})
    unknown = detect(["Beta", "Alpha"])
    assert any("not recognised" in n for n in unknown.notes)
    assert any("no won stage" in n for n in unknown.notes)


def test_status_from_crm_flags_wins_over_stage_names():
    df = pd.DataFrame(
        {
            "opportunity_id": ["1", "2", "3"],
            "stage": ["Signed", "Dropped", "Talking"],
            "is_won": pd.array([True, False, False], dtype="boolean"),
            "is_closed": pd.array([True, True, False], dtype="boolean"),
        }
    )
    out = classify(df, StageMap(("Talking", "Signed"), frozenset({"Signed"}), frozenset()))
    assert out["status"].tolist() == ["won", "lost", "open"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Qualification", "Proposal", "Closed Won", "Closed Lost"]),
            st.sampled_from([None, "Qualification", "Proposal"]),
            st.floats(min_value=0, max_value=1e6),
        ),
        max_size=40,
    )
)
def test_rates_stay_in_0_1_and_reach_never_increases(rows):
    df = pd.DataFrame(
        {
            "opportunity_id": [str(i) for i in range(len(rows))],
            "stage": [r[0] for r in rows],
            "lost_at_stage": [r[1] for r in rows],
            "amount": [r[2] for r in rows],
        }
    )
    for closed_only in (False, True):
        a = analyze(classify(df, STAGES), STAGES, closed_only=closed_only)
        reached = [s.reached for s in a.stages]
        assert reached == sorted(reached, reverse=True)
        for value in [a.win_rate, a.win_rate_value, *[s.conversion_to_next for s in a.stages]]:
            assert value is None or 0 <= value <= 1


def test_workshop_volumes_hand_worked():
    from salesopt.funnel.analysis import analyze_volumes

    bench = BenchmarkSet(
        id="t",
        title="t",
        segment="t",
        conversions=(ConversionBenchmark(from_stages=("Demo",), to_stages=("Proposal",), value=0.7, source="seed"),),
    )
    # 1,000 leads -> 200 demos -> 100 proposals -> 40 won worth $2,000,000
    v = analyze_volumes(
        [
            ("Lead", 1000, None, None),
            ("Demo", 200, 20, None),
            ("Proposal", 100, 30, None),
            ("Closed Won", 40, None, 2_000_000),
        ],
        bench,
    )
    assert [s.conversion_to_next for s in v.stages] == [0.2, 0.5, 0.4, None]
    assert v.overall_conversion == 0.04
    assert v.biggest_leak.from_stage == "Demo" and v.biggest_leak.shortfall == pytest.approx(0.2)
    assert v.biggest_leak.revenue_at_stake == pytest.approx(2_000_000 * (0.7 / 0.5 - 1))  # $800,000


def test_workshop_edge_cases():
    from salesopt.funnel.analysis import analyze_volumes

    empty = analyze_volumes([("Lead", 0, None, None), ("Won", 0, None, None)])
    assert empty.stages[0].conversion_to_next is None and empty.overall_conversion is None
    one = analyze_volumes([("Lead", 10, None, None)])
    assert one.overall_conversion is None and one.biggest_leak is None


def test_a_stage_seen_only_as_a_lost_at_stage_joins_the_funnel_where_its_set_places_it():
    m = detect(["Closed Won", "Closed Lost", "Prospecting", "Proposal/Price Quote"], lost_at=["Needs Analysis"])
    assert m.funnel == ("Prospecting", "Needs Analysis", "Proposal/Price Quote", "Closed Won")
    assert m.source == "Salesforce standard opportunity stages"
    assert m.probability("needs analysis") == 0.2  # the set's default, matched ignoring case


def test_giving_the_stage_order_keeps_won_and_lost_detection():
    m = from_names(["Qualification", "Proposal"], seen=["Qualification", "Proposal", "Closed Won", "Closed Lost"])
    assert m.won == frozenset({"Closed Won"}) and m.lost == frozenset({"Closed Lost"})
    assert m.funnel == ("Qualification", "Proposal", "Closed Won")


def test_the_as_of_date_is_the_latest_event_and_an_open_deals_expected_close_never_sets_it():
    # HAND: created dates up to 2024-02-01, closed deals' close dates up to 2024-03-01; the open
    # deals' expected close (2024-06-30) is a plan, not an event
    a = run()
    assert a.as_of == date(2024, 3, 1)
    assert run(as_of=date(2024, 12, 31)).as_of == date(2024, 12, 31)  # set for the assessment


def test_won_revenue_last_12_months_is_the_won_amount_closed_in_the_365_days_to_the_as_of_date():
    a = run()
    # both won deals (50,000 + 30,000) close in 2023-03-03 .. 2024-03-01; the export starts 2024-01-01,
    # so it covers 61 of those days (31 in January, 29 in February 2024, 1 in March)
    assert (a.won_revenue_last_12_months, a.won_last_12_months, a.window_days) == (80_000, 2, 61)
    assert a.won_revenue_year == pytest.approx(80_000 * 365 / 61)  # annualised: the export is shorter
    assert a.rests_on["won_revenue_last_12_months"].startswith("2 of 2 deals won 2023-03-03 to 2024-03-01")
    later = run(as_of=date(2025, 3, 1))  # a year on: nothing won in 2024-03-02 .. 2025-03-01
    assert (later.won_revenue_last_12_months, later.won_last_12_months, later.window_days) == (0, 0, 365)
    assert later.won_revenue_year == 0


def test_a_year_is_a_year_an_export_of_fewer_than_30_days_says_nothing_of_one():
    df = HAND.copy()
    df["created_date"] = pd.Timestamp("2024-01-01")
    df["close_date"] = pd.Timestamp("2024-01-10")
    a = run(df)
    assert a.window_days == 10 and a.won_revenue_last_12_months == 80_000
    assert a.won_revenue_year is None and a.per_year is None


def test_revenue_at_stake_a_year_rests_on_a_years_won_revenue():
    a = run(benchmark=BENCH)
    leak = a.biggest_leak
    assert leak is not None and leak.revenue_at_stake is not None
    # over the export: 80,000 x (0.75 / c - 1); a year: the year's won revenue x the same
    assert leak.revenue_at_stake * a.per_year == pytest.approx(a.won_revenue_year * (0.75 / leak.conversion - 1))


def test_won_deals_without_an_amount_leave_value_figures_undefined_not_zero():
    df = HAND.copy()
    df.loc[df["stage"] == "Closed Won", "amount"] = None
    a = run(df, benchmark=BENCH)
    assert a.won == 2
    assert a.win_rate_value is None and "none of the 2 won deals carries an amount" in a.reasons["win_rate_value"]
    assert a.won_revenue is None and a.avg_deal_size is None
    assert a.required_coverage == pytest.approx(2.0)  # falls back to the count win rate, 1 / 0.5
    assert all(lk.revenue_at_stake is None for lk in a.leaks)
    assert a.won_revenue_last_12_months is None and "carries an amount" in a.reasons["won_revenue_last_12_months"]


def test_won_deals_classified_at_different_stages_still_give_one_cycle_median():
    # the figures are aggregated per (status, furthest) group; won deals normally share one group.
    # A frame classified by hand may say otherwise: mean and median still run over every won deal.
    classified = classify(HAND, STAGES)
    won = classified["status"] == "won"
    classified.loc[won & (classified["opportunity_id"] == "B"), "furthest"] = 1
    a = analyze(classified, STAGES)
    assert (a.won, a.cycle_days_median, a.cycle_days_mean) == (2, 45.0, 45.0)  # 60 and 30 days


def test_cycle_days_count_calendar_days_whatever_the_hours():
    # created 23:00, won 01:00 the next day: one calendar day; created and won the same day: none
    df = deals_frame(
        [
            ("A", "Closed Won", 1, "2024-01-01 23:00", "2024-01-02 01:00", None, None, None, "Ana"),
            ("B", "Closed Won", 1, "2024-01-05 09:00", "2024-01-05 17:00", None, None, None, "Ana"),
        ]
    )
    a = run(df)
    assert (a.cycle_days_mean, a.cycle_days_median) == (0.5, 0.5)
