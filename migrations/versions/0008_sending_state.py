"""sending_at on pings and outbox: a send was attempted and its outcome is not recorded yet

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("pings", "outbox"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("sending_at", db.base.UTCDateTime(), nullable=True))


def downgrade() -> None:
    for table in ("pings", "outbox"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("sending_at")
