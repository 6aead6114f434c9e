"""Executive KPI tiles: the last quarter against the one before, hand-worked."""

import pandas as pd

from salesopt.management.performance import kpi_changes, trends


def _deals() -> pd.DataFrame:
    d = pd.to_datetime
    return pd.DataFrame(
        {
            "status": ["won", "lost", "won", "won", "lost", "open"],
            "amount": [100.0, 50.0, 200.0, 400.0, 10.0, 999.0],
            "created_date": d(["2026-01-01", "2026-01-05", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"]),
            "close_date": d(["2026-02-01", "2026-03-01", "2026-04-11", "2026-05-01", "2026-06-01", "2026-09-01"]),
        }
    )


def test_kpi_tiles_compare_the_last_quarter_with_the_one_before():
    # Q1: one won of two closed ($100, 31 days); Q2: two won of three closed ($200 in 69 days, $400 in 61 days)
    tiles = {k.key: k for k in kpi_changes(trends(_deals()))}
    assert tiles["won_revenue"].period == "2026Q2"
    assert (tiles["won_revenue"].value, tiles["won_revenue"].previous, tiles["won_revenue"].change) == (
        600.0,
        100.0,
        500.0,
    )
    assert tiles["win_rate"].value == 2 / 3 and tiles["win_rate"].previous == 0.5
    assert abs(tiles["win_rate"].change - (2 / 3 - 0.5)) < 1e-12
    assert tiles["avg_deal"].value == 300.0 and tiles["avg_deal"].change == 200.0
    assert tiles["median_cycle"].value == 65.0 and tiles["median_cycle"].previous == 31.0
    assert tiles["median_cycle"].higher_is_better is False


def test_one_quarter_has_no_change_and_no_data_has_no_tiles():
    one = _deals().iloc[:2]
    tiles = kpi_changes(trends(one))
    assert tiles[0].value == 100.0 and tiles[0].previous is None and tiles[0].change is None
    assert kpi_changes(pd.DataFrame(columns=["quarter", "closed"])) == []


def test_revenue_per_rep_is_won_revenue_over_the_reps_who_closed_in_the_quarter():
    deals = _deals().assign(owner=["Ana", "Ben", "Ana", "Ana", "Cy", "Ben"])
    table = trends(deals).set_index("quarter")
    # Q1: Ana won 100, Ben lost -> 2 reps, 50 each; Q2: Ana won 600, Cy lost -> 2 reps, 300 each
    assert table.loc["2026Q1", "revenue_per_rep"] == 50.0 and table.loc["2026Q2", "revenue_per_rep"] == 300.0
    tile = {k.key: k for k in kpi_changes(table.reset_index())}["revenue_per_rep"]
    assert (tile.value, tile.previous, tile.change) == (300.0, 50.0, 250.0)
