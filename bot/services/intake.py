"""Unfinished registrations (/newdirective): the secretary's draft and step, kept in the database.

Functions flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.draft import Intake, intake_from_state, intake_to_state
from db.models import DirectiveDraft

log = logging.getLogger("dondoc.directives")




@dataclass(frozen=True)
class StoredIntake:
    intake: Intake
    updated_at: datetime


def _readable(user_id: int, data: dict[str, Any], updated_at: datetime) -> StoredIntake | None:
    try:
        return StoredIntake(intake_from_state(data), updated_at)
    except ValueError:
        # Written by an incompatible version: treated as absent and overwritten by the next registration.
        log.warning("unreadable draft ignored user=%s", user_id)
        return None


async def load_intake(session: AsyncSession, user_id: int, *, lock: bool = False) -> StoredIntake | None:
    """The user's unfinished registration, by primary key. `lock` (FOR UPDATE on PostgreSQL) makes
    updates of one user handled by two instances at once take turns; SQLite's BEGIN IMMEDIATE already does."""
    stmt = select(DirectiveDraft.data, DirectiveDraft.updated_at).where(DirectiveDraft.user_id == user_id)
    row = (await session.execute(stmt.with_for_update() if lock else stmt)).one_or_none()
    return None if row is None else _readable(user_id, row.data, row.updated_at)


async def store_intake(session: AsyncSession, user_id: int, intake: Intake, *, now: datetime) -> None:
    """Insert or replace, so two instances starting a registration at once cannot collide on the key."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    data = intake_to_state(intake)
    stmt = insert(DirectiveDraft).values(user_id=user_id, data=data, created_at=now, updated_at=now)
    await session.execute(
        stmt.on_conflict_do_update(index_elements=[DirectiveDraft.user_id], set_={"data": data, "updated_at": now})
    )


async def drop_intake(session: AsyncSession, user_id: int) -> bool:
    """Delete the user's registration; False if there was none (and then nothing is written)."""
    found = await session.scalar(select(DirectiveDraft.user_id).where(DirectiveDraft.user_id == user_id))
    if found is None:
        return False
    await session.execute(delete(DirectiveDraft).where(DirectiveDraft.user_id == user_id))
    return True


async def expire_idle_intakes(session: AsyncSession, *, idle_before: datetime, now: datetime) -> list[int]:
    """Mark the running registrations untouched since `idle_before` as timed out; return their user ids.

    SKIP LOCKED on PostgreSQL: a row another instance is working on right now is not idle.
    """
    stmt = (
        select(DirectiveDraft.user_id, DirectiveDraft.data, DirectiveDraft.updated_at)
        .where(DirectiveDraft.updated_at <= idle_before)
        .order_by(DirectiveDraft.user_id)
        .with_for_update(skip_locked=True)
    )
    expired: list[int] = []
    for row in (await session.execute(stmt)).all():
        stored = _readable(row.user_id, row.data, row.updated_at)
        if stored is not None and stored.intake.active:
            stored.intake.active = False
            await store_intake(session, row.user_id, stored.intake, now=now)
            expired.append(row.user_id)
    return expired
