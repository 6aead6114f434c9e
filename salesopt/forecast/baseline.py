"""The What-if baseline, calibrated: today's funnel and team from the export where it has the figure,
Stage 1 answers where it is silent (and the reverse), each fallback said in a note; and the baseline's
yearly revenue reconciled with what was actually won in the export's last 12 months (or the yearly
revenue Stage 1 states).

Why closed deals only for the conversions: an open deal has not finished its path, so counting it as
"not converted" at its current stage makes every rate look lower than it is (the demo's export has
205 open deals of 620, and the funnel with them projects two thirds of what was booked). On closed
deals the product of the conversions is the closed win rate, and volume x that rate is the steady
number of wins a month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from salesopt.forecast.whatif import (
    BASELINE_FIELDS,
    DAYS_PER_MONTH,
    DEFAULT_ATTAINMENT_CAP,
    DEFAULT_RAMP_MONTHS,
    Baseline,
    outcome,
)
from salesopt.report import fmt

if TYPE_CHECKING:  # the assessment and the Stage 2 figures are only read here
    from salesopt.funnel.sql import Analysis
    from salesopt.model.assessment import Assessment

YEAR_DAYS = 365
RECONCILED_WITHIN = 0.05  # a baseline within 5% of the actual revenue needs no explanation


@dataclass(frozen=True)
class TwelveMonths:
    """Won revenue over the export's last 12 months (annualised when the export covers less)."""

    revenue: float  # a year's worth
    wins: float  # a year's worth
    start: pd.Timestamp
    end: pd.Timestamp  # the export's latest date (created or closed), not a future expected close
    days: int  # days the figure rests on (365 unless the export is shorter)

    @property
    def annualised(self) -> bool:
        return self.days < YEAR_DAYS

    @property
    def source(self) -> str:
        if self.annualised:
            return f"the export's {self.days:,} days ({self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}), annualised"
        return f"the export's last 12 months ({self.start:%Y-%m-%d} to {self.end:%Y-%m-%d})"


@dataclass(frozen=True)
class Reconciliation:
    """The baseline's projected yearly revenue against the actual one."""

    projected: float
    actual: float
    actual_source: str
    difference: float  # projected - actual
    sentence: str

    @property
    def share(self) -> float | None:
        return self.difference / self.actual if self.actual else None


@dataclass(frozen=True)
class _Funnel:
    """The funnel part of the baseline, before the overrides: stages, conversions, volume, win rate."""

    stages: tuple[str, ...]
    conversions: tuple[float, ...]
    volume: float | None
    win: float | None


@dataclass(frozen=True)
class Calibration:
    baseline: Baseline | None
    missing: tuple[str, ...]
    notes: tuple[str, ...]
    reconciliation: Reconciliation | None
    twelve_months: TwelveMonths | None

    @property
    def conversion_basis(self) -> str | None:
        """What the baseline's conversions rest on, as a sentence (the closed deals, unlike Stage
        2's funnel, which counts open deals too); None when no note says."""
        note = next((n for n in self.notes if n.startswith(("conversions", "volume and conversions"))), None)
        return None if note is None else note[0].upper() + note[1:] + "."


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def twelve_months(analysis: Analysis | None) -> TwelveMonths | None:
    """A year's won revenue as Stage 2 measures it (docs/METRICS-local.md "The as-of date"): won
    amounts closed in the 365 days to the as-of date; when the export covers fewer of those days,
    annualised. None without it (no amounts, no close dates, or fewer than 30 days)."""
    if analysis is None or analysis.won_revenue_year is None or analysis.as_of is None:
        return None
    days = analysis.window_days or YEAR_DAYS
    end = pd.Timestamp(analysis.as_of)
    start = end - pd.Timedelta(days=days - 1)
    scale = YEAR_DAYS / days if days < YEAR_DAYS else 1.0
    return TwelveMonths(analysis.won_revenue_year, float(analysis.won_last_12_months or 0) * scale, start, end, days)


def _closed_conversions(deals: pd.DataFrame | None, n_stages: int) -> tuple[tuple[float, ...], int, int] | None:
    """Stage k -> k+1 conversions among closed deals (reach = furthest_closed), with (won, closed)."""
    if deals is None or not {"status", "furthest_closed"} <= set(deals.columns):
        return None
    closed = deals[deals["status"].isin(["won", "lost"])]
    # every closed deal entered the funnel: a lost deal whose stage is unknown counts as lost at the first
    reach = closed["furthest_closed"].fillna(0).to_numpy()
    reached = [int((reach >= k).sum()) for k in range(n_stages)]
    if reached[0] == 0:
        return None
    conv = tuple(reached[k + 1] / reached[k] if reached[k] else 0.0 for k in range(n_stages - 1))
    return conv, int((closed["status"] == "won").sum()), reached[0]


def export_span(deals: pd.DataFrame | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The export's first and latest date: created dates and closed deals' close dates (an open
    deal's close date is an expected one, often in the future, so it is left out)."""
    if deals is None or len(deals) == 0 or "status" not in deals:
        return None
    none = pd.Series(pd.NaT, index=deals.index)
    close = pd.to_datetime(deals["close_date"], errors="coerce") if "close_date" in deals else none
    created = pd.to_datetime(deals["created_date"], errors="coerce") if "created_date" in deals else none
    dates = pd.concat([created.dropna(), close[deals["status"].isin(["won", "lost"])].dropna()]).dt.normalize()
    return (dates.min(), dates.max()) if not dates.empty else None


def _created_months(deals: pd.DataFrame | None) -> float | None:
    """Months the export spans, when it has created dates (at least one month)."""
    if deals is None or "created_date" not in deals or not deals["created_date"].notna().any():
        return None
    if (span := export_span(deals)) is None:  # deals without a status column
        return None
    first, end = span
    return max((end - first).days / DAYS_PER_MONTH, 1.0)


def _close_months(deals: pd.DataFrame | None) -> tuple[float, int] | None:
    """Months spanned by the closed deals' close dates, and how many closed deals have one."""
    if deals is None or not {"close_date", "status"} <= set(deals.columns):
        return None
    close = pd.to_datetime(deals.loc[deals["status"].isin(["won", "lost"]), "close_date"], errors="coerce").dropna()
    if close.empty:
        return None
    return max((close.max() - close.min()).days / DAYS_PER_MONTH, 1.0), len(close)


def _volume(analysis: Analysis, deals: pd.DataFrame | None, notes: list[str]) -> float:
    """Deals entering a month: deals / months of created dates; without created dates, closed deals
    / months of close dates (in a steady funnel as many deals close as enter); else a year's."""
    reached = analysis.opportunities  # every deal entered the funnel, whatever its stage says
    if (months := _created_months(deals)) is not None:
        notes.append(f"volume: {reached:,} deals over the {months:.1f} months the export spans")
        return reached / months
    if (closing := _close_months(deals)) is not None:
        months, n = closing
        notes.append(
            f"volume: the export has no created dates, so {n:,} closed deals over the {months:.1f} months their "
            "close dates span (as many deals close as enter in a steady funnel)"
        )
        return n / months
    notes.append("volume: the export has no created or close dates; its deals are taken as one year's")
    return reached / 12.0


def _funnel(assessment: Assessment, analysis: Analysis | None, deals: pd.DataFrame | None, notes: list[str]) -> _Funnel:
    """Stages, conversions, volume and win rate: the export, else workshop volumes, else Stage 1."""
    f, ctx = assessment.funnel, assessment.context.answers
    if analysis is not None and len(analysis.stages) >= 2:
        stages = tuple(s.stage for s in analysis.stages)
        volume = _volume(analysis, deals, notes)
        closed = _closed_conversions(deals, len(stages))
        win: float | None
        if closed is not None:
            conversions, won, n_closed = closed
            win = won / n_closed
            notes.append(
                f"conversions and win rate: the {n_closed:,} closed deals ({won:,} won, {fmt.percent(win)}); open "
                "deals are left out because they have not finished their path"
            )
        else:
            conversions = tuple(s.conversion_to_next or 0.0 for s in analysis.stages[:-1])
            win = analysis.win_rate if analysis.win_rate is not None else _num(ctx.get("win_rate"))
            notes.append("conversions: Stage 2 figures, open deals included (no deal rows to count closed ones)")
        return _Funnel(stages, conversions, volume, win)
    if f.source == "workshop" and len(f.workshop) >= 2 and f.workshop[0].volume > 0:
        w = f.workshop
        conversions = tuple((w[k + 1].volume / w[k].volume) if w[k].volume else 0.0 for k in range(len(w) - 1))
        notes.append("volume and conversions: Stage 2 workshop numbers, taken as one month's")
        stated_win = _num(ctx.get("win_rate"))
        return _Funnel(
            tuple(r.stage for r in w),
            conversions,
            float(w[0].volume),
            stated_win if stated_win is not None else math.prod(conversions),
        )
    revenue, deal, stage1_win = (_num(ctx.get(k)) for k in ("annual_revenue", "avg_deal_size", "win_rate"))
    if revenue and deal and stage1_win:
        notes.append(
            "volume: no export or workshop volumes, so the deals a month that the stated yearly revenue needs "
            f"({fmt.money(revenue, assessment.currency)} / 12 / {fmt.money(deal, assessment.currency)} / "
            f"{fmt.percent(stage1_win)} win rate); the funnel is one step, opportunity to won"
        )
        volume = revenue / 12 / deal / stage1_win
        return _Funnel(("Opportunity", "Won"), (stage1_win,), volume, stage1_win)
    return _Funnel((), (), None, stage1_win)


def _to_the_books(
    funnel: _Funnel, deal: float | None, twelve: TwelveMonths | None, cur: str, notes: list[str]
) -> _Funnel:
    """The export's funnel set to the books: the volume at which its win rate and deal size give
    the won revenue of the last 12 months, so the baseline's year is the year the books show (the
    measured volume, over the export's whole span, is kept in the note as the bridge)."""
    rate = math.prod(funnel.conversions) if funnel.conversions else 0.0
    if twelve is None or not twelve.revenue or not deal or rate <= 0 or funnel.volume is None:
        return funnel
    volume = twelve.revenue / 12 / deal / rate
    for i, note in enumerate(notes):
        if note.startswith("volume:"):
            notes[i] = (
                f"volume: {fmt.number(volume, 1)} new deals a month, the rate at which the export's closed win rate "
                f"({fmt.percent(rate)}) and average deal size ({fmt.money(deal, cur)}) give the "
                f"{fmt.money(twelve.revenue, cur)} won in {twelve.source}; measured over the export's whole span it "
                f"is {fmt.number(funnel.volume, 1)} a month ({note.removeprefix('volume: ')})"
            )
    return _Funnel(funnel.stages, funnel.conversions, volume, funnel.win)


def _owners(deals: pd.DataFrame | None) -> int | None:
    if deals is None or "owner" not in deals:
        return None
    owners = deals["owner"].dropna().astype(str).str.strip()
    n = int(owners[owners != ""].nunique())
    return n or None


def _people(
    assessment: Assessment, deals: pd.DataFrame | None, twelve: TwelveMonths | None, notes: list[str]
) -> dict[str, float | None]:
    """Reps, quota, today's attainment, target and the attainment cap from what exists."""
    ctx, cur = assessment.context.answers, assessment.currency
    reps = _num(ctx.get("rep_count"))
    if reps is None and (owners := _owners(deals)) is not None:
        reps = float(owners)
        notes.append(f"reps: the {owners:,} deal owners in the export (Stage 1 does not give the team size)")
    stated, attainment = _num(ctx.get("annual_revenue")), _num(ctx.get("quota_attainment"))
    revenue = stated or (twelve.revenue if twelve else None)
    if stated is None and revenue and twelve is not None:  # the revenue is the export's
        notes.append(f"yearly revenue: {fmt.money(revenue, cur)} won in {twelve.source}")
    growth = _num(ctx.get("growth_rate"))
    target, real_target = assessment.funnel.target, bool(assessment.funnel.target)
    if not target and revenue and attainment:
        target, real_target = revenue / attainment, True
        notes.append("target: yearly revenue / today's attainment (no Stage 2 target)")
    elif not target and revenue and growth is not None:
        target, real_target = revenue * (1 + growth), True
        notes.append(f"target: yearly revenue grown by the stated {fmt.percent(growth)} (no Stage 2 target)")
    elif not target and revenue:
        target = revenue
        notes.append("target: this year's revenue (no target or growth rate given), so the gap reads as growth needed")
    quota = None
    if stated and attainment and reps:
        quota = stated / attainment / reps
    elif real_target and target and reps:  # a real target is a number
        quota = target / reps
        notes.append("quota per rep: the yearly target split evenly over the reps (no quota given)")
    if attainment is None and revenue and quota and reps:
        attainment = revenue / (reps * quota)
        notes.append(f"today's attainment: yearly revenue / (reps x quota) = {fmt.percent(attainment)}")
    cap = max(DEFAULT_ATTAINMENT_CAP, attainment or 0.0)
    if quota and reps and twelve is not None and twelve.revenue > reps * quota * cap * (1 + RECONCILED_WITHIN):
        shown = twelve.revenue / (reps * quota)
        notes.append(
            f"contradiction: {fmt.number(reps)} reps x {fmt.money(quota, cur)} quota x {fmt.percent(cap)} make "
            f"{fmt.money(reps * quota * cap, cur)} a year, but the export shows {fmt.money(twelve.revenue, cur)} won "
            f"in {twelve.source}: the stated team cannot have closed it. Capacity is set to what the export shows "
            f"({fmt.percent(shown)} of that quota); check the team size and quota in Stage 1"
        )
        cap = shown
        attainment = max(attainment or 0.0, shown)
    if quota is None or reps is None:
        notes.append(
            "capacity: unknown (no team size, quota, attainment or target to derive a quota from), so only the "
            "funnel limits the projection; give the quota in the baseline figures to count it"
        )
    elif not any(n.startswith("contradiction:") for n in notes):
        notes.append(
            f"capacity: reps x quota x {fmt.percent(cap)}, the most of quota a rep is taken to carry (stated "
            "assumption; attainment moves with the scenario up to it, or to the scenario's own attainment)"
        )
    return {"reps": reps, "quota_per_rep": quota, "attainment": attainment, "target": target, "attainment_cap": cap}


def _count(value: float) -> str:
    return fmt.number(value) if value == int(value) else fmt.number(value, 1)


def _reason(base: Baseline, actual: float, wins_actual: float | None, cur: str) -> str:
    """Why the projection differs from the actual: capacity, the number of wins or the deal size."""
    o = outcome(base)
    if o.binding == "capacity":
        return (
            f"capacity binds: {fmt.number(base.reps, 1)} reps x {fmt.money(base.quota_per_rep, cur)} quota x "
            f"{fmt.percent(base.attainment_cap)} caps the baseline below the {fmt.money(o.funnel_revenue, cur)} "
            "the funnel carries; raise the cap in the baseline if reps carry more than that"
        )
    wins = o.wins_per_month * 12
    text = (
        f"the baseline expects {fmt.number(wins, 1)} wins a year ({fmt.number(base.volume, 1)} new deals a month x "
        f"{fmt.percent(base.win_rate)} closed win rate) at {fmt.money(base.deal_size, cur)} a deal"
    )
    if wins_actual:
        text += (
            f", where the window had {_count(wins_actual)} wins at {fmt.money(actual / wins_actual, cur)}; "
            "a 12-month window holds the deals that happened to close in it, the baseline is the steady rate over "
            "the export's whole span"
        )
    return text


def reconcile(base: Baseline, assessment: Assessment, twelve: TwelveMonths | None) -> Reconciliation | None:
    """The baseline's projected revenue against the export's last 12 months, else the stated yearly
    revenue; a sentence saying why they differ when they differ by more than 5%."""
    cur = assessment.currency
    stated = _num(assessment.context.answers.get("annual_revenue"))
    if twelve is not None and twelve.revenue > 0:
        actual, source, wins = twelve.revenue, twelve.source, twelve.wins
    elif stated:
        actual, source, wins = stated, "the yearly revenue stated in Stage 1", None
    else:
        return None
    projected = outcome(base).projected_revenue
    diff = projected - actual
    head = f"The baseline projects {fmt.money(projected, cur)} a year against {fmt.money(actual, cur)} won in {source}"
    if abs(diff) <= RECONCILED_WITHIN * actual:
        sentence = f"{head}: within {fmt.percent(RECONCILED_WITHIN)}."
    else:
        side = "below" if diff < 0 else "above"
        share = fmt.percent(abs(diff) / actual)
        sentence = f"{head}, {fmt.money(abs(diff), cur)} ({share}) {side}: {_reason(base, actual, wins, cur)}."
    if twelve is not None and stated and abs(stated - twelve.revenue) > RECONCILED_WITHIN * twelve.revenue:
        sentence += f" Stage 1 states {fmt.money(stated, cur)} a year; the export's measured one is compared."
    return Reconciliation(projected, actual, source, diff, sentence)


def calibrate(
    assessment: Assessment, analysis: Analysis | None = None, deals: pd.DataFrame | None = None
) -> Calibration:
    """The baseline from the export, Stage 1 answers, Stage 4's onboarding length and the user's
    overrides (in that order of precedence, overrides last), the notes saying where each figure came
    from, and the reconciliation with actual revenue."""
    ctx = assessment.context.answers
    notes: list[str] = []
    twelve = twelve_months(analysis)
    funnel = _funnel(assessment, analysis, deals, notes)
    deal = analysis.avg_deal_size if analysis is not None else None
    if deal is None and (deal := _num(ctx.get("avg_deal_size"))) is not None and analysis is not None:
        notes.append("deal size: the Stage 1 answer (the export has no won amounts)")
    funnel = _to_the_books(funnel, deal, twelve, assessment.currency, notes)
    cycle = analysis.cycle_days_mean if analysis is not None else None
    if cycle is None and (cycle := _num(ctx.get("sales_cycle"))) is not None and analysis is not None:
        notes.append("sales cycle: the Stage 1 answer (the export has no created and close dates of won deals)")
    open_opps = float(analysis.open) if analysis is not None else assessment.whatif.open_opportunities
    if open_opps is None and funnel.volume and cycle:
        open_opps = funnel.volume * cycle / DAYS_PER_MONTH
        notes.append("open opportunities: deals a month x the cycle in months (no pipeline count given)")
    if cycle is None and open_opps and funnel.volume:
        cycle = open_opps / funnel.volume * DAYS_PER_MONTH
        notes.append(
            f"sales cycle: {open_opps:,.0f} open deals / {funnel.volume:,.1f} new deals a month = "
            f"{cycle / DAYS_PER_MONTH:.1f} months (deals in the pipeline = arrivals x time in it); no created and "
            "close dates of won deals or Stage 1 answer"
        )
    onboarding = _num(assessment.enablement.answers.get("onboarding_weeks"))
    values: dict[str, float | None] = {
        "volume": funnel.volume,
        "deal_size": deal,
        "cycle_days": cycle,
        "win_rate": funnel.win,
        "open_opportunities": open_opps,
        **_people(assessment, deals, twelve, notes),
        "ramp_months": onboarding / 30 if onboarding else DEFAULT_RAMP_MONTHS,
    }
    values.update({k: v for k, v in assessment.whatif.overrides.items() if k in values})
    optional = ("reps", "quota_per_rep", "attainment")  # unknown: capacity is not counted
    missing = [BASELINE_FIELDS[k] for k, v in values.items() if v is None and k not in optional]
    if not funnel.stages:
        missing.insert(0, "stage conversions (Stage 2: a CRM export or workshop volumes)")
    if missing:
        return Calibration(None, tuple(missing), tuple(notes), None, twelve)
    known = {k: v for k, v in values.items() if v is not None}  # every field but the optional ones
    base = Baseline(
        stages=funnel.stages,
        conversions=funnel.conversions,
        volume=known["volume"],
        deal_size=known["deal_size"],
        cycle_days=known["cycle_days"],
        win_rate=known["win_rate"],
        open_opportunities=known["open_opportunities"],
        reps=values["reps"],
        quota_per_rep=values["quota_per_rep"],
        attainment=values["attainment"],
        target=known["target"],
        ramp_months=known["ramp_months"],
        attainment_cap=known["attainment_cap"],
    )
    return Calibration(base, (), tuple(notes), reconcile(base, assessment, twelve), twelve)
