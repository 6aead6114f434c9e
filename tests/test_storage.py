"""Storage: CRUD, hashed resume tokens, conflict detection, and no lost update under concurrency.

Runs on SQLite always and on PostgreSQL when SALESOPT_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from salesopt.demo import demo_assessment
from salesopt.model.assessment import Assessment
from salesopt.storage import Conflict, NotFound, StorageError, Store, hash_token


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.dispose()


def test_create_load_list_delete(store):
    stored, token = store.create(demo_assessment())
    assert stored.version == 1
    assert store.load(stored.assessment.id).assessment == stored.assessment
    assert store.load_by_token(token).assessment == stored.assessment
    [summary] = store.list()
    assert (summary.id, summary.title, summary.company) == (
        stored.assessment.id,
        "Demo: SaaS sales process optimization",
        "Demo SaaS Inc.",
    )
    store.delete(stored.assessment.id)
    assert store.list() == []
    with pytest.raises(NotFound):
        store.load(stored.assessment.id)
    with pytest.raises(NotFound):
        store.load_by_token(token)


def test_resume_token_has_256_bits_and_only_its_hash_is_stored(store):
    _, token = store.create(Assessment())
    assert len(token) >= 43  # 32 bytes, URL-safe base64
    with store.engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.execute(text("SELECT * FROM assessments")) for v in row)
    assert token not in dump
    assert hash_token(token) in dump


def test_one_token_never_opens_another_assessment(store):
    _, token_a = store.create(Assessment(title="A"))
    _, token_b = store.create(Assessment(title="B"))
    assert store.load_by_token(token_a).assessment.title == "A"
    assert store.load_by_token(token_b).assessment.title == "B"
    for wrong in ("", "x", token_a[:-1], token_a + "x", "a" * 500):
        with pytest.raises(NotFound):
            store.load_by_token(wrong)


def test_save_bumps_the_version(store):
    stored, _ = store.create(Assessment())
    changed = stored.assessment.with_answer("context", "rep_count", 10)
    assert store.save(changed, 1) == 2
    again = store.load(changed.id)
    assert again.version == 2
    assert again.assessment.context.answers == {"rep_count": 10}


def test_save_over_a_newer_version_is_a_conflict_not_an_overwrite(store):
    stored, _ = store.create(Assessment())
    mine = stored.assessment.with_answer("context", "products", "mine")
    theirs = stored.assessment.with_answer("context", "products", "theirs")
    assert store.save(theirs, 1) == 2
    with pytest.raises(Conflict) as err:
        store.save(mine, 1)
    assert (err.value.loaded_version, err.value.current_version) == (1, 2)
    assert store.load(stored.assessment.id).assessment.context.answers["products"] == "theirs"
    # the user's choices: overwrite, or save as a copy
    assert store.save(mine, None) == 3
    assert store.load(stored.assessment.id).assessment.context.answers["products"] == "mine"
    copy, copy_token = store.save_as_copy(theirs)
    assert copy.assessment.id != stored.assessment.id
    assert store.load_by_token(copy_token).assessment.context.answers["products"] == "theirs"


def test_saving_a_deleted_assessment_says_not_found(store):
    stored, _ = store.create(Assessment())
    store.delete(stored.assessment.id)
    with pytest.raises(NotFound):
        store.save(stored.assessment, 1)
    with pytest.raises(NotFound):
        store.delete(stored.assessment.id)


def test_duplicate_has_its_own_id_token_and_title(store):
    stored, token = store.create(demo_assessment())
    copy, copy_token = store.duplicate(stored.assessment.id)
    assert copy.assessment.id != stored.assessment.id
    assert copy_token != token
    assert copy.assessment.title == "Demo: SaaS sales process optimization (copy)"
    assert copy.assessment.context == stored.assessment.context
    assert store.count() == 2


def test_concurrent_read_modify_write_loses_no_update(db_url):
    """8 threads x 100 read-modify-write saves, retrying on conflict: exactly 800 increments."""
    store = Store(db_url)
    stored, _ = store.create(Assessment().with_answer("context", "rep_count", 0))
    aid = stored.assessment.id
    threads, per_thread = 8, 100
    conflicts = []
    errors = []

    def worker() -> None:
        done = 0
        try:
            while done < per_thread:
                current = store.load(aid)
                n = current.assessment.context.answers["rep_count"]
                try:
                    store.save(current.assessment.with_answer("context", "rep_count", n + 1), current.version)
                    done += 1
                except Conflict:
                    conflicts.append(1)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    final = store.load(aid)
    assert final.assessment.context.answers["rep_count"] == threads * per_thread
    assert final.version == 1 + threads * per_thread
    store.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_url):
    store = Store(sqlite_url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    store.dispose()


def test_an_unusable_database_url_is_a_clear_error_without_its_path(tmp_path):
    with pytest.raises(StorageError, match="could not open the database: the server cannot open") as err:
        Store(f"sqlite:///{tmp_path}/missing-folder/x.db")
    assert str(tmp_path) not in str(err.value)
    assert "missing-folder" not in str(err.value)


def test_an_upload_opens_only_for_the_assessment_that_made_it(store):
    a, _ = store.create(Assessment(title="A"))
    b, _ = store.create(Assessment(title="B"))
    data = b"Stage,Amount\nClosed Won,100\n"
    digest = store.put_file(data, "a-deals.csv", owner=a.assessment.id)
    assert store.put_file(data, "a-deals.csv", owner=a.assessment.id) == digest  # idempotent
    assert store.get_file(digest, a.assessment.id) == data
    assert store.owns(a.assessment.id, digest) is True
    # B knows the hash (it is in every export of A) and still reaches nothing
    assert store.owns(b.assessment.id, digest) is False
    with pytest.raises(NotFound):
        store.get_file(digest, b.assessment.id)
    # B uploading the same bytes itself is its own upload
    assert store.put_file(data, "b-deals.csv", owner=b.assessment.id) == digest
    assert store.get_file(digest, b.assessment.id) == data


def test_a_copy_is_given_its_originals_uploads_and_a_deleted_one_loses_them(store):
    a, _ = store.create(Assessment(title="A"))
    digest = store.put_file(b"x,stage\n1,won\n", "deals.csv", owner=a.assessment.id)
    copy, _ = store.duplicate(a.assessment.id)
    kept, _ = store.save_as_copy(a.assessment)
    assert store.owns(copy.assessment.id, digest) and store.owns(kept.assessment.id, digest)
    store.delete(a.assessment.id)
    assert not store.owns(a.assessment.id, digest)
    assert store.get_file(digest, copy.assessment.id) == b"x,stage\n1,won\n"


def test_uploads_stored_before_owner_links_stay_with_the_assessments_that_name_them(sqlite_url):
    from salesopt.model.assessment import CrmSource

    old = Store(sqlite_url)
    data = b"stage\nwon\n"
    digest = old.put_file(data, "deals.csv", owner="someone")
    crm = CrmSource(sha256=digest, name="deals.csv", size=len(data))
    mine, _ = old.create(
        Assessment().model_copy(update={"funnel": Assessment().funnel.model_copy(update={"crm": crm})})
    )
    other, _ = old.create(Assessment())
    with old.engine.begin() as conn:
        conn.execute(text("DROP TABLE file_owners"))  # a database from before owner links
    old.dispose()
    store = Store(sqlite_url)
    assert store.owns(mine.assessment.id, digest)
    assert not store.owns(other.assessment.id, digest)
    store.dispose()
