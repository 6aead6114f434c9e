"""Stage 2 figures in SQL: what a stage map makes of each deal (status, furthest stage) and
every outcome and funnel figure of METRICS.md §2 and §3, computed by DuckDB over the typed
opportunity table. The app, the command line and the plan all read these; nothing else
computes them.

A figure that cannot be computed is ``None`` with a one-line reason; every figure says on
how many deals it rests ("cycle: 4,120 of 4,238 won deals; 118 have no readable close date").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from salesopt.crm.fields import STATUS_LOST, STATUS_OPEN, STATUS_WON
from salesopt.crm.values import lit, q
from salesopt.funnel.stages import StageMap

if TYPE_CHECKING:  # the engine, the import and the content schemas are loaded by the caller
    import duckdb

    from salesopt.content.frameworks import BenchmarkSet
    from salesopt.crm.importer import ImportReport

CATEGORY_WEIGHTS = {"commit": 0.9, "best case": 0.7, "pipeline": 0.5, "omitted": 0.0}
SMALL_GROUP = 10  # closed deals below which a cohort's win rate is marked as small
MIN_SPAN_DAYS = 30  # won deals spread over fewer days than this do not say what a year holds
WinRateBasis = Literal["closed", "all"]


def ratio(num: float | None, den: float | None) -> float | None:
    return None if den is None or num is None or den == 0 else float(num) / float(den)


def _n(x: int) -> str:
    return f"{x:,}"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


@dataclass(frozen=True)
class StageRow:
    stage: str
    reached: int
    conversion_to_next: float | None
    benchmark: float | None = None
    shortfall: float | None = None
    time_mean_days: float | None = None
    time_median_days: float | None = None


@dataclass(frozen=True)
class Leak:
    from_stage: str
    to_stage: str
    conversion: float
    benchmark: float | None
    shortfall: float | None
    revenue_at_stake: float | None
    source: str = ""


@dataclass
class Analysis:
    opportunities: int
    won: int
    lost: int
    open: int
    win_rate: float | None
    win_rate_basis: WinRateBasis
    win_rate_value: float | None
    avg_deal_size: float | None
    won_revenue: float | None
    cycle_days_mean: float | None
    cycle_days_median: float | None
    pipeline_value: float | None
    weighted_pipeline: float | None
    target: float | None
    coverage_ratio: float | None
    required_coverage: float | None
    sales_velocity_per_day: float | None
    stages: list[StageRow]
    biggest_leak: Leak | None
    leaks: list[Leak]
    closed_only: bool
    unknown_lost_stage: int
    reasons: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    rests_on: dict[str, str] = field(default_factory=dict)
    currency: str | None = None
    won_span_days: float | None = None  # first to last won close date, in calendar days

    @property
    def sales_velocity_per_30_days(self) -> float | None:
        v = self.sales_velocity_per_day
        return None if v is None else v * 30

    @property
    def per_year(self) -> float | None:
        """The factor that turns an amount won over the export's span into a year's worth:
        365 / span days; undefined below 30 days of won deals (too short to say what a year holds)."""
        span = self.won_span_days
        return None if span is None or span < MIN_SPAN_DAYS else 365 / span

    @property
    def won_revenue_per_year(self) -> float | None:
        """Won revenue annualised on the export's span of won close dates."""
        f = self.per_year
        return None if f is None or self.won_revenue is None else self.won_revenue * f


# ---- classification ----------------------------------------------------------------------------


def _case(column: str, mapping: Mapping[str, str | int], otherwise: str = "null") -> str:
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
    status = _case("d.stage", {**{s: "'won'" for s in won_values}, **{s: "'lost'" for s in lost_values}}, "'open'")
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
    lost_at.append(_case("d.stage", {s: lit(s) for s in open_values}))
    join = ""
    if history:
        names = ", ".join(lit(s) for s in open_values) or "null"
        join = (
            f" left join (select opportunity_id as h_id, arg_max(stage, entered_at) as lost_at from {history} "
            f"where stage in ({names}) group by 1) h on d.opportunity_id = h.h_id"
        )
    keep = ", ".join(f"d.{q(c)}" for c in fields if c not in ("status", "lost_at_stage", *DERIVED))
    base = (
        f"select {keep}, {status} as status, {_case('d.stage', by_value)} as stage_index, "
        f"coalesce({', '.join(lost_at)}) as lost_any from {source} d{join}"
    )
    mid = f"select * exclude (lost_any), case when status = 'lost' then lost_any end as lost_at_stage from ({base})"
    lost_index = _case("lost_at_stage", open_values) if open_values else "null::integer"
    return (
        f"select * exclude (lost_index), "
        f"case status when 'won' then {last} when 'lost' then lost_index else stage_index end as furthest, "
        f"case status when 'won' then {last} when 'lost' then coalesce(lost_index, {max(last - 1, 0)}) "
        f"else stage_index end as furthest_closed "
        f"from (select *, {lost_index} as lost_index from ({mid}))"
    )


# Calendar days from creation to close (METRICS.md §2): date_diff counts the day boundaries crossed,
# so a deal created at 17:00 and won at 09:00 the next day took one day, and one closed the same day
# took none, whatever the hours (the same as casting both to dates, without the two casts per row)
CYCLE_DAYS = "date_diff('day', created_date, close_date)"

DERIVED = ("stage_index", "furthest", "furthest_closed", "size_band")


# ---- figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    target: float | None = None
    closed_only: bool = False
    win_rate_basis: WinRateBasis = "closed"
    category_weights: Mapping[str, float] | None = None
    money_unusable: str | None = None  # why amounts cannot be summed (several currencies), if so
    # the forecast category values as written, when known: each is matched to its weight here
    # (case and spaces ignored) so the SQL compares the values as they are, row by row
    category_values: tuple[str, ...] | None = None


def _weights_sql(
    stage_map: StageMap,
    stage_values: Sequence[str],
    fields: Sequence[str],
    weights: Mapping[str, float],
    category_values: Sequence[str] | None = None,
) -> str:
    parts = []
    if "probability" in fields:
        parts.append("probability")
    defaults = {s: p for s in stage_values if (p := stage_map.probability(s)) is not None}
    if defaults:
        parts.append(_case("stage", {s: repr(float(p)) for s, p in defaults.items()}))
    if "forecast_category" in fields:
        if category_values is None:
            parts.append(_case("lower(trim(forecast_category))", {k: repr(float(w)) for k, w in weights.items()}))
        else:  # the same weights, without lowering and trimming every row's text
            known = {c: weights[c.strip().lower()] for c in category_values if c.strip().lower() in weights}
            parts.append(_case("forecast_category", {k: repr(float(w)) for k, w in known.items()}))
    return f"coalesce({', '.join(parts)})" if parts else "null::double"


def time_in_stage(con: duckdb.DuckDBPyConnection, history: str | None) -> dict[str, tuple[float, float]]:
    """Days from entering a stage to entering the next, per stage: (mean, median)."""
    if not history:
        return {}
    rows = con.execute(
        f"select stage, avg(d), median(d) from (select stage, date_diff('second', entered_at, lead(entered_at) "
        f"over (partition by opportunity_id order by entered_at)) / 86400.0 as d from {history}) "
        f"where d is not null group by 1"
    ).fetchall()
    return {s: (float(m), float(md)) for s, m, md in rows}


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def analyze_sql(
    con: duckdb.DuckDBPyConnection,
    classified: str,
    stage_map: StageMap,
    fields: Sequence[str],
    stage_values: Sequence[str],
    options: Options = Options(),
    benchmark: BenchmarkSet | None = None,
    history: str | None = None,
) -> Analysis:
    """Every METRICS.md §2 and §3 figure of the classified deals (see :func:`classified_sql`)."""
    reasons: dict[str, str] = {}
    warnings: list[str] = []
    rests: dict[str, str] = {}
    has_amount = "amount" in fields and options.money_unusable is None
    has_cycle = "created_date" in fields and "close_date" in fields
    weights = options.category_weights or CATEGORY_WEIGHTS
    p_in = _weights_sql(stage_map, stage_values, fields, weights, options.category_values)
    # each per-deal expression is computed once, below the aggregates that read it; grouped by
    # status and how far each deal got (a few dozen groups), so no aggregate needs a per-row
    # filter on the status. Won deals all got to the last stage: they are one group, which is
    # why their mean and median cycle can be taken per group.
    amount_in = "amount" if has_amount else "null::double"
    cycle_in = CYCLE_DAYS if has_cycle else "null::bigint"
    close = "close_date" if "close_date" in fields else "null::timestamp as close_date"
    groups = con.execute(
        f"""select status, furthest, furthest_closed, count(*),
            sum(amount), count(amount), count(*) filter (where amount > 0),
            avg(cycle) filter (where status = 'won' and cycle >= 0),
            median(cycle) filter (where status = 'won' and cycle >= 0),
            count(cycle) filter (where cycle >= 0), count(*) filter (where cycle < 0),
            sum(amount * p) filter (where p is not null), count(*) filter (where p is not null and amount is not null),
            min(close_date), max(close_date)
        from (select status, furthest, furthest_closed, {close}, {amount_in} as amount, {cycle_in} as cycle,
              {p_in} as p from ({classified})) group by all"""
    ).fetchall()
    by_status: dict[str, list[tuple[Any, ...]]] = {"won": [], "lost": [], "open": []}
    for g in groups:
        by_status[g[0]].append(g)

    def total(status: str, i: int) -> Any:
        """Column ``i`` summed over the groups of ``status`` (None where every group's is None)."""
        values = [g[i] for g in by_status[status] if g[i] is not None]
        return sum(values) if values else None

    won = by_status["won"]
    n_won, n_lost, n_open = (total(k, 3) or 0 for k in ("won", "lost", "open"))
    n = n_won + n_lost + n_open
    won_sum, won_n_amt = total("won", 4), total("won", 5) or 0
    lost_sum, lost_n_amt, lost_pos = total("lost", 4), total("lost", 5) or 0, total("lost", 6) or 0
    pipe_sum, open_n_amt = total("open", 4), total("open", 5) or 0
    if len(won) == 1:
        cyc_mean, cyc_median = won[0][7], won[0][8]
    elif not won:
        cyc_mean = cyc_median = None
    else:  # won deals said to have got to different stages (a frame classified by hand)
        cyc_mean, cyc_median = con.execute(
            f"select avg(cycle), median(cycle) from (select status, {cycle_in} as cycle from ({classified})) "
            "where status = 'won' and cycle >= 0"
        ).fetchall()[0]
    cyc_n, cyc_neg = total("won", 9) or 0, total("won", 10) or 0
    weighted_sum, weighted_n = total("open", 11), total("open", 12) or 0
    unknown_lost = sum(g[3] for g in by_status["lost"] if g[1] is None)
    first = [_day(g[13]) for g in won if g[13] is not None]
    last_ = [_day(g[14]) for g in won if g[14] is not None]
    span_days = (max(last_) - min(first)).days if first and last_ else None  # calendar days, as date_diff counts
    reach_column = 2 if options.closed_only else 1
    counts = dict.fromkeys(range(len(stage_map.funnel)), 0)
    for g in groups:
        if g[reach_column] is not None and not (options.closed_only and g[0] == "open"):
            counts[g[reach_column]] = counts.get(g[reach_column], 0) + g[3]
    n_closed = n_won + n_lost

    # outcome metrics (METRICS.md §2)
    if options.win_rate_basis == "all":
        win_rate = ratio(n_won, n)
        if win_rate is None:
            reasons["win_rate"] = "no opportunities"
        rests["win_rate"] = f"{_n(n_won)} won of {_plural(n, 'opportunity', 'opportunities')}"
    else:
        win_rate = ratio(n_won, n_closed)
        if win_rate is None:
            reasons["win_rate"] = "no closed deals yet"
        rests["win_rate"] = f"{_n(n_won)} won of {_plural(n_closed, 'closed deal')}"
    money_missing = options.money_unusable or "no amount column"
    won_revenue = float(won_sum or 0) if has_amount else None
    if not has_amount:
        reasons["won_revenue"] = money_missing
    win_rate_value = None
    if not has_amount:
        reasons["win_rate_value"] = money_missing
    elif n_closed == 0:
        reasons["win_rate_value"] = "no closed deals yet"
    elif n_lost and not lost_pos:
        reasons["win_rate_value"] = f"all {_n(n_lost)} lost deals have no amount above 0"
        warnings.append(f"all {_n(n_lost)} lost deals have no amount above 0: value win rate undefined")
    else:
        win_rate_value = ratio(won_sum or 0, (won_sum or 0) + (lost_sum or 0))
        if win_rate_value is None:
            reasons["win_rate_value"] = "closed deals carry no amount"
        rests["win_rate_value"] = f"{_n(won_n_amt + lost_n_amt)} of {_plural(n_closed, 'closed deal')} with an amount"
    avg_deal = ratio(won_sum, won_n_amt) if has_amount else None
    if avg_deal is None:
        reasons["avg_deal_size"] = "no won deal with an amount" if has_amount else money_missing
    if has_amount:
        rests["avg_deal_size"] = f"{_n(won_n_amt)} of {_plural(n_won, 'won deal')} with an amount"
        if n_won > won_n_amt:
            rests["avg_deal_size"] += f"; {_n(n_won - won_n_amt)} have none"

    cycle_mean = cycle_median = None
    if has_cycle:
        if cyc_n:
            cycle_mean, cycle_median = float(cyc_mean), float(cyc_median)
        elif cyc_neg:
            reasons["cycle_days"] = "every won deal closes before it was created (a data issue in the export)"
        else:
            reasons["cycle_days"] = "no won deal with both a created and a close date"
        if cyc_neg:
            warnings.append(
                f"{_plural(cyc_neg, 'won deal')} close{'s' if cyc_neg == 1 else ''} before "
                f"{'it was' if cyc_neg == 1 else 'they were'} created: left out of the sales cycle"
            )
        missing = n_won - cyc_n - cyc_neg
        text = f"{_n(cyc_n)} of {_plural(n_won, 'won deal')}"
        if missing:
            text += f"; {_n(missing)} {'has' if missing == 1 else 'have'} no readable created or close date"
        if cyc_neg:
            text += f"; {_n(cyc_neg)} close before created"
        rests["cycle_days"] = text
    else:
        missing_cols = [c for c in ("created_date", "close_date") if c not in fields]
        reasons["cycle_days"] = f"no {' or '.join(c.replace('_date', ' date') for c in missing_cols)} column"

    pipeline_value = weighted = None
    if not has_amount:
        reasons["pipeline_value"] = reasons["weighted_pipeline"] = money_missing
    elif n_open == 0:
        pipeline_value = weighted = 0.0
        rests["pipeline_value"] = "no open deals"
    elif not open_n_amt:
        reasons["pipeline_value"] = f"none of the {_n(n_open)} open deals carries an amount"
        reasons["weighted_pipeline"] = reasons["pipeline_value"]
    else:
        pipeline_value = float(pipe_sum or 0)
        rests["pipeline_value"] = f"{_n(open_n_amt)} of {_plural(n_open, 'open deal')} with an amount"
        if weighted_n:
            weighted = float(weighted_sum or 0)
            rests["weighted_pipeline"] = (
                f"{_n(weighted_n)} of {_plural(n_open, 'open deal')} with an amount and a probability "
                "(the deal's own, else its stage's default, else its forecast category's weight)"
            )
            if weighted_n < open_n_amt:
                warnings.append(
                    f"{_plural(open_n_amt - weighted_n, 'open deal')} with an amount but no probability, stage "
                    "default or forecast category: left out of the weighted pipeline"
                )
        else:
            reasons["weighted_pipeline"] = "no open deal has a probability, a stage default or a forecast category"

    target = options.target
    coverage = None
    if target is None:
        reasons["coverage_ratio"] = "no revenue target given"
    elif target <= 0:
        reasons["coverage_ratio"] = "the target is 0"
    elif pipeline_value is None:
        reasons["coverage_ratio"] = reasons.get("pipeline_value", "no open pipeline value")
    else:
        coverage = pipeline_value / target
    basis = win_rate_value if win_rate_value is not None else ratio(n_won, n_closed)
    required = ratio(1.0, basis) if basis else None
    if required is None:
        reasons["required_coverage"] = "no won deals yet" if basis == 0 else "win rate undefined"
    velocity = None
    if win_rate is None or avg_deal is None or not cycle_mean:
        reasons["sales_velocity"] = "needs win rate, average deal size and a sales cycle above 0 days"
    else:
        velocity = n_open * win_rate * avg_deal / cycle_mean

    # funnel (METRICS.md §3)
    funnel = stage_map.funnel
    reached, acc = [0] * len(funnel), 0
    for k in range(len(funnel) - 1, -1, -1):
        acc += int(counts.get(k, 0))
        reached[k] = acc
    if unknown_lost:
        if options.closed_only and len(funnel) > 1:
            warnings.append(
                f"{_plural(unknown_lost, 'lost deal')} with no known stage: counted as lost at {funnel[-2]} "
                "in the closed-deal conversions (earlier conversions are upper bounds)"
            )
        else:
            warnings.append(
                f"{_plural(unknown_lost, 'lost deal')} with no known stage they were lost at: "
                "left out of stage conversions"
            )
    times = time_in_stage(con, history)
    rows: list[StageRow] = []
    leaks: list[Leak] = []
    for k, stage in enumerate(funnel):
        conv = ratio(reached[k + 1], reached[k]) if k + 1 < len(funnel) else None
        bench = src = None
        if benchmark is not None and k + 1 < len(funnel):
            from salesopt.content.benchmarks import conversion_benchmark  # the schema library only when asked

            hit = conversion_benchmark(benchmark, stage, funnel[k + 1])
            if hit is not None:
                bench, src = hit
        shortfall = None if bench is None or conv is None else bench - conv
        t = times.get(stage)
        rows.append(StageRow(stage, reached[k], conv, bench, shortfall, t[0] if t else None, t[1] if t else None))
        if conv is not None and k + 1 < len(funnel):
            stake = None
            if bench is not None and conv > 0 and shortfall is not None and shortfall > 0 and won_revenue is not None:
                stake = won_revenue * (bench / conv - 1)
            leaks.append(Leak(stage, funnel[k + 1], conv, bench, shortfall, stake, src or ""))
    below = [lk for lk in leaks if lk.shortfall is not None and lk.shortfall > 0]
    if below:
        biggest: Leak | None = max(below, key=lambda lk: lk.shortfall or 0)
    elif leaks:
        biggest = min(leaks, key=lambda lk: lk.conversion)
    else:
        biggest = None
    return Analysis(
        opportunities=n,
        won=n_won,
        lost=n_lost,
        open=n_open,
        win_rate=win_rate,
        win_rate_basis=options.win_rate_basis,
        win_rate_value=win_rate_value,
        avg_deal_size=avg_deal,
        won_revenue=won_revenue,
        cycle_days_mean=cycle_mean,
        cycle_days_median=cycle_median,
        pipeline_value=pipeline_value,
        weighted_pipeline=weighted,
        target=target,
        coverage_ratio=coverage,
        required_coverage=required,
        sales_velocity_per_day=velocity,
        stages=rows,
        biggest_leak=biggest,
        leaks=below,
        closed_only=options.closed_only,
        unknown_lost_stage=int(unknown_lost),
        reasons=reasons,
        warnings=warnings,
        rests_on=rests,
        won_span_days=None if span_days is None else float(span_days),
    )


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
    rows = con.execute(
        f"""select coalesce(cast({q(key)} as varchar), '(blank)') as k, count(*),
            count(*) filter (where status = 'won'), count(*) filter (where status = 'lost'),
            count(*) filter (where status = 'open'),
            avg({amount}) filter (where status = 'won'),
            median({cycle}) filter (where status = 'won' and {cycle} >= 0)
        from ({classified}) group by 1 order by 2 desc, 1"""
    ).fetchall()
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


def as_json(a: Analysis, report: ImportReport, owners: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The command line's JSON object: rates as fractions, undefined as null, every line accounted
    for (rows_read = rows_kept + rows_rejected)."""
    leak = a.biggest_leak
    return {
        "rows_read": report.rows_read,
        "rows_kept": report.rows_kept,
        "rows_rejected": report.rows_rejected,
        "rejected": [{"line": r.line, "reason": r.reason} for r in report.rejected[:100]],
        "cells_emptied": [
            {"line": c.line, "column": c.column, "field": c.field, "value": c.value, "reason": c.reason}
            for c in report.cells_emptied[:100]
        ],
        "cells_emptied_by_field": dict(report.emptied_by_field),
        "mapping": report.mapping,
        "header_line": report.header_line,
        "sheet": report.sheet,
        "long_format": report.long_format,
        "currency": report.currency,
        "opportunities": a.opportunities,
        "won": a.won,
        "lost": a.lost,
        "open": a.open,
        "win_rate": a.win_rate,
        "win_rate_basis": a.win_rate_basis,
        "win_rate_value": a.win_rate_value,
        "avg_deal_size": a.avg_deal_size,
        "won_revenue": a.won_revenue,
        "cycle_days_mean": a.cycle_days_mean,
        "cycle_days_median": a.cycle_days_median,
        "pipeline_value": a.pipeline_value,
        "weighted_pipeline": a.weighted_pipeline,
        "coverage_ratio": a.coverage_ratio,
        "required_coverage": a.required_coverage,
        "sales_velocity_per_day": a.sales_velocity_per_day,
        "stages": [
            {
                "stage": s.stage,
                "reached": s.reached,
                "conversion_to_next": s.conversion_to_next,
                "benchmark": s.benchmark,
                "time_in_stage_days_median": s.time_median_days,
            }
            for s in a.stages
        ],
        "by_owner": [
            {
                "owner": r["owner"],
                "opportunities": r["opportunities"],
                "won": r["won"],
                "lost": r["lost"],
                "open": r["open"],
                "win_rate": r["win_rate"],
                "avg_deal_size": r["avg_deal_size"],
            }
            for r in owners
        ],
        "biggest_leak": None
        if leak is None
        else {
            "from": leak.from_stage,
            "to": leak.to_stage,
            "conversion": leak.conversion,
            "benchmark": leak.benchmark,
            "shortfall": leak.shortfall,
            "revenue_at_stake": leak.revenue_at_stake,
        },
        "undefined": a.reasons,
        "rests_on": a.rests_on,
        "warnings": list(report.warnings) + a.warnings,
    }
