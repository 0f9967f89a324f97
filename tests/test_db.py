"""The database layer on SQLite and PostgreSQL: migrations, settings, locking, concurrency, shortlists."""

from __future__ import annotations

import json
import multiprocessing
import threading

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from jobmatch import db
from jobmatch.audit import AuditLog
from jobmatch.cli import main
from jobmatch.dbmodels import AuditRecord, Base, ConsultantAction, ShortlistItem
from jobmatch.shortlist_store import ShortlistError, delete_shortlist, list_shortlists, save_shortlist
from tests.conftest_db import action_worker, dying_writer


def _schema_diffs(engine) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)


def _count(factory, model) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(model)))


# ---------------------------------------------------------------------------
# migrations


def test_migrations_produce_exactly_the_models_schema(db_url):
    db.init_db(db_url)
    assert _schema_diffs(db.get_engine(db_url)) == []


def test_schema_comparison_notices_a_difference(db_url):
    """The comparison above is not vacuous: a missing index shows up."""
    db.init_db(db_url)
    engine = db.get_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_feedback_ts"))
    diffs = _schema_diffs(engine)
    assert any(d[0] == "add_index" and d[1].name == "ix_feedback_ts" for d in diffs)


def test_init_db_is_idempotent_and_reports_status(db_url):
    first = db.init_db(db_url)
    second = db.init_db(db_url)
    assert first["up_to_date"] and second["up_to_date"]
    assert second["current"] == second["head"] == db.head_revisions()
    assert "password" not in json.dumps(second)


def test_downgrade_to_base_and_upgrade_again(db_url):
    db.init_db(db_url)
    db.downgrade(db_url, "base")
    tables = set(inspect(db.get_engine(db_url)).get_table_names())
    assert not tables & set(Base.metadata.tables)
    assert db.init_db(db_url)["up_to_date"]
    assert set(Base.metadata.tables) <= set(inspect(db.get_engine(db_url)).get_table_names())


def test_status_of_a_fresh_database_says_not_up_to_date(db_url):
    status = db.schema_status(db_url)
    assert status["current"] == [] and not status["up_to_date"]
    with pytest.raises(db.DatabaseNotReady, match="db upgrade"):
        db.require_current(db_url)


def test_missing_sqlite_file_is_reported_not_created(tmp_path):
    path = tmp_path / "nothing-here.sqlite"
    status = db.schema_status(f"sqlite:///{path}")
    assert status["exists"] is False and status["up_to_date"] is False
    assert not path.exists()


def test_no_table_has_a_column_for_cv_text():
    columns = {f"{t.name}.{c.name}" for t in Base.metadata.tables.values() for c in t.columns}
    assert not [c for c in columns if "cv" in c.split(".")[1] or c.split(".")[1] in {"text", "content", "body"}]


# ---------------------------------------------------------------------------
# URLs, settings, errors


def test_urls_are_normalised_and_passwords_hidden():
    assert db.normalise_url("postgresql://u:p@h/d").drivername == "postgresql+psycopg"
    assert db.normalise_url("postgres://u:p@h/d").drivername == "postgresql+psycopg"
    assert "secret" not in db.redact_url("postgresql+psycopg://u:secret@h/d")
    with pytest.raises(db.DatabaseError, match="not supported"):
        db.normalise_url("mysql://u:p@h/d")
    with pytest.raises(db.DatabaseError, match="not a database URL"):
        db.normalise_url("no url at all")


def test_default_url_is_sqlite_in_the_data_dir(monkeypatch, tmp_path):
    from jobmatch import config

    monkeypatch.delenv("JOBMATCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("JOBMATCH_DATA_DIR", str(tmp_path))
    assert config.database_url() == f"sqlite:///{tmp_path / 'jobmatch.sqlite'}"
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", "postgresql+psycopg://a@b/c")
    assert config.database_url() == "postgresql+psycopg://a@b/c"


def test_retention_setting(monkeypatch):
    from jobmatch import config

    monkeypatch.delenv("JOBMATCH_AUDIT_RETENTION_DAYS", raising=False)
    assert config.audit_retention_days() == 1825
    monkeypatch.setenv("JOBMATCH_AUDIT_RETENTION_DAYS", "30")
    assert config.audit_retention_days() == 30
    monkeypatch.setenv("JOBMATCH_AUDIT_RETENTION_DAYS", "0")
    with pytest.raises(ValueError, match="at least 1"):
        config.audit_retention_days()


def test_unreachable_server_gives_one_line_without_password():
    with pytest.raises(db.DatabaseError) as exc:
        db.schema_status("postgresql+psycopg://someone:secret-pw@127.0.0.1:1/nothing")
    message = str(exc.value)
    assert "Cannot use the database" in message and "secret-pw" not in message and "\n" not in message
    db.dispose_engines()


def test_sqlite_connections_get_wal_busy_timeout_and_foreign_keys(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.SQLITE_BUSY_TIMEOUT_MS
    engine.dispose()


def test_check_constraints_hold_on_both_backends(db_factory):
    with pytest.raises(IntegrityError):
        with db_factory.begin() as session:
            session.execute(text(
                "INSERT INTO consultant_actions (ts, session_id, consultant_pseudonym, citizen_pseudonym, action) "
                "VALUES (CURRENT_TIMESTAMP, 's', 'c', 'b', 'delete')"))


# ---------------------------------------------------------------------------
# serialised writes


def test_serialised_write_holds_the_lock_from_the_start(db_factory, db_url):
    """While run_serialised's transaction is open — before it writes anything — nobody else gets the lock."""
    inside, release = threading.Event(), threading.Event()

    def hold(_session):
        inside.set()
        assert release.wait(10)
        return "done"

    results: list[str] = []
    thread = threading.Thread(target=lambda: results.append(db.run_serialised(db_factory, hold)))
    thread.start()
    try:
        assert inside.wait(10)
        if db_url.startswith("sqlite"):
            import sqlite3

            other = sqlite3.connect(db.normalise_url(db_url).database, timeout=0.05, isolation_level=None)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            other.close()
        else:
            with db.get_engine(db_url).connect() as conn:
                got = conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": db.AUDIT_LOCK_KEY}).scalar()
                assert got is False
    finally:
        release.set()
        thread.join(10)
    assert results == ["done"]


def test_retryable_errors_are_recognised():
    import sqlite3

    from sqlalchemy.exc import OperationalError

    assert db.is_retryable(OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked")))
    assert not db.is_retryable(OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x")))
    assert not db.is_retryable(ValueError("database is locked"))


def test_four_processes_lose_no_writes(db_factory, db_url):
    """4 processes × 50 consultant actions at once: all 200 actions and 200 audit records, one unbroken chain."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(4)
    procs = [ctx.Process(target=action_worker, args=(db_url, w, 50, barrier)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(180)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    assert _count(db_factory, ConsultantAction) == 200
    with db_factory() as session:
        seqs = list(session.scalars(select(AuditRecord.seq).order_by(AuditRecord.seq)))
        posting_ids = {json.loads(p)["posting_id"] for p in session.scalars(select(AuditRecord.payload))}
    assert seqs == list(range(1, 201))
    assert posting_ids == {f"P{w}-{i}" for w in range(4) for i in range(50)}
    result = AuditLog(db_factory).verify()
    assert result.ok and result.checked == 200


def test_threads_in_one_process_do_not_fork_the_chain(db_factory):
    log = AuditLog(db_factory)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(25):
                log.record_ranking(consultant_id=f"k{t}", citizen_id="C1", session_id=f"s{t}", model_version="m",
                                   data_version="d", settings={"max_minutes": 45},
                                   suggestions=[{"posting_id": f"P{t}-{i}", "score": 0.5, "reasons": []}])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    result = log.verify()
    assert result.ok and result.checked == 100 and result.head_seq == 100


def test_exception_mid_transaction_leaves_the_database_consistent(db_factory, monkeypatch):
    from jobmatch import audit

    log = AuditLog(db_factory)
    log.record_action(consultant_id="k", citizen_id="C", session_id="s", action="pin", posting_id="P1")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full, say")

    # the consultant action row is already flushed when the audit record's hash is computed
    monkeypatch.setattr(audit, "record_hash", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        log.record_action(consultant_id="k", citizen_id="C", session_id="s", action="hide", posting_id="P2")
    monkeypatch.undo()

    assert _count(db_factory, ConsultantAction) == 1
    assert _count(db_factory, AuditRecord) == 1
    assert log.verify().ok
    assert log.record_action(consultant_id="k", citizen_id="C", session_id="s", action="hide",
                             posting_id="P2").seq == 2
    assert log.verify().ok


def test_a_writer_that_dies_mid_transaction_leaves_nothing_behind(db_factory, db_url):
    log = AuditLog(db_factory)
    log.record_action(consultant_id="k", citizen_id="C", session_id="s", action="pin", posting_id="P1")
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(target=dying_writer, args=(db_url,))
    proc.start()
    proc.join(120)
    assert proc.exitcode == 3
    assert _count(db_factory, ConsultantAction) == 1
    assert _count(db_factory, AuditRecord) == 1
    assert log.verify().ok
    # and the lock it held is free again
    assert log.record_action(consultant_id="k", citizen_id="C", session_id="s", action="hide",
                             posting_id="P3").seq == 2


# ---------------------------------------------------------------------------
# shortlists


def test_shortlist_save_list_replace_delete(db_factory):
    saved = save_shortlist(db_factory, consultant_id="k1", citizen_id="C00042",
                           posting_ids=["P3", "P1", "P3", "P2"], title="Lager og logistik", municipality=101)
    assert saved.posting_ids == ["P3", "P1", "P2"]
    assert len(saved.citizen_pseudonym) == 64 and "C00042" not in saved.citizen_pseudonym
    again = save_shortlist(db_factory, consultant_id="k1", citizen_id="C00042", posting_ids=["P2", "P9"],
                           shortlist_id=saved.id)
    assert again.id == saved.id and again.posting_ids == ["P2", "P9"]
    assert [s.posting_ids for s in list_shortlists(db_factory, citizen_id="C00042")] == [["P2", "P9"]]
    assert list_shortlists(db_factory, citizen_id="C00043") == []
    with pytest.raises(ShortlistError, match="another citizen"):
        save_shortlist(db_factory, consultant_id="k1", citizen_id="C00043", posting_ids=["P1"],
                       shortlist_id=saved.id)
    assert delete_shortlist(db_factory, saved.id) is True
    assert delete_shortlist(db_factory, saved.id) is False
    assert _count(db_factory, ShortlistItem) == 0


def test_shortlist_items_go_with_their_list_in_the_database(db_factory):
    """ON DELETE CASCADE works in the database itself (foreign keys are on in SQLite too)."""
    saved = save_shortlist(db_factory, consultant_id="k", citizen_id="C", posting_ids=["P1", "P2"])
    with db_factory.begin() as session:
        session.execute(text("DELETE FROM shortlists WHERE id = :id"), {"id": saved.id})
    assert _count(db_factory, ShortlistItem) == 0


def test_shortlist_refuses_bad_input(db_factory):
    with pytest.raises(ShortlistError):
        save_shortlist(db_factory, consultant_id="k", citizen_id="C", posting_ids="P1")
    with pytest.raises(ShortlistError):
        save_shortlist(db_factory, consultant_id="k", citizen_id="C", posting_ids=["x" * 65])


# ---------------------------------------------------------------------------
# command line


def test_cli_db_upgrade_and_current(db_url, capsys):
    assert main(["db", "current", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["up_to_date"] is False
    assert main(["db", "upgrade", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["up_to_date"] is True
    assert main(["db", "current", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["up_to_date"] is True and status["current"] == db.head_revisions()


def test_cli_says_what_to_do_when_not_migrated(db_url, capsys):
    assert main(["audit", "verify"]) == 2
    err = capsys.readouterr().err
    assert "db upgrade" in err and "Traceback" not in err


def test_cli_bad_database_url_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", "mysql://u:secret@h/d")
    assert main(["db", "current"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "secret" not in err
