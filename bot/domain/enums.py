"""Closed vocabularies shared by the domain, the database and the bot."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SECRETARY = "secretary"
    LEADER = "leader"
    UNIT_CONTACT = "unit_contact"


class DirectiveStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    ARCHIVED = "archived"


class DutyStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class AssignmentRole(StrEnum):
    LEAD = "lead"
    SUPPORT = "support"


class AssignmentStatus(StrEnum):
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    REPORTED_DONE = "reported_done"
    CONFIRMED = "confirmed"
    RETURNED = "returned"


class ExtensionStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


class ReportKind(StrEnum):
    DONE = "done"
    PROGRESS = "progress"
    BLOCKED = "blocked"
    EXTENSION = "extension"
    NOTE = "note"
    CONFIRMED = "confirmed"
    RETURNED = "returned"


class ReportSource(StrEnum):
    BUTTON = "button"
    REPLY = "reply"
    COMMAND = "command"


class PingKind(StrEnum):
    NOTICE = "notice"
    ROUTINE = "routine"
    PRE_DEADLINE = "pre_deadline"
    OVERDUE = "overdue"
    ESCALATION = "escalation"
    MANUAL = "manual"


class PingStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
