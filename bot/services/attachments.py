"""Units' own files as reports: a document or photo sent as a reply to a notice, a reminder or a
prompt, or with "/report <code>" as its caption.

The file itself stays with Telegram (re-sent by file_id); this module decides which duty it is
about, checks who may report, stores the report (through services.reports, so the lifecycle,
the outbox and idempotency are the same as for a text reply) and the attachment row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.domain import attachments as rules
from bot.domain.enums import AssignmentStatus, DirectiveStatus, DutyStatus, ReportKind, ReportSource
from bot.domain.replies import ParsedReply, parse_reply
from bot.refs import directive_ref
from bot.services import reports
from bot.services.reports import Saved, Target
from bot.texts import files as texts_files
from db.models import Assignment, Directive, Duty, ReportAttachment, Unit

_BY_MESSAGE = select(ReportAttachment.id).where(
    ReportAttachment.chat_id == bindparam("chat_id"), ReportAttachment.message_id == bindparam("message_id")
)


@dataclass(frozen=True)
class Incoming:
    """One message carrying a file, as the handler decoded it."""

    meta: rules.FileMeta
    caption: str
    chat_id: int
    message_id: int
    private: bool
    user_id: int
    reply_to: int | None  # the bot's message it answers, if any


@dataclass(frozen=True)
class Outcome:
    """What became of a file: `status` is "saved", "duplicate" or a refusal (texts_files.FILE_REFUSED)."""

    status: str
    saved: Saved | None = None
    attachment: ReportAttachment | None = None
    target: Target | None = None
    codes: list[int] = field(default_factory=list)
    stale: str | None = None  # the duty is closed: the file is kept as a note


def _stale(target: Target) -> str | None:
    if target.directive.status != DirectiveStatus.ACTIVE:
        return target.directive.status.value
    if target.duty.status != DutyStatus.OPEN:
        return "duty_done" if target.duty.status == DutyStatus.DONE else "duty_cancelled"
    if target.assignment.status == AssignmentStatus.CONFIRMED:
        return "confirmed"
    return None


async def _target_of(session: AsyncSession, item: Incoming, command: str | None) -> tuple[Target | None, str, Outcome]:
    """The duty the file is about, the caption's own words, or the refusal to give."""
    if command is not None:
        code, body = rules.split_code(command)
        target = await reports.load_target(session, code) if code else None
        return target, body, Outcome("not_yours" if code else "usage", codes=[code] if code else [])
    if item.reply_to is None:
        return None, "", Outcome("unknown")
    prompt = await reports.find_prompt(session, item.chat_id, item.reply_to)
    if prompt is not None:
        return await reports.load_target(session, prompt.assignment_id), item.caption, Outcome("unknown")
    found = [t for _, t in await reports.message_targets(session, item.chat_id, item.reply_to)]
    if not found:
        return None, "", Outcome("unknown")
    code, body = rules.split_code(item.caption)
    codes = [t.assignment.id for t in found]
    if len(found) == 1 and code in (None, 1, codes[0]):
        return found[0], body if code else item.caption, Outcome("unknown")
    picked = next((t for t in found if t.assignment.id == code), None)
    return picked, body, Outcome("which" if code is None else "bad_code", codes=codes)


def _parsed(body: str, today: date, stale: bool) -> ParsedReply:
    if not body:
        # A file alone says only that the unit sent its report: a note, never "done".
        return ParsedReply(ReportKind.NOTE, None, texts_files.FILE_NOTE, None, None, False)
    parsed = parse_reply(body, today=today)
    if stale or parsed.ambiguous:
        return ParsedReply(ReportKind.NOTE, None, parsed.text, None, None, False)
    return parsed


async def receive(session: AsyncSession, config: Config, item: Incoming, *, now: datetime, today: date) -> Outcome:
    """Check, map and store one file report (the caller commits, then answers)."""
    refused = rules.refusal(item.meta, config.attachments.max_bytes)
    if refused is not None:
        return Outcome(refused)
    command = rules.command_body(item.caption)
    target, body, refusal = await _target_of(session, item, command)
    unit_id = await reports.reporter_unit_id(session, chat_id=item.chat_id, private=item.private, user_id=item.user_id)
    if unit_id is None:
        return Outcome("no_unit")
    if target is None:
        return refusal
    if target.unit.id != unit_id:
        return Outcome("not_yours" if command is not None else "wrong_chat", target=target, codes=refusal.codes)
    if await session.scalar(_BY_MESSAGE, {"chat_id": item.chat_id, "message_id": item.message_id}) is not None:
        return Outcome("duplicate", target=target)
    stale = _stale(target)
    parsed = _parsed(body, today, stale is not None)
    saved = await reports.submit(
        session, config, target, kind=parsed.kind, text=parsed.text,
        source=ReportSource.COMMAND if command is not None else ReportSource.REPLY, now=now,
        user_id=item.user_id, chat_id=item.chat_id, message_id=item.message_id, percent=parsed.percent,
        requested_deadline=parsed.requested_deadline,
    )  # fmt: skip
    if saved.duplicate:
        return Outcome("duplicate", target=target)
    meta = item.meta
    row = ReportAttachment(
        report_id=saved.report.id, assignment_id=target.assignment.id, file_id=meta.file_id,
        file_unique_id=meta.file_unique_id,
        file_name=rules.display_name(meta, texts_files.FILE_PHOTO_STEM.format(id=item.message_id)),
        mime_type=meta.mime_type, kind=meta.kind, file_size=meta.file_size or 0, user_id=item.user_id,
        chat_id=item.chat_id, message_id=item.message_id, received_at=now,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    return Outcome("saved", saved=saved, attachment=row, target=target, stale=stale)


@dataclass(frozen=True)
class Listed:
    """One file as secretaries and leaders see it under a directive."""

    attachment: ReportAttachment
    duty_label: str
    unit_name: str


async def of_directive(session: AsyncSession, directive_id: int) -> list[Listed]:
    """Every file units sent about a directive, in duty order, oldest first within a duty."""
    rows = await session.execute(
        select(ReportAttachment, Duty.label, Unit.name)
        .join(Assignment, Assignment.id == ReportAttachment.assignment_id)
        .join(Duty, Duty.id == Assignment.duty_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Duty.directive_id == directive_id)
        .order_by(Duty.position, ReportAttachment.received_at, ReportAttachment.id)
    )
    return [Listed(a, label, name) for a, label, name in rows]


async def get(session: AsyncSession, attachment_id: int) -> tuple[Listed, Directive] | None:
    row = (
        await session.execute(
            select(ReportAttachment, Duty.label, Unit.name, Directive)
            .join(Assignment, Assignment.id == ReportAttachment.assignment_id)
            .join(Duty, Duty.id == Assignment.duty_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .join(Directive, Directive.id == Duty.directive_id)
            .where(ReportAttachment.id == attachment_id)
        )
    ).first()
    return (Listed(row[0], row[1], row[2]), row[3]) if row else None


async def in_period(session: AsyncSession, scope: Any, start: datetime, end: datetime) -> list[rules.FileRow]:
    """The files received in [start, end) about the assignments `scope` selects (the summary's)."""
    rows = await session.execute(
        select(ReportAttachment, Unit.name, Duty.label, Directive)
        .join(Assignment, Assignment.id == ReportAttachment.assignment_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .join(Duty, Duty.id == Assignment.duty_id)
        .join(Directive, Directive.id == Duty.directive_id)
        .where(
            ReportAttachment.assignment_id.in_(scope),
            ReportAttachment.received_at >= start,
            ReportAttachment.received_at < end,
        )
        .order_by(ReportAttachment.received_at, ReportAttachment.id)
    )
    return [
        rules.FileRow(a.received_at, unit, directive_ref(d), label, a.file_name, a.kind, a.file_size)
        for a, unit, label, d in rows
    ]
