"""Steps many bot tests share: bind a unit's group, register a directive, find an assignment and its notice."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.domain.draft import Draft, DraftDuty
from bot.services.directives import save_draft
from db.models import Assignment, Duty, Unit, UnitChat
from fakeapi import FakeChat, FakeUser
from fakeapi.harness import Harness
from fakeapi.models import JSONDict
from tests.bot.conftest import ADMIN_ID

HANOI = 7


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC) - timedelta(hours=HANOI)


async def bind(h: Harness, code: str, title: str | None = None) -> FakeChat:
    member = h.world.user("Đầu mối " + code)
    group = h.world.group(title or code, [member])
    async with h.app.bot_data.sessions() as s:
        unit_id = await s.scalar(select(Unit.id).where(Unit.code == code))
        assert unit_id is not None
        s.add(UnitChat(unit_id=unit_id, chat_id=group.id, chat_title=group.title, bound_at=h.app.bot_data.clock.now()))
        await s.commit()
    return group


async def register(
    h: Harness,
    duties: list[tuple[str, list[str], date | None]],
    *,
    number: str = "1046-CV/TU",
    monitor: str | None = None,
) -> int:
    draft = Draft(source_text=f"{number} {duties}", number=number, kind="công văn", title="Về việc thử nghiệm",
                  monitor_code=monitor)  # fmt: skip
    for i, (text, leads, deadline) in enumerate(duties, 1):
        draft.duties.append(DraftDuty(str(i), None, text, general=False, leads=leads, deadline=deadline))
    async with h.app.bot_data.sessions() as s:
        saved = await save_draft(s, draft, actor=ADMIN_ID, now=h.app.bot_data.clock.now())
        await s.commit()
    return saved.directive_id


async def assignment(h: Harness, unit_code: str, position: int = 1) -> Assignment:
    async with h.app.bot_data.sessions() as s:
        row = await s.scalar(
            select(Assignment)
            .join(Unit, Unit.id == Assignment.unit_id)
            .join(Duty, Duty.id == Assignment.duty_id)
            .where(Unit.code == unit_code, Duty.position == position)
        )
        assert row is not None
        return row


def notice_of(h: Harness, group: FakeChat) -> JSONDict:
    found = [m for m in h.world.bot_messages(group) if str(m.get("text", "")).startswith(("📌", "⏰"))]
    assert found, "no notice in the group"
    return found[-1]


async def setup_one(h: Harness, code: str = "so_yte", *, deadline: date | None = date(2027, 3, 31),
                    monitor: str | None = None) -> tuple[FakeChat, FakeUser, JSONDict, Assignment]:  # fmt: skip
    group = await bind(h, code)
    contact = h.world.user("Đầu mối", code)
    await register(h, [(f"{code} chủ trì rà soát, báo cáo kết quả.", [code], deadline)], monitor=monitor)
    await h.tick()
    return group, contact, notice_of(h, group), await assignment(h, code)


async def invite(h: Harness, admin: FakeUser, unit: str) -> str:
    chat = h.world.private(admin)
    await h.text(admin, chat, f"/invite {unit}")
    match = re.search(r"startgroup=([A-Za-z0-9_-]+)", h.last_text(chat))
    assert match, h.last_text(chat)
    return match.group(1)
