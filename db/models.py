"""Typed ORM models of the domain (DESIGN.md section 2). All datetimes are stored in UTC."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.domain.enums import (
    AssignmentRole,
    AssignmentStatus,
    DirectiveStatus,
    DutyStatus,
    ExtensionStatus,
    PingKind,
    PingStatus,
    ReportKind,
    ReportSource,
    Role,
)
from db.base import Base


def _enum(cls: type[enum.StrEnum]) -> SAEnum:
    # Stored as plain strings: no native PG enum types to migrate when a value is added.
    return SAEnum(
        cls, native_enum=False, create_constraint=False, length=24, values_callable=lambda e: [m.value for m in e]
    )


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32), default="unit")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    members: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class UnitChat(Base):
    """Binding of a unit to a Telegram group; rows are kept when unbound, for history."""

    __tablename__ = "unit_chats"
    __table_args__ = (
        Index("ix_unit_chats_chat_active", "chat_id", "active"),
        Index("ix_unit_chats_unit_active", "unit_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    chat_title: Mapped[str | None] = mapped_column(String(255))
    chat_type: Mapped[str] = mapped_column(String(16), default="group")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    bound_by: Mapped[int | None] = mapped_column(BigInteger)
    bound_at: Mapped[datetime]
    unbound_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship(lazy="raise")


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    full_name: Mapped[str] = mapped_column(String(255), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[Role | None] = mapped_column(_enum(Role))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Directive(Base):
    __tablename__ = "directives"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(128))
    issuer: Mapped[str | None] = mapped_column(String(255))
    signer_name: Mapped[str | None] = mapped_column(String(128))
    signer_title: Mapped[str | None] = mapped_column(String(128))
    source_text: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str | None] = mapped_column(String(255))
    # sha256 of the normalised source: registering the same document twice is noticed.
    file_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    monitor_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    status: Mapped[DirectiveStatus] = mapped_column(_enum(DirectiveStatus), default=DirectiveStatus.ACTIVE)
    reminder_plan: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]

    duties: Mapped[list[Duty]] = relationship(
        back_populates="directive", cascade="all, delete-orphan", order_by="Duty.position", lazy="raise"
    )


class Duty(Base):
    __tablename__ = "duties"
    __table_args__ = (UniqueConstraint("directive_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("duties.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    general: Mapped[bool] = mapped_column(Boolean, default=False)
    # A local calendar day; None means "thường xuyên" (ongoing).
    deadline: Mapped[date | None] = mapped_column(Date)
    recurrence: Mapped[str | None] = mapped_column(String(64))
    expected_product: Mapped[str | None] = mapped_column(Text)
    reminder_plan: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[DutyStatus] = mapped_column(_enum(DutyStatus), default=DutyStatus.OPEN)
    done_at: Mapped[datetime | None]

    directive: Mapped[Directive] = relationship(back_populates="duties", lazy="raise")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="duty", cascade="all, delete-orphan", lazy="raise"
    )


class Assignment(Base):
    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("duty_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    role: Mapped[AssignmentRole] = mapped_column(_enum(AssignmentRole))
    status: Mapped[AssignmentStatus] = mapped_column(_enum(AssignmentStatus), default=AssignmentStatus.ASSIGNED)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    percent: Mapped[int | None] = mapped_column(Integer)
    # The deadline in force (after an approved extension) and the one first set, for statistics.
    deadline: Mapped[date | None] = mapped_column(Date)
    original_deadline: Mapped[date | None] = mapped_column(Date)
    extension_to: Mapped[date | None] = mapped_column(Date)
    extension_status: Mapped[ExtensionStatus | None] = mapped_column(_enum(ExtensionStatus))
    reported_done_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    last_report_at: Mapped[datetime | None]
    # The reminder tick selects on this through its index: cost follows due work, not table size.
    next_run_at: Mapped[datetime | None] = mapped_column(index=True)
    # The slot next_run_at stands for: its nominal time is the Ping idempotency key (scheduled_for).
    next_kind: Mapped[PingKind | None] = mapped_column(_enum(PingKind))
    next_nominal: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    duty: Mapped[Duty] = relationship(back_populates="assignments", lazy="raise")
    unit: Mapped[Unit] = relationship(lazy="raise")


class StatusReport(Base):
    """Append-only record of every answer a unit gives."""

    __tablename__ = "status_reports"
    __table_args__ = (
        # A report redelivered after a restart is stored once.
        UniqueConstraint("chat_id", "message_id"),
        UniqueConstraint("callback_id"),
        Index("ix_status_reports_assignment_received", "assignment_id", "received_at"),
        Index("ix_status_reports_received", "received_at"),  # a summary loads one period's reports
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    kind: Mapped[ReportKind] = mapped_column(_enum(ReportKind))
    source: Mapped[ReportSource] = mapped_column(_enum(ReportSource))
    percent: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    requested_deadline: Mapped[date | None] = mapped_column(Date)
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    callback_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime]
    edited_at: Mapped[datetime | None]
    # Earlier versions of an edited reply: [{"text", "kind", "percent", "at"}], oldest first.
    revisions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class Ping(Base):
    """Outbox and log of every message sent to a unit."""

    __tablename__ = "pings"
    __table_args__ = (
        # The idempotency key of a reminder slot: no double send after a restart.
        UniqueConstraint("assignment_id", "kind", "scheduled_for"),
        Index("ix_pings_status_scheduled", "status", "scheduled_for"),
        Index("ix_pings_chat_message", "chat_id", "message_id"),
        Index("ix_pings_sent", "sent_at"),  # a summary loads one period's sends
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    kind: Mapped[PingKind] = mapped_column(_enum(PingKind))
    scheduled_for: Mapped[datetime]
    status: Mapped[PingStatus] = mapped_column(_enum(PingStatus), default=PingStatus.PENDING)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    claimed_until: Mapped[datetime | None]
    # Set just before a send, cleared when its outcome is recorded: still set after a crash means the
    # message may have reached Telegram, so a resend says "(nhắc lại)".
    sending_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class SummaryPost(Base):
    """One row per period and channel, so a weekly summary is never posted twice."""

    __tablename__ = "summary_posts"
    __table_args__ = (UniqueConstraint("channel_id", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[PingStatus] = mapped_column(_enum(PingStatus), default=PingStatus.PENDING)
    message_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
    posted_at: Mapped[datetime | None]


class SummaryChannel(Base):
    """When the bot first knew a summary channel: no weekly post is caught up for a period that had
    ended before then (it would report on weeks before the bot was there)."""

    __tablename__ = "summary_channels"

    channel_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    since: Mapped[datetime]


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_user_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    directive_id: Mapped[int | None] = mapped_column(Integer, index=True)
    unit_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AppState(Base):
    """Small shared key/value state (e.g. the scheduler's last tick), visible to every instance."""

    __tablename__ = "app_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime]


class Invite(Base):
    """A one-time deep link that binds the group it is used in to a unit."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, URL-safe; only its use in a `startgroup` link reveals it.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_chat_id: Mapped[int | None] = mapped_column(BigInteger)


class Outbox(Base):
    """Durable messages that are not a unit's reminder: escalation digests, confirmation requests,
    difficulties and decisions. `key` makes each one idempotent; the text is rendered at send time
    from the database, so it is current and a digest can gather what arrived meanwhile."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[PingStatus] = mapped_column(_enum(PingStatus), default=PingStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    sending_at: Mapped[datetime | None]  # as Ping.sending_at
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class ReplyPrompt(Base):
    """A ForceReply question the bot asked about one assignment: the answer maps back through it."""

    __tablename__ = "reply_prompts"
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    expects: Mapped[ReportKind] = mapped_column(_enum(ReportKind))
    # The report a tap already stored (progress, blocked) that the answer completes.
    report_id: Mapped[int | None] = mapped_column(ForeignKey("status_reports.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class DirectiveDraft(Base):
    """A secretary's unfinished /newdirective (bot.domain.draft.Intake as JSON), one row per Telegram user.

    In the database, not in process memory: it survives a restart, and every instance behind the
    load balancer sees it. Each update reads it by primary key and writes it in the same transaction.
    """

    __tablename__ = "drafts"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ReportAttachment(Base):
    """A unit's own file (signed PDF, .docx, photo of the stamped page) sent with a report.

    Telegram keeps the bytes: the bot re-sends by file_id. `stored_path` is set only when a copy
    was kept (attachments.store_copies)."""

    __tablename__ = "report_attachments"
    __table_args__ = (
        # A file redelivered after a restart is stored once.
        UniqueConstraint("chat_id", "message_id"),
        Index("ix_report_attachments_assignment", "assignment_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("status_reports.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    file_id: Mapped[str] = mapped_column(String(255))
    file_unique_id: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str | None] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))  # "document" or "photo": how to send it back
    file_size: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[datetime]
    stored_path: Mapped[str | None] = mapped_column(String(512))
