"""The state adapter: the only module that knows session-state keys.

The Assessment lives in session state as its JSON dump (``so.assessment``) with the storage
version it was loaded or last saved at (``so.version``). Every change goes through
:func:`update`, which saves at once; a save over a newer version is kept as a conflict
(``so.conflict``) for the user to resolve, never overwritten silently and never lost.
The private resume token sits in session state and in the URL (``?a=TOKEN``). Uploaded files and
their imports, shared by every session, are in ui/uploads.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, TypedDict

import streamlit as st
from pydantic import ValidationError

from salesopt.content.frameworks import Catalog, load_catalog
from salesopt.model.assessment import Assessment
from salesopt.model.files import AssessmentFileError, from_file_bytes, to_dict
from salesopt.storage import Conflict, NotFound, StorageError, Store, default_url

if TYPE_CHECKING:  # pandas and the timebox load when a page asks for them
    import pandas as pd

    from salesopt.timebox import Timebox


K_ASSESSMENT = "so.assessment"
K_VERSION = "so.version"
K_TOKEN = "so.token"  # noqa: S105 - a session-state key, not a secret
K_STATUS = "so.status"
K_CONFLICT = "so.conflict"
K_FLASH = "so.flash"
K_ERRORS = "so.errors"
K_WORKSHOP = "so.workshop"
K_NOTES = "so.notes"
QUERY_TOKEN = "a"  # noqa: S105 - the query parameter name
WIDGET_PREFIX = "q."
# Every page's widget keys start with one of these (the registry): switching, reloading, resuming
# or duplicating an assessment clears them all, so no widget shows a value from the one before.
WIDGET_PREFIXES = (WIDGET_PREFIX, "funnel.", "qual.", "whatif.", "perf.", "enable.", "mc.", "conflict.", "timebox.")


class SaveStatus(TypedDict, total=False):
    """What the sidebar says about saving: ``state`` is idle, saved, conflict or error."""

    state: Literal["idle", "saved", "conflict", "error"]
    at: str  # ISO time of the last save
    message: str  # why the last save failed


class PendingConflict(TypedDict):
    """A save that met a newer stored version: my assessment (its dump) and the stored version."""

    mine: dict[str, Any]
    current_version: int


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def store() -> Store:
    return _store(default_url())


@st.cache_resource(show_spinner=False)
def catalog() -> Catalog:
    return load_catalog()


# ---- reading ------------------------------------------------------------------------------------


def current() -> Assessment | None:
    data = st.session_state.get(K_ASSESSMENT)
    return Assessment.model_validate(data) if data else None


def opened() -> Assessment:
    """The open assessment, for a widget of a page that has one open (it required one first)."""
    assessment = current()
    if assessment is None:
        raise RuntimeError("no assessment is open")
    return assessment


def version() -> int | None:
    found: int | None = st.session_state.get(K_VERSION)
    return found


def token() -> str | None:
    found: str | None = st.session_state.get(K_TOKEN)
    return found


def status() -> SaveStatus:
    found: SaveStatus = st.session_state.get(K_STATUS, {"state": "idle"})
    return found


def conflict() -> PendingConflict | None:
    found: PendingConflict | None = st.session_state.get(K_CONFLICT)
    return found


def field_errors() -> dict[str, str]:
    errors: dict[str, str] = st.session_state.setdefault(K_ERRORS, {})
    return errors


QUERY_WORKSHOP = "w"  # workshop mode in the address, so a reload of the projector keeps it


def workshop_mode() -> bool:
    if K_WORKSHOP not in st.session_state and st.query_params.get(QUERY_WORKSHOP) == "1":
        st.session_state[K_WORKSHOP] = True
    return bool(st.session_state.get(K_WORKSHOP, False))


K_TIMEBOX = "so.timebox"  # per stage: the workshop clock


def timebox(stage_id: str, minutes: int) -> Timebox:
    from salesopt.timebox import Timebox

    boxes: dict[str, Timebox] = st.session_state.setdefault(K_TIMEBOX, {})
    box = boxes.get(stage_id)
    if box is None or box.minutes != minutes:
        box = boxes[stage_id] = Timebox(minutes)
    return box


def set_timebox(stage_id: str, box: Timebox) -> None:
    st.session_state.setdefault(K_TIMEBOX, {})[stage_id] = box


def workshop_changed() -> None:
    """Keep workshop mode in the address (``?w=1``) so that a browser reload keeps it."""
    if st.session_state.get(K_WORKSHOP):
        st.query_params[QUERY_WORKSHOP] = "1"
    else:
        st.query_params.pop(QUERY_WORKSHOP, None)


def facilitator_notes() -> bool:
    return workshop_mode() and bool(st.session_state.get(K_NOTES, False))


def flash(message: str, kind: str = "info") -> None:
    st.session_state[K_FLASH] = (kind, message)


def pop_flash() -> tuple[str, str] | None:
    message: tuple[str, str] | None = st.session_state.pop(K_FLASH, None)
    return message


# ---- switching the current assessment ----------------------------------------------------------


def _clear_widgets() -> None:
    for key in [k for k in st.session_state if str(k).startswith(WIDGET_PREFIXES)]:
        del st.session_state[key]
    st.session_state[K_ERRORS] = {}


def _set_current(assessment: Assessment, version: int, token: str | None) -> None:
    _clear_widgets()
    st.session_state[K_ASSESSMENT] = to_dict(assessment)
    st.session_state[K_VERSION] = version
    st.session_state[K_CONFLICT] = None
    st.session_state[K_STATUS] = {"state": "saved", "at": datetime.now(UTC).isoformat()}
    if token:
        st.session_state[K_TOKEN] = token
        st.query_params[QUERY_TOKEN] = token


def _create(assessment: Assessment) -> bool:
    try:
        stored, tok = store().create(assessment)
    except StorageError as exc:
        flash(f"Could not save the new assessment: {exc}", "error")
        return False
    _set_current(stored.assessment, stored.version, tok)
    return True


def start_new(title: str, company: str) -> bool:
    title = title.strip() or "Sales process assessment"
    return _create(Assessment(title=title[:200], company=company.strip()[:200]))


def open_demo() -> bool:
    """The seed's example with its generated CRM export already loaded in Stage 2."""
    from salesopt.demo import demo_assessment, demo_crm_csv  # numpy/pandas: imported when needed
    from salesopt.model.assessment import CrmSource

    demo = demo_assessment()
    try:
        data = demo_crm_csv()
        digest = store().put_file(data, "demo-crm-export.csv", demo.id)
    except StorageError as exc:
        flash(f"Could not save the demo: {exc}", "error")
        return False
    crm = CrmSource(sha256=digest, name="demo-crm-export.csv", size=len(data))
    return _create(demo.model_copy(update={"funnel": demo.funnel.model_copy(update={"crm": crm})}))


def import_file(raw: bytes, name: str) -> str | None:
    """Import an assessment file as a new assessment; returns an error message or None."""
    try:
        imported = from_file_bytes(raw, name)
    except AssessmentFileError as exc:
        return str(exc)
    # a fresh id: importing never touches another stored assessment
    fresh = imported.model_copy(update={"id": Assessment().id})
    return None if _create(fresh) else "the database refused the import; see the message above"


def resume(tok: str) -> bool:
    tok = tok.strip()
    if QUERY_TOKEN + "=" in tok:  # a whole resume link was pasted
        tok = tok.split(QUERY_TOKEN + "=", 1)[1].split("&", 1)[0]
    try:
        stored = store().load_by_token(tok)
    except NotFound:
        flash(
            "That resume link does not match any assessment. Check that it was copied whole; "
            "the assessment may also have been deleted.",
            "error",
        )
        return False
    except (StorageError, AssessmentFileError) as exc:
        flash(f"Could not load the assessment: {exc}", "error")
        return False
    _set_current(stored.assessment, stored.version, tok)
    return True


def close() -> None:
    for key in (K_ASSESSMENT, K_VERSION, K_TOKEN, K_CONFLICT, K_STATUS):
        st.session_state.pop(key, None)
    _clear_widgets()
    st.query_params.pop(QUERY_TOKEN, None)


def sync_with_url() -> None:
    """Called by the entry script on every run: the URL's resume token decides what is open."""
    url_token = st.query_params.get(QUERY_TOKEN)
    mine = token()
    if url_token and url_token != mine:
        resume(url_token)
        if token() != url_token:
            st.query_params.pop(QUERY_TOKEN, None)
    elif mine and not url_token:
        st.query_params[QUERY_TOKEN] = mine  # page switches drop query params; put it back
    if workshop_mode() and st.query_params.get(QUERY_WORKSHOP) != "1":
        st.query_params[QUERY_WORKSHOP] = "1"


# ---- saving -------------------------------------------------------------------------------------


def update(assessment: Assessment) -> bool:
    """Keep the change in the session and save it at once; False when it could not be saved."""
    st.session_state[K_ASSESSMENT] = to_dict(assessment)
    if conflict():
        st.session_state[K_CONFLICT]["mine"] = to_dict(assessment)
        return False
    try:
        st.session_state[K_VERSION] = store().save(assessment, version())
    except Conflict as exc:
        st.session_state[K_CONFLICT] = {"mine": to_dict(assessment), "current_version": exc.current_version}
        st.session_state[K_STATUS] = {"state": "conflict"}
        return False
    except NotFound:
        st.session_state[K_STATUS] = {
            "state": "error",
            "message": "this assessment was deleted from the database; export it from Home to keep your answers",
        }
        return False
    except StorageError as exc:
        st.session_state[K_STATUS] = {"state": "error", "message": str(exc)}
        return False
    st.session_state[K_STATUS] = {"state": "saved", "at": datetime.now(UTC).isoformat()}
    return True


def update_section(name: str, **changes: object) -> bool:
    """Change fields of one part of the open assessment (a stage section, 'whatif'), validated
    like a loaded file (an invalid value is refused with its message, never saved), and save."""
    assessment = current()
    if assessment is None:
        return False
    try:
        changed = assessment.updated(name, **changes)
    except ValidationError as exc:
        flash(f"Not saved: {_first_error(exc)}", "error")
        return False
    return update(changed)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {str(err['msg']).removeprefix('Value error, ')}" if where else str(err["msg"])


def editor_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of an edited table with blank cells as None (a cell holds whatever its column's type
    lets a person type: text, a number, a date, a tick)."""
    return [
        {str(k): (None if isinstance(v, float) and v != v else v) for k, v in r.items()}
        for r in frame.to_dict("records")
    ]


def resolve_conflict(choice: str) -> None:
    """'reload' takes the stored version; 'overwrite' saves mine over it; 'copy' saves mine as a new one."""
    pending = conflict()
    if not pending:
        return
    mine = Assessment.model_validate(pending["mine"])
    if choice == "reload":
        stored = store().load(mine.id)
        _set_current(stored.assessment, stored.version, token())
    elif choice == "overwrite":
        new_version = store().save(mine, None)
        _set_current(mine, new_version, token())
    elif choice == "copy":
        stored, tok = store().save_as_copy(mine)
        _set_current(stored.assessment, stored.version, tok)
        flash(
            f"Your version was saved as a new assessment. Its private resume link (keep it): {resume_link()}",
            "success",
        )
    else:
        raise ValueError(choice)


def resume_link() -> str | None:
    """The private link that reopens the current assessment: the app's address with ?a=TOKEN."""
    tok = token()
    if not tok:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(st.context.url or "")
    base = f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else "/"
    return f"{base}?{QUERY_TOKEN}={tok}"


def duplicate_current() -> None:
    assessment = current()
    if assessment is None:
        return
    stored, tok = store().duplicate(assessment.id)
    _set_current(stored.assessment, stored.version, tok)
    flash("This is a copy with its own resume link; the original is unchanged.", "success")
