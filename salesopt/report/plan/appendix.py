"""The plan's Appendix: the Monday-morning lists, the data quality table, the data notes and the
evidence behind every figure."""

from __future__ import annotations

from salesopt.report import fmt
from salesopt.report.figures import context_figures, funnel_figures
from salesopt.report.plan.inputs import Inputs
from salesopt.report.plan.text import plural, quote


def monday(inputs: Inputs) -> list[str]:
    """The Monday-morning lists of open deals to act on, per rep."""
    if inputs.result is None:
        return []
    from salesopt.report.actions import monday_lists

    cur = inputs.currency
    lines: list[str] = []
    for lst in monday_lists(inputs.result):
        lines += [f"**{lst.title}** ({plural(lst.total, 'deal')} on {lst.as_of}): {lst.rule}.", ""]
        if not lst.reps:
            lines += ["None today.", ""]
            continue
        lines += ["| Rep | Deals | Amount | Largest deals |", "|---|---|---|---|"]
        for r in lst.reps:
            lines.append(f"| {r.rep} | {r.deals:,} | {fmt.money(r.amount, cur)} | {', '.join(r.names)} |")
        lines.append("")
    return lines or ["The export has no open deals with the dates these lists need."]


def data_quality(inputs: Inputs) -> list[str]:
    """The fields the analysis uses that the export leaves empty, and what filling them unlocks."""
    if inputs.result is None:
        return []
    from salesopt.report.dataquality import field_gaps

    gaps = field_gaps(inputs.result.deals)
    if not gaps:
        return ["Every field the analysis uses is filled on every deal it applies to."]
    lines = ["| Field | Empty on | What filling it unlocks |", "|---|---|---|"]
    for g in gaps:
        where = (
            f"not in the export ({plural(g.of, g.scope[:-1] if g.scope.endswith('s') else g.scope, g.scope)})"
            if not g.in_export
            else f"{g.empty:,} of {g.of:,} {g.scope}"
        )
        lines.append(f"| {g.label} | {where} | {g.unlocks} |")
    return lines


def data_notes(inputs: Inputs) -> list[str]:
    """What the import read and kept, its warnings and the figures it cannot define."""
    if inputs.result is None:
        return ["No CRM export was analysed: the figures in this plan are the answers given in the stages."]
    from salesopt.report import dataquality

    report = inputs.result.imported.report
    notes = dataquality.data_notes(inputs.result)
    head = f"- The export: {report.rows_read:,} rows read, {report.rows_kept:,} kept as deals."
    return (
        [head, *(f"- {quote(n)}" for n in notes)] if notes else [head, "- No import warning and no undefined figure."]
    )


def evidence(inputs: Inputs) -> list[str]:
    """Every figure in the plan with its value, formula and source."""
    lines = ["| Figure | Value | Formula and source |", "|---|---|---|"]
    for f in context_figures(inputs.assessment):
        if f.value != fmt.DASH:
            lines.append(f"| {f.label} | {f.value} | {f.help} |")
    if inputs.funnel is not None:
        for f in funnel_figures(inputs.funnel, inputs.currency):
            if f.value != fmt.DASH:
                lines.append(f"| {f.label} (CRM export) | {f.value} | {quote(f.help)} |")
    for finding in inputs.findings:
        lines.append(f"| {finding.title} | {finding.text} | {finding.formula}; rests on {finding.rests_on} |")
    return lines if len(lines) > 2 else ["_Missing: no figures yet. Stages 1 and 2 collect them._"]
