"""Per-chat lanes through the real polling loop: chats concurrently, one chat in order, every reply
stored once however often Telegram delivers it, and buttons answered while a group's sends wait."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import pytest

from bot import texts
from bot.app import ALLOWED_UPDATES
from bot.config import Config
from bot.runtime.polling import poll
from bot.runtime.ratelimit import WindowRateLimiter
from bot.runtime.replyout import reply_out
from fakeapi import FakeChat, FakeUser
from fakeapi.harness import Harness
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.latency import add_latency
from tests.support.replies import bind, notice_of, register, report_count, reports_in_order

CODES = ["so_yte", "so_tttt", "so_noivu", "so_taichinh", "so_xaydung", "so_tuphap"]
ACK = "✅ Đã ghi nhận"


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units())


@asynccontextmanager
async def polling(h: Harness) -> AsyncIterator[None]:
    stop = asyncio.Event()
    task = asyncio.ensure_future(poll(h.app, stop, allowed_updates=ALLOWED_UPDATES, poll_timeout=1))
    try:
        yield
    finally:
        stop.set()
        await task


async def until(condition: Callable[[], bool], seconds: float) -> float:
    started = time.perf_counter()
    while not condition():
        assert time.perf_counter() - started < seconds, "timed out"
        await asyncio.sleep(0.01)
    return time.perf_counter() - started


async def groups(h: Harness, codes: list[str]) -> list[tuple[FakeChat, FakeUser, int]]:
    """Each unit's group, its member, and the message id of its notice."""
    bound = [await bind(h, code) for code in codes]
    await register(h, ADMIN_ID, [("Các sở rà soát, báo cáo kết quả.", codes, date(2027, 3, 31))])
    await h.tick()
    return [(g, m, notice_of(h, g)["message_id"]) for g, m in bound]


def acks(h: Harness, chat: FakeChat) -> int:
    return sum(str(m.get("text", "")).count(ACK) for m in h.world.bot_messages(chat))


async def test_chats_go_concurrently_and_each_chat_in_order(harness: Harness) -> None:
    h = harness
    found = await groups(h, CODES)
    add_latency(h.world, 0.1)  # each reply costs two round trips (ack, edit): 0.2 s one at a time
    busy, busy_member, busy_notice = found[0]
    async with polling(h):
        texts_sent = [f"đang thực hiện {p}%" for p in (10, 20, 30, 40, 50)]
        for text in texts_sent:
            h.world.send_text(busy_member, busy, text, reply_to=busy_notice)
        for group, member, notice in found[1:]:
            h.world.send_text(member, group, "đã hoàn thành", reply_to=notice)
        others = await until(lambda: all(acks(h, g) == 1 for g, _m, _n in found[1:]), 5)
        await until(lambda: acks(h, busy) == 5, 10)
    assert others < 1.0  # five chats one at a time would take 1 s and more, behind the busy chat's 1 s
    assert await reports_in_order(h, busy.id) == texts_sent


async def test_a_redelivered_update_is_stored_once(harness: Harness) -> None:
    h = harness
    [(group, member, notice)] = await groups(h, CODES[:1])
    add_latency(h.world, 0.02)
    raw = h.world.send_text(member, group, "đã hoàn thành", reply_to=notice)
    async with polling(h):
        await until(lambda: acks(h, group) == 1, 5)
    h.world.pending.append(raw)  # a restart before the offset was confirmed: Telegram sends it again
    async with polling(h):
        await until(lambda: not h.world.pending, 5)
    assert await report_count(h) == 1
    assert acks(h, group) == 1


async def test_every_reply_is_stored_exactly_once_with_latency(harness: Harness) -> None:
    h = harness
    found = await groups(h, CODES)
    add_latency(h.world, 0.03)
    raws = []
    for k in range(4):
        for group, member, notice in found:
            raws.append(h.world.send_text(member, group, f"ghi chú {k}: đang rà soát", reply_to=notice))
    async with polling(h):
        await until(lambda: not h.world.pending, 10)
        h.world.pending.extend(raws[:6])  # some delivered twice, as after a lost confirmation
        await until(lambda: not h.world.pending, 10)
    assert await report_count(h) == len(raws)
    for group, _m, _n in found:
        assert await reports_in_order(h, group.id) == [f"ghi chú {k}: đang rà soát" for k in range(4)]


async def test_a_button_is_answered_before_its_groups_sends_drain(harness: Harness) -> None:
    h = harness
    [(group, member, notice)] = await groups(h, CODES[:1])
    limiter = WindowRateLimiter(group=2, group_period=1.5)  # a small budget: the acks must queue
    h.app.bot._rate_limiter = limiter  # type: ignore[attr-defined]
    async with polling(h):
        for p in range(6):
            h.world.send_text(member, group, f"đang thực hiện {p * 10 + 5}%", reply_to=notice)
        started = time.perf_counter()
        for _ in range(500):  # stored at once, although most acknowledgements must wait
            if await report_count(h) == 6:
                break
            await asyncio.sleep(0.01)
        stored_in = time.perf_counter() - started
        h.world.press_button(member, group, notice, texts.BTN_DONE)
        toast = await until(lambda: bool(h.world.calls_to("answerCallbackQuery")), 2)
        assert acks(h, group) < 7  # the acknowledgements still wait for the group's budget
        await until(lambda: acks(h, group) == 6, 10)
    assert toast < 1.0 and stored_in < 1.0
    assert await report_count(h) == 7
    sent = [c for c in h.world.calls_to("sendMessage", group.id) if c.ok]
    assert len(sent) < 6  # coalesced: several answers in one message, none dropped
    await reply_out(h.app.bot, h.app.bot_data.extras).drain()
    edits = [c for c in h.world.calls_to("editMessageText", group.id) if c.ok]
    assert 1 <= len(edits) < 7  # the notice's edits kept only the latest state
    assert "chờ Văn phòng xác nhận" in h.world.messages[(group.id, notice)]["text"]
