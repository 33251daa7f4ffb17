"""Assignment notices: sent at once to units whose group is bound; the others wait in the outbox.

The Ping row is the outbox entry, so a notice is sent at most once per assignment. The reminder
dispatcher (a later issue) takes over retries, rate limits and groups bound later.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select
from telegram import Bot
from telegram.error import TelegramError

from bot import texts
from bot.context import BotServices
from bot.domain.enums import PingKind, PingStatus
from bot.domain.vndates import format_date
from bot.textsplit import shorten
from db.models import Assignment, Directive, Duty, Ping, UnitChat

log = logging.getLogger("dondoc.notices")
_MAX_DUTY_CHARS = 2500


def render_notice(directive: Directive, duty: Duty, assignment: Assignment) -> str:
    deadline = format_date(duty.deadline) if isinstance(duty.deadline, date) else texts.ND_ONGOING
    return texts.NOTICE.format(
        kind=texts.esc((directive.kind or "").capitalize()),
        number=texts.esc(directive.number or f"#{directive.id}"),
        title=texts.esc(directive.title),
        label=texts.esc(duty.label),
        text=texts.esc(shorten(duty.text, _MAX_DUTY_CHARS)),
        role=texts.NOTICE_ROLE[assignment.role.value],
        deadline=texts.esc(deadline),
    )


async def send_pending_notices(bot: Bot, services: BotServices, *, directive_id: int | None = None) -> int:
    """Send pending notices to bound groups; returns how many were sent."""
    stmt = (
        select(Ping, Assignment, Duty, Directive, UnitChat)
        .join(Assignment, Assignment.id == Ping.assignment_id)
        .join(Duty, Duty.id == Assignment.duty_id)
        .join(Directive, Directive.id == Duty.directive_id)
        .join(UnitChat, (UnitChat.unit_id == Assignment.unit_id) & UnitChat.active.is_(True))
        .where(Ping.kind == PingKind.NOTICE, Ping.status == PingStatus.PENDING)
        .order_by(Ping.id)
    )
    if directive_id is not None:
        stmt = stmt.where(Directive.id == directive_id)
    sent = 0
    async with services.sessions() as session:
        rows = (await session.execute(stmt)).all()
        for ping, assignment, duty, directive, chat in rows:
            ping.attempts += 1
            try:
                message = await bot.send_message(chat.chat_id, render_notice(directive, duty, assignment))
            except TelegramError as exc:
                ping.error = str(exc)[:500]
                log.warning("notice_failed ping=%s chat=%s error=%s", ping.id, chat.chat_id, exc)
            else:
                ping.status = PingStatus.SENT
                ping.chat_id = message.chat_id
                ping.message_id = message.message_id
                ping.sent_at = services.clock.now()
                sent += 1
            # Commit after each send: a crash never forgets a notice that already went out.
            await session.commit()
    return sent
