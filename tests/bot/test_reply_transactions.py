"""No Bot API call while a write transaction is open, on the reply and decision paths (both backends).

Every kind of answer a unit or a secretary gives goes through the real Application; the fake Bot
API checks, call by call, that the task making it holds no open transaction (tests/support/txwatch).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from bot import texts
from bot.config import Config
from fakeapi import FakeTelegram, FakeUser
from fakeapi.harness import Harness
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.replies import assignment_of, bind, notice_of, register
from tests.support.txwatch import TxWatch


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units())


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Lan", "Văn phòng")
    world.private(user)
    return user


async def test_the_watch_sees_a_call_made_inside_a_transaction(harness: Harness) -> None:
    watch = TxWatch(harness.app.bot_data.engine, harness.world)
    async with harness.app.bot_data.sessions() as s:
        await s.execute(text("SELECT 1"))
        await harness.app.bot.get_me()
    await harness.app.bot.get_me()
    assert watch.violations == ["getMe"]


async def test_no_bot_call_inside_a_transaction_on_any_answer_or_decision(harness: Harness, admin: FakeUser) -> None:
    h = harness
    group, contact = await bind(h, "so_yte")
    await register(h, ADMIN_ID, [("Sở Y tế rà soát, báo cáo kết quả.", ["so_yte"], date(2027, 3, 31))])
    await h.tick()
    watch = TxWatch(h.app.bot_data.engine, h.world)
    notice = notice_of(h, group)["message_id"]
    await h.press_button(contact, group, notice, texts.BTN_PROGRESS)  # toast, edit, prompt
    await h.text(contact, group, "40%", reply_to=h.last_message(group)["message_id"])  # the prompt's answer
    await h.press_button(contact, group, notice, texts.BTN_BLOCKED)
    sent = h.world.send_text(contact, group, "đang thực hiện 60%", reply_to=notice)
    await h.deliver()
    await h.edit(contact, group, sent["message"]["message_id"], "đang thực hiện 70%")  # an edited reply
    await h.text(contact, group, "còn chờ số liệu", reply_to=notice)  # follow-up: a reaction
    await h.press_button(contact, group, notice, texts.BTN_EXTEND)
    await h.text(contact, group, "30/6/2027", reply_to=h.last_message(group)["message_id"])
    await h.text(contact, group, "7 xong", reply_to=notice)
    await h.text(contact, group, "/report 999 xong")
    stranger = h.world.user("Người lạ")
    other = h.world.group("Nhóm khác", [stranger])
    await h.text(stranger, other, "/mytasks")
    await h.text(contact, group, "/mytasks")
    await h.text(contact, group, "đã hoàn thành", reply_to=notice)
    await h.tick()  # the confirmation request reaches the secretary
    private = h.world.private(admin)
    await h.press_button(admin, private, h.last_message(private)["message_id"], texts.BTN_RETURN)
    await h.text(admin, private, "Thiếu số liệu", reply_to=h.last_message(private)["message_id"])
    await h.text(contact, group, "đã hoàn thành", reply_to=notice)
    await h.tick()
    await h.press_button(admin, private, h.last_message(private)["message_id"], texts.BTN_CONFIRM)
    await h.text(contact, group, "xong rồi", reply_to=notice)  # stale now: kept as a note
    assert (await assignment_of(h, "so_yte")).status.value == "confirmed"
    assert watch.calls > 20
    assert watch.violations == []
