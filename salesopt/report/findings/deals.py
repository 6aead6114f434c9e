"""Findings from the deals of the CRM export: the biggest leak as deals, where and why deals are
lost, the spread between reps, the sales cycle by segment and the outlier groups; :func:`compute`
gathers every one the export supports, most important first."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from salesopt.report import fmt
from salesopt.report.findings.records import Finding, in_days, plural

if TYPE_CHECKING:
    from salesopt.funnel.analysis import Analysis
    from salesopt.funnel.stage2 import Result


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
        rests += f"; {plural(left_out, 'lost deal')} without one left out"
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
            f"; {plural(analysis.unknown_lost_stage, 'lost deal')} without a known stage are not in it"
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
    rests = f"{plural(len(rated), 'rep')} with enough closed deals"
    if left_out:
        rests += f"; {plural(left_out, 'rep')} with too few left out"
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
                    f"{plural(closed, 'closed deal')}, far from the other groups.",
                    float(row["win_rate"]),
                    f"{plural(closed, 'closed deal')} of {key.replace('_', ' ')} {row[key]}",
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
        rests += f"; {plural(left_out, 'lost deal')} without one left out"
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
        f"{slow} deals take {in_days(med[slow])} to win (median), {fast} deals {in_days(med[fast])}.",
        float(med[slow]),
        f"{len(won):,} won deals with both dates and a {column.replace('_', ' ')}; groups of 5 or more",
        "median of close date - created date over won deals, per group",
        min(((ratio or 1) - 1), 1.0),
    )


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
