"""Shared widgets: the sidebar, the conflict banner, typed question inputs and the stage stepper."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypedDict, overload

import altair as alt
import streamlit as st

from salesopt.content.frameworks import EnablementKit, PerformanceKit, Question, Stage
from salesopt.model import progress
from salesopt.model.answers import display, editable, parse
from salesopt.model.assessment import Assessment
from salesopt.report.figures import Figure, aspect_summaries
from ui import state

if TYPE_CHECKING:
    import pandas as pd

    from salesopt.funnel.stage2 import Result

PLACEHOLDERS = {
    "money": "e.g. 50k or $50,000",
    "percent": "e.g. 20%",
    "duration": "e.g. 9 months, 6 weeks or 45 days",
    "number": "e.g. 10",
}


# ---- frame --------------------------------------------------------------------------------------


def stage_progress_bar(stage: Stage, assessment: Assessment) -> None:
    """Workshop mode: the stage's progress under its heading (the same count as the sidebar's)."""
    p = progress.of_stage(assessment, stage)
    st.progress(p.share, text=f"Stage {stage.number} · {p.text}")


def frame() -> None:
    """What every page starts with: the URL's assessment, the sidebar, messages and conflicts."""
    state.sync_with_url()
    sidebar(state.catalog().stages())
    workshop_style()
    commit_while_typing()
    flash_message()
    conflict_banner()


def flash_message() -> None:
    message = state.pop_flash()
    if message:
        kind, text = message
        {"error": st.error, "success": st.success, "warning": st.warning}.get(kind, st.info)(text)


def conflict_banner() -> None:
    """A save met a newer version: the choice opens as a dialog in the middle of the screen, where
    the user is, however far down the page they were editing."""
    pending = state.conflict()
    if not pending:
        return
    st.error(
        f"Someone else saved this assessment (now version {pending['current_version']}) while you were editing. "
        "Your latest answers are kept here, not saved yet.",
        icon=":material/sync_problem:",
    )
    _conflict_dialog(pending["current_version"])


@st.dialog("Someone else saved this assessment", width="large", dismissible=False)
def _conflict_dialog(version: int) -> None:
    st.markdown(
        f"It is now at version {version}. Your latest answers are kept here, not saved yet. What should happen?"
    )
    choices: tuple[tuple[str, str, Literal["primary", "secondary"]], ...] = (
        ("Reload their version and drop my changes", "reload", "secondary"),
        ("Overwrite their version with mine", "overwrite", "secondary"),
        ("Keep both: save mine as a new assessment with its own link", "copy", "primary"),
    )
    for label, choice, kind in choices:
        if st.button(label, key=f"conflict.{choice}", type=kind, width="stretch"):
            state.resolve_conflict(choice)
            st.rerun()  # the whole page, which closes the dialog (a click inside reruns only the dialog)


def save_indicator() -> None:
    s = state.status()
    if s["state"] == "saved":
        at = datetime.fromisoformat(s["at"]).strftime("%H:%M:%S UTC")
        st.caption(f":material/cloud_done: All answers saved · {at}")
    elif s["state"] == "conflict":
        st.caption(":material/sync_problem: Not saved: choose what to do in the dialog")
    elif s["state"] == "error":
        st.caption(f":material/error: Not saved: {s.get('message', '')}")


def sidebar(stages: list[Stage]) -> None:
    assessment = state.current()
    with st.sidebar:
        st.toggle(
            "Workshop mode",
            key=state.K_WORKSHOP,
            help="For a projector: wide layout, large type, one question at a time.",
            persist_state="session",
            on_change=state.workshop_changed,
        )
        if state.workshop_mode():
            st.toggle(
                "Facilitator notes",
                key=state.K_NOTES,
                help="What to listen for and ask next, per question.",
                persist_state="session",
            )
        if assessment is None:
            st.caption("No assessment open. Start one, resume one or open the demo from Home.")
            return
        st.markdown(f"**{assessment.title}**" + (f"  \n{assessment.company}" if assessment.company else ""))
        for stage in stages:
            p = progress.of_stage(assessment, stage)
            st.progress(p.share, text=f"{stage.number}. {stage.title}: {p.text}")
        save_indicator()


def page_header(stage: Stage) -> None:
    st.title(f"Stage {stage.number} · {stage.title}")
    st.caption(f"**Goal:** {stage.goal} {stage.approach}")
    if state.workshop_mode():
        assessment = state.current()
        if assessment is not None:
            stage_progress_bar(stage, assessment)
        timebox(stage)


def timebox(stage: Stage) -> None:
    """Workshop mode: the stage's timebox, a clock the facilitator starts, pauses and resets."""
    box = state.timebox(stage.id, stage.minutes)
    c1, c2, c3, _ = st.columns([3, 1, 1, 1], vertical_alignment="center")
    with c1:
        _clock(stage.id, stage.minutes)
    now = time.time()
    if box.started_at is None:
        if c2.button("Start", key=f"timebox.{stage.id}.start", icon=":material/play_arrow:", width="stretch"):
            state.set_timebox(stage.id, box.start(now))
            st.rerun()
    elif c2.button("Pause", key=f"timebox.{stage.id}.pause", icon=":material/pause:", width="stretch"):
        state.set_timebox(stage.id, box.pause(now))
        st.rerun()
    if c3.button("Reset", key=f"timebox.{stage.id}.reset", icon=":material/restart_alt:", width="stretch"):
        state.set_timebox(stage.id, box.reset())
        st.rerun()


@st.fragment(run_every=1)
def _clock(stage_id: str, minutes: int) -> None:
    from salesopt.timebox import clock

    box = state.timebox(stage_id, minutes)
    left = box.left(time.time())
    status = "running" if box.started_at is not None else ("paused" if box.elapsed else "not started")
    text = (
        f"Timebox: **{clock(left)}** left of {minutes} min ({status})"
        if left >= 0
        else (f"Timebox: **{clock(left)}** over the {minutes} min ({status})")
    )
    (st.error if left < 0 else st.markdown)(text)


def require_assessment() -> Assessment:
    """The open assessment; otherwise a pointer to Home, and the page stops."""
    assessment = state.current()
    if assessment is None:
        st.info(
            "No assessment is open. Start a new one, resume one with its link, or open the demo.",
            icon=":material/info:",
        )
        st.page_link("pages/home.py", label="Go to Home", icon=":material/home:")
        st.stop()
    return assessment


def figures(items: list[Figure], per_row: int = 4) -> None:
    for start in range(0, len(items), per_row):
        cols = st.columns(per_row)
        for col, fig in zip(cols, items[start : start + per_row], strict=False):
            col.metric(fig.label, fig.value, help=fig.help)


# ---- questions ----------------------------------------------------------------------------------


def _key(stage_id: str, qid: str) -> str:
    return f"{state.WIDGET_PREFIX}{stage_id}.{qid}"


def _on_answer(stage_id: str, q: Question) -> None:
    key = _key(stage_id, q.id)
    parsed = parse(q, st.session_state.get(key))
    errors = state.field_errors()
    if not parsed.ok:
        errors[key] = parsed.error or ""
        return
    errors.pop(key, None)
    assessment = state.current()
    if assessment is not None and assessment.section(stage_id).answers.get(q.id) != parsed.value:
        state.update(assessment.with_answer(stage_id, q.id, parsed.value))


class _AnswerArgs(TypedDict):
    """What every question's input takes: its key, the callback that saves it, and its help."""

    key: str
    on_change: Callable[[str, Question], None]
    args: tuple[str, Question]
    help: str | None


def question_input(stage_id: str, q: Question, assessment: Assessment) -> None:
    key = _key(stage_id, q.id)
    stored = assessment.section(stage_id).answers.get(q.id)
    kwargs = _AnswerArgs(key=key, on_change=_on_answer, args=(stage_id, q), help=q.help or None)
    if q.type == "choice":
        default = stored if isinstance(stored, list) else ([stored] if stored else [])
        st.session_state.setdefault(key, default if q.multiple else (default[0] if default else None))
        if q.multiple:
            st.pills(q.prompt, q.options, selection_mode="multi", **kwargs)
        else:
            st.pills(q.prompt, q.options, selection_mode="single", **kwargs)
    elif q.type == "text":
        st.session_state.setdefault(key, stored or "")
        st.text_area(q.prompt, height=90, max_chars=5000, **kwargs)
    else:
        st.session_state.setdefault(key, editable(q, stored))
        st.text_input(q.prompt, placeholder=PLACEHOLDERS[q.type], **kwargs)
    error = state.field_errors().get(key)
    if error:
        st.error(f"**{q.prompt}** {error}. Not saved; correct it and press Enter.", icon=":material/error:")
    elif q.type not in ("text", "choice") and stored is not None:
        st.caption(f"Saved as {display(q, stored, assessment.currency)}")
    if q.note and state.facilitator_notes():
        st.info(f"Facilitator: {q.note}", icon=":material/record_voice_over:")


# ---- the stage stepper --------------------------------------------------------------------------


def _go(stage_id: str, field: str, step: int) -> None:
    assessment = state.current()
    if assessment is not None:
        state.update(assessment.with_section(stage_id, **{field: step}))


def _on_closing(stage_id: str) -> None:
    assessment = state.current()
    value = st.session_state.get(_key(stage_id, "closing"), "") or ""
    if assessment is not None:
        state.update(assessment.with_section(stage_id, closing_answer=value.strip()[:5000]))


NEXT_PAGE = {
    "context": ("pages/funnel.py", "Stage 2 · Funnel analysis"),
    "funnel": ("pages/qualification.py", "Stage 3 · Qualification"),
    "qualification": ("pages/enablement.py", "Stage 4 · Enablement"),
    "enablement": ("pages/performance.py", "Stage 5 · Performance"),
    "performance": ("pages/plan.py", "The plan"),
}


def _nav(stage_id: str, field: str, step: int, total: int, suffix: str, last_label: str = "Next") -> None:
    """Next / back along ``field`` (the aspect step, or the question step in workshop mode); at the
    end, the link to the next stage. Next comes first, so it is the first button the keyboard reaches
    after the answer (Tab from the field, then Enter)."""
    nxt, back, _ = st.columns([1, 1, 1])
    if step < total:
        nxt.button(
            "Next" if step < total - 1 else last_label,
            on_click=_go,
            args=(stage_id, field, step + 1),
            key=f"{stage_id}.{suffix}next",
            type="primary",
            icon=":material/arrow_forward:",
            width="stretch",
        )
    else:
        target, label = NEXT_PAGE[stage_id]
        nxt.page_link(target, label=label, icon=":material/arrow_forward:", width="stretch")
    back.button(
        "Back",
        on_click=_go,
        args=(stage_id, field, step - 1),
        disabled=step == 0,
        key=f"{stage_id}.{suffix}back",
        icon=":material/arrow_back:",
        width="stretch",
    )


def dialogue(
    stage: Stage,
    assessment: Assessment,
    output_figures: list[Figure] | None = None,
    output_extra: Callable[[], None] | None = None,
) -> None:
    """The stage one aspect at a time with next/back, ending on its output and closing question. In
    workshop mode one question at a time, large, beside what the room has said so far in its aspect
    and the stage's figures."""
    if state.workshop_mode():
        _workshop_dialogue(stage, assessment, output_figures, output_extra)
        return
    section = assessment.section(stage.id)
    items = [(a.title, list(a.questions)) for a in stage.aspects]
    step = min(section.step, len(items))
    text = f"Step {step + 1} of {len(items) + 1}: " + (items[step][0] if step < len(items) else "Output")
    st.progress(step / len(items), text=f"{text} · {progress.of_stage(assessment, stage).text}")
    if step < len(items):
        title, questions = items[step]
        st.subheader(title)
        for q in questions:
            question_input(stage.id, q, assessment)
    else:
        _output(stage, assessment, output_figures, output_extra)
    _nav(stage.id, "step", step, len(items), "", "Stage output")


def _output(
    stage: Stage, assessment: Assessment, output_figures: list[Figure] | None, output_extra: Callable[[], None] | None
) -> None:
    if output_figures:
        figures(output_figures)
    if output_extra is not None:
        output_extra()
    stage_output(stage, assessment)


def _workshop_dialogue(
    stage: Stage,
    assessment: Assessment,
    output_figures: list[Figure] | None,
    output_extra: Callable[[], None] | None,
) -> None:
    """Workshop mode: the question on the left with next/back right under it and the stage's figures
    (where it has them) below; on the right the answers captured so far in its aspect."""
    items = [(i, a.title, q) for i, a in enumerate(stage.aspects) for q in a.questions]
    step = min(assessment.section(stage.id).question_step, len(items))
    st.progress(
        progress.of_stage(assessment, stage).share,
        text=f"{progress.position(stage, step)} · {progress.of_stage(assessment, stage).text}",
    )
    left, right = st.columns([3, 2], gap="large")
    with left:
        if step < len(items):
            _, title, q = items[step]
            st.caption(title)
            question_input(stage.id, q, assessment)
        else:
            if output_extra is not None:
                output_extra()
            stage_output(stage, assessment)
        _nav(stage.id, "question_step", step, len(items), "w", "Next")
        if output_figures:  # under the question, where the screen is free: the room sees the numbers
            st.caption("The stage's figures")
            figures(output_figures, per_row=3)
    with right:
        if step < len(items):
            aspect = aspect_summaries(assessment, stage)[items[step][0]]
            with st.container(border=True):
                st.markdown(f"**Said so far: {aspect.title}**")
                if aspect.items:
                    for prompt, answer in aspect.items:
                        st.markdown(f"- *{prompt}*  \n  {answer}")
                else:
                    st.caption("Nothing answered in this part yet.")


def stage_output(stage: Stage, assessment: Assessment) -> None:
    """The stage's answers by aspect, and its closing question."""
    st.subheader("Stage output")
    st.caption(stage.output)
    for summary in aspect_summaries(assessment, stage):
        with st.container(border=True):
            st.markdown(f"**{summary.title}**")
            if summary.items:
                for prompt, answer in summary.items:
                    st.markdown(f"- *{prompt}*  \n  {answer}")
            if summary.unanswered:
                st.caption(f"{summary.unanswered} question(s) not answered yet; go Back to answer them.")
    key = _key(stage.id, "closing")
    st.session_state.setdefault(key, assessment.section(stage.id).closing_answer)
    st.text_area(
        f"**{stage.closing_question}**", key=key, on_change=_on_closing, args=(stage.id,), height=120, max_chars=5000
    )


def require_stage(stage_id: str) -> Stage:
    """The stage's dialogue content; if its YAML file is broken, say so and stop the page."""
    stage = state.catalog().stage(stage_id)
    if stage is None:
        problems = [str(p) for p in state.catalog().problems]
        st.error(
            "This stage's question file could not be loaded, so the stage is unavailable:\n\n"
            + "\n".join(f"- `{p}`" for p in problems),
            icon=":material/error:",
        )
        st.stop()
    return stage


WORKSHOP_CSS = """
<style>
/* workshop mode: read from the back of a room on a 1920x1080 projector: text 24 px and up */
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] textarea, [data-testid="stMain"] input, [data-testid="stMain"] td,
[data-testid="stMain"] th, [data-testid="stMain"] [data-baseweb="select"] div,
[data-testid="stMain"] button p { font-size: 1.6rem !important; line-height: 1.45; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.5rem !important; }
[data-testid="stMain"] h1 span, [data-testid="stMain"] h2 span, [data-testid="stMain"] h3 span,
[data-testid="stMain"] h4 span { font-size: inherit !important; }
[data-testid="stMain"] h1 { font-size: 3.4rem !important; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 2.4rem !important; }
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] p,
[data-testid="stMain"] [data-testid="stMetricValue"] div { font-size: 3.4rem !important; line-height: 1.15; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.6rem !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p { color: #262730; }
/* a button's label keeps the button's own colour (white on the primary blue: 5.2:1, not dark on blue) */
[data-testid="stMain"] button [data-testid="stMarkdownContainer"] p { color: inherit; }
</style>
"""


READABLE_CSS = """
<style>
/* on a wide page, running text keeps a readable line length; charts and tables use the width */
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { max-width: 80ch; }
</style>
"""


# Text areas commit while typing: a text area sends its value on leaving the field or on
# Ctrl+Enter only, so text typed and not yet left was lost on a closed tab. This fixed script
# (no user text in it) sends Ctrl+Enter to a text area 0.7 s after the last keystroke, and to every
# text area when the page is hidden or closed. Text areas inside a form are left alone (there
# Ctrl+Enter would submit the form).
COMMIT_WHILE_TYPING_JS = """
<script>
(() => {
  if (window.__salesoptCommit) return;
  window.__salesoptCommit = true;
  const timers = new WeakMap();
  const commit = (el) => {
    if (!el.isConnected || el.closest('[data-testid="stForm"]')) return;
    if (!el.closest('[data-testid="stTextArea"]')) return;
    el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', code: 'Enter', keyCode: 13, which: 13,
      ctrlKey: true, metaKey: true, bubbles: true, cancelable: true}));
  };
  document.addEventListener('input', (e) => {
    const el = e.target;
    if (!(el instanceof HTMLTextAreaElement)) return;
    clearTimeout(timers.get(el));
    timers.set(el, setTimeout(() => commit(el), 700));
  }, true);
  const all = () => document.querySelectorAll('[data-testid="stMain"] textarea').forEach(commit);
  window.addEventListener('pagehide', all);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') all(); });
})();
</script>
"""


def commit_while_typing() -> None:
    st.html(COMMIT_WHILE_TYPING_JS, unsafe_allow_javascript=True, width="content")


def workshop_style() -> None:
    """Readable line length everywhere; large type for a projector in workshop mode (fixed CSS,
    no user text)."""
    st.html(READABLE_CSS)
    if state.workshop_mode():
        st.html(WORKSHOP_CSS)


@overload
def require_kit(kind: Literal["enablement"]) -> EnablementKit: ...
@overload
def require_kit(kind: Literal["performance"]) -> PerformanceKit: ...
def require_kit(kind: Literal["enablement", "performance"]) -> EnablementKit | PerformanceKit:
    """The stage's content file (frameworks/enablement or frameworks/performance); stop if broken."""
    kit: EnablementKit | PerformanceKit | None = (
        state.catalog().enablement() if kind == "enablement" else state.catalog().performance()
    )
    if kit is None:
        st.error(f"frameworks/{kind}/ has no valid file; see the problems listed on Home.", icon=":material/error:")
        st.stop()
    return kit


VegaLite = dict[str, Any]  # a chart's Vega-Lite spec, as Altair's to_dict gives it (JSON)
_SPECS: OrderedDict[tuple[Hashable, ...], VegaLite] = OrderedDict()
_SPECS_MAX = 256


def chart(
    build: Callable[[], alt.TopLevelMixin] | alt.TopLevelMixin,
    key: tuple[Hashable, ...] | None = None,
    memo: Result | None = None,
) -> None:
    """Draw an Altair chart (or what builds it) from its Vega-Lite spec. With a key, the spec is
    built once and reused on reruns (on ``memo``, a pipeline Result, or in a small LRU): building and
    validating an Altair chart costs 20-30 ms, which a rerun on a lever or a toggle should not pay again."""
    if isinstance(build, alt.TopLevelMixin):
        built = build
        build = lambda: built  # noqa: E731 - the one chart, already built
    spec: VegaLite
    if key is None:
        spec = build().to_dict(validate=False)
    elif memo is not None:
        spec = memo._remember(("spec", *key), lambda: build().to_dict(validate=False))
    else:
        found = _SPECS.get(key)
        if found is None:
            spec = _SPECS[key] = build().to_dict(validate=False)
            while len(_SPECS) > _SPECS_MAX:
                _SPECS.popitem(last=False)
        else:
            spec = found
        _SPECS.move_to_end(key)
    if state.workshop_mode():
        spec = _projector(spec)
    st.vega_lite_chart(spec=spec, width="stretch")


PROJECTOR_FONTS = {
    "axis": {"labelFontSize": 24, "titleFontSize": 26},
    "legend": {"labelFontSize": 24, "titleFontSize": 24},
    "header": {"labelFontSize": 24, "titleFontSize": 26},
    "title": {"fontSize": 30},
    "text": {"fontSize": 24},
}


def _projector(spec: VegaLite) -> VegaLite:
    """A chart's text at projector size (workshop mode): axes, legends, titles and labels 24 px+."""
    config = dict(spec.get("config") or {})
    for part, fonts in PROJECTOR_FONTS.items():
        config[part] = {**(config.get(part) or {}), **fonts}
    return {**_bigger_text_marks(spec), "config": config}


def _bigger_text_marks(spec: object) -> Any:
    """Text marks (bar-end labels) at 24 px or more, in every layer. ``spec`` is a part of a
    Vega-Lite spec (any JSON value); the answer has the same shape."""
    if isinstance(spec, list):
        return [_bigger_text_marks(s) for s in spec]
    if not isinstance(spec, dict):
        return spec
    out = {
        k: _bigger_text_marks(v) if k in ("layer", "hconcat", "vconcat", "concat", "spec") else v
        for k, v in spec.items()
    }
    mark = out.get("mark")
    if isinstance(mark, dict) and mark.get("type") == "text":
        out["mark"] = {**mark, "fontSize": max(int(mark.get("fontSize") or 0), 24)}
    elif mark == "text":
        out["mark"] = {"type": "text", "fontSize": 24}
    return out


def table(frame: pd.DataFrame, **kwargs: Any) -> None:
    """A table: an interactive grid normally; in workshop mode an HTML table (its cells take the
    projector type size, which the grid's canvas cannot), first 40 rows."""
    if state.workshop_mode():
        shown = frame.head(40)
        st.table(shown.style.hide(axis="index"))
        if len(frame) > 40:
            st.caption(f"First 40 of {len(frame):,} rows.")
        return
    st.dataframe(frame, **kwargs)


DownloadData = str | bytes | Callable[[], str | bytes]


def download_row(items: list[tuple[str, DownloadData, str, str, str]], key: str) -> None:
    """One row of download buttons: (label, data or a callable making it, file name, mime type, icon).
    A callable runs only when its button is clicked (the PDF, the zip)."""
    for i, (col, (label, data, name, mime, icon)) in enumerate(zip(st.columns(len(items)), items, strict=True)):
        col.download_button(label, data, name, mime, icon=icon, on_click="ignore", width="stretch", key=f"{key}.{i}")


# ---- tables for people ------------------------------------------------------------------------

COLUMN_LABELS = {
    "opportunity_id": "Opportunity",
    "name": "Name",
    "owner": "Owner",
    "stage": "Stage",
    "amount": "Amount",
    "close_date": "Close date",
    "created_date": "Created",
    "next_step": "Next step",
    "closed_reached": "Closed deals that reached it",
    "won": "Won",
    "lost": "Lost",
    "open": "Open",
    "observed": "Observed win rate",
    "configured": "Configured probability",
    "note": "Note",
    "crm_probability": "CRM probability",
    "adjusted_probability": "Adjusted probability",
    "suggested_category": "Suggested category",
    "crm_category": "CRM category",
    "tier": "Tier",
    "total": "Score",
    "score": "Score",
    "category": "Forecast category",
    "deals": "Deals",
    "pipeline": "Open pipeline",
    "attainment": "Attainment",
    "coverage": "Coverage",
    "quota": "Quota",
    "accuracy": "Accuracy",
    "forecast": "Forecast",
    "actual": "Actual",
    "period": "Period",
    "flags": "Risk",
    "win_rate": "Win rate",
    "avg_deal_size": "Average deal size",
    "opportunities": "Opportunities",
}


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as people read it: labelled headers, dates as dates, no None/NaN/NaT (shown as —).
    Values the page formatted (money, percent) stay as they are."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            out[col] = series.dt.strftime("%Y-%m-%d").fillna("—")
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            out[col] = series.astype(object).where(series.notna(), "—")
    return out.rename(columns=lambda c: COLUMN_LABELS.get(str(c), str(c).replace("_", " ").capitalize()))
