"""The value parsers of :mod:`salesopt.crm.values` on a handful of cells (tests, the mapping
screen's preview, typed answers): the same SQL the importer runs on a whole column."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from salesopt.crm import engine
from salesopt.crm import values as v


def _run(expr: str, cells: Sequence[str]) -> list[Any]:  # one column of DuckDB values, typed by expr
    con = engine.connect()
    rows = con.execute(
        f"select {expr} from (select unnest(?) as c, generate_subscripts(?, 1) as i) order by i",
        [
            list(cells),
            list(cells),
        ],
    ).fetchall()
    return [r[0] for r in rows]


def _texts(values: Iterable[object]) -> list[str]:
    return ["" if x is None or x != x else str(x) for x in values]  # NaN != NaN


def parse_money(values: Iterable[object]) -> list[float | None]:
    """'$50,000.00', '50.000,00 €', '50k', '(500)' (negative), '-' (empty) -> float or None."""
    cells = _texts(values)
    return _run(v.money_sql("c", v.plan_money(cells)), cells)


def parse_dates(values: Iterable[object], dayfirst: bool = False) -> tuple[list[datetime | None], str | None]:
    """Date strings -> datetime (None where blank or unreadable), and how ambiguous ones were read."""
    cells = _texts(values)
    con = engine.connect()
    plan = v.plan_dates(con, cells, dayfirst)
    return _run(v.date_sql("c", plan), cells), plan.note


def parse_probability(values: Iterable[object]) -> tuple[list[float | None], bool]:
    """Probabilities -> fraction in [0, 1]; a column with any value over 1 (or a '%') is 0-100."""
    cells = _texts(values)
    raw = _run(v.probability_sql("c"), cells)
    percent = any("%" in c for c in cells) or any(x is not None and x > 1 for x in raw)
    return [None if x is None else (x / 100 if percent else x) for x in raw], percent


def parse_bool(values: Iterable[object]) -> list[bool | None]:
    """TRUE/FALSE, 1/0, yes/no -> bool (None where unreadable)."""
    cells = _texts(values)
    return _run(v.bool_sql("c"), cells)
