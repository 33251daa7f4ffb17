"""A secretary's decisions on a unit's report: confirm, return, approve or reject an extension;
and completing a duty on behalf of a unit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.domain.enums import AssignmentStatus, ReportKind, ReportSource, Role
from bot.domain.errors import Refusal
from bot.domain.lifecycle import (
    TransitionError,
    confirm,
    decide_extension,
    return_result,
)
from bot.services import outbox
from bot.services.audit import audit
from bot.services.report_lookups import Target, load_target
from bot.services.reports import (
    MAX_REPORT_CHARS,
    Saved,
    close_duty_if_done,
    keep_revision,
    reschedule,
    state_of,
    write,
)
from bot.services.roles import remember_person
from db.models import Person, StatusReport


class DecisionError(Refusal):
    @property
    def code(self) -> str:  # the decision paths name it so
        return self.key


async def complete(
    session: AsyncSession,
    config: Config,
    report: StatusReport,
    *,
    text: str,
    percent: int | None,
    chat_id: int,
    message_id: int,
    now: datetime,
) -> Saved | None:
    """The answer to a ⏳/⚠️ prompt completes the report the tap stored (percent, note or reason)."""
    target = await load_target(session, report.assignment_id)
    if target is None:
        return None
    if report.message_id is None:
        report.chat_id, report.message_id = chat_id, message_id  # the answer's id makes redelivery idempotent
    if report.text:
        keep_revision(report)
    report.text = text[:MAX_REPORT_CHARS]
    if percent is not None:
        report.percent = percent
        if target.assignment.status == AssignmentStatus.IN_PROGRESS:
            target.assignment.percent = percent
    report.edited_at = now
    target.assignment.last_report_at = now
    await session.flush()
    return Saved(target, report)


async def decide(
    session: AsyncSession,
    config: Config,
    target: Target,
    action: str,
    *,
    actor: int,
    now: datetime,
    reason: str = "",
    callback_id: str | None = None,
    actor_name: str = "",
) -> StatusReport | None:
    """A secretary's decision: confirm, return (with a reason), approve or reject an extension.

    Stored as a report (kind confirmed/returned, or a note for extension decisions), audited, and
    the unit's group is told. Raises DecisionError with a lifecycle code when it no longer applies.
    """
    assignment = target.assignment
    state = state_of(assignment)
    before = {"status": assignment.status.value, "deadline": str(assignment.deadline)}
    try:
        if action == "confirm":
            new, kind, text = confirm(state, at=now), ReportKind.CONFIRMED, ""
        elif action == "return":
            new, kind, text = return_result(state, at=now), ReportKind.RETURNED, reason
        elif action in ("approve", "reject"):
            new = decide_extension(state, approve=action == "approve", at=now)
            kind, text = ReportKind.NOTE, f"extension_{action}d"
        else:
            raise ValueError(action)
    except TransitionError as exc:
        raise DecisionError(exc.code) from exc
    write(assignment, new, now)
    if action in ("return", "approve"):
        reschedule(assignment, now)
    report = StatusReport(
        assignment_id=assignment.id,
        kind=kind,
        source=ReportSource.BUTTON,
        text=text[:MAX_REPORT_CHARS],
        requested_deadline=new.deadline if action == "approve" else None,
        user_id=actor,
        callback_id=callback_id,
        received_at=now,
        revisions=[],
    )
    session.add(report)
    if actor_name:  # a config.yaml admin may never have sent /start: /audit still names them
        await remember_person(session, actor, full_name=actor_name, username=None, now=now)
    await session.flush()
    await audit(
        session, at=now, actor=actor, action=f"assignment.{action}", entity="assignment", entity_id=assignment.id,
        directive_id=target.directive.id, unit_id=target.unit.id, before=before,
        after={"status": assignment.status.value, "deadline": str(assignment.deadline), "reason": reason or None},
    )  # fmt: skip
    chat = await outbox.unit_chat(session, target.unit.id)
    payload = {"assignment_id": assignment.id, "report_id": report.id, "action": action}
    await outbox.fan_out(session, [chat], key=f"dec:{report.id}", kind=outbox.DECISION, payload=payload, now=now)
    if assignment.status == AssignmentStatus.CONFIRMED:
        await close_duty_if_done(session, target.duty, now)
    return report


async def may_decide(session: AsyncSession, config: Config, target: Target, *, user_id: int, chat_id: int) -> bool:
    """Secretaries and admins decide anywhere; the monitor unit's group decides for its directives."""
    if user_id in config.admins:
        return True
    role = await session.scalar(select(Person.role).where(Person.telegram_user_id == user_id))
    if role == Role.SECRETARY:
        return True
    if target.directive.monitor_unit_id == target.unit.id:
        return False  # the monitor unit never confirms its own work
    monitor = await outbox.monitor_chat(session, target.directive)
    return monitor is not None and monitor == chat_id
