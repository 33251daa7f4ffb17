"""The weekly summary through the real Application: posted once per period, with its chart and
workbook; /summary, /stats and /export on demand."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot import texts
from bot.clock import FakeClock
from bot.config import Config, SummarySettings
from bot.fakeapi import FakeTelegram, FakeUser
from bot.fakeapi.harness import Harness
from bot.fakeapi.models import JSONDict
from db.models import SummaryPost
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.bot.test_reminders import bind, local
from tests.bot.test_replies import notice_of, register


@pytest.fixture
def config(db_url: str, tmp_path: Path, world: FakeTelegram) -> Config:
    channel = world.channel("Tổng hợp Tỉnh ủy")
    return Config(
        database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units(),
        summary=SummarySettings(channel_id=channel.id),
    )  # fmt: skip


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Lan", "Văn phòng")
    world.private(user)
    return user


def channel_posts(world: FakeTelegram, chat_id: int) -> list[JSONDict]:
    # A channel post has no "from" (it is signed by the channel), so bot_messages() does not see it.
    return [m for (cid, mid), m in sorted(world.messages.items()) if cid == chat_id]


async def _scenario(h: Harness) -> None:
    group = await bind(h, "so_yte")
    contact = h.world.user("Đầu mối")
    await register(
        h,
        [
            ("Sở Y tế chủ trì rà soát.", ["so_yte"], date(2026, 11, 25)),
            ("Công an tỉnh chủ trì bảo đảm an ninh.", ["cong_an"], date(2026, 11, 20)),
        ],
    )
    await h.tick()
    await h.text(contact, group, "[1] vướng: thiếu kinh phí", reply_to=notice_of(h, group)["message_id"])


async def test_weekly_summary_is_posted_once_with_chart_and_workbook(
    harness: Harness, world: FakeTelegram, clock: FakeClock, config: Config
) -> None:
    h = harness
    channel = world.chats[config.summary.channel_id or 0]
    await _scenario(h)
    clock.set(local(2026, 11, 27, 15, 59))
    await h.tick()
    assert channel_posts(world, channel.id) == []
    clock.set(local(2026, 11, 27, 16, 0))  # Friday 16:00: due
    for _ in range(3):
        await h.tick()
    posts = channel_posts(world, channel.id)
    text = "\n".join(str(m.get("text", "")) for m in posts)
    assert text.startswith("📊 Tổng hợp tình hình thực hiện nhiệm vụ — tuần 23/11–29/11/2026")
    assert "<b>" not in text  # HTML was parsed, not shown
    assert "Quá hạn chưa hoàn thành: 2" in text and "Chưa báo cáo trong kỳ (1): Công an tỉnh" in text
    assert "thiếu kinh phí" in text
    photos = [m for m in posts if "photo" in m]
    documents = [m for m in posts if "document" in m]
    assert len(photos) == 1 and len(documents) == 1
    async with h.app.bot_data.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(SummaryPost)) == 1
    workbook = load_workbook(io.BytesIO(world.files[documents[0]["document"]["file_id"]].content))
    assert "Giao việc" in workbook.sheetnames


async def test_summary_stats_and_export_on_demand(harness: Harness, admin: FakeUser) -> None:
    h = harness
    await _scenario(h)
    private = h.world.private(admin)
    await h.text(admin, private, "/summary")
    assert any(str(m.get("text", "")).startswith("📊") for m in h.world.bot_messages(private))
    await h.text(admin, private, "/summary tháng 11")
    assert "tháng 11/2026" in "".join(str(m.get("text", "")) for m in h.world.bot_messages(private))
    await h.text(admin, private, "/summary kỳ nào đó")
    assert h.last_text(private).startswith("Chưa hiểu kỳ báo cáo")
    await h.text(admin, private, "/stats Công an tỉnh")
    assert "Công an tỉnh" in h.last_text(private) and "quá" in h.last_text(private)
    await h.text(admin, private, "/stats Sở Không Tồn Tại")
    assert "Sở Không Tồn Tại" in h.last_text(private)
    await h.text(admin, private, "/export quý 4")
    doc = h.last_message(private)
    assert doc["document"]["file_name"].endswith(".xlsx")


async def test_summary_needs_a_reader_role(harness: Harness, admin: FakeUser) -> None:
    h = harness
    stranger = h.world.user("Người lạ")
    chat = h.world.private(stranger)
    await h.text(stranger, chat, "/summary")
    assert "/summary" in h.last_text(chat) and texts.ROLE_NAMES["leader"] in h.last_text(chat)
