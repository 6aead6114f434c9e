"""What the client told us against what the data says: the Stage 1 and 2 answers (win rate,
coverage, deal size, cycle, revenue, the leak's conversion, losses to competitors) beside the
export's figures, and each disagreement as a finding."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from salesopt.report import fmt
from salesopt.report.findings.records import Finding, Reconciliation, in_days

if TYPE_CHECKING:
    from salesopt.funnel.stage2 import Result
    from salesopt.model.assessment import Assessment


# a told and a measured figure differ enough to be worth a finding when they differ by this much
RATE_GAP_POINTS = 0.03  # 3 percentage points for rates
RELATIVE_GAP = 0.10  # 10% for amounts, multiples and days


def _told_multiple(texts: list[str], word: str) -> float | None:
    """A multiple like '2.5x' in an answer that mentions ``word`` (e.g. 'coverage about 2.5x')."""
    for text in texts:
        if word in text.lower():
            m = re.search(r"(\d+(?:\.\d+)?)\s*x\b", text.lower())
            if m:
                return float(m.group(1))
    return None


def _told_conversion(text: str, from_stage: str, to_stage: str) -> float | None:
    """'Demo to proposal about 50%' -> 0.5 for the stages named."""
    m = re.search(
        rf"{re.escape(from_stage.lower())}\s*(?:to|→|->)\s*{re.escape(to_stage.lower())}\D{{0,20}}(\d+(?:\.\d+)?)\s*%",
        text.lower(),
    )
    return float(m.group(1)) / 100 if m else None


def _num(value: object) -> float | None:
    """An answer as a number, or None when it is not one (a yes/no is not a number)."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def revenue_last_12_months(deals: pd.DataFrame) -> tuple[float | None, str]:
    """Won amount with a close date in the 365 days up to the export's last date, and what it rests on."""
    if "close_date" not in deals or "amount" not in deals:
        return None, "the export has no close dates or amounts"
    dates = pd.to_datetime(deals["close_date"])
    created = pd.to_datetime(deals["created_date"]) if "created_date" in deals else dates
    closed = deals["status"] != "open"
    last = max(d for d in (dates[closed].max(), created.max()) if pd.notna(d)) if closed.any() else None
    if last is None:
        return None, "no closed deal has a close date"
    won = deals[(deals["status"] == "won") & (dates > last - pd.Timedelta(days=365)) & (dates <= last)]
    return float(won["amount"].fillna(0).sum()), f"{len(won):,} deals won in the 12 months to {last:%Y-%m-%d}"


def reconcile(assessment: Assessment, result: Result) -> list[Reconciliation]:
    """Stage 1 / Stage 2 answers against the export's figures, where both exist."""
    a, deals, cur = result.analysis, result.deals, assessment.currency
    ctx = assessment.context.answers
    rows: list[Reconciliation] = []

    def rate(figure: str, said: float | None, measured: float | None, basis: str) -> None:
        """A rate row: they agree within RATE_GAP_POINTS."""
        if said is None or measured is None:
            return
        agrees = abs(said - measured) < RATE_GAP_POINTS
        s, m = fmt.percent(said), fmt.percent(measured)
        rows.append(Reconciliation(figure, s, m, agrees, basis, s, m))

    def rel(
        figure: str,
        said: float | None,
        measured: float | None,
        show: Callable[[float], str],
        basis: str,
        short: Callable[[float], str] | None = None,
    ) -> None:
        """An amount, multiple or days row: they agree within RELATIVE_GAP of what was said."""
        if said is None or measured is None or not said:
            return
        agrees = abs(measured - said) / abs(said) < RELATIVE_GAP
        short = short or show
        rows.append(Reconciliation(figure, show(said), show(measured), agrees, basis, short(said), short(measured)))

    rate("Win rate", _num(ctx.get("win_rate")), a.win_rate, a.rests_on.get("win_rate", "won / (won + lost)"))
    texts = [str(ctx.get(k) or "") for k in ("other_metrics", "missed_targets")]
    rel("Pipeline coverage", _told_multiple(texts, "coverage"), a.coverage_ratio, fmt.times, "open pipeline / target")
    rel(
        "Average deal size",
        _num(ctx.get("avg_deal_size")),
        a.avg_deal_size,
        lambda v: fmt.money(v, cur),
        a.rests_on.get("avg_deal_size", "won amount / won deals"),
        lambda v: fmt.money(v, cur, compact=True),
    )
    rel(
        "Sales cycle",
        _num(ctx.get("sales_cycle")),
        a.cycle_days_median,
        lambda v: in_days(v),
        "median of close date - created date, " + a.rests_on.get("cycle_days", "won deals"),
    )
    revenue, basis = revenue_last_12_months(deals)
    rel(
        "Revenue, last 12 months",
        _num(ctx.get("annual_revenue")),
        revenue,
        lambda v: fmt.money(v, cur),
        basis,
        lambda v: fmt.money(v, cur, compact=True),
    )
    leak = a.biggest_leak
    if leak is not None:
        told = _told_conversion(str(ctx.get("stage_conversions") or ""), leak.from_stage, leak.to_stage)
        rate(f"{leak.from_stage} → {leak.to_stage} conversion", told, leak.conversion, "stage conversion")
    lost = deals[deals["status"] == "lost"]
    if "loss_reason" in lost and len(lost):
        reason = lost["loss_reason"].dropna().astype(str).str.lower()
        reason = reason[reason != ""]
        told_comp = re.search(r"competitor\D{0,5}(\d+)\s*%", str(ctx.get("losing_deals") or "").lower())
        if len(reason) and told_comp:
            rate(
                "Losses to a competitor",
                float(told_comp.group(1)) / 100,
                float(reason.str.contains("compet").mean()),
                f"{len(reason):,} lost deals with a reason",
            )
    return rows


def gap_findings(rows: list[Reconciliation]) -> list[Finding]:
    """Each disagreement between told and measured as a finding."""
    return [
        Finding(
            f"gap_{r.figure}",
            f"{r.figure}: reported and measured differ",
            f"{r.figure}: reported {r.said}, the export measures {r.measured}.",
            None,
            r.note,
            "the Stage 1 answer beside the same figure from the export",
            0.2,
        )
        for r in rows
        if not r.agrees
    ]
