"""The checks after the scan, on the typed ``deals`` table: stage names that differ only in
spelling, a 0/1 outcome column taken as the stage, the currencies, deal ids, a long-format
export (one row per stage change) collapsed into deals and their history, duplicate ids, and a
separate stage-history file."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import duckdb

from salesopt.crm import values as v
from salesopt.crm.fields import HISTORY_SYNONYMS, LOST_NAMES, TRUE_WORDS, WON_NAMES
from salesopt.crm.mapping import auto_map
from salesopt.crm.result import ImportReport, StageStats, reject
from salesopt.crm.scan import column_sample, deal_columns
from salesopt.crm.table import CrmError, RawTable

if TYPE_CHECKING:
    from salesopt.content.schemas.crm import SkipRows

OUTCOME_WORDS = frozenset({"0", "1", "true", "false", "yes", "no", "0.0", "1.0"})  # a 0/1 column taken as the stage


def _norm(stage: str) -> str:
    return " ".join(str(stage).lower().replace("_", " ").split())


def canonical_stages(con: duckdb.DuckDBPyConnection, stats: StageStats, report: ImportReport) -> bool:
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


def outcome_column(con: duckdb.DuckDBPyConnection, stats: StageStats, fields: set[str], report: ImportReport) -> bool:
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


def currencies(con: duckdb.DuckDBPyConnection, fields: set[str], report: ImportReport) -> None:
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


def ids(con: duckdb.DuckDBPyConnection, fields: set[str]) -> None:
    if "opportunity_id" not in fields:
        con.execute("alter table deals add column opportunity_id varchar")
    con.execute("update deals set opportunity_id = 'row-' || line where opportunity_id is null")


def is_long(con: duckdb.DuckDBPyConnection, key: str, fields: set[str]) -> bool:
    if "entered_at" not in fields or key not in fields:
        return False
    repeated, moving = con.execute(
        f"select count(*), count(*) filter (where stages > 1) from "
        f"(select {key}, count(distinct stage) as stages from deals where {key} is not null "
        f"group by 1 having count(*) > 1)"
    ).fetchall()[0]
    return bool(repeated) and moving * 2 >= repeated


def collapse(con: duckdb.DuckDBPyConnection, key: str, fields: set[str], report: ImportReport) -> None:
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


def duplicates(con: duckdb.DuckDBPyConnection, report: ImportReport, keep_later: bool) -> bool:
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
        reject(report, line, f"duplicate opportunity id '{oid}' (the deal at line {kept} is kept)")
    con.execute("delete from deals where line in (select line from dupes)")
    con.execute("drop table dupes")
    return True


def history_file(con: duckdb.DuckDBPyConnection, table: RawTable, dayfirst: bool, report: ImportReport) -> bool:
    """The stage history file as table ``history``; False when none of it matches the export
    (the table is dropped then)."""
    mapping = auto_map(table.columns, HISTORY_SYNONYMS)
    missing = [f for f in ("opportunity_id", "stage", "entered_at") if f not in mapping]
    if missing:
        raise CrmError(
            f"{table.name}: a stage history needs opportunity id, stage and date columns; "
            f"not found: {', '.join(missing)} (columns: {', '.join(table.columns)})"
        )
    plan = v.plan_dates(con, column_sample(table, mapping["entered_at"]), dayfirst)
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
        return False
    if unmatched:
        report.warnings.append(f"{table.name}: {unmatched:,} rows for unknown opportunities ignored")
        con.execute("delete from history where opportunity_id not in (select opportunity_id from deals)")
    if "created_date" not in deal_columns(con):
        con.execute("alter table deals add column created_date timestamp")
        con.execute(
            "update deals set created_date = h.first_at from (select opportunity_id as k, min(entered_at) as first_at "
            "from history group by 1) h where deals.opportunity_id = h.k"
        )
    return True


def outcomes(con: duckdb.DuckDBPyConnection, words: dict[str, str], fields: set[str], report: ImportReport) -> bool:
    """The CRM profile's outcome words (:func:`salesopt.crm.profiles.outcome_words`) on the status
    column and the stage values: an outcome column's words become won / lost / open (a closed-
    without-a-win word, such as Abandoned or Out-Sold, is lost and becomes the loss reason when
    the deal has none; on hold is open); stage values naming an outcome ("Closed Lost to
    Competition") are listed in the report as won or lost stages. True when the deals changed."""
    from salesopt.crm.profiles import word_key

    changed = False
    canon = {"won": "won", "lost": "lost", "closed_without_win": "lost", "open": "open", "on_hold": "open"}
    if "active" in fields:  # Odoo archives a lost opportunity: Active = False
        if "status" not in fields:
            con.execute("alter table deals add column status varchar")
            fields.add("status")
        n = con.execute("select count(*) from deals where active = false and status is null").fetchall()[0][0]
        if n:
            con.execute("update deals set status = 'lost' where active = false and status is null")
            changed = True
    if "status" in fields:
        raw = [r[0] for r in con.execute("select distinct status from deals where status is not null").fetchall()]
        kinds = {r: words[word_key(r)] for r in raw if word_key(r) in words}
        unlisted = [r for r in raw if r not in kinds]
        without_win = [r for r, k in kinds.items() if k == "closed_without_win"]
        if without_win:
            _reason_from(con, "status", without_win, fields)
        renames = {r: canon[k] for r, k in kinds.items() if r != canon[k]}
        if renames:
            con.execute("create temp table status_words(raw varchar, canon varchar)")
            con.executemany("insert into status_words values (?, ?)", list(renames.items()))
            con.execute("update deals set status = w.canon from status_words w where deals.status = w.raw")
            con.execute("drop table status_words")
            changed = True
        report.status_outcomes = any(k == "won" for k in kinds.values())
        if without_win:
            report.warnings.append(
                f"closed without a win ({', '.join(without_win)}): counted as lost, with that as the loss reason"
            )
        if unlisted and kinds:
            report.warnings.append(
                f"outcome values not recognised ({', '.join(unlisted[:5])}): the stage decides those deals' status"
            )
    stages = [r[0] for r in con.execute("select distinct stage from deals where stage is not null").fetchall()]
    won = tuple(s for s in stages if words.get(word_key(s)) == "won")
    lost = tuple(s for s in stages if words.get(word_key(s)) in ("lost", "closed_without_win"))
    report.won_stages, report.lost_stages = won, lost
    without_win_stages = [s for s in stages if words.get(word_key(s)) == "closed_without_win"]
    if without_win_stages:
        _reason_from(con, "stage", without_win_stages, fields)
        report.warnings.append(
            f"stages closed without a win ({', '.join(without_win_stages)}): counted as lost, with the stage as "
            "the loss reason"
        )
        changed = True
    return changed


def _reason_from(con: duckdb.DuckDBPyConnection, column: str, values: list[str], fields: set[str]) -> None:
    """The loss reason of deals whose ``column`` holds one of ``values``, where they have none."""
    if "loss_reason" not in fields:
        con.execute("alter table deals add column loss_reason varchar")
        fields.add("loss_reason")
    con.execute("create temp table reason_words(v varchar)")
    con.executemany("insert into reason_words values (?)", [(x,) for x in values])
    con.execute(
        f"update deals set loss_reason = {column} "
        f"where loss_reason is null and {column} in (select v from reason_words)"
    )
    con.execute("drop table reason_words")


def layout_rows(
    con: duckdb.DuckDBPyConnection,
    first: str | None,
    stage_header: str,
    rules: SkipRows,
    report: ImportReport,
    title: str,
) -> None:
    """Skip the rows of a board layout that are not deals (monday.com): a repeated header row, a
    group's title row (only its first cell filled), a subitem block (a row whose first cell is
    the subitems marker and the rows after it with an empty first cell). ``first`` is the typed
    column of the file's first column (None when it is not read). Skipped rows are counted, not
    rejected: they were never deals."""
    conds = []
    if rules.repeated_headers:
        conds.append(f"trim(stage) = {v.lit(stage_header)}")
    cols = [c for c in deal_columns(con) if c != "line" and not c.endswith("__raw") and not c.endswith("__any")]
    if rules.group_titles and first:
        others = " and ".join(f"{c} is null" for c in cols if c != first) or "true"
        conds.append(f"({first} is not null and {others})")
    if rules.subitems and first:
        marker = v.lit(rules.subitems)
        con.execute(
            f"create temp table sub_lines as select line from (select line, {first} as f, last_value({first} ignore "
            f"nulls) over (order by line rows between unbounded preceding and current row) as block from deals) "
            f"where block = {marker} and (f is null or f = {marker})"
        )
        conds.append("line in (select line from sub_lines)")
    if not conds:
        return
    where = " or ".join(conds)
    n = con.execute(f"select count(*) from deals where {where}").fetchall()[0][0]
    if n:
        con.execute(f"delete from deals where {where}")
        report.rows_skipped += n
        report.warnings.append(
            f"{n:,} row(s) of the {title} layout skipped, not deals: group titles, repeated headers and subitems"
        )
    con.execute("drop table if exists sub_lines")


# HubSpot's 'Date entered "Appointment Scheduled (Sales Pipeline)"': the stage, then its pipeline
_ENTERED = re.compile(r'^date entered\s*"?(?P<stage>.+?)(\s*\([^()]*\))?"?\s*$', re.IGNORECASE)


def date_entered(
    con: duckdb.DuckDBPyConnection, table: RawTable, key_column: str, dayfirst: bool, report: ImportReport
) -> bool:
    """A stage history (table ``history``) from one "Date entered <stage>" column per stage, as
    HubSpot exports them: each filled cell is the deal's entry into that stage. False when the
    file has no such column or none matches a deal."""
    found = [(c, m.group("stage").strip()) for c in table.columns if (m := _ENTERED.match(c))]
    if not found:
        return False
    import pyarrow as pa

    cells = dict(zip(table.columns, table.rows.columns, strict=True))
    arrays = {"k": pa.array(cells[key_column], pa.string())}
    arrays.update({f"c{i}": pa.array(cells[c], pa.string()) for i, (c, _) in enumerate(found)})
    plan = v.plan_dates(con, [x for c, _ in found for x in column_sample(table, c)], dayfirst)
    con.register("entered_src", pa.table(arrays))
    parts = [
        f"select nullif(trim(k), '') as opportunity_id, {v.lit(stage)} as stage, "
        f"{v.date_sql(f'c{i}', plan)} as entered_at from entered_src"
        for i, (_, stage) in enumerate(found)
    ]
    con.execute(
        "create table history as select * from (" + " union all ".join(parts) + ") "
        "where opportunity_id in (select opportunity_id from deals) and entered_at is not null"
    )
    con.unregister("entered_src")
    n = con.execute("select count(*) from history").fetchall()[0][0]
    if not n:
        con.execute("drop table history")
        return False
    report.warnings.append(
        f"stage history from {len(found)} 'Date entered' columns: {n:,} stage entries (time in stage, and the stage "
        "each lost deal was lost at)"
    )
    return True
