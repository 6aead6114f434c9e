"""Data quality for RevOps: which fields of the CRM export are empty, on how many deals, and
what each would unlock; and the data notes (import warnings, rejected rows, emptied cells,
undefined figures with their reasons) the plan lists so no figure hides what it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

# field -> (the deals it matters for, what filling it unlocks)
FIELDS: dict[str, tuple[str, str]] = {
    "amount": ("all", "pipeline value, average deal size, revenue at stake and the business case"),
    "created_date": ("all", "sales cycle, velocity, cohorts over time and the stuck-deal list"),
    "close_date": ("closed", "sales cycle, revenue by period and the export's date span"),
    "owner": ("all", "win rate by rep, rep tiers and the Monday-morning lists by rep"),
    "lost_at_stage": ("lost", "where deals are lost, so each leak can be measured"),
    "loss_reason": ("lost", "why deals are lost (competitor, no decision, budget)"),
    "probability": ("open", "the weighted pipeline and forecast categories"),
    "segment": ("all", "cycle and win rate by segment"),
    "lead_source": ("all", "win rate by lead source, and where to invest in pipeline"),
    "competitor": ("lost", "which competitor takes the deals, for the battle cards"),
}
SCOPE = {"all": "deals", "closed": "closed deals", "lost": "lost deals", "open": "open deals"}


@dataclass(frozen=True)
class FieldGap:
    field: str
    label: str
    empty: int
    of: int
    scope: str
    unlocks: str
    in_export: bool


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def field_gaps(deals: pd.DataFrame) -> list[FieldGap]:
    """Each field that is missing from the export or empty on some of the deals it matters for."""
    out = []
    for name, (scope, unlocks) in FIELDS.items():
        rows = deals if scope == "all" else deals[deals["status"] == ("lost" if scope == "lost" else scope)]
        if scope == "closed":
            rows = deals[deals["status"] != "open"]
        if rows.empty:
            continue
        if name not in deals:
            if name in ("competitor",):
                continue  # optional detail: not worth a line when absent
            out.append(FieldGap(name, _label(name), len(rows), len(rows), SCOPE[scope], unlocks, False))
            continue
        col = rows[name]
        empty = int((col.astype("string").str.strip().fillna("") == "").sum())
        if name == "competitor":
            reason = rows.get("loss_reason")
            if reason is None:
                continue
            rows = rows[reason.fillna("").astype(str).str.contains("compet", case=False)]
            empty = int(rows[name].isna().sum())
        if empty:
            out.append(FieldGap(name, _label(name), empty, len(rows), SCOPE[scope], unlocks, True))
    return sorted(out, key=lambda g: -g.empty / max(g.of, 1))


def _sentence(text: object) -> str:
    t = str(text).strip().rstrip(".")
    return (t[:1].upper() + t[1:] + ".") if t else ""


def data_notes(result: Any) -> list[str]:
    """Every import warning and undefined figure, in the client's words."""
    report, a = result.imported.report, result.analysis
    notes: list[str] = []
    if report.rows_rejected:
        lines = ", ".join(str(r.line) for r in report.rejected[:5])
        more = f" and {report.rows_rejected - 5:,} more" if report.rows_rejected > 5 else ""
        rows = "1 row" if report.rows_rejected == 1 else f"{report.rows_rejected:,} rows"
        notes.append(f"{rows} of the export could not be read as deals (lines {lines}{more}).")
    for fld, n in report.emptied_by_field.items():
        cells = "1 cell" if n == 1 else f"{n:,} cells"
        notes.append(f"{cells} of {_label(fld).lower()} held a value that could not be read and were left empty.")
    notes += [_sentence(w) for w in report.warnings]
    notes += [f"Dates ({_label(k).lower()}): {str(v).rstrip('.')}." for k, v in report.date_notes.items()]
    notes += [_sentence(w) for w in a.warnings if "no known stage" not in str(w)]
    if a.unknown_lost_stage:
        n = a.unknown_lost_stage
        notes.append(
            f"{n:,} lost {'deal has' if n == 1 else 'deals have'} no known stage: counted as lost in the win rate, "
            "left out of every stage-to-stage conversion and of the losses by stage."
        )
    labels = {
        "win_rate": "Win rate",
        "win_rate_value": "Win rate by value",
        "avg_deal_size": "Average deal size",
        "cycle_days": "Sales cycle",
        "pipeline_value": "Open pipeline",
        "weighted_pipeline": "Weighted pipeline",
        "coverage_ratio": "Coverage",
        "required_coverage": "Required coverage",
        "sales_velocity": "Sales velocity",
    }
    for key, reason in a.reasons.items():
        notes.append(f"{labels.get(key, _label(key))} is not defined: {str(reason).rstrip('.')}.")
    return notes
