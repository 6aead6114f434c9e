"""Stage 2's Data tab: the data source, a CRM upload (with its stage history) and its column and
stage mapping screens and import report, or workshop volumes typed in. Calculations are in salesopt."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd
import streamlit as st

from salesopt.crm import FIELDS, CrmError
from salesopt.crm.profiles import article
from salesopt.funnel.stages import ROLES, NoWonStage, role_rows, roles_from_rows
from salesopt.model.assessment import Assessment, CrmSource, WorkshopRow
from salesopt.report.export import to_csv
from salesopt.report.mdtext import md_text
from salesopt.storage import StorageError
from ui import state, uploads, widgets
from ui.funnel_ui import AFFECTED_ALARM, NO_STAGE, NOT_HERE, UPLOADED_KEY

if TYPE_CHECKING:  # the Stage 2 pipeline (DuckDB) loads when an export is first read
    from salesopt.funnel.stage2 import Result

UPLOAD_LIMIT_MB = 200
NOT_MAPPED = "(not mapped)"
DEFAULT_WORKSHOP = [
    ("Lead", 0),
    ("MQL", 0),
    ("SQL", 0),
    ("Opportunity", 0),
    ("Proposal/Quote", 0),
    ("Negotiation", 0),
    ("Closed-Won", 0),
]


PICK_STAGE = (
    "No column of this export is recognised as the deal stage. Pick the column that holds each deal's "
    "stage, or its won/lost outcome (a 1/0 or yes/no column reads as a one-step funnel)."
)


def _on_upload(kind: str) -> None:
    """Keep the file by its SHA-256; it is read once, when the page asks for its figures. Only a
    file that cannot be a table at all is refused here (the previous data stays loaded)."""
    from salesopt.crm import read_table

    file = st.session_state.get(f"funnel.{kind}")
    assessment = state.current()
    if file is None or assessment is None:
        return
    data = file.getvalue()
    crm = assessment.funnel.crm
    try:
        if kind == "history" and crm is None:
            raise CrmError(f"{file.name}: upload the opportunity export first, then its stage history")
        read_table(data, file.name)  # the header and a sample: says at once what is not a table
    except CrmError as exc:
        st.session_state["funnel.upload_error"] = str(exc)
        return
    st.session_state.pop("funnel.upload_error", None)
    st.session_state[UPLOADED_KEY] = True  # settle_tab() decides where the page goes once it is read
    try:
        digest = uploads.put_file(data, file.name, assessment.id)
    except StorageError as exc:
        st.session_state["funnel.upload_error"] = f"{file.name} was not kept: {exc}"
        return
    if kind == "history" and crm is not None:
        state.update_section("funnel", crm=crm.model_copy(update={"history_sha256": digest, "history_name": file.name}))
    else:
        state.update_section("funnel", source="crm", crm=CrmSource(sha256=digest, name=file.name, size=len(data)))


def source_panel(assessment: Assessment, result: Result | None, problem: str | None) -> None:
    choice = st.segmented_control(
        "Data from",
        ["CRM export", "Workshop numbers"],
        key="funnel.source",
        default="CRM export" if assessment.funnel.source == "crm" else "Workshop numbers",
    )
    if choice == "Workshop numbers":
        if assessment.funnel.source != "workshop":
            state.update_section("funnel", source="workshop")
        workshop_editor(assessment)
        return
    if assessment.funnel.source != "crm":
        state.update_section("funnel", source="crm")
    crm = assessment.funnel.crm
    if result is not None:
        import_report(result)
    st.file_uploader(
        f"CRM export (CSV or XLSX, up to {UPLOAD_LIMIT_MB} MB): Salesforce, HubSpot, Pipedrive or any "
        "table with a stage column",
        type=["csv", "xlsx", "txt", "tsv"],
        key="funnel.export",
        on_change=_on_upload,
        args=("export",),
        max_upload_size=UPLOAD_LIMIT_MB,
    )
    error = st.session_state.get("funnel.upload_error")
    if error:
        kept = f" The previous data ({crm.name}) stays loaded." if crm else ""
        st.error(f"{md_text(error)}.{kept}", icon=":material/error:")
    if crm is None:
        st.info(
            "No export yet. Export opportunities from your CRM with stage, amount, created and close dates "
            "(owner, segment, region, loss reason if you have them), or switch to workshop numbers.",
            icon=":material/upload_file:",
        )
        return
    st.caption(
        f"Loaded: **{crm.name}** ({crm.size / 1e6:.1f} MB)"
        + (f" with stage history **{crm.history_name}**" if crm.history_name else "")
    )
    with st.expander("Stage history (optional)"):
        st.file_uploader(
            "Stage history file (e.g. Salesforce OpportunityHistory: id, stage, date per row)",
            type=["csv", "xlsx", "txt"],
            key="funnel.history",
            on_change=_on_upload,
            args=("history",),
            max_upload_size=UPLOAD_LIMIT_MB,
        )
    st.toggle(
        "Dates are day first (31/12/2024)",
        value=crm.dayfirst,
        key="funnel.dayfirst",
        help="Slash dates are read month first unless a day over 12 settles it; switch this on to read them day first.",
        on_change=lambda: _update_crm(dayfirst=st.session_state["funnel.dayfirst"]),
    )
    if result is None and problem is not None and problem.startswith(NOT_HERE.split("{", 1)[0]):
        st.error(problem, icon=":material/lock:")  # no preview: the file is not this assessment's
        return
    mapping_screen(crm, result, problem)
    if result is None:
        if problem != NO_STAGE:
            st.error(problem, icon=":material/error:")
        return
    stage_screen(crm, result)


def _update_crm(**update: object) -> None:
    """Change fields of the open assessment's CRM source (a widget callback)."""
    assessment = state.current()
    crm = assessment.funnel.crm if assessment is not None else None
    if crm is not None:
        state.update_section("funnel", crm=crm.model_copy(update=update))


def mapping_screen(crm: CrmSource, result: Result | None, problem: str | None) -> None:
    no_stage = problem == NO_STAGE
    assessment = state.opened()
    columns, preview = uploads.preview(crm.sha256, crm.name, crm.overrides.get("stage") or None, _owner=assessment.id)
    mapping = result.imported.report.mapping if result is not None else dict(crm.overrides)
    with st.expander("Column mapping", expanded=result is None):
        if no_stage:
            st.warning(PICK_STAGE, icon=":material/help:")
            _field_select(st, "stage", [c for c in columns], mapping, label="Which column holds the stage or outcome?")
        st.caption("Detected from the column names; change any that is wrong. Preview of the first rows below.")
        cols = st.columns(3)
        fields = [f for f in FIELDS if f not in ("entered_at",) and not (no_stage and f == "stage")]
        for i, fld in enumerate(fields):
            _field_select(cols[i % 3], fld, columns, mapping)
        widgets.table(preview, hide_index=True)


class _Place(Protocol):
    """Where a widget goes: the page (``st``) or a column of it."""

    def selectbox(self, *args: Any, **kwargs: Any) -> object: ...


def _field_select(
    where: _Place, fld: str, columns: list[str], mapping: dict[str, str], label: str | None = None
) -> None:
    current = mapping.get(fld) or NOT_MAPPED
    options = [NOT_MAPPED, *columns]
    where.selectbox(
        label or FIELD_LABELS.get(fld, fld.replace("_", " ").capitalize()),
        options,
        index=options.index(current) if current in options else 0,
        key=f"funnel.map.{fld}",
        on_change=_on_map,
        args=(fld,),
    )


FIELD_LABELS = {
    "opportunity_id": "Opportunity id",
    "lost_at_stage": "Stage lost at",
    "is_won": "Won flag (IsWon)",
    "is_closed": "Closed flag (IsClosed)",
    "won_time": "Won date",
    "lost_time": "Lost date",
    "status": "Status (won / lost / open)",
}


def _on_map(fld: str) -> None:
    value = st.session_state[f"funnel.map.{fld}"]
    assessment = state.current()
    crm = assessment.funnel.crm if assessment is not None else None
    if crm is None:
        return
    overrides = {**crm.overrides, fld: "" if value == NOT_MAPPED else value}
    _update_crm(overrides=overrides, stage_order=[], won=[], lost=[], stage_probabilities={})


def stage_screen(crm: CrmSource, result: Result) -> None:
    sm = result.stage_map
    rows = role_rows(sm, result.stages_seen())
    with st.expander("Stage mapping", expanded=bool(sm.notes)):
        st.caption(
            "Order the funnel stages (Position), say which stages mean won and lost, and give each open stage a "
            "default win probability: it weights open deals that carry no probability of their own."
            + (f" Recognised as: {sm.source}." if sm.source else "")
        )
        edited = st.data_editor(
            pd.DataFrame(rows, columns=["Stage", "Role", "Position", "Default probability"]),
            hide_index=True,
            key="funnel.stages",
            disabled=["Stage"],
            column_config={
                "Role": st.column_config.SelectboxColumn(options=ROLES, required=True),
                "Position": st.column_config.NumberColumn(min_value=1, step=1),
                "Default probability": st.column_config.NumberColumn(
                    min_value=0, max_value=100, step=1, format="%.0f%%", help="0-100%; blank: none"
                ),
            },
        )
        if st.button("Apply stage mapping", key="funnel.stages.apply", icon=":material/check:"):
            try:
                roles = roles_from_rows(state.editor_rows(edited))
            except NoWonStage as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                update = {
                    "stage_order": list(roles.stage_order),
                    "won": list(roles.won),
                    "lost": list(roles.lost),
                    "stage_probabilities": dict(roles.probabilities),
                }
                state.update_section("funnel", crm=crm.model_copy(update=update))
                st.rerun()


def import_report(result: Result) -> None:
    """What the import did, on top of the Data tab: a warning whenever anything was rejected or
    emptied (how many deals, which fields, the first lines, the full list as a download)."""
    imported = result.imported
    report = imported.report
    affected = imported.deals_affected()
    if report.rows_rejected or affected:
        fields = ", ".join(f"{k.replace('_', ' ')} ({n:,})" for k, n in report.emptied_by_field.items())
        parts = []
        if report.rows_rejected:
            parts.append(f"{report.rows_rejected:,} of {report.rows_read:,} rows were rejected (they cannot be deals)")
        if affected:
            parts.append(f"{affected:,} deals were kept with an unreadable cell left empty: {fields}")
        alarm = report.rows_read and (report.rows_rejected + affected) / report.rows_read > AFFECTED_ALARM
        (st.error if alarm else st.warning)("; ".join(parts) + ".", icon=":material/warning:")
        rows = imported.issue_rows()
        widgets.table(pd.DataFrame(rows[:8], columns=["Line", "Column", "Value", "What happened"]), hide_index=True)
        csv = to_csv(pd.DataFrame(rows, columns=["line", "column", "value", "what_happened"]))
        st.download_button(
            f"Download all {len(rows):,} lines",
            csv.encode("utf-8"),
            file_name="import-report.csv",
            mime="text/csv",
            key="funnel.import_report.download",
            icon=":material/download:",
        )
    with st.expander(f"Import report: {report.rows_read:,} rows read, {report.rows_rejected:,} rejected"):
        if report.profile:
            st.caption(f"Read as {article(report.profile)} {report.profile} export.")
        if report.columns_ignored:
            st.caption("Columns not used: " + ", ".join(report.columns_ignored))
        for w in [*report.warnings, *result.analysis.warnings]:
            st.warning(w, icon=":material/warning:")


def workshop_editor(assessment: Assessment) -> None:
    rows = assessment.funnel.workshop or [WorkshopRow(stage=s, volume=v) for s, v in DEFAULT_WORKSHOP]
    st.caption(
        "Type how many deals entered each stage in one period, top to bottom, won stage last. "
        "Days in stage and value are optional (value of the last stage = won revenue)."
    )
    frame = pd.DataFrame(
        [{"Stage": r.stage, "Volume": r.volume, "Days in stage": r.days_in_stage, "Value": r.value} for r in rows]
    )
    edited = st.data_editor(
        frame,
        num_rows="dynamic",
        hide_index=True,
        key="funnel.workshop",
        column_config={
            "Volume": st.column_config.NumberColumn(min_value=0, step=1, required=True),
            "Days in stage": st.column_config.NumberColumn(min_value=0),
            "Value": st.column_config.NumberColumn(min_value=0, format="dollar"),
        },
    )
    if st.button("Save stage volumes", key="funnel.workshop.save", icon=":material/save:"):
        clean = edited.dropna(subset=["Stage"])
        try:
            new_rows = [
                WorkshopRow(
                    stage=str(r["Stage"]),
                    volume=int(r["Volume"] or 0),
                    days_in_stage=None if pd.isna(r["Days in stage"]) else float(r["Days in stage"]),
                    value=None if pd.isna(r["Value"]) else float(r["Value"]),
                )
                for r in clean.to_dict("records")
            ]
        except (ValueError, TypeError) as exc:
            st.error(f"Not saved: {md_text(str(exc))}", icon=":material/error:")
            return
        state.update_section("funnel", workshop=new_rows, source="workshop")
        st.rerun()
