"""Where assessments are kept: SQLite by default, PostgreSQL when SALESOPT_DATABASE_URL names one.

Every saved assessment has a version number. :meth:`Store.save` takes the version the caller
loaded; if someone saved in between, it raises :class:`Conflict` instead of overwriting. The
compare-and-set is one UPDATE ... WHERE version = :loaded, atomic on both databases. On SQLite
(WAL mode) a writing transaction starts with BEGIN IMMEDIATE (one writer at a time, waiting up to
busy_timeout); a reading one with a plain BEGIN, so a reader never queues behind a writer and a
writer never waits for readers.

Every database fault reaches the caller as :class:`StorageError`, whose message says in words what
is wrong (the disk is full, the database is read-only, busy, damaged or unreachable), never the
database's path or URL: it is meant for the person at the page. The full error goes to the log.
A SQLite file that is empty (zero bytes) or is not a SQLite database is refused when the store
opens, never silently replaced by an empty store.

Uploaded files are kept once by SHA-256, and each assessment reaches only the uploads linked to
it (``file_owners``): the ones it uploaded, or was given when it was copied from one that had them.

Each assessment has a private resume token (256 random bits, URL-safe). Only its SHA-256 is
stored; the token itself is returned once, at creation, for the resume link.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

from salesopt.model.assessment import Assessment
from salesopt.model.files import from_json, to_json

ENV_URL = "SALESOPT_DATABASE_URL"
ENV_DATA_DIR = "SALESOPT_DATA_DIR"
BUSY_TIMEOUT_MS = 30_000
SQLITE_HEADER = b"SQLite format 3\x00"
log = logging.getLogger(__name__)

metadata = MetaData()
assessments = Table(
    "assessments",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("company", String(200), nullable=False, default=""),
    Column("data", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


files = Table(
    "files",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# Which assessment reaches which upload: an upload is opened only through a link made when that
# assessment uploaded it (or was copied from one that had it), never by its hash alone.
file_owners = Table(
    "file_owners",
    metadata,
    Column("assessment_id", String(64), primary_key=True),
    Column("sha256", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


class StorageError(RuntimeError):
    """The database could not be reached or used. The message says in words what is wrong, without
    the database's path or URL; ``kind`` names the fault: full, readonly, locked, damaged, empty,
    unreachable, missing_driver or other."""

    def __init__(self, message: str, kind: str = "other"):
        super().__init__(message)
        self.kind = kind


# (what the database driver says, the fault's kind, what the person at the page is told)
_FAULTS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("database or disk is full", "disk full", "no space left", "could not extend file", "diskfull"),
        "full",
        "the server's disk is full, so nothing can be saved until space is freed",
    ),
    (
        ("readonly database", "read-only", "read only", "readonly"),
        "readonly",
        "the database is read-only on the server, so nothing can be saved",
    ),
    (
        ("database is locked", "database table is locked", "lock timeout", "could not obtain lock"),
        "locked",
        "the database is busy (another process holds it locked); try again in a moment",
    ),
    (
        ("file is not a database", "malformed", "file is encrypted", "database corrupt", "checksum"),
        "damaged",
        "the database file is damaged; the administrator has to restore it from a backup",
    ),
    (
        (
            "connection refused",
            "could not connect",
            "connection to server",
            "server closed the connection",
            "timeout expired",
            "could not translate host name",
            "name or service not known",
            "terminating connection",
            "connection is closed",
            "ssl syscall",
            "the database system is",
        ),
        "unreachable",
        "the database server cannot be reached",
    ),
    (
        ("unable to open database file", "disk i/o error", "cannot open"),
        "unreachable",
        "the server cannot open or read its database file",
    ),
)


def storage_error(exc: BaseException, doing: str) -> StorageError:
    """``exc`` from the database driver as a StorageError for the person at the page: what was being
    done and what is wrong, in words (the driver's text, with paths and URLs, goes to the log)."""
    if isinstance(exc, StorageError):
        return exc
    text = " ".join(str(e) for e in (exc, getattr(exc, "orig", None)) if e is not None).lower()
    if isinstance(exc, ImportError):
        kind, words = "missing_driver", "the server lacks the database driver it is configured for"
    else:
        kind, words = "other", "the database reported an error; the server's log has the details"
        for needles, found_kind, found_words in _FAULTS:
            if any(n in text for n in needles):
                kind, words = found_kind, found_words
                break
    log.warning("storage: could not %s (%s)", doing, kind, exc_info=exc)
    return StorageError(f"could not {doing}: {words}", kind)


@contextmanager
def _guard(doing: str) -> Iterator[None]:
    try:
        yield
    except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
        raise storage_error(exc, doing) from exc


class NotFound(KeyError):
    """No assessment with that id or token (it was deleted, or the link is wrong)."""


class Conflict(Exception):
    """Someone saved a newer version since this one was loaded."""

    def __init__(self, assessment_id: str, loaded_version: int, current_version: int):
        super().__init__(
            f"assessment {assessment_id} was saved elsewhere (version {current_version}) "
            f"after this copy was loaded (version {loaded_version})"
        )
        self.assessment_id = assessment_id
        self.loaded_version = loaded_version
        self.current_version = current_version


@dataclass(frozen=True)
class Stored:
    assessment: Assessment
    version: int


@dataclass(frozen=True)
class Summary:
    id: str
    title: str
    company: str
    version: int
    created_at: datetime
    updated_at: datetime


def new_token() -> str:
    """A fresh resume token: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def default_url() -> str:
    """SALESOPT_DATABASE_URL, else a SQLite file in SALESOPT_DATA_DIR (default ./data)."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    folder = Path(os.environ.get(ENV_DATA_DIR, "data")).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'salesopt.db'}"


def cache_dir(url: str | None = None) -> Path:
    """Where typed imports are kept (Parquet, by the file's SHA-256): beside a SQLite database,
    else in SALESOPT_DATA_DIR/cache (default ./data/cache)."""
    url = url or default_url()
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        return Path(url.removeprefix("sqlite:///")).resolve().parent / "cache"
    return Path(os.environ.get(ENV_DATA_DIR, "data")).resolve() / "cache"


WRITE = "salesopt_write"  # the execution option that marks a writing transaction


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below do the work
        cursor = dbapi_connection.cursor()
        mode = cursor.execute("PRAGMA journal_mode").fetchone()
        if not mode or str(mode[0]).lower() != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # a writer takes the write lock at once (no deadlock upgrading a read lock); a reader
        # takes none, and in WAL mode reads the last committed state without waiting
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

    return engine


def _sqlite_file(url: str) -> Path | None:
    """The file of a sqlite:/// URL (None for memory or URI forms it cannot tell)."""
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _check_sqlite_file(path: Path) -> None:
    """An existing database file must be a SQLite database: an empty (zero-byte) or foreign file
    is refused, never opened as a new empty store over the assessments it should hold."""
    try:
        if not path.exists():
            return
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise storage_error(exc, "open the database") from exc
    if not head:
        log.error("storage: the database file %s is empty (0 bytes)", path)
        raise StorageError(
            "could not open the database: its file is empty (0 bytes), so the assessments it held are "
            "missing; the administrator has to restore it from a backup (nothing was overwritten)",
            "empty",
        )
    if head != SQLITE_HEADER:
        log.error("storage: the database file %s is not a SQLite database", path)
        raise StorageError(
            "could not open the database: its file is damaged (it is not a SQLite database); the "
            "administrator has to restore it from a backup (nothing was overwritten)",
            "damaged",
        )


class Store:
    """Create, list, load, save, duplicate and delete assessments."""

    def __init__(self, url: str | None = None, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.url = url or default_url()
        try:
            if self.url.startswith("sqlite"):
                path = _sqlite_file(self.url)
                if path is not None:
                    _check_sqlite_file(path)
                self.engine = _sqlite_engine(self.url, busy_timeout_ms)
            else:
                self.engine = create_engine(self.url, pool_pre_ping=True)
            with self.engine.connect() as conn:
                had_owners = inspect(conn).has_table(file_owners.name)
                had_files = inspect(conn).has_table(files.name)
            metadata.create_all(self.engine)
            if had_files and not had_owners:
                self._link_existing_uploads()
        except (SQLAlchemyError, ImportError, sqlite3.Error, OSError) as exc:
            raise storage_error(exc, "open the database") from exc

    def _link_existing_uploads(self) -> None:
        """Once, when the owner links are new to a database: link each stored assessment to the
        uploads its own saved copy names (what it could open before links existed)."""
        with self._write() as conn:
            rows = conn.execute(select(assessments.c.id, assessments.c.data)).all()
            stored = {r.sha256 for r in conn.execute(select(files.c.sha256))}
            now = datetime.now(UTC)
            for row in rows:
                try:
                    crm = from_json(row.data, f"stored assessment {row.id}").funnel.crm
                except Exception:  # noqa: BLE001 - an unreadable row links nothing
                    log.warning("storage: assessment %s is unreadable; its uploads are not linked", row.id)
                    continue
                for digest in {crm.sha256, crm.history_sha256} if crm else set():
                    if digest in stored:
                        conn.execute(insert(file_owners).values(assessment_id=row.id, sha256=digest, created_at=now))

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A writing transaction (BEGIN IMMEDIATE on SQLite)."""
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def create(self, assessment: Assessment, uploads_of: str | None = None) -> tuple[Stored, str]:
        """Store a new assessment; returns it at version 1 and its resume token. ``uploads_of``
        names an assessment whose uploads the new one is given (its copy)."""
        token = new_token()
        now = datetime.now(UTC)
        with _guard("save the new assessment"), self._write() as conn:
            conn.execute(
                insert(assessments).values(
                    id=assessment.id,
                    title=assessment.title,
                    company=assessment.company,
                    data=to_json(assessment),
                    version=1,
                    token_hash=hash_token(token),
                    created_at=now,
                    updated_at=now,
                )
            )
            if uploads_of is not None:
                for digest in conn.execute(
                    select(file_owners.c.sha256).where(file_owners.c.assessment_id == uploads_of)
                ).scalars():
                    conn.execute(insert(file_owners).values(assessment_id=assessment.id, sha256=digest, created_at=now))
        return Stored(assessment, 1), token

    def load(self, assessment_id: str) -> Stored:
        with _guard("load the assessment"), self.engine.connect() as conn:
            row = conn.execute(
                select(assessments.c.data, assessments.c.version).where(assessments.c.id == assessment_id)
            ).first()
        if row is None:
            raise NotFound(assessment_id)
        return Stored(from_json(row.data, f"stored assessment {assessment_id}"), row.version)

    def load_by_token(self, token: str) -> Stored:
        if not token or len(token) > 200:
            raise NotFound("token")
        with _guard("load the assessment"), self.engine.connect() as conn:
            row = conn.execute(
                select(assessments.c.id, assessments.c.data, assessments.c.version).where(
                    assessments.c.token_hash == hash_token(token)
                )
            ).first()
        if row is None:
            raise NotFound("token")
        return Stored(from_json(row.data, f"stored assessment {row.id}"), row.version)

    def save(self, assessment: Assessment, loaded_version: int | None) -> int:
        """Save over ``loaded_version``; returns the new version.

        ``loaded_version=None`` overwrites whatever is stored (the user chose "overwrite").
        Raises Conflict when the stored version is newer than ``loaded_version``, StorageError
        (in words) when the database cannot take the save.
        """
        values = dict(
            title=assessment.title,
            company=assessment.company,
            data=to_json(assessment),
            version=assessments.c.version + 1,
            updated_at=datetime.now(UTC),
        )
        where = assessments.c.id == assessment.id
        if loaded_version is not None:
            where = where & (assessments.c.version == loaded_version)
        with _guard("save your answers"), self._write() as conn:
            result = conn.execute(update(assessments).where(where).values(**values).returning(assessments.c.version))
            row = result.first()
            if row is not None:
                return int(row.version)
            current = conn.execute(select(assessments.c.version).where(assessments.c.id == assessment.id)).scalar()
        if current is None:
            raise NotFound(assessment.id)
        raise Conflict(assessment.id, loaded_version or 0, int(current))

    def duplicate(self, assessment_id: str, title: str | None = None) -> tuple[Stored, str]:
        """A copy with its own id and token; it is given the original's uploads."""
        original = self.load(assessment_id).assessment
        copy = original.model_copy(update={"id": Assessment().id, "title": title or f"{original.title} (copy)"})
        return self.create(copy, uploads_of=assessment_id)

    def save_as_copy(self, assessment: Assessment) -> tuple[Stored, str]:
        """``assessment`` (a session's unsaved version) as a new one, given the original's uploads."""
        copy = assessment.model_copy(update={"id": Assessment().id, "title": f"{assessment.title} (copy)"})
        return self.create(copy, uploads_of=assessment.id)

    def list(self) -> list[Summary]:
        cols = assessments.c
        with _guard("list the assessments"), self.engine.connect() as conn:
            rows = conn.execute(
                select(cols.id, cols.title, cols.company, cols.version, cols.created_at, cols.updated_at).order_by(
                    cols.updated_at.desc()
                )
            ).all()
        return [Summary(r.id, r.title, r.company, r.version, r.created_at, r.updated_at) for r in rows]

    def count(self) -> int:
        with _guard("count the assessments"), self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(assessments)).scalar_one())

    def delete(self, assessment_id: str) -> None:
        with _guard("delete the assessment"), self._write() as conn:
            deleted = conn.execute(delete(assessments).where(assessments.c.id == assessment_id)).rowcount
            conn.execute(delete(file_owners).where(file_owners.c.assessment_id == assessment_id))
        if not deleted:
            raise NotFound(assessment_id)

    def put_file(self, data: bytes, name: str, owner: str) -> str:
        """Keep an uploaded file by its content hash (idempotent) and link it to the assessment
        ``owner`` that uploaded it; returns the SHA-256."""
        digest = hashlib.sha256(data).hexdigest()
        for attempt in (1, 2):
            try:
                with _guard("keep the uploaded file"), self._write() as conn:
                    exists = conn.execute(select(files.c.sha256).where(files.c.sha256 == digest)).first()
                    if exists is None:
                        conn.execute(
                            insert(files).values(
                                sha256=digest, name=name[:300], size=len(data), data=data, created_at=datetime.now(UTC)
                            )
                        )
                    self._link(conn, owner, digest)
                break
            except StorageError as exc:
                if not isinstance(exc.__cause__, IntegrityError) or attempt == 2:
                    raise
                # the same file (or link), stored by another session a moment ago: once more
        return digest

    @staticmethod
    def _link(conn: Connection, owner: str, digest: str) -> None:
        linked = conn.execute(
            select(file_owners.c.sha256).where(
                (file_owners.c.assessment_id == owner) & (file_owners.c.sha256 == digest)
            )
        ).first()
        if linked is None:
            conn.execute(insert(file_owners).values(assessment_id=owner, sha256=digest, created_at=datetime.now(UTC)))

    def owns(self, owner: str, digest: str) -> bool:
        """Whether the assessment ``owner`` may open the upload ``digest`` (it uploaded it, or was
        given it with its copy)."""
        with _guard("open the uploaded file"), self.engine.connect() as conn:
            row = conn.execute(
                select(file_owners.c.sha256).where(
                    (file_owners.c.assessment_id == owner) & (file_owners.c.sha256 == digest)
                )
            ).first()
        return row is not None

    def get_file(self, digest: str, owner: str) -> bytes:
        """The upload ``digest`` of the assessment ``owner``; NotFound when it has no such upload
        (an upload of another assessment is not found either: a hash alone opens nothing)."""
        with _guard("open the uploaded file"), self.engine.connect() as conn:
            row = conn.execute(
                select(files.c.data)
                .join(file_owners, file_owners.c.sha256 == files.c.sha256)
                .where((files.c.sha256 == digest) & (file_owners.c.assessment_id == owner))
            ).first()
        if row is None:
            raise NotFound(digest)
        return bytes(row.data)

    def dispose(self) -> None:
        self.engine.dispose()
