"""baseline

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 09:24:58.369528
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
import db.base

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('app_state',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', db.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_state'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', db.base.UTCDateTime(), nullable=False),
    sa.Column('actor_user_id', sa.BigInteger(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=True),
    sa.Column('directive_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_directive_id'), ['directive_id'], unique=False)
        batch_op.create_index('ix_audit_log_entity', ['entity', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_unit_id'), ['unit_id'], unique=False)

    op.create_table('summary_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.BigInteger(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'skipped', name='pingstatus', native_enum=False, length=24), nullable=False),
    sa.Column('message_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', db.base.UTCDateTime(), nullable=False),
    sa.Column('posted_at', db.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_summary_posts')),
    sa.UniqueConstraint('channel_id', 'period_start', 'period_end', name=op.f('uq_summary_posts_channel_id_period_start_period_end'))
    )
    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=48), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', db.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', db.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('code', name=op.f('uq_units_code'))
    )
    op.create_table('directives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('place', sa.String(length=128), nullable=True),
    sa.Column('issuer', sa.String(length=255), nullable=True),
    sa.Column('signer_name', sa.String(length=128), nullable=True),
    sa.Column('signer_title', sa.String(length=128), nullable=True),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('file_hash', sa.String(length=64), nullable=True),
    sa.Column('monitor_unit_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('active', 'closed', 'archived', name='directivestatus', native_enum=False, length=24), nullable=False),
    sa.Column('reminder_plan', sa.JSON(), nullable=True),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', db.base.UTCDateTime(), nullable=False),
    sa.Column('closed_at', db.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['monitor_unit_id'], ['units.id'], name=op.f('fk_directives_monitor_unit_id_units'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directives')),
    sa.UniqueConstraint('file_hash', name=op.f('uq_directives_file_hash'))
    )
    with op.batch_alter_table('directives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directives_number'), ['number'], unique=False)

    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=False),
    sa.Column('full_name', sa.String(length=255), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('role', sa.Enum('admin', 'secretary', 'leader', 'unit_contact', name='role', native_enum=False, length=24), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', db.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', db.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_people_unit_id_units'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('telegram_user_id', name=op.f('uq_people_telegram_user_id'))
    )
    op.create_table('unit_chats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('chat_title', sa.String(length=255), nullable=True),
    sa.Column('chat_type', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('bound_by', sa.BigInteger(), nullable=True),
    sa.Column('bound_at', db.base.UTCDateTime(), nullable=False),
    sa.Column('unbound_at', db.base.UTCDateTime(), nullable=True),
    sa.Column('last_activity_at', db.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_chats_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_chats'))
    )
    with op.batch_alter_table('unit_chats', schema=None) as batch_op:
        batch_op.create_index('ix_unit_chats_chat_active', ['chat_id', 'active'], unique=False)
        batch_op.create_index('ix_unit_chats_unit_active', ['unit_id', 'active'], unique=False)

    op.create_table('duties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('directive_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('general', sa.Boolean(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('recurrence', sa.String(length=64), nullable=True),
    sa.Column('expected_product', sa.Text(), nullable=True),
    sa.Column('reminder_plan', sa.JSON(), nullable=True),
    sa.Column('status', sa.Enum('open', 'done', 'cancelled', name='dutystatus', native_enum=False, length=24), nullable=False),
    sa.Column('done_at', db.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['directive_id'], ['directives.id'], name=op.f('fk_duties_directive_id_directives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['duties.id'], name=op.f('fk_duties_parent_id_duties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duties')),
    sa.UniqueConstraint('directive_id', 'position', name=op.f('uq_duties_directive_id_position'))
    )
    with op.batch_alter_table('duties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duties_directive_id'), ['directive_id'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('duty_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('lead', 'support', name='assignmentrole', native_enum=False, length=24), nullable=False),
    sa.Column('status', sa.Enum('assigned', 'in_progress', 'reported_done', 'confirmed', 'returned', name='assignmentstatus', native_enum=False, length=24), nullable=False),
    sa.Column('blocked', sa.Boolean(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('original_deadline', sa.Date(), nullable=True),
    sa.Column('extension_to', sa.Date(), nullable=True),
    sa.Column('extension_status', sa.Enum('requested', 'approved', 'rejected', name='extensionstatus', native_enum=False, length=24), nullable=True),
    sa.Column('reported_done_at', db.base.UTCDateTime(), nullable=True),
    sa.Column('completed_at', db.base.UTCDateTime(), nullable=True),
    sa.Column('last_report_at', db.base.UTCDateTime(), nullable=True),
    sa.Column('next_run_at', db.base.UTCDateTime(), nullable=True),
    sa.Column('created_at', db.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', db.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['duty_id'], ['duties.id'], name=op.f('fk_assignments_duty_id_duties'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_assignments_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('duty_id', 'unit_id', name=op.f('uq_assignments_duty_id_unit_id'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_next_run_at'), ['next_run_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_unit_id'), ['unit_id'], unique=False)

    op.create_table('pings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('notice', 'routine', 'pre_deadline', 'overdue', 'escalation', 'manual', name='pingkind', native_enum=False, length=24), nullable=False),
    sa.Column('scheduled_for', db.base.UTCDateTime(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'skipped', name='pingstatus', native_enum=False, length=24), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=True),
    sa.Column('message_id', sa.BigInteger(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('claimed_until', db.base.UTCDateTime(), nullable=True),
    sa.Column('created_at', db.base.UTCDateTime(), nullable=False),
    sa.Column('sent_at', db.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_pings_assignment_id_assignments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pings')),
    sa.UniqueConstraint('assignment_id', 'kind', 'scheduled_for', name=op.f('uq_pings_assignment_id_kind_scheduled_for'))
    )
    with op.batch_alter_table('pings', schema=None) as batch_op:
        batch_op.create_index('ix_pings_chat_message', ['chat_id', 'message_id'], unique=False)
        batch_op.create_index('ix_pings_status_scheduled', ['status', 'scheduled_for'], unique=False)

    op.create_table('status_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('done', 'progress', 'blocked', 'extension', 'note', 'confirmed', 'returned', name='reportkind', native_enum=False, length=24), nullable=False),
    sa.Column('source', sa.Enum('button', 'reply', 'command', name='reportsource', native_enum=False, length=24), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('requested_deadline', sa.Date(), nullable=True),
    sa.Column('user_id', sa.BigInteger(), nullable=True),
    sa.Column('chat_id', sa.BigInteger(), nullable=True),
    sa.Column('message_id', sa.BigInteger(), nullable=True),
    sa.Column('callback_id', sa.String(length=64), nullable=True),
    sa.Column('received_at', db.base.UTCDateTime(), nullable=False),
    sa.Column('edited_at', db.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_status_reports_assignment_id_assignments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_reports')),
    sa.UniqueConstraint('callback_id', name=op.f('uq_status_reports_callback_id')),
    sa.UniqueConstraint('chat_id', 'message_id', name=op.f('uq_status_reports_chat_id_message_id'))
    )
    with op.batch_alter_table('status_reports', schema=None) as batch_op:
        batch_op.create_index('ix_status_reports_assignment_received', ['assignment_id', 'received_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('status_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_status_reports_assignment_received')

    op.drop_table('status_reports')
    with op.batch_alter_table('pings', schema=None) as batch_op:
        batch_op.drop_index('ix_pings_status_scheduled')
        batch_op.drop_index('ix_pings_chat_message')

    op.drop_table('pings')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_unit_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_next_run_at'))

    op.drop_table('assignments')
    with op.batch_alter_table('duties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duties_directive_id'))

    op.drop_table('duties')
    with op.batch_alter_table('unit_chats', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_chats_unit_active')
        batch_op.drop_index('ix_unit_chats_chat_active')

    op.drop_table('unit_chats')
    op.drop_table('people')
    with op.batch_alter_table('directives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directives_number'))

    op.drop_table('directives')
    op.drop_table('units')
    op.drop_table('summary_posts')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_unit_id'))
        batch_op.drop_index('ix_audit_log_entity')
        batch_op.drop_index(batch_op.f('ix_audit_log_directive_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('app_state')
