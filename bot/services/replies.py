"""Use cases of the unit-reply path: a reply, a button tap, a prompt's answer, /report.

Each opens its own transaction, decides, commits, and returns what happened. The handler words the
result and talks to Telegram only after the commit, so no write lock (SQLite) or row lock
(PostgreSQL) is ever held across a network round trip or a rate-limiter wait.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import AssignmentStatus, DirectiveStatus, DutyStatus, PingKind, ReportKind, ReportSource
from bot.domain.replies import ParsedReply, parse_reply
from bot.domain.textnorm import ascii_int
from bot.services import reports
from bot.services.reports import Saved, Target
from bot.services.uow import unit_of_work
from db.models import ReplyPrompt, StatusReport

if TYPE_CHECKING:
    from bot.context import BotServices

# "[2] xong", "2. xong", "2) xong", "2: xong", "2 - xong", "2 xong": the number picks the duty in a list.
_SELECTOR = re.compile(r"^\s*\[?\s*(\d{1,9})\s*(?:\]|\.|\)|:|-)?\s+(.+)$", re.DOTALL)
Items = list[tuple[PingKind, Target]]


@dataclass(frozen=True)
class Notice:
    """A notice or reminder as it stands after the commit: what its edit shows."""

    chat_id: int
    message_id: int
    items: Items
    last: dict[int, StatusReport]


@dataclass(frozen=True)
class Origin:
    """Who answered, where, and through which message."""

    chat_id: int
    message_id: int
    user_id: int
    private: bool
    user_name: str = ""  # so /audit can name a unit contact who never sent /start


@dataclass(frozen=True)
class Outcome:
    """What a reply, tap or command did. `kind` says which fields matter:

    ignored · unknown · wrong_chat · which (items) · bad_number (number, items) · stale (stale) ·
    stored (saved, parsed, stale, follow_up, notice) · revised (saved, notice) · bad_date ·
    no_deadline · full (target) · ask (target, ask, report_id) · not_yours (number, unit_name) ·
    return_prompt (target: the reason was asked) · decision (see DecisionOut)
    """

    kind: str
    target: Target | None = None
    saved: Saved | None = None
    parsed: ParsedReply | None = None
    stale: str | None = None
    follow_up: bool = False
    notice: Notice | None = None
    items: Items = field(default_factory=list)
    number: int = 0
    ask: ReportKind | None = None
    report_id: int | None = None
    unit_name: str = ""
    decision: object | None = None


def today(services: BotServices) -> date:
    return services.clock.now().astimezone(services.config.tz).date()


def stale_reason(target: Target) -> str | None:
    """Why a duty takes no more reports (a key of texts.REPORT_STALE), or None while it is open."""
    if target.directive.status != DirectiveStatus.ACTIVE:
        return target.directive.status.value
    if target.duty.status != DutyStatus.OPEN:
        return "duty_done" if target.duty.status == DutyStatus.DONE else "duty_cancelled"
    if target.assignment.status == AssignmentStatus.CONFIRMED:
        return "confirmed"
    return None


def pick(items: Items, text: str) -> tuple[Target | None, str | int]:
    """The duty a reply is about: the only one, or the one whose code (assignment id) it starts with.

    A list shows codes, not positions, so a number that is no code in the message is refused
    rather than read as a position."""
    m = _SELECTOR.match(text)
    if len(items) == 1:
        only = items[0][1]
        if m and ascii_int(m.group(1)) in (1, only.assignment.id):
            return only, m.group(2).strip()
        return only, text
    if m is None:
        return None, text
    n = ascii_int(m.group(1)) or 0
    found = next((t for _k, t in items if t.assignment.id == n), None)
    if found is None:
        return items[0][1], n  # the caller reports the bad number
    return found, m.group(2).strip()


async def notice_state(
    session: AsyncSession, chat_id: int, message_id: int, items: Items | None = None
) -> Notice | None:
    """The notice's duties and their latest reports, read in the caller's transaction."""
    if items is None:
        items = await reports.message_targets(session, chat_id, message_id)
    if not items:
        return None
    last = await reports.latest_reports(session, [t.assignment.id for _k, t in items])
    return Notice(chat_id, message_id, items, last)


async def read_notice(services: BotServices, chat_id: int, message_id: int) -> Notice | None:
    """The notice as it stands now, in a short read of its own (a deferred edit shows the latest state)."""
    async with unit_of_work(services) as session:
        return await notice_state(session, chat_id, message_id)


async def may_report(session: AsyncSession, target: Target, origin: Origin, chat_unit_id: int | None = None) -> bool:
    if not origin.private and chat_unit_id is not None:
        return chat_unit_id == target.unit.id
    unit_id = await reports.reporter_unit_id(
        session, chat_id=origin.chat_id, private=origin.private, user_id=origin.user_id
    )
    return unit_id is not None and unit_id == target.unit.id


async def submit_parsed(
    services: BotServices,
    session: AsyncSession,
    target: Target,
    parsed: ParsedReply,
    *,
    user_id: int,
    chat_id: int,
    message_id: int,
    source: ReportSource = ReportSource.REPLY,
    activity_at: datetime | None = None,
    user_name: str = "",
) -> Saved:
    return await reports.submit(
        session, services.config, target, kind=parsed.kind, text=parsed.text, source=source,
        now=services.clock.now(), user_id=user_id, chat_id=chat_id, message_id=message_id,
        percent=parsed.percent, requested_deadline=parsed.requested_deadline, activity_at=activity_at,
        user_name=user_name,
    )  # fmt: skip


async def report_on_notice(
    services: BotServices,
    session: AsyncSession,
    origin: Origin,
    found: reports.NoticeTargets,
    replied_id: int,
    text: str,
) -> Outcome:
    items = found.items
    if not await may_report(session, items[0][1], origin, found.chat_unit_id):
        return Outcome("wrong_chat")
    target, body = pick(items, text)
    if target is None:
        return Outcome("which", items=items)
    if isinstance(body, int):
        return Outcome("bad_number", number=body, items=items)
    parsed = parse_reply(body, today=today(services))
    stale = stale_reason(target)
    if stale is not None:  # kept as a note, never lost, but it changes no state
        parsed = dataclasses.replace(parsed, kind=ReportKind.NOTE, ambiguous=False)
    # "Đang làm." then "Còn chờ số liệu xã." is one report to the person typing: no second ack.
    follow_up = parsed.kind == ReportKind.NOTE and await reports.follows_up(
        session, assignment_id=target.assignment.id, user_id=origin.user_id, chat_id=origin.chat_id,
        now=services.clock.now(),
    )  # fmt: skip
    activity = found.activity_at if found.chat_unit_id == target.unit.id else None
    saved = await submit_parsed(
        services, session, target, parsed, user_id=origin.user_id, chat_id=origin.chat_id,
        message_id=origin.message_id, activity_at=activity, user_name=origin.user_name,
    )  # fmt: skip
    quiet = saved.duplicate or stale is not None or follow_up
    # The notice's new state is read in this same transaction: no second round for the edit.
    notice = None if quiet else await notice_state(session, origin.chat_id, replied_id, items)
    return Outcome("stored", target, saved, parsed, stale, follow_up, notice)


async def tap(services: BotServices, origin: Origin, assignment_id: int, action: str, callback_id: str) -> Outcome:
    """✅ ⏳ ⚠️ 📅 or "full text" under a notice. Whatever must be asked next is asked by the handler,
    after this commit; the prompt row is stored by `prompts.add` once its message exists."""
    async with unit_of_work(services) as session:
        target = await reports.load_target(session, assignment_id)
        if target is None or not await may_report(session, target, origin):
            return Outcome("wrong_chat")
        if action == "f":
            return Outcome("full", target)
        if (why := stale_reason(target)) is not None:
            return Outcome("stale", target, stale=why)
        if action == "e":
            if target.assignment.deadline is None:
                return Outcome("no_deadline", target)
            return Outcome("ask", target, ask=ReportKind.EXTENSION)
        kind = {"d": ReportKind.DONE, "p": ReportKind.PROGRESS, "b": ReportKind.BLOCKED}[action]
        saved = await reports.submit(
            session, services.config, target, kind=kind, text="", source=ReportSource.BUTTON,
            now=services.clock.now(), user_id=origin.user_id, chat_id=origin.chat_id, callback_id=callback_id,
            user_name=origin.user_name,
        )  # fmt: skip
        notice = None
        if saved.error is None and not saved.duplicate:
            notice = await notice_state(session, origin.chat_id, origin.message_id)
        await session.commit()
    # A second ⏳ or ⚠️ asks again for the percent or the difficulty, for the report already stored.
    again = kind in (ReportKind.PROGRESS, ReportKind.BLOCKED) and (saved.repeat or not saved.duplicate)
    ask = kind if again and saved.error is None else None
    return Outcome("stored", target, saved, notice=notice, ask=ask, report_id=saved.report.id)


async def which(
    services: BotServices, origin: Origin, assignment_id: int, author_id: int, original_id: int, text: str
) -> Outcome:
    """The answer to "which duty?": the reply it asked about is stored against the chosen duty."""
    async with unit_of_work(services) as session:
        target = await reports.load_target(session, assignment_id)
        if target is None or not await may_report(session, target, origin):
            return Outcome("wrong_chat")
        parsed = parse_reply(text, today=today(services))
        saved = await submit_parsed(
            services, session, target, parsed, user_id=author_id, chat_id=origin.chat_id, message_id=original_id
        )
        await session.commit()
    return Outcome("stored", target, saved, parsed)


async def report_command(services: BotServices, origin: Origin, unit_id: int, assignment_id: int, body: str) -> Outcome:
    """/report CODE text, from the unit's group or its contact's private chat."""
    async with unit_of_work(services) as session:
        target = await reports.load_target(session, assignment_id)
        if target is None or target.unit.id != unit_id or stale_reason(target) is not None:
            return Outcome("not_yours", number=assignment_id, unit_name=await reports.unit_name(session, unit_id))
        parsed = parse_reply(body, today=today(services))
        saved = await submit_parsed(
            services, session, target, parsed, user_id=origin.user_id, chat_id=origin.chat_id,
            message_id=origin.message_id, source=ReportSource.COMMAND, user_name=origin.user_name,
        )  # fmt: skip
        await session.commit()
    return Outcome("stored", target, saved, parsed)


async def add_prompt(
    services: BotServices, *, chat_id: int, message_id: int, assignment_id: int, expects: ReportKind,
    report_id: int | None, user_id: int,
) -> None:  # fmt: skip
    """Remember a prompt that was sent (its answer maps back through it), in a transaction of its own."""
    async with unit_of_work(services) as session:
        session.add(
            ReplyPrompt(
                chat_id=chat_id, message_id=message_id, assignment_id=assignment_id, expects=expects,
                report_id=report_id, user_id=user_id, created_at=services.clock.now(),
            )
        )  # fmt: skip
        await session.commit()


async def reporter_unit(services: BotServices, origin: Origin) -> int | None:
    """The unit someone may report for from this chat (a short read of its own)."""
    async with unit_of_work(services) as session:
        return await reports.reporter_unit_id(
            session, chat_id=origin.chat_id, private=origin.private, user_id=origin.user_id
        )


@dataclass(frozen=True)
class OpenTasks:
    unit_name: str
    targets: list[Target]
    last: dict[int, StatusReport]


async def open_tasks(services: BotServices, unit_id: int) -> OpenTasks:
    """/mytasks: the unit's open assignments with their latest reports."""
    async with unit_of_work(services) as session:
        targets = await reports.open_assignments(session, unit_id)
        last = await reports.latest_reports(session, [t.assignment.id for t in targets])
        return OpenTasks(await reports.unit_name(session, unit_id), targets, last)
