"""Drive the real `Application` against a `FakeTelegram`, one update at a time and deterministically.

Used by the bot-level tests and by `dondoc demo`. Updates go through `Application.process_update`,
so every handler, filter, conversation and error handler runs exactly as in production.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update

from bot.clock import Clock
from bot.config import Config
from bot.context import DondocApp
from fakeapi.models import Call, FakeChat, FakeUser, JSONDict
from fakeapi.request import FakeRequest
from fakeapi.world import FakeTelegram


class Harness:
    def __init__(self, app: DondocApp, world: FakeTelegram) -> None:
        self.app = app
        self.world = world

    @classmethod
    @asynccontextmanager
    async def running(
        cls,
        config: Config,
        world: FakeTelegram | None = None,
        *,
        clock: Clock | None = None,
        rate_limit: bool = False,
    ) -> AsyncIterator[Harness]:
        """Build, migrate, initialise and start the bot; shut it down cleanly afterwards."""
        from bot.app import build_application, prepare_database

        world = world or FakeTelegram()
        app = build_application(
            config, FakeRequest(world), clock=clock, token=world.token, rate_limit=rate_limit, scheduler=False
        )
        try:
            await prepare_database(app)
            await app.initialize()
            if app.post_init is not None:
                await app.post_init(app)
            await app.start()
            try:
                yield cls(app, world)
            finally:
                await app.stop()
                if app.post_stop is not None:
                    await app.post_stop(app)
                await app.shutdown()
                if app.post_shutdown is not None:
                    await app.post_shutdown(app)
        finally:
            # Even when start-up failed: a leaked pool is finalised later, inside some other test.
            await app.bot_data.engine.dispose()

    async def tick(self) -> list[Call]:
        """One scheduler tick at the fake clock's time; returns the Bot API calls it made."""
        from bot.jobs.tick import run_tick

        start = len(self.world.calls)
        await run_tick(self.app.bot, self.app.bot_data)
        return self.world.calls[start:]

    async def deliver(self) -> list[Call]:
        """Process every update the world has queued; return the Bot API calls they caused."""
        start = len(self.world.calls)
        for raw in self.world.take_pending():
            update = Update.de_json(raw, self.app.bot)
            await self.app.process_update(update)
        return self.world.calls[start:]

    # --- people act; each returns the calls the bot made in answer

    async def text(self, user: FakeUser, chat: FakeChat, text: str, *, reply_to: int | None = None) -> list[Call]:
        self.world.send_text(user, chat, text, reply_to=reply_to)
        return await self.deliver()

    async def edit(self, user: FakeUser, chat: FakeChat, message_id: int, text: str) -> list[Call]:
        self.world.edit_text(user, chat, message_id, text)
        return await self.deliver()

    async def press(self, user: FakeUser, chat: FakeChat, message_id: int, data: str) -> list[Call]:
        self.world.press(user, chat, message_id, data)
        return await self.deliver()

    async def press_button(self, user: FakeUser, chat: FakeChat, message_id: int, label: str) -> list[Call]:
        self.world.press_button(user, chat, message_id, label)
        return await self.deliver()

    async def document(
        self,
        user: FakeUser,
        chat: FakeChat,
        content: bytes,
        file_name: str,
        mime_type: str | None = None,
        *,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> list[Call]:
        self.world.send_document(user, chat, content, file_name, mime_type, caption=caption, reply_to=reply_to)
        return await self.deliver()

    async def photo(
        self, user: FakeUser, chat: FakeChat, content: bytes, *, caption: str | None = None, reply_to: int | None = None
    ) -> list[Call]:
        self.world.send_photo(user, chat, content, caption=caption, reply_to=reply_to)
        return await self.deliver()

    async def sticker(self, user: FakeUser, chat: FakeChat) -> list[Call]:
        self.world.send_sticker(user, chat)
        return await self.deliver()

    async def add_bot(self, chat: FakeChat, by: FakeUser, *, start_param: str | None = None) -> list[Call]:
        self.world.add_bot(chat, by, start_param=start_param)
        return await self.deliver()

    async def remove_bot(self, chat: FakeChat, by: FakeUser, *, ban: bool = False) -> list[Call]:
        self.world.remove_bot(chat, by, ban=ban)
        return await self.deliver()

    # --- reading answers

    def last_text(self, chat: FakeChat) -> str:
        return str(self.world.last_bot_message(chat).get("text", ""))

    def last_message(self, chat: FakeChat) -> JSONDict:
        return self.world.last_bot_message(chat)

    @staticmethod
    def sent_texts(calls: list[Call]) -> list[str]:
        """Plain texts of the messages sent or edited in `calls` (as Telegram stored them)."""
        out: list[str] = []
        for call in calls:
            if call.ok and isinstance(call.result, dict) and "text" in call.result:
                out.append(str(call.result["text"]))
        return out

    @staticmethod
    def buttons(message: JSONDict) -> list[tuple[str, Any]]:
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data") or b.get("url")) for row in rows for b in row]
