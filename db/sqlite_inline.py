"""SQLite for asyncio, without a thread hop per call.

aiosqlite runs every call (cursor, execute, fetch, close, commit) on a worker thread and wakes
the event loop when it is done. A call on a local WAL database takes microseconds, so the hops
are nearly all of the cost: measured here, one small transaction takes 3.3 ms through aiosqlite
and 0.08 ms through sqlite3 directly. This module gives SQLAlchemy's aiosqlite dialect (through
its public `async_creator` hook) a connection with aiosqlite's interface that calls sqlite3
inline, on the event loop's thread.

Running inline must never block the loop on a lock. So sqlite3's own busy handler is off
(`busy_timeout=0`), and a statement that meets SQLITE_BUSY is retried here with `asyncio.sleep`,
letting whoever holds the lock (possibly a coroutine of this very loop) finish first. A retry is
only safe where SQLite's own busy handler would retry: a statement that opens its transaction
(BEGIN IMMEDIATE), a read, or COMMIT. Large reads (the weekly summary, exports) run on a worker
thread instead, inside `offloaded()`, so they do not stall the updates of everyone else.
"""

from __future__ import annotations

import asyncio
import contextvars
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

_offload: contextvars.ContextVar[bool] = contextvars.ContextVar("dondoc_sqlite_offload", default=False)
_FIRST_RETRY_S = 0.001
_MAX_RETRY_S = 0.05


@contextmanager
def offloaded() -> Iterator[None]:
    """Statements run inside this block go to a worker thread (for big reads)."""
    token = _offload.set(True)
    try:
        yield
    finally:
        _offload.reset(token)


def _busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return bool(code & 0xFF == sqlite3.SQLITE_BUSY)
    return "locked" in str(exc)


def _is_read(sql: str) -> bool:
    head = sql.lstrip()[:7].upper()
    return head.startswith(("SELECT", "PRAGMA", "WITH"))


class InlineConnection:
    """The subset of `aiosqlite.Connection` that SQLAlchemy's adapter uses."""

    def __init__(self, connection: sqlite3.Connection, busy_timeout: float) -> None:
        self._connection: sqlite3.Connection | None = connection  # the adapter tests its truth
        self._busy_timeout = busy_timeout

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        return self._connection

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    async def _run(self, fn: Callable[..., T], *args: Any, retry: bool) -> T:
        if _offload.get():
            return await asyncio.to_thread(self._retrying_sync, fn, args, retry)
        delay, deadline = _FIRST_RETRY_S, None
        loop = asyncio.get_running_loop()
        while True:
            try:
                return fn(*args)
            except sqlite3.OperationalError as exc:
                if not (retry and _busy(exc)):
                    raise
                deadline = deadline if deadline is not None else loop.time() + self._busy_timeout
                if loop.time() >= deadline:
                    raise
                await asyncio.sleep(delay)
                delay = min(delay * 2, _MAX_RETRY_S)

    def _retrying_sync(self, fn: Callable[..., T], args: tuple[Any, ...], retry: bool) -> T:
        # On a worker thread, blocking is fine: let SQLite's busy handler wait.
        conn = self._conn
        if retry:
            conn.execute(f"PRAGMA busy_timeout={int(self._busy_timeout * 1000)}")
        try:
            return fn(*args)
        finally:
            if retry:
                conn.execute("PRAGMA busy_timeout=0")

    def cursor(self) -> InlineCursor:
        return InlineCursor(self)

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> InlineCursor:
        cursor = self.cursor()
        await cursor.execute(sql, parameters)
        return cursor

    async def commit(self) -> None:
        # A COMMIT that meets SQLITE_BUSY leaves the transaction open, to be retried.
        await self._run(self._conn.commit, retry=True)

    async def rollback(self) -> None:
        await self._run(self._conn.rollback, retry=False)

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class InlineCursor:
    """The subset of `aiosqlite.Cursor` that SQLAlchemy's adapter uses."""

    def __init__(self, connection: InlineConnection) -> None:
        self._owner = connection
        self._cursor = connection._conn.cursor()

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> InlineCursor:
        # Opening a transaction, or reading, can wait for a lock as SQLite's busy handler would.
        retry = not self._owner.in_transaction or _is_read(sql)
        await self._owner._run(self._cursor.execute, sql, parameters, retry=retry)
        return self

    async def executemany(self, sql: str, seq_of_parameters: Any) -> InlineCursor:
        await self._owner._run(self._cursor.executemany, sql, seq_of_parameters, retry=False)
        return self

    async def fetchall(self) -> list[Any]:
        return await self._owner._run(self._cursor.fetchall, retry=False)

    async def fetchone(self) -> Any:
        return await self._owner._run(self._cursor.fetchone, retry=False)

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        n = self._cursor.arraysize if size is None else size
        return await self._owner._run(self._cursor.fetchmany, n, retry=False)

    async def close(self) -> None:
        self._cursor.close()

    async def __aiter__(self) -> AsyncIterator[Any]:
        while (row := await self.fetchone()) is not None:
            yield row


def creator(database: str, *, uri: bool = False, busy_timeout: float = 5.0) -> Callable[[], Any]:
    """An `async_creator` for `create_async_engine` (SQLAlchemy's aiosqlite dialect)."""

    async def connect() -> InlineConnection:
        # isolation_level=None: SQLAlchemy, not sqlite3, emits BEGIN (so it can be BEGIN IMMEDIATE).
        conn = sqlite3.connect(database, uri=uri, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout=0")
        return InlineConnection(conn, busy_timeout)

    return connect
