"""Groups: /invite links, binding through `startgroup`, the bot's own membership, and migrations."""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot import texts
from bot.context import BotContext
from bot.domain.enums import Role
from bot.handlers.common import current_identity
from bot.services.bindings import BindError, bind_with_token, create_invite, deactivate_chat, migrate_chat
from bot.services.units import resolve_unit, suggest_units

log = logging.getLogger("dondoc.groups")
_GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


async def invite_command(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_html(texts.PRIVATE_ONLY)
        return
    ident = await current_identity(context, user.id)
    if ident.role != Role.ADMIN:
        await message.reply_html(texts.INVITE_ADMIN_ONLY)
        return
    name = " ".join(context.args or [])[:255]
    if not name:
        await message.reply_html(texts.INVITE_USAGE)
        return
    services = context.services
    async with services.sessions() as session:
        unit = await resolve_unit(session, name)
        if unit is None or not unit.active:
            names = ", ".join(u.name for u in await suggest_units(session, name))
            hints = texts.EDIT_HINTS.format(names=names) if names else ""
            await message.reply_html(texts.INVITE_UNKNOWN_UNIT.format(name=texts.esc(name), hints=texts.esc(hints)))
            return
        now = services.clock.now()
        ttl = timedelta(hours=services.config.invite_ttl_hours)
        invite = await create_invite(session, unit, actor=user.id, now=now, ttl=ttl)
        await session.commit()
    link = f"https://t.me/{services.bot_username}?startgroup={invite.token}"
    expires = invite.expires_at.astimezone(services.config.tz).strftime("%H:%M %d/%m/%Y")
    await message.reply_html(
        texts.INVITE_LINK.format(unit=texts.esc(unit.name), expires=expires, link=texts.esc(link)),
        disable_web_page_preview=True,
    )


async def start_in_group(update: Update, context: BotContext) -> None:
    """`/start <token>` arrives when a group is added through an invite link."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if not context.args:
        await message.reply_html(texts.HELP_GROUP)
        return
    services = context.services
    try:
        async with services.sessions() as session:
            binding = await bind_with_token(
                session,
                context.args[0][:64],
                chat_id=message.chat.id,
                chat_title=message.chat.title,
                chat_type=message.chat.type,
                actor=user.id,
                now=services.clock.now(),
            )
            await session.commit()
    except BindError as exc:
        await message.reply_html(texts.BIND_ERRORS[exc.key])
        return
    welcome = texts.BIND_WELCOME.format(unit=texts.esc(binding.unit.name))
    if binding.moved_from_chat is not None:
        welcome += texts.BIND_MOVED
    await message.reply_html(welcome)


async def on_my_member(update: Update, context: BotContext) -> None:
    """Removed or banned: the binding goes inactive and the admins are told which unit is cut off."""
    change = update.my_chat_member
    if change is None or change.chat.type not in _GROUPS:
        return
    if change.new_chat_member.status not in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        return
    services = context.services
    async with services.sessions() as session:
        units = await deactivate_chat(session, change.chat.id, actor=change.from_user.id, now=services.clock.now())
        await session.commit()
    if not units:
        return
    alert = texts.ADMIN_ALERT_REMOVED.format(
        title=texts.esc(change.chat.title or change.chat.id), units=texts.esc(", ".join(u.name for u in units))
    )
    for admin_id in services.config.admins:
        # An admin who never opened the bot cannot be messaged; the others still are.
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(admin_id, alert)
    log.warning("binding_lost chat=%s units=%s", change.chat.id, [u.code for u in units])


async def on_migrate(update: Update, context: BotContext) -> None:
    """A group upgraded to a supergroup keeps its binding under the new id (both service messages work)."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    services = context.services
    async with services.sessions() as session:
        moved = await migrate_chat(session, old, new, now=services.clock.now())
        await session.commit()
    if moved:
        log.info("binding_migrated old=%s new=%s", old, new)
