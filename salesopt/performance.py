"""Stage 5 figures (METRICS.md §5 and §6): forecast categories, forecast accuracy, performance
tiers, and the rep / manager / executive dashboard tables from the imported opportunities.

- Category from probability: the highest category whose threshold the probability reaches
  (defaults: Commit >= 0.9, Best Case >= 0.7, Pipeline >= 0.5, else Omitted).
- Accuracy per period = 1 - |forecast - actual| / actual; MAPE = mean |forecast - actual| / actual;
  bias = sum(forecast - actual) / sum(actual): above +5% is called over-optimism, below -5%
  sandbagging (the 5% band is salesopt's, docs/METRICS-local.md).
- Attainment = actual / quota; High > 100%, Core 80-100% (both ends included), Struggling < 80%.
- Risk flags on open deals: close date before the as-of date (the latest date in the export);
  stale: open longer than 1.5 x the median won cycle; no next step (when the export has the column).
  Dates are compared as calendar dates and durations counted in calendar days (the time of day an
  export may carry is ignored).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

CANONICAL = {
    "commit": "Commit",
    "best case": "Best Case",
    "bestcase": "Best Case",
    "pipeline": "Pipeline",
    "omitted": "Omitted",
    "closed": "Closed",
}
BIAS_BAND = 0.05


def _none_for_nan(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Undefined is None, not NaN (METRICS.md): object columns keep None through pandas."""
    for col in columns:
        if col in frame:
            frame[col] = pd.Series(
                [None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in frame[col]],
                index=frame.index,
                dtype=object,
            )
    return frame


def category_from_probability(p: float | None, thresholds: Mapping[str, float]) -> str | None:
    if p is None or (isinstance(p, float) and np.isnan(p)):
        return None
    for name, low in sorted(thresholds.items(), key=lambda kv: -kv[1]):
        if p >= low:
            return name
    return None


def forecast_categories(deals: pd.DataFrame, thresholds: Mapping[str, float]) -> pd.Series:
    """The CRM's forecast category where it has one, else the category of the deal's probability."""
    crm = (
        deals["forecast_category"].astype(str).str.strip().str.lower().map(CANONICAL)
        if "forecast_category" in deals
        else pd.Series(None, index=deals.index, dtype=object)
    )
    if "probability" in deals:
        from_p = deals["probability"].map(lambda p: category_from_probability(p, thresholds))
        crm = crm.where(crm.notna(), from_p)
    return crm.astype(object).where(crm.notna(), None)


def accuracy(rows: list[tuple[str, float, float]]) -> tuple[pd.DataFrame, dict[str, float | str | None]]:
    """Per period accuracy, and the summary: MAPE, bias and the verdict."""
    table = pd.DataFrame(rows, columns=["period", "forecast", "actual"])
    table["accuracy"] = [
        None if a == 0 else 1 - abs(f - a) / a for f, a in zip(table["forecast"], table["actual"], strict=True)
    ]
    valid = table[table["actual"] > 0]
    mape = float((abs(valid["forecast"] - valid["actual"]) / valid["actual"]).mean()) if len(valid) else None
    total = float(table["actual"].sum())
    bias = float((table["forecast"] - table["actual"]).sum() / total) if total else None
    verdict = None
    if bias is not None:
        verdict = "over-optimism" if bias > BIAS_BAND else "sandbagging" if bias < -BIAS_BAND else "balanced"
    return table, {"mape": mape, "bias": bias, "verdict": verdict}


def tier(attainment: float | None) -> str | None:
    if attainment is None:
        return None
    return "High" if attainment > 1 else "Core" if attainment >= 0.8 else "Struggling"


def tiers(quotas: list[tuple[str, float, float | None]], won_by_rep: Mapping[str, float]) -> pd.DataFrame:
    """Rep, quota, actual (typed, else won revenue from the export), attainment, tier."""
    rows = []
    for rep, quota, actual in quotas:
        act = actual if actual is not None else won_by_rep.get(rep)
        att = None if act is None or not quota else act / quota
        rows.append({"rep": rep, "quota": quota, "actual": act, "attainment": att, "tier": tier(att)})
    return _none_for_nan(
        pd.DataFrame(rows, columns=["rep", "quota", "actual", "attainment", "tier"]), ("actual", "attainment", "tier")
    )


def as_of(deals: pd.DataFrame) -> pd.Timestamp | None:
    """The export's 'today': the latest created date or close date of a closed deal."""
    dates = []
    if "created_date" in deals:
        dates.append(deals["created_date"].max())
    if "close_date" in deals:
        dates.append(deals.loc[deals["status"] != "open", "close_date"].max())
    dates = [d for d in dates if pd.notna(d)]
    return max(dates) if dates else None


def risk_flags(deals: pd.DataFrame, median_cycle_days: float | None) -> pd.DataFrame:
    """Open deals with at least one risk flag, and which."""
    today = as_of(deals)
    open_deals = deals[deals["status"] == "open"]
    flags = pd.DataFrame(index=open_deals.index)
    day = None if today is None else pd.Timestamp(today).normalize()  # calendar dates, not times of day
    if day is not None and "close_date" in open_deals:
        flags["close date passed"] = open_deals["close_date"].dt.normalize() < day
    if day is not None and median_cycle_days and "created_date" in open_deals:
        flags["stale"] = (day - open_deals["created_date"].dt.normalize()).dt.days > 1.5 * median_cycle_days
    if "next_step" in open_deals:
        flags["no next step"] = open_deals["next_step"].isna() | (open_deals["next_step"].astype(str).str.strip() == "")
    if flags.empty or not len(flags.columns):
        return pd.DataFrame(columns=["opportunity_id", "owner", "stage", "amount", "flags"])
    any_flag = flags.any(axis=1)
    out = open_deals.loc[
        any_flag, [c for c in ("opportunity_id", "name", "owner", "stage", "amount", "close_date") if c in open_deals]
    ].copy()
    out["flags"] = [", ".join(c for c in flags.columns if flags.loc[i, c]) for i in out.index]
    return out.reset_index(drop=True)


def rep_table(deals: pd.DataFrame, quotas: Mapping[str, float]) -> pd.DataFrame:
    """Per rep: won revenue, quota, attainment, open pipeline, coverage of the remaining quota,
    open deals."""
    if "owner" not in deals:
        return pd.DataFrame()
    amount = deals["amount"].fillna(0) if "amount" in deals else pd.Series(0.0, index=deals.index)
    g = (
        pd.DataFrame(
            {
                "owner": deals["owner"].fillna("(no owner)"),
                "won": amount.where(deals["status"] == "won", 0),
                "pipeline": amount.where(deals["status"] == "open", 0),
                "open": (deals["status"] == "open").astype(int),
            }
        )
        .groupby("owner")
        .sum()
    )
    g["quota"] = [quotas.get(o) for o in g.index]
    g["attainment"] = [w / q if q else None for w, q in zip(g["won"], g["quota"], strict=True)]
    g["coverage"] = [
        p / (q - w) if q and q > w else None for p, q, w in zip(g["pipeline"], g["quota"], g["won"], strict=True)
    ]
    g["tier"] = [tier(a) for a in g["attainment"]]
    out = g.reset_index().sort_values("won", ascending=False).reset_index(drop=True)
    return _none_for_nan(out, ("quota", "attainment", "coverage", "tier"))


def trends(deals: pd.DataFrame) -> pd.DataFrame:
    """By quarter of close date (closed deals): won revenue, win rate, median cycle, average deal size;
    and pipeline created by quarter of created date."""
    closed = deals[deals["status"] != "open"]
    if "close_date" not in closed or closed["close_date"].isna().all():
        return pd.DataFrame()
    q = closed["close_date"].dt.to_period("Q")
    amount = closed["amount"] if "amount" in closed else pd.Series(np.nan, index=closed.index)
    won = closed["status"] == "won"
    cycle = (  # calendar days: created 23:00 and closed 01:00 the next day is 1 day, the same day 0
        (closed["close_date"].dt.normalize() - closed["created_date"].dt.normalize()).dt.days
        if "created_date" in closed
        else pd.Series(np.nan, index=closed.index)
    )
    frame = pd.DataFrame(
        {"quarter": q, "won": won, "won_amount": amount.where(won), "cycle": cycle.where(won & (cycle >= 0))}
    )
    out = frame.groupby("quarter").agg(
        won_revenue=("won_amount", "sum"),
        wins=("won", "sum"),
        closed=("won", "size"),
        median_cycle=("cycle", "median"),
        avg_deal=("won_amount", "mean"),
    )
    out["win_rate"] = out["wins"] / out["closed"]
    if "created_date" in deals:
        created = deals.assign(q=deals["created_date"].dt.to_period("Q"))
        out = out.join(created.groupby("q").size().rename("created"), how="outer")
    out.index = out.index.astype(str)
    return out.reset_index(names="quarter")


@dataclass(frozen=True)
class KpiChange:
    """One executive tile: the latest complete period's value and its change against the one before."""

    key: str
    period: str
    value: float | None
    previous: float | None
    change: float | None  # value - previous (points for rates)
    higher_is_better: bool


KPI_FIELDS = (
    ("won_revenue", True),
    ("win_rate", True),
    ("avg_deal", True),
    ("median_cycle", False),
)


def kpi_changes(trend: pd.DataFrame, skip_last: bool = False) -> list[KpiChange]:
    """Each KPI of ``trends`` in its last quarter against the quarter before (``skip_last`` drops a
    partial last quarter first). Undefined values stay None, never NaN."""
    rows = trend[trend["closed"].fillna(0) > 0] if "closed" in trend else trend
    if skip_last and len(rows) > 1:
        rows = rows.iloc[:-1]
    if rows.empty:
        return []

    def val(row: pd.Series, key: str) -> float | None:
        v = row.get(key)
        return None if v is None or pd.isna(v) else float(v)

    last = rows.iloc[-1]
    prev = rows.iloc[-2] if len(rows) > 1 else None
    out = []
    for key, better_up in KPI_FIELDS:
        now, before = val(last, key), (val(prev, key) if prev is not None else None)
        change = now - before if now is not None and before is not None else None
        out.append(KpiChange(key, str(last["quarter"]), now, before, change, better_up))
    return out
