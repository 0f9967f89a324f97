"""Database access: engines, sessions, serialised writes and migrations.

One URL (:func:`jobmatch.config.database_url`) says where the database is:

* ``sqlite:///path/jobmatch.sqlite`` — the embedded default, one file in the
  data folder. Every connection gets WAL journaling (readers do not block the
  writer), a 30 s busy timeout (a writer waits for the lock instead of
  failing) and foreign keys switched on. SQLAlchemy, not the ``sqlite3``
  driver, emits ``BEGIN``, so transactions really are transactions and a
  writer can ask for ``BEGIN IMMEDIATE`` (see :func:`run_serialised`).
* ``postgresql+psycopg://user:password@host/db`` — a shared deployment
  (psycopg 3). ``postgresql://`` and ``postgres://`` are read as psycopg too.

The schema is owned by the Alembic migrations in ``migrations/``:
:func:`init_db` upgrades a database to the newest revision, and
:func:`schema_status` says where a database stands. ``docs/database.md``
describes the tables and the design.

Problems a user can fix (a bad URL, an unreachable server, a database that
is not migrated) raise :class:`DatabaseError` with a one-line message.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from jobmatch import config

#: Alembic's configuration file and migration scripts (at the repository root).
ALEMBIC_INI = config.REPO_ROOT / "alembic.ini"
MIGRATIONS_DIR = config.REPO_ROOT / "migrations"

#: How long an SQLite writer waits for the lock before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 30_000

#: Execution option read by the SQLite ``begin`` hook: ``"IMMEDIATE"`` takes the write lock at BEGIN.
SQLITE_BEGIN_OPTION = "jobmatch_sqlite_begin"

#: PostgreSQL advisory-lock keys (any constant bigint, unique within this application).
AUDIT_LOCK_KEY = 0x6A6F_626D_0001  # serialises audit-log appends and purges
MIGRATION_LOCK_KEY = 0x6A6F_626D_0002  # serialises concurrent `db upgrade`

SUPPORTED_BACKENDS = ("sqlite", "postgresql")

T = TypeVar("T")


class DatabaseError(Exception):
    """A database problem the user can fix, with a one-line message."""


class DatabaseNotReady(DatabaseError):
    """The database exists but is not migrated to the newest schema."""


# ---------------------------------------------------------------------------
# URLs and engines


def normalise_url(url: str | URL | None = None) -> URL:
    """Parse a database URL (default: the configured one) and pick the psycopg driver for PostgreSQL."""
    raw = url if url is not None else config.database_url()
    try:
        parsed = make_url(raw)
    except ArgumentError:
        raise DatabaseError(
            "JOBMATCH_DATABASE_URL is not a database URL (expected e.g. sqlite:///path/jobmatch.sqlite "
            "or postgresql+psycopg://user:password@host/db)"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise DatabaseError(
            f"Database backend {parsed.get_backend_name()!r} is not supported; use sqlite or postgresql"
        )
    return parsed


def redact_url(url: str | URL | None = None) -> str:
    """The URL with the password hidden, for messages and ``--json`` output."""
    try:
        return normalise_url(url).render_as_string(hide_password=True)
    except DatabaseError:
        return "<invalid database URL>"


def backend(bind: Engine | Connection | Session) -> str:
    """``"sqlite"`` or ``"postgresql"``."""
    return bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name


def _sqlite_path(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def make_engine(url: str | URL | None = None, *, echo: bool = False) -> Engine:
    """A new engine for ``url`` (default: the configured database), with the settings described above.

    Prefer :func:`get_engine`, which keeps one engine per URL per process;
    call ``engine.dispose()`` on engines made here when done.
    """
    parsed = normalise_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            path = _sqlite_path(parsed)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            _install_sqlite_hooks(engine, wal=path is not None)
        else:
            engine = create_engine(parsed, echo=echo, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except NoSuchModuleError:
        raise DatabaseError(f"No database driver for {parsed.drivername}; install the pinned requirements") from None
    except ImportError as exc:
        raise DatabaseError(f"The database driver for {parsed.drivername} is not installed ({exc.name})") from None
    return engine


def _install_sqlite_hooks(engine: Engine, *, wal: bool) -> None:
    """Pragmas on every new SQLite connection, and SQLAlchemy-controlled BEGIN."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The sqlite3 driver would otherwise BEGIN only before writes (so a SELECT
        # followed by an INSERT is not one transaction) and never before DDL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(SQLITE_BEGIN_OPTION) == "IMMEDIATE"
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def get_engine(url: str | URL | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: the configured database)."""
    key = normalise_url(url).render_as_string(hide_password=False)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = make_engine(key)
        return engine


def dispose_engines() -> None:
    """Close every engine made by :func:`get_engine` (tests; a server shutting down)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def session_factory(url: str | URL | None = None) -> sessionmaker[Session]:
    """A session factory on the process-wide engine for ``url``.

    ``expire_on_commit=False``: objects stay readable after the session
    commits, which is what the Streamlit pages want.
    """
    return sessionmaker(bind=get_engine(url), expire_on_commit=False)


def factory_for(engine: Engine) -> sessionmaker[Session]:
    """A session factory on a given engine."""
    return sessionmaker(bind=engine, expire_on_commit=False)


# ---------------------------------------------------------------------------
# serialised writes


def is_retryable(exc: BaseException) -> bool:
    """True for errors that mean "someone else holds the lock, try again" (or a dropped connection)."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)  # psycopg 3
    if sqlstate in {"40001", "40P01", "55P03", "57P01"}:  # serialization, deadlock, lock not available, shutdown
        return True
    message = str(orig).lower()
    return "database is locked" in message or "database is busy" in message or "database table is locked" in message


def run_serialised(factory: sessionmaker[Session], work: Callable[[Session], T], *,
                   lock_key: int = AUDIT_LOCK_KEY, attempts: int = 10) -> T:
    """Run ``work(session)`` in one transaction that no other serialised writer runs alongside.

    SQLite: the transaction starts with ``BEGIN IMMEDIATE`` (the database's
    single write lock is taken before anything is read, so two writers cannot
    both read the same "last record"). PostgreSQL: the transaction first takes
    the advisory lock ``lock_key`` (released at commit or rollback, also when
    the client dies). On "busy"/"locked"/deadlock the whole transaction is
    retried with a short random back-off; any other exception rolls back and
    propagates, leaving the database as it was.
    """
    for attempt in range(1, attempts + 1):
        session = factory()
        try:
            connection = session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})
            if connection.dialect.name == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key})
            result = work(session)
            session.commit()
            return result
        except DBAPIError as exc:
            session.rollback()
            if attempt < attempts and is_retryable(exc):
                time.sleep(min(2.0, 0.02 * 2**attempt) * random.uniform(0.5, 1.0))
                continue
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
    raise AssertionError("unreachable")  # pragma: no cover


def connection_error(exc: BaseException, url: str | URL | None = None) -> DatabaseError:
    """A one-line :class:`DatabaseError` for a failed connection (no password, no traceback)."""
    orig = getattr(exc, "orig", None) or exc
    first_line = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    return DatabaseError(f"Cannot use the database {redact_url(url)}: {first_line}")


# ---------------------------------------------------------------------------
# migrations (Alembic, programmatic API)


def alembic_config(url: str | URL | None = None):  # -> alembic.config.Config
    """Alembic configuration for ``url``: ``alembic.ini`` at the repository root, scripts in ``migrations/``."""
    from alembic.config import Config

    cfg = Config(str(ALEMBIC_INI)) if ALEMBIC_INI.exists() else Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.attributes["database_url"] = normalise_url(url).render_as_string(hide_password=False)
    return cfg


def head_revisions(url: str | URL | None = None) -> list[str]:
    """The newest revision(s) the migration scripts define."""
    from alembic.script import ScriptDirectory

    return sorted(ScriptDirectory.from_config(alembic_config(url)).get_heads())


def schema_status(url: str | URL | None = None) -> dict[str, Any]:
    """Where the database stands: backend, current and newest revision, ``up_to_date``.

    A missing SQLite file is reported as ``exists: False`` without creating it.
    """
    from alembic.runtime.migration import MigrationContext

    parsed = normalise_url(url)
    status: dict[str, Any] = {"url": redact_url(parsed), "backend": parsed.get_backend_name(),
                              "exists": True, "current": [], "head": head_revisions(parsed)}
    path = _sqlite_path(parsed) if parsed.get_backend_name() == "sqlite" else None
    if path is not None and not path.exists():
        status["exists"] = False
    else:
        try:
            with get_engine(parsed).connect() as conn:
                status["current"] = sorted(MigrationContext.configure(conn).get_current_heads())
        except DBAPIError as exc:
            raise connection_error(exc, parsed) from None
    status["up_to_date"] = status["exists"] and status["current"] == status["head"]
    return status


def require_current(url: str | URL | None = None) -> None:
    """Raise :class:`DatabaseNotReady` unless the database is migrated to the newest revision."""
    status = schema_status(url)
    if not status["up_to_date"]:
        where = "does not exist" if not status["exists"] else (
            f"is at revision {', '.join(status['current']) or 'none'}, the code needs {', '.join(status['head'])}")
        raise DatabaseNotReady(f"The database {status['url']} {where}; run: python -m jobmatch db upgrade")


def upgrade(url: str | URL | None = None, revision: str = "head") -> dict[str, Any]:
    """Migrate the database to ``revision`` (default: the newest). Safe to run again, also concurrently."""
    from alembic import command

    parsed = normalise_url(url)
    cfg = alembic_config(parsed)
    try:
        with get_engine(parsed).connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except DBAPIError as exc:
        raise connection_error(exc, parsed) from None
    return schema_status(parsed)


def downgrade(url: str | URL | None = None, revision: str = "-1") -> dict[str, Any]:
    """Migrate the database back to ``revision`` ("-1": one step; "base": drop every table). Data is lost."""
    from alembic import command

    parsed = normalise_url(url)
    cfg = alembic_config(parsed)
    try:
        with get_engine(parsed).connect() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    except DBAPIError as exc:
        raise connection_error(exc, parsed) from None
    return schema_status(parsed)


def init_db(url: str | URL | None = None) -> dict[str, Any]:
    """Make the database ready for use: create it if needed and upgrade it to the newest schema."""
    return upgrade(url, "head")


def run_migrations(connection: Connection, target_metadata: Any) -> None:
    """Run the pending migrations on ``connection`` in one locked transaction (called by ``migrations/env.py``).

    The whole upgrade is one transaction (SQLite and PostgreSQL both have
    transactional DDL), so a failed migration leaves the previous schema.
    Concurrent upgrades wait for each other: ``BEGIN IMMEDIATE`` on SQLite,
    an advisory lock on PostgreSQL.
    """
    from alembic import context

    connection.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
    with connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
        context.run_migrations()
