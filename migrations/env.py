"""Alembic environment for jobmatch: where the database is and what the schema should be.

The URL comes from ``jobmatch.config.database_url()`` (``JOBMATCH_DATABASE_URL``),
or from ``config.attributes["database_url"]`` / ``["connection"]`` when
:mod:`jobmatch.db` runs the migrations programmatically. The target schema is
:data:`jobmatch.dbmodels.Base.metadata`. Each upgrade runs as one locked
transaction (:func:`jobmatch.db.run_migrations`).
"""

from __future__ import annotations

from alembic import context

from jobmatch import db
from jobmatch.dbmodels import Base

target_metadata = Base.metadata
alembic_cfg = context.config


def _url() -> str:
    url = alembic_cfg.attributes.get("database_url") or alembic_cfg.get_main_option("sqlalchemy.url")
    return db.normalise_url(url or None).render_as_string(hide_password=False)


def run_offline() -> None:
    """``alembic upgrade --sql``: write the SQL instead of running it."""
    url = _url()
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=url.startswith("sqlite"), compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = alembic_cfg.attributes.get("connection")
    if connection is not None:
        db.run_migrations(connection, target_metadata)
        return
    engine = db.make_engine(_url())
    try:
        with engine.connect() as conn:
            db.run_migrations(conn, target_metadata)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
