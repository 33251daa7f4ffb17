"""Setting up units that answer: a bound group, a directive naming the unit, its notice sent."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot.domain.draft import Draft, DraftDuty
from bot.services.directives import save_draft
from db.models import Assignment, StatusReport, Unit, UnitChat
from fakeapi.harness import Harness
from fakeapi.models import FakeChat, FakeUser, JSONDict


async def bind(h: Harness, code: str) -> tuple[FakeChat, FakeUser]:
    """A group bound to unit `code`, with one member."""
    member = h.world.user("Đầu mối " + code)
    group = h.world.group(code, [member])
    async with h.app.bot_data.sessions() as s:
        unit_id = await s.scalar(select(Unit.id).where(Unit.code == code))
        assert unit_id is not None
        s.add(UnitChat(unit_id=unit_id, chat_id=group.id, chat_title=group.title, bound_at=h.app.bot_data.clock.now()))
        await s.commit()
    return group, member


async def register(h: Harness, actor: int, duties: list[tuple[str, list[str], date | None]]) -> None:
    draft = Draft(source_text=f"1-CV/TU {duties}", number="1-CV/TU", kind="công văn", title="Về việc thử nghiệm")
    for i, (text, leads, deadline) in enumerate(duties, 1):
        draft.duties.append(DraftDuty(str(i), None, text, general=False, leads=leads, deadline=deadline))
    async with h.app.bot_data.sessions() as s:
        await save_draft(s, draft, actor=actor, now=h.app.bot_data.clock.now())
        await s.commit()


def notice_of(h: Harness, group: FakeChat) -> JSONDict:
    """The first message the bot sent to the group (its notice)."""
    return h.world.bot_messages(group)[0]


async def assignment_of(h: Harness, code: str) -> Assignment:
    async with h.app.bot_data.sessions() as s:
        row = await s.scalar(select(Assignment).join(Unit, Unit.id == Assignment.unit_id).where(Unit.code == code))
        assert row is not None
        return row


async def report_count(h: Harness) -> int:
    async with h.app.bot_data.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(StatusReport)) or 0)


async def reports_in_order(h: Harness, chat_id: int) -> list[str]:
    async with h.app.bot_data.sessions() as s:
        rows = await s.scalars(
            select(StatusReport.text).where(StatusReport.chat_id == chat_id).order_by(StatusReport.id)
        )
        return list(rows)
