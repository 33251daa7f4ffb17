"""A reply to a notice or reminder the bot never recorded (a kill between Telegram accepting it and
the commit): the copy's own buttons name its duties (`r|<assignment>|…`), and they count only when
they belong to the replying chat's unit, the same check a tap on those buttons gets."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.reports import Target
from db.models import Assignment, Directive, Duty, Unit


def button_assignments(rows: list[list[str | None]]) -> list[int]:
    """Assignment ids in the order the keyboard shows them, from answer buttons' callback data."""
    out: list[int] = []
    for row in rows:
        for data in row:
            parts = (data or "").split("|")
            if len(parts) == 3 and parts[0] == "r" and parts[1].isdigit() and int(parts[1]) not in out:
                out.append(int(parts[1]))
    return out


async def targets_of_copy(session: AsyncSession, assignment_ids: list[int], unit_id: int | None) -> list[Target]:
    if not assignment_ids or unit_id is None:
        return []
    rows = await session.execute(
        select(Assignment, Duty, Directive, Unit)
        .join(Duty, Duty.id == Assignment.duty_id)
        .join(Directive, Directive.id == Duty.directive_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.id.in_(assignment_ids), Assignment.unit_id == unit_id)
    )
    found = {a.id: Target(a, duty, directive, unit) for a, duty, directive, unit in rows}
    return [found[i] for i in assignment_ids if i in found]
