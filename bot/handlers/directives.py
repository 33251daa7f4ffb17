"""/directives, /directive <id>, and closing, archiving or reopening a directive."""

from __future__ import annotations

import contextlib

from telegram import Message, Update
from telegram.error import TelegramError

from bot import texts
from bot.context import BotContext
from bot.domain.enums import Role
from bot.domain.textnorm import ascii_int
from bot.handlers import files
from bot.handlers.common import current_identity, guard, reply_chunks
from bot.services import uow
from bot.services.directives import DirectiveError, get_detail, list_directives, set_status
from bot.views.directives import (
    decode_status,
    render_detail,
    render_list,
    status_done,
    status_keyboard,
    status_refusal,
)


async def _allowed(update: Update, context: BotContext, command: str) -> Role | None:
    """The reader's role, or None after telling them why not."""
    caller = await guard(update, context, command)
    return caller.ident.role if caller else None


async def list_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None or await _allowed(update, context, "directives") is None:
        return
    args = context.args or []
    include_closed = bool(args) and args[0].lower() in ("all", "tatca", "het")
    rows = await uow.read(context.services.sessions, list_directives, include_closed=include_closed)
    await reply_chunks(message, render_list(rows, include_closed=include_closed))


async def detail_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    role = await _allowed(update, context, "directive") if message is not None else None
    if message is None or role is None:
        return
    directive_id = ascii_int((context.args or [""])[0].lstrip("#"))
    if directive_id is None:
        await message.reply_html(texts.DETAIL_USAGE)
        return
    detail = await uow.read(context.services.sessions, get_detail, directive_id)
    if detail is None:
        await message.reply_html(texts.DETAIL_NOT_FOUND.format(id=directive_id))
        return
    markup = status_keyboard(detail.directive.id, detail.directive.status) if role != Role.LEADER else None
    await reply_chunks(message, render_detail(detail), markup)
    await files.send_list(message, context, detail.directive.id)


async def status_button(update: Update, context: BotContext) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    if not (await current_identity(context, user.id)).is_staff:
        await query.answer(texts.NEED_STAFF[:190], show_alert=True)
        return
    decoded = decode_status(query.data)
    if decoded is None:
        await query.answer(texts.ND_STALE_BUTTON, show_alert=True)
        return
    directive_id, status = decoded
    svc = context.services
    try:
        await uow.write(svc.sessions, set_status, directive_id, status, actor=user.id, now=svc.clock.now())
    except DirectiveError as exc:
        await query.answer(status_refusal(exc.key, directive_id), show_alert=True)
        return
    await query.answer(status_done(directive_id, status))
    if isinstance(query.message, Message):
        # the status is saved; the buttons are cosmetic
        with contextlib.suppress(TelegramError):
            await query.message.edit_reply_markup(status_keyboard(directive_id, status))
