"""/audit: admins read who changed what, optionally for one directive or one unit, page by page."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.context import BotContext
from bot.handlers.common import guard
from bot.services import uow
from bot.services.audit import audit_page
from bot.services.audit_requests import audit_for_request
from bot.views.audit import decode_page, parse_request, render_page


async def audit_command(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "audit")
    if caller is None:
        return
    raw = " ".join(context.args or [])[:255]
    request, services = parse_request(raw), context.services
    if request is None:
        await caller.message.reply_html(texts.AUDIT_USAGE)
        return
    page = await uow.read(
        services.sessions, audit_for_request, services.config, request.kind, request.unit_text, request.directive_id
    )
    if page is None:
        await caller.message.reply_html(texts.INVITE_UNKNOWN_UNIT.format(name=texts.esc(request.unit_text), hints=""))
        return
    html, markup = render_page(page, services.config.tz)
    await caller.message.reply_html(html, reply_markup=markup)


async def audit_page_button(update: Update, context: BotContext) -> None:
    """Newer/older: the same scope and anchor, another page; a forged or vanished page gets one clear alert."""
    query, services = update.callback_query, context.services
    if query is None:
        return
    decoded = decode_page(query.data)
    if decoded is None:
        await query.answer(texts.AUDIT_PAGE_STALE, show_alert=True)
        return
    caller = await guard(update, context, "audit")  # the same role check as the command: anyone may tap
    if caller is None:
        await query.answer()
        return
    scope, anchor, number = decoded
    page = await uow.read(services.sessions, audit_page, services.config, scope, anchor=anchor, page=number)
    if page is None:
        await query.answer(texts.AUDIT_PAGE_STALE, show_alert=True)
        return
    await query.answer()
    html, markup = render_page(page, services.config.tz)
    await query.edit_message_text(html, parse_mode="HTML", reply_markup=markup)
