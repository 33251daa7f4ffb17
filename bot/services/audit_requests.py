"""/audit's request as one use case: the scope it names, and its first page."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.services.audit import AuditPage, AuditScope, audit_page
from bot.services.units import resolve_unit


async def audit_for_request(
    session: AsyncSession, config: Config, kind: str, unit_text: str, directive_id: int | None
) -> AuditPage | None:
    """/audit [a | u <unit> | d <id>]: the first page of that scope; None when the unit is unknown."""
    unit = await resolve_unit(session, unit_text) if kind == "u" else None
    ref = unit.id if unit is not None else directive_id
    if ref is None and kind != "a":
        return None
    return await audit_page(session, config, AuditScope(kind, ref))
