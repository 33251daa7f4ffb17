"""Outbox messages, rendered when they are sent so they say what is true at that moment.

`render` returns None when the message has nothing left to say (every escalated unit has
answered since, a done report was already decided): the dispatcher then skips it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.config import Config
from bot.domain.enums import AssignmentStatus, ExtensionStatus, PingKind
from bot.domain.vndates import format_date
from bot.refs import directive_ref
from bot.services import outbox
from bot.services.reminders import OPEN_STATUSES
from bot.services.reports import Target, latest_reports, load_target
from bot.textsplit import shorten
from db.models import Assignment, Directive, Duty, Outbox, Ping, StatusReport, Unit, UnitChat

Rendered = tuple[str, InlineKeyboardMarkup | None]
_QUOTE_CHARS = 300


def _deadline(d: date | None) -> str:
    return format_date(d) if d else texts.ND_ONGOING


def _number(directive: Directive) -> str:
    return texts.esc(directive_ref(directive))


def _local(at: datetime, config: Config) -> str:
    return at.astimezone(config.tz).strftime("%H:%M %d/%m/%Y")


async def _escalation(session: AsyncSession, row: Outbox, config: Config) -> Rendered | None:
    directive = await session.get(Directive, int(row.payload["directive_id"]))
    if directive is None:
        return None
    day = date.fromisoformat(str(row.payload["day"]))
    start = datetime.combine(day, time(0), config.tz).astimezone(UTC)
    grouped = select(UnitChat.id).where(UnitChat.unit_id == Assignment.unit_id, UnitChat.active.is_(True)).exists()
    rows = (
        await session.execute(
            select(Assignment, Duty, Unit, grouped)
            .join(Ping, Ping.assignment_id == Assignment.id)
            .join(Duty, Duty.id == Assignment.duty_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(
                Duty.directive_id == directive.id,
                Ping.kind == PingKind.ESCALATION,
                Ping.scheduled_for >= start,
                Ping.scheduled_for < start + timedelta(days=1),
                Assignment.status.in_(OPEN_STATUSES),
            )
            .order_by(Assignment.deadline, Duty.position, Unit.name)
        )
    ).all()
    if not rows:
        return None  # everyone answered or finished since the slot
    last = await latest_reports(session, [a.id for a, *_ in rows])
    lines = [
        texts.ESCALATION_HEADER.format(
            number=_number(directive),
            title=texts.esc(shorten(directive.title, 200)),
            after=int(row.payload.get("after_days", config.reminders.escalate_after_days)),
            n=len(rows),
        )
    ]
    for assignment, duty, unit, has_group in rows:
        report = last.get(assignment.id)
        said = (
            texts.ESCALATION_LAST.format(
                at=_local(report.received_at, config), status=texts.REPORT_KIND_NAMES[report.kind.value]
            )
            if report
            else texts.ESCALATION_NEVER
        )
        overdue = (day - assignment.deadline).days if assignment.deadline else 0
        if overdue <= 0:  # escalated for silence, not for the deadline
            silent_days = (day - assignment.created_at.astimezone(config.tz).date()).days
            lines.append(
                texts.ESCALATION_LINE_SILENT.format(
                    unit=texts.esc(unit.name) + ("" if has_group else texts.ESCALATION_NO_GROUP),
                    role=texts.NOTICE_ROLE[assignment.role.value], label=texts.esc(duty.label),
                    deadline=_deadline(assignment.deadline), days=silent_days, last=said,
                )
            )  # fmt: skip
            continue
        lines.append(
            texts.ESCALATION_LINE.format(
                unit=texts.esc(unit.name) + ("" if has_group else texts.ESCALATION_NO_GROUP),
                role=texts.NOTICE_ROLE[assignment.role.value],
                label=texts.esc(duty.label),
                deadline=_deadline(assignment.deadline),
                days=overdue,
                last=said,
            )
        )
    lines.append(texts.ESCALATION_FOOTER.format(id=directive.id))
    return "\n".join(lines), None


def _note(report: StatusReport) -> str:
    return texts.QUOTE_NOTE.format(note=texts.esc(shorten(report.text, _QUOTE_CHARS))) if report.text else ""


async def _about(session: AsyncSession, row: Outbox) -> tuple[Target, StatusReport] | None:
    target = await load_target(session, int(row.payload["assignment_id"]))
    report = await session.get(StatusReport, int(row.payload["report_id"]))
    if target is None or report is None:
        return None
    return target, report


def _fmt(template: str, target: Target, **extra: str) -> str:
    return template.format(
        unit=texts.esc(target.unit.name),
        label=texts.esc(target.duty.label),
        number=_number(target.directive),
        text=texts.esc(shorten(target.duty.text, _QUOTE_CHARS)),
        deadline=_deadline(target.assignment.deadline),
        **extra,
    )


async def _confirm_request(session: AsyncSession, row: Outbox, config: Config) -> Rendered | None:
    found = await _about(session, row)
    if found is None:
        return None
    target, report = found
    if target.assignment.status != AssignmentStatus.REPORTED_DONE:
        return None  # withdrawn or decided before this went out
    aid = target.assignment.id
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.BTN_CONFIRM, callback_data=f"k|{aid}|c"),
        InlineKeyboardButton(texts.BTN_RETURN, callback_data=f"k|{aid}|r"),
    ]])  # fmt: skip
    return _fmt(texts.CONFIRM_REQUEST, target, at=_local(report.received_at, config), note=_note(report)), markup


async def _extension_request(session: AsyncSession, row: Outbox, config: Config) -> Rendered | None:
    found = await _about(session, row)
    if found is None:
        return None
    target, report = found
    if target.assignment.extension_status != ExtensionStatus.REQUESTED:
        return None
    aid = target.assignment.id
    to = target.assignment.extension_to
    buttons = [InlineKeyboardButton(texts.BTN_REJECT, callback_data=f"x|{aid}|r")]
    if to is not None:
        buttons.insert(0, InlineKeyboardButton(texts.BTN_APPROVE, callback_data=f"x|{aid}|a"))
    text = _fmt(texts.EXTENSION_REQUEST, target, to=format_date(to) if to else "?", note=_note(report))
    return text, InlineKeyboardMarkup([buttons])


async def _difficulty(session: AsyncSession, row: Outbox, config: Config) -> Rendered | None:
    found = await _about(session, row)
    if found is None:
        return None
    target, report = found
    return _fmt(texts.DIFFICULTY_REPORT, target, note=_note(report)), None


async def _decision(session: AsyncSession, row: Outbox, config: Config) -> Rendered | None:
    found = await _about(session, row)
    if found is None:
        return None
    target, report = found
    action = str(row.payload.get("action"))
    if action == "confirm":
        return _fmt(texts.DECISION_CONFIRMED, target), None
    if action == "return":
        return _fmt(texts.DECISION_RETURNED, target, reason=texts.esc(report.text or "—")), None
    if action == "approve":
        return _fmt(texts.DECISION_APPROVED, target, to=_deadline(target.assignment.deadline)), None
    return _fmt(texts.DECISION_REJECTED, target), None


_RENDERERS = {
    outbox.ESCALATION: _escalation,
    outbox.CONFIRM_REQUEST: _confirm_request,
    outbox.EXTENSION_REQUEST: _extension_request,
    outbox.DIFFICULTY: _difficulty,
    outbox.DECISION: _decision,
}


async def render(session: AsyncSession, row: Outbox, config: Config) -> Rendered | None:
    renderer = _RENDERERS.get(row.kind)
    return await renderer(session, row, config) if renderer else None
