"""Plain rows for the summary's pure tests, and running compute on them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.domain.enums import AssignmentRole, AssignmentStatus, ExtensionStatus, PingStatus, ReportKind
from bot.domain.summary import (
    AssignmentRow,
    Period,
    PingRow,
    ReportRow,
    Summary,
    compute,
)

WEEK = Period(start=date(2026, 6, 29), end=date(2026, 7, 5), label="tuần 29/6–5/7/2026")


TODAY = date(2026, 7, 6)


ASSIGNED = date(2026, 6, 1)


LEAD = AssignmentRole.LEAD


UNITS = {
    1: "Sở Tài chính",
    2: "Sở Nội vụ",
    3: "Công an tỉnh",
    4: "Đài Phát thanh",
    5: "Ban Tuyên giáo",
    6: "Văn phòng",
}


def row(
    assignment_id: int,
    *,
    duty: int,
    unit: int,
    role: AssignmentRole = LEAD,
    directive: int = 1,
    number: str | None = None,
    label: str | None = None,
    deadline: date | None = date(2026, 6, 30),
    original_deadline: date | None = None,
    done_on: date | None = None,
    status: AssignmentStatus | None = None,
    assigned_on: date = ASSIGNED,
    extension_status: ExtensionStatus | None = None,
    extension_to: date | None = None,
) -> AssignmentRow:
    if status is None:
        status = AssignmentStatus.CONFIRMED if done_on is not None else AssignmentStatus.ASSIGNED
    return AssignmentRow(
        assignment_id=assignment_id,
        directive_id=directive,
        directive_number=number if number is not None else f"{directive}-CV/TU",
        directive_title=f"Chỉ thị {directive}",
        duty_id=duty,
        duty_label=label if label is not None else str(duty),
        duty_text=f"Nhiệm vụ {duty}",
        unit_id=unit,
        unit_name=UNITS[unit],
        role=role,
        status=status,
        deadline=deadline,
        original_deadline=original_deadline,
        done_on=done_on,
        assigned_on=assigned_on,
        percent=None,
        blocked=False,
        extension_status=extension_status,
        extension_to=extension_to,
    )


def report(
    report_id: int,
    assignment_id: int,
    kind: ReportKind,
    on: date,
    *,
    text: str = "Đã triển khai",
    hour: int = 3,
    requested: date | None = None,
) -> ReportRow:
    received_at = datetime.combine(on, time(hour), tzinfo=UTC)
    return ReportRow(
        report_id=report_id,
        assignment_id=assignment_id,
        kind=kind,
        text=text,
        received_at=received_at,
        received_on=on,
        requested_deadline=requested,
    )


def ping(assignment_id: int, sent_on: date | None, status: PingStatus = PingStatus.SENT) -> PingRow:
    return PingRow(assignment_id=assignment_id, status=status, sent_on=sent_on)


def run(
    assignments: list[AssignmentRow],
    reports: list[ReportRow] | None = None,
    pings: list[PingRow] | None = None,
    *,
    period: Period = WEEK,
    today: date = TODAY,
) -> Summary:
    return compute(assignments, reports or [], pings or [], period, today=today)
