"""Unit names as people type them, in every command that takes one (issue 14, part 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot import texts
from bot.config import Config
from db.models import Person, Unit
from fakeapi import FakeChat, FakeTelegram, FakeUser
from fakeapi.harness import Harness
from fakeapi.htmltext import parse_html
from tests.bot.conftest import ADMIN_ID, directory_units


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units())


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Quản trị")
    assert user.id == ADMIN_ID
    return user


async def say(h: Harness, user: FakeUser, text: str) -> str:
    chat = h.world.private(user)
    await h.text(user, chat, text)
    return h.last_text(chat)


def offered(h: Harness, chat: FakeChat) -> dict[str, str]:
    """The unit buttons under the bot's last message: label -> callback data."""
    return {label: str(data) for label, data in h.buttons(h.last_message(chat))}


async def test_invite_takes_the_short_name_people_type(harness: Harness, admin: FakeUser) -> None:
    answer = await say(harness, admin, "/invite Ban Chỉ đạo phòng chống dịch")
    assert "startgroup=" in answer and "Ban Chỉ đạo phòng, chống dịch COVID-19 tỉnh" in answer
    assert "startgroup=" in await say(harness, admin, "/invite BCĐ")
    assert "Ủy ban nhân dân tỉnh" in await say(harness, admin, "/invite UBND tỉnh")


async def test_several_fitting_units_are_buttons_one_per_line(harness: Harness, admin: FakeUser) -> None:
    h, chat = harness, harness.world.private(admin)
    answer = await say(h, admin, "/invite Y tế")
    assert "startgroup=" not in answer
    assert "\n• Sở Y tế" in answer and "\n• Ngành Y tế tỉnh" in answer
    buttons = offered(h, chat)
    assert set(buttons) >= {"Sở Y tế", "Ngành Y tế tỉnh"}
    assert all(data.startswith("up|invite|") and len(data.encode()) <= 64 for data in buttons.values())
    await h.press_button(admin, chat, int(h.last_message(chat)["message_id"]), "Sở Y tế")
    assert "startgroup=" in h.last_text(chat) and "Sở Y tế" in h.last_text(chat)
    # A mistyped name gets its suggestions one per line, not joined with commas.
    answer = await say(h, admin, "/invite Sở Ytế")
    assert "Có phải" in answer and "\n• Sở Y tế" in answer


async def test_stats_unit_and_grant_accept_abbreviations(harness: Harness, admin: FakeUser) -> None:
    h = harness
    stats = await say(h, admin, "/stats UBND tỉnh")
    assert stats == parse_html(texts.STATS_NONE.format(unit="Ủy ban nhân dân tỉnh"))[0]
    detail = await say(h, admin, "/unit MTTQ")
    assert detail.startswith("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh")
    contact = h.world.user("Tuấn")
    h.world.private(contact)
    granted = await say(h, admin, f"/grant {contact.id} dau_moi So KH&ĐT")
    assert "Sở Kế hoạch và Đầu tư" in granted


async def test_grant_with_an_unclear_unit_asks_then_grants(harness: Harness, admin: FakeUser) -> None:
    h, chat = harness, harness.world.private(admin)
    contact = h.world.user("Hoa")
    h.world.private(contact)
    answer = await say(h, admin, f"/grant {contact.id} dau_moi Huyện ủy")
    assert "\n• Huyện ủy An Biên" in answer
    data = offered(h, chat)["Huyện ủy An Biên"]
    assert data.startswith("up|grant|") and data.endswith(f"|{contact.id}")
    await h.press(admin, chat, int(h.last_message(chat)["message_id"]), data)
    assert "Huyện ủy An Biên" in h.last_text(chat)
    async with h.app.bot_data.sessions() as s:
        person = await s.scalar(select(Person).where(Person.telegram_user_id == contact.id))
        unit = await s.scalar(select(Unit).where(Unit.name == "Huyện ủy An Biên"))
        assert person is not None and unit is not None and person.unit_id == unit.id


async def test_a_unit_button_checks_the_role_and_refuses_forgeries(harness: Harness, admin: FakeUser) -> None:
    h, chat = harness, harness.world.private(admin)
    await say(h, admin, "/invite Y tế")
    message_id = int(h.last_message(chat)["message_id"])
    data = offered(h, chat)["Sở Y tế"]
    await h.press(admin, chat, message_id, "up|invite|x|")
    assert "startgroup=" not in h.last_text(chat)
    stranger = h.world.user("Người lạ")
    await h.press(stranger, chat, message_id, data)
    assert "startgroup=" not in h.last_text(chat)


async def test_preview_offers_every_suggestion_of_an_unclear_name_and_quotes_names_with_commas(
    harness: Harness, admin: FakeUser
) -> None:
    h, chat = harness, harness.world.private(admin)
    text = (
        "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG\nSố: 12/UBND-VX\nV/v tăng cường phòng chống dịch\n"
        "Kiên Giang, ngày 05 tháng 3 năm 2026\n\n"
        "1. Giao Sở Y tế chủ trì, phối hợp với các sở, ngành liên quan triển khai tiêm chủng.\n"
        "2. Giao Sở Văn hóa chủ trì tuyên truyền.\n"
    )
    await h.text(admin, chat, "/newdirective")
    await h.text(admin, chat, text)
    await h.press_button(admin, chat, h.last_message(chat)["message_id"], texts.ND_BTN_DONE)
    preview = h.last_message(chat)
    picks = [label for label, _ in h.buttons(preview) if label.startswith("1: ")]
    # The parser ranks five units for "… liên quan"; all five are offered, not the first two.
    assert len(picks) == 5, picks
    shown = "\n".join(str(m.get("text", "")) for m in h.world.bot_messages(chat)[-3:])
    assert "có phải: “Sở Y tế” hay “" in shown and "”, “" not in shown
    # The fifth is as good a tap as the first.
    await h.press_button(admin, chat, preview["message_id"], picks[4])
    assert texts.ND_PICKED.format(unit=picks[4][3:], label="1")[:40] in "\n".join(
        str(c.params.get("text", "")) for c in h.world.calls[-6:] if c.method == "answerCallbackQuery"
    )
