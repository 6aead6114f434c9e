"""Import: a read table -> the typed opportunity table (METRICS.md §1) in an in-process DuckDB
database, and an :class:`ImportReport` that accounts for every line.

A row is rejected only when it cannot be a deal: no stage, or a line that cannot be split into
fields (:mod:`salesopt.crm.read`). A cell that cannot be read (an amount, a date, a probability,
a flag) is emptied, listed with its line, column, value and why, and the deal is kept. The
whole file is typed in one multi-threaded DuckDB scan; the careful line-by-line reader is
used only when the fast scan meets a line it cannot account for.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypedDict

import duckdb

from salesopt.crm import engine
from salesopt.crm import values as v
from salesopt.crm.fields import (
    BOOL_FIELDS,
    DATE_FIELDS,
    FALSE_WORDS,
    FIELDS,
    HISTORY_SYNONYMS,
    LOST_NAMES,
    STAND_INS,
    TRUE_WORDS,
    WON_NAMES,
)
from salesopt.crm.mapping import auto_map, normalise_header
from salesopt.crm.read import CrmError, RawTable, Rejected

if TYPE_CHECKING:  # pandas is loaded only when a frame is asked for
    import pandas as pd

MAX_LISTED = 100
OUTCOME_WORDS = frozenset({"0", "1", "true", "false", "yes", "no", "0.0", "1.0"})  # a 0/1 column taken as the stage
# always typed: what decides a deal's identity, stage and status
CORE_FIELDS = ("opportunity_id", "name", "stage", "status", "is_won", "is_closed", "entered_at", "lost_at_stage")
PARSED = ("amount", "probability", *DATE_FIELDS, *BOOL_FIELDS)


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
    prob = "median(probability)" if "probability" in fields else "null"
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


# ---- the scan ------------------------------------------------------------------------------------


def _mapping(columns: tuple[str, ...], overrides: Mapping[str, str], name: str) -> dict[str, str]:
    for fld, col in overrides.items():
        if fld not in FIELDS:
            raise CrmError(f"{name}: unknown field '{fld}' in a column override; fields are {', '.join(FIELDS)}")
        if col and col not in columns:
            raise CrmError(f"{name}: no column '{col}' for {fld}; the columns are: {', '.join(columns)}")
    mapping = auto_map([c for c in columns if c not in overrides.values()])
    mapping.update({k: c for k, c in overrides.items() if c})
    for k, c in overrides.items():
        if not c:
            mapping.pop(k, None)
    return dict(sorted(mapping.items()))


_DATE_LIKE = re.compile(
    r"^\s*(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2}[- ][A-Za-z]{3})"
)


def _refine(mapping: dict[str, str], table: RawTable, overrides: Mapping[str, str]) -> dict[str, str]:
    """Check a name-based mapping against the column's values: a "Closed" or "Won" column of
    dates is a close date, not a flag; a flag column whose values are not flags is left unmapped
    (the user can still map it). A field with no column of its own takes its stand-in
    (fields.STAND_INS: an engage date for the created date) unless the user unmapped it."""
    out = dict(mapping)
    used = set(out.values())
    for fld, names in STAND_INS.items():
        if fld in out or fld in overrides:
            continue
        col = next((c for c in table.columns if normalise_header(c) in names and c not in used), None)
        if col is not None:
            out[fld] = col
            used.add(col)
    for fld in ("is_won", "is_closed"):
        col = out.get(fld)
        if col is None or fld in overrides:
            continue
        values = [x.strip() for x in _sample(table, col) if x and x.strip()][:500]
        if not values:
            continue
        fits = sum(x.lower() in TRUE_WORDS | FALSE_WORDS for x in values)
        if fits * 5 >= len(values) * 4:
            continue
        del out[fld]
        dates = sum(bool(_DATE_LIKE.match(x)) for x in values)
        if dates * 5 >= len(values) * 4:
            target = "close_date" if fld == "is_closed" else "won_time"
            if target not in out:
                out[target] = col
    return dict(sorted(out.items()))


def _sample(table: RawTable, column: str) -> list[str]:
    i = table.columns.index(column)
    return [row[i] for row in table.sample if i < len(row)]


def _select(
    con: duckdb.DuckDBPyConnection,
    table: RawTable,
    mapping: Mapping[str, str],
    dayfirst: bool,
    report: ImportReport,
    money: v.MoneyPlan | None = None,
) -> tuple[str, str]:
    """Two SELECT lists: the inner one types every mapped column once (F__any, with the cell as
    written beside it as F__raw); the outer one keeps the typed value where it is usable (F)
    and, where it is not, the cell as written (F__text, NULL on every readable row)."""
    inner, outer = [], []
    for fld, col in mapping.items():
        c = v.q(col)
        raw = f"{fld}__raw"
        blank = f"{raw} is null or trim({raw}) = ''"
        if fld == "amount":
            sample = _sample(table, col)
            inner.append(f"{v.money_sql(c, money or v.plan_money(sample))} as amount__any")
            outer.append(f"case when amount__any between 0 and {v.MAX_AMOUNT} then amount__any end as amount")
            usable = [f"amount__any between 0 and {v.MAX_AMOUNT}", blank, v.money_empty_sql(raw)]
            marker = v.dominant_marker(sample)
            cur = v.currency_sql(raw)
            if marker:
                cur = f"case when contains({raw}, {v.lit(marker)}) then null else {cur} end"
                report.currencies = (v.MARKERS[marker],)
            outer.append(f"{cur} as amount__cur")
        elif fld in DATE_FIELDS:
            plan = v.plan_dates(con, _sample(table, col), dayfirst)
            if plan.note:
                report.date_notes[fld] = f"{col}: {plan.note}"
            trim = v.padded(_sample(table, col))
            inner.append(f"{v.date_sql(c, plan, in_range=False, trim=trim)} as {fld}__any")
            in_range = f"year({fld}__any) between {v.EARLIEST_YEAR} and {v.LATEST_YEAR}"
            outer.append(f"case when {in_range} then {fld}__any end as {fld}")
            usable = [in_range, blank]
        elif fld == "probability":
            inner.append(f"{v.probability_sql(c)} as probability__any")
            # on the 0-100 scale when the sample says so (a "%" or a value above 1): divided in the
            # scan; otherwise the column's maximum decides after it (see _probability_scale)
            scale = " / 100" if _percent_scale(_sample(table, col)) else ""
            outer.append(f"probability__any{scale} as probability")
            usable = ["probability__any is not null", blank]
        elif fld in BOOL_FIELDS:
            inner.append(f"{v.bool_sql(c)} as {fld}__any")
            outer.append(f"{fld}__any as {fld}")
            usable = [f"{fld}__any is not null", blank]
        else:
            text = f"trim({c})" if v.padded(_sample(table, col)) else c
            inner.append(f"nullif({text}, '') as {fld}")
            outer.append(fld)
            continue
        inner.append(f"{c} as {raw}")
        # CASE tests each condition only on the rows no earlier one settled: the regexes run on bad cells only
        outer.append("case " + " ".join(f"when {u} then null" for u in usable) + f" else {raw} end as {fld}__text")
    return ", ".join(inner), ", ".join(outer)


def _fast_scan(con: duckdb.DuckDBPyConnection, table: RawTable, select: tuple[str, str]) -> bool:
    """Type the whole file in one DuckDB scan; False when a line needs the careful reader."""
    # Row numbers are line numbers only when every line between the header and the footer is one
    # row: a blank line, a line DuckDB rejects or a value spanning lines all leave fewer rows than
    # lines, and then the careful reader takes over.
    if table.kind != "csv" or not (table.data or table.path):
        return False
    path, temp = table.path, None
    size = len(table.data) if table.data else os.path.getsize(table.path or "")
    end = table.data_end if table.data_end is not None and table.data_end < size else size
    cut = end < size
    if path is None or cut:
        # DuckDB reads exactly the header and the data lines: a footer it parsed as a row could
        # hide a line it merged or dropped, and then rows would no longer be lines
        fd, temp = tempfile.mkstemp(suffix=".csv", prefix="salesopt-")
        with os.fdopen(fd, "wb") as out:
            if table.data:
                out.write(memoryview(table.data)[:end])
            else:
                with open(table.path or "", "rb") as src:
                    while end > 0 and (chunk := src.read(min(1 << 23, end))):
                        out.write(chunk)
                        end -= len(chunk)
        path = temp
    try:
        columns = "{" + ", ".join(f"{v.lit(c)}: 'VARCHAR'" for c in table.csv_columns) + "}"
        con.execute(
            f"create table deals as select {select[1]} from (select {select[0]} from "
            f"read_csv({v.lit(path)}, columns = {columns}, "
            f"header = true, skip = {table.header_line - 1}, delim = {v.lit(table.delimiter)}, quote = '\"', "
            "escape = '\"', auto_detect = false, store_rejects = true, ignore_errors = true, "
            "null_padding = false, strict_mode = true))"
        )
    except duckdb.Error:
        con.execute("drop table if exists deals")
        return False
    finally:
        if temp:
            os.unlink(temp)
    expected = table.footer_from - 1 - table.header_line
    rejects = con.execute("select count(*) from reject_errors").fetchall()[0][0]
    got = con.execute("select count(*) from deals").fetchall()[0][0]
    if rejects or got != expected:
        con.execute("drop table deals")
        return False
    con.execute("alter table deals add column line integer")
    con.execute(f"update deals set line = rowid + {table.header_line + 1}")
    return True


def _careful_scan(
    con: duckdb.DuckDBPyConnection, table: RawTable, select: tuple[str, str], report: ImportReport
) -> None:
    import pyarrow as pa

    rows = table.rows
    arrays = {c: pa.array(col, pa.string()) for c, col in zip(table.columns, rows.columns, strict=True)}
    arrays["__line"] = pa.array(rows.lines, pa.int32())
    src = pa.table(arrays)
    con.register("src", src)
    con.execute(f"create table deals as select {select[1]}, line from (select {select[0]}, __line as line from src)")
    con.unregister("src")
    for bad in rows.bad:
        _reject(report, bad.line, bad.reason)


def _reject(report: ImportReport, line: int, reason: str) -> None:
    report.rows_rejected += 1
    report.rejected_all.append((int(line), reason))
    if len(report.rejected) < MAX_LISTED:
        report.rejected.append(Rejected(int(line), reason))


# ---- after the scan ------------------------------------------------------------------------------


def _norm(stage: str) -> str:
    return " ".join(str(stage).lower().replace("_", " ").split())


def _canonical_stages(con: duckdb.DuckDBPyConnection, stats: StageStats, report: ImportReport) -> bool:
    """Stage names differing only in case or spacing become one (the most common spelling);
    True when any was renamed."""
    cols = ["stage", "lost_at_stage"] if stats["lost_at_stage"] else ["stage"]
    counts = stats["all"]
    groups: dict[str, list[tuple[int, str]]] = {}
    for name, n in counts.items():
        groups.setdefault(_norm(name), []).append((-n, name))
    renames = {}
    for variants in groups.values():
        if len(variants) > 1:
            best = sorted(variants)[0][1]
            renames.update({name: best for _, name in variants if name != best})
    if not renames:
        return False
    con.execute("create temp table stage_names(raw varchar, canon varchar)")
    con.executemany("insert into stage_names values (?, ?)", list(renames.items()))
    for col in cols:
        con.execute(f"update deals set {col} = stage_names.canon from stage_names where deals.{col} = stage_names.raw")
    shown = ", ".join(f"'{a}' as '{b}'" for a, b in list(renames.items())[:4])
    report.warnings.append(f"stage names that differ only in case or spacing read as one: {shown}")
    return True


def _outcome_column(con: duckdb.DuckDBPyConnection, stats: StageStats, fields: set[str], report: ImportReport) -> bool:
    """A 0/1 (or yes/no) column taken as the stage: a one-step funnel, 1 = won, 0 = lost. True
    when it was."""
    distinct = {s.lower() for s in stats["stage"]}
    if not distinct or len(distinct) > 2 or not distinct <= OUTCOME_WORDS:
        return False
    truth = tuple(sorted(OUTCOME_WORDS & TRUE_WORDS))
    con.execute(f"update deals set stage = case when lower(stage) in {truth} then 'Converted' else 'Not converted' end")
    if "lost_at_stage" not in fields:
        con.execute("alter table deals add column lost_at_stage varchar")
    con.execute("update deals set lost_at_stage = 'Lead' where stage = 'Not converted'")
    report.outcome_column = True
    report.warnings.append(
        f"the stage column '{report.mapping['stage']}' holds an outcome (yes/no): read as a one-step funnel, "
        "Lead to Converted (won), the others lost"
    )
    return True


def _why_sql(fld: str, text: str, plan: v.MoneyPlan | None) -> str:
    """Why a cell of ``fld`` was emptied, as SQL over its text."""
    if fld == "amount" and plan is not None:
        number = v.money_sql(text, plan)
        return (
            f"case when {number} < 0 then 'a negative amount' when {number} > {v.MAX_AMOUNT} then 'too large' "
            "else 'not an amount' end"
        )
    if fld in DATE_FIELDS:
        return "'not a date (or outside 1900-2100)'"
    if fld == "probability":
        return "'not a probability between 0 and 100%'"
    return "'not yes/no'"


def _cells_emptied(
    con: duckdb.DuckDBPyConnection,
    fields: list[str],
    mapping: Mapping[str, str],
    report: ImportReport,
    money: v.MoneyPlan | None,
) -> None:
    """Every emptied cell into the ``issues`` table; the first ones and the counts into the report."""
    present = set(_columns(con))
    for fld in fields:
        if f"{fld}__text" not in present:
            continue
        con.execute(
            f"insert into issues select line, {v.lit(mapping[fld])}, {v.lit(fld)}, {fld}__text, "
            f"{_why_sql(fld, f'{fld}__text', money)} from deals where {fld}__text is not null"
        )
        n = con.execute(f"select count({fld}__text) from deals").fetchall()[0][0]
        if n:
            report.emptied_by_field[fld] = int(n)
    rows = con.execute(
        f"select line, column_name, field, value, reason from issues where field is not null "
        f"order by line, field limit {MAX_LISTED}"
    ).fetchall()
    report.cells_emptied = [CellIssue(int(a), b, c, str(d), e) for a, b, c, d, e in rows]


def _columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("describe deals").fetchall()]


def _percent_scale(sample: Sequence[str]) -> bool:
    """Probabilities written on the 0-100 scale: a "%" or a value above 1 in the sample."""
    for x in sample:
        if "%" in x:
            return True
        try:
            if float(x.strip().replace(",", ".")) > 1:
                return True
        except ValueError:
            continue
    return False


def _probability_scale(con: duckdb.DuckDBPyConnection, table: RawTable, mapping: Mapping[str, str]) -> None:
    """The whole column on the 0-1 scale: when the sample did not show the 0-100 scale but a value
    above 1 does, every value is divided by 100; then values outside 0-1 are emptied cells."""
    if not _percent_scale(_sample(table, mapping["probability"])):
        top = con.execute("select max(probability) from deals").fetchall()[0][0]
        if top is not None and top > 1:
            con.execute("update deals set probability = probability / 100")
    con.execute(
        "update deals set probability__text = cast(probability * 100 as varchar) || '%', probability = null "
        "where probability < 0 or probability > 1"
    )


def _currencies(con: duckdb.DuckDBPyConnection, fields: set[str], report: ImportReport) -> None:
    if "currency" in fields:
        rows = con.execute("select distinct currency from deals where currency is not null").fetchall()
        codes = {v.currency_code(r[0]) for r in rows} - {None}
    else:
        codes = set()
    if "amount" in fields:
        codes |= set(report.currencies)
        codes |= {
            r[0] for r in con.execute("select distinct amount__cur from deals where amount__cur is not null").fetchall()
        }
    report.currencies = tuple(sorted(c for c in codes if c))
    if len(report.currencies) == 1:
        report.currency = report.currencies[0]
    elif report.currencies:
        report.warnings.append(
            f"amounts are in several currencies ({', '.join(report.currencies)}): money figures are not summed; "
            "export one currency (or a converted amount column) and import again"
        )


def _ids(con: duckdb.DuckDBPyConnection, fields: set[str]) -> None:
    if "opportunity_id" not in fields:
        con.execute("alter table deals add column opportunity_id varchar")
    con.execute("update deals set opportunity_id = 'row-' || line where opportunity_id is null")


def _is_long(con: duckdb.DuckDBPyConnection, key: str, fields: set[str]) -> bool:
    if "entered_at" not in fields or key not in fields:
        return False
    repeated, moving = con.execute(
        f"select count(*), count(*) filter (where stages > 1) from "
        f"(select {key}, count(distinct stage) as stages from deals where {key} is not null "
        f"group by 1 having count(*) > 1)"
    ).fetchall()[0]
    return bool(repeated) and moving * 2 >= repeated


def _collapse(con: duckdb.DuckDBPyConnection, key: str, fields: set[str], report: ImportReport) -> None:
    """One row per stage entry -> one row per deal (its latest entry) plus the history table."""
    closed = tuple(sorted(WON_NAMES | LOST_NAMES))
    con.execute(
        f"create table history as select {key} as opportunity_id, stage, entered_at, line from deals "
        f"where {key} is not null and entered_at is not null"
    )
    amount = (
        ", arg_max(amount, struct_pack(t := entered_at, l := line)) filter (where amount > 0) as last_amount"
        if "amount" in fields
        else ""
    )
    con.execute(
        f"create table firsts as select {key} as k, count(*) as n, min(entered_at) as first_at, "
        f"bool_or(lower(stage) not in {closed}) as has_open{amount} from deals group by 1"
    )
    con.execute(
        f"create table latest as select * exclude (rn) from (select *, row_number() over "
        f"(partition by {key} order by entered_at desc nulls last, line desc) as rn from deals) where rn = 1"
    )
    created = "created_date" if "created_date" in fields else "null::timestamp"
    set_amount = ", amount = coalesce(f.last_amount, deals.amount)" if "amount" in fields else ""
    con.execute("drop table deals")
    con.execute("alter table latest rename to deals")
    if "created_date" not in fields:
        con.execute("alter table deals add column created_date timestamp")
    con.execute(
        f"update deals set created_date = coalesce({created}, case when f.n > 1 or f.has_open then f.first_at end)"
        f"{set_amount} from firsts f where deals.{key} = f.k"
    )
    if key != "opportunity_id":
        if "opportunity_id" not in fields:
            con.execute("alter table deals add column opportunity_id varchar")
        con.execute(f"update deals set opportunity_id = {key}")
    con.execute("drop table firsts")
    n_deals = con.execute("select count(*) from deals").fetchall()[0][0]
    n_rows = con.execute("select count(*) from history").fetchall()[0][0]
    report.long_format = True
    report.warnings.append(
        f"one row per stage change: {n_rows:,} stage entries for {n_deals:,} opportunities (by "
        f"'{report.mapping[key]}'); each deal's current stage is its latest entry, its created date its first, "
        "its amount its last one above 0"
    )


def _duplicates(con: duckdb.DuckDBPyConnection, report: ImportReport, keep_later: bool) -> bool:
    """A deal id seen twice: the first row counts (the later one with keep_later), the other is rejected."""
    rows, ids = con.execute("select count(*), count(distinct opportunity_id) from deals").fetchall()[0]
    if rows == ids:  # every id once (the usual case): a distinct count is cheaper than grouping the lines
        return False
    seen = con.execute(
        "select opportunity_id, min(line), max(line) from deals group by 1 having count(*) > 1"
    ).fetchall()
    if not seen:
        return False
    order = "line desc" if keep_later else "line"
    con.execute(
        f"create temp table dupes as select line, opportunity_id, kept from (select line, opportunity_id, "
        f"row_number() over (partition by opportunity_id order by {order}) as rn, "
        f"first(line order by {order}) over (partition by opportunity_id) as kept from deals "
        f"where opportunity_id in (select opportunity_id from deals group by 1 having count(*) > 1)) where rn > 1"
    )
    for line, oid, kept in con.execute("select * from dupes order by line").fetchall():
        _reject(report, line, f"duplicate opportunity id '{oid}' (the deal at line {kept} is kept)")
    con.execute("delete from deals where line in (select line from dupes)")
    con.execute("drop table dupes")
    return True


def _history_file(con: duckdb.DuckDBPyConnection, table: RawTable, dayfirst: bool, report: ImportReport) -> None:
    mapping = auto_map(table.columns, HISTORY_SYNONYMS)
    missing = [f for f in ("opportunity_id", "stage", "entered_at") if f not in mapping]
    if missing:
        raise CrmError(
            f"{table.name}: a stage history needs opportunity id, stage and date columns; "
            f"not found: {', '.join(missing)} (columns: {', '.join(table.columns)})"
        )
    plan = v.plan_dates(con, _sample(table, mapping["entered_at"]), dayfirst)
    import pyarrow as pa

    rows = table.rows
    cols = dict(zip(table.columns, rows.columns, strict=True))
    src = pa.table({k: pa.array(cols[mapping[k]], pa.string()) for k in ("opportunity_id", "stage", "entered_at")})
    con.register("hsrc", src)
    con.execute(
        "create table history as select nullif(trim(opportunity_id), '') as opportunity_id, "
        f"nullif(trim(stage), '') as stage, {v.date_sql('entered_at', plan)} as entered_at from hsrc"
    )
    con.unregister("hsrc")
    unusable = con.execute(
        "select count(*) from history where opportunity_id is null or stage is null or entered_at is null"
    ).fetchall()[0][0]
    if unusable:
        report.warnings.append(f"{table.name}: {unusable:,} history rows without id, stage or date ignored")
        con.execute("delete from history where opportunity_id is null or stage is null or entered_at is null")
    unmatched = con.execute(
        "select count(*) from history where opportunity_id not in (select opportunity_id from deals)"
    ).fetchall()[0][0]
    total = con.execute("select count(*) from history").fetchall()[0][0]
    if total and unmatched == total:
        report.warnings.append(f"{table.name}: no opportunity id matches the export; history not used")
        con.execute("drop table history")
        return
    if unmatched:
        report.warnings.append(f"{table.name}: {unmatched:,} rows for unknown opportunities ignored")
        con.execute("delete from history where opportunity_id not in (select opportunity_id from deals)")
    if "created_date" not in _columns(con):
        con.execute("alter table deals add column created_date timestamp")
        con.execute(
            "update deals set created_date = h.first_at from (select opportunity_id as k, min(entered_at) as first_at "
            "from history group by 1) h where deals.opportunity_id = h.k"
        )


def import_opportunities(
    table: RawTable,
    overrides: Mapping[str, str] | None = None,
    *,
    dayfirst: bool = False,
    history: RawTable | None = None,
    keep_later_duplicates: bool = False,
    name: str = "upload",
    fields: Collection[str] | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> ImportResult:
    """Map, type and check a read table; see the module docstring. ``fields`` limits the typed
    table to the fields a caller needs (the mapping still reports every column); ``progress``
    hears (fraction done, what is happening) between steps."""

    def step(done: float, text: str) -> None:
        if progress is not None:
            progress(done, text)

    overrides = dict(overrides or {})
    mapping = _refine(_mapping(table.columns, overrides, name), table, overrides)
    typed = {k: c for k, c in mapping.items() if fields is None or k in fields or k in CORE_FIELDS}
    if fields is not None and "opportunity_id" in typed and "name" not in fields:
        typed.pop("name", None)  # the name only identifies deals that have no id
    report = ImportReport(
        mapping=mapping, footer_lines=table.footer_lines, header_line=table.header_line, sheet=table.sheet
    )
    report.warnings.extend(table.notes)
    for fld, names in STAND_INS.items():
        if fld in mapping and fld not in overrides and normalise_header(mapping[fld]) in names:
            what = fld.replace("_", " ")
            report.warnings.append(
                f"no {what} column: '{mapping[fld]}' stands in for it, so the sales cycle runs from that date"
                if fld == "created_date"
                else f"no {what} column: '{mapping[fld]}' stands in for it"
            )
    report.columns_ignored = [c for c in table.columns if c not in mapping.values()] + [
        c for c in table.csv_columns if c not in table.columns
    ]
    if "stage" not in mapping:
        # a header cell may hold a line break: the message stays one line
        shown = ", ".join(" ".join(c.split()) for c in table.columns[:30]) + (" …" if len(table.columns) > 30 else "")
        raise NoStageColumn(
            f"{name}: no column is recognised as the deal stage (columns: {shown}); say which column holds the "
            "stage or the won/lost outcome",
            table.columns,
        )
    if not table.sample and ((table.kind == "xlsx" and not table.rows.lines) or table.footer_from <= table.first_line):
        raise CrmError(f"{name}: only a header, no data rows; export the report with its rows")
    con = engine.connect()
    money = v.plan_money(_sample(table, typed["amount"])) if "amount" in typed else None
    select = _select(con, table, typed, dayfirst, report, money)
    step(0.1, f"Typing {len(typed)} columns in one scan")
    if not _fast_scan(con, table, select):
        step(0.4, "Some lines need a closer look: reading line by line")
        _careful_scan(con, table, select, report)
    step(0.7, "Checking stages, amounts and dates")
    fields = set(_columns(con))
    texts = [c for c in fields if c.endswith("__text")]
    data = [c for c in fields if c != "line" and "__" not in c]
    blank = " and ".join(f"{c} is null" for c in data + texts)
    con.execute(f"delete from deals where {blank}")  # a row of empty cells is a blank line, not a deal
    for (line,) in con.execute("select line from deals where stage is null order by line").fetchall():
        _reject(report, line, "no stage")
    con.execute("delete from deals where stage is null")
    rows_kept = con.execute("select count(*) from deals").fetchall()[0][0]
    report.rows_read = rows_kept + report.rows_rejected
    if not rows_kept:
        first = f"; the first, line {report.rejected[0].line}: {report.rejected[0].reason}" if report.rejected else ""
        raise CrmError(
            f"{name}: no row could be read as a deal ({report.rows_rejected:,} rejected{first}); "
            "fix the export or choose the stage column"
        )
    if "probability" in fields:
        _probability_scale(con, table, mapping)
    con.execute("create table issues (line integer, column_name varchar, field varchar, value varchar, reason varchar)")
    _cells_emptied(con, [f for f in PARSED if f in fields], mapping, report, money)
    for fld, n in report.emptied_by_field.items():
        if n == rows_kept and n > 1:
            example = report.cells_emptied[[c.field for c in report.cells_emptied].index(fld)].value
            report.warnings.append(
                f"no value in column '{mapping[fld]}' ({fld}) could be read (e.g. '{example}'): "
                "is it the right column for this field?"
            )
    _currencies(con, fields, report)
    if {"won_time", "lost_time"} & fields:
        parts = [c for c in ("won_time", "lost_time") if c in fields]
        if "close_date" not in fields:
            con.execute("alter table deals add column close_date timestamp")
        con.execute(f"update deals set close_date = coalesce({', '.join(parts)}, close_date)")
    for col in [c for c in _columns(con) if "__" in c]:
        con.execute(f"alter table deals drop column {col}")
    fields = set(_columns(con))
    # the stage counts, taken once: they stay the result's unless a step below changes the deals
    stats = stage_stats(con, fields, has_history=False)
    changed = _canonical_stages(con, stats, report)
    changed = _outcome_column(con, stats, fields, report) or changed
    fields = set(_columns(con))
    key = "opportunity_id" if "opportunity_id" in fields else "name"
    if _is_long(con, key, fields):
        _collapse(con, key, fields, report)
        _ids(con, set(_columns(con)))
        changed = True
    else:
        _ids(con, fields)
        if "entered_at" in fields:
            con.execute("alter table deals drop column entered_at")
        changed = _duplicates(con, report, keep_later_duplicates) or changed
    report.rows_kept = report.rows_read - report.rows_rejected
    if history is not None and not report.long_format:
        step(0.85, "Reading the stage history")
        _history_file(con, history, dayfirst, report)
        changed = True
    step(1.0, "Import done")
    report.warnings.extend(report.date_notes.values())
    if report.rejected_all:
        con.executemany("insert into issues values (?, null, null, null, ?)", report.rejected_all)
        report.rejected_all = []
    has_history = report.long_format or (
        history is not None
        and con.execute("select count(*) from duckdb_tables() where table_name = 'history'").fetchall()[0][0] > 0
    )
    return ImportResult(con, report, table.columns, None if changed else stats, has_history)


def read_lines(report: ImportReport) -> str:
    """One line saying what the import did (for banners and the command line)."""
    text = f"{report.rows_read:,} rows read, {report.rows_rejected:,} rejected"
    if report.emptied_by_field:
        text += "; cells emptied: " + ", ".join(f"{k} {n:,}" for k, n in report.emptied_by_field.items())
    return re.sub(r"\s+", " ", text)
