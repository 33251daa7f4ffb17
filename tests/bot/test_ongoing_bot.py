"""Ongoing duties through the real Application: a unit's 60% shows in /stats and in the summary."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.config import Config
from bot.fakeapi import FakeTelegram, FakeUser
from bot.fakeapi.harness import Harness
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.bot.test_reminders import bind
from tests.bot.test_replies import assignment, notice_of, register


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
