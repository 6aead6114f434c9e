"""What every page starts with: the URL's assessment, the sidebar with each stage's progress, the
flash message and the conflict dialog, the stage's header (and its timebox in workshop mode), the
page's style, and the content a page requires (its stage's questions, its kit, an open assessment)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Literal, overload

import streamlit as st

from salesopt.content.frameworks import EnablementKit, PerformanceKit, Stage
from salesopt.model import progress
from salesopt.model.assessment import Assessment
from salesopt.report.mdtext import md_text
from ui import state

# ---- frame --------------------------------------------------------------------------------------


def stage_progress_bar(stage: Stage, assessment: Assessment) -> None:
    """Workshop mode: the stage's progress under its heading (the same count as the sidebar's)."""
    p = progress.of_stage(assessment, stage)
    st.progress(p.share, text=f"Stage {stage.number} · {p.text}")


def frame() -> None:
    """What every page starts with: the URL's assessment, the sidebar, messages and conflicts."""
    state.sync_with_url()
    state.refill_widgets()
    sidebar(state.catalog().stages())
    workshop_style()
    commit_while_typing()
    flash_message()
    save_error_banner()
    conflict_banner()


def flash_message() -> None:
    message = state.pop_flash()
    if message:
        kind, text = message
        {"error": st.error, "success": st.success, "warning": st.warning}.get(kind, st.info)(text)


def save_error_banner() -> None:
    """The last save failed (the disk is full, the database read-only, busy, damaged or unreachable):
    said at the top of every page until a save succeeds, with the way to retry."""
    s = state.status()
    if s.get("state") != "error":
        return
    c1, c2 = st.columns([5, 1], vertical_alignment="center")
    c1.error(
        f"Your latest changes are not saved: {s.get('message', '')}. They are kept in this tab; do not close it "
        "before they are saved (or export the assessment from Home).",
        icon=":material/error:",
    )
    c2.button("Retry saving", on_click=state.retry_save, icon=":material/refresh:", key="so.retry_save.top")


def flash_here() -> None:
    """The message an action just left (a failed start, demo or import), drawn where its button is,
    in the same run, not one click later at the top of the page."""
    message = state.pop_flash()
    if message:
        kind, text = message
        {"error": st.error, "success": st.success, "warning": st.warning}.get(kind, st.info)(
            text, icon=":material/error:" if kind == "error" else None
        )


def conflict_banner() -> None:
    """A save met another tab's change to the same field: the choice opens as a dialog in the middle
    of the screen, where the user is, however far down the page they were editing."""
    pending = state.conflict()
    if not pending:
        return
    st.error(
        f"Someone else saved this assessment, or you did in another tab (now version {pending['current_version']}), "
        "and the same answers differ. Your latest answers are kept here, not saved yet.",
        icon=":material/sync_problem:",
    )
    _conflict_dialog(pending["current_version"])


@st.dialog("This assessment was changed elsewhere", width="large", dismissible=False)
def _conflict_dialog(version: int) -> None:
    pending = state.conflict()
    if not pending:
        return
    import pandas as pd

    from ui import widgets

    collide, others = state.conflict_rows(pending)
    st.markdown(f"It is now at version {version}. These answers were changed both here and there, differently:")
    widgets.table(pd.DataFrame(collide, columns=["Answer", "Yours (not saved)", "Theirs (saved)"]), hide_index=True)
    if others:
        st.markdown("Kept whatever you choose (each was changed on one side only):")
        widgets.table(pd.DataFrame(others, columns=["Answer", "Changed by", "Kept as"]), hide_index=True)
    choices: tuple[tuple[str, str, Literal["primary", "secondary"]], ...] = (
        ("Reload theirs for these answers (drop my version of them)", "reload", "secondary"),
        ("Overwrite theirs with mine for these answers only", "overwrite", "secondary"),
        ("Keep both: save mine as a new assessment with its own link", "copy", "primary"),
    )
    for label, choice, kind in choices:
        if st.button(label, key=f"conflict.{choice}", type=kind, width="stretch"):
            state.resolve_conflict(choice)
            st.rerun()  # the whole page, which closes the dialog (a click inside reruns only the dialog)


def save_indicator() -> None:
    s = state.status()
    if s["state"] == "conflict":
        st.caption(":material/sync_problem: Not saved: choose what to do in the dialog")
    elif s["state"] == "error":
        st.caption(f":material/error: Not saved: {s.get('message', '')}")
        st.button("Retry saving", on_click=state.retry_save, icon=":material/refresh:", key="so.retry_save")
    elif state.unsaved():
        st.caption(":material/hourglass_empty: Not saved yet")
    elif s["state"] == "saved":
        at = datetime.fromisoformat(s["at"]).strftime("%H:%M:%S UTC")
        st.caption(f":material/cloud_done: All answers saved · {at}")


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
        st.markdown(
            f"**{md_text(assessment.title)}**" + (f"  \n{md_text(assessment.company)}" if assessment.company else "")
        )
        for stage in stages:
            p = progress.of_stage(assessment, stage)
            st.progress(p.share, text=f"{stage.number}. {stage.title}: {p.text}")
        save_indicator()


def header(stage: Stage) -> None:
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
        st.page_link("app_pages/home.py", label="Go to Home", icon=":material/home:")
        st.stop()
    return assessment


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
