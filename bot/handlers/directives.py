"""/directives, /directive <id>, and closing, archiving or reopening a directive."""

from __future__ import annotations

import contextlib

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot import texts
from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.enums import DirectiveStatus, Role
from bot.domain.textnorm import ascii_int
from bot.handlers import files
from bot.handlers.common import current_identity, guard, reply_chunks
from bot.services.directives import DirectiveError, get_detail, list_directives, set_status
from bot.views_directives import render_detail, render_list

_STATUSES = {s.value: s for s in DirectiveStatus}


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
    async with context.services.sessions() as db:
        rows = await list_directives(db, include_closed=include_closed)
    await reply_chunks(message, render_list(rows, include_closed=include_closed))


def _status_keyboard(directive_id: int, status: DirectiveStatus) -> InlineKeyboardMarkup:
    if status == DirectiveStatus.ACTIVE:
        row = [
            InlineKeyboardButton(texts.DETAIL_BTN_CLOSE, callback_data=f"dir|{directive_id}|closed"),
            InlineKeyboardButton(texts.DETAIL_BTN_ARCHIVE, callback_data=f"dir|{directive_id}|archived"),
        ]
    else:
        row = [InlineKeyboardButton(texts.DETAIL_BTN_REOPEN, callback_data=f"dir|{directive_id}|active")]
    return InlineKeyboardMarkup([row])


async def detail_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    role = await _allowed(update, context, "directive") if message is not None else None
    if message is None or role is None:
        return
    directive_id = ascii_int((context.args or [""])[0].lstrip("#"))
    if directive_id is None:
        await message.reply_html(texts.DETAIL_USAGE)
        return
    async with context.services.sessions() as db:
        detail = await get_detail(db, directive_id)
    if detail is None:
        await message.reply_html(texts.DETAIL_NOT_FOUND.format(id=directive_id))
        return
    markup = _status_keyboard(detail.directive.id, detail.directive.status) if role != Role.LEADER else None
    await reply_chunks(message, render_detail(detail), markup)
    await files.send_list(message, context, detail.directive.id)


async def status_button(update: Update, context: BotContext) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None:
        return
    ident = await current_identity(context, user.id)
    if not ident.is_staff:
        await query.answer(texts.NEED_STAFF[:190], show_alert=True)
        return
    found = callbacks.fields(query.data, "dir", 2)
    directive_id = callbacks.row_id(found[0]) if found else None
    status = _STATUSES.get(found[1]) if found else None
    if directive_id is None or status is None:
        await query.answer(texts.ND_STALE_BUTTON, show_alert=True)
        return
    services = context.services
    try:
        async with services.sessions() as db:
            await set_status(db, directive_id, status, actor=user.id, now=services.clock.now())
            await db.commit()
    except DirectiveError as exc:
        text = (
            texts.DIRECTIVE_SAME_STATUS if exc.key == "same_status" else texts.DETAIL_NOT_FOUND.format(id=directive_id)
        )
        await query.answer(texts.strip_tags(text)[:190], show_alert=True)
        return
    done = texts.DIRECTIVE_STATUS_SET.format(id=directive_id, status=texts.STATUS_NAMES[status.value])
    await query.answer(done[:190])
    if isinstance(query.message, Message):
        # the status is saved; the buttons are cosmetic
        with contextlib.suppress(TelegramError):
            await query.message.edit_reply_markup(_status_keyboard(directive_id, status))
