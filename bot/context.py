"""The typed context every handler receives: services live in bot_data, built once in app.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.config import Config


@dataclass
class BotServices:
    config: Config
    clock: Clock
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    # Set in post_init from getMe; used to build deep links.
    bot_username: str = ""
    extras: dict[str, Any] = field(default_factory=dict)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotServices]):
    @property
    def services(self) -> BotServices:
        return self.bot_data


DondocApp = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotServices, Any]
