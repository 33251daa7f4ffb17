"""The rows the weekly summary is computed from: what the loader reads out of the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.enums import AssignmentRole, AssignmentStatus, ExtensionStatus, PingStatus, ReportKind


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included
    label: str  # as shown: "tuần 23/11–29/11/2026", "tháng 6/2026", "quý 2/2026"


@dataclass(frozen=True)
class AssignmentRow:
    assignment_id: int
    directive_id: int
    directive_number: str  # the directive's reference (bot/refs.py): its number, or kind, date and title
    directive_title: str
    duty_id: int
    duty_label: str  # "2.1"
    duty_text: str
    unit_id: int
    unit_name: str
    role: AssignmentRole
    status: AssignmentStatus
    deadline: date | None  # in force (after an approved extension); None = thường xuyên
    original_deadline: date | None
    done_on: date | None  # local day it counts as completed; None while not done
    assigned_on: date  # local day the directive was saved
    percent: int | None
    blocked: bool
    extension_status: ExtensionStatus | None
    extension_to: date | None
    last_reported_on: date | None = None  # latest unit report by the period's end (loaded for ongoing duties)


@dataclass(frozen=True, slots=True)
class ReportRow:
    report_id: int
    assignment_id: int
    kind: ReportKind
    text: str
    received_at: datetime  # aware UTC
    received_on: date  # local day
    requested_deadline: date | None
    percent: int | None = None  # the progress a unit gave with the report, if any


@dataclass(frozen=True)
class PingRow:
    """A reminder or notice sent to a unit (for the response rate)."""

    assignment_id: int
    status: PingStatus
    sent_on: date | None  # local day; None when never sent
