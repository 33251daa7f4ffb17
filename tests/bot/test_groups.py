"""Binding groups to units through one-time invite links; removal, rebinding and migration."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import texts
from bot.clock import FakeClock
from bot.config import Config
from db.models import AuditLog, Unit, UnitChat
from fakeapi import FakeChat, FakeTelegram, FakeUser
from fakeapi.harness import Harness
from fakeapi.htmltext import parse_html
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.flows import invite

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    units = directory_units()
    # A long flood window: the bucket must not leak a slot while a loaded machine works through a burst.
    return Config(
        database_url=db_url,
        admins=[ADMIN_ID],
        config_dir=tmp_path,
        units=units,
        bind_hint_delay_s=0.05,
        flood_window_s=3600,
    )


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Quản trị")
    assert user.id == ADMIN_ID
    world.private(user)
    return user




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


def refusal(key: str) -> str:
    """A failed link in a group that serves no unit: why, and how to get a link, in one message."""
    return parse_html(texts.BIND_ERRORS[key] + "\n\n" + texts.GROUP_NOT_BOUND)[0]


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
    assert h.last_text(other) == refusal("used")
    late = await invite(h, admin, "Công an tỉnh")
    clock.advance(timedelta(hours=73))
    third = h.world.group("Nhóm 3", [a], bot_member=False)
    await h.add_bot(third, a, start_param=late)
    assert h.last_text(third) == refusal("expired")
    await h.text(a, third, f"/start@{h.world.bot.username} forgedtoken123")
    assert h.last_text(third) == refusal("unknown")
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
    refusal = h.last_text(h.world.private(stranger))
    assert "/invite" in refusal and texts.ROLE_NAMES["admin"] in refusal and str(stranger.id) in refusal
    assert "lỗi" not in refusal.lower()


async def test_rebinding_moves_the_unit_and_keeps_history(harness: Harness, admin: FakeUser) -> None:
    h = harness
    a = h.world.user("A")
    old = h.world.group("Cũ", [a], bot_member=False)
    new = h.world.group("Mới", [a], bot_member=False)
    await h.add_bot(old, a, start_param=await invite(h, admin, "so_yte"))
    await h.add_bot(new, a, start_param=await invite(h, admin, "so_yte"))
    assert "nhóm khác" in h.last_text(new)
    assert await bindings(h) == sorted([("so_yte", old.id, False), ("so_yte", new.id, True)])


async def test_a_member_cannot_move_a_bound_group_to_another_unit(harness: Harness, admin: FakeUser) -> None:
    h = harness
    member = h.world.user("Thành viên")
    group = h.world.group("Sở Y tế", [member], bot_member=False)
    await h.add_bot(group, member, start_param=await invite(h, admin, "so_yte"))
    foreign = await invite(h, admin, "cong_an")  # live: only the group it was meant for may use it
    await h.text(member, group, f"/start@{h.world.bot.username} {foreign}")
    assert h.last_text(group) == parse_html(texts.BIND_ERRORS["bound_elsewhere"])[0]
    assert await bindings(h) == [("so_yte", group.id, True)]
    police = h.world.group("Công an tỉnh", [member], bot_member=False)
    await h.add_bot(police, member, start_param=foreign)  # the refusal did not use the link up
    assert await bindings(h) == sorted([("so_yte", group.id, True), ("cong_an", police.id, True)])


async def test_an_admin_moves_a_group_to_another_unit_keeping_history(harness: Harness, admin: FakeUser) -> None:
    h = harness
    member = h.world.user("Thành viên")
    group = h.world.group("Nhóm chung", [member, admin], bot_member=False)
    await h.add_bot(group, member, start_param=await invite(h, admin, "so_yte"))
    await h.text(admin, group, f"/start@{h.world.bot.username} {await invite(h, admin, 'cong_an')}")
    welcome = h.last_text(group)
    assert "Công an tỉnh" in welcome
    assert parse_html(texts.BIND_TAKEN_OVER.format(unit="Sở Y tế"))[0].strip() in welcome
    assert await bindings(h) == sorted([("so_yte", group.id, False), ("cong_an", group.id, True)])
    async with h.app.bot_data.sessions() as s:
        rows = await s.execute(select(AuditLog.action, Unit.code).join(Unit, Unit.id == AuditLog.unit_id))
        actions = [(r[0], r[1]) for r in rows if r[0].startswith("binding.")]
    assert actions[-2:] == [("binding.moved_away", "so_yte"), ("binding.create", "cong_an")]


async def test_whoami_in_a_bound_group_names_the_groups_unit(harness: Harness, admin: FakeUser) -> None:
    h = harness
    member = h.world.user("Thành viên")
    group = h.world.group("Nhóm <i>Y tế</i>", [member], bot_member=False)
    await h.add_bot(group, member, start_param=await invite(h, admin, "so_yte"))
    await h.text(member, group, f"/whoami@{h.world.bot.username}")
    answer = h.last_text(group)
    assert parse_html(texts.WHOAMI_GROUP_UNIT.format(unit="Sở Y tế"))[0].strip() in answer
    assert str(member.id) in answer and texts.NO_ROLE in answer


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


async def _settle(h: Harness) -> None:
    """Let the JobQueue's delayed "no link" check run (real time: PTB's scheduler owns the clock)."""
    import asyncio

    await asyncio.sleep(0.3)


async def test_added_without_a_link_says_how_to_get_one(harness: Harness, admin: FakeUser) -> None:
    h = harness
    a = h.world.user("A")
    group = h.world.group("Nhóm lạ", [a], bot_member=False)
    assert await h.add_bot(group, a) == []  # nothing at once: a link's /start may still be on its way
    await _settle(h)
    for _ in range(50):  # a loaded machine may run the delayed job late
        if h.world.bot_messages(group):
            break
        await _settle(h)
    assert h.last_text(group) == parse_html(texts.ADDED_WITHOUT_LINK)[0]
    assert await bindings(h) == []


@pytest.mark.parametrize("token", ["expired", "used", "unknown"])
async def test_a_link_that_fails_gets_one_clear_message(
    harness: Harness, admin: FakeUser, clock: FakeClock, token: str
) -> None:
    h = harness
    a = h.world.user("A")
    param = await invite(h, admin, "so_yte")
    if token == "used":
        await h.add_bot(h.world.group("Nhóm trước", [a], bot_member=False), a, start_param=param)
    elif token == "expired":
        clock.advance(timedelta(hours=73))
    else:
        param = "B" * 32
    group = h.world.group("Nhóm mới", [a], bot_member=False)
    await h.add_bot(group, a, start_param=param)
    await _settle(h)  # the delayed "no link" hint must not follow the refusal
    assert [m["text"] for m in h.world.bot_messages(group)] == [refusal(token)]


async def test_a_link_whose_start_arrives_first_gets_no_hint(harness: Harness, admin: FakeUser) -> None:
    """Updates may be reordered (several webhook connections): the /start may beat "bot added"."""
    h = harness
    a = h.world.user("A")
    group = h.world.group("Nhóm mới", [a], bot_member=False)
    h.world.add_bot(group, a, start_param="C" * 32)
    h.world.pending.reverse()  # the "/start <token>" message first, "bot added" second
    await h.deliver()
    await _settle(h)
    assert [m["text"] for m in h.world.bot_messages(group)] == [refusal("unknown")]
    # Removed and added again later without a link: the hint is back.
    await h.remove_bot(group, a)
    await h.add_bot(group, a)
    await _settle(h)
    assert h.last_text(group) == parse_html(texts.ADDED_WITHOUT_LINK)[0]


async def test_added_with_a_link_gets_no_hint(harness: Harness, admin: FakeUser) -> None:
    h = harness
    a = h.world.user("A")
    group = h.world.group("Sở Y tế", [a], bot_member=False)
    await h.add_bot(group, a, start_param=await invite(h, admin, "so_yte"))
    await _settle(h)
    assert [m["text"].startswith("👋") for m in h.world.bot_messages(group)] == [True]


async def test_readded_with_a_new_link_restores_the_binding(harness: Harness, admin: FakeUser) -> None:
    h = harness
    a = h.world.user("A")
    group = h.world.group("Công an tỉnh", [a], bot_member=False)
    await h.add_bot(group, a, start_param=await invite(h, admin, "cong_an"))
    await h.remove_bot(group, a)
    await h.add_bot(group, a, start_param=await invite(h, admin, "cong_an"))
    assert parse_html(texts.BIND_RESTORED)[0].strip() in h.last_text(group)
    assert await bindings(h) == [("cong_an", group.id, False), ("cong_an", group.id, True)]


async def test_admin_unbinds_from_private_chat(harness: Harness, admin: FakeUser) -> None:
    h = harness
    a = h.world.user("A")
    group = h.world.group("Nhóm Sở Y tế", [a], bot_member=False)
    await h.add_bot(group, a, start_param=await invite(h, admin, "so_yte"))
    private = h.world.private(admin)
    await h.text(admin, private, "/unbind Sở Y tế")
    assert "Đã gỡ nhóm “Nhóm Sở Y tế” khỏi Sở Y tế" in h.last_text(private)
    assert "không còn gắn với Sở Y tế" in h.last_text(group)
    assert await bindings(h) == [("so_yte", group.id, False)]
    await h.text(admin, private, "/unbind so_yte")
    assert h.last_text(private) == parse_html(texts.UNBIND_NOT_BOUND.format(unit="Sở Y tế"))[0]
    await h.text(admin, private, "/unbind")
    assert h.last_text(private) == parse_html(texts.UNBIND_USAGE)[0]
    async with h.app.bot_data.sessions() as s:
        actions = list(await s.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert actions[-1] == "binding.remove"


async def test_unbind_in_the_group_needs_an_admin(harness: Harness, admin: FakeUser) -> None:
    h = harness
    member = h.world.user("Thành viên")
    group = h.world.group("Nhóm Sở TT&TT", [member, admin], bot_member=False)
    await h.add_bot(group, member, start_param=await invite(h, admin, "so_tttt"))
    await h.text(member, group, "/unbind")
    assert h.last_text(group).startswith("Lệnh /unbind dành cho: " + texts.ROLE_NAMES["admin"])
    assert await bindings(h) == [("so_tttt", group.id, True)]
    await h.text(admin, group, "/unbind")
    assert "Đã gỡ nhóm" in h.last_text(group)
    assert await bindings(h) == [("so_tttt", group.id, False)]
    await h.text(admin, group, "/unbind")
    assert h.last_text(group) == parse_html(texts.UNBIND_GROUP_NOT_BOUND)[0]


async def test_audit_lists_changes_by_unit_and_directive(harness: Harness, admin: FakeUser) -> None:
    h = harness
    a = h.world.user("A")
    group = h.world.group("Nhóm <b>Y tế</b>", [a], bot_member=False)
    await h.add_bot(group, a, start_param=await invite(h, admin, "so_yte"))
    await h.add_bot(h.world.group("CA", [a], bot_member=False), a, start_param=await invite(h, admin, "cong_an"))
    private = h.world.private(admin)
    await h.text(admin, private, "/audit")
    everything = h.last_text(private)
    assert "Gắn nhóm Telegram với đơn vị" in everything and "Tạo liên kết mời nhóm" in everything
    assert "Nhóm <b>Y tế</b>" in everything  # user text is shown escaped, never as markup
    await h.text(admin, private, "/audit dv Sở Y tế")
    only_yte = h.last_text(private)
    assert "Sở Y tế" in only_yte and "CA" not in only_yte.split("\n", 1)[1]
    await h.text(admin, private, "/audit vb 99")
    assert h.last_text(private) == parse_html(texts.AUDIT_EMPTY)[0]
    await h.text(admin, private, "/audit linh tinh")
    assert h.last_text(private) == parse_html(texts.AUDIT_USAGE)[0]


async def test_one_user_flooding_is_cut_off_and_others_still_served(harness: Harness, admin: FakeUser) -> None:
    h = harness
    spammer = h.world.user("Spam")
    other = h.world.user("Khác")
    chat = h.world.private(spammer)
    for _ in range(45):
        h.world.send_text(spammer, chat, "/help")
    await h.deliver()
    answers = [m["text"] for m in h.world.bot_messages(chat)]
    warning = parse_html(texts.FLOOD_WARNING)[0]
    assert answers.count(warning) == 1
    assert len(answers) == h.app.bot_data.config.flood_max_updates + 1
    await h.text(other, h.world.private(other), "/help")
    assert "Hướng dẫn" in h.last_text(h.world.private(other))
