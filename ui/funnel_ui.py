"""Stage 2 widgets: the data source (CRM upload with mapping screens, or workshop volumes),
the funnel figures and charts, and cohorts and losses. Calculations are all in salesopt."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd
import streamlit as st

from salesopt.content.benchmarks import BenchmarkSet
from salesopt.crm import COHORT_FIELDS, FIELDS, CrmError, NoStageColumn
from salesopt.funnel.analysis import analyze_volumes
from salesopt.funnel.priorities import SHOWN, prioritized_table, priority_mix
from salesopt.funnel.stages import ROLES, NoWonStage, role_rows, roles_from_rows
from salesopt.model.answers import parse_money
from salesopt.model.assessment import Assessment, CrmSource, WorkshopRow
from salesopt.report import charts, fmt
from salesopt.report.figures import bottleneck_lines, cohort_table, funnel_figures, stage_table
from ui import state, widgets

if TYPE_CHECKING:  # the Stage 2 pipeline (DuckDB) loads when an export is first read
    from salesopt.funnel.stage2 import Result

UPLOAD_LIMIT_MB = 200
NOT_MAPPED = "(not mapped)"
AFFECTED_ALARM = 0.05  # over this share of rows rejected or emptied, every Stage 2 tab says so
DEFAULT_WORKSHOP = [
    ("Lead", 0),
    ("MQL", 0),
    ("SQL", 0),
    ("Opportunity", 0),
    ("Proposal/Quote", 0),
    ("Negotiation", 0),
    ("Closed-Won", 0),
]


def import_key(crm: CrmSource) -> state.ImportKey:
    history = (crm.history_sha256, crm.history_name or "history") if crm.history_sha256 else None
    return crm.sha256, crm.name, tuple(sorted(crm.overrides.items())), crm.dayfirst, history


def current_result(assessment: Assessment) -> tuple[Result | None, str | None]:
    """(Result, None), or (None, the message saying why there is no result). The first read of
    an export shows its progress here, above the tabs."""
    crm = assessment.funnel.crm
    if crm is None:
        return None, "Upload a CRM export on the Data tab, or type stage volumes there as workshop numbers."
    f = assessment.funnel
    bar = st.empty()

    def progress(done: float, text: str) -> None:
        bar.progress(min(max(done, 0.0), 1.0), text=text)

    try:
        state.imported(*import_key(crm), _progress=progress)
        result = state.evaluated(
            import_key(crm),
            tuple(crm.stage_order),
            tuple(crm.won),
            tuple(crm.lost),
            f.target,
            f.closed_only,
            f.win_rate_basis,
            f.benchmark_id,
            tuple(sorted(crm.stage_probabilities.items())),
        )
    except NoStageColumn:
        return None, NO_STAGE
    except CrmError as exc:
        return None, f"The saved export cannot be read with the current mapping: {exc}"
    finally:
        bar.empty()
    return result, None


NO_STAGE = "No column of this export is recognised as the deal stage yet: pick it under Column mapping on the Data tab."
PICK_STAGE = (
    "No column of this export is recognised as the deal stage. Pick the column that holds each deal's "
    "stage, or its won/lost outcome (a 1/0 or yes/no column reads as a one-step funnel)."
)


# ---- data source --------------------------------------------------------------------------------


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
    digest = state.put_file(data, file.name)
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
        st.error(f"{error}.{kept}", icon=":material/error:")
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
    columns, preview = state.preview(crm.sha256, crm.name, crm.overrides.get("stage") or None)
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


TAB_KEY = "funnel.tab"
UPLOADED_KEY = "funnel.just_uploaded"


def opening_tab(assessment: Assessment, result: Result | None) -> str:
    """Stage 2 opens on the figures when there is data, on the upload when there is none."""
    f = assessment.funnel
    has_data = result is not None if f.source == "crm" else any(r.volume for r in f.workshop)
    return "Funnel" if has_data else "Data"


def settle_tab(result: Result | None) -> None:
    """After an upload, before the tabs are drawn: a clean import goes to its figures; one with
    rejected rows or emptied cells stays on the Data tab, where its report is (and so does an
    export whose stage column is still to be picked)."""
    if not st.session_state.pop(UPLOADED_KEY, False):
        return
    clean = result is not None and not (result.imported.report.rows_rejected or result.imported.deals_affected())
    st.session_state[TAB_KEY] = "Funnel" if clean else "Data"


def import_banner(result: Result | None) -> None:
    """On every Stage 2 tab: an error-coloured line when over 5% of the rows were rejected or
    emptied, so no figure is read without knowing on what it rests."""
    if result is None:
        return
    report = result.imported.report
    affected = report.rows_rejected + result.imported.deals_affected()
    if report.rows_read and affected / report.rows_read > AFFECTED_ALARM:
        st.error(
            f"{affected:,} of {report.rows_read:,} rows ({affected / report.rows_read:.0%}) were rejected or had a "
            "cell emptied: the figures rest on fewer deals or fields than the export holds. See the Data tab.",
            icon=":material/report:",
        )


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
        csv = pd.DataFrame(rows, columns=["line", "column", "value", "what_happened"]).to_csv(index=False)
        st.download_button(
            f"Download all {len(rows):,} lines",
            csv.encode("utf-8"),
            file_name="import-report.csv",
            mime="text/csv",
            key="funnel.import_report.download",
            icon=":material/download:",
        )
    with st.expander(f"Import report: {report.rows_read:,} rows read, {report.rows_rejected:,} rejected"):
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
            st.error(f"Not saved: {exc}", icon=":material/error:")
            return
        state.update_section("funnel", workshop=new_rows, source="workshop")
        st.rerun()


# ---- figures ------------------------------------------------------------------------------------


def settings(assessment: Assessment) -> None:
    f = assessment.funnel
    c1, c2, c3 = st.columns([2, 2, 3])
    st.session_state.setdefault("funnel.target", "" if f.target is None else fmt.money(f.target, assessment.currency))
    c1.text_input(
        "Revenue target",
        key="funnel.target",
        on_change=_on_target,
        placeholder="e.g. 5M",
        help="The revenue the open pipeline should cover (coverage ratio = pipeline / target).",
    )
    sets = state.catalog().benchmarks()
    options: list[str] = ["none", *sets]

    def benchmark_label(k: str) -> str:
        return "No benchmark" if k == "none" else sets[k].title

    c2.selectbox(
        "Benchmarks",
        options,
        index=options.index(f.benchmark_id) if f.benchmark_id in options else 0,
        format_func=benchmark_label,
        key="funnel.benchmark",
        on_change=_on_setting,
        args=("benchmark_id", "funnel.benchmark"),
    )
    c3.radio(
        "Win rate",
        ["closed", "all"],
        index=0 if f.win_rate_basis == "closed" else 1,
        horizontal=True,
        format_func=_basis_label,
        key="funnel.basis",
        on_change=_on_setting,
        args=("win_rate_basis", "funnel.basis"),
    )
    st.toggle(
        "Stage conversions over closed deals only",
        value=f.closed_only,
        key="funnel.closed_only",
        help="Leaves out open deals that have not had time to move on.",
        on_change=_on_setting,
        args=("closed_only", "funnel.closed_only"),
    )


def _basis_label(basis: str) -> str:
    return "won / (won + lost)" if basis == "closed" else "won / all created"


def _on_setting(field: str, key: str) -> None:
    """A Stage 2 setting changed: save its widget's value (the benchmark's 'none' as no benchmark)."""
    value = st.session_state[key]
    state.update_section("funnel", **{field: None if field == "benchmark_id" and value == "none" else value})


def _on_target() -> None:
    raw = st.session_state["funnel.target"].strip()
    value = parse_money(raw) if raw else None
    if raw and (value is None or value < 0):
        st.session_state["funnel.target_error"] = f"'{raw}' is not an amount of money; type e.g. 5M or 5,000,000"
        return
    st.session_state.pop("funnel.target_error", None)
    state.update_section("funnel", target=value)


def figures_panel(assessment: Assessment, result: Result | None, problem: str | None) -> None:
    if assessment.funnel.source == "workshop":
        workshop_figures(assessment)
        return
    settings(assessment)
    if st.session_state.get("funnel.target_error"):
        st.error(st.session_state["funnel.target_error"], icon=":material/error:")
    if result is None:
        st.info(problem, icon=":material/info:")
        return
    a = result.analysis
    from ui.widgets import figures

    figures(funnel_figures(a, assessment.currency, benchmark(assessment)))
    st.subheader("Funnel")
    widgets.chart(lambda: charts.funnel(a.stages), ("funnel",), result)
    st.caption(
        "Deals that reached each stage (furthest stage: current if open, last if won, the stage lost at if "
        "lost); the percent is the conversion to the next stage."
    )
    st.subheader("Conversion against benchmark")
    widgets.chart(lambda: charts.conversion_vs_benchmark(a.stages), ("conversion",), result)
    widgets.table(stage_table(a, assessment.currency), hide_index=True)
    if any(s.time_median_days is not None for s in a.stages):
        st.subheader("Time in stage")
        widgets.chart(lambda: charts.time_in_stage(a.stages), ("time",), result)
    else:
        st.caption("Time in stage needs a stage history (a history file, or one row per stage entry).")
    if "amount" in result.fields:
        st.subheader("Open pipeline by stage")
        by = st.segmented_control("Show", ["count", "value"], default="count", key="funnel.pipeline_by")
        widgets.chart(
            lambda: charts.pipeline_by_stage(result.pipeline_by_stage(), by or "count", currency=assessment.currency),
            ("pipeline", by, assessment.currency),
            result,
        )


def benchmark(assessment: Assessment) -> BenchmarkSet | None:
    """The benchmark set the assessment compares against (Stage 2 settings), None when none is chosen."""
    return state.catalog().benchmarks().get(assessment.funnel.benchmark_id or "")


def workshop_figures(assessment: Assessment) -> None:
    rows = assessment.funnel.workshop
    if len(rows) < 2:
        st.info(
            "Type at least two stage volumes on the Data tab (workshop numbers) and save them.", icon=":material/info:"
        )
        return
    bench = benchmark(assessment)
    v = analyze_volumes([(r.stage, r.volume, r.days_in_stage, r.value) for r in rows], bench)
    c1, c2 = st.columns(2)
    c1.metric("Overall conversion", fmt.percent(v.overall_conversion), help="Last stage volume / first stage volume.")
    if v.biggest_leak is not None:
        lk = v.biggest_leak
        c2.metric(
            "Biggest leak",
            f"{lk.from_stage} → {lk.to_stage}",
            fmt.percent(lk.conversion),
            delta_color="off",
            help="Largest shortfall against benchmark, else the lowest conversion.",
        )
    widgets.chart(lambda: charts.funnel(v.stages))
    widgets.chart(lambda: charts.conversion_vs_benchmark(v.stages))
    for reason in v.reasons.values():
        st.caption(reason)


def cohorts_panel(assessment: Assessment, result: Result | None, problem: str | None) -> None:
    if result is None:
        st.info(problem, icon=":material/info:")
        return
    keys = [k for k in (*COHORT_FIELDS, "size_band") if result.has_values(k)]
    if not keys:
        st.info(
            "Cohorts need an owner, segment, region, product, lead source or team column in the export.",
            icon=":material/info:",
        )
    else:
        key = st.selectbox("Compare by", keys, format_func=lambda k: k.replace("_", " "), key="funnel.cohort")
        table = result.cohort(key)
        widgets.chart(lambda: charts.cohort_win_rates(table, key, result.analysis.win_rate), ("cohort", key), result)
        st.caption(
            "Pale bars: fewer than 10 closed deals, too few to judge. Vermillion: more than two standard "
            "deviations from the other groups. Orange line: all deals."
        )
        widgets.table(cohort_table(table, key, assessment.currency), hide_index=True)
    if result.has_values("loss_reason"):
        st.subheader("Loss reasons")
        widgets.chart(lambda: charts.loss_pareto(result.losses("loss_reason")), ("loss",), result)
        st.caption("Lost deals per reason, largest first; the line is the cumulative share.")
    if result.has_values("lost_at_stage"):
        st.subheader("Stage at which deals are lost")
        widgets.chart(lambda: charts.loss_pareto(result.losses("lost_at_stage", blanks=None)), ("lost_at",), result)
        st.caption("Lost deals per the last stage they reached before being lost.")
    if result.has_values("competitor"):
        st.subheader("Lost to")
        widgets.chart(lambda: charts.loss_pareto(result.losses("competitor", blanks=None)), ("competitor",), result)
        st.caption("Lost deals that name a competitor, per competitor.")


def scoring_panel(assessment: Assessment, result: Result | None, problem: str | None) -> None:
    if result is None:
        st.info(problem, icon=":material/info:")
        return
    models = state.catalog().scoring()
    if not models:
        st.warning(
            "No scoring model in frameworks/scoring/; add one to score opportunities.", icon=":material/warning:"
        )
        return
    model_id = st.selectbox("Scoring model", list(models), format_func=lambda k: models[k].title, key="funnel.scoring")
    model = models[model_id]
    from salesopt.funnel.scoring import usable_criteria

    used = result._remember(
        ("usable", model.id, hash(model)), lambda: usable_criteria(result.scoring_frame(model), model)
    )
    unused = [c.label for c in model.criteria if c not in used]
    st.caption(
        "Score = points of the criteria a deal meets / points of the criteria this export can answer, 0-100. "
        f"High from {model.high_at}, Medium from {model.medium_at}."
        + (f" Not in this export, so left out: {'; '.join(unused)}." if unused else "")
    )
    scored = result.scored(model)
    if scored.empty:
        st.info("No open deals to prioritize.", icon=":material/info:")
    elif not used:
        st.info(
            "None of the scoring criteria's fields is in this export; map segment, lead source, next step, "
            "forecast category or probability on the Data tab.",
            icon=":material/info:",
        )
    else:
        mix = result._remember(("mix", model.id, hash(model)), lambda: priority_mix(scored))
        c1, c2, c3 = st.columns(3)
        for col, tier in zip((c1, c2, c3), mix.index, strict=True):
            col.metric(f"{tier} priority", fmt.number(int(mix[tier])), help=f"Open deals scored {tier}.")
        widgets.chart(lambda: charts.priority_mix(mix), ("mix", model.id, hash(model)), result)
        widgets.table(prioritized_table(scored, assessment.currency), hide_index=True)
        st.caption(f"The {min(len(scored), SHOWN)} best of {len(scored):,} open deals, best first.")
    st.subheader("Stage win probability: observed against configured")
    table = result.calibration(model.min_closed_for_calibration)
    widgets.table(
        widgets.readable(
            table.assign(observed=table["observed"].map(fmt.percent), configured=table["configured"].map(fmt.percent))
        ),
        hide_index=True,
    )
    st.caption(
        "Observed = closed deals that reached the stage and were won / closed deals that reached it. "
        "Configured = the median CRM probability of deals at that stage."
    )


def output_summary(assessment: Assessment, result: Result | None) -> None:
    """Stage 2 output: stage-by-stage metrics, bottlenecks and improvement opportunities."""
    if result is None:
        st.info(
            "Stage metrics appear here once the Data tab has an export or workshop volumes.", icon=":material/info:"
        )
        return
    a = result.analysis
    st.markdown("**Stage by stage**")
    widgets.table(stage_table(a, assessment.currency), hide_index=True)
    st.markdown("**Bottlenecks and improvement opportunities**")
    for line in bottleneck_lines(a, assessment.currency):
        st.markdown(f"- {line}")
