"""Opportunity scoring (seed 000, Stage 2): criteria from frameworks/scoring/*.yaml over the
opportunity table, a prioritized list of open deals, and observed stage win rates from history.

Score = 100 x points of the criteria met / points of the criteria the export can answer (a
criterion whose field is not in the export is left out, not counted as unmet). Priority: High at
``high_at`` and above, Medium at ``medium_at`` and above, else Low.

A criterion with a ``percentile`` instead of a fixed threshold is relative to the export: its
threshold is that quantile (pandas' linear interpolation) of the field over the won deals, e.g. the
median won deal size, and its label is shown with the resolved value ("... (2,500)"), written with
thousands separators and no currency sign (the currency is the caller's, ``currency=`` adds it). An
export without a won deal carrying the field cannot answer it: it is left out like a missing field.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesopt.content.frameworks import Criterion, ScoringModel
from salesopt.funnel.stages import StageMap

SIZE_BANDS = (
    (0, 10_000, "under $10K"),
    (10_000, 50_000, "$10K-50K"),
    (50_000, 100_000, "$50K-100K"),
    (100_000, 500_000, "$100K-500K"),
    (500_000, np.inf, "$500K and more"),
)


def _meets(deals: pd.DataFrame, c: Criterion) -> np.ndarray:
    col = deals[c.field]
    if c.rule == "not_blank":
        return (col.notna() & (col.astype(str).str.strip() != "")).to_numpy()
    if c.rule == "in":
        wanted = {v.lower() for v in c.values}
        return col.astype(str).str.strip().str.lower().isin(wanted).to_numpy() & col.notna().to_numpy()
    num = pd.to_numeric(col, errors="coerce")
    held = num >= c.threshold if c.rule == "at_least" else num <= c.threshold
    return held.fillna(False).to_numpy(dtype=bool)


def _number(value: float) -> str:
    """``2500.0`` -> ``2,500``; ``0.55`` -> ``0.55``: thousands separators, cents only below 100."""
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def percentile_threshold(deals: pd.DataFrame, c: Criterion) -> float | None:
    """The value a ``percentile`` criterion resolves to: that quantile of the field over the won
    deals that carry it; None when there is none (or the deals have no status)."""
    if c.percentile is None or c.field not in deals or "status" not in deals:
        return None
    won = pd.to_numeric(deals.loc[deals["status"] == "won", c.field], errors="coerce").dropna()
    return float(won.quantile(c.percentile)) if len(won) else None


def resolve(deals: pd.DataFrame, c: Criterion, currency: str | None = None) -> Criterion | None:
    """The criterion with a fixed threshold: a ``percentile`` one gets the export's value, and its
    label the value in brackets (in ``currency`` through salesopt.report.fmt.money when given); None when
    the export cannot resolve it. A criterion with a fixed threshold is returned as it is."""
    if c.percentile is None:
        return c
    value = percentile_threshold(deals, c)
    if value is None:
        return None
    if currency:
        from salesopt.report import fmt

        shown = fmt.money(value, currency)
    else:
        shown = _number(value)
    return c.model_copy(update={"threshold": value, "percentile": None, "label": f"{c.label} ({shown})"})


def usable_criteria(deals: pd.DataFrame, model: ScoringModel) -> list[Criterion]:
    """The model's criteria (as they are in the model) that this export can answer: the field is
    there with a value, and a ``percentile`` criterion has won deals to resolve against."""
    return [
        c
        for c in model.criteria
        if c.field in deals.columns
        and deals[c.field].notna().any()
        and (c.percentile is None or percentile_threshold(deals, c) is not None)
    ]


def score_open_deals(deals: pd.DataFrame, model: ScoringModel, currency: str | None = None) -> pd.DataFrame:
    """Open deals with score (0-100), priority and the criteria met, best first (ties: larger amount).
    ``percentile`` thresholds are resolved against ``deals`` (see :func:`resolve`)."""
    open_deals = deals[deals["status"] == "open"]
    criteria = [r for c in usable_criteria(deals, model) if (r := resolve(deals, c, currency)) is not None]
    columns = ["opportunity_id", "name", "owner", "stage", "amount"]
    out = open_deals[[c for c in columns if c in open_deals]].copy()
    if not criteria:
        out["score"], out["priority"], out["met"] = np.nan, None, ""
        return out
    total = sum(c.points for c in criteria)
    points = np.zeros(len(open_deals))
    combination = np.zeros(len(open_deals), dtype=np.int64)  # bit i: criterion i met
    for i, c in enumerate(criteria):
        hit = _meets(open_deals, c)
        points += hit * c.points
        combination |= hit.astype(np.int64) << i
    # a label per combination met (at most 2^criteria of them), not a Python list per deal
    labels = {
        code: "; ".join(c.label for i, c in enumerate(criteria) if code >> i & 1) for code in np.unique(combination)
    }
    out["score"] = np.round(100 * points / total, 1)
    out["priority"] = np.where(
        out["score"] >= model.high_at, "High", np.where(out["score"] >= model.medium_at, "Medium", "Low")
    )
    out["met"] = pd.Series(combination, index=out.index).map(labels)
    sort = ["score", "amount"] if "amount" in out else ["score"]
    return out.sort_values(sort, ascending=False, kind="stable").reset_index(drop=True)


def calibration(deals: pd.DataFrame, stage_map: StageMap, min_closed: int) -> pd.DataFrame:
    """Per funnel stage: closed deals that reached it, how many were won, the observed stage-to-win
    rate (None below ``min_closed`` closed deals: insufficient history), and the configured
    probability (median CRM probability of the deals at that stage, when the export has one).

    Reach is ``furthest_closed`` when the deals have it (else ``furthest``): a lost deal whose stage
    is unknown counts as closed at every stage up to the last open one, so an export that records no
    stage for its losses (the Maven one) does not read 100% won at every stage."""
    reach = "furthest_closed" if "furthest_closed" in deals else "furthest"
    closed = deals[(deals["status"] != "open") & deals[reach].notna()]
    furthest = closed[reach].to_numpy()
    won = (closed["status"] == "won").to_numpy()
    rows = []
    for k, stage in enumerate(stage_map.funnel[:-1]):
        reached = furthest >= k
        n, w = int(reached.sum()), int((reached & won).sum())
        configured = None
        if "probability" in deals:
            p = deals.loc[deals["stage"] == stage, "probability"].dropna()
            configured = float(p.median()) if len(p) else None
        enough = n >= min_closed
        rows.append(
            {
                "stage": stage,
                "closed_reached": n,
                "won": w,
                "observed": w / n if enough and n else None,
                "configured": configured,
                "note": "" if enough else f"insufficient history: {n} closed deal(s), needs {min_closed}",
            }
        )
    table = pd.DataFrame(rows, columns=["stage", "closed_reached", "won", "observed", "configured", "note"])
    for col in ("observed", "configured"):
        table[col] = pd.Series([None if v is None or pd.isna(v) else float(v) for v in table[col]], dtype=object)
    return table


def size_band(amount: pd.Series) -> pd.Series:
    """Deal size bands for loss and cohort patterns (blank without an amount)."""
    out = pd.Series(None, index=amount.index, dtype=object)
    for low, high, label in SIZE_BANDS:
        out[(amount >= low) & (amount < high)] = label
    return out.astype(object).where(out.notna(), None)
