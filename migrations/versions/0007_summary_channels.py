"""summary_channels: when each summary channel was first seen, so catch-up never posts an earlier week

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "summary_channels",
        sa.Column("channel_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("since", db.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_summary_channels")),
    )
    # A channel that was posted to already keeps catching up missed weeks: it was known at least
    # since its first claim.
    op.execute(
        "INSERT INTO summary_channels (channel_id, since) "
        "SELECT channel_id, MIN(created_at) FROM summary_posts GROUP BY channel_id"
    )


def downgrade() -> None:
    op.drop_table("summary_channels")
