"""Cohorts and losses over classified deals: the outcome figures per value of a column (owner,
segment, source...; small groups and outliers marked: :func:`cohort_rows`) and the lost deals
per value of a column (a loss reason, a competitor: :func:`loss_rows`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from salesopt.crm.values import lit, q
from salesopt.funnel.classify import CYCLE_DAYS
from salesopt.funnel.figures import ratio

if TYPE_CHECKING:  # the engine is loaded by the caller
    import duckdb

SMALL_GROUP = 10  # closed deals below which a cohort's win rate is marked as small
COHORT_COLUMNS = (
    "opportunities",
    "won",
    "lost",
    "open",
    "win_rate",
    "avg_deal_size",
    "cycle_days_median",
    "small",
    "outlier",
)


def cohort_rows(
    con: duckdb.DuckDBPyConnection, classified: str, key: str, fields: Sequence[str], money: bool = True
) -> list[dict[str, Any]]:
    """Per value of ``key`` (blank as "(blank)"): opportunities, won, lost, open, win_rate,
    avg_deal_size, cycle_days_median, ``small`` (fewer than SMALL_GROUP closed deals) and
    ``outlier`` (win rate more than two standard deviations from the mean of the groups that
    are not small). Largest first."""
    if key not in fields:
        return []
    amount = "amount" if "amount" in fields and money else "null::double"
    cycle = CYCLE_DAYS if "created_date" in fields and "close_date" in fields else "null::bigint"
    # grouped by value and status (no per-row filter for the counts), then put together here
    groups = con.execute(
        f"""select coalesce(cast({q(key)} as varchar), '(blank)') as k, status, count(*),
            avg({amount}) filter (where status = 'won'),
            median({cycle}) filter (where status = 'won' and {cycle} >= 0)
        from ({classified}) group by 1, 2"""
    ).fetchall()
    by_key: dict[str, dict[str, Any]] = {}
    for k, status, n, avg_, cyc_ in groups:
        g = by_key.setdefault(k, {"won": 0, "lost": 0, "open": 0, "avg": None, "cyc": None})
        g[status] = int(n)
        if status == "won":
            g["avg"], g["cyc"] = avg_, cyc_
    rows = sorted(
        (
            (k, g["won"] + g["lost"] + g["open"], g["won"], g["lost"], g["open"], g["avg"], g["cyc"])
            for k, g in by_key.items()
        ),
        key=lambda r: (-r[1], r[0]),
    )
    if all(r[0] == "(blank)" for r in rows):
        return []
    out = []
    for k, total, won, lost, open_, avg, cyc in rows:
        closed = won + lost
        out.append(
            {
                key: k,
                "opportunities": int(total),
                "won": int(won),
                "lost": int(lost),
                "open": int(open_),
                "win_rate": ratio(won, closed),
                "avg_deal_size": None if avg is None else float(avg),
                "cycle_days_median": None if cyc is None else float(cyc),
                "small": closed < SMALL_GROUP,
                "outlier": False,
            }
        )
    rates = [r["win_rate"] for r in out if not r["small"] and r["win_rate"] is not None]
    if len(rates) >= 3:
        mean = sum(rates) / len(rates)
        sd = (sum((x - mean) ** 2 for x in rates) / len(rates)) ** 0.5
        if sd > 0:
            for r in out:
                if not r["small"] and r["win_rate"] is not None:
                    r["outlier"] = abs(r["win_rate"] - mean) / sd > 2
    return out


def loss_rows(
    con: duckdb.DuckDBPyConnection, classified: str, column: str, blanks: str | None = "(not given)"
) -> list[tuple[str, int]]:
    """Lost deals per value of ``column``, largest first (ties by name). ``blanks=None`` leaves
    out lost deals without a value (e.g. no competitor named)."""
    value = f"coalesce(cast({q(column)} as varchar), {lit(blanks)})" if blanks is not None else q(column)
    return [
        (str(v), int(n))
        for v, n in con.execute(
            f"select {value} as v, count(*) as n from {classified} where status = 'lost' and {value} is not null "
            "group by 1 order by 2 desc, 1"
        ).fetchall()
    ]
