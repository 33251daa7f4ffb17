"""Load what the báo cáo of one directive says (bot.domain.baocao.draft) from the database.

Reads one directive's rows only: its assignments, its units' reports up to the period's end
(a unit's latest status may be older than the period), its files and its first notices.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.domain.baocao import AssignmentFacts, Baocao, DirectiveFacts, Family, ReportFacts, draft, family_of
from bot.domain.enums import DutyStatus, PingKind
from bot.domain.lifecycle import finished_at
from bot.services.reports import state_of
from db.models import Assignment, Directive, Duty, Ping, ReportAttachment, StatusReport, Unit


async def load(
    session: AsyncSession,
    config: Config,
    directive_id: int,
    *,
    today: date,
    start: date | None = None,
    end: date | None = None,
) -> Baocao | None:
    """The báo cáo of a directive for start..end (default: from its registration to today)."""
    directive = await session.get(Directive, directive_id)
    if directive is None:
        return None
    tz = config.tz
    registered_on = directive.created_at.astimezone(tz).date()
    start = start or registered_on
    end = end or today
    until = datetime.combine(end + timedelta(days=1), time(0), tz).astimezone(UTC)
    facts = DirectiveFacts(
        id=directive.id, number=directive.number, kind=directive.kind, title=directive.title,
        issued_on=directive.issued_on, issuer=directive.issuer, registered_on=registered_on,
        family=family_of(directive.number, directive.issuer, Family(config.baocao.issuer_kind)),
    )  # fmt: skip
    scope = (
        select(Assignment.id)
        .join(Duty, Duty.id == Assignment.duty_id)
        .where(Duty.directive_id == directive_id, Duty.status != DutyStatus.CANCELLED)
    )
    assignments = []
    for a, duty, unit in await session.execute(
        select(Assignment, Duty, Unit)
        .join(Duty, Duty.id == Assignment.duty_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.id.in_(scope))
        .order_by(Duty.position, Assignment.id)
    ):
        done = finished_at(state_of(a), require_confirmation=config.require_confirmation)
        assignments.append(
            AssignmentFacts(
                assignment_id=a.id, duty_id=duty.id, duty_label=duty.label, duty_text=duty.text,
                duty_deadline=duty.deadline, unit_name=unit.name, role=a.role, status=a.status, percent=a.percent,
                blocked=a.blocked, deadline=a.deadline, done_on=done.astimezone(tz).date() if done else None,
                extension_status=a.extension_status,
            )
        )  # fmt: skip
    reports = [
        ReportFacts(aid, kind, text, percent, at.astimezone(tz).date(), requested)
        for aid, kind, text, percent, at, requested in await session.execute(
            select(
                StatusReport.assignment_id,
                StatusReport.kind,
                StatusReport.text,
                StatusReport.percent,
                StatusReport.received_at,
                StatusReport.requested_deadline,
            )
            .where(StatusReport.assignment_id.in_(scope), StatusReport.received_at < until)
            .order_by(StatusReport.received_at, StatusReport.id)
        )
    ]
    files = [
        (aid, name, at.astimezone(tz).date())
        for aid, name, at in await session.execute(
            select(ReportAttachment.assignment_id, ReportAttachment.file_name, ReportAttachment.received_at)
            .where(ReportAttachment.assignment_id.in_(scope), ReportAttachment.received_at < until)
            .order_by(ReportAttachment.received_at, ReportAttachment.id)
        )
    ]
    notices = [
        (aid, at.astimezone(tz).date())
        for aid, at in await session.execute(
            select(Ping.assignment_id, func.min(Ping.sent_at))
            .where(Ping.assignment_id.in_(scope), Ping.kind == PingKind.NOTICE, Ping.sent_at < until)
            .group_by(Ping.assignment_id)
        )
        if at is not None
    ]
    return draft(facts, assignments, reports, files, notices, start=start, end=end, today=today)
