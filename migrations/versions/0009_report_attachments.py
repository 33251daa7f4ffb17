"""report_attachments: units' own files (PDF, Word, Excel, photos) sent as reports

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 22:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=255), nullable=False),
        sa.Column("file_unique_id", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("mime_type", sa.String(length=128), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("received_at", db.base.UTCDateTime(), nullable=False),
        sa.Column("stored_path", sa.String(length=512), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_report_attachments_assignment_id_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["status_reports.id"],
            name=op.f("fk_report_attachments_report_id_status_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_attachments")),
        sa.UniqueConstraint("chat_id", "message_id", name=op.f("uq_report_attachments_chat_id_message_id")),
    )
    op.create_index(
        "ix_report_attachments_assignment", "report_attachments", ["assignment_id", "received_at"], unique=False
    )
    op.create_index(op.f("ix_report_attachments_report_id"), "report_attachments", ["report_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_report_attachments_report_id"), table_name="report_attachments")
    op.drop_index("ix_report_attachments_assignment", table_name="report_attachments")
    op.drop_table("report_attachments")
