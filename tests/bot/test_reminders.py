"""Reminders on schedule through the real Application and the fake Bot API, with an injected clock."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot import texts
from bot.clock import FakeClock
from bot.config import Config
from bot.domain.draft import Draft, DraftDuty
from bot.domain.enums import PingKind, PingStatus
from bot.services.directives import save_draft
from bot.services.reminders import plan_due
from db.models import Assignment, Ping, UnitChat
from fakeapi import FakeChat, FakeTelegram, FakeUser, Fault
from fakeapi.harness import Harness
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.flows import bind, local

HANOI = 7  # UTC+7, no DST




@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units())


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Quản trị")
    world.private(user)
    return user




async def register(
    h: Harness, duties: list[tuple[str, list[str], date | None]], *, plan: str = "weekly", number: str = "1-CV/TU"
) -> int:
    draft = Draft(
        source_text=f"{number} {duties}", number=number, kind="công văn", title="Về việc thử nghiệm", plan=plan
    )
    for i, (text, leads, deadline) in enumerate(duties, 1):
        draft.duties.append(DraftDuty(str(i), None, text, general=False, leads=leads, deadline=deadline))
    async with h.app.bot_data.sessions() as s:
        saved = await save_draft(s, draft, actor=ADMIN_ID, now=h.app.bot_data.clock.now())
        await s.commit()
    return saved.directive_id


async def pings(h: Harness, kind: PingKind | None = None) -> list[tuple[str, str, str | None]]:
    async with h.app.bot_data.sessions() as s:
        q = select(Ping.kind, Ping.status, Ping.error).order_by(Ping.id)
        if kind is not None:
            q = q.where(Ping.kind == kind)
        return [(r[0].value, r[1].value, r[2]) for r in await s.execute(q)]


def sends(calls: list[object], chat: FakeChat) -> list[str]:
    return [
        str(c.result["text"])  # type: ignore[attr-defined]
        for c in calls
        if c.method == "sendMessage" and c.ok and c.params["chat_id"] == chat.id  # type: ignore[attr-defined]
    ]


async def test_notice_then_weekly_reminder_once_per_slot(harness: Harness, clock: FakeClock) -> None:
    h = harness
    group = await bind(h, "so_yte")
    await register(h, [("Sở Y tế chủ trì rà soát.", ["so_yte"], date(2027, 3, 31))])
    calls = await h.tick()  # Monday 23/11 09:00: the notice goes, the first routine slot is planned
    assert [t.startswith("📌 Giao nhiệm vụ") for t in sends(calls, group)] == [True]
    assert await h.tick() == []
    clock.set(local(2026, 11, 30, 8, 0))  # next Monday 08:00
    calls = await h.tick()
    [reminder] = sends(calls, group)
    assert reminder.startswith("⏰ Nhắc việc định kỳ") and "Sở Y tế chủ trì rà soát." in reminder
    assert "Thời hạn: 31/03/2027" in reminder
    assert sends(await h.tick(), group) == []  # the same slot never twice
    assert await pings(h, PingKind.ROUTINE) == [("routine", "sent", None)]


async def test_unit_without_group_gets_its_notice_when_bound(harness: Harness, admin: FakeUser) -> None:
    h = harness
    await register(h, [("Công an tỉnh chủ trì bảo đảm an ninh.", ["cong_an"], None)])
    assert await h.tick() == []
    assert await pings(h, PingKind.NOTICE) == [("notice", "pending", None)]
    private = h.world.private(admin)
    await h.text(admin, private, "/invite cong_an")
    token = h.last_text(private).split("startgroup=")[1].split()[0]
    member = h.world.user("A")
    group = h.world.group("Công an tỉnh", [member], bot_member=False)
    await h.add_bot(group, member, start_param=token)
    texts_in_group = [m["text"] for m in h.world.bot_messages(group)]
    assert texts_in_group[0].startswith("👋") and texts_in_group[1].startswith("📌 Giao nhiệm vụ")
    assert await pings(h, PingKind.NOTICE) == [("notice", "sent", None)]


async def test_several_duties_due_together_make_one_compact_message(harness: Harness, clock: FakeClock) -> None:
    h = harness
    group = await bind(h, "so_tttt")
    await register(
        h,
        [
            ("Sở TT&TT chủ trì tuyên truyền.", ["so_tttt"], date(2027, 1, 15)),
            ("Sở TT&TT chủ trì báo cáo.", ["so_tttt"], date(2027, 2, 15)),
            ("Sở TT&TT chủ trì kiểm tra.", ["so_tttt"], None),
        ],
    )
    first = sends(await h.tick(), group)
    assert len(first) == 1 and "[1]" in first[0] and "[3]" in first[0]  # three notices, one message
    clock.set(local(2026, 11, 30, 8, 0))
    [digest] = sends(await h.tick(), group)
    assert digest.startswith("⏰ Sở Thông tin và Truyền thông: 3 nhiệm vụ cần báo cáo")
    async with h.app.bot_data.sessions() as s:
        ids = set(await s.scalars(select(Ping.message_id).where(Ping.kind == PingKind.ROUTINE)))
    assert len(ids) == 1  # every duty maps back to the one message


async def test_recent_report_is_not_nagged_but_recorded(harness: Harness, clock: FakeClock) -> None:
    h = harness
    group = await bind(h, "so_yte")
    await register(h, [("Sở Y tế chủ trì.", ["so_yte"], date(2027, 3, 31))])
    await h.tick()
    clock.set(local(2026, 11, 30, 8, 0))
    async with h.app.bot_data.sessions() as s:
        await s.execute(update(Assignment).values(last_report_at=clock.now() - timedelta(hours=2)))
        await s.commit()
    assert sends(await h.tick(), group) == []
    assert await pings(h, PingKind.ROUTINE) == [("routine", "skipped", "recent_report")]


async def test_catch_up_after_three_weeks_down_is_one_message(harness: Harness, clock: FakeClock) -> None:
    h = harness
    group = await bind(h, "so_yte")
    await register(h, [("Sở Y tế chủ trì.", ["so_yte"], date(2027, 6, 30))])
    await h.tick()
    clock.set(local(2026, 12, 16, 10, 0))  # Wednesday, three Mondays missed
    assert len(sends(await h.tick(), group)) == 1
    assert sends(await h.tick(), group) == []
    clock.set(local(2026, 12, 21, 8, 0))  # and the cadence resumes on the next Monday
    assert len(sends(await h.tick(), group)) == 1


async def test_deadline_then_overdue_reminders(harness: Harness, clock: FakeClock) -> None:
    h = harness
    group = await bind(h, "so_yte")
    await register(h, [("Sở Y tế chủ trì.", ["so_yte"], date(2026, 12, 4))], plan="deadline")  # Friday
    await h.tick()
    seen: list[str] = []
    for day in range(24, 31):
        clock.set(local(2026, 11, day, 8, 1) if day <= 30 else local(2026, 12, day - 30, 8, 1))
        seen += sends(await h.tick(), group)
    for day in range(1, 12):
        clock.set(local(2026, 12, day, 8, 1))
        seen += sends(await h.tick(), group)
    heads = [t.split(" — ")[0] for t in seen]
    assert heads[:4] == [
        "⏳ Còn 7 ngày đến hạn",
        "⏳ Còn 3 ngày đến hạn",
        "⏳ Còn 1 ngày đến hạn",
        "⏳ Còn 0 ngày đến hạn",
    ]
    assert "⚠️ Đã quá hạn" in heads[4]
    assert any(h_.startswith("🚨") for h_ in heads)


async def test_forbidden_unbinds_and_alerts_admins(harness: Harness, admin: FakeUser) -> None:
    h = harness
    group = await bind(h, "so_yte", "Nhóm Sở Y tế")
    await register(h, [("Sở Y tế chủ trì.", ["so_yte"], None)])
    h.world.inject("sendMessage", Fault.forbidden(), chat_id=group.id, times=1)
    await h.tick()
    async with h.app.bot_data.sessions() as s:
        assert await s.scalar(select(UnitChat.active)) is False
    assert "Sở Y tế" in h.last_text(h.world.private(admin))
    assert await pings(h, PingKind.NOTICE) == [("notice", "pending", "forbidden")]  # waits for a new group


async def test_retry_after_and_server_errors_are_retried_later(harness: Harness, clock: FakeClock) -> None:
    h = harness
    group = await bind(h, "so_yte")
    await register(h, [("Sở Y tế chủ trì.", ["so_yte"], None)])
    h.world.inject("sendMessage", Fault.retry_after(7), chat_id=group.id, times=1)
    assert sends(await h.tick(), group) == []
    assert sends(await h.tick(), group) == []  # still inside the 7 s the server asked for
    clock.advance(timedelta(seconds=8))
    h.world.inject("sendMessage", Fault.server_error(), chat_id=group.id, times=1)
    assert sends(await h.tick(), group) == []
    clock.advance(timedelta(minutes=2))
    assert len(sends(await h.tick(), group)) == 1
    async with h.app.bot_data.sessions() as s:
        ping = await s.scalar(select(Ping))
        assert ping is not None and ping.status == PingStatus.SENT and ping.attempts == 2


async def test_chat_migrated_on_send_follows_the_new_id(harness: Harness) -> None:
    h = harness
    group = await bind(h, "so_yte")
    await register(h, [("Sở Y tế chủ trì.", ["so_yte"], None)])
    new = h.world.group("Sở Y tế (siêu nhóm)", [], supergroup=True)
    h.world.inject("sendMessage", Fault.chat_migrated(new.id), chat_id=group.id, times=1)
    calls = await h.tick()
    assert len(sends(calls, new)) == 1
    async with h.app.bot_data.sessions() as s:
        assert await s.scalar(select(UnitChat.chat_id)) == new.id


async def test_restart_between_ping_written_and_sent(config: Config, world: FakeTelegram, clock: FakeClock) -> None:
    async with Harness.running(config, world, clock=clock) as h:
        group = await bind(h, "so_yte")
        await register(h, [("Sở Y tế chủ trì.", ["so_yte"], date(2027, 3, 31))])
        await h.tick()
        clock.set(local(2026, 11, 30, 8, 0))
        async with h.app.bot_data.sessions() as s:
            await plan_due(s, config, clock.now())  # the ping is written and committed...
            await s.commit()
    # ...and the process dies before sending. The next process sends it, once.
    async with Harness.running(config, world, clock=clock) as h:
        assert len(sends(await h.tick(), group)) == 1
        assert sends(await h.tick(), group) == []


async def test_two_dispatchers_racing_send_each_ping_once(
    config: Config, world: FakeTelegram, clock: FakeClock
) -> None:
    async with Harness.running(config, world, clock=clock) as a, Harness.running(config, world, clock=clock) as b:
        codes = [u.code for u in directory_units() if not u.members][:30]
        assert len(codes) == 30
        groups = [await bind(a, code) for code in codes]
        await register(a, [(f"Đơn vị {c} chủ trì.", [c], None) for c in codes])
        await asyncio.gather(a.tick(), b.tick(), a.tick(), b.tick())
    per_chat = [len([m for m in world.bot_messages(g)]) for g in groups]
    assert per_chat == [1] * len(groups)


async def test_remind_now_for_a_directive(harness: Harness, admin: FakeUser) -> None:
    h = harness
    group = await bind(h, "so_yte")
    directive_id = await register(h, [("Sở Y tế chủ trì.", ["so_yte"], date(2027, 3, 31))])
    await h.tick()
    private = h.world.private(admin)
    await h.text(admin, private, f"/remind {directive_id}")
    assert h.last_text(private).startswith("✅ Đã nhắc 1 nhiệm vụ")
    assert h.last_text(group).startswith("📣 Văn phòng nhắc")
    await h.text(admin, private, f"/remind {directive_id}")  # a double tap in the same minute
    assert h.last_text(private) == texts.REMIND_NOTHING
    await h.text(admin, private, "/remind 999")
    assert h.last_text(private) == texts.REMIND_NO_DIRECTIVE.format(id=999)
    await h.text(admin, private, "/remind")
    assert "Cách dùng" in h.last_text(private)
    await h.text(admin, private, "/remind ²")  # isdigit() says yes, int() says no
    assert "Cách dùng" in h.last_text(private)
    stranger = h.world.user("Người lạ")
    await h.text(stranger, h.world.private(stranger), "/remind all")
    assert h.last_text(h.world.private(stranger)).startswith("Lệnh /remind dành cho")
    async with h.app.bot_data.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Ping).where(Ping.kind == PingKind.MANUAL)) == 1


async def test_tet_2027_moves_the_weekly_reminder_past_the_holiday(harness: Harness, clock: FakeClock) -> None:
    h = harness
    group = await bind(h, "so_yte")
    clock.set(local(2027, 2, 1, 9, 0))  # Monday before Tết
    await register(h, [("Sở Y tế chủ trì.", ["so_yte"], None)])
    await h.tick()
    clock.set(local(2027, 2, 8, 8, 0))  # Monday in the Tết break (04-10/02/2027): nothing goes
    assert sends(await h.tick(), group) == []
    clock.set(local(2027, 2, 11, 8, 0))  # Thursday, the first working day after Tết
    [reminder] = sends(await h.tick(), group)
    assert reminder.startswith("⏰ Nhắc việc định kỳ")
    assert sends(await h.tick(), group) == []
