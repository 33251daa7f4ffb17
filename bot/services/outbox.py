"""The outbox: durable, idempotent messages to secretaries, monitor groups and units.

A row is written in the same transaction as the change it reports (an escalation slot, a done
report, a decision), keyed so a replayed transaction or a racing instance adds nothing. The
dispatcher sends it and renders the text at that moment (bot/views_outbox.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.domain.enums import PingStatus, Role
from db.models import Directive, Outbox, Person, UnitChat

# Kinds, and what their payload holds.
ESCALATION = "escalation"  # directive_id, day (local ISO date), after_days
CONFIRM_REQUEST = "confirm_request"  # assignment_id, report_id
EXTENSION_REQUEST = "extension_request"  # assignment_id, report_id
DIFFICULTY = "difficulty"  # assignment_id, report_id
DECISION = "decision"  # assignment_id, report_id (a CONFIRMED/RETURNED report, or an extension decision)


async def enqueue(
    session: AsyncSession,
    *,
    key: str,
    kind: str,
    chat_id: int,
    payload: dict[str, Any],
    now: datetime,
    due_at: datetime | None = None,
) -> None:
    """Add one message unless its key exists. ON CONFLICT, not a pre-check: instances race on keys."""
    await _insert(session, [_row(key, kind, chat_id, payload, now, due_at)])


def _row(
    key: str, kind: str, chat_id: int, payload: dict[str, Any], now: datetime, due_at: datetime | None
) -> dict[str, Any]:
    return {"key": key, "kind": kind, "chat_id": chat_id, "payload": payload, "status": PingStatus.PENDING,
            "attempts": 0, "due_at": due_at or now, "created_at": now}  # fmt: skip


async def _insert(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(Outbox).values(rows)
    await session.execute(stmt.on_conflict_do_nothing(index_elements=[Outbox.key]))


async def staff_chats(session: AsyncSession, config: Config) -> list[int]:
    """Secretaries' private chats; the admins when no secretary is registered yet."""
    ids = list(await session.scalars(select(Person.telegram_user_id).where(Person.role == Role.SECRETARY)))
    return sorted(ids) if ids else sorted(config.admins)


async def monitor_chat(session: AsyncSession, directive: Directive) -> int | None:
    if directive.monitor_unit_id is None:
        return None
    return await session.scalar(
        select(UnitChat.chat_id).where(UnitChat.unit_id == directive.monitor_unit_id, UnitChat.active.is_(True))
    )


async def unit_chat(session: AsyncSession, unit_id: int) -> int | None:
    return await session.scalar(select(UnitChat.chat_id).where(UnitChat.unit_id == unit_id, UnitChat.active.is_(True)))


async def fan_out(
    session: AsyncSession,
    chats: Iterable[int | None],
    *,
    key: str,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    due_at: datetime | None = None,
) -> int:
    """The same message to several chats, each keyed apart (`key:chat`), in one statement."""
    rows = [
        _row(f"{key}:{chat_id}", kind, chat_id, payload, now, due_at)
        for chat_id in dict.fromkeys(c for c in chats if c is not None)
    ]
    await _insert(session, rows)
    return len(rows)
