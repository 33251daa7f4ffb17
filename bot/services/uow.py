"""The unit of work: a use case runs in one session, and a write commits before anything is sent.

Handlers call `read` or `write` with a service function (or open `unit_of_work` on the reply
path); they never commit themselves, so no Telegram call happens while a write transaction is open
(the handler sends after `write` returns).

Every SQLite write transaction is BEGIN IMMEDIATE (the write lock). With updates of many chats in
flight, a transaction that meets a held lock retries with growing sleeps (db/sqlite_inline.py), and
under load those sleeps, not the work, set the pace. Queuing on an asyncio.Lock instead hands the
lock over the moment the previous transaction ends. PostgreSQL needs no such turn.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

if TYPE_CHECKING:
    from bot.context import BotServices

P = ParamSpec("P")
T = TypeVar("T")
Sessions = async_sessionmaker[AsyncSession]

# True while a write unit of work is open in this task: tests assert no Bot API call sees it set.
in_write: ContextVar[bool] = ContextVar("dondoc_in_write", default=False)
_turns: weakref.WeakKeyDictionary[Any, asyncio.Lock] = weakref.WeakKeyDictionary()


def _turn(engine: AsyncEngine | None) -> asyncio.Lock | None:
    """The in-process queue of SQLite write transactions of one engine (None: PostgreSQL)."""
    if engine is None or engine.dialect.name != "sqlite":
        return None
    turn = _turns.get(engine)
    if turn is None:
        turn = _turns[engine] = asyncio.Lock()
    return turn


@asynccontextmanager
async def unit_of_work(services: BotServices) -> AsyncIterator[AsyncSession]:
    """A session whose transaction waits its turn in-process on SQLite."""
    turn = _turn(services.engine)
    if turn is None:
        async with services.sessions() as session:
            yield session
        return
    async with turn, services.sessions() as session:
        yield session


async def read(
    sessions: Sessions, use_case: Callable[Concatenate[AsyncSession, P], Awaitable[T]], *args: P.args, **kw: P.kwargs
) -> T:
    """Run a reading use case in its own session (nothing is committed)."""
    async with sessions() as session:
        return await use_case(session, *args, **kw)


async def write(
    sessions: Sessions, use_case: Callable[Concatenate[AsyncSession, P], Awaitable[T]], *args: P.args, **kw: P.kwargs
) -> T:
    """Run a use case that changes data and commit it; on an exception nothing is kept."""
    bind = sessions.kw.get("bind")
    turn = _turn(bind if isinstance(bind, AsyncEngine) else None)
    token = in_write.set(True)
    try:
        if turn is None:
            return await _commit(sessions, use_case, *args, **kw)
        async with turn:
            return await _commit(sessions, use_case, *args, **kw)
    finally:
        in_write.reset(token)


async def _commit(
    sessions: Sessions, use_case: Callable[Concatenate[AsyncSession, P], Awaitable[T]], *args: P.args, **kw: P.kwargs
) -> T:
    async with sessions() as session:
        result = await use_case(session, *args, **kw)
        await session.commit()
        return result
