"""Binding groups to units through one-time invite links; removal, rebinding and migration."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import texts
from bot.clock import FakeClock
from bot.config import Config, load_config
from bot.fakeapi import FakeChat, FakeTelegram, FakeUser
from bot.fakeapi.harness import Harness
from bot.fakeapi.htmltext import parse_html
from db.models import AuditLog, Unit, UnitChat
from tests.bot.conftest import ADMIN_ID

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    units = load_config(ROOT / "config.yaml").units
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=units)


@pytest.fixture
async def harness(config: Config, world: FakeTelegram, clock: FakeClock) -> AsyncIterator[Harness]:
    async with Harness.running(config, world, clock=clock) as h:
        yield h


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Quản trị")
    assert user.id == ADMIN_ID
    world.private(user)
    return user


async def invite(h: Harness, admin: FakeUser, unit: str) -> str:
    chat = h.world.private(admin)
    await h.text(admin, chat, f"/invite {unit}")
    match = re.search(r"startgroup=([A-Za-z0-9_-]+)", h.last_text(chat))
    assert match, h.last_text(chat)
    return match.group(1)


async def bindings(h: Harness) -> list[tuple[str, int, bool]]:
    async with h.app.bot_data.sessions() as s:
        rows = await s.execute(
            select(Unit.code, UnitChat.chat_id, UnitChat.active).join(Unit, Unit.id == UnitChat.unit_id)
        )
        return sorted((r[0], r[1], r[2]) for r in rows)


async def test_invite_link_binds_the_group_and_welcomes(harness: Harness, admin: FakeUser) -> None:
    h = harness
    token = await invite(h, admin, "Sở Y tế")
    assert f"https://t.me/{h.world.bot.username}?startgroup=" in h.last_text(h.world.private(admin))
    contact = h.world.user("Đầu mối Y tế")
    group = h.world.group("Sở Y tế", [contact], bot_member=False)
    await h.add_bot(group, contact, start_param=token)
    welcome = h.last_text(group)
    assert "Sở Y tế" in welcome and "trả lời (reply)" in welcome
    assert await bindings(h) == [("so_yte", group.id, True)]
    async with h.app.bot_data.sessions() as s:
        actions = set(await s.scalars(select(AuditLog.action)))
        assert {"invite.create", "binding.create"} <= actions


async def test_tokens_are_single_use_expire_and_cannot_be_forged(
    harness: Harness, admin: FakeUser, clock: FakeClock
) -> None:
    h = harness
    token = await invite(h, admin, "so_yte")
    a = h.world.user("A")
    first = h.world.group("Nhóm 1", [a], bot_member=False)
    other = h.world.group("Nhóm lạ", [a], bot_member=False)
    await h.add_bot(first, a, start_param=token)
    await h.add_bot(other, a, start_param=token)
    assert h.last_text(other) == parse_html(texts.BIND_ERRORS["used"])[0]
    late = await invite(h, admin, "Công an tỉnh")
    clock.advance(timedelta(hours=73))
    third = h.world.group("Nhóm 3", [a], bot_member=False)
    await h.add_bot(third, a, start_param=late)
    assert h.last_text(third) == parse_html(texts.BIND_ERRORS["expired"])[0]
    await h.text(a, third, f"/start@{h.world.bot.username} forgedtoken123")
    assert h.last_text(third) == parse_html(texts.BIND_ERRORS["unknown"])[0]
    assert await bindings(h) == [("so_yte", first.id, True)]


async def test_invite_needs_admin_and_a_known_unit(harness: Harness, admin: FakeUser) -> None:
    h = harness
    await h.text(admin, h.world.private(admin), "/invite")
    assert h.last_text(h.world.private(admin)) == parse_html(texts.INVITE_USAGE)[0]
    await h.text(admin, h.world.private(admin), "/invite Sở Ytế")
    assert "Có phải" in h.last_text(h.world.private(admin))
    await h.text(admin, h.world.private(admin), "/invite Sở Ngoại giao vũ trụ")
    assert "Không có đơn vị" in h.last_text(h.world.private(admin))
    stranger = h.world.user("Người lạ")
    await h.text(stranger, h.world.private(stranger), "/invite so_yte")
    assert h.last_text(h.world.private(stranger)) == parse_html(texts.INVITE_ADMIN_ONLY)[0]


async def test_rebinding_moves_the_unit_and_keeps_history(harness: Harness, admin: FakeUser) -> None:
    h = harness
    a = h.world.user("A")
    old = h.world.group("Cũ", [a], bot_member=False)
    new = h.world.group("Mới", [a], bot_member=False)
    await h.add_bot(old, a, start_param=await invite(h, admin, "so_yte"))
    await h.add_bot(new, a, start_param=await invite(h, admin, "so_yte"))
    assert "nhóm khác" in h.last_text(new)
    assert await bindings(h) == sorted([("so_yte", old.id, False), ("so_yte", new.id, True)])


async def test_removal_deactivates_and_alerts_admins(harness: Harness, admin: FakeUser) -> None:
    h = harness
    a = h.world.user("A")
    group = h.world.group("Công an tỉnh", [a], bot_member=False)
    await h.add_bot(group, a, start_param=await invite(h, admin, "cong_an"))
    await h.remove_bot(group, a, ban=True)
    assert await bindings(h) == [("cong_an", group.id, False)]
    alert = h.last_text(h.world.private(admin))
    assert "Công an tỉnh" in alert and "xoá khỏi nhóm" in alert


async def test_migration_keeps_the_binding_under_the_new_id(harness: Harness, admin: FakeUser) -> None:
    h = harness
    a = h.world.user("A")
    group: FakeChat = h.world.group("Sở TT&TT", [a], bot_member=False)
    await h.add_bot(group, a, start_param=await invite(h, admin, "so_tttt"))
    new = h.world.migrate(group, a)
    await h.deliver()
    assert await bindings(h) == [("so_tttt", new.id, True)]
