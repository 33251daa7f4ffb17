"""Helpers shared by handlers; no business logic here."""

from __future__ import annotations

from bot.context import BotContext
from bot.services.people import Identity, identify


async def current_identity(context: BotContext, user_id: int) -> Identity:
    svc = context.services
    async with svc.sessions() as session:
        return await identify(session, svc.config, user_id)
