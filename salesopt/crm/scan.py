"""The scan: the SELECT lists that type every mapped column of a read table in one pass
(:func:`select_lists`), the one multi-threaded DuckDB scan of a CSV (:func:`fast_scan`) or the
careful line-by-line rows (:func:`careful_scan`) that run them, the probability scale, and the
emptied cells they leave (:func:`cells_emptied`: the ``issues`` table and the report)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence

import duckdb

from salesopt.crm import values as v
from salesopt.crm.fields import BOOL_FIELDS, DATE_FIELDS
from salesopt.crm.limits import limits
from salesopt.crm.result import MAX_LISTED, CellIssue, ImportReport, reject
from salesopt.crm.table import RawTable


def column_sample(table: RawTable, column: str) -> list[str]:
    i = table.columns.index(column)
    return [row[i] for row in table.sample if i < len(row)]


def select_lists(
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
            sample = column_sample(table, col)
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
            plan = v.plan_dates(con, column_sample(table, col), dayfirst)
            if plan.note:
                report.date_notes[fld] = f"{col}: {plan.note}"
            trim = v.padded(column_sample(table, col))
            inner.append(f"{v.date_sql(c, plan, in_range=False, trim=trim)} as {fld}__any")
            in_range = f"year({fld}__any) between {v.EARLIEST_YEAR} and {v.LATEST_YEAR}"
            outer.append(f"case when {in_range} then {fld}__any end as {fld}")
            usable = [in_range, blank]
        elif fld == "probability":
            inner.append(f"{v.probability_sql(c)} as probability__any")
            # on the 0-100 scale when the sample says so (a "%" or a value above 1): divided in the
            # scan; otherwise the column's maximum decides after it (see probability_scale)
            scale = " / 100" if _percent_scale(column_sample(table, col)) else ""
            outer.append(f"probability__any{scale} as probability")
            usable = ["probability__any is not null", blank]
        elif fld in BOOL_FIELDS:
            inner.append(f"{v.bool_sql(c)} as {fld}__any")
            outer.append(f"{fld}__any as {fld}")
            usable = [f"{fld}__any is not null", blank]
        else:
            text = f"trim({c})" if v.padded(column_sample(table, col)) else c
            inner.append(f"nullif({text}, '') as {fld}")
            outer.append(fld)
            continue
        inner.append(f"{c} as {raw}")
        # CASE tests each condition only on the rows no earlier one settled: the regexes run on bad cells only
        outer.append("case " + " ".join(f"when {u} then null" for u in usable) + f" else {raw} end as {fld}__text")
    return ", ".join(inner), ", ".join(outer)


def fast_scan(con: duckdb.DuckDBPyConnection, table: RawTable, select: tuple[str, str]) -> bool:
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
    if rejects or got != expected or _longest_text(con) > limits().cell_chars:
        # a cell past the limit: the careful reader rejects its line and says why
        con.execute("drop table deals")
        return False
    con.execute("alter table deals add column line integer")
    con.execute(f"update deals set line = rowid + {table.header_line + 1}")
    return True


def _longest_text(con: duckdb.DuckDBPyConnection) -> int:
    """The longest text cell the scan kept (0 when it kept none)."""
    described = con.execute("select column_name, column_type from (describe deals)").fetchall()
    texts = [c for c, t in described if t == "VARCHAR"]
    if not texts:
        return 0
    longest = ", ".join(f'coalesce(max(length("{c.replace(chr(34), chr(34) * 2)}")), 0)' for c in texts)
    return int(con.execute(f"select greatest({longest}, 0) from deals").fetchall()[0][0])


def careful_scan(
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
        reject(report, bad.line, bad.reason)


def _why_sql(fld: str, text: str, plan: v.MoneyPlan | None) -> str:
    """Why a cell of ``fld`` was emptied, as SQL over its text."""
    if fld == "amount" and plan is not None:
        number = v.money_sql(text, plan)
        return (
            f"case when {v.money_date_sql(text)} then 'a date, not an amount' "
            f"when {number} < 0 then 'a negative amount' when {number} > {v.MAX_AMOUNT} then 'too large' "
            "else 'not an amount' end"
        )
    if fld in DATE_FIELDS:
        return "'not a date (or outside 1900-2100)'"
    if fld == "probability":
        return "'not a probability between 0 and 100%'"
    return "'not yes/no'"


def cells_emptied(
    con: duckdb.DuckDBPyConnection,
    fields: list[str],
    mapping: Mapping[str, str],
    report: ImportReport,
    money: v.MoneyPlan | None,
) -> None:
    """Every emptied cell into the ``issues`` table; the first ones and the counts into the report."""
    present = set(deal_columns(con))
    fields = [f for f in fields if f"{f}__text" in present]
    # one pass counts them all; only a field with emptied cells is copied out
    select = ", ".join(f"count({f}__text)" for f in fields)
    counts = con.execute(f"select {select} from deals").fetchall()[0] if fields else ()
    for fld, n in zip(fields, counts, strict=True):
        if not n:
            continue
        con.execute(
            f"insert into issues select line, {v.lit(mapping[fld])}, {v.lit(fld)}, {fld}__text, "
            f"{_why_sql(fld, f'{fld}__text', money)} from deals where {fld}__text is not null"
        )
        report.emptied_by_field[fld] = int(n)
    rows = con.execute(
        f"select line, column_name, field, value, reason from issues where field is not null "
        f"order by line, field limit {MAX_LISTED}"
    ).fetchall()
    report.cells_emptied = [CellIssue(int(a), b, c, str(d), e) for a, b, c, d, e in rows]


def deal_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
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


def probability_scale(con: duckdb.DuckDBPyConnection, table: RawTable, mapping: Mapping[str, str]) -> None:
    """The whole column on the 0-1 scale: when the sample did not show the 0-100 scale but a value
    above 1 does, every value is divided by 100; then values outside 0-1 are emptied cells."""
    if not _percent_scale(column_sample(table, mapping["probability"])):
        top = con.execute("select max(probability) from deals").fetchall()[0][0]
        if top is not None and top > 1:
            con.execute("update deals set probability = probability / 100")
    con.execute(
        "update deals set probability__text = cast(probability * 100 as varchar) || '%', probability = null "
        "where probability < 0 or probability > 1"
    )
