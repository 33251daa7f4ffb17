"""Status reports: every answer a unit gives, stored once, applied to its assignment's state.

The lifecycle rules are pure (bot/domain/lifecycle.py); this module loads and writes rows,
makes redelivered updates idempotent (unique chat/message and callback id), keeps the history
of edited replies, and queues what others must hear through the outbox: done reports to confirm,
difficulties and extension requests for the secretaries, decisions for the unit.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.domain.enums import AssignmentRole, AssignmentStatus, DutyStatus, ReportKind, ReportSource
from bot.domain.lifecycle import (
    AssignmentState,
    TransitionError,
    apply_report,
    duty_done,
)
from bot.logs import log_context
from bot.services import outbox
from bot.services.audit import audit
from bot.services.report_lookups import REPORT_BY_CALLBACK, is_pg
from bot.services.report_lookups import NoticeTargets as NoticeTargets
from bot.services.report_lookups import Target as Target
from bot.services.report_lookups import chat_unit_id as chat_unit_id
from bot.services.report_lookups import contact_unit_id as contact_unit_id
from bot.services.report_lookups import find_prompt as find_prompt
from bot.services.report_lookups import find_report as find_report
from bot.services.report_lookups import last_ping_message as last_ping_message
from bot.services.report_lookups import latest_reports as latest_reports
from bot.services.report_lookups import load_target as load_target
from bot.services.report_lookups import message_targets as message_targets
from bot.services.report_lookups import notice_targets as notice_targets
from bot.services.report_lookups import open_assignments as open_assignments
from bot.services.report_lookups import reporter_unit_id as reporter_unit_id
from bot.services.roles import remember_person
from db.models import Assignment, Duty, ReplyPrompt, StatusReport, Unit, UnitChat

log = logging.getLogger("dondoc.reports")

MAX_REPORT_CHARS = 4096  # Telegram's own message limit: a report is never cut
# Replies from one person about one duty within this window continue one report (a follow-up note).
FOLLOW_UP_WINDOW = timedelta(minutes=3)
# A difficulty waits this long before it goes out, so the reason typed after the tap goes with it.
DIFFICULTY_DELAY = timedelta(minutes=2)
# /units shows a group's last activity; rewriting it more often than this is wasted writes.
ACTIVITY_GRAIN = timedelta(minutes=1)
_STATE_FIELDS = [f.name for f in dataclasses.fields(AssignmentState)]


@dataclass(frozen=True)
class Saved:
    target: Target
    report: StatusReport
    duplicate: bool = False  # a redelivered update, or the same button tapped again: nothing changed
    repeat: bool = False  # the same status tapped again (a new callback): the stored report stands
    error: str | None = None  # the lifecycle refused the status; the text was kept as a note


def state_of(assignment: Assignment) -> AssignmentState:
    return AssignmentState(**{name: getattr(assignment, name) for name in _STATE_FIELDS})


def write(assignment: Assignment, state: AssignmentState, now: datetime) -> None:
    for name in _STATE_FIELDS:
        setattr(assignment, name, getattr(state, name))
    assignment.updated_at = now


def reschedule(assignment: Assignment, now: datetime) -> None:
    """The planner finds the next slot afresh (new deadline, or reopened after a return)."""
    assignment.next_nominal = None
    assignment.next_kind = None
    assignment.next_run_at = now


async def _existing(
    session: AsyncSession, *, chat_id: int | None, message_id: int | None, callback_id: str | None
) -> StatusReport | None:
    if callback_id is not None:
        found = await session.scalar(REPORT_BY_CALLBACK, {"callback_id": callback_id})
        if found is not None:
            return found
    if chat_id is not None and message_id is not None:
        return await find_report(session, chat_id, message_id)
    return None


async def _after_change(
    session: AsyncSession, config: Config, target: Target, report: StatusReport, now: datetime
) -> None:
    """Tell whoever must act on this report, and close the duty when its leads are done."""
    assignment = target.assignment
    kind = report.kind
    if kind == ReportKind.DONE and assignment.status == AssignmentStatus.REPORTED_DONE:
        await _tell_staff(session, config, target, report, f"done:{report.id}", outbox.CONFIRM_REQUEST, now)
    elif kind == ReportKind.EXTENSION and assignment.extension_status is not None:
        await _tell_staff(session, config, target, report, f"ext:{report.id}", outbox.EXTENSION_REQUEST, now)
    elif kind == ReportKind.BLOCKED:
        await _tell_staff(
            session, config, target, report, f"blk:{report.id}", outbox.DIFFICULTY, now, due_at=now + DIFFICULTY_DELAY
        )
    # Progress and notes go to nobody: no staff or monitor lookup for them.
    if assignment.status == AssignmentStatus.CONFIRMED:
        await close_duty_if_done(session, target.duty, now)


async def _tell_staff(
    session: AsyncSession,
    config: Config,
    target: Target,
    report: StatusReport,
    key: str,
    kind: str,
    now: datetime,
    due_at: datetime | None = None,
) -> None:
    payload: dict[str, Any] = {"assignment_id": target.assignment.id, "report_id": report.id}
    staff = await outbox.staff_chats(session, config)
    directive = target.directive
    # The monitor group hears of every other unit's answers; its own go to the secretaries only.
    monitor = await outbox.monitor_chat(session, directive) if directive.monitor_unit_id != target.unit.id else None
    await outbox.fan_out(session, [monitor, *staff], key=key, kind=kind, payload=payload, now=now, due_at=due_at)


async def close_duty_if_done(session: AsyncSession, duty: Duty, now: datetime) -> None:
    leads = list(
        await session.scalars(
            select(Assignment).where(Assignment.duty_id == duty.id, Assignment.role == AssignmentRole.LEAD)
        )
    )
    if duty_done([state_of(a) for a in leads]):
        duty.status = DutyStatus.DONE
        duty.done_at = now


def _next_state(
    config: Config, target: Target, kind: ReportKind, percent: int | None, to: date | None, now: datetime
) -> tuple[AssignmentState, str | None]:
    """The assignment after a unit's report; on refusal it takes it as a note. Also the refusal code."""
    state = state_of(target.assignment)
    try:
        new = apply_report(
            state, kind, at=now, percent=percent, requested_deadline=to,
            require_confirmation=config.require_confirmation,
        )  # fmt: skip
    except TransitionError as exc:
        try:
            new = apply_report(state, ReportKind.NOTE, at=now, require_confirmation=config.require_confirmation)
        except TransitionError:
            new = state  # closed: the text is still stored, the state is final
        return new, exc.code
    return new, None


def _commit_state(target: Target, kind: ReportKind, new: AssignmentState, error: str | None, now: datetime) -> None:
    before = target.assignment.status
    write(target.assignment, new, now)
    if error is None and kind in (ReportKind.PROGRESS, ReportKind.BLOCKED) and before == AssignmentStatus.REPORTED_DONE:
        reschedule(target.assignment, now)  # a withdrawn done report: reminders resume


def _apply(
    config: Config, target: Target, kind: ReportKind, percent: int | None, to: date | None, now: datetime
) -> str | None:
    """Apply a unit's report to the assignment; on refusal fall back to a note. Returns the refusal code."""
    new, error = _next_state(config, target, kind, percent, to, now)
    _commit_state(target, kind, new, error, now)
    return error


# The fields whose change is a status change worth an audit row (a note changes none of them).
_AUDITED = ("status", "blocked", "deadline", "extension_status")


def _audit_view(state: AssignmentState) -> dict[str, Any]:
    return {name: _plain(getattr(state, name)) for name in _AUDITED}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    return getattr(value, "value", None) or str(value)


async def _record_change(
    session: AsyncSession,
    target: Target,
    before: AssignmentState,
    *,
    user_id: int | None,
    now: datetime,
    activity_fresh: bool = False,
    user_name: str = "",
) -> None:
    """Audit a unit's status change, and mark its group active (for /units)."""
    after = state_of(target.assignment)
    if _audit_view(before) != _audit_view(after):
        if user_id is not None and user_name:  # so /audit names the contact, who may never have sent /start
            await remember_person(session, user_id, full_name=user_name, username=None, now=now)
        await audit(
            session, at=now, actor=user_id, action="assignment.report", entity="assignment",
            entity_id=target.assignment.id, directive_id=target.directive.id, unit_id=target.unit.id,
            before=_audit_view(before), after=_audit_view(after),
        )  # fmt: skip
    if activity_fresh:
        return  # the caller saw the group active within the grain: the UPDATE would match nothing
    await session.execute(
        update(UnitChat)
        .where(UnitChat.unit_id == target.unit.id, UnitChat.active.is_(True))
        .where(or_(UnitChat.last_activity_at.is_(None), UnitChat.last_activity_at < now - ACTIVITY_GRAIN))
        .values(last_activity_at=now)
    )


async def _repeated_tap(session: AsyncSession, target: Target, kind: ReportKind) -> StatusReport | None:
    """The stored report a button tap only repeats (✅ twice): the newest report, of the same kind."""
    last = await session.scalar(
        select(StatusReport)
        .where(StatusReport.assignment_id == target.assignment.id)
        .order_by(StatusReport.received_at.desc(), StatusReport.id.desc())
        .limit(1)
    )
    return last if last is not None and last.kind == kind else None


async def submit(
    session: AsyncSession,
    config: Config,
    target: Target,
    *,
    kind: ReportKind,
    text: str,
    source: ReportSource,
    now: datetime,
    user_id: int | None,
    chat_id: int | None,
    message_id: int | None = None,
    callback_id: str | None = None,
    percent: int | None = None,
    requested_deadline: date | None = None,
    activity_at: datetime | None = None,
    user_name: str = "",
) -> Saved:
    """Store one report and apply it. A redelivered message or callback changes nothing.

    `activity_at`: the group's last activity when the caller already loaded it (skips a vain UPDATE).
    """
    with log_context(duty=target.duty.id, assignment=target.assignment.id):
        saved = None
        if source == ReportSource.BUTTON and (same := await _repeated_tap(session, target, kind)) is not None:
            # The same callback redelivered is no new tap: nothing to ask again.
            saved = Saved(target, same, duplicate=True, repeat=same.callback_id != callback_id)
        else:
            before = state_of(target.assignment)
            new, error = _next_state(config, target, kind, percent, requested_deadline, now)
            values = {
                "assignment_id": target.assignment.id, "kind": ReportKind.NOTE if error else kind, "source": source,
                "percent": percent, "text": text[:MAX_REPORT_CHARS], "requested_deadline": requested_deadline,
                "user_id": user_id, "chat_id": chat_id, "message_id": message_id, "callback_id": callback_id,
                "received_at": now, "revisions": [],
            }  # fmt: skip
            report_id = await _insert_once(session, values)
            if report_id is None:  # redelivered: the unique keys kept the first copy
                found = await _existing(session, chat_id=chat_id, message_id=message_id, callback_id=callback_id)
                assert found is not None
                saved = Saved(target, found, duplicate=True)
            else:
                _commit_state(target, kind, new, error, now)
                report = StatusReport(id=report_id, **values)  # not added: the row is written already
                fresh = activity_at is not None and activity_at >= now - ACTIVITY_GRAIN
                await _record_change(
                    session, target, before, user_id=user_id, now=now, activity_fresh=fresh, user_name=user_name
                )
                if error is None:
                    await _after_change(session, config, target, report, now)
                saved = Saved(target, report, error=error)
        # One line per answer, stored or not, so an operator can follow a report from update to row.
        log.info(
            "event=report report_id=%s kind=%s source=%s duplicate=%s refused=%s",
            saved.report.id, saved.report.kind.value, source.value, saved.duplicate, saved.error,
        )  # fmt: skip
    return saved


async def _insert_once(session: AsyncSession, values: dict[str, Any]) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: the new report's id, or None when redelivered."""
    flavour = pg_insert if is_pg(session) else sqlite_insert
    stmt = flavour(StatusReport).values(**values).on_conflict_do_nothing().returning(StatusReport.id)
    return (await session.execute(stmt)).scalar()


async def revise(
    session: AsyncSession,
    config: Config,
    report: StatusReport,
    *,
    kind: ReportKind,
    text: str,
    now: datetime,
    percent: int | None = None,
    requested_deadline: date | None = None,
) -> Saved | None:
    """An edited reply: the report takes the new text and status, the old version goes to history."""
    target = await load_target(session, report.assignment_id)
    if target is None:
        return None
    keep_revision(report)
    before = state_of(target.assignment)
    error = _apply(config, target, kind, percent, requested_deadline, now)
    report.kind = ReportKind.NOTE if error else kind
    report.text = text[:MAX_REPORT_CHARS]
    report.percent = percent
    report.requested_deadline = requested_deadline
    report.edited_at = now
    await session.flush()
    await _record_change(session, target, before, user_id=report.user_id, now=now)
    if error is None:
        await _after_change(session, config, target, report, now)
    return Saved(target, report, error=error)


def keep_revision(report: StatusReport) -> None:
    # A new list, so the JSON column sees the change.
    old = {"text": report.text, "kind": report.kind.value, "percent": report.percent,
           "at": (report.edited_at or report.received_at).isoformat()}  # fmt: skip
    report.revisions = [*report.revisions, old]


async def add_prompt(
    session: AsyncSession,
    *,
    chat_id: int,
    message_id: int,
    assignment_id: int,
    expects: ReportKind,
    report_id: int | None,
    user_id: int | None,
    now: datetime,
) -> None:
    session.add(
        ReplyPrompt(
            chat_id=chat_id,
            message_id=message_id,
            assignment_id=assignment_id,
            expects=expects,
            report_id=report_id,
            user_id=user_id,
            created_at=now,
        )
    )
    await session.flush()


async def follows_up(session: AsyncSession, *, assignment_id: int, user_id: int, chat_id: int, now: datetime) -> bool:
    """Did this person just report on this duty here? Then a plain note continues that report."""
    found = await session.scalar(
        select(StatusReport.id)
        .where(
            StatusReport.assignment_id == assignment_id,
            StatusReport.user_id == user_id,
            StatusReport.chat_id == chat_id,
            StatusReport.received_at >= now - FOLLOW_UP_WINDOW,
        )
        .limit(1)
    )
    return found is not None


async def unit_name(session: AsyncSession, unit_id: int) -> str:
    return await session.scalar(select(Unit.name).where(Unit.id == unit_id)) or ""
