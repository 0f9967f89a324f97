"""The database tables (SQLAlchemy 2.x declarative models).

What lives in the database, and why it is there:

``consultant_actions``
    Every override a consultant makes (hide, pin, unpin, not relevant,
    reorder, add a job by hand, feedback). Human oversight (AI Act art. 14)
    is only credible if it can be counted; the project team's overview reads
    this table.
``shortlists`` / ``shortlist_items``
    A list of postings saved for a citizen — only when the consultant clicks
    "save". They hold posting ids and the citizen's pseudonym, never CV text.
``feedback``
    Whether a suggestion was useful, with a short reason: material for the
    next model version.
``ethics_register``
    The project's register of ethical questions (see :mod:`jobmatch.ethics`).
``audit_log`` / ``audit_anchor``
    The append-only, hash-chained audit trail (see :mod:`jobmatch.audit`).

People appear only as *pseudonyms* (salted hashes, :func:`jobmatch.audit.pseudonym`).
No table has a column for CV text.

The Alembic migrations in ``migrations/`` must produce exactly these tables;
``tests/test_db.py`` compares them. Change both together: edit a model, then
``alembic revision --autogenerate -m "..."`` and review the generated file.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

#: Consultant actions the tool records (the CHECK constraint and the audit use the same list).
ACTIONS: tuple[str, ...] = ("hide", "pin", "unpin", "not_relevant", "reorder", "add_manual", "feedback")

#: Who raised an ethical question.
ETHICS_ROLES: tuple[str, ...] = ("projektgruppe", "jobkonsulent", "borger", "DPO", "IT")

#: Life cycle of an ethics register entry.
ETHICS_STATUSES: tuple[str, ...] = ("open", "assessed", "decided", "closed")

#: Explicit constraint names, so migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PSEUDONYM_LEN = 64  # hex digest of HMAC-SHA256
POSTING_ID_LEN = 64
REASON_MAX = 500  # characters of free text (reasons, feedback); longer text is refused


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class UTCDateTime(TypeDecorator):
    """A timestamp stored with time zone, always returned as an aware UTC datetime.

    SQLite has no time-zone type and hands back naive datetimes; PostgreSQL
    hands back aware ones. This type makes both behave the same way.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware (use datetime.now(timezone.utc))")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ConsultantAction(Base):
    """One override or feedback by a consultant on a suggestion."""

    __tablename__ = "consultant_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ts: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    session_id: Mapped[str] = mapped_column(String(64))
    consultant_pseudonym: Mapped[str] = mapped_column(String(PSEUDONYM_LEN), index=True)
    citizen_pseudonym: Mapped[str] = mapped_column(String(PSEUDONYM_LEN), index=True)
    posting_id: Mapped[str | None] = mapped_column(String(POSTING_ID_LEN))
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    page: Mapped[str | None] = mapped_column(String(64))
    rank_before: Mapped[int | None] = mapped_column(Integer)
    rank_after: Mapped[int | None] = mapped_column(Integer)
    municipality_code: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint(_in("action", ACTIONS), name="action"),
        Index("ix_consultant_actions_action_page", "action", "page"),
    )


class Shortlist(Base):
    """Postings a consultant saved for a citizen (explicit user action only)."""

    __tablename__ = "shortlists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    consultant_pseudonym: Mapped[str] = mapped_column(String(PSEUDONYM_LEN))
    citizen_pseudonym: Mapped[str] = mapped_column(String(PSEUDONYM_LEN), index=True)
    title: Mapped[str | None] = mapped_column(String(120))
    municipality_code: Mapped[int | None] = mapped_column(Integer)

    items: Mapped[list[ShortlistItem]] = relationship(
        back_populates="shortlist", cascade="all, delete-orphan", order_by="ShortlistItem.position",
        passive_deletes=True,
    )


class ShortlistItem(Base):
    """One posting on a shortlist, in the consultant's order."""

    __tablename__ = "shortlist_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shortlist_id: Mapped[int] = mapped_column(ForeignKey("shortlists.id", ondelete="CASCADE"), index=True)
    posting_id: Mapped[str] = mapped_column(String(POSTING_ID_LEN))
    position: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    shortlist: Mapped[Shortlist] = relationship(back_populates="items")

    __table_args__ = (UniqueConstraint("shortlist_id", "posting_id", name="uq_shortlist_items_posting"),)


class Feedback(Base):
    """Was a suggestion useful? With a short reason, for the next model version."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ts: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    session_id: Mapped[str] = mapped_column(String(64))
    consultant_pseudonym: Mapped[str] = mapped_column(String(PSEUDONYM_LEN))
    citizen_pseudonym: Mapped[str | None] = mapped_column(String(PSEUDONYM_LEN))
    posting_id: Mapped[str | None] = mapped_column(String(POSTING_ID_LEN))
    useful: Mapped[bool | None] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)
    page: Mapped[str | None] = mapped_column(String(64))
    model_version: Mapped[str | None] = mapped_column(String(64))
    municipality_code: Mapped[int | None] = mapped_column(Integer)


class EthicsEntry(Base):
    """One question in the ethics register (see :mod:`jobmatch.ethics`)."""

    __tablename__ = "ethics_register"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: stable key of a seeded question (None for questions added by users); makes seeding idempotent
    key: Mapped[str | None] = mapped_column(String(64), unique=True)
    question: Mapped[str] = mapped_column(Text)
    raised_by_role: Mapped[str] = mapped_column(String(16))
    raised_at: Mapped[dt.date] = mapped_column(Date)
    assessment: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint(_in("raised_by_role", ETHICS_ROLES), name="role"),
        CheckConstraint(_in("status", ETHICS_STATUSES), name="status"),
    )


class AuditRecord(Base):
    """One record of the hash-chained audit trail.

    ``ts`` is kept as the exact ISO-8601 text that was hashed (UTC,
    microseconds, ``Z``), so the hash does not depend on how a backend
    stores timestamps; such strings sort like the times they name.
    ``payload`` is canonical JSON text. ``hash`` covers seq, ts, kind,
    municipality, payload and prev_hash (see :func:`jobmatch.audit.record_hash`).
    """

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    municipality: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditAnchor(Base):
    """Fixed points of the audit chain, one row per ``name``.

    ``purge``: the last record deleted by retention (verification starts
    after it). ``head``: the last record appended (so a missing tail is
    detected, and the next append continues from it).
    """

    __tablename__ = "audit_anchor"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    record_ts: Mapped[str] = mapped_column(String(32))
    #: purge: records deleted so far in total; head: unused (0)
    count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (CheckConstraint("name IN ('purge', 'head')", name="name"),)

