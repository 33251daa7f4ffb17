"""/units and /unit as use cases: each runs in one unit of work and returns what happened.

The handler renders the outcome (bot.views.units) after the commit; nothing here speaks to Telegram.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.textnorm import fold
from bot.services.units import (
    UnitError,
    active_chats_by_unit,
    add_alias,
    add_unit,
    deactivate_unit,
    list_units,
    lookup_unit,
    reactivate_unit,
    remove_alias,
    rename_unit,
)
from db.models import Unit, UnitChat

Kind = Literal["added", "choice", "not_found", "detail", "renamed", "alias", "unalias", "off", "on", "refused"]


@dataclass(frozen=True)
class UnitOutcome:
    kind: Kind
    unit: Unit | None = None
    candidates: Sequence[Unit] = ()
    chats: Sequence[UnitChat] = ()
    old_name: str = ""
    alias: str = ""
    refusal_html: str = ""  # UnitError's own words, for "refused"


@dataclass(frozen=True)
class Listing:
    units: list[Unit]
    chats: dict[int, list[UnitChat]] = field(default_factory=dict)


def matches(unit: Unit, query: str) -> bool:
    """Accent- and case-insensitive substring match on code, name and aliases."""
    key = fold(query)
    return any(key in fold(value) for value in (unit.code, unit.name, *unit.aliases))


async def _read_only(session: AsyncSession) -> None:
    # SQLite: a plain BEGIN, so a listing never takes the write lock (see db/session.py).
    await session.connection(execution_options={"sqlite_deferred": True})


async def listing(session: AsyncSession, *, include_inactive: bool, query: str) -> Listing:
    await _read_only(session)
    units = await list_units(session, include_inactive=include_inactive)
    if query:
        units = [u for u in units if matches(u, query)]
    return Listing(units, await active_chats_by_unit(session))


async def detail(session: AsyncSession, unit_id: int) -> UnitOutcome | None:
    """One unit with its groups; None when it is gone."""
    await _read_only(session)
    unit = await session.get(Unit, unit_id)
    if unit is None:
        return None
    chats = (await active_chats_by_unit(session, [unit.id])).get(unit.id, [])
    return UnitOutcome("detail", unit, chats=chats)


async def run_request(
    session: AsyncSession, action: str, parts: Sequence[str], aliases: list[str], *, actor: int, now: datetime
) -> UnitOutcome:
    """Carry out one /unit line. A refused change rolls back and says why (UnitError's words)."""
    try:
        if action == "add":
            unit = await add_unit(session, code=parts[0].lower(), name=parts[1], aliases=aliases, actor=actor, now=now)
            return UnitOutcome("added", unit)
        found = await lookup_unit(session, parts[0])
        target, candidates = found.unit, found.candidates
        if found.unit is not None and not found.exact and action != "show":
            # A change never acts on a near spelling: "Truyền thôn" is suggested, not switched off.
            target, candidates = None, [found.unit]
        if target is None:
            return UnitOutcome("choice" if candidates and action == "show" else "not_found", candidates=candidates)
        if action == "show":
            chats = (await active_chats_by_unit(session, [target.id])).get(target.id, [])
            return UnitOutcome("detail", target, chats=chats)
        return await _change(session, action, target, parts, actor=actor, now=now)
    except UnitError as exc:
        await session.rollback()
        return UnitOutcome("refused", refusal_html=exc.html)


async def _change(
    session: AsyncSession, action: str, target: Unit, parts: Sequence[str], *, actor: int, now: datetime
) -> UnitOutcome:
    code = target.code
    if action == "rename":
        old_name = target.name
        return UnitOutcome("renamed", await rename_unit(session, code, parts[1], actor, now), old_name=old_name)
    if action == "alias":
        unit = await add_alias(session, code, parts[1], actor, now)
        return UnitOutcome("alias", unit, alias=unit.aliases[-1])
    if action == "unalias":
        before = list(target.aliases)
        unit = await remove_alias(session, code, parts[1], actor, now)
        removed = [a for a in before if a not in unit.aliases]
        return UnitOutcome("unalias", unit, alias=removed[0] if removed else parts[1])
    if action == "off":
        return UnitOutcome("off", await deactivate_unit(session, code, actor, now))
    if action == "on":
        return UnitOutcome("on", await reactivate_unit(session, code, actor, now))
    raise AssertionError(action)
