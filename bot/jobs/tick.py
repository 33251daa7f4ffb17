"""The scheduler tick: plan due slots, then dispatch. JobQueue only triggers it; the database decides."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.config import Config
from bot.context import BotContext, BotServices, DondocApp
from bot.runtime.dispatch import DispatchStats, dispatch
from bot.runtime.health import TICK_STATE
from bot.runtime.summary_post import post_weekly_if_due
from bot.services.reminders import PlanStats, plan_due
from db.models import AppState

log = logging.getLogger("dondoc.jobs")
# Planning costs 0.6-1 ms of event-loop time per due assignment (schedules, holidays): batches of
# 40 keep each stall near 45 ms, so 1,000 due at once never hold the chats' updates for long.
PLAN_BATCH = 40


@dataclass
class TickStats:
    plan: PlanStats
    sent: DispatchStats


async def _record_tick(session: AsyncSession, now: datetime) -> None:
    """Upsert, because instances tick concurrently (a plain insert races on the key)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {"key": TICK_STATE, "value": {"last_tick": now.isoformat()}, "updated_at": now}
    stmt = insert(AppState).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(index_elements=[AppState.key], set_={"value": values["value"], "updated_at": now})
    )


async def plan_in_batches(
    sessions: async_sessionmaker[AsyncSession], config: Config, now: datetime, *, batch: int = PLAN_BATCH
) -> PlanStats:
    """Plan every due slot, one short transaction per batch, yielding to the loop between batches."""
    total = PlanStats()
    while True:
        async with sessions() as session:
            stats = await plan_due(session, config, now, limit=batch)
            await _record_tick(session, now)
            await session.commit()
        total += stats
        if stats.rows < batch:
            return total
        # SQLite runs inline (db/sqlite_inline.py): without this, the batches would run back to back.
        await asyncio.sleep(0)


async def run_tick(bot: Bot, services: BotServices) -> TickStats:
    now = services.clock.now()
    total = await plan_in_batches(services.sessions, services.config, now)
    sent = await dispatch(bot, services)
    try:
        await post_weekly_if_due(bot, services, now)
    except Exception:  # reminders must not wait on the summary; its claim is retaken after the lease
        log.exception("weekly summary failed")
    from bot.handlers.newdirective import send_timeouts  # local import: jobs stays free of handler imports

    try:
        await send_timeouts(bot, services)
    except Exception:  # the drafts stay in the database; the next tick tries again
        log.exception("draft timeouts failed")
    if total.pings or sent.sent_pings or sent.retried or sent.failed:
        log.info("tick planned=%s skipped=%s sent=%s retried=%s failed=%s", total.pings, total.skipped,
                 sent.sent_pings, sent.retried, sent.failed)  # fmt: skip
    return TickStats(total, sent)


async def last_tick(services: BotServices) -> str | None:
    async with services.sessions() as session:
        value = await session.scalar(select(AppState.value).where(AppState.key == TICK_STATE))
    return str(value.get("last_tick")) if value else None


async def _tick_job(context: BotContext) -> None:
    try:
        await run_tick(context.bot, context.services)
    except Exception:  # the next tick tries again; the database still holds every due slot
        log.exception("tick failed")


def schedule_ticks(app: DondocApp) -> None:
    if app.job_queue is None:
        raise RuntimeError("python-telegram-bot[job-queue] is required for reminders")
    interval = app.bot_data.config.reminders.tick_seconds
    app.job_queue.run_repeating(_tick_job, interval=interval, first=1, name="tick")  # type: ignore[arg-type]
