"""Ongoing duties through the real Application: a unit's 60% shows in /stats and in the summary."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot import texts
from bot.config import Config
from fakeapi import FakeTelegram, FakeUser
from fakeapi.harness import Harness
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.flows import assignment, bind, notice_of, register


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units())


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Lan", "Văn phòng")
    world.private(user)
    return user


async def test_a_unit_reporting_60_percent_on_an_ongoing_duty_is_not_shown_as_idle(
    harness: Harness, admin: FakeUser
) -> None:
    h = harness
    yte, tc = await bind(h, "so_yte"), await bind(h, "so_taichinh")
    contact = h.world.user("Đầu mối Sở Y tế")
    # A directive with both kinds: duty 1 has a deadline, duty 2 is ongoing for two units.
    await register(h, [("Rà soát cơ sở cách ly.", ["so_yte"], date(2027, 1, 15)),
                       ("Theo dõi tình hình dịch.", ["so_yte", "so_taichinh"], None)])  # fmt: skip
    await h.tick()
    ongoing = await assignment(h, "so_yte", 2)
    await h.text(contact, yte, f"[{ongoing.id}] đang thực hiện 60%", reply_to=notice_of(h, yte)["message_id"])
    assert notice_of(h, tc)  # the other unit got its notice and stays silent

    private = h.world.private(admin)
    await h.text(admin, private, "/stats Sở Y tế")
    stats = h.last_text(private)
    assert "Thường xuyên (không có hạn): 1 lượt · đã báo cáo trong kỳ 1" in stats
    assert "tỷ lệ phản hồi 100%" in stats and "đạt 60%" in stats

    await h.text(admin, private, "/summary")
    text = "\n".join(str(m.get("text", "")) for m in h.world.bot_messages(private))
    assert "1046-CV/TU nv 2 — Sở Y tế: đã báo cáo ngày 23/11/2026, đạt 60%" in text
    assert "1046-CV/TU nv 2 — Sở Tài chính: chưa báo cáo lần nào (đã giao 0 ngày)" in text
    assert "đã báo cáo trong kỳ 1 · báo hoàn thành, chờ xác nhận 0" in text and "tỷ lệ phản hồi 50%" in text


async def test_an_ongoing_duty_reported_done_waits_then_shows_confirmed_apart_from_the_others(
    harness: Harness, admin: FakeUser
) -> None:
    h = harness
    yte, tc = await bind(h, "so_yte"), await bind(h, "so_taichinh")
    await register(h, [("Theo dõi tình hình dịch.", ["so_yte", "so_taichinh"], None)])
    await h.tick()
    contact = h.world.user("Đầu mối Sở Tài chính")
    await h.press_button(contact, tc, notice_of(h, tc)["message_id"], texts.BTN_DONE)
    assert notice_of(h, yte)  # Sở Y tế stays silent
    private = h.world.private(admin)

    async def summary_text() -> str:
        start = len(h.world.bot_messages(private))
        await h.text(admin, private, "/summary")
        return "\n".join(str(m.get("text", "")) for m in h.world.bot_messages(private)[start:])

    waiting = await summary_text()
    assert "đã báo cáo trong kỳ 0 · báo hoàn thành, chờ xác nhận 1" in waiting and "tỷ lệ phản hồi 50%" in waiting
    await h.tick()  # the confirmation request reaches the admin (no secretary registered)
    request = next(m for m in reversed(h.world.bot_messages(private)) if Harness.buttons(m))
    await h.press_button(admin, private, request["message_id"], texts.BTN_CONFIRM)
    confirmed = await summary_text()
    assert "báo hoàn thành, chờ xác nhận 0" in confirmed and "đã xác nhận hoàn thành 1" in confirmed
    assert "1046-CV/TU nv 1 — Sở Y tế: chưa báo cáo lần nào" in confirmed
