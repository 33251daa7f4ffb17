from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.enums import AssignmentRole, PingKind
from db.models import Assignment, Directive, Duty, Ping, Unit
from db.session import make_session_factory

T0 = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)


async def _assignment(engine: AsyncEngine) -> int:
    async with make_session_factory(engine)() as s:
        unit = Unit(code="so_tttt", name="Sở Thông tin và Truyền thông", created_at=T0, updated_at=T0)
        d = Directive(number="1046-CV/TU", title="Phòng chống dịch", created_at=T0)
        duty = Duty(directive=d, position=1, label="1", text="Tuyên truyền")
        s.add_all([unit, d, duty])
        await s.flush()
        a = Assignment(duty=duty, unit=unit, role=AssignmentRole.LEAD, created_at=T0, updated_at=T0)
        s.add(a)
        await s.commit()
        return a.id


async def test_datetimes_are_stored_and_returned_in_utc(engine: AsyncEngine) -> None:
    aid = await _assignment(engine)
    local = datetime(2026, 11, 23, 8, 30, tzinfo=timezone(timedelta(hours=7)))
    async with make_session_factory(engine)() as s:
        a = await s.get_one(Assignment, aid)
        a.next_run_at = local
        await s.commit()
    async with make_session_factory(engine)() as s:
        got = (await s.execute(select(Assignment.next_run_at))).scalar_one()
    assert got == T0 + timedelta(hours=0) and got.tzinfo is not None
    assert got.utcoffset() == timedelta(0)


async def test_naive_datetime_is_refused(engine: AsyncEngine) -> None:
    aid = await _assignment(engine)
    async with make_session_factory(engine)() as s:
        a = await s.get_one(Assignment, aid)
        a.next_run_at = datetime(2026, 1, 1)
        with pytest.raises(Exception, match="naive"):
            await s.commit()


async def test_ping_slot_is_unique(engine: AsyncEngine) -> None:
    aid = await _assignment(engine)
    async with make_session_factory(engine)() as s:
        s.add(Ping(assignment_id=aid, kind=PingKind.ROUTINE, scheduled_for=T0, created_at=T0))
        await s.commit()
    async with make_session_factory(engine)() as s:
        s.add(Ping(assignment_id=aid, kind=PingKind.ROUTINE, scheduled_for=T0, created_at=T0))
        with pytest.raises(IntegrityError):
            await s.commit()
