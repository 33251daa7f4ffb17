"""What a reply is about: the duties a sent notice or reminder names, who may report from a chat,
and the latest reports. Reads only; bot.services.reports stores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import AssignmentStatus, DutyStatus, PingKind, Role
from db.models import Assignment, Directive, Duty, Person, Ping, ReplyPrompt, StatusReport, Unit, UnitChat


@dataclass(frozen=True)
class Target:
    """One assignment with what a message about it names."""

    assignment: Assignment
    duty: Duty
    directive: Directive
    unit: Unit


async def load_target(session: AsyncSession, assignment_id: int) -> Target | None:
    row = (
        await session.execute(
            select(Assignment, Duty, Directive, Unit)
            .join(Duty, Duty.id == Assignment.duty_id)
            .join(Directive, Directive.id == Duty.directive_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(Assignment.id == assignment_id)
        )
    ).first()
    return Target(*row) if row else None


# Built once: the reply path runs these for every update, and building a statement costs more than
# running it on SQLite.
_MESSAGE_TARGETS = (
    select(Ping.kind, Assignment, Duty, Directive, Unit)
    .join(Assignment, Assignment.id == Ping.assignment_id)
    .join(Duty, Duty.id == Assignment.duty_id)
    .join(Directive, Directive.id == Duty.directive_id)
    .join(Unit, Unit.id == Assignment.unit_id)
    .where(Ping.chat_id == bindparam("chat_id"), Ping.message_id == bindparam("message_id"))
    .order_by(Ping.id)
)
# The chat's bound unit and its last activity ride along with the notice's rows: no second lookup.
_CHAT_BINDING = (
    select(UnitChat.unit_id, UnitChat.last_activity_at)
    .where(UnitChat.chat_id == Ping.chat_id, UnitChat.active.is_(True))
    .order_by(UnitChat.id)
    .limit(1)
)
_NOTICE_TARGETS = (
    select(
        Ping.kind,
        Assignment,
        Duty,
        Directive,
        Unit,
        _CHAT_BINDING.with_only_columns(UnitChat.unit_id).scalar_subquery(),
        _CHAT_BINDING.with_only_columns(UnitChat.last_activity_at).scalar_subquery(),
    )
    .join(Assignment, Assignment.id == Ping.assignment_id)
    .join(Duty, Duty.id == Assignment.duty_id)
    .join(Directive, Directive.id == Duty.directive_id)
    .join(Unit, Unit.id == Assignment.unit_id)
    .where(Ping.chat_id == bindparam("chat_id"), Ping.message_id == bindparam("message_id"))
    .order_by(Ping.id)
)
_CHAT_UNIT = select(UnitChat.unit_id).where(UnitChat.chat_id == bindparam("chat_id"), UnitChat.active.is_(True))
REPORT_BY_MESSAGE = select(StatusReport).where(
    StatusReport.chat_id == bindparam("chat_id"), StatusReport.message_id == bindparam("message_id")
)
REPORT_BY_CALLBACK = select(StatusReport).where(StatusReport.callback_id == bindparam("callback_id"))
PROMPT = select(ReplyPrompt).where(
    ReplyPrompt.chat_id == bindparam("chat_id"), ReplyPrompt.message_id == bindparam("message_id")
)
_LATEST_REPORTS = (
    select(StatusReport)
    .where(StatusReport.assignment_id.in_(bindparam("ids", expanding=True)))
    .order_by(StatusReport.assignment_id, StatusReport.received_at, StatusReport.id)
)


async def message_targets(session: AsyncSession, chat_id: int, message_id: int) -> list[tuple[PingKind, Target]]:
    """What one sent notice or reminder is about (one query), in the order its text numbers them."""
    rows = await session.execute(_MESSAGE_TARGETS, {"chat_id": chat_id, "message_id": message_id})
    return [(kind, Target(a, duty, directive, unit)) for kind, a, duty, directive, unit in rows]


@dataclass(frozen=True)
class NoticeTargets:
    """What a notice is about, and the unit bound to its chat (None: not a bound group)."""

    items: list[tuple[PingKind, Target]]
    chat_unit_id: int | None
    activity_at: datetime | None


async def notice_targets(session: AsyncSession, chat_id: int, message_id: int, *, lock: bool) -> NoticeTargets:
    """message_targets with the chat's binding, in one statement. `lock` takes the assignments' rows
    on PostgreSQL, so two answers about one duty from two chats cannot lose an update."""
    stmt = _NOTICE_TARGETS.with_for_update(of=Assignment) if lock and is_pg(session) else _NOTICE_TARGETS
    rows = list(await session.execute(stmt, {"chat_id": chat_id, "message_id": message_id}))
    items = [(kind, Target(a, duty, directive, unit)) for kind, a, duty, directive, unit, _u, _t in rows]
    return NoticeTargets(items, rows[0][5] if rows else None, rows[0][6] if rows else None)


def is_pg(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def last_ping_message(session: AsyncSession, assignment_id: int, chat_id: int) -> int | None:
    """The newest notice or reminder about this assignment in this chat (to show a status in it)."""
    return await session.scalar(
        select(Ping.message_id)
        .where(Ping.assignment_id == assignment_id, Ping.chat_id == chat_id, Ping.message_id.is_not(None))
        .order_by(Ping.id.desc())
        .limit(1)
    )


async def chat_unit_id(session: AsyncSession, chat_id: int) -> int | None:
    return await session.scalar(_CHAT_UNIT, {"chat_id": chat_id})


async def contact_unit_id(session: AsyncSession, user_id: int) -> int | None:
    """The unit a unit contact answers for in a private chat."""
    person = await session.scalar(select(Person).where(Person.telegram_user_id == user_id))
    if person is None or person.role != Role.UNIT_CONTACT:
        return None
    return person.unit_id


async def reporter_unit_id(session: AsyncSession, *, chat_id: int, private: bool, user_id: int) -> int | None:
    """The unit someone may report for from this chat: the group's unit, or their own in private."""
    if private:
        return await contact_unit_id(session, user_id)
    return await chat_unit_id(session, chat_id)


async def open_assignments(session: AsyncSession, unit_id: int) -> list[Target]:
    rows = await session.execute(
        select(Assignment, Duty, Directive, Unit)
        .join(Duty, Duty.id == Assignment.duty_id)
        .join(Directive, Directive.id == Duty.directive_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(
            Assignment.unit_id == unit_id,
            Assignment.status != AssignmentStatus.CONFIRMED,
            Duty.status == DutyStatus.OPEN,
            Directive.status == "active",
        )
        .order_by(Assignment.deadline.is_(None), Assignment.deadline, Directive.id, Duty.position)
    )
    return [Target(*row) for row in rows]


async def latest_reports(session: AsyncSession, assignment_ids: list[int]) -> dict[int, StatusReport]:
    """The newest unit report of each assignment (for status lines)."""
    if not assignment_ids:
        return {}
    rows = await session.scalars(_LATEST_REPORTS, {"ids": assignment_ids})
    return {r.assignment_id: r for r in rows}


async def find_report(session: AsyncSession, chat_id: int, message_id: int) -> StatusReport | None:
    return await session.scalar(REPORT_BY_MESSAGE, {"chat_id": chat_id, "message_id": message_id})


async def find_prompt(session: AsyncSession, chat_id: int, message_id: int) -> ReplyPrompt | None:
    return await session.scalar(PROMPT, {"chat_id": chat_id, "message_id": message_id})
