"""Database fixtures: every database test runs on SQLite (a temp file) and on a real PostgreSQL.

``db_url`` is parametrised over both backends. PostgreSQL comes from
``JOBMATCH_TEST_POSTGRES_URL`` (default
``postgresql+psycopg://jobmatch:jobmatch@127.0.0.1:5432/jobmatch_test``); each
test gets its own schema (via ``search_path``) that is dropped afterwards.
When no server is reachable the PostgreSQL variants skip with the reason —
except in CI (``CI=true`` or ``JOBMATCH_REQUIRE_POSTGRES=1``, which ``.ci/run``
sets), where they fail: CI must prove both backends.

Also here: worker functions for the multi-process tests (they must be
importable by a freshly spawned interpreter).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import lru_cache

import pytest

DEFAULT_TEST_POSTGRES_URL = "postgresql+psycopg://jobmatch:jobmatch@127.0.0.1:5432/jobmatch_test"
TEST_SALT = "test-salt-not-for-production-0123456789"


def postgres_url() -> str:
    return os.environ.get("JOBMATCH_TEST_POSTGRES_URL", "").strip() or DEFAULT_TEST_POSTGRES_URL


def in_ci() -> bool:
    """CI must prove both backends: there a missing server fails the tests instead of skipping them."""
    flags = (os.environ.get("CI", ""), os.environ.get("JOBMATCH_REQUIRE_POSTGRES", ""))
    return any(flag.strip().lower() in ("1", "true", "yes") for flag in flags)


@lru_cache(maxsize=None)
def postgres_problem(url: str) -> str | None:
    """None when a PostgreSQL server answers at ``url``, else why not (one line, no password)."""
    from jobmatch import db

    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg driver is not installed (pip install -r requirements.txt)"
    try:
        engine = db.make_engine(url)
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        finally:
            engine.dispose()
    except Exception as exc:  # any failure means: no usable server
        return str(db.connection_error(exc, url))
    return None


def require_postgres() -> str:
    """The test server's URL, or skip (fail in CI) with the reason."""
    url = postgres_url()
    problem = postgres_problem(url)
    if problem is not None:
        message = (f"PostgreSQL test server not reachable ({problem}). Start one and create role/database "
                   "jobmatch/jobmatch_test, or set JOBMATCH_TEST_POSTGRES_URL (see docs/database.md).")
        if in_ci():
            pytest.fail(f"CI=true but {message}", pytrace=False)
        pytest.skip(message)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, monkeypatch) -> Iterator[str]:
    """An empty database (not migrated) on each backend; JOBMATCH_DATABASE_URL points to it."""
    from sqlalchemy import text

    from jobmatch import db

    monkeypatch.setenv("JOBMATCH_PSEUDONYM_SALT", TEST_SALT)
    monkeypatch.setenv("JOBMATCH_DATA_DIR", str(tmp_path / "data"))
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'jobmatch.sqlite'}"
        monkeypatch.setenv("JOBMATCH_DATABASE_URL", url)
        yield url
        db.dispose_engines()
        return

    base = require_postgres()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = db.normalise_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", url)
    try:
        yield url
    finally:
        db.dispose_engines()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db_factory(db_url):
    """A session factory on a database migrated to the newest schema."""
    from jobmatch import db

    db.init_db(db_url)
    return db.session_factory(db_url)


# ---------------------------------------------------------------------------
# workers for multi-process tests (run in spawned interpreters)


def action_worker(url: str, worker: int, n: int, barrier) -> None:
    """Record ``n`` consultant actions (each with its audit record) as consultant ``k<worker>``."""
    from jobmatch import db
    from jobmatch.audit import AuditLog

    log = AuditLog(db.session_factory(url), municipality=101)
    barrier.wait(timeout=60)
    for i in range(n):
        log.record_action(consultant_id=f"k{worker}", citizen_id=f"C{worker:05d}", session_id=f"s{worker}",
                          action="pin" if i % 2 else "hide", posting_id=f"P{worker}-{i}", page="forslag")
    db.dispose_engines()


def dying_writer(url: str) -> None:
    """Start a consultant action, then die before commit (as a crashed app server would)."""
    from jobmatch import db
    from jobmatch.audit import AuditLog
    from jobmatch.dbmodels import ConsultantAction

    log = AuditLog(db.session_factory(url))

    def work(session):
        session.add(ConsultantAction(ts=log.clock(), session_id="dying", consultant_pseudonym="x" * 64,
                                     citizen_pseudonym="y" * 64, posting_id="P-dying", action="hide"))
        session.flush()
        log._append_locked(session, "action", {"action": "hide", "posting_id": "P-dying"}, None)
        os._exit(3)  # no commit, no rollback, no clean-up

    db.run_serialised(log.session_factory, work)
