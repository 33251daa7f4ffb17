"""The unit of work: a use case runs in one session, and a write commits before anything is sent.

Handlers call `read` or `write` with a service function; they never open a session or commit, so
no Telegram call can happen while a write transaction is open (the handler sends after `write`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

P = ParamSpec("P")
T = TypeVar("T")
Sessions = async_sessionmaker[AsyncSession]

# True while a write unit of work is open in this task: tests assert no Bot API call sees it set.
in_write: ContextVar[bool] = ContextVar("dondoc_in_write", default=False)


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
    token = in_write.set(True)
    try:
        async with sessions() as session:
            result = await use_case(session, *args, **kw)
            await session.commit()
            return result
    finally:
        in_write.reset(token)
