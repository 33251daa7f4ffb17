"""Catches a Bot API call made while the calling task holds an open database transaction.

The engine's own events say when a connection begins, commits or rolls back; each open transaction
is remembered with the asyncio task that began it. A hook on the fake Bot API then asks, for every
call, whether the task making it still has one open. On SQLite every transaction is BEGIN IMMEDIATE,
so an open one holds the write lock; on PostgreSQL it may hold row locks.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from fakeapi.world import FakeTelegram


class TxWatch:
    def __init__(self, engine: AsyncEngine, world: FakeTelegram) -> None:
        self.open: dict[int, asyncio.Task[Any] | None] = {}
        self.violations: list[str] = []
        self.calls = 0
        sync = engine.sync_engine
        event.listen(sync, "begin", self._begin)
        event.listen(sync, "commit", self._end)
        event.listen(sync, "rollback", self._end)
        call = world.call

        async def watched(method: str, params: dict[str, Any], files: Any = None) -> Any:
            self.calls += 1
            if self.in_transaction():
                self.violations.append(method)
            return await call(method, params, files)

        world.call = watched  # type: ignore[method-assign]

    def _begin(self, conn: Connection) -> None:
        self.open[id(conn)] = _task()

    def _end(self, conn: Connection) -> None:
        self.open.pop(id(conn), None)

    def in_transaction(self) -> bool:
        me = _task()
        return me is not None and any(task is me for task in self.open.values())


def _task() -> asyncio.Task[Any] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None
