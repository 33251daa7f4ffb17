"""At-least-once with a bound: after a crash, what was never attempted goes out at once, what was in
flight waits out its lease and then says "(nhắc lại)", and a text reply to a copy the bot never
recorded maps to its duties through the copy's own buttons, for the replying chat's unit only."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot import texts
from bot.clock import FakeClock
from bot.config import Config
from bot.domain.enums import PingStatus, ReportKind
from bot.runtime.dispatch import IN_FLIGHT, LEASE
from db.models import Assignment, Ping, StatusReport, Unit
from fakeapi.harness import Harness
from fakeapi.models import Call, JSONDict, UploadedFile
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.flows import bind, register

CODES = ["so_yte", "so_taichinh", "so_noivu"]


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units())


async def ping_of(h: Harness, code: str) -> Ping:
    async with h.app.bot_data.sessions() as s:
        row = await s.scalar(
            select(Ping).join(Assignment, Assignment.id == Ping.assignment_id).join(Unit).where(Unit.code == code)
        )
        assert row is not None
        return row


async def test_only_what_was_in_flight_waits_and_its_resend_says_so(harness: Harness, clock: FakeClock) -> None:
    h = harness
    groups = {code: await bind(h, code) for code in CODES}
    await register(h, [(f"{c} chủ trì rà soát.", [c], None) for c in CODES])
    # A process died while sending so_yte's notice: leased and marked sending, outcome unknown.
    now = clock.now()
    async with h.app.bot_data.sessions() as s:
        inflight = (await ping_of(h, "so_yte")).id
        await s.execute(update(Ping).where(Ping.id == inflight).values(claimed_until=now + LEASE, sending_at=now))
        await s.commit()
    await h.tick()
    assert all(h.world.bot_messages(groups[c]) for c in CODES[1:])  # never attempted: sent at once
    assert not h.world.bot_messages(groups["so_yte"])  # in flight: waits for its lease
    clock.advance(LEASE)
    await h.tick()
    [resent] = h.world.bot_messages(groups["so_yte"])
    assert str(resent["text"]).splitlines()[0].endswith(texts.RESENT_MARK)
    assert not any(texts.RESENT_MARK in str(m["text"]) for c in CODES[1:] for m in h.world.bot_messages(groups[c]))
    ping = await ping_of(h, "so_yte")
    assert (ping.status, ping.sending_at, ping.message_id) == (PingStatus.SENT, None, resent["message_id"])
    assert 1 <= IN_FLIGHT <= 29


async def test_reply_to_an_unrecorded_copy_maps_through_its_buttons(harness: Harness) -> None:
    h = harness
    group = await bind(h, "so_yte")
    other = await bind(h, "so_taichinh")
    await register(h, [("so_yte chủ trì rà soát.", ["so_yte"], None)])
    await h.tick()
    [copy] = h.world.bot_messages(group)
    # The kill came after Telegram accepted it and before the commit: the bot has no record of it.
    async with h.app.bot_data.sessions() as s:
        await s.execute(update(Ping).values(status=PingStatus.PENDING, message_id=None, chat_id=None))
        await s.commit()
    contact = h.world.user("Đầu mối")
    await h.text(contact, group, "đã hoàn thành", reply_to=copy["message_id"])
    async with h.app.bot_data.sessions() as s:
        kinds = list(await s.scalars(select(StatusReport.kind)))
    assert kinds == [ReportKind.DONE]
    # The same buttons forwarded into another unit's group map to nothing there.
    h.world.messages[(other.id, copy["message_id"])] = {**copy, "chat": {"id": other.id, "type": "group"}}
    await h.text(h.world.user("Khác"), other, "đã hoàn thành", reply_to=copy["message_id"])
    assert h.last_text(other).startswith(texts.REPORT_UNKNOWN_MESSAGE.split("<")[0][:20])
    async with h.app.bot_data.sessions() as s:
        assert len(list(await s.scalars(select(StatusReport.kind)))) == 1


async def test_at_most_in_flight_sends_are_marked_or_on_the_wire(harness: Harness) -> None:
    """The bound a kill can repeat: never more than IN_FLIGHT notices on the wire at once, and never more
    messages marked sending in the database (what a kill at that moment leaves to be resent)."""
    h = harness
    codes = [u.code for u in directory_units()][: 2 * IN_FLIGHT + 3]
    groups = {code: await bind(h, code) for code in codes}
    await register(h, [(f"{c} chủ trì rà soát.", [c], None) for c in codes])
    chats = {g.id for g in groups.values()}
    inner = h.world.call
    on_wire, peak, marked = 0, 0, []

    async def slow(method: str, params: JSONDict, files: dict[str, UploadedFile] | None = None) -> Call:
        nonlocal on_wire, peak
        if method != "sendMessage" or params.get("chat_id") not in chats:
            return await inner(method, params, files)
        on_wire += 1
        peak = max(peak, on_wire)
        try:
            async with h.app.bot_data.sessions() as s:
                await s.connection(execution_options={"sqlite_deferred": True})
                sending = select(Ping.sending_at).where(Ping.status == PingStatus.PENDING, Ping.sending_at.is_not(None))
                marked.append(len(set(await s.scalars(sending))))
            await asyncio.sleep(0.02)  # a slow round trip: the sends pile up against the gate
            return await inner(method, params, files)
        finally:
            on_wire -= 1

    h.world.call = slow  # type: ignore[method-assign]
    await h.tick()
    assert all(h.world.bot_messages(g) for g in groups.values())
    assert peak == IN_FLIGHT  # the gate, not the number of chats, limits it
    assert 1 <= max(marked) <= IN_FLIGHT
