"""Findings from the Stage 2 data: what the CRM export says, each with its number, what it rests
on (rows used and left out) and its formula; and the reconciliation of what the client told us
(Stage 1 and 2 answers) with what the export measures.

The plan's Executive Summary takes its key findings from here rather than from the answers, so a
finding is a fact about the data a reader can recount by hand. Nothing here formats money but the
reconciliation's figures, in the assessment's currency.

Modules: ``records`` (:class:`Finding`, :class:`Reconciliation`), ``deals`` (the findings from the
deals, :func:`compute`), ``told`` (told against measured, :func:`reconcile`, :func:`gap_findings`).
"""

from __future__ import annotations

from salesopt.report.findings.deals import (
    cohort_outliers,
    compute,
    cycle_by_segment,
    leak_gap,
    loss_reasons,
    losses_by_stage,
    rep_spread,
)
from salesopt.report.findings.records import Finding, Reconciliation
from salesopt.report.findings.told import (
    RATE_GAP_POINTS,
    RELATIVE_GAP,
    gap_findings,
    reconcile,
    revenue_last_12_months,
)

__all__ = [
    "RATE_GAP_POINTS",
    "RELATIVE_GAP",
    "Finding",
    "Reconciliation",
    "cohort_outliers",
    "compute",
    "cycle_by_segment",
    "gap_findings",
    "leak_gap",
    "loss_reasons",
    "losses_by_stage",
    "reconcile",
    "rep_spread",
    "revenue_last_12_months",
]
