"""Import: a read table -> the typed opportunity table (METRICS.md §1) in an in-process DuckDB
database, and an :class:`ImportReport` that accounts for every line.

A row is rejected only when it cannot be a deal: no stage, or a line that cannot be split into
fields (:mod:`salesopt.crm.read`). A cell that cannot be read (an amount, a date, a probability,
a flag) is emptied, listed with its line, column, value and why, and the deal is kept. The
whole file is typed in one multi-threaded DuckDB scan; the careful line-by-line reader is
used only when the fast scan meets a line it cannot account for.

Here: the mapping (the name-based guess checked against the values) and the import's order of
steps. The steps live in :mod:`~salesopt.crm.scan` (typing the cells) and
:mod:`~salesopt.crm.checks` (the checks after the scan); the result and report types in
:mod:`~salesopt.crm.result`, re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping

from salesopt.crm import engine
from salesopt.crm import values as v
from salesopt.crm.checks import (
    OUTCOME_WORDS,
    canonical_stages,
    collapse,
    currencies,
    duplicates,
    history_file,
    ids,
    is_long,
    outcome_column,
)
from salesopt.crm.fields import BOOL_FIELDS, DATE_FIELDS, FALSE_WORDS, FIELDS, STAND_INS, TRUE_WORDS
from salesopt.crm.mapping import auto_map, normalise_header
from salesopt.crm.result import (
    CellIssue,
    ImportReport,
    ImportResult,
    NoStageColumn,
    StageStats,
    frame,
    reject,
    stage_stats,
)
from salesopt.crm.scan import (
    careful_scan,
    cells_emptied,
    column_sample,
    deal_columns,
    fast_scan,
    probability_scale,
    select_lists,
)
from salesopt.crm.table import CrmError, RawTable

__all__ = [
    "OUTCOME_WORDS",
    "CellIssue",
    "ImportReport",
    "ImportResult",
    "NoStageColumn",
    "StageStats",
    "frame",
    "import_opportunities",
    "read_lines",
    "stage_stats",
]

# always typed: what decides a deal's identity, stage and status
CORE_FIELDS = ("opportunity_id", "name", "stage", "status", "is_won", "is_closed", "entered_at", "lost_at_stage")
PARSED = ("amount", "probability", *DATE_FIELDS, *BOOL_FIELDS)


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
        values = [x.strip() for x in column_sample(table, col) if x and x.strip()][:500]
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
    money = v.plan_money(column_sample(table, typed["amount"])) if "amount" in typed else None
    select = select_lists(con, table, typed, dayfirst, report, money)
    step(0.1, f"Typing {len(typed)} columns in one scan")
    if not fast_scan(con, table, select):
        step(0.4, "Some lines need a closer look: reading line by line")
        careful_scan(con, table, select, report)
    step(0.7, "Checking stages, amounts and dates")
    fields = set(deal_columns(con))
    texts = [c for c in fields if c.endswith("__text")]
    data = [c for c in fields if c != "line" and "__" not in c]
    blank = " and ".join(f"{c} is null" for c in data + texts)
    con.execute(f"delete from deals where {blank}")  # a row of empty cells is a blank line, not a deal
    for (line,) in con.execute("select line from deals where stage is null order by line").fetchall():
        reject(report, line, "no stage")
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
        probability_scale(con, table, mapping)
    con.execute("create table issues (line integer, column_name varchar, field varchar, value varchar, reason varchar)")
    cells_emptied(con, [f for f in PARSED if f in fields], mapping, report, money)
    for fld, n in report.emptied_by_field.items():
        if n == rows_kept and n > 1:
            example = report.cells_emptied[[c.field for c in report.cells_emptied].index(fld)].value
            report.warnings.append(
                f"no value in column '{mapping[fld]}' ({fld}) could be read (e.g. '{example}'): "
                "is it the right column for this field?"
            )
    currencies(con, fields, report)
    if {"won_time", "lost_time"} & fields:
        parts = [c for c in ("won_time", "lost_time") if c in fields]
        if "close_date" not in fields:
            con.execute("alter table deals add column close_date timestamp")
        con.execute(f"update deals set close_date = coalesce({', '.join(parts)}, close_date)")
    for col in [c for c in deal_columns(con) if "__" in c]:
        con.execute(f"alter table deals drop column {col}")
    fields = set(deal_columns(con))
    # the stage counts, taken once: they stay the result's unless a step below changes the deals
    stats = stage_stats(con, fields, has_history=False)
    changed = canonical_stages(con, stats, report)
    changed = outcome_column(con, stats, fields, report) or changed
    fields = set(deal_columns(con))
    key = "opportunity_id" if "opportunity_id" in fields else "name"
    if is_long(con, key, fields):
        collapse(con, key, fields, report)
        ids(con, set(deal_columns(con)))
        changed = True
    else:
        ids(con, fields)
        if "entered_at" in fields:
            con.execute("alter table deals drop column entered_at")
        changed = duplicates(con, report, keep_later_duplicates) or changed
    report.rows_kept = report.rows_read - report.rows_rejected
    has_history = report.long_format
    if history is not None and not report.long_format:
        step(0.85, "Reading the stage history")
        has_history = history_file(con, history, dayfirst, report)
        changed = True
    step(1.0, "Import done")
    report.warnings.extend(report.date_notes.values())
    if report.rejected_all:
        con.executemany("insert into issues values (?, null, null, null, ?)", report.rejected_all)
        report.rejected_all = []
    return ImportResult(con, report, table.columns, None if changed else stats, has_history)


def read_lines(report: ImportReport) -> str:
    """One line saying what the import did (for banners and the command line)."""
    text = f"{report.rows_read:,} rows read, {report.rows_rejected:,} rejected"
    if report.emptied_by_field:
        text += "; cells emptied: " + ", ".join(f"{k} {n:,}" for k, n in report.emptied_by_field.items())
    return re.sub(r"\s+", " ", text)
