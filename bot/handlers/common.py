"""Helpers shared by handlers; no business logic here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot import texts
from bot.commands import SPECS
from bot.context import BotContext
from bot.domain.enums import Role
from bot.services import uow
from bot.services.people import Identity, identify
from bot.services.units import Unit
from bot.textsplit import split_html
from bot.views.common import role_name
from bot.views.units import unit_choice


async def current_identity(context: BotContext, user_id: int) -> Identity:
    svc = context.services
    return await uow.read(svc.sessions, identify, svc.config, user_id)


@dataclass(frozen=True)
class Caller:
    message: Message
    user: User
    ident: Identity


async def guard(update: Update, context: BotContext, command: str) -> Caller | None:
    """The one role check: the command's catalog entry says who may run it, and where.

    Refusals name the role needed and never say "error"; the caller just returns on None.
    """
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return None
    spec = SPECS[command]
    in_group = message.chat.type != ChatType.PRIVATE
    if in_group and not spec.group:
        await message.reply_html(texts.USE_PRIVATE.format(command=command))
        return None
    ident = await current_identity(context, user.id)
    if ident.role not in spec.roles:
        roles = ", ".join(texts.ROLE_NAMES[r.value] for r in Role if r in spec.roles)
        await message.reply_html(
            texts.NEED_ROLE.format(command=command, roles=roles, mine=texts.esc(role_name(ident)), user_id=user.id)
        )
        return None
    return Caller(message, user, ident)


async def reply_unit_choice(
    message: Message, name: str, candidates: Sequence[Unit], action: str, extra: int | None = None
) -> None:
    """ "No such unit", or the units that fit as buttons (bot.handlers.unit_pick carries on)."""
    html, markup = unit_choice(name, candidates, action, extra)
    await message.reply_html(html, reply_markup=markup)


async def reply_chunks(message: Message, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Reply with `html` split at Telegram's limit; the keyboard goes under the last part."""
    chunks = split_html(html)
    for i, chunk in enumerate(chunks):
        await message.reply_html(chunk, reply_markup=markup if i == len(chunks) - 1 else None)


def is_stale_query(exc: BadRequest) -> bool:
    """Telegram refuses to answer a button press older than about 15 s (e.g. redelivered after a restart)."""
    text = exc.message.lower()
    return "query is too old" in text or "query id is invalid" in text
