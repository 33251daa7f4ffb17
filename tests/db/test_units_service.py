"""The unit directory service against real SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.clock import FakeClock
from bot.config import UnitConfig
from bot.services.units import (
    UnitError,
    add_alias,
    add_unit,
    deactivate_unit,
    list_units,
    load_directory,
    reactivate_unit,
    remove_alias,
    rename_unit,
    resolve_unit,
    sync_from_config,
    update_unit,
)
from bot.services.units_csv import (
    UnitCsvError,
    import_units,
    parse_units_csv,
    render_units_csv,
)
from db.models import AuditLog, Unit
from db.session import make_session_factory

ADMIN = 111
SEED = [
    UnitConfig(code="so_tttt", name="Sở Thông tin và Truyền thông", kind="so", aliases=["Sở TT&TT", "STTTT"]),
    UnitConfig(code="cong_an", name="Công an tỉnh", kind="llvt"),
    UnitConfig(code="bchqs", name="Bộ Chỉ huy Quân sự tỉnh", kind="llvt"),
    UnitConfig(code="llvt", name="Lực lượng vũ trang", kind="collective", members=["kind:llvt"]),
]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 6, 10, 2, 0, tzinfo=UTC))


@pytest.fixture
async def session(engine: AsyncEngine, clock: FakeClock) -> AsyncIterator[AsyncSession]:
    """A session over a seeded directory; tests commit when they mean to."""
    factory = make_session_factory(engine)
    async with factory() as s:
        await sync_from_config(s, SEED, clock.now())
        await s.commit()
    async with factory() as s:
        yield s


async def _audits(session: AsyncSession, action: str | None = None) -> list[AuditLog]:
    stmt = select(AuditLog).order_by(AuditLog.id)
    if action:
        stmt = stmt.where(AuditLog.action == action)
    return list((await session.scalars(stmt)).all())


# --- seeding ------------------------------------------------------------------------------------
async def test_seed_inserts_every_configured_unit_once_and_audits_it(session: AsyncSession, clock: FakeClock) -> None:
    units = await list_units(session)
    assert [u.code for u in units] == ["bchqs", "cong_an", "llvt", "so_tttt"]
    seeds = await _audits(session, "unit.seed")
    assert len(seeds) == 4 and all(a.actor_user_id is None and a.entity == "unit" for a in seeds)
    assert {a.entity_id for a in seeds} == {"so_tttt", "cong_an", "bchqs", "llvt"}
    assert await sync_from_config(session, SEED, clock.now()) == 0


async def test_seed_never_overwrites_an_admin_edit(session: AsyncSession, clock: FakeClock) -> None:
    await rename_unit(session, "so_tttt", "Sở Khoa học và Công nghệ", ADMIN, clock.now())
    await deactivate_unit(session, "cong_an", ADMIN, clock.now())
    extra = UnitConfig(code="so_yte", name="Sở Y tế", kind="so")
    assert await sync_from_config(session, [*SEED, extra], clock.now()) == 1
    so = await resolve_unit(session, "so_tttt")
    ca = await resolve_unit(session, "cong_an")
    assert so is not None and so.name == "Sở Khoa học và Công nghệ"
    assert ca is not None and not ca.active


# --- adding -------------------------------------------------------------------------------------
async def test_add_unit_writes_the_unit_and_an_audit_row(session: AsyncSession, clock: FakeClock) -> None:
    clock.advance(timedelta(hours=1))
    unit = await add_unit(
        session, code="so_yte", name="  Sở  Y tế ", kind="so", aliases=["SYT", "syt", ""], actor=ADMIN, now=clock.now()
    )
    await session.commit()
    assert (unit.name, unit.aliases, unit.active) == ("Sở Y tế", ["SYT"], True)
    [row] = await _audits(session, "unit.add")
    assert (row.actor_user_id, row.entity, row.entity_id, row.unit_id) == (ADMIN, "unit", "so_yte", unit.id)
    assert row.before is None and row.after is not None and row.after["name"] == "Sở Y tế"
    assert row.at == clock.now()


@pytest.mark.parametrize(
    ("code", "name", "aliases", "message"),
    [
        ("Sở Y tế", "Sở Y tế", (), "Mã đơn vị"),
        ("so-yte", "Sở Y tế", (), "Mã đơn vị"),
        ("x" * 49, "Sở Y tế", (), "Mã đơn vị"),
        ("so_tttt", "Sở Y tế", (), "đã được dùng"),
        ("so_yte", "   ", (), "không được để trống"),
        # Accent- and case-insensitive: this is the alias "STTTT" of so_tttt.
        ("so_yte", "stttt", (), "so_tttt"),
        ("so_yte", "Sở Y tế", ("so thong tin va truyen thong",), "so_tttt"),
        ("so_yte", "Sở Y tế", ("cong_an",), "cong_an"),
        # Punctuation is ignored, as the directory ignores it: "Sở TT&TT" is taken.
        ("so_yte", "Sở Y tế", ("sở tt - tt",), "so_tttt"),
        ("so_yte", "-- / --", (), "không được để trống"),
    ],
)
async def test_add_unit_refuses(
    session: AsyncSession, clock: FakeClock, code: str, name: str, aliases: tuple[str, ...], message: str
) -> None:
    with pytest.raises(UnitError, match=message):
        await add_unit(session, code=code, name=name, aliases=aliases, actor=ADMIN, now=clock.now())
    assert await session.scalar(select(func.count()).select_from(Unit)) == 4


async def test_a_name_only_an_inactive_unit_had_is_free_again(session: AsyncSession, clock: FakeClock) -> None:
    await deactivate_unit(session, "cong_an", ADMIN, clock.now())
    unit = await add_unit(session, code="ca_tinh", name="Công an tỉnh", actor=ADMIN, now=clock.now())
    assert unit.active
    # ... and the old unit cannot come back while the new one carries the name.
    with pytest.raises(UnitError, match="ca_tinh"):
        await reactivate_unit(session, "cong_an", ADMIN, clock.now())


async def test_error_message_is_html_safe(session: AsyncSession, clock: FakeClock) -> None:
    with pytest.raises(UnitError) as info:
        await add_alias(session, "cong_an", "Sở TT&TT", ADMIN, clock.now())
    assert "Sở TT&TT" in info.value.text and "Sở TT&amp;TT" in info.value.html
    assert str(info.value) == info.value.text


# --- renaming and aliases -----------------------------------------------------------------------
async def test_rename_keeps_the_old_name_so_old_documents_still_resolve(
    session: AsyncSession, clock: FakeClock
) -> None:
    unit = await rename_unit(session, "so_tttt", "Sở Khoa học và Công nghệ", ADMIN, clock.now())
    await session.commit()
    assert unit.name == "Sở Khoa học và Công nghệ"
    assert unit.aliases == ["Sở TT&TT", "STTTT", "Sở Thông tin và Truyền thông"]
    old = await resolve_unit(session, "so thong tin va truyen thong")
    assert old is not None and old.code == "so_tttt"
    directory = await load_directory(session)
    ref = directory.lookup("Sở Thông tin và Truyền thông")
    assert ref is not None and ref.code == "so_tttt"
    [row] = await _audits(session, "unit.rename")
    assert row.before is not None and row.after is not None
    assert (row.before["name"], row.after["name"]) == ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ")


async def test_rename_to_an_alias_promotes_it_and_same_name_is_a_no_op(session: AsyncSession, clock: FakeClock) -> None:
    await rename_unit(session, "so_tttt", "Sở Thông tin và Truyền thông", ADMIN, clock.now())
    assert await _audits(session, "unit.rename") == []
    unit = await rename_unit(session, "so_tttt", "STTTT", ADMIN, clock.now())
    assert unit.name == "STTTT"
    assert unit.aliases == ["Sở TT&TT", "Sở Thông tin và Truyền thông"]


async def test_rename_refuses_another_units_name(session: AsyncSession, clock: FakeClock) -> None:
    with pytest.raises(UnitError, match="cong_an"):
        await rename_unit(session, "so_tttt", "CÔNG AN TỈNH", ADMIN, clock.now())


async def test_units_are_found_by_code_name_or_alias_accent_insensitively(session: AsyncSession) -> None:
    for text in ("cong_an", "CONG_AN", "Công an tỉnh", "cong an tinh", "  công  an tỉnh "):
        unit = await resolve_unit(session, text)
        assert unit is not None and unit.code == "cong_an", text
    unit = await resolve_unit(session, "sở tt&tt")
    assert unit is not None and unit.code == "so_tttt"
    assert await resolve_unit(session, "Sở Tài chính") is None
    assert await resolve_unit(session, "") is None


async def test_mutations_accept_a_name_for_the_code(session: AsyncSession, clock: FakeClock) -> None:
    unit = await add_alias(session, "Công an tỉnh", "CA tỉnh", ADMIN, clock.now())
    assert unit.code == "cong_an" and unit.aliases == ["CA tỉnh"]


async def test_alias_add_and_remove(session: AsyncSession, clock: FakeClock) -> None:
    unit = await add_alias(session, "cong_an", "CAT", ADMIN, clock.now())
    assert unit.aliases == ["CAT"]
    with pytest.raises(UnitError, match="đã là tên"):
        await add_alias(session, "cong_an", "cat", ADMIN, clock.now())
    with pytest.raises(UnitError, match="so_tttt"):
        await add_alias(session, "cong_an", "STTTT", ADMIN, clock.now())
    unit = await remove_alias(session, "cong_an", "cát", ADMIN, clock.now())
    assert unit.aliases == []
    with pytest.raises(UnitError, match="không có tên gọi khác"):
        await remove_alias(session, "cong_an", "CAT", ADMIN, clock.now())
    actions = [a.action for a in await _audits(session) if a.action != "unit.seed"]
    assert actions == ["unit.alias_add", "unit.alias_remove"]


async def test_unknown_unit_is_a_unit_error(session: AsyncSession, clock: FakeClock) -> None:
    with pytest.raises(UnitError, match="Không tìm thấy đơn vị “so_xyz”"):
        await deactivate_unit(session, "so_xyz", ADMIN, clock.now())


# --- activity -----------------------------------------------------------------------------------
async def test_deactivated_units_leave_the_list_but_stay_in_the_directory(
    session: AsyncSession, clock: FakeClock
) -> None:
    await deactivate_unit(session, "cong_an", ADMIN, clock.now())
    await session.commit()
    assert "cong_an" not in [u.code for u in await list_units(session)]
    assert "cong_an" in [u.code for u in await list_units(session, include_inactive=True)]
    directory = await load_directory(session)
    ref = directory.lookup("cong_an")
    assert ref is None or not ref.active  # the directory decides whether to match inactive units
    with pytest.raises(UnitError, match="ngừng hoạt động"):
        await deactivate_unit(session, "cong_an", ADMIN, clock.now())
    unit = await reactivate_unit(session, "cong_an", ADMIN, clock.now())
    assert unit.active
    with pytest.raises(UnitError, match="đang hoạt động"):
        await reactivate_unit(session, "cong_an", ADMIN, clock.now())
    actions = [a.action for a in await _audits(session) if a.action != "unit.seed"]
    assert actions == ["unit.deactivate", "unit.reactivate"]


async def test_update_changes_kind_and_members_and_skips_no_ops(session: AsyncSession, clock: FakeClock) -> None:
    await update_unit(session, "llvt", kind="collective", members=["kind:llvt"], actor=ADMIN, now=clock.now())
    assert await _audits(session, "unit.update") == []
    unit = await update_unit(session, "llvt", members=["cong_an", "bchqs"], actor=ADMIN, now=clock.now())
    assert unit.members == ["cong_an", "bchqs"]
    with pytest.raises(UnitError, match="Thành viên"):
        await update_unit(session, "llvt", members=["Công an"], actor=ADMIN, now=clock.now())
    assert len(await _audits(session, "unit.update")) == 1


async def test_functions_flush_but_the_caller_commits(engine: AsyncEngine, clock: FakeClock) -> None:
    factory = make_session_factory(engine)
    async with factory() as s:
        await add_unit(s, code="so_yte", name="Sở Y tế", actor=ADMIN, now=clock.now())
        assert await resolve_unit(s, "so_yte") is not None
        await s.rollback()
    async with factory() as s:
        assert await resolve_unit(s, "so_yte") is None
        assert await _audits(s) == []


# --- CSV import (the database side) -------------------------------------------------------------
async def test_csv_round_trip_applies_edits_and_audits_them(session: AsyncSession, clock: FakeClock) -> None:
    exported = render_units_csv(await list_units(session, include_inactive=True))
    rows = parse_units_csv(exported)
    summary = await import_units(session, rows, actor=None, now=clock.now())
    assert (summary.unchanged, summary.added) == (4, 0)

    edited = (
        exported.replace("Công an tỉnh", "Công an tỉnh Quảng Trị")
        .replace("Bộ Chỉ huy Quân sự tỉnh,llvt,,,1", "Bộ Chỉ huy Quân sự tỉnh,llvt,Bộ CHQS tỉnh,,0")
        .replace("Lực lượng vũ trang,collective,,kind:llvt,1", "Lực lượng vũ trang,collective,,cong_an|bchqs,1")
        + "so_yte,Sở Y tế,so,SYT,,1\r\n"
    )
    summary = await import_units(session, parse_units_csv(edited), actor=None, now=clock.now())
    await session.commit()
    assert (summary.added, summary.renamed, summary.aliases, summary.updated) == (1, 1, 1, 1)
    assert (summary.deactivated, summary.unchanged) == (1, 1)
    ca = await resolve_unit(session, "Công an tỉnh")  # old name kept as an alias
    assert ca is not None and ca.name == "Công an tỉnh Quảng Trị"
    audits = [a for a in await _audits(session) if a.action != "unit.seed"]
    assert all(a.actor_user_id is None and a.action.startswith("unit.") for a in audits)
    assert sorted(a.action for a in audits) == [
        "unit.add",
        "unit.alias_add",
        "unit.deactivate",
        "unit.rename",
        "unit.update",
    ]
    assert "Đã nhập danh mục đơn vị: thêm mới 1, đổi tên 1" in summary.text()


async def test_csv_import_names_the_bad_line_and_the_caller_rolls_back(
    engine: AsyncEngine, session: AsyncSession, clock: FakeClock
) -> None:
    text = (
        "code,name,kind,aliases,members,active\n"
        "so_yte,Sở Y tế,so,,,1\n"
        "cong_an,Công an tỉnh mới,llvt,,,1\n"
        "so_tc,Sở Thông tin và Truyền thông,so,,,1\n"  # the name of so_tttt: refused
    )
    with pytest.raises(UnitCsvError, match=r"^Dòng 4: .*so_tttt"):
        await import_units(session, parse_units_csv(text), actor=None, now=clock.now())
    await session.rollback()
    async with make_session_factory(engine)() as s:
        assert [u.code for u in await list_units(s)] == ["bchqs", "cong_an", "llvt", "so_tttt"]
        ca = await resolve_unit(s, "cong_an")
        assert ca is not None and ca.name == "Công an tỉnh"
        assert len(await _audits(s)) == 4


async def test_csv_import_refuses_unknown_member_codes(session: AsyncSession, clock: FakeClock) -> None:
    text = "code,name,members\nnhom,Nhóm A,so_yte|cong_an\nso_yte,Sở Y tế,\n"
    await import_units(session, parse_units_csv(text), actor=None, now=clock.now())  # defined further down: fine
    bad = "code,name,members\nnhom2,Nhóm B,so_khong_co\n"
    with pytest.raises(UnitCsvError, match="Dòng 2: thành viên so_khong_co"):
        await import_units(session, parse_units_csv(bad), actor=None, now=clock.now())
