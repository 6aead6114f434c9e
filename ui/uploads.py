"""Uploaded files and what is read from them, shared by every session: an upload kept in storage by
its SHA-256 (a large one written beside its import), the last few uploads' bytes at hand, the
mapping screen's preview, the import of a stored file (in memory and as Parquet on disk, read once),
its Stage 2 evaluation, what the pages draw from an evaluation (:func:`remember`) and the charts'
built specs. Nothing here is session state (ui/state.py keeps that); every shared cache is made
by st.cache_resource and guarded by its own lock."""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import streamlit as st

from ui.state import catalog, store

if TYPE_CHECKING:  # pandas, the import and the Stage 2 evaluation load when a page asks for them
    import pandas as pd

    from salesopt.crm import ImportResult
    from salesopt.funnel.sql import WinRateBasis
    from salesopt.funnel.stage2 import Result

V = TypeVar("V")

# what identifies one import of a stored export: (sha256, name, column overrides, day first,
# (history sha256, history name) or None)
ImportKey = tuple[str, str, tuple[tuple[str, str], ...], bool, tuple[str, str] | None]


# Above this size the database write of an upload (about 1.3 s for 140 MB into SQLite) runs
# beside the import instead of before it; smaller files are stored before anything else happens.
BACKGROUND_STORE_BYTES = 8 << 20


def put_file(data: bytes, name: str, owner: str) -> str:
    """Keep an upload in storage by its SHA-256 (never only in a widget), linked to the assessment
    ``owner`` that uploaded it; the bytes stay at hand for the import that follows, which then need
    not read them back from the database. A large file is written by a non-daemon thread (the
    interpreter waits for it at exit), so its figures need not wait for the copy; its owner link is
    made at once, so the assessment reaches it meanwhile."""
    if len(data) < BACKGROUND_STORE_BYTES:
        digest = store().put_file(data, name, owner)
    else:
        digest = hashlib.sha256(data).hexdigest()
        done = _import_done().setdefault(digest, threading.Event())
        _pending().add((owner, digest))
        threading.Thread(
            target=_store_after_import, args=(data, name, owner, done), name="salesopt-store-upload", daemon=False
        ).start()
    _recent().put((digest,), data)
    return digest


def reachable(owner: str, *digests: str) -> bool:
    """Whether the assessment ``owner`` may open these uploads: it uploaded them (or was given them
    with its copy). An assessment file naming another assessment's upload hash reaches nothing.
    Every path to an upload's bytes, import or preview (all shared by hash) asks this first."""
    pending = _pending()
    return all((owner, d) in pending or store().owns(owner, d) for d in digests)


@st.cache_resource(show_spinner=False)
def _pending() -> set[tuple[str, str]]:
    """(owner, sha256) of large uploads whose copy for storage is still being written."""
    return set()


# The import of a fresh upload sets its event; the copy for storage waits for it (at most this long),
# so the import and the figures keep both cores.
STORE_WAIT_SECONDS = 15.0


@st.cache_resource(show_spinner=False)
def _import_done() -> dict[str, threading.Event]:
    return {}


def _store_after_import(data: bytes, name: str, owner: str, done: threading.Event) -> None:
    done.wait(STORE_WAIT_SECONDS)
    try:
        store().put_file(data, name, owner)
    finally:
        _pending().discard((owner, hashlib.sha256(data).hexdigest()))


@st.cache_resource(show_spinner=False)
def _recent() -> _Imports[bytes]:
    return _Imports(size=2)


def _file(digest: str, owner: str) -> bytes:
    data = _recent().get((digest,))
    if data is None:
        data = store().get_file(digest, owner)
        _recent().put((digest,), data)
    return data


@st.cache_resource(max_entries=6, show_spinner=False)
def preview(digest: str, name: str, stage: str | None = None, *, _owner: str) -> tuple[list[str], pd.DataFrame]:
    """The export's columns and first rows, for the mapping screen (the header and a sample
    only: the rows are read once, by :func:`imported`). The caller checked :func:`reachable`."""
    from salesopt.crm import read_table

    table = read_table(_file(digest, _owner), name, {"stage": stage} if stage else None)
    return list(table.columns), table.preview(8)


class _Imports(Generic[V]):
    """The last few imports (or uploads' bytes), shared by every session (an import is never
    mutated once made)."""

    def __init__(self, size: int = 6) -> None:
        self.size = size
        self.items: OrderedDict[tuple[Hashable, ...], V] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Hashable, ...]) -> V | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key: tuple[Hashable, ...], value: V) -> None:
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _imports() -> _Imports[ImportResult]:
    return _Imports()


@st.cache_resource(show_spinner=False)
def chart_specs() -> _Imports[dict[str, Any]]:
    """The last charts' built Vega-Lite specs by key (building and validating one costs 20-30 ms)."""
    return _Imports(size=256)


class _Memos:
    """What the pages draw from one evaluation, kept beside it (never on it: a core result stays
    as salesopt made it) for as long as the evaluation lives."""

    def __init__(self) -> None:
        self.by_owner: weakref.WeakKeyDictionary[object, dict[tuple[Hashable, ...], object]] = (
            weakref.WeakKeyDictionary()
        )
        self.lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def _memos() -> _Memos:
    return _Memos()


def remember(owner: object, key: tuple[Hashable, ...], make: Callable[[], V]) -> V:
    """``make()`` once per ``owner`` (an evaluation) and ``key``, for every session and rerun that
    draws it: a dashboard, a period's forecast, a chart's spec. A key's first part names what it
    holds, so one key always holds one type of value."""
    memos = _memos()
    with memos.lock:
        held = memos.by_owner.setdefault(owner, {})
        if key in held:
            return cast(V, held[key])
    value = make()  # outside the lock: another session may draw something else meanwhile
    with memos.lock:
        memos.by_owner.setdefault(owner, {})[key] = value
    return value


def imported(
    digest: str,
    name: str,
    overrides: tuple[tuple[str, str], ...],
    dayfirst: bool,
    history: tuple[str, str] | None,
    _progress: Callable[[float, str], None] | None = None,
    *,
    owner: str,
) -> ImportResult:
    """The import of a stored file, parsed once: kept in memory for every session and on disk
    as Parquet by SHA-256 and options (a restart reads it back). ``_progress`` hears the steps of
    a first read (a cached function could not draw them: Streamlit replays what it draws). The
    caller checked that ``owner`` (the open assessment) may open the file (:func:`reachable`)."""
    from salesopt.crm import cache
    from salesopt.funnel.stage2 import load
    from salesopt.storage import cache_dir

    key = (digest, name, overrides, dayfirst, history)
    found = _imports().get(key)
    if found is not None:
        return found

    def make() -> ImportResult:
        return load(
            _file(digest, owner),
            name,
            overrides=dict(overrides),
            dayfirst=dayfirst,
            history=(_file(history[0], owner), history[1]) if history else None,
            progress=_progress,
        )

    try:
        result = cache.cached(cache_dir() / cache.key(digest, overrides, dayfirst, history), make, background=True)
    finally:
        if (done := _import_done().pop(digest, None)) is not None:
            done.set()  # a large upload's copy for storage may go now
    _imports().put(key, result)
    return result


@st.cache_resource(max_entries=12, show_spinner="Computing the funnel…")
def evaluated(
    import_key: ImportKey,
    order: tuple[str, ...],
    won: tuple[str, ...],
    lost: tuple[str, ...],
    target: float | None,
    closed_only: bool,
    basis: WinRateBasis,
    benchmark_id: str | None,
    probabilities: tuple[tuple[str, float], ...] = (),
    as_of: date | None = None,
    *,
    _owner: str,
) -> Result:
    """The Stage 2 evaluation of an import (shared by every session; the caller checked that
    ``_owner``, the open assessment, may open the file)."""
    from salesopt.forecast.weights import category_weights
    from salesopt.funnel.stage2 import evaluate, stage_map_for

    result = imported(*import_key, owner=_owner)
    stage_map = stage_map_for(result, list(order) or None, list(won), list(lost), dict(probabilities) or None)
    bench = catalog().benchmarks().get(benchmark_id or "")
    return evaluate(
        result,
        stage_map,
        target=target,
        closed_only=closed_only,
        basis=basis,
        benchmark=bench,
        category_weights=category_weights(catalog()) or None,
        as_of=as_of,
    )
