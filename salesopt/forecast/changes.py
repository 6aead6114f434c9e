"""What a scenario changes, lever by lever: the plain-language line of each lever it moves (from ->
to, as a reader checks it by hand) with that lever alone, for the plan's assumptions and to rank the
levers (salesopt.forecast.expected)."""

from __future__ import annotations

from salesopt.forecast.whatif import Baseline, Levers, apply
from salesopt.report import fmt


def count(value: float | None, digits: int = 1) -> str:
    """A count: whole numbers without decimals (10 reps), others to ``digits``."""
    if value is not None and value == int(value):
        return fmt.number(value)
    return fmt.number(value, digits)


def _stage_pair(base: Baseline, i: int) -> str:
    return f"{base.stages[i]} → {base.stages[i + 1]}"


def _points(d: float) -> str:
    return f"{d * 100:+.0f} points" if round(d * 100) == d * 100 else f"{d * 100:+.1f} points"


def _share(d: float) -> str:
    return f"{d * 100:+.0f}%" if round(d * 100) == d * 100 else f"{d * 100:+.1f}%"


def lever_changes(base: Baseline, lv: Levers, cur: str) -> list[tuple[str, str, Levers]]:
    """(key, from -> to line, the lever alone) for each lever the scenario moves."""
    moved, _ = apply(base, lv)
    out: list[tuple[str, str, Levers]] = []
    if lv.volume:
        line = f"Deals entering the funnel: {base.volume:,.1f} → {moved.volume:,.1f} a month ({_share(lv.volume)})"
        out.append(("volume", line, Levers(volume=lv.volume)))
    for i, d in enumerate(lv.conversions[: len(base.conversions)]):
        if d:
            conv = [0.0] * len(base.conversions)
            conv[i] = d
            line = (
                f"{_stage_pair(base, i)}: {fmt.percent(base.conversions[i])} → "
                f"{fmt.percent(moved.conversions[i])} ({_points(d)})"
            )
            out.append((f"conversion_{i}", line, Levers(conversions=tuple(conv))))
    if lv.win_rate:
        line = (
            f"Win rate: {fmt.percent(base.win_rate)} → {fmt.percent(moved.win_rate)} ({_points(lv.win_rate)}); "
            f"the last step, {_stage_pair(base, len(base.conversions) - 1)}, moves by the same share"
        )
        out.append(("win_rate", line, Levers(win_rate=lv.win_rate)))
    if lv.deal_size:
        line = (
            f"Average deal size: {fmt.money(base.deal_size, cur)} → {fmt.money(moved.deal_size, cur)} "
            f"({_share(lv.deal_size)})"
        )
        out.append(("deal_size", line, Levers(deal_size=lv.deal_size)))
    if lv.cycle:
        line = (
            f"Sales cycle: {fmt.days(round(base.cycle_days))} → {fmt.days(round(moved.cycle_days))} "
            f"({_share(lv.cycle)}): it changes velocity and when deals land, not the steady yearly revenue"
        )
        out.append(("cycle", line, Levers(cycle=lv.cycle)))
    if lv.hires:
        ramp = lv.ramp_months if lv.ramp_months is not None else base.ramp_months
        line = (
            f"New reps: {count(lv.hires, 1)} hired in month {lv.hire_month}, each ramping to full "
            f"productivity over {ramp:.1f} months"
        )
        out.append(("hires", line, Levers(hires=lv.hires, hire_month=lv.hire_month, ramp_months=lv.ramp_months)))
    if lv.attrition:
        line = f"Rep attrition: {fmt.percent(lv.attrition)} of reps leave a year"
        out.append(("attrition", line, Levers(attrition=lv.attrition)))
    if lv.attainment and base.attainment is None:
        line = "Quota attainment: not counted, as no quota is known"
        out.append(("attainment", line, Levers(attainment=lv.attainment)))
    elif lv.attainment:
        line = (
            f"Quota attainment: {fmt.percent(base.attainment)} as reported → {fmt.percent(base.ceiling(lv))} "
            f"({_points(lv.attainment)}): capacity counts the reps at {fmt.percent(base.ceiling(lv))} of quota "
            "(the table's baseline attainment is the baseline revenue over the team's quota)"
        )
        out.append(("attainment", line, Levers(attainment=lv.attainment)))
    return out
