"""Telegram command menus per scope, from the one command catalog."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.commands import visible
from bot.context import DondocApp
from bot.domain.enums import Role

log = logging.getLogger("dondoc.menus")


def _menu(role: Role | None, *, in_group: bool) -> list[BotCommand]:
    return [BotCommand(c.name, c.description) for c in visible(role, in_group=in_group)]


async def publish_user_menu(bot: Bot, user_id: int, role: Role | None) -> None:
    """One person's private menu after their role changed; best effort (they may never have opened the bot)."""
    try:
        await bot.set_my_commands(_menu(role, in_group=False), scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:
        log.info("set_my_commands user=%s failed: %s", user_id, exc)


async def publish_commands(app: DondocApp) -> None:
    """Command menus per scope: everyone in private, groups, and each admin's own chat."""
    bot = app.bot
    await bot.set_my_commands(_menu(None, in_group=False), scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(_menu(None, in_group=True), scope=BotCommandScopeAllGroupChats())
    for admin_id in app.bot_data.config.admins:
        await publish_user_menu(bot, admin_id, Role.ADMIN)
