"""Sending a summary: the HTML text (split at Telegram's limit), the chart and the Excel file.

The weekly post is driven by the scheduler tick: once the configured moment of the week has come,
the instance that claims the period's SummaryPost row posts it; a restart or a second instance
finds the row and does nothing. A period with nothing new gets a short "no change" post: the
headline only, without the chart and the workbook (both would repeat the previous post).

The chart and the workbook take a second or two for a large office, so they are built in a worker
thread: the bot keeps answering meanwhile (both builders are pure and thread-safe).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime, timedelta

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot import texts
from bot.config import Config
from bot.context import BotServices
from bot.domain.summary import Period, Summary
from bot.services.summary import (
    Rows,
    build_summary,
    channel_since,
    claim_post,
    ended_before,
    finish_post,
    posted,
    record_part,
    weekly_due,
)
from bot.textsplit import split_html
from bot.views.summary import render_no_change, render_summary
from db.models import SummaryPost

log = logging.getLogger("dondoc.summary")


def xlsx_name(summary: Summary) -> str:
    return f"dondoc-tong-hop-{summary.period.start:%Y%m%d}-{summary.period.end:%Y%m%d}.xlsx"


# Telegram shows a chat action for about 5 s, or until the bot's next message: renewed before that.
ACTION_EVERY_S = 4.0


@contextlib.asynccontextmanager
async def showing(bot: Bot, chat_id: int, action: str = ChatAction.UPLOAD_DOCUMENT) -> AsyncIterator[None]:
    """The chat shows `action` ("sending a file…") while the body runs: a year's workbook takes seconds."""

    async def keep_showing() -> None:
        while True:
            with contextlib.suppress(TelegramError):  # only a hint: never a reason to fail the export
                await bot.send_chat_action(chat_id, action)
            await asyncio.sleep(ACTION_EVERY_S)

    task = asyncio.create_task(keep_showing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def workbook_of(summary: Summary, rows: Rows, config: Config) -> bytes:
    """The summary's .xlsx, built in a worker thread."""
    from bot.views.workbook import build_workbook  # imported on first use: start-up stays light

    return await asyncio.to_thread(
        build_workbook, summary, rows.assignments, rows.reports, tz=config.tz, files=rows.files
    )


async def send_summary(
    bot: Bot,
    chat_id: int,
    summary: Summary,
    rows: Rows,
    config: Config,
    *,
    scope_number: str | None = None,
    markup: InlineKeyboardMarkup | None = None,
) -> list[int]:
    """Text, chart and workbook to one chat; returns the message ids."""
    ids: list[int] = []
    chunks = split_html(render_summary(summary, scope_number=scope_number))
    for i, chunk in enumerate(chunks):
        sent = await bot.send_message(chat_id, chunk, reply_markup=markup if i == len(chunks) - 1 else None)
        ids.append(sent.message_id)
    label = texts.esc(summary.period.label)
    from bot.views.chart import render_chart  # matplotlib: imported on first use, not at start-up

    chart = await asyncio.to_thread(render_chart, summary)
    photo = await bot.send_photo(
        chat_id, InputFile(chart, filename="bieu-do.png"), caption=texts.SUMMARY_CHART_CAPTION.format(period=label)
    )
    ids.append(photo.message_id)
    async with showing(bot, chat_id):
        workbook = await workbook_of(summary, rows, config)
    document = await bot.send_document(
        chat_id, InputFile(workbook, filename=xlsx_name(summary)),
        caption=texts.SUMMARY_XLSX_CAPTION.format(period=label),
    )  # fmt: skip
    ids.append(document.message_id)
    return ids


async def remember_channel(services: BotServices) -> None:
    """Store when the configured channel was first seen (at start-up; the tick does it too)."""
    channel = services.config.summary.channel_id
    if channel is None:
        return
    async with services.sessions() as session:
        await channel_since(session, channel, services.clock.now())
        await session.commit()


async def post_weekly_if_due(bot: Bot, services: BotServices, now: datetime) -> bool:
    """Post this week's summary to the channel once its moment has come; True when this call posted."""
    config = services.config
    channel = config.summary.channel_id
    if channel is None:
        return False
    period, due = weekly_due(config, now)
    if now < due:
        # Down over last week's moment? Catch that week up once.
        period, _ = weekly_due(config, now - timedelta(days=7))
    async with services.sessions() as session:
        since = await channel_since(session, channel, now)
        # Never a period that was over before the bot knew the channel: on day one that would post
        # a week from before the installation, all zeros (a manual post proves nothing about it).
        if ended_before(config, period, since) or await posted(session, channel, period):
            await session.commit()  # keeps `since`
            return False
        row = await claim_post(session, channel, period, now)
        await session.commit()
    return row is not None and await post_claimed(bot, services, channel, period, row.id)


_Part = Callable[[Bot, int], Awaitable[int]]  # sends one message of a post, returns its id


async def _text(bot: Bot, chat: int, *, text: str) -> int:
    return (await bot.send_message(chat, text)).message_id


async def _photo(bot: Bot, chat: int, *, png: bytes, caption: str) -> int:
    return (await bot.send_photo(chat, InputFile(png, filename="bieu-do.png"), caption=caption)).message_id


async def _document(bot: Bot, chat: int, *, data: bytes, name: str, caption: str) -> int:
    return (await bot.send_document(chat, InputFile(data, filename=name), caption=caption)).message_id


async def _parts(summary: Summary, rows: Rows, config: Config) -> list[_Part]:
    """The post as separate messages, all rendered before the first one is sent."""
    if summary.nothing_new:
        return [functools.partial(_text, text=render_no_change(summary))]
    from bot.views.chart import render_chart  # matplotlib: imported on first use, not at start-up

    label = texts.esc(summary.period.label)
    png = await asyncio.to_thread(render_chart, summary)
    workbook = await workbook_of(summary, rows, config)
    parts: list[_Part] = [functools.partial(_text, text=chunk) for chunk in split_html(render_summary(summary))]
    parts.append(functools.partial(_photo, png=png, caption=texts.SUMMARY_CHART_CAPTION.format(period=label)))
    parts.append(functools.partial(_document, data=workbook, name=xlsx_name(summary),
                                   caption=texts.SUMMARY_XLSX_CAPTION.format(period=label)))  # fmt: skip
    return parts


async def post_claimed(bot: Bot, services: BotServices, channel: int, period: Period, post_id: int) -> bool:
    """Send the claimed period's summary to the channel and mark its SummaryPost row sent.

    Each message sent is recorded at once (and renews the claim): a claimer that died mid-post is
    continued by the next one, which sends only the messages still missing."""
    config = services.config
    today: date = services.clock.now().astimezone(config.tz).date()
    async with services.sessions() as session:
        summary, rows = await build_summary(session, config, period, today=today)
        row = await session.get(SummaryPost, post_id)
        ids = list(row.message_ids) if row is not None else []
    parts = await _parts(summary, rows, config)
    for part in parts[len(ids) :]:
        ids.append(await part(bot, channel))
        async with services.sessions() as session:
            await record_part(session, post_id, ids, services.clock.now())
            await session.commit()
    async with services.sessions() as session:
        await finish_post(session, post_id, ids, services.clock.now())
        await session.commit()
    log.info("summary_posted channel=%s period=%s..%s messages=%s", channel, period.start, period.end, len(ids))
    return True
