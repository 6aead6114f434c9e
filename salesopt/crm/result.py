"""The import's result and report: the typed tables (:class:`ImportResult`), the account of
every line and emptied cell (:class:`ImportReport`, :class:`CellIssue`), the stage counts
(:func:`stage_stats`), a query as a DataFrame (:func:`frame`) and the errors an import raises
beyond :class:`~salesopt.crm.table.CrmError` (:class:`NoStageColumn`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypedDict

import duckdb

from salesopt.crm.lines import Rejected
from salesopt.crm.table import CrmError

if TYPE_CHECKING:  # pandas is loaded only when a frame is asked for
    import pandas as pd

MAX_LISTED = 100


class NoStageColumn(CrmError):
    """No column was recognised as the stage: the mapping screen asks which one it is."""

    def __init__(self, message: str, columns: tuple[str, ...]) -> None:
        super().__init__(message)
        self.columns = columns


@dataclass(frozen=True)
class CellIssue:
    """One cell that could not be read: its deal is kept with that field empty."""

    line: int
    column: str
    field: str
    value: str
    reason: str


@dataclass
class ImportReport:
    rows_read: int = 0
    rows_kept: int = 0
    rows_rejected: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    cells_emptied: list[CellIssue] = field(default_factory=list)
    emptied_by_field: dict[str, int] = field(default_factory=dict)
    columns_ignored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    footer_lines: int = 0
    header_line: int = 1
    sheet: str | None = None
    long_format: bool = False
    outcome_column: bool = False  # the stage column held a 0/1 outcome (a one-step funnel)
    currency: str | None = None
    currencies: tuple[str, ...] = ()  # more than one: money is not summed
    date_notes: dict[str, str] = field(default_factory=dict)
    profile: str | None = None  # the CRM profile that read the file (its title: "Zoho CRM deals")
    profile_id: str | None = None
    stage_set: str | None = None  # the profile's stage set id: the funnel's order and probabilities
    won_stages: tuple[str, ...] = ()  # stage values the profile's outcome words call won
    lost_stages: tuple[str, ...] = ()  # ... lost or closed without a win
    status_outcomes: bool = False  # an outcome column (won / lost / open) decides each deal's status
    rows_skipped: int = 0  # layout rows that are not deals (group titles, repeated headers, subitems)
    rejected_all: list[tuple[int, str]] = field(default_factory=list, repr=False)  # emptied into ``issues``

    @property
    def mixed_currency(self) -> bool:
        return len(self.currencies) > 1


class StageStats(TypedDict):
    """Stage values with their deal counts, most common first (see :meth:`ImportResult.stage_stats`)."""

    stage: dict[str, int]
    lost_at_stage: dict[str, int]
    history: dict[str, int]
    all: dict[str, int]
    median_probability: dict[str, float | None]  # per stage value of ``stage``
    forecast_category: dict[str, int]  # the category values as written (not a stage: not in ``all``)


class ImportResult:
    """The typed opportunity table (table ``deals``: METRICS.md §1 columns plus ``line``), the
    stage history when there is one (table ``history``: opportunity_id, stage, entered_at), and
    the report. The tables live in an in-process DuckDB database; ``deals`` and ``history`` give
    them as DataFrames for charts and small tables."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        report: ImportReport,
        columns: tuple[str, ...],
        stats: StageStats | None = None,
        has_history: bool | None = None,  # when the caller knows (the catalog query is not free)
    ) -> None:
        self._con = con
        self.report = report
        self.columns = columns
        self.fields = tuple(r[0] for r in self.sql("describe deals").fetchall())
        self.has_history = self.has_table("history") if has_history is None else has_history
        self._stage_stats = stats  # the import's own, when the table has not changed since

    def relation(self, query: str) -> duckdb.DuckDBPyRelation:
        """A query as a DuckDB relation (for results fetched as Arrow without an extra copy)."""
        return self._con.cursor().sql(query)

    def has_table(self, name: str) -> bool:
        return bool(self.sql("select count(*) from duckdb_tables() where table_name = ?", [name]).fetchall()[0][0])

    def sql(self, query: str, params: object = None) -> duckdb.DuckDBPyConnection:
        """Run a query on this import's tables (a cursor of its own: safe across threads)."""
        cur = self._con.cursor()
        return cur.execute(query, params) if params is not None else cur.execute(query)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        return self._con.cursor()

    @cached_property
    def deals(self) -> pd.DataFrame:
        return frame(self.relation("select * from deals order by line"))

    @cached_property
    def history(self) -> pd.DataFrame | None:
        if not self.has_history:
            return None
        return self.sql(
            "select opportunity_id, stage, entered_at from history order by opportunity_id, entered_at"
        ).df()

    def stage_stats(self) -> StageStats:
        """Stage values with their counts, most common first (see :func:`stage_stats`);
        remembered: stage mapping and evaluation ask for these many times."""
        if self._stage_stats is None:
            self._stage_stats = stage_stats(self._con, self.fields, self.has_history)
        return self._stage_stats

    def deals_affected(self) -> int:
        """Deals kept with at least one emptied cell."""
        if not self.has_table("issues"):
            return 0
        return int(self.sql("select count(distinct line) from issues where field is not null").fetchall()[0][0])

    def issue_rows(self) -> list[tuple[Any, ...]]:
        """Every rejected line and emptied cell: (line, column, value, what happened), by line."""
        if not self.has_table("issues"):
            return []
        return self.sql(
            "select line, coalesce(column_name, ''), coalesce(value, ''), "
            "case when field is null then 'row rejected: ' || reason else 'cell emptied: ' || reason end "
            "from issues order by line, column_name nulls first"
        ).fetchall()

    def __len__(self) -> int:
        return int(self.sql("select count(*) from deals").fetchall()[0][0])


def stage_stats(con: duckdb.DuckDBPyConnection, fields: Collection[str], has_history: bool) -> StageStats:
    """Stage values with their counts, most common first: "stage" (with each stage's median
    probability in "median_probability"), "lost_at_stage", "history", and "all" of them; and
    the forecast categories as written. One statement."""
    # a stage's median probability over its open deals: a lost deal's 0% says nothing of where the
    # stage sits in the funnel (Pipedrive and Copper keep a lost deal at the stage it was lost at)
    still_open = ["true"]
    if "status" in fields:
        still_open.append("coalesce(lower(status), '') not in ('won', 'lost')")
    if "is_closed" in fields:
        still_open.append("not coalesce(is_closed, false)")
    prob = f"median(probability) filter (where {' and '.join(still_open)})" if "probability" in fields else "null"
    parts = [f"select 'stage' as kind, stage as s, count(*) as n, {prob} as p from deals group by 2"]
    if "lost_at_stage" in fields:
        parts.append(
            "select 'lost_at_stage', lost_at_stage, count(*), null from deals "
            "where lost_at_stage is not null group by 2"
        )
    if has_history:
        parts.append("select 'history', stage, count(*), null from history group by 2")
    if "forecast_category" in fields:
        parts.append(
            "select 'forecast_category', forecast_category, count(*), null from deals "
            "where forecast_category is not null group by 2"
        )
    rows = con.cursor().execute(" union all ".join(parts) + " order by 3 desc, 2").fetchall()
    kinds = ("stage", "lost_at_stage", "history", "forecast_category")
    counts: dict[str, dict[str, int]] = {k: {} for k in kinds}
    probabilities: dict[str, float | None] = {}
    total: dict[str, int] = {}
    for kind, stage, n, p in rows:
        if stage is None:
            continue
        counts[kind][stage] = n
        if kind == "forecast_category":
            continue
        total[stage] = total.get(stage, 0) + n
        if kind == "stage":
            probabilities[stage] = p
    return StageStats(
        stage=counts["stage"],
        lost_at_stage=counts["lost_at_stage"],
        history=counts["history"],
        all=dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))),
        median_probability=probabilities,
        forecast_category=counts["forecast_category"],
    )


def frame(relation: duckdb.DuckDBPyRelation) -> pd.DataFrame:
    """A query's result as a DataFrame through Arrow: text stays Arrow-backed (a million rows of
    strings as Python objects take seconds to build and gigabytes to hold)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    text = pd.StringDtype("pyarrow", na_value=np.nan)
    table = relation.to_arrow_table()
    # pyarrow has no annotations: the frame is typed here
    out: pd.DataFrame = table.to_pandas(types_mapper=lambda t: text if t in (pa.string(), pa.large_string()) else None)
    return out


def reject(report: ImportReport, line: int, reason: str) -> None:
    report.rows_rejected += 1
    report.rejected_all.append((int(line), reason))
    if len(report.rejected) < MAX_LISTED:
        report.rejected.append(Rejected(int(line), reason))
