"""Directives in the database: save a checked draft, find duplicates, list, show, close.

Functions flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.domain.draft import Draft
from bot.domain.enums import (
    AssignmentRole,
    AssignmentStatus,
    DirectiveStatus,
    DutyStatus,
    PingKind,
    PingStatus,
)
from bot.domain.errors import Refusal
from bot.domain.plans import PRESETS
from bot.domain.vndates import Ongoing
from bot.services.audit import audit
from bot.services.intake import StoredIntake as StoredIntake  # re-exported: callers name it from here
from bot.services.intake import (
    drop_intake as drop_intake,
)
from bot.services.intake import (
    expire_idle_intakes as expire_idle_intakes,
)
from bot.services.intake import (
    load_intake as load_intake,
)
from bot.services.intake import (
    store_intake as store_intake,
)
from db.models import Assignment, Duty, Ping, Unit, UnitChat
from db.models import Directive as Directive  # re-exported: handlers name saved directives by it

log = logging.getLogger("dondoc.directives")


class DirectiveError(Refusal):
    """A refusal phrased for the user; `key` names the message in texts."""



@dataclass(frozen=True)
class SavedDirective:
    directive_id: int
    duties: int
    assignments: int
    units: list[tuple[str, str]]  # (code, name) of every assigned unit
    unbound: list[tuple[str, str]]  # those with no active group yet


async def find_duplicate(session: AsyncSession, draft: Draft) -> tuple[Directive, str] | None:
    """An already registered directive with the same text ("file") or the same number ("number")."""
    file_hash = draft.file_hash
    if file_hash:
        same = await session.scalar(select(Directive).where(Directive.file_hash == file_hash))
        if same is not None:
            return same, "file"
    if draft.number:
        same = await session.scalar(
            select(Directive)
            .where(func.lower(Directive.number) == draft.number.lower())
            .order_by(Directive.id.desc())
            .limit(1)
        )
        if same is not None:
            return same, "number"
    return None


async def _unit_ids(session: AsyncSession, codes: set[str]) -> dict[str, Unit]:
    if not codes:
        return {}
    rows = await session.scalars(select(Unit).where(Unit.code.in_(codes)))
    return {u.code: u for u in rows}


async def save_draft(session: AsyncSession, draft: Draft, *, actor: int | None, now: datetime) -> SavedDirective:
    """Store the directive, its duties and assignments, and queue one notice per assignment."""
    codes = {c for d in draft.duties for c in d.unit_codes}
    if draft.monitor_code:
        codes.add(draft.monitor_code)
    units = await _unit_ids(session, codes)
    missing = sorted(codes - set(units))
    if missing:
        raise DirectiveError("unknown_codes", codes=", ".join(missing))
    if not draft.duties:
        raise DirectiveError("no_duties")
    if not draft.has_work():
        raise DirectiveError("no_units")
    file_hash = draft.file_hash
    if file_hash and await session.scalar(select(Directive.id).where(Directive.file_hash == file_hash)):
        raise DirectiveError("duplicate_file")
    plan = PRESETS[draft.plan].to_json()
    directive = Directive(
        number=draft.number,
        kind=draft.kind,
        title=draft.title or "",
        issued_on=draft.issued_on,
        place=draft.place,
        issuer=draft.issuer,
        signer_name=draft.signer_name,
        signer_title=draft.signer_title,
        source_text=draft.source_text,
        file_name=draft.file_name,
        file_hash=file_hash,
        monitor_unit_id=units[draft.monitor_code].id if draft.monitor_code else None,
        status=DirectiveStatus.ACTIVE,
        reminder_plan=plan,
        created_by=actor,
        created_at=now,
    )
    session.add(directive)
    await session.flush()
    by_label: dict[str, Duty] = {}
    assignments: list[Assignment] = []
    for position, item in enumerate(draft.duties, start=1):
        deadline = item.deadline if isinstance(item.deadline, date) else None
        duty = Duty(
            directive_id=directive.id,
            parent_id=by_label[item.parent].id if item.parent in by_label else None,
            position=position,
            label=item.label,
            text=item.text,
            general=item.general,
            deadline=deadline,
            recurrence="ongoing" if isinstance(item.deadline, Ongoing) else None,
            status=DutyStatus.OPEN,
        )
        session.add(duty)
        await session.flush()
        by_label[item.label] = duty
        for code in item.unit_codes:
            assignment = Assignment(
                duty_id=duty.id,
                unit_id=units[code].id,
                role=AssignmentRole.LEAD if code in item.leads else AssignmentRole.SUPPORT,
                status=AssignmentStatus.ASSIGNED,
                deadline=deadline,
                original_deadline=deadline,
                # The reminder tick picks the notice up at once.
                next_run_at=now,
                created_at=now,
                updated_at=now,
            )
            session.add(assignment)
            assignments.append(assignment)
    await session.flush()
    for assignment in assignments:
        session.add(
            Ping(
                assignment_id=assignment.id,
                kind=PingKind.NOTICE,
                scheduled_for=now,
                status=PingStatus.PENDING,
                created_at=now,
            )
        )
    assigned = {u.code: u for u in units.values() if any(u.code in d.unit_codes for d in draft.duties)}
    bound = set(
        await session.scalars(
            select(UnitChat.unit_id).where(
                UnitChat.active.is_(True), UnitChat.unit_id.in_([u.id for u in assigned.values()])
            )
        )
    )
    await audit(
        session,
        at=now,
        actor=actor,
        action="directive.create",
        entity="directive",
        entity_id=str(directive.id),
        directive_id=directive.id,
        after={
            "number": directive.number,
            "title": directive.title,
            "duties": len(draft.duties),
            "assignments": len(assignments),
            "plan": plan,
        },
    )
    await session.flush()
    ordered = sorted(assigned.values(), key=lambda u: u.name)
    return SavedDirective(
        directive_id=directive.id,
        duties=len(draft.duties),
        assignments=len(assignments),
        units=[(u.code, u.name) for u in ordered],
        unbound=[(u.code, u.name) for u in ordered if u.id not in bound],
    )


@dataclass(frozen=True)
class DirectiveRow:
    id: int
    number: str | None
    title: str
    status: DirectiveStatus
    duties: int
    duties_done: int
    assignments: int
    assignments_done: int
    kind: str | None = None
    issued_on: date | None = None


async def list_directives(session: AsyncSession, *, include_closed: bool = False) -> list[DirectiveRow]:
    """Directives with progress counts, newest first, in one round trip per aggregate."""
    stmt = select(Directive).order_by(Directive.id.desc())
    if not include_closed:
        stmt = stmt.where(Directive.status == DirectiveStatus.ACTIVE)
    directives = list(await session.scalars(stmt))
    if not directives:
        return []
    ids = [d.id for d in directives]
    duty_counts = {
        row.directive_id: (row.total, row.done)
        for row in await session.execute(
            select(
                Duty.directive_id,
                func.count(Duty.id).label("total"),
                func.count(Duty.id).filter(Duty.status == DutyStatus.DONE).label("done"),
            )
            .where(Duty.directive_id.in_(ids))
            .group_by(Duty.directive_id)
        )
    }
    done_states = (AssignmentStatus.CONFIRMED, AssignmentStatus.REPORTED_DONE)
    assignment_counts = {
        row.directive_id: (row.total, row.done)
        for row in await session.execute(
            select(
                Duty.directive_id,
                func.count(Assignment.id).label("total"),
                func.count(Assignment.id).filter(Assignment.status.in_(done_states)).label("done"),
            )
            .join(Assignment, Assignment.duty_id == Duty.id)
            .where(Duty.directive_id.in_(ids))
            .group_by(Duty.directive_id)
        )
    }
    return [
        DirectiveRow(
            id=d.id,
            number=d.number,
            title=d.title,
            status=d.status,
            duties=duty_counts.get(d.id, (0, 0))[0],
            duties_done=duty_counts.get(d.id, (0, 0))[1],
            assignments=assignment_counts.get(d.id, (0, 0))[0],
            assignments_done=assignment_counts.get(d.id, (0, 0))[1],
            kind=d.kind,
            issued_on=d.issued_on,
        )
        for d in directives
    ]


@dataclass(frozen=True)
class DutyDetail:
    duty: Duty
    units: list[tuple[Unit, Assignment]]


@dataclass(frozen=True)
class DirectiveDetail:
    directive: Directive
    monitor: Unit | None
    duties: list[DutyDetail]


async def get_detail(session: AsyncSession, directive_id: int) -> DirectiveDetail | None:
    directive = await session.get(Directive, directive_id)
    if directive is None:
        return None
    duties = list(
        await session.scalars(
            select(Duty)
            .where(Duty.directive_id == directive_id)
            .order_by(Duty.position)
            .options(selectinload(Duty.assignments).selectinload(Assignment.unit))
        )
    )
    monitor = await session.get(Unit, directive.monitor_unit_id) if directive.monitor_unit_id else None
    details = [
        DutyDetail(
            duty,
            sorted(
                ((a.unit, a) for a in duty.assignments),
                key=lambda pair: (pair[1].role != AssignmentRole.LEAD, pair[0].name),
            ),
        )
        for duty in duties
    ]
    return DirectiveDetail(directive, monitor, details)


async def set_status(
    session: AsyncSession, directive_id: int, status: DirectiveStatus, *, actor: int | None, now: datetime
) -> Directive:
    """Close, archive or reopen. Closed and archived directives get no more reminders."""
    directive = await session.get(Directive, directive_id)
    if directive is None:
        raise DirectiveError("not_found", id=directive_id)
    if directive.status == status:
        raise DirectiveError("same_status")
    before = directive.status
    directive.status = status
    directive.closed_at = None if status == DirectiveStatus.ACTIVE else now
    # Closing stops the reminder tick for every assignment; reopening resumes the open ones.
    duty_ids = select(Duty.id).where(Duty.directive_id == directive_id).scalar_subquery()
    for assignment in await session.scalars(select(Assignment).where(Assignment.duty_id.in_(duty_ids))):
        if status != DirectiveStatus.ACTIVE:
            assignment.next_run_at = None
        elif assignment.status != AssignmentStatus.CONFIRMED:
            assignment.next_run_at = now
    await audit(
        session,
        at=now,
        actor=actor,
        action=f"directive.{status.value}",
        entity="directive",
        entity_id=str(directive_id),
        directive_id=directive_id,
        before={"status": before.value},
        after={"status": status.value},
    )
    await session.flush()
    return directive


async def bound_unit_codes(session: AsyncSession, codes: Iterable[str]) -> set[str]:
    """Which of these units have an active Telegram group (the preview counts the others)."""
    wanted = list(set(codes))
    if not wanted:
        return set()
    rows = await session.scalars(
        select(Unit.code)
        .join(UnitChat, UnitChat.unit_id == Unit.id)
        .where(UnitChat.active.is_(True), Unit.code.in_(wanted))
    )
    return set(rows)
