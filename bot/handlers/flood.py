"""Flood control: one user sending too much is dropped before any database work, so other units don't wait.

aiolimiter's leaky bucket per user (the same library PTB's AIORateLimiter uses for sending).
"""

from __future__ import annotations

import contextlib
import logging
from collections import OrderedDict

from aiolimiter import AsyncLimiter
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot import texts
from bot.context import BotContext, DondocApp

log = logging.getLogger("dondoc.flood")
_MAX_TRACKED = 10_000  # bounded memory: the least recently seen users are forgotten
FLOOD_GROUP = -100  # its own group: a TypeHandler matches every update and would shadow its neighbours


class FloodGuard:
    def __init__(self, max_updates: int, window_s: float) -> None:
        self.max_updates = max_updates
        self.window_s = window_s
        self._buckets: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._warned: set[int] = set()

    async def allow(self, user_id: int) -> bool:
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = AsyncLimiter(self.max_updates, self.window_s)
            if len(self._buckets) > _MAX_TRACKED:
                old, _ = self._buckets.popitem(last=False)
                self._warned.discard(old)
        else:
            self._buckets.move_to_end(user_id)
        if not bucket.has_capacity():
            return False
        await bucket.acquire()  # returns at once: capacity was just checked
        self._warned.discard(user_id)
        return True

    def first_refusal(self, user_id: int) -> bool:
        """True once per burst, so the warning itself cannot become a flood."""
        if user_id in self._warned:
            return False
        self._warned.add(user_id)
        return True


async def _check(update: Update, context: BotContext) -> None:
    user = update.effective_user
    guard: FloodGuard | None = context.services.extras.get("flood")
    if user is None or guard is None or await guard.allow(user.id):
        return
    if guard.first_refusal(user.id):
        log.warning("flood user=%s update=%s", user.id, update.update_id)
        with contextlib.suppress(TelegramError):
            if update.callback_query is not None:
                await update.callback_query.answer(texts.FLOOD_WARNING[:190], show_alert=True)
            elif update.effective_chat is not None:
                await context.bot.send_message(update.effective_chat.id, texts.FLOOD_WARNING)
    raise ApplicationHandlerStop


def register(app: DondocApp) -> None:
    cfg = app.bot_data.config
    app.bot_data.extras["flood"] = FloodGuard(cfg.flood_max_updates, cfg.flood_window_s)
    app.add_handler(TypeHandler(Update, _check), group=FLOOD_GROUP)
