"""People and their roles: remember who talks to the bot, grant and revoke roles, all audited.

Admins come from config.yaml only, so they are never granted or revoked here.
Functions flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import Role
from bot.domain.errors import Refusal
from bot.domain.textnorm import ascii_int, fold, nfc
from bot.services.audit import audit
from bot.services.units import UnitLookup, lookup_unit
from db.models import Person, Unit

GRANTABLE = (Role.SECRETARY, Role.LEADER, Role.UNIT_CONTACT)

# Accent-folded, separator-free spellings a Vietnamese admin may type for each role.
_ROLE_WORDS: dict[str, Role] = {
    "secretary": Role.SECRETARY,
    "thuky": Role.SECRETARY,
    "chuyenvien": Role.SECRETARY,
    "leader": Role.LEADER,
    "lanhdao": Role.LEADER,
    "unitcontact": Role.UNIT_CONTACT,
    "contact": Role.UNIT_CONTACT,
    "daumoi": Role.UNIT_CONTACT,
    "daumoidonvi": Role.UNIT_CONTACT,
}
_MAX_ID_DIGITS = 15  # Telegram ids fit in 52 bits
_USERNAME = re.compile(r"^@?([A-Za-z][A-Za-z0-9_]{3,31})$")


class RoleError(Refusal):
    """`key`: unknown_person, config_admin, needs_unit, unit_inactive, no_role."""



def parse_role(word: str) -> Role | None:
    return _ROLE_WORDS.get(re.sub(r"[\s_\-.]+", "", fold(nfc(word))))


@dataclass(frozen=True)
class PersonView:
    user_id: int
    full_name: str
    username: str | None
    role: Role | None
    unit_name: str | None


async def remember_person(
    session: AsyncSession, user_id: int, *, full_name: str, username: str | None, now: datetime
) -> Person:
    """Create or refresh the row of someone who wrote to the bot, so admins can name them by @username."""
    person = await session.scalar(select(Person).where(Person.telegram_user_id == user_id))
    name = nfc(full_name)[:255]
    if person is None:
        person = Person(telegram_user_id=user_id, full_name=name, username=username, created_at=now, updated_at=now)
        session.add(person)
    elif person.full_name != name or person.username != username:
        person.full_name, person.username, person.updated_at = name, username, now
    await session.flush()
    return person


async def find_person(session: AsyncSession, ref: str) -> Person | None:
    """A person by Telegram id or @username; None when the bot has never seen them."""
    user_id = ascii_int(ref, _MAX_ID_DIGITS)
    if user_id is not None:
        return await session.scalar(select(Person).where(Person.telegram_user_id == user_id))
    m = _USERNAME.match(ref)
    if m is None:
        return None
    return await session.scalar(select(Person).where(func.lower(Person.username) == m.group(1).lower()))


async def target_user_id(session: AsyncSession, ref: str) -> int | None:
    """The Telegram id `ref` names: a known @username, or any id (a grant may precede their first /start)."""
    person = await find_person(session, ref)
    return person.telegram_user_id if person else ascii_int(ref, _MAX_ID_DIGITS)


def _snapshot(person: Person) -> dict[str, object]:
    return {"role": person.role.value if person.role else None, "unit_id": person.unit_id}


async def grant_role(
    session: AsyncSession,
    *,
    target_user_id: int,
    role: Role,
    unit: Unit | None,
    actor: int,
    now: datetime,
    config_admins: list[int],
) -> Person:
    """Give `role` (and, for a unit contact, `unit`) to a person; creates the row for a bare Telegram id."""
    if target_user_id in config_admins:
        raise RoleError("config_admin")
    if role not in GRANTABLE:
        raise RoleError("no_role")
    if role == Role.UNIT_CONTACT and unit is None:
        raise RoleError("needs_unit")
    if unit is not None and not unit.active:
        raise RoleError("unit_inactive")
    person = await session.scalar(select(Person).where(Person.telegram_user_id == target_user_id))
    if person is None:
        person = Person(telegram_user_id=target_user_id, full_name="", created_at=now, updated_at=now)
        session.add(person)
        await session.flush()
    before = _snapshot(person)
    person.role = role
    # Secretaries and leaders work across units; only a contact is tied to one.
    person.unit_id = unit.id if role == Role.UNIT_CONTACT and unit is not None else None
    person.updated_at = now
    await session.flush()
    await audit(
        session,
        at=now,
        actor=actor,
        action="role.grant",
        entity="person",
        entity_id=target_user_id,
        unit_id=person.unit_id,
        before=before,
        after=_snapshot(person),
    )
    return person


async def revoke_role(
    session: AsyncSession, *, target_user_id: int, actor: int, now: datetime, config_admins: list[int]
) -> Person:
    if target_user_id in config_admins:
        raise RoleError("config_admin")
    person = await session.scalar(select(Person).where(Person.telegram_user_id == target_user_id))
    if person is None:
        raise RoleError("unknown_person")
    if person.role is None:
        raise RoleError("no_role")
    before = _snapshot(person)
    person.role, person.unit_id, person.updated_at = None, None, now
    await session.flush()
    await audit(
        session,
        at=now,
        actor=actor,
        action="role.revoke",
        entity="person",
        entity_id=target_user_id,
        unit_id=before["unit_id"] if isinstance(before["unit_id"], int) else None,
        before=before,
        after=_snapshot(person),
    )
    return person


async def list_people(session: AsyncSession) -> list[PersonView]:
    """Everyone holding a role, by role then name."""
    rows = await session.execute(
        select(Person.telegram_user_id, Person.full_name, Person.username, Person.role, Unit.name)
        .outerjoin(Unit, Unit.id == Person.unit_id)
        .where(Person.role.is_not(None))
        .order_by(Person.role, Person.full_name, Person.telegram_user_id)
    )
    return [PersonView(r[0], r[1], r[2], r[3], r[4]) for r in rows]


# --- use cases: one unit of work each (bot.services.uow runs them) ---------------------------------
@dataclass(frozen=True)
class RoleChange:
    """What a grant or revoke did, for the reply and the notice to the person."""

    user_id: int
    full_name: str
    username: str | None
    role: Role | None  # granted, or the one taken away
    unit_name: str | None = None


async def grant_use_case(
    session: AsyncSession,
    *,
    target: int,
    role: Role,
    unit_id: int | None,
    actor: int,
    now: datetime,
    config_admins: list[int],
) -> RoleChange:
    """Give the role; raises RoleError with the reason it cannot be given."""
    unit = await session.get(Unit, unit_id) if unit_id is not None else None
    person = await grant_role(
        session, target_user_id=target, role=role, unit=unit, actor=actor, now=now, config_admins=config_admins
    )
    return RoleChange(person.telegram_user_id, person.full_name, person.username, role, unit.name if unit else None)


async def grant_lookup(session: AsyncSession, ref: str, unit_name: str) -> tuple[int | None, UnitLookup | None]:
    """Who /grant names, and the unit it names (if any), read in one session."""
    found = await lookup_unit(session, unit_name) if unit_name else None
    return await target_user_id(session, ref), found


async def revoke_use_case(
    session: AsyncSession, *, ref: str, actor: int, now: datetime, config_admins: list[int]
) -> RoleChange | None:
    """Take a person's role away; None when nobody answers to `ref`; raises RoleError when it cannot be taken."""
    person = await find_person(session, ref)
    if person is None:
        return None
    old_role = person.role
    await revoke_role(
        session, target_user_id=person.telegram_user_id, actor=actor, now=now, config_admins=config_admins
    )
    return RoleChange(person.telegram_user_id, person.full_name, person.username, old_role)
