"""Stage 2 figures, exactly as METRICS.md §2 and §3 define them.

Input is the classified opportunity table (``salesopt.stages.classify``): one row per deal with
``status``, ``furthest`` and the METRICS.md §1 columns that exist. Every ratio whose denominator
is 0 is ``None`` with a reason in ``Analysis.reasons``; nothing here returns NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from salesopt.benchmarks import BenchmarkSet, conversion_benchmark
from salesopt.stages import StageMap

CATEGORY_WEIGHTS = {"commit": 0.9, "best case": 0.7, "pipeline": 0.5, "omitted": 0.0}
SMALL_GROUP = 10  # closed deals below which a cohort's win rate is marked as small
WinRateBasis = Literal["closed", "all"]


def ratio(num: float, den: float) -> float | None:
    return None if den == 0 or den is None or num is None else float(num) / float(den)


@dataclass(frozen=True)
class StageRow:
    stage: str
    reached: int
    conversion_to_next: float | None
    benchmark: float | None = None
    shortfall: float | None = None
    time_mean_days: float | None = None
    time_median_days: float | None = None


@dataclass(frozen=True)
class Leak:
    from_stage: str
    to_stage: str
    conversion: float
    benchmark: float | None
    shortfall: float | None
    revenue_at_stake: float | None
    source: str = ""


@dataclass
class Analysis:
    opportunities: int
    won: int
    lost: int
    open: int
    win_rate: float | None
    win_rate_basis: WinRateBasis
    win_rate_value: float | None
    avg_deal_size: float | None
    won_revenue: float
    cycle_days_mean: float | None
    cycle_days_median: float | None
    pipeline_value: float
    weighted_pipeline: float | None
    target: float | None
    coverage_ratio: float | None
    required_coverage: float | None
    sales_velocity_per_day: float | None
    stages: list[StageRow]
    biggest_leak: Leak | None
    leaks: list[Leak]
    closed_only: bool
    unknown_lost_stage: int
    reasons: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def sales_velocity_per_30_days(self) -> float | None:
        v = self.sales_velocity_per_day
        return None if v is None else v * 30


def _sum(series: pd.Series) -> float:
    return float(series.fillna(0).sum())


def _stage_reach(deals: pd.DataFrame, stage_map: StageMap, closed_only: bool) -> tuple[list[int], int]:
    pool = deals[deals["status"] != "open"] if closed_only else deals
    unknown = int(((pool["status"] == "lost") & pool["furthest"].isna()).sum())
    furthest = pool["furthest"].dropna().to_numpy()
    counts = (
        np.bincount(furthest.astype(int), minlength=len(stage_map.funnel))
        if len(furthest)
        else np.zeros(len(stage_map.funnel), dtype=int)
    )
    reached = np.cumsum(counts[::-1])[::-1]
    return [int(x) for x in reached], unknown


def time_in_stage(history: pd.DataFrame | None) -> dict[str, tuple[float, float]]:
    """Days from entering a stage to entering the next, per stage: (mean, median)."""
    if history is None or history.empty:
        return {}
    h = history.sort_values(["opportunity_id", "entered_at"], kind="stable")
    nxt = h.groupby("opportunity_id")["entered_at"].shift(-1)
    days = (nxt - h["entered_at"]).dt.total_seconds() / 86400
    frame = pd.DataFrame({"stage": h["stage"], "days": days}).dropna()
    stats = frame.groupby("stage")["days"].agg(["mean", "median"])
    return {s: (float(r["mean"]), float(r["median"])) for s, r in stats.iterrows()}


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
) -> Analysis:
    reasons: dict[str, str] = {}
    warnings: list[str] = []
    status = deals["status"]
    won_mask, lost_mask, open_mask = status == "won", status == "lost", status == "open"
    n_won, n_lost, n_open = int(won_mask.sum()), int(lost_mask.sum()), int(open_mask.sum())
    n = len(deals)
    has_amount = "amount" in deals

    # outcome metrics (METRICS.md §2)
    if win_rate_basis == "all":
        win_rate = ratio(n_won, n)
        if win_rate is None:
            reasons["win_rate"] = "no opportunities"
    else:
        win_rate = ratio(n_won, n_won + n_lost)
        if win_rate is None:
            reasons["win_rate"] = "no closed deals yet"
    won_revenue = _sum(deals.loc[won_mask, "amount"]) if has_amount else 0.0
    win_rate_value = None
    if not has_amount:
        reasons["win_rate_value"] = "no amount column"
    elif n_won + n_lost == 0:
        reasons["win_rate_value"] = "no closed deals yet"
    elif n_lost and not (deals.loc[lost_mask, "amount"].fillna(0) > 0).any():
        reasons["win_rate_value"] = f"all {n_lost:,} lost deals have amount 0"
        warnings.append(f"all {n_lost:,} lost deals have amount 0: value win rate undefined")
    else:
        win_rate_value = ratio(won_revenue, won_revenue + _sum(deals.loc[lost_mask, "amount"]))
        if win_rate_value is None:
            reasons["win_rate_value"] = "closed deals carry no amount"
    avg_deal = None
    if has_amount:
        won_amounts = deals.loc[won_mask, "amount"].dropna()
        avg_deal = ratio(float(won_amounts.sum()), len(won_amounts))
    if avg_deal is None:
        reasons["avg_deal_size"] = "no won deal with an amount" if has_amount else "no amount column"

    cycle_mean = cycle_median = None
    if "created_date" in deals and "close_date" in deals:
        won = deals[won_mask]
        days = (won["close_date"] - won["created_date"]).dt.days.dropna()
        negative = int((days < 0).sum())
        if negative:
            warnings.append(f"{negative:,} won deal(s) close before they were created: left out of the sales cycle")
        days = days[days >= 0]
        if len(days):
            cycle_mean, cycle_median = float(days.mean()), float(days.median())
        elif negative:
            reasons["cycle_days"] = "every won deal closes before it was created (a data issue in the export)"
        else:
            reasons["cycle_days"] = "no won deal with both a created and a close date"
    else:
        missing = [c for c in ("created_date", "close_date") if c not in deals]
        reasons["cycle_days"] = f"no {' or '.join(missing)} column"

    pipeline_value = _sum(deals.loc[open_mask, "amount"]) if has_amount else 0.0
    weighted = None
    if has_amount and n_open:
        weights = category_weights or CATEGORY_WEIGHTS
        open_deals = deals[open_mask]
        p = open_deals["probability"] if "probability" in open_deals else pd.Series(np.nan, index=open_deals.index)
        if "forecast_category" in open_deals:
            cat = open_deals["forecast_category"].fillna("").astype(str).str.lower().map(weights)
            p = p.fillna(cat)
        known = p.notna()
        if known.any():
            weighted = float((open_deals.loc[known, "amount"].fillna(0) * p[known]).sum())
            if (~known).any():
                warnings.append(
                    f"{int((~known).sum()):,} open deal(s) have no probability or forecast category: "
                    "left out of the weighted pipeline"
                )
        else:
            reasons["weighted_pipeline"] = "no probability or forecast category on open deals"
    elif not n_open:
        weighted = 0.0
    coverage = None
    if target is None:
        reasons["coverage_ratio"] = "no revenue target given"
    elif target <= 0:
        reasons["coverage_ratio"] = "the target is 0"
    else:
        coverage = pipeline_value / target
    basis = win_rate_value if win_rate_value is not None else ratio(n_won, n_won + n_lost)
    required = ratio(1.0, basis) if basis else None
    if required is None:
        reasons["required_coverage"] = "no won deals yet" if basis == 0 else "win rate undefined"
    velocity = None
    if None in (win_rate, avg_deal, cycle_mean) or not cycle_mean:
        reasons["sales_velocity"] = "needs win rate, average deal size and a sales cycle above 0 days"
    else:
        velocity = n_open * win_rate * avg_deal / cycle_mean  # type: ignore[operator]

    # funnel (METRICS.md §3)
    reached, unknown = _stage_reach(deals, stage_map, closed_only)
    if unknown:
        warnings.append(f"{unknown:,} lost deal(s) have no known lost_at_stage: left out of stage conversions")
    times = time_in_stage(history)
    rows: list[StageRow] = []
    leaks: list[Leak] = []
    funnel = stage_map.funnel
    for k, stage in enumerate(funnel):
        conv = ratio(reached[k + 1], reached[k]) if k + 1 < len(funnel) else None
        bench = src = None
        if benchmark is not None and k + 1 < len(funnel):
            hit = conversion_benchmark(benchmark, stage, funnel[k + 1])
            if hit is not None:
                bench, src = hit
        shortfall = None if bench is None or conv is None else bench - conv
        t = times.get(stage)
        rows.append(StageRow(stage, reached[k], conv, bench, shortfall, t[0] if t else None, t[1] if t else None))
        if conv is not None and k + 1 < len(funnel):
            stake = None
            if bench is not None and conv > 0 and shortfall is not None and shortfall > 0:
                stake = won_revenue * (bench / conv - 1)
            leaks.append(Leak(stage, funnel[k + 1], conv, bench, shortfall, stake, src or ""))
    below = [lk for lk in leaks if lk.shortfall is not None and lk.shortfall > 0]
    if below:
        biggest = max(below, key=lambda lk: lk.shortfall or 0)
    elif leaks:
        biggest = min(leaks, key=lambda lk: lk.conversion)
    else:
        biggest = None
    return Analysis(
        opportunities=n,
        won=n_won,
        lost=n_lost,
        open=n_open,
        win_rate=win_rate,
        win_rate_basis=win_rate_basis,
        win_rate_value=win_rate_value,
        avg_deal_size=avg_deal,
        won_revenue=won_revenue,
        cycle_days_mean=cycle_mean,
        cycle_days_median=cycle_median,
        pipeline_value=pipeline_value,
        weighted_pipeline=weighted,
        target=target,
        coverage_ratio=coverage,
        required_coverage=required,
        sales_velocity_per_day=velocity,
        stages=rows,
        biggest_leak=biggest,
        leaks=below,
        closed_only=closed_only,
        unknown_lost_stage=unknown,
        reasons=reasons,
        warnings=warnings,
    )


def cohorts(deals: pd.DataFrame, key: str) -> pd.DataFrame:
    """Per value of ``key``: opportunities, won, lost, open, win_rate, avg_deal_size, cycle_days_median,
    ``small`` (fewer than SMALL_GROUP closed deals) and ``outlier`` (win rate more than two standard
    deviations from the mean of the groups that are not small). Sorted by opportunities."""
    columns = [
        "opportunities",
        "won",
        "lost",
        "open",
        "win_rate",
        "avg_deal_size",
        "cycle_days_median",
        "small",
        "outlier",
    ]
    if key not in deals or deals[key].isna().all():
        return pd.DataFrame(columns=[key, *columns])
    d = deals.assign(_key=deals[key].fillna("(blank)"))
    g = d.groupby("_key", sort=False)
    out = pd.DataFrame(
        {
            "opportunities": g.size(),
            "won": g["status"].apply(lambda s: int((s == "won").sum())),
            "lost": g["status"].apply(lambda s: int((s == "lost").sum())),
            "open": g["status"].apply(lambda s: int((s == "open").sum())),
        }
    )
    closed = out["won"] + out["lost"]
    out["win_rate"] = (out["won"] / closed.where(closed > 0)).astype(object)
    if "amount" in d:
        won = d[d["status"] == "won"]
        out["avg_deal_size"] = won.groupby("_key")["amount"].mean().reindex(out.index).astype(object)
    else:
        out["avg_deal_size"] = None
    if "created_date" in d and "close_date" in d:
        won = d[d["status"] == "won"]
        days = (won["close_date"] - won["created_date"]).dt.days
        days = days[days >= 0]
        out["cycle_days_median"] = days.groupby(won.loc[days.index, "_key"]).median().reindex(out.index).astype(object)
    else:
        out["cycle_days_median"] = None
    out["small"] = closed < SMALL_GROUP
    rates = pd.to_numeric(out.loc[~out["small"], "win_rate"], errors="coerce").dropna()
    out["outlier"] = False
    if len(rates) >= 3 and rates.std(ddof=0) > 0:
        z = (pd.to_numeric(out["win_rate"], errors="coerce") - rates.mean()) / rates.std(ddof=0)
        out["outlier"] = (z.abs() > 2) & ~out["small"]
    out = out.sort_values("opportunities", ascending=False, kind="stable").reset_index(names=key)
    for col in ("win_rate", "avg_deal_size", "cycle_days_median"):
        out[col] = pd.Series(
            [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in out[col]],
            index=out.index,
            dtype=object,
        )
    return out


def as_json(a: Analysis, report: Any, owners: pd.DataFrame) -> dict[str, Any]:
    """The CLI's JSON object (../shared/spec/CLI.md): rates as fractions, undefined as null."""
    leak = a.biggest_leak
    return {
        "rows_read": report.rows_read,
        "rows_rejected": report.rows_rejected,
        "rejected": [{"line": r.line, "reason": r.reason} for r in report.rejected[:100]],
        "mapping": report.mapping,
        "opportunities": a.opportunities,
        "won": a.won,
        "lost": a.lost,
        "open": a.open,
        "win_rate": a.win_rate,
        "win_rate_basis": a.win_rate_basis,
        "win_rate_value": a.win_rate_value,
        "avg_deal_size": a.avg_deal_size,
        "cycle_days_mean": a.cycle_days_mean,
        "cycle_days_median": a.cycle_days_median,
        "pipeline_value": a.pipeline_value,
        "weighted_pipeline": a.weighted_pipeline,
        "coverage_ratio": a.coverage_ratio,
        "required_coverage": a.required_coverage,
        "sales_velocity_per_day": a.sales_velocity_per_day,
        "stages": [
            {
                "stage": s.stage,
                "reached": s.reached,
                "conversion_to_next": s.conversion_to_next,
                "benchmark": s.benchmark,
                "time_in_stage_days_median": s.time_median_days,
            }
            for s in a.stages
        ],
        "by_owner": [
            {
                "owner": r["owner"],
                "opportunities": int(r["opportunities"]),
                "won": int(r["won"]),
                "lost": int(r["lost"]),
                "open": int(r["open"]),
                "win_rate": r["win_rate"],
                "avg_deal_size": r["avg_deal_size"],
            }
            for r in owners.to_dict("records")
        ],
        "biggest_leak": None
        if leak is None
        else {
            "from": leak.from_stage,
            "to": leak.to_stage,
            "conversion": leak.conversion,
            "benchmark": leak.benchmark,
            "shortfall": leak.shortfall,
            "revenue_at_stake": leak.revenue_at_stake,
        },
        "undefined": a.reasons,
        "warnings": list(report.warnings) + a.warnings,
    }


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
    """Lost deals per value of ``column``, largest first, with the cumulative share.
    ``blanks=None`` leaves out lost deals without a value (e.g. no competitor named)."""
    lost = deals.loc[deals["status"] == "lost", column]
    values = lost.fillna(blanks) if blanks is not None else lost.dropna()
    counts = values.astype(str).value_counts().reset_index()
    counts.columns = ["reason", "lost"]
    counts["cumulative"] = counts["lost"].cumsum() / max(int(counts["lost"].sum()), 1)
    return counts
