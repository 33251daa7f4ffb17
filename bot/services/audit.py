"""The audit trail: who changed what, and when (DESIGN.md section 2, AuditLog)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditLog, Person


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


async def recent_audit(
    session: AsyncSession, *, directive_id: int | None = None, unit_id: int | None = None, limit: int = 20
) -> list[tuple[AuditLog, str | None]]:
    """The newest entries (optionally for one directive or unit), each with the actor's name if known."""
    query = (
        select(AuditLog, Person.full_name)
        .outerjoin(Person, Person.telegram_user_id == AuditLog.actor_user_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    )
    if directive_id is not None:
        query = query.where(AuditLog.directive_id == directive_id)
    if unit_id is not None:
        query = query.where(AuditLog.unit_id == unit_id)
    return [(row[0], row[1] or None) for row in await session.execute(query)]
