"""/units and /unit through the real Application and the fake Bot API, on SQLite and PostgreSQL."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from telegram.ext import CommandHandler, MessageHandler

from bot import texts
from bot.clock import FakeClock
from bot.config import Config, UnitConfig
from bot.domain.enums import Role
from bot.handlers import units_admin
from bot.services.units import add_unit, sync_from_config
from bot.textsplit import utf16_len
from bot.views.units import split_messages
from db.models import AuditLog, Person, Unit, UnitChat
from fakeapi import FakeTelegram
from fakeapi.harness import Harness
from fakeapi.htmltext import parse_html
from fakeapi.models import FakeChat, FakeUser
from tests.bot.conftest import ADMIN_ID

UNITS = [
    UnitConfig(code="so_tttt", name="Sở Thông tin và Truyền thông", kind="so", aliases=["Sở TT&TT", "STTTT"]),
    UnitConfig(code="so_noi_vu", name="Sở Nội vụ", kind="so", aliases=["SNV"]),
    UnitConfig(code="cong_an", name="Công an tỉnh", kind="llvt"),
    UnitConfig(code="bchqs", name="Bộ Chỉ huy Quân sự tỉnh", kind="llvt"),
]


def plain(template: str, **values: object) -> str:
    """A texts.py template as Telegram shows it (HTML parsed)."""
    return parse_html(template.format(**values) if values else template)[0]


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=UNITS)


@pytest.fixture
async def bot(harness: Harness, clock: FakeClock) -> Harness:
    """The harness with a seeded directory and /units, /unit wired in."""
    app = harness.app
    # sync_from_config only inserts unknown codes, so this is harmless once post_init seeds too.
    async with app.bot_data.sessions() as session:
        await sync_from_config(session, UNITS, clock.now())
        await session.commit()
    if not any(isinstance(h, CommandHandler) and "units" in h.commands for h in app.handlers.get(0, [])):
        units_admin.register(app)
        # Until register_handlers() calls register(), the unknown-command catch-all precedes it: move it last.
        for handler in [h for h in app.handlers[0] if isinstance(h, MessageHandler)]:
            app.remove_handler(handler, 0)
            app.add_handler(handler, 0)
    return harness


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Lan", "Nguyễn")
    assert user.id == ADMIN_ID
    return user


async def add_person(h: Harness, clock: FakeClock, user: FakeUser, role: Role) -> None:
    async with h.app.bot_data.sessions() as session:
        now = clock.now()
        session.add(
            Person(telegram_user_id=user.id, full_name=user.first_name, role=role, created_at=now, updated_at=now)
        )
        await session.commit()


async def get_unit(h: Harness, code: str) -> Unit | None:
    async with h.app.bot_data.sessions() as session:
        return await session.scalar(select(Unit).where(Unit.code == code))


async def audit_rows(h: Harness, action: str | None = None) -> list[AuditLog]:
    stmt = select(AuditLog).order_by(AuditLog.id)
    if action is not None:
        stmt = stmt.where(AuditLog.action == action)
    async with h.app.bot_data.sessions() as session:
        return list((await session.scalars(stmt)).all())


async def say(h: Harness, user: FakeUser, chat: FakeChat, text: str) -> list[str]:
    return h.sent_texts(await h.text(user, chat, text))


# --- /units ---------------------------------------------------------------------------------------
async def test_units_lists_groups_by_kind_with_aliases_and_bound_group(
    bot: Harness, world: FakeTelegram, admin: FakeUser, clock: FakeClock
) -> None:
    async with bot.app.bot_data.sessions() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == "so_tttt"))
        assert unit is not None
        session.add(
            UnitChat(
                unit_id=unit.id,
                chat_id=-4_100_000_999,
                chat_title="Nhóm Sở TT&TT",
                bound_at=clock.now() - timedelta(days=3),
                last_activity_at=clock.now() - timedelta(hours=1),
            )
        )
        await session.commit()
    [text] = await say(bot, admin, world.private(admin), "/units")
    assert "4 đơn vị" in text
    assert texts.UNIT_KIND_NAMES["so"] in text and texts.UNIT_KIND_NAMES["llvt"] in text
    line = next(ln for ln in text.splitlines() if "so_tttt" in ln)
    assert "Sở Thông tin và Truyền thông" in line and "Sở TT&TT" in line
    # Last activity in Hanoi time: 09:00 - 1 h.
    assert "Nhóm Sở TT&TT" in line and "23/11/2026 08:00" in line
    noi_vu = next(ln for ln in text.splitlines() if "so_noi_vu" in ln)
    assert texts.UNITS_NO_CHAT in noi_vu


async def test_units_filter_is_accent_insensitive(bot: Harness, world: FakeTelegram, admin: FakeUser) -> None:
    [text] = await say(bot, admin, world.private(admin), "/units thong tin")
    assert "so_tttt" in text and "so_noi_vu" not in text and "cong_an" not in text
    [text] = await say(bot, admin, world.private(admin), "/units không có đâu")
    assert text == plain(texts.UNITS_NONE_MATCH, query="không có đâu")


async def test_units_all_includes_inactive(bot: Harness, world: FakeTelegram, admin: FakeUser) -> None:
    chat = world.private(admin)
    await say(bot, admin, chat, "/unit off cong_an")
    [active] = await say(bot, admin, chat, "/units")
    assert "cong_an" not in active and "3 đơn vị" in active
    [everything] = await say(bot, admin, chat, "/units all")
    line = next(ln for ln in everything.splitlines() if "cong_an" in ln)
    assert texts.UNITS_LIST_INACTIVE.strip() in line
    assert "4 đơn vị" in everything and "1 ngừng hoạt động" in everything


async def test_units_open_to_readers_only(bot: Harness, world: FakeTelegram, admin: FakeUser, clock: FakeClock) -> None:
    secretary, leader, contact, stranger = (world.user(n) for n in ("Thư ký", "Lãnh đạo", "Đầu mối", "Khách"))
    await add_person(bot, clock, secretary, Role.SECRETARY)
    await add_person(bot, clock, leader, Role.LEADER)
    await add_person(bot, clock, contact, Role.UNIT_CONTACT)
    for reader in (secretary, leader):
        [text] = await say(bot, reader, world.private(reader), "/units")
        assert "so_tttt" in text
    for outsider in (contact, stranger):
        [text] = await say(bot, outsider, world.private(outsider), "/units")
        assert text == plain(texts.UNITS_READERS_ONLY)


async def test_long_list_is_split_on_line_boundaries(
    bot: Harness, world: FakeTelegram, admin: FakeUser, clock: FakeClock
) -> None:
    async with bot.app.bot_data.sessions() as session:
        for i in range(120):
            await add_unit(
                session,
                code=f"xa_{i:03d}",
                name=f"Ủy ban nhân dân xã số {i:03d} thuộc huyện miền núi có tên rất dài để thử chia tin nhắn",
                kind="xa",
                aliases=[f"UBND xã {i:03d}", f"Xã {i:03d} & thôn"],
                actor=None,
                now=clock.now(),
            )
        await session.commit()
    texts_sent = await say(bot, admin, world.private(admin), "/units")
    assert len(texts_sent) >= 3
    assert all(utf16_len(t) <= 4096 for t in texts_sent)
    joined = "\n".join(texts_sent)
    assert all(f"xa_{i:03d}" in joined for i in range(120))
    # Every unit line arrives whole.
    assert all(ln.startswith("• ") and "—" in ln for t in texts_sent for ln in t.splitlines() if "xa_" in ln)


def test_split_messages_never_exceeds_the_limit() -> None:
    lines = [f"<b>dòng {i}</b> " + "x" * (i % 50) for i in range(400)]
    chunks = split_messages(lines, limit=500)
    # Telegram counts the text after entity parsing.
    assert all(utf16_len(parse_html(c)[0]) <= 500 for c in chunks)
    assert "\n".join(chunks).splitlines() == lines
    # A single line over the limit is cut as plain text, never mid-tag nor mid-entity, and nothing is lost.
    pieces = split_messages(["<b>" + "&amp;" * 300 + "</b>"], limit=200)
    assert len(pieces) >= 2 and all("<" not in p and utf16_len(parse_html(p)[0]) <= 200 for p in pieces)
    assert "".join(parse_html(p)[0] for p in pieces).replace("\n", "") == "&" * 300


# --- /unit changes --------------------------------------------------------------------------------
async def test_unit_add_with_aliases_is_committed_and_audited(
    bot: Harness, world: FakeTelegram, admin: FakeUser, clock: FakeClock
) -> None:
    nfd_name = unicodedata.normalize("NFD", "Sở Văn hóa, Thể thao và Du lịch")
    [text] = await say(bot, admin, world.private(admin), f"/unit add SO_VHTTDL | {nfd_name} | Sở VHTTDL; VH, TT và DL")
    assert "Sở Văn hóa, Thể thao và Du lịch" in text and "so_vhttdl" in text
    unit = await get_unit(bot, "so_vhttdl")
    assert unit is not None and unit.active
    assert unit.name == unicodedata.normalize("NFC", nfd_name)
    assert unit.aliases == ["Sở VHTTDL", "VH, TT và DL"]
    [row] = await audit_rows(bot, "unit.add")
    assert row.actor_user_id == ADMIN_ID and row.entity_id == "so_vhttdl" and row.at == clock.now()
    # Comma-separated aliases when none has a comma.
    await say(bot, admin, world.private(admin), "/unit add so_yte | Sở Y tế | SYT, Sở YT")
    unit = await get_unit(bot, "so_yte")
    assert unit is not None and unit.aliases == ["SYT", "Sở YT"]


async def test_unit_add_refusals_come_from_the_service(bot: Harness, world: FakeTelegram, admin: FakeUser) -> None:
    chat = world.private(admin)
    [text] = await say(bot, admin, chat, "/unit add so_tttt | Sở Mới")
    assert text == plain(texts.UNIT_CODE_TAKEN, code="so_tttt", name="Sở Thông tin và Truyền thông")
    [text] = await say(bot, admin, chat, "/unit add so_khac | sở tt & tt")
    assert "Sở Thông tin và Truyền thông" in text and "so_tttt" in text
    [text] = await say(bot, admin, chat, "/unit add sở_mới | Sở Mới")
    assert text == plain(texts.UNIT_BAD_CODE, code="sở_mới")
    [text] = await say(bot, admin, chat, "/unit add so_dai | " + "Sở " * 100)
    assert text == plain(texts.UNITS_ARG_TOO_LONG, size=len(("Sở " * 100).strip()), limit=255)
    assert await get_unit(bot, "so_khac") is None and await get_unit(bot, "so_dai") is None
    assert await audit_rows(bot, "unit.add") == []


async def test_unit_rename_keeps_old_name_as_alias_and_audits(
    bot: Harness, world: FakeTelegram, admin: FakeUser
) -> None:
    [text] = await say(bot, admin, world.private(admin), "/unit rename STTTT | Sở Khoa học, Công nghệ và Truyền thông")
    assert "Sở Khoa học, Công nghệ và Truyền thông" in text
    assert plain(texts.UNIT_RENAMED_OLD_KEPT, old="Sở Thông tin và Truyền thông") in text
    unit = await get_unit(bot, "so_tttt")
    assert unit is not None and unit.name == "Sở Khoa học, Công nghệ và Truyền thông"
    assert "Sở Thông tin và Truyền thông" in unit.aliases
    [row] = await audit_rows(bot, "unit.rename")
    assert row.actor_user_id == ADMIN_ID
    assert row.before is not None and row.before["name"] == "Sở Thông tin và Truyền thông"
    assert row.after is not None and row.after["name"] == unit.name
    # The old name still finds the unit.
    [detail] = await say(bot, admin, world.private(admin), "/unit Sở Thông tin và Truyền thông")
    assert "so_tttt" in detail and unit.name in detail


async def test_unit_alias_and_unalias(bot: Harness, world: FakeTelegram, admin: FakeUser) -> None:
    chat = world.private(admin)
    [text] = await say(bot, admin, chat, "/unit alias so_noi_vu | Sở NV")
    assert text == plain(texts.UNIT_ALIAS_ADDED, alias="Sở NV", name="Sở Nội vụ", code="so_noi_vu")
    unit = await get_unit(bot, "so_noi_vu")
    assert unit is not None and unit.aliases == ["SNV", "Sở NV"]
    [text] = await say(bot, admin, chat, "/unit alias so_noi_vu | STTTT")  # another unit's alias
    assert "so_tttt" in text
    [text] = await say(bot, admin, chat, "/unit unalias so_noi_vu | so nv")  # accent/case-insensitive
    assert text == plain(texts.UNIT_ALIAS_REMOVED, alias="Sở NV", name="Sở Nội vụ", code="so_noi_vu")
    [text] = await say(bot, admin, chat, "/unit unalias so_noi_vu | Sở NV")
    assert text == plain(texts.UNIT_ALIAS_MISSING, name="Sở Nội vụ", alias="Sở NV")
    unit = await get_unit(bot, "so_noi_vu")
    assert unit is not None and unit.aliases == ["SNV"]
    actions = [r.action for r in await audit_rows(bot) if r.entity_id == "so_noi_vu" and r.action != "unit.seed"]
    assert actions == ["unit.alias_add", "unit.alias_remove"]


async def test_unit_off_and_on(bot: Harness, world: FakeTelegram, admin: FakeUser) -> None:
    chat = world.private(admin)
    [text] = await say(bot, admin, chat, "/unit off cong_an")
    assert text == plain(texts.UNIT_DEACTIVATED, name="Công an tỉnh", code="cong_an")
    unit = await get_unit(bot, "cong_an")
    assert unit is not None and not unit.active
    [text] = await say(bot, admin, chat, "/unit off cong_an")
    assert text == plain(texts.UNIT_ALREADY_INACTIVE, name="Công an tỉnh")
    [text] = await say(bot, admin, chat, "/unit on Công an tỉnh")  # by name: inactive units still resolve
    assert text == plain(texts.UNIT_REACTIVATED, name="Công an tỉnh", code="cong_an")
    unit = await get_unit(bot, "cong_an")
    assert unit is not None and unit.active
    actions = [r.action for r in await audit_rows(bot) if r.entity_id == "cong_an" and r.action != "unit.seed"]
    assert actions == ["unit.deactivate", "unit.reactivate"]
    assert all(r.actor_user_id == ADMIN_ID for r in await audit_rows(bot, "unit.deactivate"))


async def test_unit_detail(bot: Harness, world: FakeTelegram, admin: FakeUser) -> None:
    [text] = await say(bot, admin, world.private(admin), "/unit so_tttt")
    assert text.startswith("Sở Thông tin và Truyền thông")
    assert "so_tttt" in text and "Sở TT&TT; STTTT" in text
    assert plain(texts.UNIT_DETAIL_NO_CHAT) in text
    assert texts.UNIT_STATUS_ACTIVE in text


async def test_unknown_unit_gets_suggestions(bot: Harness, world: FakeTelegram, admin: FakeUser) -> None:
    chat = world.private(admin)
    [text] = await say(bot, admin, chat, "/unit off Sở Thông tin và Truyền thôn")
    assert text.startswith(plain(texts.UNIT_NOT_FOUND, ref="Sở Thông tin và Truyền thôn"))
    assert texts.UNIT_SUGGEST_TITLE in text and "so_tttt" in text
    [text] = await say(bot, admin, chat, "/unit rename so_noivu | Sở Nội vụ mới")  # mistyped code
    assert "so_noi_vu" in text
    [text] = await say(bot, admin, chat, "/unit zzz")
    assert texts.UNIT_SUGGEST_TITLE not in text and plain(texts.UNIT_SEE_USAGE) in text
    unit = await get_unit(bot, "so_tttt")
    assert unit is not None and unit.active


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("/unit", None),
        ("/unit add so_moi", "add"),
        ("/unit add so_moi |  ", "add"),
        ("/unit rename so_tttt", "rename"),
        ("/unit rename a | b | c", "rename"),
        ("/unit alias so_tttt", "alias"),
        ("/unit unalias", "unalias"),
        ("/unit off", "off"),
        ("/unit on a | b", "on"),
        ("/unit so_tttt | thừa", "show"),
    ],
)
async def test_bad_syntax_shows_usage(
    bot: Harness, world: FakeTelegram, admin: FakeUser, command: str, usage: str | None
) -> None:
    before = len(await audit_rows(bot))
    [text] = await say(bot, admin, world.private(admin), command)
    if usage is None:
        assert text.startswith(plain(texts.UNIT_USAGE_TITLE))
        assert all(plain(line) in text for line in texts.UNIT_USAGE_LINES.values())
    else:
        assert plain(texts.UNIT_USAGE_LINES[usage]) in text
    assert len(await audit_rows(bot)) == before


# --- who and where --------------------------------------------------------------------------------
async def test_non_admin_is_refused_without_any_change(
    bot: Harness, world: FakeTelegram, admin: FakeUser, clock: FakeClock
) -> None:
    secretary, stranger = world.user("Thư ký"), world.user("Khách")
    await add_person(bot, clock, secretary, Role.SECRETARY)
    before = len(await audit_rows(bot))
    for user in (secretary, stranger):
        for command in ("/unit add so_moi | Sở Mới", "/unit off so_tttt", "/unit rename so_tttt | X", "/unit"):
            [text] = await say(bot, user, world.private(user), command)
            assert text == plain(texts.UNIT_ADMIN_ONLY)
            assert "error" not in text.lower() and "lỗi" not in text.lower()
    assert len(await audit_rows(bot)) == before
    assert await get_unit(bot, "so_moi") is None
    unit = await get_unit(bot, "so_tttt")
    assert unit is not None and unit.active and unit.name == "Sở Thông tin và Truyền thông"


async def test_in_a_group_allowed_users_are_sent_to_private_chat_and_others_get_silence(
    bot: Harness, world: FakeTelegram, admin: FakeUser, clock: FakeClock
) -> None:
    member, secretary = world.user("Thành viên"), world.user("Thư ký")
    await add_person(bot, clock, secretary, Role.SECRETARY)
    group = world.group("Nhóm Sở TT&TT", [admin, member, secretary])
    before = len(await audit_rows(bot))
    [text] = await say(bot, admin, group, "/unit off so_tttt")
    assert text == plain(texts.UNITS_USE_PRIVATE, command="unit")
    [text] = await say(bot, admin, group, f"/units@{world.bot.username}")
    assert text == plain(texts.UNITS_USE_PRIVATE, command="units")
    [text] = await say(bot, secretary, group, "/units")
    assert text == plain(texts.UNITS_USE_PRIVATE, command="units")
    assert await bot.text(secretary, group, "/unit off so_tttt") == []
    assert await bot.text(member, group, "/units") == []
    assert await bot.text(member, group, "/unit off so_tttt") == []
    assert len(await audit_rows(bot)) == before


async def test_commands_are_exported_for_the_catalog() -> None:
    from bot.commands import SPECS

    specs = {name: SPECS[name] for name in ("units", "unit")}
    assert specs["unit"].roles == frozenset({Role.ADMIN})
    assert Role.LEADER in specs["units"].roles and None not in specs["units"].roles
    assert all(c.private and not c.group for c in specs.values())


async def test_edited_command_is_not_applied_twice(bot: Harness, world: FakeTelegram, admin: FakeUser) -> None:
    chat = world.private(admin)
    sent = world.send_text(admin, chat, "/unit alias so_noi_vu | Sở NV")
    await bot.deliver()
    message_id = sent["message"]["message_id"]
    # The catch-all for unknown commands may answer the edit; the change itself must not run again.
    await bot.edit(admin, chat, message_id, "/unit alias so_noi_vu | Sở NV 2")
    assert len(await audit_rows(bot, "unit.alias_add")) == 1
    unit = await get_unit(bot, "so_noi_vu")
    assert unit is not None and unit.aliases == ["SNV", "Sở NV"]


async def test_count_matches_database(bot: Harness, world: FakeTelegram, admin: FakeUser) -> None:
    async with bot.app.bot_data.sessions() as session:
        n = await session.scalar(select(func.count()).select_from(Unit).where(Unit.active.is_(True)))
    [text] = await say(bot, admin, world.private(admin), "/units")
    assert f"{n} đơn vị" in text
