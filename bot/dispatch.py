"""The dispatcher, the second half of a tick: claim pending pings, send them, record the outcome.

- Claims are leases (`claimed_until`) taken with FOR UPDATE SKIP LOCKED, so instances never share a ping.
- One message per chat and batch: several duties due together go out as one compact list.
- Chats are sent concurrently; bot/ratelimit.py keeps Telegram's 30/s and 20/min-per-group limits,
  and a slow or failing chat never holds the others back.
- Outcomes per chat: sent; retried later with backoff (429 beyond the limiter's retries, 5xx, timeouts);
  Forbidden (binding lost, admins alerted, the pings wait for a new group); ChatMigrated (follow the new
  id and send again); anything else fails the ping for good, and the summary shows it.

A crash after Telegram accepted a message but before the commit resends it once the lease expires:
with no idempotency key in the Bot API, at-least-once is the only choice that never loses a reminder.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select, update
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError

from bot import texts
from bot.context import BotServices
from bot.domain.enums import PingKind, PingStatus
from bot.notify import alert_admins
from bot.services.bindings import deactivate_chat, migrate_chat
from bot.views_outbox import render as render_outbox
from bot.views_reminders import DueItem, answer_keyboard, render_batch
from db.models import Assignment, Directive, Duty, Outbox, Ping, Unit, UnitChat

log = logging.getLogger("dondoc.dispatch")

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 6
_CONCURRENT_CHATS = 16
_BATCH_PER_CHAT = 10  # duties in one compact message; more wait for the next pass


@dataclass
class DispatchStats:
    sent_messages: int = 0
    sent_pings: int = 0
    retried: int = 0
    failed: int = 0
    lost_chats: list[int] = field(default_factory=list)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _retry_after(exc: RetryAfter) -> timedelta:
    value = exc.retry_after  # a timedelta: bot/__init__.py opts in to PTB's time periods
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


async def _skip_unroutable(services: BotServices, now: datetime) -> None:
    """Reminders for a unit without a group are recorded as skipped; notices wait for a group."""
    no_group = ~exists().where(and_(UnitChat.unit_id == Assignment.unit_id, UnitChat.active.is_(True)))
    async with services.sessions() as session:
        ids = (
            select(Ping.id)
            .join(Assignment, Assignment.id == Ping.assignment_id)
            .where(Ping.status == PingStatus.PENDING, Ping.kind != PingKind.NOTICE, no_group)
        )
        await session.execute(update(Ping).where(Ping.id.in_(ids)).values(status=PingStatus.SKIPPED, error="no_group"))
        await session.commit()


async def _claim(services: BotServices, now: datetime, limit: int) -> dict[int, list[DueItem]]:
    """Lease due pings and load what their messages need, grouped by chat."""
    async with services.sessions() as session:
        rows = (
            await session.execute(
                select(Ping, Assignment, Duty, Directive, Unit, UnitChat.chat_id)
                .join(Assignment, Assignment.id == Ping.assignment_id)
                .join(Duty, Duty.id == Assignment.duty_id)
                .join(Directive, Directive.id == Duty.directive_id)
                .join(Unit, Unit.id == Assignment.unit_id)
                .join(UnitChat, (UnitChat.unit_id == Assignment.unit_id) & UnitChat.active.is_(True))
                .where(
                    Ping.status == PingStatus.PENDING,
                    Ping.scheduled_for <= now + LEASE,
                    (Ping.claimed_until.is_(None)) | (Ping.claimed_until <= now),
                )
                .order_by(Ping.id)
                .limit(limit)
                .with_for_update(skip_locked=True, of=Ping)
            )
        ).all()
        by_chat: dict[int, list[DueItem]] = defaultdict(list)
        for ping, assignment, duty, directive, unit, chat_id in rows:
            if len(by_chat[chat_id]) >= _BATCH_PER_CHAT:
                continue
            ping.claimed_until = now + LEASE
            by_chat[chat_id].append(DueItem(ping.id, ping.kind, ping.attempts, directive, duty, assignment, unit))
        await session.commit()
    return by_chat


async def _renew(services: BotServices, ids: list[int], leased_until: datetime) -> bool:
    """Restart the lease of a chat's pings just before sending them; False when another instance has
    taken them over. A pass leases all its pings at once, and a slow or throttled Telegram can make a
    chat's turn come after that lease expired."""
    now = services.clock.now()
    async with services.sessions() as session:
        result = await session.execute(
            update(Ping)
            .where(Ping.id.in_(ids), Ping.status == PingStatus.PENDING, Ping.claimed_until == leased_until)
            .values(claimed_until=now + LEASE)
        )
        await session.commit()
    return getattr(result, "rowcount", 0) == len(ids)


async def _record(services: BotServices, ids: list[int], **values: object) -> None:
    async with services.sessions() as session:
        await session.execute(update(Ping).where(Ping.id.in_(ids)).values(**values))
        await session.commit()


async def _lose_chat(bot: Bot, services: BotServices, chat_id: int, now: datetime) -> bool:
    """Unbind the chat and alert the admins; False when nothing was bound to it any more."""
    async with services.sessions() as session:
        units = await deactivate_chat(session, chat_id, actor=None, now=now)
        await session.commit()
    if units:
        names = ", ".join(u.name for u in units)
        await alert_admins(bot, services.config, texts.ADMIN_ALERT_FORBIDDEN.format(units=texts.esc(names)))
    log.warning("binding_lost_on_send chat=%s units=%s", chat_id, [u.code for u in units])
    return bool(units)


@dataclass
class _Outcome:
    """What one send came to; `chat_id` is where it went (after a migration, the new id)."""

    chat_id: int
    message_id: int | None = None
    retry_in: timedelta | None = None  # try again after this
    failed: str | None = None  # for good
    lost: bool = False  # Forbidden: the bot is out of the chat
    error: str | None = None


async def _deliver(
    bot: Bot, services: BotServices, chat_id: int, text: str, markup: InlineKeyboardMarkup | None, attempts: int
) -> _Outcome:
    """Send once, following one ChatMigrated; classify every failure for the caller to record."""
    now = services.clock.now()
    target = chat_id
    for _hop in range(2):  # a second try only after ChatMigrated
        try:
            message = await bot.send_message(target, text, reply_markup=markup)
        except ChatMigrated as exc:
            async with services.sessions() as session:
                await migrate_chat(session, target, exc.new_chat_id, now=now)
                await session.commit()
            target = exc.new_chat_id
            continue
        except Forbidden as exc:
            return _Outcome(target, lost=True, error=f"forbidden: {exc}"[:500])
        except BadRequest as exc:
            return _Outcome(target, failed=str(exc)[:500])
        except (RetryAfter, NetworkError) as exc:
            # NetworkError covers 5xx and timeouts (TimedOut is a subclass).
            if attempts + 1 >= MAX_ATTEMPTS:
                return _Outcome(target, failed=str(exc)[:500])
            wait = _retry_after(exc) if isinstance(exc, RetryAfter) else _backoff(attempts + 1)
            return _Outcome(target, retry_in=wait, error=str(exc)[:500])
        except TelegramError as exc:
            return _Outcome(target, failed=str(exc)[:500])
        return _Outcome(message.chat_id, message_id=message.message_id)
    return _Outcome(target, retry_in=LEASE, error="migrated twice")


async def _send_chat(bot: Bot, services: BotServices, chat_id: int, items: list[DueItem], stats: DispatchStats) -> None:
    now = services.clock.now()
    ids = [i.ping_id for i in items]
    text = render_batch(items, now.astimezone(services.config.tz).date())
    attempts = max(i.attempts for i in items)
    out = await _deliver(bot, services, chat_id, text, answer_keyboard(items), attempts)
    if out.lost:
        unbound = await _lose_chat(bot, services, out.chat_id, now)
        # Nothing was bound there any more: lease the pings, or this very pass would claim them forever.
        await _record(services, ids, claimed_until=None if unbound else now + LEASE, error="forbidden")
        stats.lost_chats.append(out.chat_id)
    elif out.failed is not None:
        await _record(services, ids, status=PingStatus.FAILED, attempts=attempts + 1, error=out.failed)
        stats.failed += len(ids)
    elif out.retry_in is not None:
        await _record(services, ids, attempts=attempts + 1, claimed_until=now + out.retry_in, error=out.error)
        stats.retried += len(ids)
    else:
        await _record(
            services, ids, status=PingStatus.SENT, chat_id=out.chat_id, message_id=out.message_id,
            sent_at=services.clock.now(), claimed_until=None, error=None,
        )  # fmt: skip
        stats.sent_messages += 1
        stats.sent_pings += len(ids)


async def _claim_outbox(services: BotServices, now: datetime, limit: int) -> list[int]:
    async with services.sessions() as session:
        rows = list(
            await session.scalars(
                select(Outbox)
                .where(
                    Outbox.status == PingStatus.PENDING,
                    Outbox.due_at <= now,
                    (Outbox.claimed_until.is_(None)) | (Outbox.claimed_until <= now),
                )
                .order_by(Outbox.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        for row in rows:
            row.claimed_until = now + LEASE
        await session.commit()
    return [row.id for row in rows]


async def _send_outbox(bot: Bot, services: BotServices, row_id: int, stats: DispatchStats) -> None:
    now = services.clock.now()
    async with services.sessions() as session:
        row = await session.get(Outbox, row_id)
        if row is None:
            return
        rendered = await render_outbox(session, row, services.config)
        chat_id, attempts = row.chat_id, row.attempts
        if rendered is None:
            row.status, row.claimed_until, row.error = PingStatus.SKIPPED, None, "nothing to say"
            await session.commit()
            return
    text, markup = rendered
    out = await _deliver(bot, services, chat_id, text, markup, attempts)
    values: dict[str, object]
    if out.lost:
        # A group: unbind it like a unit group. A private chat: that person blocked the bot.
        if chat_id < 0:
            await _lose_chat(bot, services, out.chat_id, now)
        values = {"status": PingStatus.FAILED, "error": out.error, "claimed_until": None}
    elif out.failed is not None:
        values = {"status": PingStatus.FAILED, "attempts": attempts + 1, "error": out.failed, "claimed_until": None}
    elif out.retry_in is not None:
        values = {"attempts": attempts + 1, "claimed_until": now + out.retry_in, "error": out.error}
        stats.retried += 1
    else:
        values = {"status": PingStatus.SENT, "chat_id": out.chat_id, "message_id": out.message_id,
                  "sent_at": services.clock.now(), "claimed_until": None, "error": None}  # fmt: skip
        stats.sent_messages += 1
    async with services.sessions() as session:
        await session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))
        await session.commit()


async def dispatch(bot: Bot, services: BotServices, *, limit: int = 1000) -> DispatchStats:
    """Send what is pending until nothing is left to claim (or `limit` pings per pass)."""
    stats = DispatchStats()
    now = services.clock.now()
    await _skip_unroutable(services, now)
    gate = asyncio.Semaphore(_CONCURRENT_CHATS)

    async def one(chat_id: int, items: list[DueItem], leased_until: datetime) -> None:
        async with gate:
            try:
                if not await _renew(services, [i.ping_id for i in items], leased_until):
                    log.warning("dispatch_lease_lost chat=%s", chat_id)
                    return
                await _send_chat(bot, services, chat_id, items, stats)
            except Exception:  # one broken chat must not stop the others; the lease retries it
                log.exception("dispatch_chat_failed chat=%s", chat_id)

    # Every outcome leaves a ping sent, failed, leased or unroutable, so each pass claims new work only.
    while by_chat := await _claim(services, now, limit):
        await asyncio.gather(*(one(chat_id, items, now + LEASE) for chat_id, items in by_chat.items()))

    async def one_outbox(row_id: int) -> None:
        async with gate:
            try:
                await _send_outbox(bot, services, row_id, stats)
            except Exception:
                log.exception("dispatch_outbox_failed row=%s", row_id)

    while row_ids := await _claim_outbox(services, now, limit):
        await asyncio.gather(*(one_outbox(row_id) for row_id in row_ids))
    return stats
