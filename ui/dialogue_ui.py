"""The stage dialogue: typed question inputs, the aspect stepper (one question at a time in
workshop mode, beside what the room has said), the stage output and its closing question."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypedDict

import streamlit as st

from salesopt.content.frameworks import Question, Stage
from salesopt.model import progress
from salesopt.model.answers import AnswerValue, display, editable, parse
from salesopt.model.assessment import Assessment
from salesopt.report.figures import Figure, aspect_summaries
from salesopt.report.mdtext import md_text
from ui import state
from ui.widgets import figures

PLACEHOLDERS = {
    "money": "e.g. 50k or $50,000",
    "percent": "e.g. 20%",
    "duration": "e.g. 9 months, 6 weeks or 45 days",
    "number": "e.g. 10",
}


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


def _same(a: AnswerValue, b: AnswerValue) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
    return a == b


def _reconcile(stage_id: str, q: Question, raw: AnswerValue, stored: AnswerValue) -> AnswerValue:
    """An answer the widget holds but the assessment does not is saved now: its change callback
    never ran (the browser sent it to a session that had just started, after a reconnect or a
    server restart) or was cut short (Streamlit stopped the run for the next one). Returns the
    answer the assessment holds afterwards."""
    key = _key(stage_id, q.id)
    if key in state.field_errors() or state.needs_refill(key):
        return stored
    parsed = parse(q, raw)
    if not parsed.ok or _same(parsed.value, stored):
        return stored
    assessment = state.current()
    if assessment is None:
        return stored
    state.update(assessment.with_answer(stage_id, q.id, parsed.value))
    return parsed.value


def question_input(stage_id: str, q: Question, assessment: Assessment) -> None:
    key = _key(stage_id, q.id)
    stored = assessment.section(stage_id).answers.get(q.id)
    kwargs = _AnswerArgs(key=key, on_change=_on_answer, args=(stage_id, q), help=q.help or None)
    raw: AnswerValue
    if q.type == "choice":
        default = stored if isinstance(stored, list) else ([stored] if stored else [])
        st.session_state.setdefault(key, default if q.multiple else (default[0] if default else None))
        if q.multiple:
            raw = st.pills(q.prompt, q.options, selection_mode="multi", **kwargs)
        else:
            raw = st.pills(q.prompt, q.options, selection_mode="single", **kwargs)
    elif q.type == "text":
        st.session_state.setdefault(key, stored or "")
        raw = st.text_area(q.prompt, height=90, max_chars=5000, **kwargs)
    else:
        st.session_state.setdefault(key, editable(q, stored))
        raw = st.text_input(q.prompt, placeholder=PLACEHOLDERS[q.type], **kwargs)
    stored = _reconcile(stage_id, q, raw, stored)
    error = state.field_errors().get(key)
    confirmed = state.saved()
    in_database = confirmed.section(stage_id).answers.get(q.id) if confirmed is not None else None
    if error:
        st.error(f"**{q.prompt}** {md_text(error)}. Not saved; correct it and press Enter.", icon=":material/error:")
    elif not _same(in_database, stored):
        _not_saved()
    elif q.type not in ("text", "choice") and stored is not None:
        st.caption(f"Saved as {display(q, stored, assessment.currency)}")
    if q.note and state.facilitator_notes():
        st.info(f"Facilitator: {q.note}", icon=":material/record_voice_over:")


def _not_saved() -> None:
    """Under an answer the database has not confirmed: why, where the user is."""
    s = state.status()
    if s.get("state") == "conflict":
        st.warning(
            "Not saved yet: this assessment was changed in another tab; choose what to keep above.",
            icon=":material/sync_problem:",
        )
    elif s.get("state") == "error":
        st.error(f"Not saved: {s.get('message', '')}. Your answer is kept in this tab.", icon=":material/error:")
    else:
        st.caption(":material/hourglass_empty: Not saved yet")


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
    "context": ("app_pages/funnel.py", "Stage 2 · Funnel analysis"),
    "funnel": ("app_pages/qualification.py", "Stage 3 · Qualification"),
    "qualification": ("app_pages/enablement.py", "Stage 4 · Enablement"),
    "enablement": ("app_pages/performance.py", "Stage 5 · Performance"),
    "performance": ("app_pages/plan.py", "The plan"),
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
                        st.markdown(f"- *{prompt}*  \n  {md_text(answer)}")
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
                    st.markdown(f"- *{prompt}*  \n  {md_text(answer)}")
            if summary.unanswered:
                st.caption(f"{summary.unanswered} question(s) not answered yet; go Back to answer them.")
    key = _key(stage.id, "closing")
    st.session_state.setdefault(key, assessment.section(stage.id).closing_answer)
    raw = st.text_area(
        f"**{stage.closing_question}**", key=key, on_change=_on_closing, args=(stage.id,), height=120, max_chars=5000
    )
    current = state.current()
    typed = (raw or "").strip()[:5000]
    if current is not None and not state.needs_refill(key) and typed != current.section(stage.id).closing_answer:
        state.update(current.with_section(stage.id, closing_answer=typed))  # its callback never ran (a reconnect)
        current = state.current()
    confirmed = state.saved()
    if (
        confirmed is not None
        and current is not None
        and confirmed.section(stage.id).closing_answer != current.section(stage.id).closing_answer
    ):
        _not_saved()
