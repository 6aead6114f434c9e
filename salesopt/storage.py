"""Where assessments are kept: SQLite by default, PostgreSQL when SALESOPT_DATABASE_URL names one.

Every saved assessment has a version number. :meth:`Store.save` takes the version the caller
loaded; if someone saved in between, it raises :class:`Conflict` instead of overwriting. The
compare-and-set is one UPDATE ... WHERE version = :loaded, atomic on both databases; on SQLite
each transaction also starts with BEGIN IMMEDIATE (one writer at a time, waiting up to
busy_timeout) in WAL mode, so readers never block the writer.

Each assessment has a private resume token (256 random bits, URL-safe). Only its SHA-256 is
stored; the token itself is returned once, at creation, for the resume link.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
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


class StorageError(RuntimeError):
    """The database could not be reached or used; the message says what to check."""


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


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below do the work
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Store:
    """Create, list, load, save, duplicate and delete assessments."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        try:
            if self.url.startswith("sqlite"):
                self.engine = _sqlite_engine(self.url)
            else:
                self.engine = create_engine(self.url, pool_pre_ping=True)
            metadata.create_all(self.engine)
        except (SQLAlchemyError, ImportError) as exc:
            raise StorageError(f"cannot open the database at {self._safe_url()}: {exc}") from exc

    def _safe_url(self) -> str:
        try:
            from sqlalchemy.engine import make_url

            return make_url(self.url).render_as_string(hide_password=True)
        except Exception:  # noqa: BLE001 - only for a message
            return "(unparseable URL)"

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def create(self, assessment: Assessment) -> tuple[Stored, str]:
        """Store a new assessment; returns it at version 1 and its resume token."""
        token = new_token()
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
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
        return Stored(assessment, 1), token

    def load(self, assessment_id: str) -> Stored:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(assessments.c.data, assessments.c.version).where(assessments.c.id == assessment_id)
            ).first()
        if row is None:
            raise NotFound(assessment_id)
        return Stored(from_json(row.data, f"stored assessment {assessment_id}"), row.version)

    def load_by_token(self, token: str) -> Stored:
        if not token or len(token) > 200:
            raise NotFound("token")
        with self.engine.connect() as conn:
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
        Raises Conflict when the stored version is newer than ``loaded_version``.
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
        with self.engine.begin() as conn:
            result = conn.execute(update(assessments).where(where).values(**values).returning(assessments.c.version))
            row = result.first()
            if row is not None:
                return int(row.version)
            current = conn.execute(select(assessments.c.version).where(assessments.c.id == assessment.id)).scalar()
        if current is None:
            raise NotFound(assessment.id)
        raise Conflict(assessment.id, loaded_version or 0, int(current))

    def duplicate(self, assessment_id: str, title: str | None = None) -> tuple[Stored, str]:
        original = self.load(assessment_id).assessment
        copy = original.model_copy(update={"id": Assessment().id, "title": title or f"{original.title} (copy)"})
        return self.create(copy)

    def save_as_copy(self, assessment: Assessment) -> tuple[Stored, str]:
        copy = assessment.model_copy(update={"id": Assessment().id, "title": f"{assessment.title} (copy)"})
        return self.create(copy)

    def list(self) -> list[Summary]:
        cols = assessments.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(cols.id, cols.title, cols.company, cols.version, cols.created_at, cols.updated_at).order_by(
                    cols.updated_at.desc()
                )
            ).all()
        return [Summary(r.id, r.title, r.company, r.version, r.created_at, r.updated_at) for r in rows]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(assessments)).scalar_one())

    def delete(self, assessment_id: str) -> None:
        with self.engine.begin() as conn:
            deleted = conn.execute(delete(assessments).where(assessments.c.id == assessment_id)).rowcount
        if not deleted:
            raise NotFound(assessment_id)

    def put_file(self, data: bytes, name: str) -> str:
        """Keep an uploaded file by its content hash (idempotent); returns the SHA-256."""
        digest = hashlib.sha256(data).hexdigest()
        try:
            with self.engine.begin() as conn:
                exists = conn.execute(select(files.c.sha256).where(files.c.sha256 == digest)).first()
                if exists is None:
                    conn.execute(
                        insert(files).values(
                            sha256=digest, name=name[:300], size=len(data), data=data, created_at=datetime.now(UTC)
                        )
                    )
        except IntegrityError:
            pass  # the same file, stored by another session a moment ago
        return digest

    def get_file(self, digest: str) -> bytes:
        with self.engine.connect() as conn:
            row = conn.execute(select(files.c.data).where(files.c.sha256 == digest)).first()
        if row is None:
            raise NotFound(digest)
        return bytes(row.data)

    def dispose(self) -> None:
        self.engine.dispose()
