"""Per-chat lanes: updates of different chats are handled concurrently, one chat's in order.

Polling (bot/polling.py) and the webhook (bot/app.py) hand every update to `ChatLanes.submit`. An
update waits for the previous update of its own chat to end, then for one of `lanes` slots. A chat
whose update is slow (a document being read, a send waiting for its group's budget) thus holds only
its own later updates. Waiting updates take no slot, and `room()` bounds how many may wait.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Update

log = logging.getLogger("dondoc.lanes")
LANES = 32  # updates handled at once; SQLite serialises the writes, so more buys only network overlap
MAX_WAITING = 1000


def chat_key(update: Update) -> int | None:
    """The lane of an update: its chat, else its sender, else none (handled freely)."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class ChatLanes:
    def __init__(
        self, handle: Callable[[Update], Awaitable[None]], *, lanes: int | None = None, max_waiting: int = MAX_WAITING
    ) -> None:
        self._handle = handle
        self._slots = asyncio.Semaphore(lanes or LANES)
        self._max_waiting = max_waiting
        self._tails: dict[int, asyncio.Task[None]] = {}
        self.tasks: set[asyncio.Task[None]] = set()

    def submit(self, update: Update) -> asyncio.Task[None]:
        """Start handling `update` behind its chat's previous one; the task ends once it was handled."""
        key = chat_key(update)
        before = self._tails.get(key) if key is not None else None
        task = asyncio.ensure_future(self._run(update, before))
        self.tasks.add(task)
        if key is not None:
            self._tails[key] = task
        task.add_done_callback(lambda t: self._done(key, t))
        return task

    async def _run(self, update: Update, before: asyncio.Task[None] | None) -> None:
        if before is not None:
            await asyncio.wait({before})  # its exception is its own: handled (logged) there
        async with self._slots:
            try:
                await self._handle(update)
            except Exception:  # PTB's error handler saw handler errors; this is anything around them
                log.exception("event=update_failed update_id=%s", update.update_id)

    def _done(self, key: int | None, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if key is not None and self._tails.get(key) is task:
            del self._tails[key]

    async def room(self) -> None:
        """Wait while too many updates are taken and unfinished (a bound on memory, not on order)."""
        while len(self.tasks) >= self._max_waiting:
            await asyncio.wait(set(self.tasks), return_when=asyncio.FIRST_COMPLETED)

    async def drain(self) -> None:
        while self.tasks:
            await asyncio.wait(set(self.tasks))
