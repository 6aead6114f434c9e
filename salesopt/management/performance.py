"""Stage 5 figures (METRICS.md §5 and §6): forecast categories, forecast accuracy, performance
tiers, and the rep / manager / executive dashboard tables from the imported opportunities.

- Category from probability: the highest category whose threshold the probability reaches
  (defaults: Commit >= 0.9, Best Case >= 0.7, Pipeline >= 0.5, else Omitted).
- Accuracy per period = 1 - |forecast - actual| / actual; MAPE = mean |forecast - actual| / actual;
  bias = sum(forecast - actual) / sum(actual): above +5% is called over-optimism, below -5%
  sandbagging (the 5% band is salesopt's, docs/METRICS-local.md).
- Attainment = won revenue in the quota's period / quota. The quota is yearly: its period is the
  year ending on the export's as-of date; when the export starts later, the quota is pro-rated to
  the days it covers (a year is a year). Tiers: High above the YAML's High threshold, Core from its
  Core threshold up to High's (both ends included), Struggling below (frameworks/performance:
  100% and 80%).
- Risk flags on open deals: close date before the as-of date (the latest date in the export);
  stale: open longer than 1.5 x the median won cycle; no next step (when the export has the column).
  Dates are compared as calendar dates and durations counted in calendar days (the time of day an
  export may carry is ignored).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict

import numpy as np
import pandas as pd

from salesopt.management.attainment import attainment, tier

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


class AccuracySummary(TypedDict):
    """The forecast's accuracy over the periods: MAPE and bias as fractions, and the verdict
    ('over-optimism', 'sandbagging' or 'balanced'); None where no period has an actual."""

    mape: float | None
    bias: float | None
    verdict: str | None


def accuracy(rows: list[tuple[str, float, float]]) -> tuple[pd.DataFrame, AccuracySummary]:
    """Per period accuracy, and the summary: MAPE, bias and the verdict."""
    table = pd.DataFrame(rows, columns=["period", "forecast", "actual"])
    table["accuracy"] = [
        None if a == 0 else 1 - abs(f - a) / a for f, a in zip(table["forecast"], table["actual"], strict=True)
    ]
    valid = table[table["actual"] > 0]
    mape = float((abs(valid["forecast"] - valid["actual"]) / valid["actual"]).mean()) if len(valid) else None
    total = float(table["actual"].sum())
    bias = float((table["forecast"] - table["actual"]).sum() / total) if total else None
    verdict: str | None = None
    if bias is not None:
        verdict = "over-optimism" if bias > BIAS_BAND else "sandbagging" if bias < -BIAS_BAND else "balanced"
    return table, {"mape": mape, "bias": bias, "verdict": verdict}


def as_of(deals: pd.DataFrame) -> pd.Timestamp | None:
    """The export's 'today': the latest created date or close date of a closed deal."""
    dates = []
    if "created_date" in deals:
        dates.append(deals["created_date"].max())
    if "close_date" in deals:
        dates.append(deals.loc[deals["status"] != "open", "close_date"].max())
    dates = [d for d in dates if pd.notna(d)]
    return max(dates) if dates else None


def risk_flags(deals: pd.DataFrame, median_cycle_days: float | None, today: pd.Timestamp | None = None) -> pd.DataFrame:
    """Open deals with at least one risk flag, and which, at ``today`` (the book's as-of date;
    when not given, the latest event of ``deals``, which must then be the whole book)."""
    today = as_of(deals) if today is None else today
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


@dataclass(frozen=True)
class QuotaPeriod:
    """The yearly quota's period: the year ending on the as-of date, and the part of it the export
    covers (its first date onwards)."""

    start: pd.Timestamp  # first day of the year, or of the export when it starts later
    end: pd.Timestamp  # the as-of date (included)
    days: int  # calendar days covered
    year_days: int  # calendar days of the full year

    @property
    def share(self) -> float:
        return self.days / self.year_days

    @property
    def partial(self) -> bool:
        return self.days < self.year_days


def quota_period(deals: pd.DataFrame, today: pd.Timestamp | None = None) -> QuotaPeriod | None:
    """The year ending on the as-of date ``today`` (default: the latest event of ``deals``, the
    whole book), cut to the export's first date (None without dates)."""
    today = as_of(deals) if today is None else today
    if today is None:
        return None
    end = pd.Timestamp(today).normalize()
    year_start = end - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    firsts = [deals[c].min() for c in ("created_date", "close_date") if c in deals and deals[c].notna().any()]
    first = min(firsts).normalize() if firsts else year_start
    start = max(year_start, first)
    return QuotaPeriod(start, end, (end - start).days + 1, (end - year_start).days + 1)


def in_quota_period(deals: pd.DataFrame, period: QuotaPeriod | None) -> pd.Series:
    """Closed deals whose close date (a calendar date) falls in the period; all closed deals when
    there is no period."""
    closed = deals["status"] != "open"
    if period is None or "close_date" not in deals:
        return closed
    day: pd.Series[pd.Timestamp] = deals["close_date"].dt.normalize()
    return closed & (day >= period.start) & (day <= period.end)


def won_by_owner(deals: pd.DataFrame, period: QuotaPeriod | None) -> dict[str, float]:
    """Won revenue per owner in the quota's period."""
    if "owner" not in deals or "amount" not in deals:
        return {}
    won = deals[in_quota_period(deals, period) & (deals["status"] == "won")]
    return {str(k): float(v) for k, v in won.groupby(won["owner"].astype(str))["amount"].sum().items()}


def rep_table(
    deals: pd.DataFrame,
    quotas: Mapping[str, float],
    period: QuotaPeriod | None = None,
    thresholds: Mapping[str, float] | None = None,
    actuals: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Per rep: won revenue in the quota's period (``period``, by default quota_period(deals)),
    yearly quota, what is due and attainment (salesopt.management.attainment: the typed actual in
    ``actuals`` against the whole quota, else the won revenue against the quota pro-rated to the
    period), open pipeline (None when the rep's open deals carry no amount), coverage of what is
    left to win, open deals, tier."""
    if "owner" not in deals:
        return pd.DataFrame()
    period = quota_period(deals) if period is None else period
    share = period.share if period is not None else 1.0
    amount = deals["amount"] if "amount" in deals else pd.Series(np.nan, index=deals.index)
    is_open = deals["status"] == "open"
    g = (
        pd.DataFrame(
            {
                "owner": deals["owner"].fillna("(no owner)"),
                "won": amount.fillna(0).where((deals["status"] == "won") & in_quota_period(deals, period), 0),
                "pipeline": amount.where(is_open),
                "open": is_open.astype(int),
            }
        )
        .groupby("owner")
        .agg(won=("won", "sum"), pipeline=("pipeline", lambda x: x.sum(min_count=1)), open=("open", "sum"))
    )
    g["pipeline"] = [0.0 if n == 0 else p for p, n in zip(g["pipeline"], g["open"], strict=True)]
    typed = actuals or {}
    rows = [attainment(quotas.get(o) or None, typed.get(o), w, share) for o, w in zip(g.index, g["won"], strict=True)]
    g["quota"] = [quotas.get(o) or None for o in g.index]
    g["due"] = [a.due for a in rows]
    g["actual"] = [a.actual for a in rows]
    g["basis"] = [a.basis for a in rows]
    g["attainment"] = [a.value for a in rows]
    g["coverage"] = [
        p / (q - w) if q and q > w and p == p else None
        for p, q, w in zip(g["pipeline"], g["due"], g["actual"], strict=True)
    ]
    g["tier"] = [tier(a, thresholds) for a in g["attainment"]]
    out = g.reset_index().sort_values("won", ascending=False).reset_index(drop=True)
    return _none_for_nan(out, ("quota", "due", "actual", "attainment", "coverage", "tier", "pipeline"))


def trends(deals: pd.DataFrame) -> pd.DataFrame:
    """By quarter of close date (closed deals): won revenue, win rate, median cycle, average deal size,
    the reps who closed a deal and won revenue per such rep; and pipeline created by quarter of
    created date."""
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
    owner = closed["owner"] if "owner" in closed else pd.Series(np.nan, index=closed.index)
    frame = pd.DataFrame(
        {
            "quarter": q,
            "won": won,
            "won_amount": amount.where(won),
            "cycle": cycle.where(won & (cycle >= 0)),
            "owner": owner,
        }
    )
    out = frame.groupby("quarter").agg(
        won_revenue=("won_amount", "sum"),
        wins=("won", "sum"),
        closed=("won", "size"),
        median_cycle=("cycle", "median"),
        avg_deal=("won_amount", "mean"),
        reps=("owner", "nunique"),
    )
    out["win_rate"] = out["wins"] / out["closed"]
    out["revenue_per_rep"] = [w / r if r else np.nan for w, r in zip(out["won_revenue"], out["reps"], strict=True)]
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
    ("revenue_per_rep", True),
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
