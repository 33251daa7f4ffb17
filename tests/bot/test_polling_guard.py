"""bot/polling.py against the fake Bot API: a slow upload is parked while other chats are answered,
and an update that killed the process twice is set aside instead of replayed forever."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import texts
from bot.app import ALLOWED_UPDATES
from bot.clock import FakeClock
from bot.config import Config
from bot.runtime.polling import poll
from bot.runtime.update_guard import UpdateJournal
from db.models import AuditLog
from fakeapi import FakeTelegram
from fakeapi.harness import Harness
from tests.bot.conftest import ADMIN_ID
from tests.support.bombs import pdf_slow_page


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, extract_timeout_s=2)


@pytest.fixture
async def harness(config: Config, world: FakeTelegram, clock: FakeClock) -> AsyncIterator[Harness]:
    async with Harness.running(config, world, clock=clock) as h:
        yield h


async def _until(condition: object, seconds: float) -> float:
    started = time.perf_counter()
    while not condition():  # type: ignore[operator]
        assert time.perf_counter() - started < seconds, "timed out"
        await asyncio.sleep(0.02)
    return time.perf_counter() - started


async def test_a_slow_upload_is_parked_and_other_chats_go_on(harness: Harness, tmp_path: Path) -> None:
    h = harness
    admin, other = h.world.user("Lan", "Nguyễn"), h.world.user("Minh", "Trần")
    chat, other_chat = h.world.private(admin), h.world.private(other)
    stop = asyncio.Event()
    journal = UpdateJournal(tmp_path / "journal.json")
    polling = asyncio.ensure_future(poll(h.app, stop, allowed_updates=ALLOWED_UPDATES, poll_timeout=1, journal=journal))
    h.world.send_text(admin, chat, "/newdirective")
    await _until(lambda: h.world.bot_messages(chat), 5)
    h.world.send_document(admin, chat, pdf_slow_page(8), "cham.pdf", "application/pdf")
    h.world.send_text(admin, chat, "Phần một")  # same chat: must wait for the file
    await asyncio.sleep(0.5)
    h.world.send_text(other, other_chat, "/whoami")
    waited = await _until(lambda: h.world.bot_messages(other_chat), 5)
    assert waited < 1
    assert len(h.world.bot_messages(chat)) == 1  # the file is still being read
    await _until(lambda: len(h.world.bot_messages(chat)) == 3, 10)
    said = [m["text"] for m in h.world.bot_messages(chat)[1:]]
    assert said[0].startswith("Đọc tệp mất quá lâu") and "1 phần" in said[1]  # in order
    stop.set()
    await polling
    assert not h.world.pending  # everything confirmed
    assert json.loads((tmp_path / "journal.json").read_text()) == {}


@pytest.mark.parametrize("crashes", [1, 2])
async def test_an_update_that_killed_the_bot_twice_is_set_aside(harness: Harness, tmp_path: Path, crashes: int) -> None:
    h = harness
    admin = h.world.user("Lan", "Nguyễn")
    assert admin.id == ADMIN_ID
    sender = h.world.user("Minh", "Trần")
    chat = h.world.private(sender)
    h.world.send_text(sender, chat, "/whoami")
    update_id = int(h.world.pending[-1]["update_id"])
    # As the dead processes left it: handling began `crashes` times and never ended.
    (tmp_path / "journal.json").write_text(json.dumps({str(update_id): crashes}))
    stop = asyncio.Event()
    journal = UpdateJournal(tmp_path / "journal.json")
    polling = asyncio.ensure_future(poll(h.app, stop, allowed_updates=ALLOWED_UPDATES, poll_timeout=1, journal=journal))
    admin_chat = h.world.private(admin)
    if crashes == 1:  # one more try
        await _until(lambda: h.world.bot_messages(chat), 5)
        assert not h.world.bot_messages(admin_chat)
    else:
        await _until(lambda: h.world.bot_messages(admin_chat), 5)
        notice = h.world.bot_messages(admin_chat)[-1]["text"]
        assert f"update_id {update_id}" in notice and "2 lần" in notice
        assert not h.world.bot_messages(chat)  # not handled
    stop.set()
    await polling
    assert not h.world.pending  # confirmed either way: never replayed again
    assert json.loads((tmp_path / "journal.json").read_text()) == {}
    async with h.app.bot_data.sessions() as s:
        rows = list(await s.scalars(select(AuditLog).where(AuditLog.action == "update.set_aside")))
    assert len(rows) == (crashes == 2)
    if rows:
        assert rows[0].entity_id == str(update_id) and rows[0].actor_user_id == sender.id
    assert texts.UPDATE_SET_ASIDE
