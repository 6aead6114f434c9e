"""The state adapter: the only module that knows session-state keys.

The open assessment lives in one :class:`Held` object per session (``so.held``), put in session
state once and from then on changed in place, under its lock: the working copy (its JSON dump),
the copy the database last confirmed (the *base*) with its version, the save status and a pending
conflict. A save and the version it returns are one step on that object. Streamlit may stop a run
at any read or write of ``st.session_state`` (there it checks for the next rerun), so a session
whose new version were written there after the commit could keep the old one, and its own next
answer, a few ms later, would conflict with itself. :func:`update` touches session state only
before it saves.

A save over a newer stored version is merged field by field against the base (:mod:`salesopt.model.merge`):
answers that do not collide are all kept and saved; a field both tabs changed differently is kept
as a conflict for the user to resolve, never overwritten silently and never lost. The private resume
token sits in session state and in the URL (``?a=TOKEN``). Uploaded files and their imports, shared
by every session, are in ui/uploads.py.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, TypedDict

import streamlit as st
from pydantic import ValidationError

from salesopt.content.frameworks import Catalog, load_catalog
from salesopt.model.assessment import Assessment
from salesopt.model.files import AssessmentFileError, from_file_bytes, to_dict
from salesopt.model.merge import Difference, Path, differences, merge
from salesopt.storage import Conflict, NotFound, StorageError, Store, default_url

if TYPE_CHECKING:  # pandas and the timebox load when a page asks for them
    import pandas as pd

    from salesopt.timebox import Timebox


K_HELD = "so.held"
K_ADMIN = "so.admin"
K_SESSION = "so.session"
K_TOKEN = "so.token"  # noqa: S105 - a session-state key, not a secret
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
    """A save that met a newer stored version with a field both changed differently: my working
    copy, their stored copy and its version, the base both started from, and the colliding fields."""

    mine: dict[str, Any]
    theirs: dict[str, Any]
    base: dict[str, Any]
    current_version: int
    collisions: list[Difference]


class Held:
    """One session's open assessment, changed only in place and under ``lock`` (never replaced by
    a session-state write): ``assessment`` (the working copy, a dump), ``base`` (what the database
    last confirmed) at ``version``, the save ``status``, a pending ``conflict``, and the question
    widgets to refill from the assessment because a merge brought another tab's answer into them."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.assessment: dict[str, Any] | None = None
        self.base: dict[str, Any] | None = None
        self.version: int | None = None
        self.status: SaveStatus = {"state": "idle"}
        self.conflict: PendingConflict | None = None
        self.refill: set[str] = set()
        self.refill_all = False

    def open(self, data: dict[str, Any], version: int) -> None:
        with self.lock:
            self.assessment, self.base, self.version = data, data, version
            self.status = {"state": "saved", "at": datetime.now(UTC).isoformat()}
            self.conflict = None
            self.refill.clear()
            self.refill_all = False

    def close(self) -> None:
        with self.lock:
            self.assessment = self.base = self.version = self.conflict = None
            self.status = {"state": "idle"}
            self.refill.clear()


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def store() -> Store:
    return _store(default_url())


@st.cache_resource(show_spinner=False)
def catalog() -> Catalog:
    return load_catalog()


# ---- reading ------------------------------------------------------------------------------------


def _held() -> Held:
    held: Held = st.session_state.setdefault(K_HELD, Held())
    return held


def current() -> Assessment | None:
    data = _held().assessment
    return Assessment.model_validate(data) if data else None


def opened() -> Assessment:
    """The open assessment, for a widget of a page that has one open (it required one first)."""
    assessment = current()
    if assessment is None:
        raise RuntimeError("no assessment is open")
    return assessment


def version() -> int | None:
    return _held().version


def saved() -> Assessment | None:
    """The open assessment as the database last confirmed it (None when nothing is open)."""
    data = _held().base
    return Assessment.model_validate(data) if data else None


def unsaved() -> bool:
    """Whether the session holds a change the database has not confirmed."""
    h = _held()
    with h.lock:
        return h.assessment is not None and _content(h.assessment) != _content(h.base)


def _content(data: dict[str, Any] | None) -> dict[str, Any] | None:
    return {k: v for k, v in data.items() if k != "updated_at"} if data else None


def token() -> str | None:
    found: str | None = st.session_state.get(K_TOKEN)
    return found


def status() -> SaveStatus:
    return _held().status


def conflict() -> PendingConflict | None:
    return _held().conflict


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


def admin_granted() -> bool:
    return bool(st.session_state.get(K_ADMIN, False))


def grant_admin() -> None:
    st.session_state[K_ADMIN] = True


def session_id() -> str:
    """A random id of this browser session (what the admin password throttle counts by)."""
    import secrets

    found: str = st.session_state.setdefault(K_SESSION, secrets.token_hex(16))
    return found


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
    h = _held()
    if h.assessment is not None:
        # another assessment (or another version) was open: no widget keeps a value from it. A fresh
        # session (a reload, a reconnect after a server restart) keeps the values the browser sent:
        # they are this assessment's, and an answer typed just before is saved when its field draws.
        _clear_widgets()
    h.open(to_dict(assessment), version)
    if token:
        st.session_state[K_TOKEN] = token
        st.query_params[QUERY_TOKEN] = token


def _create(assessment: Assessment) -> bool:
    try:
        stored, tok = store().create(assessment)
    except StorageError as exc:
        flash(f"Nothing was started: {exc}.", "error")
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
        flash(f"The demo was not opened: {exc}.", "error")
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
    if _create(fresh):
        return None
    message = pop_flash()
    return message[1] if message else "the database refused the import"


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
    except StorageError as exc:
        flash(f"The assessment was not opened: {exc}.", "error")
        return False
    except AssessmentFileError:
        flash("The assessment was not opened: its stored copy cannot be read; the administrator can check it.", "error")
        return False
    _set_current(stored.assessment, stored.version, tok)
    return True


def close() -> None:
    _held().close()
    st.session_state.pop(K_TOKEN, None)
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
    """Keep the change in the session and save it at once; False when it could not be saved (the
    change stays in the session, the page says why, and the next save or Retry takes it)."""
    h = _held()
    try:
        where = store()
    except StorageError as exc:
        with h.lock:
            h.assessment = to_dict(assessment)
            h.status = {"state": "error", "message": str(exc)}
        _toast_failure(h)
        return False
    ok = save_held(h, where, assessment)
    if not ok:
        _toast_failure(h)
    return ok


MERGE_ATTEMPTS = 5


def save_held(h: Held, where: Store, assessment: Assessment) -> bool:
    """Save ``assessment`` as the session ``h``'s change: one step on ``h`` (no session state).

    A save that meets a newer stored version is merged with it against the base: when no field
    collides, the merge is saved (every answer of both is kept); otherwise the conflict is kept for
    the user. The version and base change only when the database confirmed."""
    with h.lock:
        mine = to_dict(assessment)
        h.assessment = mine
        if h.conflict is not None:
            h.conflict["mine"] = mine
            return False
        for _ in range(MERGE_ATTEMPTS):
            try:
                new_version = where.save(assessment, h.version)
            except Conflict:
                try:
                    theirs = where.load(assessment.id)
                except (NotFound, StorageError, AssessmentFileError) as exc:
                    h.status = {"state": "error", "message": _why(exc)}
                    return False
                theirs_data = to_dict(theirs.assessment)
                result = merge(h.base or theirs_data, mine, theirs_data)
                if result.collisions:
                    h.conflict = PendingConflict(
                        mine=mine,
                        theirs=theirs_data,
                        base=h.base or theirs_data,
                        current_version=theirs.version,
                        collisions=result.collisions,
                    )
                    h.status = {"state": "conflict"}
                    return False
                # nothing collides: their version is the new base, and mine is applied on top of it
                merged = Assessment.model_validate(result.data)
                h.base, h.version = theirs_data, theirs.version
                mine = h.assessment = to_dict(merged)
                _mark_refill(h, result.theirs_changed)
                assessment = merged
                continue
            except (NotFound, StorageError) as exc:
                h.status = {"state": "error", "message": _why(exc)}
                return False
            h.version, h.base = new_version, mine
            h.status = {"state": "saved", "at": datetime.now(UTC).isoformat()}
            return True
        h.status = {"state": "error", "message": "the assessment is being changed from several places at once; retry"}
        return False


def _why(exc: BaseException) -> str:
    if isinstance(exc, NotFound):
        return "this assessment was deleted from the database; export it from Home to keep your answers"
    if isinstance(exc, AssessmentFileError):
        return "the stored copy of this assessment cannot be read; the administrator can check it"
    return str(exc)


def _mark_refill(h: Held, paths: list[Path]) -> None:
    """Another tab's answers came in with a merge: their question widgets refill from the assessment
    (and the other pages' widgets start afresh), so no widget shows, or saves back, the old value."""
    for path in paths:
        if len(path) >= 3 and path[1] == "answers":
            h.refill.add(f"{WIDGET_PREFIX}{path[0]}.{path[2]}")
        elif len(path) == 2 and path[1] == "closing_answer":
            h.refill.add(f"{WIDGET_PREFIX}{path[0]}.closing")
        else:
            h.refill_all = True


def refill_widgets() -> None:
    """Called by the page frame: drop the widget values a merge made stale (question widgets by
    key, the other pages' widgets all at once when a merge changed anything else)."""
    h = _held()
    with h.lock:
        keys, everything = set(h.refill), h.refill_all
    if everything:
        for key in [k for k in st.session_state if str(k).startswith(WIDGET_PREFIXES[1:])]:
            del st.session_state[key]
        h.refill_all = False
    for key in keys:
        st.session_state.pop(key, None)
        h.refill.discard(key)


def needs_refill(key: str) -> bool:
    return key in _held().refill


def _toast_failure(h: Held) -> None:
    """Where the user is, whatever part of the page: a toast saying the change is not saved."""
    s = h.status
    if s.get("state") == "error":
        st.toast(f"Not saved: {s.get('message', '')}", icon=":material/error:")
    elif s.get("state") == "conflict":
        st.toast(
            "Not saved: this assessment was changed in another tab; choose what to keep.",
            icon=":material/sync_problem:",
        )


def retry_save() -> None:
    """Save the session's working copy again (after a storage fault is fixed)."""
    assessment = current()
    if assessment is not None:
        update(assessment)


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
    """'reload' takes the stored version; 'overwrite' saves mine over the version the user was
    shown, keeping every answer of theirs that does not collide; 'copy' saves mine as a new one.
    A storage fault is said where the dialog was (the conflict stays)."""
    h = _held()
    pending = h.conflict
    if not pending:
        return
    mine = Assessment.model_validate(pending["mine"])
    try:
        if choice in ("reload", "overwrite"):
            # the answers the dialog showed take theirs (reload) or mine (overwrite); every other
            # answer of both stays. Saved over the version shown only: if yet another save came in
            # since, the merge runs again (and asks again if something collides)
            prefer = "theirs" if choice == "reload" else "mine"
            result = merge(pending["base"], pending["mine"], pending["theirs"], prefer=prefer)
            merged = Assessment.model_validate(result.data)
            with h.lock:
                h.conflict = None
                h.base, h.version = pending["theirs"], pending["current_version"]
            save_held(h, store(), merged)
            _clear_widgets()  # every widget shows the merged assessment
        elif choice == "copy":
            stored, tok = store().save_as_copy(mine)
            _set_current(stored.assessment, stored.version, tok)
            flash(
                f"Your version was saved as a new assessment. Its private resume link (keep it): {resume_link()}",
                "success",
            )
        else:
            raise ValueError(choice)
    except (StorageError, NotFound, AssessmentFileError) as exc:
        flash(f"Nothing was changed: {_why(exc)}.", "error")


def conflict_rows(pending: PendingConflict) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """What differs between mine and theirs, field by field, in words: the answers both changed
    differently (field, mine, theirs), and the other differences, which are kept whatever is chosen
    (field, whose change, the value kept)."""
    colliding = {d.path for d in pending["collisions"]}
    currency = str(pending["mine"].get("currency") or "USD")
    collide = [
        (field_label(d.path), _shown(d.path, d.mine, currency), _shown(d.path, d.theirs, currency))
        for d in pending["collisions"]
    ]
    merged = merge(pending["base"], pending["mine"], pending["theirs"])
    others = []
    for d in differences(pending["mine"], pending["theirs"], pending["base"]):
        if d.path in colliding:
            continue
        whose = "theirs" if d.path in merged.theirs_changed else "yours"
        others.append((field_label(d.path), whose, _shown(d.path, d.theirs if whose == "theirs" else d.mine, currency)))
    return collide, others


def _question(path: Path) -> tuple[Any, Any] | None:
    """(stage, question) when ``path`` is a dialogue answer."""
    if len(path) >= 3 and path[1] == "answers":
        stage = catalog().stage(path[0])
        q = next((q for q in stage.questions() if q.id == path[2]), None) if stage is not None else None
        if q is not None:
            return stage, q
    return None


def field_label(path: Path) -> str:
    """A field of the assessment as a person knows it: a question's prompt, else its path in words."""
    found = _question(path)
    if found is not None:
        return f"Stage {found[0].number} · {found[1].prompt}"
    if len(path) == 2 and path[1] == "closing_answer":
        stage = catalog().stage(path[0])
        if stage is not None:
            return f"Stage {stage.number} · {stage.closing_question}"
    return " › ".join(p.replace("_", " ") for p in path)


def _shown(path: Path, value: Any, currency: str) -> str:
    """A field's value in words: an answer as the page shows it, anything else as text."""
    if value is None or value == "" or value == []:
        return "(empty)"
    found = _question(path)
    if found is not None:
        from salesopt.model.answers import display

        return display(found[1], value, currency)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 300 else text[:300] + "…"


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
    try:
        stored, tok = store().duplicate(assessment.id)
    except (StorageError, NotFound) as exc:
        flash(f"No copy was made: {_why(exc)}.", "error")
        return
    _set_current(stored.assessment, stored.version, tok)
    flash("This is a copy with its own resume link; the original is unchanged.", "success")
