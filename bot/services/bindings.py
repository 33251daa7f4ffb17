"""Binding Telegram groups to units: one-time invite tokens, rebinding with history, removal, migration.

Functions flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import Refusal
from bot.services.audit import audit
from bot.services.units import resolve_unit
from db.models import Invite, Unit, UnitChat


class BindError(Refusal):
    """Why a token cannot bind; `key` is one of unknown, used, expired, inactive_unit, bound_elsewhere."""



async def create_invite(
    session: AsyncSession, unit: Unit, *, actor: int | None, now: datetime, ttl: timedelta
) -> Invite:
    # 24 random bytes: unguessable, and 32 URL-safe characters fit the 64-character startgroup limit.
    invite = Invite(
        token=secrets.token_urlsafe(24), unit_id=unit.id, created_by=actor, created_at=now, expires_at=now + ttl
    )
    session.add(invite)
    await session.flush()
    await audit(
        session, at=now, actor=actor, action="invite.create", entity="invite", entity_id=str(invite.id), unit_id=unit.id
    )
    return invite


@dataclass(frozen=True)
class Binding:
    unit: Unit
    chat: UnitChat
    moved_from_chat: int | None  # the unit's previous group, if any
    restored: bool = False  # this very group was bound to this unit before (the bot was re-added)
    taken_from: Unit | None = None  # the unit this group served until an admin moved it here


async def bind_with_token(
    session: AsyncSession,
    token: str,
    *,
    chat_id: int,
    chat_title: str | None,
    chat_type: str,
    actor: int | None,
    now: datetime,
    may_move_group: bool = False,
) -> Binding:
    """Consume `token` and bind the chat to its unit. Raises BindError and changes nothing if invalid.

    A group already serving another unit moves only when `may_move_group` (the sender is an admin):
    otherwise anyone holding some unit's live link could pull a working group away from its unit.
    """
    invite = await session.scalar(select(Invite).where(Invite.token == token).with_for_update())
    if invite is None:
        raise BindError("unknown")
    if invite.used_at is not None:
        raise BindError("used")
    if invite.expires_at <= now:
        raise BindError("expired")
    unit = await session.get(Unit, invite.unit_id)
    if unit is None or not unit.active:
        raise BindError("inactive_unit")
    current = await active_binding(session, chat_id=chat_id)
    taken_from: Unit | None = None
    if current is not None and current.unit_id != unit.id:
        if not may_move_group:
            raise BindError("bound_elsewhere")
        taken_from = await session.get(Unit, current.unit_id)
        # The unit losing its group gets its own audit row, so `/audit dv <unit>` shows it.
        await _deactivate(session, current, action="binding.moved_away", actor=actor, now=now)
    previous = await session.scalar(
        select(UnitChat).where(UnitChat.unit_id == unit.id, UnitChat.active.is_(True)).limit(1)
    )
    restored = previous is None and (
        await session.scalar(
            select(UnitChat.id).where(UnitChat.unit_id == unit.id, UnitChat.chat_id == chat_id).limit(1)
        )
        is not None
    )
    # One active group per unit and one unit per group; old rows stay as history.
    await session.execute(
        update(UnitChat)
        .where(UnitChat.active.is_(True), (UnitChat.unit_id == unit.id) | (UnitChat.chat_id == chat_id))
        .values(active=False, unbound_at=now)
    )
    chat = UnitChat(
        unit_id=unit.id,
        chat_id=chat_id,
        chat_title=chat_title,
        chat_type=chat_type,
        active=True,
        bound_by=actor,
        bound_at=now,
        last_activity_at=now,
    )
    session.add(chat)
    invite.used_at = now
    invite.used_chat_id = chat_id
    await session.flush()
    moved = previous.chat_id if previous is not None and previous.chat_id != chat_id else None
    await audit(
        session,
        at=now,
        actor=actor,
        action="binding.create",
        entity="unit_chat",
        entity_id=str(chat.id),
        unit_id=unit.id,
        before={"chat_id": moved} if moved else None,
        after={"chat_id": chat_id, "title": chat_title},
    )
    return Binding(unit, chat, moved, restored, taken_from)


async def active_binding(
    session: AsyncSession, *, chat_id: int | None = None, unit_id: int | None = None
) -> UnitChat | None:
    """The active binding of a chat, or of a unit (one of the two)."""
    cond = UnitChat.chat_id == chat_id if chat_id is not None else UnitChat.unit_id == unit_id
    return await session.scalar(select(UnitChat).where(cond, UnitChat.active.is_(True)).limit(1))


async def group_unit(session: AsyncSession, chat_id: int) -> Unit | None:
    """The unit a group reports for, or None when the group is not bound."""
    row = await active_binding(session, chat_id=chat_id)
    return await session.get(Unit, row.unit_id) if row is not None else None


async def is_bound(session: AsyncSession, chat_id: int) -> bool:
    return await active_binding(session, chat_id=chat_id) is not None


async def unbind(session: AsyncSession, row: UnitChat, *, actor: int, now: datetime) -> None:
    """An admin detaches a group from its unit; the row stays as history."""
    await _deactivate(session, row, action="binding.remove", actor=actor, now=now)


async def _deactivate(session: AsyncSession, row: UnitChat, *, action: str, actor: int | None, now: datetime) -> None:
    row.active = False
    row.unbound_at = now
    await audit(
        session,
        at=now,
        actor=actor,
        action=action,
        entity="unit_chat",
        entity_id=str(row.id),
        unit_id=row.unit_id,
        before={"chat_id": row.chat_id, "active": True},
        after={"active": False},
    )
    await session.flush()


async def deactivate_chat(session: AsyncSession, chat_id: int, *, actor: int | None, now: datetime) -> list[Unit]:
    """The bot left or was removed from `chat_id`: mark its bindings inactive; return the units hit."""
    rows = list(await session.scalars(select(UnitChat).where(UnitChat.chat_id == chat_id, UnitChat.active.is_(True))))
    units: list[Unit] = []
    for row in rows:
        unit = await session.get(Unit, row.unit_id)
        if unit is not None:
            units.append(unit)
        await _deactivate(session, row, action="binding.lost", actor=actor, now=now)
    return units


async def migrate_chat(session: AsyncSession, old_id: int, new_id: int, *, now: datetime) -> int:
    """A group became a supergroup: its bindings follow the new id. Returns how many moved."""
    rows = list(await session.scalars(select(UnitChat).where(UnitChat.chat_id == old_id)))
    for row in rows:
        row.chat_id = new_id
        row.chat_type = "supergroup"
        await audit(
            session,
            at=now,
            actor=None,
            action="binding.migrate",
            entity="unit_chat",
            entity_id=str(row.id),
            unit_id=row.unit_id,
            before={"chat_id": old_id},
            after={"chat_id": new_id},
        )
    await session.flush()
    return len(rows)


# --- use cases: one unit of work each (bot.services.uow runs them) ---------------------------------
@dataclass(frozen=True)
class IssuedInvite:
    unit_name: str
    token: str
    expires_at: datetime


async def invite_use_case(
    session: AsyncSession, unit_id: int, *, actor: int, now: datetime, ttl: timedelta
) -> IssuedInvite | None:
    """A fresh link for an active unit; None when the unit is gone or switched off."""
    unit = await session.get(Unit, unit_id)
    if unit is None or not unit.active:
        return None
    invite = await create_invite(session, unit, actor=actor, now=now, ttl=ttl)
    return IssuedInvite(unit.name, invite.token, invite.expires_at)


class UnbindOutcome(enum.Enum):
    DONE = "done"
    GROUP_NOT_BOUND = "group_not_bound"
    UNKNOWN_UNIT = "unknown_unit"
    UNIT_NOT_BOUND = "unit_not_bound"


@dataclass(frozen=True)
class Unbound:
    outcome: UnbindOutcome
    unit_name: str = ""
    group_id: int = 0
    title: str = ""


async def unbind_use_case(
    session: AsyncSession, *, chat_id: int | None, unit_name: str, actor: int, now: datetime
) -> Unbound:
    """/unbind: a group detaches itself (chat_id), or an admin detaches a unit's group (unit_name)."""
    if chat_id is not None:
        row = await active_binding(session, chat_id=chat_id)
        unit = await session.get(Unit, row.unit_id) if row else None
        if row is None or unit is None:
            return Unbound(UnbindOutcome.GROUP_NOT_BOUND)
    else:
        unit = await resolve_unit(session, unit_name)
        if unit is None:
            return Unbound(UnbindOutcome.UNKNOWN_UNIT)
        row = await active_binding(session, unit_id=unit.id)
        if row is None:
            return Unbound(UnbindOutcome.UNIT_NOT_BOUND, unit.name)
    await unbind(session, row, actor=actor, now=now)
    return Unbound(UnbindOutcome.DONE, unit.name, row.chat_id, row.chat_title or str(row.chat_id))


@dataclass(frozen=True)
class BindOutcome:
    binding: Binding | None
    refusal: str | None = None  # BindError's key
    bound: bool = False  # after a refusal: does the group still serve a unit?


async def bind_use_case(
    session: AsyncSession, token: str, *, chat_id: int, chat_title: str | None, chat_type: str, actor: int,
    now: datetime, may_move_group: bool,
) -> BindOutcome:  # fmt: skip
    """An invite link's /start: the binding, or why not (and whether the group is bound anyway)."""
    try:
        binding = await bind_with_token(
            session, token, chat_id=chat_id, chat_title=chat_title, chat_type=chat_type, actor=actor, now=now,
            may_move_group=may_move_group,
        )
    except BindError as exc:
        await session.rollback()
        return BindOutcome(None, exc.key, await is_bound(session, chat_id))
    return BindOutcome(binding)
