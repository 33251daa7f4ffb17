"""Messages to the configured admins (lost groups, failed sends): best effort, never raises."""

from __future__ import annotations

import contextlib

from telegram import Bot
from telegram.error import TelegramError

from bot.config import Config


async def alert_admins(bot: Bot, config: Config, html: str) -> None:
    for admin_id in config.admins:
        # An admin who never opened the bot cannot be messaged; the others still are.
        with contextlib.suppress(TelegramError):
            await bot.send_message(admin_id, html)
