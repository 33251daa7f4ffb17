"""/start, /help and the fallbacks. Thin: read the identity, render a text, reply."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot import texts
from bot.context import BotContext
from bot.handlers.common import current_identity
from bot.views import help_text, role_name, start_text


async def start(update: Update, context: BotContext) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_html(texts.HELP_GROUP)
        return
    ident = await current_identity(context, user.id)
    await message.reply_html(start_text(ident, user.full_name))


async def help_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_html(texts.HELP_GROUP)
        return
    ident = await current_identity(context, user.id)
    await message.reply_html(help_text(ident))


async def unknown_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0].split("@")[0]
    await message.reply_html(texts.UNKNOWN_COMMAND.format(command=texts.esc(command[:64])))


async def whoami(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    ident = await current_identity(context, user.id)
    await message.reply_html(
        texts.WHOAMI.format(
            user_id=user.id,
            role=texts.esc(role_name(ident)),
            unit=texts.esc(ident.unit_name or texts.WHOAMI_NO_UNIT),
        )
    )
