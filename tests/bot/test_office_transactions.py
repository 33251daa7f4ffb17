"""No Bot API call while a write transaction is open, on the office's side (both backends).

The reply path has its own test (test_reply_transactions); this one drives every other command and
button an admin, a secretary or a group uses, through the real Application, and the fake Bot API
checks call by call that the task making it holds no open transaction (tests/support/txwatch).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot import texts
from bot.config import Config, SummarySettings
from fakeapi import FakeTelegram, FakeUser
from fakeapi.harness import Harness
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.replies import register
from tests.support.txwatch import TxWatch


@pytest.fixture
def config(db_url: str, tmp_path: Path, world: FakeTelegram) -> Config:
    channel = world.channel("Lãnh đạo")
    return Config(
        database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units(),
        summary=SummarySettings(channel_id=channel.id),
    )  # fmt: skip


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Lan", "Văn phòng")
    world.private(user)
    return user


def _buttons(h: Harness, message: dict[str, object]) -> list[str]:
    return [label for label, _data in h.buttons(message)]


async def test_no_bot_call_inside_a_transaction_on_the_office_side(harness: Harness, admin: FakeUser) -> None:
    h = harness
    watch = TxWatch(h.app.bot_data.engine, h.world)
    private = h.world.private(admin)
    for command in ("/start", "/whoami", "/help", "/units", "/unit Sở Y tế", "/people", "/audit"):
        await h.text(admin, private, command)
    # A group bound through an invite link, then detached and bound again.
    await h.text(admin, private, "/invite Sở Y tế")
    token = re.search(r"startgroup=([A-Za-z0-9_-]+)", h.last_text(private))
    assert token is not None
    member = h.world.user("Đầu mối Y tế")
    group = h.world.group("Sở Y tế", [member])
    await h.add_bot(group, member, start_param=token.group(1))
    await h.text(admin, private, "/unbind Sở Y tế")
    await h.text(admin, private, "/unit add test_unit | Đơn vị thử")
    await h.text(admin, private, f"/grant {member.id} thu_ky")
    await h.text(admin, private, f"/revoke {member.id}")
    # A directive, its detail and status buttons, reminders now, the summary and its post button.
    await register(h, ADMIN_ID, [("Sở Y tế rà soát, báo cáo kết quả.", ["so_yte"], date(2027, 3, 31))])
    await h.text(admin, private, "/directives")
    await h.text(admin, private, "/directive 1")
    detail = next(m for m in reversed(h.world.bot_messages(private)) if texts.DETAIL_BTN_CLOSE in _buttons(h, m))
    await h.press_button(admin, private, detail["message_id"], texts.DETAIL_BTN_CLOSE)
    await h.press_button(admin, private, detail["message_id"], texts.DETAIL_BTN_REOPEN)
    await h.text(admin, private, "/remind 1")
    await h.text(admin, private, "/summary")
    posted = next(m for m in reversed(h.world.bot_messages(private)) if texts.SUMMARY_BTN_POST in _buttons(h, m))
    await h.press_button(admin, private, posted["message_id"], texts.SUMMARY_BTN_POST)
    await h.text(admin, private, "/stats Sở Y tế")
    await h.text(admin, private, "/export")
    await h.remove_bot(group, member)
    assert watch.calls > 30
    assert watch.violations == []
