"""The inline SQLite driver: waits for locks without blocking the event loop, and offloads big reads."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from db import sqlite_inline
from db.session import make_engine, make_session_factory


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'inline.sqlite3'}"


async def _create(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
    await engine.dispose()


async def test_a_writer_waits_for_another_coroutine_of_the_same_loop(url: str) -> None:
    await _create(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    order: list[str] = []
    holding = asyncio.Event()

    async def holder() -> None:
        async with sessions() as s:
            await s.execute(text("INSERT INTO t (v) VALUES ('first')"))  # BEGIN IMMEDIATE: the write lock
            order.append("holding")
            holding.set()
            await asyncio.sleep(0.2)  # the loop must keep running meanwhile
            await s.commit()
            order.append("released")

    async def waiter() -> None:
        await holding.wait()
        async with sessions() as s:
            await s.execute(text("INSERT INTO t (v) VALUES ('second')"))
            await s.commit()
            order.append("second")

    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while len(order) < 3:
            ticks += 1
            await asyncio.sleep(0.01)

    await asyncio.wait_for(asyncio.gather(holder(), waiter(), ticker()), 5)
    assert order == ["holding", "released", "second"]
    assert ticks >= 10  # the loop ran while the second writer waited
    async with sessions() as s:
        assert [v for (v,) in await s.execute(text("SELECT v FROM t ORDER BY id"))] == ["first", "second"]
    await engine.dispose()


async def test_a_writer_waits_for_another_process_then_times_out(url: str, tmp_path: Path) -> None:
    await _create(url)
    other = sqlite3.connect(tmp_path / "inline.sqlite3", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.15, other.commit).start()
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    async with sessions() as s:
        await s.execute(text("INSERT INTO t (v) VALUES ('after')"))
        await s.commit()
    # Held for good: the wait ends at the busy timeout with SQLite's own error, as busy_timeout would.
    other.execute("BEGIN IMMEDIATE")
    short = make_engine(url, async_creator=sqlite_inline.creator(str(tmp_path / "inline.sqlite3"), busy_timeout=0.1))
    with pytest.raises(OperationalError, match="locked"):
        async with make_session_factory(short)() as s:
            await s.execute(text("INSERT INTO t (v) VALUES ('never')"))
    other.rollback()
    other.close()
    async with sessions() as s:
        assert [v for (v,) in await s.execute(text("SELECT v FROM t"))] == ["after"]
    await engine.dispose()
    await short.dispose()


async def test_offloaded_reads_run_on_a_worker_thread(url: str) -> None:
    await _create(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    async with sessions() as s:
        await s.execute(text("INSERT INTO t (v) VALUES ('x'), ('y')"))
        await s.commit()
    threads: list[str] = []

    def spy(value: str) -> str:
        threads.append(threading.current_thread().name)
        return value

    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        assert isinstance(raw.driver_connection, sqlite_inline.InlineConnection)
        await raw.driver_connection.create_function("spy", 1, spy)
        with sqlite_inline.offloaded():
            rows = (await conn.execute(text("SELECT spy(v) FROM t ORDER BY id"))).all()
        await conn.execute(text("SELECT spy(v) FROM t"))
    assert [r[0] for r in rows] == ["x", "y"]
    main = threading.current_thread().name
    assert threads[:2] != [main, main] and threads[-1] == main
    await engine.dispose()
