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
from typing import TYPE_CHECKING

from salesopt.crm import engine
from salesopt.crm import values as v
from salesopt.crm.checks import (
    OUTCOME_WORDS,
    canonical_stages,
    collapse,
    currencies,
    date_entered,
    duplicates,
    history_file,
    ids,
    is_long,
    layout_rows,
    outcome_column,
    outcomes,
)
from salesopt.crm.fields import (
    BOOL_FIELDS,
    CONVERTED_AMOUNTS,
    DATE_FIELDS,
    FALSE_WORDS,
    FIELDS,
    STAND_INS,
    SYNONYMS,
    TRUE_WORDS,
)
from salesopt.crm.mapping import auto_map, normalise_header
from salesopt.crm.profiles import article, header_key, ignored, outcome_words, profile_mapping, recognise
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

if TYPE_CHECKING:
    from salesopt.content.schemas.crm import CrmProfile

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
CORE_FIELDS = (
    "opportunity_id",
    "name",
    "stage",
    "status",
    "is_won",
    "is_closed",
    "entered_at",
    "lost_at_stage",
    "actual_close_date",
    "active",
)
PARSED = ("amount", "probability", *DATE_FIELDS, *BOOL_FIELDS)


def _mapping(
    columns: tuple[str, ...], overrides: Mapping[str, str], name: str, profile: CrmProfile | None = None
) -> dict[str, str]:
    """The user's overrides, then the profile's columns, then the generic column names."""
    for fld, col in overrides.items():
        if fld not in FIELDS:
            raise CrmError(f"{name}: unknown field '{fld}' in a column override; fields are {', '.join(FIELDS)}")
        if col and col not in columns:
            raise CrmError(f"{name}: no column '{col}' for {fld}; the columns are: {', '.join(columns)}")
    skip = set(overrides.values()) | ignored(profile, columns)
    free = [c for c in columns if c not in skip]
    mapping = profile_mapping(profile, free) if profile is not None else {}
    rest = [c for c in free if c not in mapping.values()]
    mapping.update(auto_map(rest, {k: syn for k, syn in SYNONYMS.items() if k not in mapping}))
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
    profile: CrmProfile | None = None,
) -> ImportResult:
    """Map, type and check a read table; see the module docstring. ``fields`` limits the typed
    table to the fields a caller needs (the mapping still reports every column); ``progress``
    hears (fraction done, what is happening) between steps; ``profile`` is the CRM profile to
    read the file with (default: the one its headers recognise, :mod:`salesopt.crm.profiles`)."""

    def step(done: float, text: str) -> None:
        if progress is not None:
            progress(done, text)

    overrides = dict(overrides or {})
    profile = profile if profile is not None else recognise(table.columns)
    mapping = _refine(_mapping(table.columns, overrides, name, profile), table, overrides)
    converted = _converted_amount(mapping, profile)
    if converted and "currency" in mapping and "currency" not in overrides:
        dropped = mapping.pop("currency")
    else:
        dropped = None
    layout = profile.skip_rows if profile is not None else None
    by_layout = layout is not None and (layout.group_titles or layout.subitems)
    typed = {k: c for k, c in mapping.items() if fields is None or k in fields or k in CORE_FIELDS}
    if fields is not None and "opportunity_id" in typed and "name" not in fields and not by_layout:
        typed.pop("name", None)  # the name only identifies deals that have no id
    report = ImportReport(
        mapping=mapping, footer_lines=table.footer_lines, header_line=table.header_line, sheet=table.sheet
    )
    if profile is not None:
        report.profile, report.profile_id, report.stage_set = profile.title, profile.id, profile.stage_set
    report.warnings.extend(table.notes)
    if dropped:
        report.warnings.append(
            f"amounts read from '{mapping['amount']}', already in one currency: the per-deal currency column "
            f"'{dropped}' is not used"
        )
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
    if layout is not None and profile is not None:
        first = next((k for k, c in typed.items() if c == table.columns[0]), None)
        layout_rows(con, first, mapping["stage"], layout, report, profile.title)
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
    if profile is not None and profile.amount_unit != 1 and "amount" in fields:
        con.execute(f"update deals set amount = amount * {float(profile.amount_unit)!r}")
        report.warnings.append(
            f"amounts in '{mapping['amount']}' are in units of {profile.amount_unit:g} ({profile.title}): "
            f"read as {profile.amount_unit:g} each"
        )
    if {"won_time", "lost_time", "actual_close_date"} & fields:
        # the day a deal actually closed wins over its expected close date
        parts = [c for c in ("won_time", "lost_time", "actual_close_date") if c in fields]
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
    changed = outcomes(con, outcome_words(profile), fields, report) or changed
    fields = set(deal_columns(con))
    key = "opportunity_id" if "opportunity_id" in fields else "name"
    as_history = profile is not None and profile.history == "rows" and {key, "entered_at"} <= fields
    if as_history or is_long(con, key, fields):
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
    entered = profile is not None and profile.history == "date_entered_columns" and history is None
    if entered and not report.long_format and "opportunity_id" in mapping:
        has_history = date_entered(con, table, mapping["opportunity_id"], dayfirst, report)
        changed = changed or has_history
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


def _converted_amount(mapping: Mapping[str, str], profile: CrmProfile | None) -> bool:
    """Whether the amount column is already in one currency (a converted or company-currency amount)."""
    col = mapping.get("amount")
    if col is None:
        return False
    named = {header_key(h) for h in profile.converted_amounts} if profile is not None else set()
    return header_key(col) in named or normalise_header(col) in CONVERTED_AMOUNTS


def read_as(report: ImportReport) -> str | None:
    """Which profile read the file, as a line ("Read as a Zoho CRM deals export"); None when none did."""
    if not report.profile:
        return None
    return f"Read as {article(report.profile)} {report.profile} export"


def read_lines(report: ImportReport) -> str:
    """One line saying what the import did (for banners and the command line)."""
    text = f"{report.rows_read:,} rows read, {report.rows_rejected:,} rejected"
    if report.emptied_by_field:
        text += "; cells emptied: " + ", ".join(f"{k} {n:,}" for k, n in report.emptied_by_field.items())
    return re.sub(r"\s+", " ", text)
