"""indexes for loading one period's reports and sends (the weekly summary)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 16:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_status_reports_received", "status_reports", ["received_at"])
    op.create_index("ix_pings_sent", "pings", ["sent_at"])


def downgrade() -> None:
    op.drop_index("ix_pings_sent", table_name="pings")
    op.drop_index("ix_status_reports_received", table_name="status_reports")
