"""The audit trail: who changed what, and when (DESIGN.md section 2, AuditLog)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.domain.enums import Role
from db.models import Assignment, AuditLog, Directive, Duty, Person, Unit, UnitChat


async def audit(
    session: AsyncSession,
    *,
    at: datetime,
    actor: int | None,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    directive_id: int | None = None,
    unit_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Record one change in the caller's transaction (it is committed, or rolled back, with the change).

    `actor` is the Telegram user id, or None for the command line and the system itself.
    `action` is dotted, entity first: "unit.add", "directive.close".
    """
    session.add(
        AuditLog(
            at=at,
            actor_user_id=actor,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            directive_id=directive_id,
            unit_id=unit_id,
            before=before,
            after=after,
        )
    )


# --- reading the trail (/audit) -------------------------------------------------------------------
PAGE_SIZE = 6  # ~600 characters at most per entry (views_audit bounds each part): a page stays under 4096


@dataclass(frozen=True)
class AuditScope:
    """Everything ("a"), one directive ("d") or one unit ("u"); `ref_id` is the directive's or unit's id."""

    kind: str
    ref_id: int | None = None


@dataclass(frozen=True)
class Actor:
    user_id: int
    name: str
    role: Role | None
    unit_name: str | None


@dataclass(frozen=True)
class AuditEntry:
    """One row with the names it points at, loaded so that the view never shows a bare id."""

    row: AuditLog
    actor: Actor | None  # None: the system or the command line
    directive: Directive | None
    unit_name: str | None
    duty_label: str | None
    subject: Actor | None  # the person a role change is about
    chat_title: str | None  # the group a binding row is about
    unit_names: dict[int, str]  # units named by id in before/after (a role's unit)


@dataclass(frozen=True)
class AuditPage:
    scope: AuditScope
    scope_name: str | None  # the unit's name, for a unit scope
    scope_directive: Directive | None
    entries: list[AuditEntry]
    page: int
    pages: int
    total: int
    anchor: int  # the newest row id the pages cover: later rows do not shift them


def _in_scope(scope: AuditScope) -> list[ColumnElement[bool]]:
    if scope.kind == "d":
        return [AuditLog.directive_id == scope.ref_id]
    if scope.kind == "u":
        return [AuditLog.unit_id == scope.ref_id]
    return []


async def audit_page(
    session: AsyncSession, config: Config, scope: AuditScope, *, page: int = 0, anchor: int | None = None
) -> AuditPage | None:
    """Page `page` (newest first) of the rows up to `anchor` (None: the newest now); None if no such page."""
    where = _in_scope(scope)
    if anchor is None:
        anchor = await session.scalar(select(func.max(AuditLog.id)).where(*where)) or 0
    where.append(AuditLog.id <= anchor)
    total = await session.scalar(select(func.count()).select_from(AuditLog).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    if page >= pages or (total == 0 and page > 0):
        return None
    rows = list(
        await session.scalars(
            select(AuditLog)
            .where(*where)
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .offset(page * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    )
    directive = await session.get(Directive, scope.ref_id) if scope.kind == "d" and scope.ref_id else None
    unit = await session.get(Unit, scope.ref_id) if scope.kind == "u" and scope.ref_id else None
    entries = await _named(session, config, rows)
    return AuditPage(scope, unit.name if unit else None, directive, entries, page, pages, total, anchor)


def _role_unit_ids(row: AuditLog) -> set[int]:
    return {v for d in (row.before, row.after) if d for k, v in d.items() if k == "unit_id" and isinstance(v, int)}


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


async def _named(session: AsyncSession, config: Config, rows: list[AuditLog]) -> list[AuditEntry]:
    """Load, in a few queries, the people, directives, units, duties and groups the rows point at."""
    people_ids = {r.actor_user_id for r in rows if r.actor_user_id is not None}
    people_ids |= {i for r in rows if r.entity == "person" and (i := _int(r.entity_id)) is not None}
    unit_ids = {r.unit_id for r in rows if r.unit_id is not None}
    for r in rows:
        unit_ids |= _role_unit_ids(r)
    people: dict[int, Person] = {
        p.telegram_user_id: p
        for p in await session.scalars(select(Person).where(Person.telegram_user_id.in_(people_ids)))
    }
    unit_ids |= {p.unit_id for p in people.values() if p.unit_id is not None}
    units = {u.id: u.name for u in await session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))}
    directive_ids = {r.directive_id for r in rows if r.directive_id is not None}
    directives = {d.id: d for d in await session.scalars(select(Directive).where(Directive.id.in_(directive_ids)))}
    assignment_ids = {i for r in rows if r.entity == "assignment" and (i := _int(r.entity_id)) is not None}
    labels: dict[int, str] = {
        row[0]: row[1]
        for row in await session.execute(
            select(Assignment.id, Duty.label)
            .join(Duty, Duty.id == Assignment.duty_id)
            .where(Assignment.id.in_(assignment_ids))
        )
    }
    chat_ids = {i for r in rows if r.entity == "unit_chat" and (i := _int(r.entity_id)) is not None}
    chats = {c.id: c.chat_title for c in await session.scalars(select(UnitChat).where(UnitChat.id.in_(chat_ids)))}

    def actor(user_id: int | None) -> Actor | None:
        if user_id is None:
            return None
        p = people.get(user_id)
        role = Role.ADMIN if user_id in config.admins else (p.role if p else None)
        unit_name = units.get(p.unit_id) if p and p.unit_id is not None else None
        return Actor(user_id, p.full_name if p else "", role, unit_name)

    return [
        AuditEntry(
            row=r,
            actor=actor(r.actor_user_id),
            directive=directives.get(r.directive_id) if r.directive_id is not None else None,
            unit_name=units.get(r.unit_id) if r.unit_id is not None else None,
            duty_label=labels.get(_int(r.entity_id) or 0) if r.entity == "assignment" else None,
            subject=actor(_int(r.entity_id)) if r.entity == "person" else None,
            chat_title=chats.get(_int(r.entity_id) or 0) if r.entity == "unit_chat" else None,
            unit_names={i: units[i] for i in _role_unit_ids(r) if i in units},
        )
        for r in rows
    ]
