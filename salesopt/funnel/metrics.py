"""The outcome and funnel figures of METRICS.md §2 and §3 over classified deals, computed by
DuckDB in one grouped aggregate (:func:`analyze_sql`), with its :class:`Options`, the weight
each open deal is counted at in the weighted pipeline, and the time spent in each stage of a
stage history (:func:`time_in_stage`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from salesopt.funnel.classify import CYCLE_DAYS, case_sql
from salesopt.funnel.figures import Analysis, Leak, StageRow, WinRateBasis, ratio
from salesopt.funnel.stages import StageMap

if TYPE_CHECKING:  # the engine and the content schemas are loaded by the caller
    import duckdb

    from salesopt.content.frameworks import BenchmarkSet

YEAR_DAYS = 365  # "the last 12 months" are the 365 days ending on the as-of date


@lru_cache(maxsize=1)
def _shipped_weights() -> tuple[tuple[str, float], ...]:
    from salesopt.content.frameworks import load_kind

    kits, _ = load_kind("performance")
    kit = next(iter(kits.values()), None)
    return tuple((name.lower(), float(w)) for name, w in kit.category_weights.items()) if kit is not None else ()


def shipped_category_weights() -> dict[str, float]:
    """Lower-case forecast category -> weight, as frameworks/performance gives it (the only place
    the weights are set); empty when that file did not load."""
    return dict(_shipped_weights())


def _n(x: int) -> str:
    return f"{x:,}"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


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
    # the date the figures are taken at (METRICS-local.md "The as-of date"); None: from the export
    as_of: date | None = None


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
        parts.append(case_sql("stage", {s: repr(float(p)) for s, p in defaults.items()}))
    if "forecast_category" in fields:
        if category_values is None:
            parts.append(case_sql("lower(trim(forecast_category))", {k: repr(float(w)) for k, w in weights.items()}))
        else:  # the same weights, without lowering and trimming every row's text
            known = {c: weights[c.strip().lower()] for c in category_values if c.strip().lower() in weights}
            parts.append(case_sql("forecast_category", {k: repr(float(w)) for k, w in known.items()}))
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
    weights = options.category_weights if options.category_weights is not None else shipped_category_weights()
    p_in = _weights_sql(stage_map, stage_values, fields, weights, options.category_values)
    # each per-deal expression is computed once, below the aggregates that read it; grouped by
    # status and how far each deal got (a few dozen groups), so the counts and sums need no
    # per-row filter on the status. Won deals all got to the last stage: they are one group, so
    # their mean and median cycle are that group's (filtered to it, so no other group sorts its cycles).
    amount_in = "amount" if has_amount else "null::double"
    cycle_in = CYCLE_DAYS if has_cycle else "null::bigint"
    close = "close_date" if "close_date" in fields else "null::timestamp as close_date"
    created = "created_date" if "created_date" in fields else "null::timestamp as created_date"
    groups = con.execute(
        f"""select status, furthest, furthest_closed, count(*),
            sum(amount), count(amount), count(*) filter (where amount > 0),
            avg(cycle) filter (where status = 'won' and cycle >= 0),
            median(cycle) filter (where status = 'won' and cycle >= 0),
            count(cycle) filter (where cycle >= 0), count(*) filter (where cycle < 0),
            sum(amount * p) filter (where p is not null), count(*) filter (where p is not null and amount is not null),
            min(close_date), max(close_date), min(created_date), max(created_date)
        from (select status, furthest, furthest_closed, {close}, {created}, {amount_in} as amount,
              {cycle_in} as cycle, {p_in} as p from ({classified})) group by all"""
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
    closed_groups = [*won, *by_status["lost"]]
    events = [_day(g[14]) for g in closed_groups if g[14] is not None] + [_day(g[16]) for g in groups if g[16]]
    starts = [_day(g[13]) for g in closed_groups if g[13] is not None] + [_day(g[15]) for g in groups if g[15]]
    if history:
        h_first, h_last = con.execute(f"select min(entered_at), max(entered_at) from {history}").fetchall()[0]
        events += [_day(h_last)] if h_last is not None else []
        starts += [_day(h_first)] if h_first is not None else []
    data_as_of = max(events) if events else None
    as_of = options.as_of or data_as_of
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
    won_revenue = float(won_sum or 0) if has_amount and (won_n_amt or not n_won) else None
    if not has_amount:
        reasons["won_revenue"] = money_missing
    win_rate_value = None
    if not has_amount:
        reasons["win_rate_value"] = money_missing
    elif n_closed == 0:
        reasons["win_rate_value"] = "no closed deals yet"
    elif n_won and not won_n_amt:
        reasons["win_rate_value"] = f"none of the {_n(n_won)} won deals carries an amount"
    elif n_lost and not lost_pos:
        reasons["win_rate_value"] = f"all {_n(n_lost)} lost deals have no amount above 0"
        warnings.append(f"all {_n(n_lost)} lost deals have no amount above 0: value win rate undefined")
    else:
        win_rate_value = ratio(won_sum or 0, (won_sum or 0) + (lost_sum or 0))
        if win_rate_value is None:
            reasons["win_rate_value"] = "closed deals carry no amount"
        rests["win_rate_value"] = f"{_n(won_n_amt + lost_n_amt)} of {_plural(n_closed, 'closed deal')} with an amount"
    twelve = _last_12_months(
        con, classified, as_of, min(starts) if starts else None, has_amount, "close_date" in fields
    )
    if as_of is None:
        reasons["as_of"] = "the export has no created, close or stage-change date"
    else:
        rests["as_of"] = (
            "set for this assessment"
            if options.as_of
            else "the latest created date, won or lost close date or stage change in the export"
        )
    if twelve.reason:
        reasons["won_revenue_last_12_months"] = twelve.reason
    else:
        rests["won_revenue_last_12_months"] = twelve.basis
    if has_amount and n_won and not won_n_amt:
        reasons["won_revenue"] = f"none of the {_n(n_won)} won deals carries an amount"
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
        reasons["required_coverage"] = (
            ("no won deals yet" if n_won == 0 else "the won deals carry no amount")
            if basis == 0
            else "win rate undefined"
        )
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
            if bench is not None and conv > 0 and shortfall and shortfall > 0 and won_n_amt and won_revenue is not None:
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
        as_of=as_of,
        won_revenue_last_12_months=twelve.revenue,
        won_last_12_months=twelve.wins,
        window_days=twelve.days,
    )


@dataclass(frozen=True)
class _Twelve:
    revenue: float | None  # won amounts closed in the 365 days ending on the as-of date
    wins: int | None  # won deals closed in them
    days: int | None  # days of the window the export covers (365 unless it starts later)
    basis: str = ""
    reason: str = ""


def _last_12_months(
    con: duckdb.DuckDBPyConnection,
    classified: str,
    as_of: date | None,
    first: date | None,
    has_amount: bool,
    has_close: bool,
) -> _Twelve:
    """Won revenue, last 12 months (METRICS.md §1b): won deals whose close date falls in the 365
    days ending on the as-of date."""
    if as_of is None:
        return _Twelve(None, None, None, reason="no as-of date (the export has no dates)")
    if not has_close:
        return _Twelve(None, None, None, reason="no close date column")
    start = as_of - timedelta(days=YEAR_DAYS - 1)
    covered = start if first is None else max(start, first)
    days = (as_of - covered).days + 1
    amount = "amount" if has_amount else "null::double"
    wins, with_amount, total = con.execute(
        f"select count(*), count({amount}), sum({amount}) from ({classified}) where status = 'won' "
        "and cast(close_date as date) between ? and ?",
        [start, as_of],
    ).fetchall()[0]
    window = f"{start:%Y-%m-%d} to {as_of:%Y-%m-%d}"
    if not has_amount:
        return _Twelve(None, int(wins), days, reason="no usable amount column")
    if wins and not with_amount:
        return _Twelve(None, int(wins), days, reason=f"none of the {_n(wins)} deals won {window} carries an amount")
    text = f"{_n(with_amount)} of {_plural(int(wins), 'deal')} won {window} with an amount"
    if days < YEAR_DAYS:
        text += f"; the export covers {_plural(days, 'day')} of them"
    return _Twelve(float(total or 0.0), int(wins), days, basis=text)
