"""Shared set-up for bot-level tests: bind a unit's group, register a directive without the
conversation, find the notice the tick sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from bot.domain.draft import Draft, DraftDuty
from bot.services.directives import save_draft
from db.models import Assignment, Duty, Unit, UnitChat
from fakeapi import FakeChat
from fakeapi.harness import Harness
from fakeapi.models import JSONDict


@dataclass
class DutySpec:
    text: str
    leads: list[str]
    deadline: date | None = None
    supports: list[str] = field(default_factory=list)


async def bind(h: Harness, code: str) -> FakeChat:
    member = h.world.user("Đầu mối " + code)
    group = h.world.group(code, [member])
    async with h.app.bot_data.sessions() as s:
        unit_id = await s.scalar(select(Unit.id).where(Unit.code == code))
        assert unit_id is not None
        s.add(UnitChat(unit_id=unit_id, chat_id=group.id, chat_title=group.title, bound_at=h.app.bot_data.clock.now()))
        await s.commit()
    return group


async def register(
    h: Harness,
    duties: list[DutySpec],
    *,
    actor: int,
    number: str = "1046-CV/TU",
    kind: str = "công văn",
    title: str = "Về việc thử nghiệm",
    issuer: str | None = None,
    issued_on: date | None = None,
    monitor: str | None = None,
) -> int:
    draft = Draft(
        source_text=f"{number} {title} {duties}", number=number, kind=kind, title=title, issuer=issuer,
        issued_on=issued_on, monitor_code=monitor,
    )  # fmt: skip
    for i, spec in enumerate(duties, 1):
        duty = DraftDuty(str(i), None, spec.text, general=False, leads=spec.leads, supports=spec.supports)
        duty.deadline = spec.deadline
        draft.duties.append(duty)
    async with h.app.bot_data.sessions() as s:
        saved = await save_draft(s, draft, actor=actor, now=h.app.bot_data.clock.now())
        await s.commit()
    return saved.directive_id


async def assignment_of(h: Harness, unit_code: str, position: int = 1) -> Assignment:
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
