"""Stage 2 figures, exactly as METRICS.md §2 and §3 define them.

Input is the classified opportunity table (``salesopt.funnel.stages.classify``): one row per deal with
``status``, ``furthest`` and the METRICS.md §1 columns that exist. Every ratio whose denominator
is 0 is ``None`` with a reason in ``Analysis.reasons``; nothing here returns NaN.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from salesopt.content.benchmarks import BenchmarkSet, conversion_benchmark
from salesopt.crm import engine
from salesopt.funnel.sql import (
    COHORT_COLUMNS,
    SMALL_GROUP,
    Analysis,
    Leak,
    Options,
    StageRow,
    WinRateBasis,
    analyze_sql,
    as_json,
    classified_sql,
    cohort_rows,
    loss_rows,
    ratio,
)
from salesopt.funnel.stages import StageMap

__all__ = ["SMALL_GROUP", "Analysis", "Leak", "StageRow", "as_json", "ratio"]


def _frame_con(deals: pd.DataFrame, history: pd.DataFrame | None = None) -> duckdb.DuckDBPyConnection:
    con = engine.connect()
    con.register("deals_in", deals)
    if history is not None and not history.empty:
        con.register("history_in", history)
    return con


def _values(deals: pd.DataFrame) -> list[str]:
    cols = [c for c in ("stage", "lost_at_stage") if c in deals]
    return [str(v) for v in pd.unique(pd.concat([deals[c] for c in cols]).dropna())] if cols else []


def classify(deals: pd.DataFrame, stage_map: StageMap, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """The deals with status, stage_index, lost_at_stage, furthest and furthest_closed
    (:func:`salesopt.funnel.sql.classified_sql` on a DataFrame)."""
    con = _frame_con(deals, history)
    has_history = history is not None and not history.empty
    sql = classified_sql(
        "deals_in", stage_map, list(deals.columns), _values(deals), "history_in" if has_history else None
    )
    out = con.execute(sql).df()
    out["status"] = pd.Categorical(out["status"], categories=["open", "won", "lost"])
    return out


def analyze(
    deals: pd.DataFrame,
    stage_map: StageMap,
    *,
    target: float | None = None,
    closed_only: bool = False,
    win_rate_basis: WinRateBasis = "closed",
    benchmark: BenchmarkSet | None = None,
    history: pd.DataFrame | None = None,
    category_weights: dict[str, float] | None = None,
    as_of: date | None = None,
) -> Analysis:
    """METRICS.md §2 and §3 figures of classified deals (:func:`classify`), through the same SQL
    as an import (:func:`salesopt.funnel.sql.analyze_sql`)."""
    if "furthest_closed" not in deals:
        deals = deals.assign(furthest_closed=deals["furthest"])
    con = _frame_con(deals, history)
    has_history = history is not None and not history.empty
    options = Options(target, closed_only, win_rate_basis, category_weights, as_of=as_of)
    return analyze_sql(
        con,
        "select * from deals_in",
        stage_map,
        list(deals.columns),
        _values(deals),
        options,
        benchmark,
        "history_in" if has_history else None,
    )


def cohorts(deals: pd.DataFrame, key: str) -> pd.DataFrame:
    """:func:`salesopt.funnel.sql.cohort_rows` of classified deals, as a table."""
    rows = cohort_rows(_frame_con(deals), "select * from deals_in", key, list(deals.columns))
    return cohort_frame(rows, key)


def cohort_frame(rows: list[dict[str, Any]], key: str) -> pd.DataFrame:
    columns = [key, *COHORT_COLUMNS]
    data = {c: pd.Series([r[c] for r in rows], dtype=object) for c in columns}
    out = pd.DataFrame(data, columns=columns)
    for col in ("opportunities", "won", "lost", "open"):
        out[col] = out[col].astype("int64")
    for col in ("small", "outlier"):
        out[col] = out[col].astype(bool)
    return out


@dataclass
class VolumeAnalysis:
    """Aggregate mode (METRICS.md §3): figures from stage volumes typed in a workshop."""

    stages: list[StageRow]
    overall_conversion: float | None
    biggest_leak: Leak | None
    leaks: list[Leak]
    won_revenue: float | None
    reasons: dict[str, str] = field(default_factory=dict)


def analyze_volumes(
    rows: list[tuple[str, int, float | None, float | None]], benchmark: BenchmarkSet | None = None
) -> VolumeAnalysis:
    """``rows`` = (stage, volume entered, days in stage or None, value or None), in funnel order,
    the won stage last. c_k = V_{k+1} / V_k; overall = V_last / V_first; revenue at stake uses the
    last stage's value as won revenue."""
    reasons: dict[str, str] = {}
    out: list[StageRow] = []
    leaks: list[Leak] = []
    won_revenue = rows[-1][3] if rows else None
    for k, (stage, volume, days, _value) in enumerate(rows):
        conv = ratio(rows[k + 1][1], volume) if k + 1 < len(rows) else None
        bench = src = None
        if benchmark is not None and k + 1 < len(rows):
            hit = conversion_benchmark(benchmark, stage, rows[k + 1][0])
            if hit:
                bench, src = hit
        shortfall = None if bench is None or conv is None else bench - conv
        out.append(StageRow(stage, int(volume), conv, bench, shortfall, days, days))
        if conv is not None:
            stake = None
            if bench is not None and conv > 0 and shortfall and shortfall > 0 and won_revenue is not None:
                stake = won_revenue * (bench / conv - 1)
            leaks.append(Leak(stage, rows[k + 1][0], conv, bench, shortfall, stake, src or ""))
    overall = ratio(rows[-1][1], rows[0][1]) if len(rows) >= 2 else None
    if overall is None:
        reasons["overall_conversion"] = "needs at least two stages and a first-stage volume above 0"
    below = [lk for lk in leaks if lk.shortfall is not None and lk.shortfall > 0]
    biggest = (
        max(below, key=lambda lk: lk.shortfall or 0)
        if below
        else (min(leaks, key=lambda lk: lk.conversion) if leaks else None)
    )
    if won_revenue is None:
        reasons["revenue_at_stake"] = "type the value of the last (won) stage to see revenue at stake"
    return VolumeAnalysis(out, overall, biggest, below, won_revenue, reasons)


def pipeline_by_stage(deals: pd.DataFrame, funnel_order: tuple[str, ...]) -> pd.DataFrame:
    """Open deals per stage in funnel order: stage, count, value (value 0 without amounts)."""
    open_deals = deals[deals["status"] == "open"]
    amount = open_deals["amount"] if "amount" in open_deals else pd.Series(0.0, index=open_deals.index)
    grouped = amount.fillna(0).groupby(open_deals["stage"].astype(str)).agg(["size", "sum"])
    grouped.columns = ["count", "value"]
    order = {s: i for i, s in enumerate(funnel_order)}
    out = grouped.reset_index(names="stage")
    return out.assign(order=out["stage"].map(order)).sort_values("order").drop(columns="order").reset_index(drop=True)


def loss_counts(deals: pd.DataFrame, column: str, blanks: str | None = "(not given)") -> pd.DataFrame:
    """Lost deals per value of ``column``, largest first, with the cumulative share
    (:func:`salesopt.funnel.sql.loss_rows` on a DataFrame)."""
    return loss_frame(loss_rows(_frame_con(deals), "deals_in", column, blanks))


def loss_frame(rows: list[tuple[str, int]]) -> pd.DataFrame:
    counts = pd.DataFrame(rows, columns=["reason", "lost"])
    counts["cumulative"] = counts["lost"].cumsum() / max(int(counts["lost"].sum()), 1)
    return counts
