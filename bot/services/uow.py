"""The reply path's unit of work: a session whose transaction waits its turn in-process on SQLite.

Every SQLite transaction here is BEGIN IMMEDIATE (the write lock). With updates of many chats in
flight, a transaction that meets a held lock retries with growing sleeps (db/sqlite_inline.py), and
under load those sleeps, not the work, set the pace. Queuing on an asyncio.Lock instead hands the
lock over the moment the previous transaction ends. PostgreSQL needs no such turn.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

if TYPE_CHECKING:
    from bot.context import BotServices

_turns: weakref.WeakKeyDictionary[AsyncEngine, asyncio.Lock] = weakref.WeakKeyDictionary()


@asynccontextmanager
async def unit_of_work(services: BotServices) -> AsyncIterator[AsyncSession]:
    engine = services.engine
    if engine.dialect.name != "sqlite":
        async with services.sessions() as session:
            yield session
        return
    turn = _turns.get(engine)
    if turn is None:
        turn = _turns[engine] = asyncio.Lock()
    async with turn, services.sessions() as session:
        yield session
