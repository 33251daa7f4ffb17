"""Truthful failure, nothing lost: a unit's answer that meets a full disk, a locked or an unreachable
database is told "not saved yet, will be saved", kept in the local spool, and stored exactly once when
the fault clears, through the real Application and the fake Bot API, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text
from telegram import Update

from bot import texts
from bot.clock import FakeClock
from bot.config import Config
from bot.domain.enums import AssignmentStatus, ReportKind
from bot.runtime import spool_replay
from db.models import StatusReport
from fakeapi import FakeTelegram
from fakeapi.harness import Harness
from fakeapi.htmltext import parse_html
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.flows import assignment, setup_one
from tests.support.pg import PgCluster

LONG = "vướng mắc: " + "thiếu kinh phí, chờ hướng dẫn của Sở Tài chính; " * 80  # needs new pages


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units())


def plain(html: str) -> str:
    return parse_html(html)[0]


async def replayed(h: Harness, within: float = 30.0) -> None:
    replayer = spool_replay._replayer(h.app)
    assert replayer is not None
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while replayer.spool.records and loop.time() < end:
        replayer.wake.set()
        await asyncio.sleep(0.2)
    assert not replayer.spool.records, "the spool was not replayed after the fault cleared"


@asynccontextmanager
async def sqlite_disk_full(h: Harness) -> AsyncIterator[None]:
    """SQLITE_FULL, the error a full disk gives: no page may be added to the file."""
    engine = h.app.bot_data.engine

    def cap(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA max_page_count=1")  # clamped to the current size: nothing can grow
        cursor.close()

    event.listen(engine.sync_engine, "connect", cap)
    await engine.dispose()
    try:
        yield
    finally:
        event.remove(engine.sync_engine, "connect", cap)
        await engine.dispose()


@asynccontextmanager
async def sqlite_locked(h: Harness, db_path: Path) -> AsyncIterator[None]:
    """Another process holds the write lock longer than the busy timeout."""
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@asynccontextmanager
async def pg_disk_full(h: Harness) -> AsyncIterator[None]:
    """SQLSTATE 53100 (disk_full), as PostgreSQL answers when it cannot extend a file."""
    async with h.app.bot_data.engine.begin() as conn:
        await conn.execute(text(
            "CREATE FUNCTION disk_full() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION "
            "'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$ LANGUAGE plpgsql"
        ))  # fmt: skip
        await conn.execute(text(
            "CREATE TRIGGER disk_full BEFORE INSERT OR UPDATE ON status_reports "
            "FOR EACH ROW EXECUTE FUNCTION disk_full()"
        ))  # fmt: skip
    try:
        yield
    finally:
        async with h.app.bot_data.engine.begin() as conn:
            await conn.execute(text("DROP TRIGGER disk_full ON status_reports"))


async def answer_through_fault(h: Harness, fault: Callable[[], Any], *, reads_work: bool) -> None:
    group, contact, notice, a = await setup_one(h, "so_yte")
    other_group, other_contact, _n, _a = await setup_one(h, "so_taichinh")
    h.world.send_text(contact, group, LONG, reply_to=notice["message_id"])
    [raw_reply] = h.world.take_pending()
    async with fault():
        await h.app.process_update(Update.de_json(raw_reply, h.app.bot))
        assert h.last_text(group) == plain(texts.STORE_DEFERRED)
        # A tap from the same chat during the fault: kept behind the reply, in order.
        calls = await h.press_button(contact, group, notice["message_id"], texts.BTN_DONE)
        assert any(c.params.get("text") == texts.STORE_DEFERRED_ALERT for c in calls)
        # Other chats are served at once, not held behind the spooled updates.
        started = asyncio.get_running_loop().time()
        await h.text(other_contact, other_group, "/mytasks")
        assert asyncio.get_running_loop().time() - started < 10
        if reads_work:
            assert "so_taichinh" in h.last_text(other_group) or "[" in h.last_text(other_group)
        else:
            assert h.last_text(other_group) == plain(texts.STORE_DEFERRED)
    await replayed(h)
    # Telegram redelivers the reply as well (a crash before its offset was confirmed): stored once.
    await h.app.process_update(Update.de_json(raw_reply, h.app.bot))
    async with h.app.bot_data.sessions() as s:
        reports = list(await s.scalars(select(StatusReport).where(StatusReport.assignment_id == a.id)))
    by_kind = sorted(r.kind for r in reports)
    assert by_kind == sorted([ReportKind.BLOCKED, ReportKind.DONE]), by_kind
    assert sum(1 for r in reports if r.message_id == raw_reply["message"]["message_id"]) == 1
    assert (await assignment(h, "so_yte")).status == AssignmentStatus.REPORTED_DONE


async def test_disk_full_reply_is_kept_told_and_stored_once(harness: Harness, db_url: str) -> None:
    if db_url.startswith("sqlite"):
        await answer_through_fault(harness, lambda: sqlite_disk_full(harness), reads_work=True)
    else:
        await answer_through_fault(harness, lambda: pg_disk_full(harness), reads_work=True)


async def test_sqlite_locked_reply_is_kept_and_stored_once(harness: Harness, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    path = Path(db_url.split("///", 1)[1])
    await answer_through_fault(harness, lambda: sqlite_locked(harness, path), reads_work=False)


@pytest.mark.pg
async def test_postgresql_down_reply_is_kept_and_stored_once(tmp_path: Path) -> None:
    """The server itself stops (pg_ctl stop -m fast: clients cut off) and comes back on the same port."""
    cluster = PgCluster().start()
    try:
        url = cluster.url()
        config = Config(database_url=url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units())
        clock = FakeClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
        world = FakeTelegram(clock=clock.now)
        world.user("Admin")

        @asynccontextmanager
        async def down() -> AsyncIterator[None]:
            cluster.stop_server()
            try:
                yield
            finally:
                cluster.start_server()

        async with Harness.running(config, world, clock=clock) as h:
            await answer_through_fault(h, down, reads_work=False)
    finally:
        cluster.stop()
