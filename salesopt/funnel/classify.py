"""Classification in SQL: what a stage map makes of each deal of the typed opportunity table
(status open/won/lost, its stage in the funnel, the stage a lost deal was lost at, how far it
got: :func:`classified_sql`), and the per-deal expressions the figures share (the sales cycle in
days, :data:`CYCLE_DAYS`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from salesopt.crm.fields import STATUS_LOST, STATUS_OPEN, STATUS_WON
from salesopt.crm.values import lit, q
from salesopt.funnel.stages import StageMap

# Calendar days from creation to close (METRICS.md §2): date_diff counts the day boundaries crossed,
# so a deal created at 17:00 and won at 09:00 the next day took one day, and one closed the same day
# took none, whatever the hours (the same as casting both to dates, without the two casts per row)
CYCLE_DAYS = "date_diff('day', created_date, close_date)"

DERIVED = ("stage_index", "furthest", "furthest_closed", "size_band")


def case_sql(column: str, mapping: Mapping[str, str | int], otherwise: str = "null") -> str:
    """A SQL ``case`` on ``column``: each key (a text, quoted here) gives its value (SQL as written)."""
    if not mapping:
        return otherwise
    whens = " ".join(f"when {lit(k)} then {v}" for k, v in mapping.items())
    return f"case {column} {whens} else {otherwise} end"


def classified_sql(
    source: str,
    stage_map: StageMap,
    fields: Sequence[str],
    stage_values: Sequence[str],
    history: str | None = None,
) -> str:
    """SELECT of ``source`` (columns ``fields``) with status (open/won/lost), stage_index (the
    deal's stage in the funnel, NULL outside it), lost_at_stage (lost deals: the column, else
    the history's last open stage, else the deal's own stage when that is an open funnel stage,
    as Pipedrive keeps it), furthest (METRICS.md §3: the current stage for open deals, the last
    for won, lost_at_stage for lost; NULL when unknown) and furthest_closed (furthest, with a
    lost deal of unknown stage counted as lost at the last open stage)."""
    funnel = stage_map.funnel
    last = len(funnel) - 1
    by_value: dict[str, int] = {}
    won_values, lost_values = [], []
    for s in stage_values:
        pos = stage_map.position(s)
        if pos is not None:
            by_value[s] = pos
        if stage_map.is_won(s):
            won_values.append(s)
        elif stage_map.is_lost(s):
            lost_values.append(s)
    status = case_sql("d.stage", {**{s: "'won'" for s in won_values}, **{s: "'lost'" for s in lost_values}}, "'open'")
    if "is_closed" in fields:
        won_flag = "d.is_won" if "is_won" in fields else f"({status}) = 'won'"
        status = (
            f"case when d.is_closed is null then {status} when d.is_closed and coalesce({won_flag}, false) "
            f"then 'won' when d.is_closed then 'lost' else 'open' end"
        )
    elif "is_won" in fields:
        status = f"case when d.is_won then 'won' else {status} end"
    if "status" in fields:
        s_ = "lower(trim(d.status))"
        status = (
            f"case when {s_} in {tuple(sorted(STATUS_WON))} then 'won' when {s_} in {tuple(sorted(STATUS_LOST))} "
            f"then 'lost' when {s_} in {tuple(sorted(STATUS_OPEN))} then 'open' else {status} end"
        )
    open_values = {s: i for s, i in by_value.items() if i < last}
    lost_at = []
    if "lost_at_stage" in fields:
        lost_at.append("d.lost_at_stage")
    if history:
        lost_at.append("h.lost_at")
    lost_at.append(case_sql("d.stage", {s: lit(s) for s in open_values}))
    join = ""
    if history:
        names = ", ".join(lit(s) for s in open_values) or "null"
        join = (
            f" left join (select opportunity_id as h_id, arg_max(stage, entered_at) as lost_at from {history} "
            f"where stage in ({names}) group by 1) h on d.opportunity_id = h.h_id"
        )
    keep = ", ".join(f"d.{q(c)}" for c in fields if c not in ("status", "lost_at_stage", *DERIVED))
    base = (
        f"select {keep}, {status} as status, {case_sql('d.stage', by_value)} as stage_index, "
        f"coalesce({', '.join(lost_at)}) as lost_any from {source} d{join}"
    )
    mid = f"select * exclude (lost_any), case when status = 'lost' then lost_any end as lost_at_stage from ({base})"
    lost_index = case_sql("lost_at_stage", open_values) if open_values else "null::integer"
    return (
        f"select * exclude (lost_index), "
        f"case status when 'won' then {last} when 'lost' then lost_index else stage_index end as furthest, "
        f"case status when 'won' then {last} when 'lost' then coalesce(lost_index, {max(last - 1, 0)}) "
        f"else stage_index end as furthest_closed "
        f"from (select *, {lost_index} as lost_index from ({mid}))"
    )
