"""Reminder planning, the first half of a tick (DESIGN.md section 3).

Due assignments are selected through the `next_run_at` index, each due slot becomes a Ping row
(unique on assignment, kind and scheduled_for), and `next_run_at` moves to the next slot, all in
one transaction. Sending is the dispatcher's job (bot/dispatch.py), so a crash between the two
leaves a pending Ping, never a lost or doubled slot. On PostgreSQL the rows are claimed with
FOR UPDATE SKIP LOCKED, so several instances share the work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.domain.enums import AssignmentStatus, DirectiveStatus, DutyStatus, PingKind, PingStatus
from bot.domain.schedule import PlanRules, Slot, catch_up, next_slot
from bot.domain.workcal import WorkCalendar
from bot.services import outbox
from db.models import Assignment, Directive, Duty, Ping, UnitChat

log = logging.getLogger("dondoc.reminders")

OPEN_STATUSES = (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS, AssignmentStatus.RETURNED)
# A unit that reported within the window is not nagged by these; overdue and escalation still go.
_QUIET_WHEN_RECENT = (PingKind.ROUTINE, PingKind.PRE_DEADLINE)
_EPSILON = timedelta(microseconds=1)


@dataclass
class PlanStats:
    scheduled: int = 0  # assignments given their first slot
    pings: int = 0  # due slots written as pending pings
    skipped: int = 0  # due slots recorded as skipped (recent report, no group)
    stopped: int = 0  # assignments with nothing left to remind (no deadline and no cadence)
    rows: int = 0  # due assignments looked at
    digests: int = 0  # escalation digests queued for monitors and secretaries

    def __iadd__(self, other: PlanStats) -> PlanStats:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self


def calendar_for(config: Config) -> WorkCalendar:
    return WorkCalendar.from_settings(config.timezone, config.reminders)


def _rules(config: Config, duty: Duty, directive: Directive) -> PlanRules:
    return PlanRules.from_plan(duty.reminder_plan or directive.reminder_plan, config.reminders)


def _set_next(assignment: Assignment, slot: Slot | None) -> None:
    assignment.next_kind = slot.kind if slot else None
    assignment.next_nominal = slot.nominal if slot else None
    assignment.next_run_at = slot.send_at if slot else None


async def _add_ping(
    session: AsyncSession, assignment: Assignment, slot: Slot, *, now: datetime, status: PingStatus, note: str | None
) -> bool:
    """Write the slot's Ping unless it exists (a replayed tick): the unique key makes this idempotent."""
    taken = await session.scalar(
        select(Ping.id).where(
            Ping.assignment_id == assignment.id, Ping.kind == slot.kind, Ping.scheduled_for == slot.nominal
        )
    )
    if taken is not None:
        return False
    session.add(
        Ping(
            assignment_id=assignment.id,
            kind=slot.kind,
            scheduled_for=slot.nominal,
            status=status,
            error=note,
            created_at=now,
        )
    )
    return True


async def plan_due(session: AsyncSession, config: Config, now: datetime, *, limit: int = 500) -> PlanStats:
    """Turn every due slot into a Ping and advance the schedule. The caller commits."""
    stats = PlanStats()
    cal = calendar_for(config)
    has_group = exists().where(and_(UnitChat.unit_id == Assignment.unit_id, UnitChat.active.is_(True)))
    rows = (
        await session.execute(
            select(Assignment, Duty, Directive, has_group)
            .join(Duty, Duty.id == Assignment.duty_id)
            .join(Directive, Directive.id == Duty.directive_id)
            .where(
                Assignment.next_run_at <= now,
                Assignment.status.in_(OPEN_STATUSES),
                Duty.status == DutyStatus.OPEN,
                Directive.status == DirectiveStatus.ACTIVE,
            )
            .order_by(Assignment.next_run_at)
            .limit(limit)
            .with_for_update(skip_locked=True, of=Assignment)
        )
    ).all()
    recent = now - timedelta(hours=config.reminders.recent_report_hours)
    stats.rows = len(rows)
    escalated: dict[tuple[int, str], Directive] = {}  # (directive id, local day)
    for assignment, duty, directive, grouped in rows:
        try:
            rules = _rules(config, duty, directive)
        except ValueError as exc:
            log.error("bad reminder plan assignment=%s: %s", assignment.id, exc)
            _set_next(assignment, None)
            continue
        if assignment.next_nominal is None:
            # First look at a new assignment: only find its first slot (its notice went separately).
            slot = next_slot(rules, cal, deadline=assignment.deadline, after=now)
            _set_next(assignment, slot)
            stats.scheduled += 1
            stats.stopped += slot is None
            continue
        due, future = catch_up(
            rules, cal, deadline=assignment.deadline, last_run=assignment.next_nominal - _EPSILON, now=now
        )
        if due is not None and due.send_at > now:
            _set_next(assignment, due)  # caught up inside quiet hours: it goes at the next working slot
            continue
        _set_next(assignment, future)
        stats.stopped += future is None
        if due is None:
            continue
        silent_days = config.reminders.escalate_silent_after_days
        if (
            silent_days
            and due.kind in _QUIET_WHEN_RECENT
            and assignment.last_report_at is None
            # Whole local days, so "14 days" holds at the morning slot of day 14.
            and (now.astimezone(config.tz).date() - assignment.created_at.astimezone(config.tz).date()).days
            >= silent_days
        ):
            # M days without a single report: the monitor and the secretaries hear of it, like an overdue duty.
            due = Slot(PingKind.ESCALATION, due.nominal, due.send_at)
        if not grouped:
            note: str | None = "no_group"
        elif (
            due.kind in _QUIET_WHEN_RECENT
            and assignment.last_report_at is not None
            and assignment.last_report_at >= recent
        ):
            note = "recent_report"
        else:
            note = None
        status = PingStatus.PENDING if note is None else PingStatus.SKIPPED
        if await _add_ping(session, assignment, due, now=now, status=status, note=note):
            if note is None:
                stats.pings += 1
            else:
                stats.skipped += 1
        if due.kind == PingKind.ESCALATION:
            # Also when the unit has no group: the monitor and secretaries must hear of it all the more.
            escalated[(directive.id, due.nominal.astimezone(config.tz).date().isoformat())] = directive
    await session.flush()
    for (_, day), directive in escalated.items():
        stats.digests += await enqueue_escalation(session, config, directive, day, now)
    return stats


async def enqueue_escalation(
    session: AsyncSession, config: Config, directive: Directive, day: str, now: datetime
) -> int:
    """One digest per directive and local day to the monitor unit's group and the secretaries.

    It names every unit escalated that day; the text is gathered when it is sent.
    """
    chats = [await outbox.monitor_chat(session, directive), *await outbox.staff_chats(session, config)]
    payload = {"directive_id": directive.id, "day": day, "after_days": config.reminders.escalate_after_days}
    return await outbox.fan_out(
        session, chats, key=f"esc:{directive.id}:{day}", kind=outbox.ESCALATION, payload=payload, now=now
    )


async def remind_now(
    session: AsyncSession, config: Config, *, directive_id: int | None, now: datetime, actor: int
) -> int:
    """/remind: a MANUAL ping for each open assignment (of one directive, or all), same rules as the schedule.

    The minute is the idempotency key, so a double tap within a minute sends once.
    """
    slot_time = now.replace(second=0, microsecond=0)
    recent = now - timedelta(hours=config.reminders.recent_report_hours)
    query = (
        select(Assignment)
        .join(Duty, Duty.id == Assignment.duty_id)
        .join(Directive, Directive.id == Duty.directive_id)
        .where(
            Assignment.status.in_(OPEN_STATUSES),
            Duty.status == DutyStatus.OPEN,
            Directive.status == DirectiveStatus.ACTIVE,
            exists().where(and_(UnitChat.unit_id == Assignment.unit_id, UnitChat.active.is_(True))),
        )
    )
    if directive_id is not None:
        query = query.where(Directive.id == directive_id)
    created = 0
    for assignment in await session.scalars(query):
        if assignment.last_report_at is not None and assignment.last_report_at >= recent:
            continue
        slot = Slot(kind=PingKind.MANUAL, nominal=slot_time, send_at=now)
        created += await _add_ping(session, assignment, slot, now=now, status=PingStatus.PENDING, note=None)
    await session.flush()
    log.info("remind_now actor=%s directive=%s pings=%s", actor, directive_id, created)
    return created


async def remind_use_case(
    session: AsyncSession, config: Config, *, directive_id: int | None, now: datetime, actor: int
) -> int | None:
    """/remind as one unit of work: None when the directive does not exist or is not active."""
    if directive_id is not None:
        directive = await session.get(Directive, directive_id)
        if directive is None or directive.status != DirectiveStatus.ACTIVE:
            return None
    return await remind_now(session, config, directive_id=directive_id, now=now, actor=actor)
