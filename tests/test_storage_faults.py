"""Storage faults reach the caller as StorageError in words, without the database's path or URL, and
never cost a saved version: a full disk, a read-only, locked, empty, foreign or unreachable database.
Readers never queue behind a writer (WAL, no BEGIN IMMEDIATE for reads)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import event, text

from salesopt.model.assessment import Assessment
from salesopt.storage import StorageError, Store, storage_error


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "secret-folder" / "salesopt.db"


def _store_with_one(path: Path, **kwargs: int) -> tuple[Store, Assessment]:
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(f"sqlite:///{path}", **kwargs)
    stored, _ = store.create(Assessment(title="Kept").with_answer("context", "rep_count", 10))
    return store, stored.assessment


def _no_path(exc: BaseException, path: Path) -> None:
    message = str(exc)
    assert str(path.parent) not in message and "secret-folder" not in message and "sqlite" not in message


def test_a_full_disk_is_said_in_words_and_the_saved_version_stays(path):
    store, kept = _store_with_one(path)
    store.dispose()

    @event.listens_for(store.engine, "connect")
    def _tiny(dbapi_connection, _record):  # the database may not grow by a single page: a full disk
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    big = kept.with_answer("context", "products", "x" * 5000).with_answer("context", "sales_motion", "y" * 5000)
    big = big.with_answer("context", "icp", "z" * 5000).with_answer("context", "rep_count", 11)
    for _ in range(3):  # grow past the last free page
        big = big.with_answer("context", "products", big.context.answers["products"] + "x" * 5000)
    with pytest.raises(StorageError) as err:
        store.save(big, 1)
    assert err.value.kind == "full"
    assert (
        str(err.value)
        == "could not save your answers: the server's disk is full, so nothing can be saved until space is freed"
    )
    _no_path(err.value, path)
    again = store.load(kept.id)
    assert (again.version, again.assessment.context.answers) == (1, {"rep_count": 10})


def test_a_read_only_store_says_so_and_still_reads(path):
    writer, kept = _store_with_one(path)
    store = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert store.load(kept.id).assessment.context.answers == {"rep_count": 10}
    with pytest.raises(StorageError) as err:
        store.save(kept.with_answer("context", "rep_count", 12), 1)
    assert err.value.kind == "readonly"
    assert "read-only" in str(err.value)
    _no_path(err.value, path)
    assert writer.load(kept.id).version == 1
    store.dispose()
    writer.dispose()


def test_a_locked_store_says_busy_and_readers_do_not_wait_for_the_writer(path):
    store, kept = _store_with_one(path, busy_timeout_ms=300)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    other.execute("UPDATE assessments SET title = 'theirs, uncommitted'")
    try:
        started = time.monotonic()
        with pytest.raises(StorageError) as err:
            store.save(kept.with_answer("context", "rep_count", 12), 1)
        assert err.value.kind == "locked"
        assert "busy" in str(err.value)
        _no_path(err.value, path)
        # a reader (a resume link) gets the last committed version at once, not after the timeout
        patient = Store(f"sqlite:///{path}")  # 30 s busy timeout: a queued reader would wait it out
        started = time.monotonic()
        loaded = patient.load(kept.id)
        assert time.monotonic() - started < 1.0
        assert (loaded.version, loaded.assessment.title) == (1, "Kept")
        assert [s.title for s in patient.list()] == ["Kept"]
        patient.dispose()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.save(kept.with_answer("context", "rep_count", 12), 1) == 2  # the lock gone, it saves
    store.dispose()


def test_an_empty_database_file_is_refused_never_replaced(path):
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    with pytest.raises(StorageError) as err:
        Store(f"sqlite:///{path}")
    assert err.value.kind == "empty"
    assert "empty (0 bytes)" in str(err.value) and "restore it from a backup" in str(err.value)
    _no_path(err.value, path)
    assert path.read_bytes() == b""  # nothing was created over it


def test_a_file_that_is_not_a_database_is_said_damaged(path):
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK\x03\x04 not a database at all" * 100)
    with pytest.raises(StorageError) as err:
        Store(f"sqlite:///{path}")
    assert err.value.kind == "damaged"
    assert "damaged" in str(err.value)
    _no_path(err.value, path)


def test_a_database_damaged_inside_is_said_damaged(path):
    store, kept = _store_with_one(path)
    with store.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    store.dispose()
    raw = bytearray(path.read_bytes())
    raw[4096:] = b"\xff" * (len(raw) - 4096)  # every page after the header page overwritten
    path.write_bytes(bytes(raw))
    with pytest.raises(StorageError) as err:
        Store(f"sqlite:///{path}").load(kept.id)
    assert err.value.kind == "damaged"
    _no_path(err.value, path)


def test_an_unreachable_postgresql_is_said_without_its_url():
    with pytest.raises(StorageError) as err:
        Store("postgresql+psycopg://salesopt:hunter2@127.0.0.1:1/salesopt?connect_timeout=2")
    assert err.value.kind == "unreachable"
    assert str(err.value) == "could not open the database: the database server cannot be reached"


@pytest.mark.parametrize(
    ("driver_says", "kind"),
    [
        ("database or disk is full", "full"),
        ("attempt to write a readonly database", "readonly"),
        ("database is locked", "locked"),
        ("database disk image is malformed", "damaged"),
        ("file is not a database", "damaged"),
        ('connection to server at "db.internal" (10.0.0.5), port 5432 failed: Connection refused', "unreachable"),
        ('could not extend file "base/16384/16385": No space left on device', "full"),
        ("cannot execute UPDATE in a read-only transaction", "readonly"),
    ],
)
def test_each_driver_fault_is_named_in_words(driver_says, kind):
    err = storage_error(sqlite3.OperationalError(driver_says), "save your answers")
    assert err.kind == kind
    assert str(err).startswith("could not save your answers: ")
    assert "10.0.0.5" not in str(err) and "base/16384" not in str(err) and "db.internal" not in str(err)
