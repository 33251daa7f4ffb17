"""/baocao <directive> [kỳ]: the drafted báo cáo kết quả thực hiện, as a Word document."""

from __future__ import annotations

import asyncio
from datetime import date

from telegram import InputFile, Message, Update

from bot import texts
from bot.context import BotContext
from bot.domain.textnorm import ascii_int, nfc
from bot.domain.vndates import format_date
from bot.domain.vnperiods import parse_period
from bot.handlers.common import guard
from bot.refs import directive_ref
from bot.services import baocao, uow
from bot.texts import files as texts_files
from bot.views.baocao import render


async def _request(message: Message, words: list[str], today: date) -> tuple[int, tuple[date, date] | None] | None:
    """The directive id and the period the words ask for, or None after saying what is wrong."""
    directive_id = ascii_int(words[0].lstrip("#")) if words else None
    if directive_id is None:
        await message.reply_html(texts_files.BAOCAO_USAGE)
        return None
    period = parse_period(" ".join(words[1:]), today) if words[1:] else None
    if words[1:] and period is None:
        await message.reply_html(texts.SUMMARY_BAD_PERIOD.format(text=texts.esc(" ".join(words[1:])[:100])))
        return None
    return directive_id, period


async def baocao_command(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "baocao")
    services = context.services
    today = services.clock.now().astimezone(services.config.tz).date()
    asked = await _request(caller.message, [nfc(w) for w in context.args or []], today) if caller else None
    if caller is None or asked is None:
        return
    directive_id, (start, end) = asked[0], asked[1] or (None, None)
    model = await uow.read(
        services.sessions, baocao.load, services.config, directive_id, today=today, start=start, end=end
    )
    if model is None:
        await caller.message.reply_html(texts.DETAIL_NOT_FOUND.format(id=directive_id))
        return
    data = await asyncio.to_thread(render, model, services.config.baocao, today)
    period = f"{format_date(model.start)}–{format_date(model.end)}"
    await caller.message.reply_document(
        InputFile(data, filename=texts_files.BAOCAO_FILE.format(id=directive_id)),
        caption=texts_files.BAOCAO_CAPTION.format(ref=texts.esc(directive_ref(model.directive)), period=period),
    )
