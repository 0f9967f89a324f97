"""Initial schema: consultant actions, shortlists, feedback, ethics register, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)  # jobmatch.dbmodels.UTCDateTime stores this type


def upgrade() -> None:
    op.create_table(
        "audit_anchor",
        sa.Column("name", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("record_ts", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("name IN ('purge', 'head')", name=op.f("ck_audit_anchor_name")),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_audit_anchor")),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("municipality", sa.Integer(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_log_hash")),
    )
    op.create_index(op.f("ix_audit_log_ts"), "audit_log", ["ts"])

    op.create_table(
        "consultant_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ts", UTC_DATETIME, nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("consultant_pseudonym", sa.String(length=64), nullable=False),
        sa.Column("citizen_pseudonym", sa.String(length=64), nullable=False),
        sa.Column("posting_id", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("page", sa.String(length=64), nullable=True),
        sa.Column("rank_before", sa.Integer(), nullable=True),
        sa.Column("rank_after", sa.Integer(), nullable=True),
        sa.Column("municipality_code", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "action IN ('hide', 'pin', 'unpin', 'not_relevant', 'reorder', 'add_manual', 'feedback')",
            name=op.f("ck_consultant_actions_action"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultant_actions")),
    )
    op.create_index("ix_consultant_actions_action_page", "consultant_actions", ["action", "page"])
    op.create_index(op.f("ix_consultant_actions_citizen_pseudonym"), "consultant_actions", ["citizen_pseudonym"])
    op.create_index(op.f("ix_consultant_actions_consultant_pseudonym"), "consultant_actions",
                    ["consultant_pseudonym"])
    op.create_index(op.f("ix_consultant_actions_ts"), "consultant_actions", ["ts"])

    op.create_table(
        "ethics_register",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("raised_by_role", sa.String(length=16), nullable=False),
        sa.Column("raised_at", sa.Date(), nullable=False),
        sa.Column("assessment", sa.Text(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("raised_by_role IN ('projektgruppe', 'jobkonsulent', 'borger', 'DPO', 'IT')",
                           name=op.f("ck_ethics_register_role")),
        sa.CheckConstraint("status IN ('open', 'assessed', 'decided', 'closed')",
                           name=op.f("ck_ethics_register_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ethics_register")),
        sa.UniqueConstraint("key", name=op.f("uq_ethics_register_key")),
    )
    op.create_index(op.f("ix_ethics_register_status"), "ethics_register", ["status"])

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ts", UTC_DATETIME, nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("consultant_pseudonym", sa.String(length=64), nullable=False),
        sa.Column("citizen_pseudonym", sa.String(length=64), nullable=True),
        sa.Column("posting_id", sa.String(length=64), nullable=True),
        sa.Column("useful", sa.Boolean(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("page", sa.String(length=64), nullable=True),
        sa.Column("model_version", sa.String(length=64), nullable=True),
        sa.Column("municipality_code", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    op.create_index(op.f("ix_feedback_ts"), "feedback", ["ts"])

    op.create_table(
        "shortlists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("consultant_pseudonym", sa.String(length=64), nullable=False),
        sa.Column("citizen_pseudonym", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=True),
        sa.Column("municipality_code", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shortlists")),
    )
    op.create_index(op.f("ix_shortlists_citizen_pseudonym"), "shortlists", ["citizen_pseudonym"])

    op.create_table(
        "shortlist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shortlist_id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("added_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["shortlist_id"], ["shortlists.id"],
                                name=op.f("fk_shortlist_items_shortlist_id_shortlists"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shortlist_items")),
        sa.UniqueConstraint("shortlist_id", "posting_id", name="uq_shortlist_items_posting"),
    )
    op.create_index(op.f("ix_shortlist_items_shortlist_id"), "shortlist_items", ["shortlist_id"])


def downgrade() -> None:
    op.drop_table("shortlist_items")
    op.drop_table("shortlists")
    op.drop_table("feedback")
    op.drop_table("ethics_register")
    op.drop_table("consultant_actions")
    op.drop_table("audit_log")
    op.drop_table("audit_anchor")
