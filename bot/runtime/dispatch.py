"""The dispatcher, the second half of a tick: claim pending pings, send them, record the outcome.

- A chat's pings are claimed just before its message goes out, in one short transaction that leases
  them and marks them *sending* (`sending_at`); the outcome clears the mark. So after a crash what was
  never attempted is unleased and goes out at once; only what was in flight waits out its lease.
- At most `IN_FLIGHT` messages are in flight per process (the shared gate in BotServices.extras), so a
  kill can repeat at most that many. A message sent again after an uncertain attempt (a crash or a
  timeout mid-send) says "(nhắc lại)".
- One message per chat and batch: several duties due together go out as one compact list.
- Outcomes per chat: sent; retried later with backoff (429 beyond the limiter's retries, 5xx, timeouts);
  Forbidden (binding lost, admins alerted, the pings wait for a new group); ChatMigrated (follow the new
  id and send again); anything else fails the ping for good, and the summary shows it.

With no idempotency key in the Bot API, at-least-once is the only choice that never loses a reminder.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, select, update
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError

from bot import texts
from bot.context import BotServices
from bot.domain.enums import PingKind, PingStatus
from bot.runtime.notify import alert_admins
from bot.services.bindings import deactivate_chat, migrate_chat
from bot.views.outbox import render as render_outbox
from bot.views.reminders import DueItem, answer_keyboard, render_batch
from db.models import Assignment, Directive, Duty, Outbox, Ping, Unit, UnitChat

log = logging.getLogger("dondoc.dispatch")

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 6
# Sends in flight at once per process: Telegram's 29/s times a ~250 ms round trip. It is also the most
# messages a kill can make go out twice (README, Production).
IN_FLIGHT = 8
_GATE = "send_gate"
_BATCH_PER_CHAT = 10  # duties in one compact message; more wait for the next pass


@dataclass
class DispatchStats:
    sent_messages: int = 0
    sent_pings: int = 0
    retried: int = 0
    failed: int = 0
    repeated: int = 0  # sent again after an uncertain attempt, marked "(nhắc lại)"
    lost_chats: list[int] = field(default_factory=list)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _retry_after(exc: RetryAfter) -> timedelta:
    value = exc.retry_after  # a timedelta: bot/__init__.py opts in to PTB's time periods
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def send_gate(services: BotServices) -> asyncio.Semaphore:
    """One per process (per BotServices), shared by every dispatch pass: the tick and the handlers
    that send new notices at once may run passes concurrently, and the bound is per process."""
    gate = services.extras.get(_GATE)
    if not isinstance(gate, asyncio.Semaphore):
        gate = services.extras[_GATE] = asyncio.Semaphore(IN_FLIGHT)
    return gate


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        Ping.status == PingStatus.PENDING,
        Ping.scheduled_for <= now + LEASE,
        (Ping.claimed_until.is_(None)) | (Ping.claimed_until <= now),
    )


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


async def _due_chats(services: BotServices, now: datetime, limit: int) -> list[int]:
    """Chats with due, unleased pings, oldest first. A plain read: each chat is claimed just before
    its send, so a crash leaves what was never attempted unleased."""
    async with services.sessions() as session:
        rows = await session.execute(
            select(UnitChat.chat_id)
            .join(Assignment, (UnitChat.unit_id == Assignment.unit_id) & UnitChat.active.is_(True))
            .join(Ping, Ping.assignment_id == Assignment.id)
            .where(_due(now))
            .group_by(UnitChat.chat_id)
            .order_by(func.min(Ping.id))
            .limit(limit)
        )
        return [int(chat_id) for (chat_id,) in rows]


async def _claim_chat(services: BotServices, chat_id: int, now: datetime) -> tuple[list[DueItem], bool]:
    """Lease one chat's due pings and mark them sending; True when an earlier attempt's outcome is
    unknown (a crash or a timeout mid-send)."""
    async with services.sessions() as session:
        rows = (
            await session.execute(
                select(Ping, Assignment, Duty, Directive, Unit)
                .join(Assignment, Assignment.id == Ping.assignment_id)
                .join(Duty, Duty.id == Assignment.duty_id)
                .join(Directive, Directive.id == Duty.directive_id)
                .join(Unit, Unit.id == Assignment.unit_id)
                .join(UnitChat, (UnitChat.unit_id == Assignment.unit_id) & UnitChat.active.is_(True))
                .where(UnitChat.chat_id == chat_id, _due(now))
                .order_by(Ping.id)
                .limit(_BATCH_PER_CHAT)
                .with_for_update(skip_locked=True, of=Ping)
            )
        ).all()
        started = services.clock.now()
        repeat, items = False, []
        for ping, assignment, duty, directive, unit in rows:
            repeat = repeat or ping.sending_at is not None
            ping.claimed_until, ping.sending_at = started + LEASE, started
            items.append(DueItem(ping.id, ping.kind, ping.attempts, directive, duty, assignment, unit))
        await session.commit()
    return items, repeat


def as_repeat(text: str) -> str:
    """The first line gets "(nhắc lại)": the earlier copy may have reached the chat."""
    first, sep, rest = text.partition("\n")
    return f"{first} {texts.RESENT_MARK}{sep}{rest}"


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
    uncertain: bool = False  # a timeout or 5xx: Telegram may have delivered it


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
            if isinstance(exc, RetryAfter):  # refused: certainly not delivered
                return _Outcome(target, retry_in=_retry_after(exc), error=str(exc)[:500])
            return _Outcome(target, retry_in=_backoff(attempts + 1), error=str(exc)[:500], uncertain=True)
        except TelegramError as exc:
            return _Outcome(target, failed=str(exc)[:500])
        return _Outcome(message.chat_id, message_id=message.message_id)
    return _Outcome(target, retry_in=LEASE, error="migrated twice")


async def _send_chat(bot: Bot, services: BotServices, chat_id: int, items: list[DueItem], repeat: bool,
                     stats: DispatchStats) -> None:  # fmt: skip
    now = services.clock.now()
    ids = [i.ping_id for i in items]
    text = render_batch(items, now.astimezone(services.config.tz).date())
    attempts = max(i.attempts for i in items)
    out = await _deliver(bot, services, chat_id, as_repeat(text) if repeat else text, answer_keyboard(items), attempts)
    if out.lost:
        unbound = await _lose_chat(bot, services, out.chat_id, now)
        # Nothing was bound there any more: lease the pings, or this very pass would claim them forever.
        await _record(services, ids, claimed_until=None if unbound else now + LEASE, error="forbidden", sending_at=None)
        stats.lost_chats.append(out.chat_id)
    elif out.failed is not None:
        await _record(services, ids, status=PingStatus.FAILED, attempts=attempts + 1, error=out.failed, sending_at=None)
        stats.failed += len(ids)
    elif out.retry_in is not None:
        await _record(services, ids, attempts=attempts + 1, claimed_until=now + out.retry_in, error=out.error,
                      **({} if out.uncertain or repeat else {"sending_at": None}))  # fmt: skip
        stats.retried += len(ids)
    else:
        await _record(
            services, ids, status=PingStatus.SENT, chat_id=out.chat_id, message_id=out.message_id,
            sent_at=services.clock.now(), claimed_until=None, error=None, sending_at=None,
        )  # fmt: skip
        stats.sent_messages += 1
        stats.sent_pings += len(ids)
        stats.repeated += int(repeat)


async def _due_outbox(services: BotServices, now: datetime, limit: int) -> list[int]:
    async with services.sessions() as session:
        return list(
            await session.scalars(
                select(Outbox.id)
                .where(
                    Outbox.status == PingStatus.PENDING,
                    Outbox.due_at <= now,
                    (Outbox.claimed_until.is_(None)) | (Outbox.claimed_until <= now),
                )
                .order_by(Outbox.id)
                .limit(limit)
            )
        )


async def _send_outbox(bot: Bot, services: BotServices, row_id: int, now: datetime, stats: DispatchStats) -> None:
    """Claim (lease + sending mark) and render in one transaction, then send, then record."""
    async with services.sessions() as session:
        row = await session.scalar(
            select(Outbox)
            .where(
                Outbox.id == row_id,
                Outbox.status == PingStatus.PENDING,
                (Outbox.claimed_until.is_(None)) | (Outbox.claimed_until <= now),
            )
            .with_for_update(skip_locked=True)
        )
        if row is None:
            return  # another instance has it
        rendered = await render_outbox(session, row, services.config)
        chat_id, attempts, repeat = row.chat_id, row.attempts, row.sending_at is not None
        started = services.clock.now()
        if rendered is None:
            row.status, row.claimed_until, row.error = PingStatus.SKIPPED, None, "nothing to say"
        else:
            row.claimed_until, row.sending_at = started + LEASE, started
        await session.commit()
    if rendered is None:
        return
    text, markup = rendered
    out = await _deliver(bot, services, chat_id, as_repeat(text) if repeat else text, markup, attempts)
    values: dict[str, object] = {"sending_at": None}
    if out.lost:
        # A group: unbind it like a unit group. A private chat: that person blocked the bot.
        if chat_id < 0:
            await _lose_chat(bot, services, out.chat_id, started)
        values |= {"status": PingStatus.FAILED, "error": out.error, "claimed_until": None}
    elif out.failed is not None:
        values |= {"status": PingStatus.FAILED, "attempts": attempts + 1, "error": out.failed, "claimed_until": None}
    elif out.retry_in is not None:
        values = {"attempts": attempts + 1, "claimed_until": started + out.retry_in, "error": out.error}
        if not (out.uncertain or repeat):  # a refusal now does not undo an earlier uncertain send
            values["sending_at"] = None
        stats.retried += 1
    else:
        values |= {"status": PingStatus.SENT, "chat_id": out.chat_id, "message_id": out.message_id,
                   "sent_at": services.clock.now(), "claimed_until": None, "error": None}  # fmt: skip
        stats.sent_messages += 1
        stats.repeated += int(repeat)
    async with services.sessions() as session:
        await session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))
        await session.commit()


async def dispatch(bot: Bot, services: BotServices, *, limit: int = 1000) -> DispatchStats:
    """Send what is pending until nothing is left to claim (or `limit` chats per pass)."""
    stats = DispatchStats()
    now = services.clock.now()
    await _skip_unroutable(services, now)
    gate = send_gate(services)

    async def one(chat_id: int) -> None:
        async with gate:  # claim inside the gate: whatever is marked sending is really in flight
            try:
                items, repeat = await _claim_chat(services, chat_id, now)
                if items:
                    await _send_chat(bot, services, chat_id, items, repeat, stats)
            except Exception:  # one broken chat must not stop the others; the lease retries it
                log.exception("dispatch_chat_failed chat=%s", chat_id)

    # Every outcome leaves a ping sent, failed, leased or unroutable, so each pass finds new work only.
    while chats := await _due_chats(services, now, limit):
        await asyncio.gather(*(one(chat_id) for chat_id in chats))

    async def one_outbox(row_id: int) -> None:
        async with gate:
            try:
                await _send_outbox(bot, services, row_id, now, stats)
            except Exception:
                log.exception("dispatch_outbox_failed row=%s", row_id)

    while row_ids := await _due_outbox(services, now, limit):
        await asyncio.gather(*(one_outbox(row_id) for row_id in row_ids))
    return stats
