"""/start, /help and the fallbacks. Thin: read the identity, render a text, reply."""

from __future__ import annotations

from telegram import Update, User
from telegram.constants import ChatType

from bot import texts
from bot.context import BotContext
from bot.handlers.common import current_identity
from bot.services import uow
from bot.services.bindings import group_unit, is_bound
from bot.services.roles import remember_person
from bot.views.common import help_text, role_name, start_text


async def _remember(context: BotContext, user: User) -> None:
    """Keep the name and @username of whoever opens the bot, so admins can grant roles by @username."""
    svc = context.services
    name, now = user.full_name, svc.clock.now()
    await uow.write(svc.sessions, remember_person, user.id, full_name=name, username=user.username, now=now)


async def start(update: Update, context: BotContext) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_html(texts.HELP_GROUP)
        return
    await _remember(context, user)
    ident = await current_identity(context, user.id)
    await message.reply_html(start_text(ident, user.full_name))


async def help_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if message.chat.type != ChatType.PRIVATE:
        bound = await uow.read(context.services.sessions, is_bound, message.chat.id)
        await message.reply_html(texts.HELP_GROUP + ("" if bound else "\n\n" + texts.GROUP_NOT_BOUND))
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
    private = message.chat.type == ChatType.PRIVATE
    if private:  # a group command stores nothing: unbound groups must leave no trace
        await _remember(context, user)
    ident = await current_identity(context, user.id)
    answer = texts.WHOAMI.format(
        user_id=user.id,
        role=texts.esc(role_name(ident)),
        unit=texts.esc(ident.unit_name or texts.WHOAMI_NO_UNIT),
    )
    if not private:
        answer += await _group_unit_line(context, message.chat.id)
    await message.reply_html(answer)


async def _group_unit_line(context: BotContext, chat_id: int) -> str:
    """In a group, every member reports for the group's unit, whatever their own role says."""
    unit = await uow.read(context.services.sessions, group_unit, chat_id)
    if unit is None:
        return "\n\n" + texts.GROUP_NOT_BOUND
    return texts.WHOAMI_GROUP_UNIT.format(unit=texts.esc(unit.name))


async def unknown_button(update: Update, context: BotContext) -> None:
    """A button no handler claims (forged, or from an older version): answer, so the spinner stops."""
    if update.callback_query is not None:
        await update.callback_query.answer(texts.BUTTON_STALE, show_alert=True)
