"""Findings from the Stage 2 data: what the CRM export says, each with its number, what it rests
on (rows used and left out) and its formula; and the reconciliation of what the client told us
(Stage 1 and 2 answers) with what the export measures.

The plan's Executive Summary takes its key findings from here rather than from the answers, so a
finding is a fact about the data a reader can recount by hand. Nothing here formats money: the
plan does, in the assessment's currency.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from salesopt.report import fmt

if TYPE_CHECKING:
    from salesopt.funnel.analysis import Analysis
    from salesopt.funnel.stage2 import Result
    from salesopt.model.assessment import Assessment

# a told and a measured figure differ enough to be worth a finding when they differ by this much
RATE_GAP_POINTS = 0.03  # 3 percentage points for rates
RELATIVE_GAP = 0.10  # 10% for amounts, multiples and days


@dataclass(frozen=True)
class Finding:
    """One fact from the data: ``text`` is the client sentence, ``value`` its number, ``weight``
    how much it matters (a share of deals or revenue, 0-1) so the summary can pick the top ones."""

    key: str
    title: str
    text: str
    value: float | None
    rests_on: str
    formula: str
    weight: float


@dataclass(frozen=True)
class Reconciliation:
    """A figure the client reported beside the one the export measures, and whether they agree."""

    figure: str
    said: str
    measured: str
    agrees: bool
    note: str
    said_short: str = ""  # the same figures compact, for a summary (money as $3M)
    measured_short: str = ""


def _plural(n: int, word: str, plural: str | None = None) -> str:
    """``1 deal``, ``3 deals``."""
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def losses_by_stage(deals: pd.DataFrame) -> Finding | None:
    """Where lost deals were lost: the stage with the most losses among those with a known stage."""
    lost = deals[deals["status"] == "lost"]
    if lost.empty or "lost_at_stage" not in lost:
        return None
    known = lost["lost_at_stage"].dropna().astype(str)
    known = known[known != ""]
    if known.empty:
        return None
    counts = known.value_counts()
    stage, n = str(counts.index[0]), int(counts.iloc[0])
    left_out = len(lost) - len(known)
    rests = f"{len(known):,} of {len(lost):,} lost deals with a known stage"
    if left_out:
        rests += f"; {_plural(left_out, 'lost deal')} without one left out"
    return Finding(
        "losses_by_stage",
        "Where deals are lost",
        f"{n:,} of {len(known):,} losses happen at {stage} ({fmt.percent(n / len(known))}).",
        n / len(known),
        rests,
        "lost deals whose lost-at stage is S / lost deals with a known stage",
        n / len(known),
    )


def leak_gap(analysis: Analysis, deals: pd.DataFrame) -> Finding | None:
    """The biggest leak as deals: how many reached its first stage and never reached the next."""
    leak = analysis.biggest_leak
    if leak is None:
        return None
    names = [s.stage for s in analysis.stages]
    if leak.from_stage not in names or leak.to_stage not in names:
        return None
    i = names.index(leak.from_stage)
    reached, went_on = analysis.stages[i].reached, analysis.stages[i + 1].reached
    if not reached:
        return None
    stuck = reached - went_on
    at = deals[deals["furthest"] == i] if "furthest" in deals else deals.iloc[0:0]
    lost_there = int((at["status"] == "lost").sum())
    open_there = int((at["status"] == "open").sum())
    parts = [
        f"{lost_there:,} lost there" if lost_there else "",
        f"{open_there:,} still open there" if open_there else "",
    ]
    parts = [p for p in parts if p]
    split = f" ({', '.join(parts)})" if lost_there + open_there == stuck and len(parts) > 1 else ""
    if len(parts) == 1 and lost_there + open_there == stuck:
        split = " (all lost there)" if lost_there else " (all still open there)"
    bench = f"; the benchmark is {fmt.percent(leak.benchmark)}" if leak.benchmark is not None else ""
    return Finding(
        "leak",
        f"The leak: {leak.from_stage} → {leak.to_stage}",
        f"{stuck:,} of {reached:,} deals that reached {leak.from_stage} never reached {leak.to_stage}{split}: "
        f"a conversion of {fmt.percent(leak.conversion)}{bench}.",
        stuck / reached,
        f"{reached:,} deals that reached {leak.from_stage}, of {analysis.opportunities:,} in the funnel"
        + (
            f"; {_plural(analysis.unknown_lost_stage, 'lost deal')} without a known stage are not in it"
            if analysis.unknown_lost_stage
            else ""
        ),
        f"reached {leak.from_stage} - reached {leak.to_stage}; conversion = reached {leak.to_stage} / "
        f"reached {leak.from_stage}",
        stuck / reached,
    )


def rep_spread(cohort: pd.DataFrame | None) -> Finding | None:
    """Best and worst win rate among reps with enough closed deals (small groups left out)."""
    if cohort is None or cohort.empty:
        return None
    rated = cohort[~cohort["small"].astype(bool)].copy()
    rated["win_rate"] = pd.to_numeric(rated["win_rate"], errors="coerce")
    rated = rated.dropna(subset=["win_rate"])
    if len(rated) < 2:
        return None
    best, worst = rated.iloc[rated["win_rate"].argmax()], rated.iloc[rated["win_rate"].argmin()]
    spread = float(best["win_rate"] - worst["win_rate"])
    left_out = len(cohort) - len(rated)
    rests = f"{_plural(len(rated), 'rep')} with enough closed deals"
    if left_out:
        rests += f"; {_plural(left_out, 'rep')} with too few left out"
    return Finding(
        "rep_spread",
        "Spread between reps",
        f"Win rates run from {fmt.percent(worst['win_rate'])} ({worst['owner']}) to "
        f"{fmt.percent(best['win_rate'])} ({best['owner']}): {spread * 100:.1f} points between reps.",
        spread,
        rests,
        "per rep: won / (won + lost); spread = highest - lowest",
        min(spread * 2, 1.0),
    )


def cohort_outliers(cohorts: dict[str, pd.DataFrame]) -> list[Finding]:
    """Groups (segment, lead source, rep, ...) whose win rate the cohort analysis flags as outliers."""
    out: list[Finding] = []
    for key, table in cohorts.items():
        if table is None or table.empty or "outlier" not in table:
            continue
        flagged = table[table["outlier"].astype(bool)]
        for _, row in flagged.iterrows():
            closed = int(row["won"] + row["lost"])
            out.append(
                Finding(
                    f"outlier_{key}_{row[key]}",
                    f"Outlier: {key.replace('_', ' ')} {row[key]}",
                    f"{key.replace('_', ' ').capitalize()} {row[key]} wins {fmt.percent(row['win_rate'])} of "
                    f"{_plural(closed, 'closed deal')}, far from the other groups.",
                    float(row["win_rate"]),
                    f"{_plural(closed, 'closed deal')} of {key.replace('_', ' ')} {row[key]}",
                    "won / (won + lost) of the group, against the spread of all groups",
                    0.3,
                )
            )
    return out


def loss_reasons(deals: pd.DataFrame) -> Finding | None:
    """The most common loss reason among lost deals that give one."""
    lost = deals[deals["status"] == "lost"]
    if lost.empty or "loss_reason" not in lost:
        return None
    reasons = lost["loss_reason"].dropna().astype(str).str.strip()
    reasons = reasons[reasons != ""]
    if reasons.empty:
        return None
    counts = reasons.value_counts()
    top = counts.index[:2]
    parts = [f"{r} {fmt.percent(counts[r] / len(reasons))} ({counts[r]:,})" for r in top]
    left_out = len(lost) - len(reasons)
    rests = f"{len(reasons):,} of {len(lost):,} lost deals with a loss reason"
    if left_out:
        rests += f"; {_plural(left_out, 'lost deal')} without one left out"
    share = float(counts.iloc[0] / len(reasons))
    return Finding(
        "loss_reasons",
        "Why deals are lost",
        f"Top loss reasons: {'; '.join(parts)} of {len(reasons):,} lost deals with a reason.",
        share,
        rests,
        "lost deals giving reason R / lost deals with a reason",
        share,
    )


def cycle_by_segment(deals: pd.DataFrame, column: str = "segment") -> Finding | None:
    """Median sales cycle of won deals, slowest against fastest group of ``column``."""
    if column not in deals or "created_date" not in deals or "close_date" not in deals:
        return None
    won = deals[(deals["status"] == "won")].dropna(subset=["created_date", "close_date", column])
    if won.empty:
        return None
    days = (pd.to_datetime(won["close_date"]) - pd.to_datetime(won["created_date"])).dt.days
    med = days.groupby(won[column].astype(str)).median()
    counts = won[column].astype(str).value_counts()
    med = med[counts.reindex(med.index).fillna(0) >= 5]
    if len(med) < 2:
        return None
    slow, fast = str(med.idxmax()), str(med.idxmin())  # the groups' names (grouped as text above)
    ratio = med[slow] / med[fast] if med[fast] else None
    return Finding(
        f"cycle_by_{column}",
        f"Sales cycle by {column.replace('_', ' ')}",
        f"{slow} deals take {_days(med[slow])} to win (median), {fast} deals {_days(med[fast])}.",
        float(med[slow]),
        f"{len(won):,} won deals with both dates and a {column.replace('_', ' ')}; groups of 5 or more",
        "median of close date - created date over won deals, per group",
        min(((ratio or 1) - 1), 1.0),
    )


def _days(value: float) -> str:
    """Days with months in brackets: ``276 days (9.2 months)``."""
    return f"{value:,.0f} days ({value / fmt.DAYS_PER_MONTH:.1f} months)"


def compute(result: Result) -> list[Finding]:
    """Every finding the export supports, most important first."""
    a, deals = result.analysis, result.deals
    found: list[Finding | None] = [leak_gap(a, deals), losses_by_stage(deals), loss_reasons(deals)]
    cohorts: dict[str, pd.DataFrame] = {}
    for key in ("owner", "segment", "lead_source"):
        if key in deals and result.has_values(key):
            cohorts[key] = result.cohort(key)
    found.append(rep_spread(cohorts.get("owner")))
    found.append(cycle_by_segment(deals))
    found += cohort_outliers({k: v for k, v in cohorts.items() if k != "owner"})
    kept = [f for f in found if f is not None]
    return sorted(kept, key=lambda f: -f.weight)


# ---- what you told us vs what the data says ------------------------------------------------------


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
        lambda v: _days(v),
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
