"""The audit trail: who changed what, and when (DESIGN.md section 2, AuditLog)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditLog


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
