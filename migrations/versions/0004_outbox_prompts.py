"""outbox, reply prompts, report revisions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 13:12:07.997587
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
import db.base

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'skipped', name='pingstatus', native_enum=False, length=24), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('due_at', db.base.UTCDateTime(), nullable=False),
    sa.Column('claimed_until', db.base.UTCDateTime(), nullable=True),
    sa.Column('message_id', sa.BigInteger(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', db.base.UTCDateTime(), nullable=False),
    sa.Column('sent_at', db.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_status_due', ['status', 'due_at'], unique=False)

    op.create_table('reply_prompts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('message_id', sa.BigInteger(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('expects', sa.Enum('done', 'progress', 'blocked', 'extension', 'note', 'confirmed', 'returned', name='reportkind', native_enum=False, length=24), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', db.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_reply_prompts_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['status_reports.id'], name=op.f('fk_reply_prompts_report_id_status_reports'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_prompts')),
    sa.UniqueConstraint('chat_id', 'message_id', name=op.f('uq_reply_prompts_chat_id_message_id'))
    )
    with op.batch_alter_table('status_reports', schema=None) as batch_op:
        # Existing reports have no earlier versions.
        batch_op.add_column(sa.Column('revisions', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))



def downgrade() -> None:
    with op.batch_alter_table('status_reports', schema=None) as batch_op:
        batch_op.drop_column('revisions')

    op.drop_table('reply_prompts')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_status_due')

    op.drop_table('outbox')
