"""A tap on one of the units a command offered when the typed name fitted several (views_units codec)."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.context import BotContext
from bot.domain.enums import Role
from bot.handlers.common import guard
from bot.handlers.groups import invite_unit
from bot.handlers.roles import grant_to
from bot.handlers.summary import stats_unit
from bot.handlers.units_admin import show_unit
from bot.views.units import decode_pick


async def unit_pick_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    pick = decode_pick(query.data if query else None)
    if query is None or pick is None:
        if query is not None:
            await query.answer(texts.BUTTON_STALE, show_alert=True)
        return
    await query.answer()
    # The same role check as the command itself: the tap may come from someone else in the chat.
    caller = await guard(update, context, pick.action)
    if caller is None:
        return
    if pick.action == "invite":
        await invite_unit(caller, context, pick.unit_id)
    elif pick.action == "stats":
        await stats_unit(caller, context, pick.unit_id)
    elif pick.action == "unit":
        await show_unit(caller.message, context, pick.unit_id)
    elif pick.extra is not None:
        await grant_to(caller, context, pick.extra, Role.UNIT_CONTACT, pick.unit_id)
