"""Helpers shared by handlers; no business logic here."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message

from bot.context import BotContext
from bot.services.people import Identity, identify
from bot.textsplit import split_html


async def current_identity(context: BotContext, user_id: int) -> Identity:
    svc = context.services
    async with svc.sessions() as session:
        return await identify(session, svc.config, user_id)


async def reply_chunks(message: Message, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Reply with `html` split at Telegram's limit; the keyboard goes under the last part."""
    chunks = split_html(html)
    for i, chunk in enumerate(chunks):
        await message.reply_html(chunk, reply_markup=markup if i == len(chunks) - 1 else None)
