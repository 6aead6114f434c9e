"""Stage 2: the evaluation of the assessment's data (read once, with its progress), the page's tabs
(which one opens, and where an upload lands), the import banner every tab shows, the benchmark set
chosen, and the stage output. The Data tab is in funnel_data_ui, the figure tabs in funnel_figures_ui."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from salesopt.content.benchmarks import BenchmarkSet
from salesopt.crm import CrmError, NoStageColumn
from salesopt.model.assessment import Assessment, CrmSource
from salesopt.report.figures import bottleneck_lines, stage_table
from salesopt.storage import NotFound, StorageError
from ui import state, uploads, widgets

if TYPE_CHECKING:  # the Stage 2 pipeline (DuckDB) loads when an export is first read
    from salesopt.funnel.stage2 import Result

AFFECTED_ALARM = 0.05  # over this share of rows rejected or emptied, every Stage 2 tab says so


def import_key(crm: CrmSource) -> uploads.ImportKey:
    history = (crm.history_sha256, crm.history_name or "history") if crm.history_sha256 else None
    return crm.sha256, crm.name, tuple(sorted(crm.overrides.items())), crm.dayfirst, history


def current_result(assessment: Assessment) -> tuple[Result | None, str | None]:
    """(Result, None), or (None, the message saying why there is no result). The first read of
    an export shows its progress here, above the tabs."""
    crm = assessment.funnel.crm
    if crm is None:
        return None, "Upload a CRM export on the Data tab, or type stage volumes there as workshop numbers."
    try:
        if not uploads.reachable(assessment.id, *([crm.sha256] + ([crm.history_sha256] if crm.history_sha256 else []))):
            return None, NOT_HERE.format(name=crm.name)
    except StorageError as exc:
        return None, f"The saved export cannot be opened: {exc}."
    f = assessment.funnel
    bar = st.empty()

    def progress(done: float, text: str) -> None:
        bar.progress(min(max(done, 0.0), 1.0), text=text)

    try:
        uploads.imported(*import_key(crm), _progress=progress, owner=assessment.id)
        result = uploads.evaluated(
            import_key(crm),
            tuple(crm.stage_order),
            tuple(crm.won),
            tuple(crm.lost),
            f.target,
            f.closed_only,
            f.win_rate_basis,
            f.benchmark_id,
            tuple(sorted(crm.stage_probabilities.items())),
            f.as_of,
            _owner=assessment.id,
        )
    except NoStageColumn:
        return None, NO_STAGE
    except CrmError as exc:
        return None, f"The saved export cannot be read with the current mapping: {exc}"
    except NotFound:
        return None, NOT_HERE.format(name=crm.name)
    except StorageError as exc:
        return None, f"The saved export cannot be opened: {exc}."
    finally:
        bar.empty()
    return result, None


NOT_HERE = (
    "This assessment names a CRM export ({name}) that was not uploaded to it on this server, so it is not "
    "opened here. Upload the export on the Data tab to analyse it."
)
NO_STAGE = "No column of this export is recognised as the deal stage yet: pick it under Column mapping on the Data tab."


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


def benchmark(assessment: Assessment) -> BenchmarkSet | None:
    """The benchmark set the assessment compares against (Stage 2 settings), None when none is chosen."""
    return state.catalog().benchmarks().get(assessment.funnel.benchmark_id or "")


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
