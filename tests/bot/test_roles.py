"""Admins grant and revoke roles from chat; the role takes effect at once and every change is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot import texts
from bot.config import Config
from db.models import AuditLog
from fakeapi import FakeTelegram, FakeUser
from fakeapi.harness import Harness
from fakeapi.htmltext import parse_html
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.dbsnap import snapshot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    units = directory_units()
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=units)


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Quản trị")
    assert user.id == ADMIN_ID
    return user


async def say(h: Harness, user: FakeUser, text: str) -> str:
    chat = h.world.private(user)
    await h.text(user, chat, text)
    return h.last_text(chat)


async def audit_actions(h: Harness) -> list[tuple[str, str | None, dict[str, object] | None]]:
    async with h.app.bot_data.sessions() as s:
        rows = await s.execute(select(AuditLog.action, AuditLog.entity_id, AuditLog.after).order_by(AuditLog.id))
        return [(r[0], r[1], r[2]) for r in rows if r[0].startswith("role.")]


async def test_grant_by_id_takes_effect_and_is_audited(harness: Harness, admin: FakeUser) -> None:
    h = harness
    lan = h.world.user("Lan")
    assert texts.NO_ROLE in await say(h, lan, "/whoami")
    answer = await say(h, admin, f"/grant {lan.id} thư ký")
    assert texts.ROLE_NAMES["secretary"] in answer and str(lan.id) in answer
    # The grantee is told, and gets the secretary's command menu.
    assert texts.ROLE_NAMES["secretary"] in h.last_text(h.world.private(lan))
    assert "newdirective" in [c["command"] for c in h.world.commands[f"chat:{lan.id}"]]
    assert texts.ROLE_NAMES["secretary"] in await say(h, lan, "/whoami")
    assert "Đăng ký văn bản mới" in await say(h, lan, "/newdirective")
    assert await audit_actions(h) == [("role.grant", str(lan.id), {"role": "secretary", "unit_id": None})]


async def test_grant_by_username_needs_the_person_to_have_met_the_bot(harness: Harness, admin: FakeUser) -> None:
    h = harness
    tuan = h.world.user("Tuấn", username="tuan_syt")
    answer = await say(h, admin, "/grant @tuan_syt dau_moi Sở Y tế")
    assert answer == parse_html(texts.ROLE_UNKNOWN_PERSON.format(ref="@tuan_syt"))[0]
    await say(h, tuan, "/start")
    answer = await say(h, admin, "/grant @Tuan_SYT đầu mối Sở Y tế")
    assert "Sở Y tế" in answer and "@tuan_syt" in answer
    whoami = await say(h, tuan, "/whoami")
    assert texts.ROLE_NAMES["unit_contact"] in whoami and "Sở Y tế" in whoami


async def test_unit_contact_needs_a_known_unit(harness: Harness, admin: FakeUser) -> None:
    h = harness
    x = h.world.user("X")
    assert await say(h, admin, f"/grant {x.id} dau_moi") == parse_html(texts.ROLE_ERRORS["needs_unit"])[0]
    assert "Có phải" in await say(h, admin, f"/grant {x.id} dau_moi Sở Ytế")
    assert await say(h, admin, f"/grant {x.id}") == parse_html(texts.GRANT_USAGE)[0]
    assert await say(h, admin, f"/grant {x.id} vua_chua") == parse_html(texts.GRANT_USAGE)[0]
    assert await audit_actions(h) == []


async def test_revoke_and_people_list(harness: Harness, admin: FakeUser) -> None:
    h = harness
    leader = h.world.user("Hùng", username="hung_ld")
    await say(h, leader, "/start")
    await say(h, admin, "/grant @hung_ld lanh_dao")
    people = await say(h, admin, "/people")
    assert "Hùng @hung_ld" in people and texts.ROLE_NAMES["leader"] in people and str(ADMIN_ID) in people
    # A leader reads but does not register.
    assert not (await say(h, leader, "/directives")).startswith("Lệnh /directives dành cho")
    refusal = await say(h, leader, "/newdirective")
    assert refusal.startswith("Lệnh /newdirective dành cho") and texts.ROLE_NAMES["leader"] in refusal
    assert texts.ROLE_NAMES["leader"] in await say(h, admin, "/revoke @hung_ld")
    notice = parse_html(texts.ROLE_NOTIFY_REVOKED.format(role=texts.ROLE_NAMES["leader"]))[0]
    assert h.last_text(h.world.private(leader)) == notice
    assert texts.NO_ROLE in await say(h, leader, "/whoami")
    assert await say(h, admin, "/revoke @hung_ld") == parse_html(texts.ROLE_ERRORS["no_role"])[0]
    assert [a for a, _, _ in await audit_actions(h)] == ["role.grant", "role.revoke"]


async def test_config_admins_cannot_be_changed_from_chat(harness: Harness, admin: FakeUser) -> None:
    h = harness
    assert await say(h, admin, f"/grant {ADMIN_ID} lanh_dao") == parse_html(texts.ROLE_ERRORS["config_admin"])[0]
    assert texts.ROLE_NAMES["admin"] in await say(h, admin, "/whoami")


@pytest.mark.parametrize("command", ["/grant 123456789 thu_ky", "/revoke 123456789", "/people", "/audit"])
async def test_non_admins_are_told_the_role_needed_and_nothing_changes(
    harness: Harness, admin: FakeUser, command: str
) -> None:
    h = harness
    secretary = h.world.user("Thư ký")
    await say(h, admin, f"/grant {secretary.id} thu_ky")
    before = await snapshot(h)
    refusal = await say(h, secretary, command)
    assert refusal.startswith(f"Lệnh {command.split()[0]} dành cho: {texts.ROLE_NAMES['admin']}")
    assert "lỗi" not in refusal.lower()
    assert await snapshot(h) == before


async def test_admin_commands_in_a_group_point_to_the_private_chat(harness: Harness, admin: FakeUser) -> None:
    h = harness
    group = h.world.group("Nhóm", [admin])
    await h.text(admin, group, "/grant 123456789 thu_ky")
    assert h.last_text(group) == parse_html(texts.USE_PRIVATE.format(command="grant"))[0]
