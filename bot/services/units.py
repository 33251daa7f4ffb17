"""The unit directory, kept in the database.

The database is the source of truth once the bot has started; config.yaml's `units:` list only
seeds codes the database does not know yet, so an admin's edits are never overwritten.

Session handling: every function here flushes but never commits. The caller owns the
transaction and commits (or rolls back) once, so a batch such as a CSV import is all-or-nothing.
Every change writes an AuditLog row in that same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.config import UnitConfig
from bot.domain.textnorm import nfc, squash_spaces
from bot.domain.tokens import token_key
from bot.domain.unit_lookup import resolve
from bot.domain.units import UnitDirectory, UnitRef
from bot.services.audit import audit
from db.models import Unit as Unit  # re-exported: handlers and views name units by this type
from db.models import UnitChat

CODE_RE = re.compile(r"[a-z0-9_]{1,48}")
KIND_RE = re.compile(r"[a-z0-9_]{1,32}")
# A member is a unit code or a "kind:<kind>" selector (see UnitConfig.members).
MEMBER_RE = re.compile(r"(?:kind:)?[a-z0-9_]{1,48}")
NAME_MAX = 255


# Codes are ASCII slugs: a plain ratio on them catches typos such as "so_noivu".
_CODE_SUGGEST_CUTOFF = 75.0


class UnitError(Exception):
    """A refused change, with a user-facing Vietnamese message.

    `text` is plain (command line, logs); `html` has the interpolated values escaped, for Telegram.
    """

    def __init__(self, template: str, **values: object) -> None:
        self.text = template.format(**values)
        self.html = template.format(**{key: texts.esc(value) for key, value in values.items()})
        super().__init__(self.text)


def snapshot(unit: Unit) -> dict[str, Any]:
    """The audited state of a unit (plain JSON)."""
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "aliases": list(unit.aliases),
        "members": list(unit.members),
        "active": unit.active,
    }


def to_ref(unit: Unit) -> UnitRef:
    return UnitRef(
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        aliases=tuple(unit.aliases),
        members=tuple(unit.members),
        active=unit.active,
    )


# --- validation ---------------------------------------------------------------------------------
def clean_name(name: str) -> str:
    """NFC, no invisible characters, one line with single spaces; refuses an empty or over-long name."""
    cleaned = " ".join(squash_spaces(nfc(name)).split())
    if not token_key(cleaned):  # no word at all ("--"): nothing the directory could match
        raise UnitError(texts.UNIT_EMPTY_NAME)
    if len(cleaned) > NAME_MAX:
        raise UnitError(texts.UNIT_NAME_TOO_LONG, name=cleaned[:40] + "…")
    return cleaned


def check_code(code: str) -> str:
    code = code.strip()
    if not CODE_RE.fullmatch(code):
        raise UnitError(texts.UNIT_BAD_CODE, code=code)
    return code


def check_kind(kind: str) -> str:
    kind = kind.strip() or "unit"
    if not KIND_RE.fullmatch(kind):
        raise UnitError(texts.UNIT_BAD_KIND, kind=kind)
    return kind


def check_members(members: Iterable[str]) -> list[str]:
    result: list[str] = []
    for member in members:
        member = member.strip()
        if not MEMBER_RE.fullmatch(member):
            raise UnitError(texts.UNIT_BAD_MEMBER, member=member)
        if member not in result:
            result.append(member)
    return result


def unit_keys(unit: Unit) -> set[tuple[str, ...]]:
    """The directory's match keys for this unit's code, name and aliases.

    The same token_key() the directory matches with, so "Sở TT&TT" and "sở tt-tt" are one name:
    two units that clash here would be ambiguous there.
    """
    return {(unit.code,), token_key(unit.name), *(token_key(a) for a in unit.aliases)}


def _clash(units: Iterable[Unit], text: str, exclude: Unit | None) -> Unit | None:
    """Another active unit already called `text` (by name, alias or code), if any."""
    key = token_key(text)
    for unit in units:
        if unit is not exclude and unit.active and key in unit_keys(unit):
            return unit
    return None


def _refuse_clashes(units: Sequence[Unit], names: Iterable[str], exclude: Unit | None) -> None:
    for name in names:
        if other := _clash(units, name, exclude):
            raise UnitError(texts.UNIT_NAME_TAKEN, name=name, other=other.name, code=other.code)


def _unique_aliases(name: str, aliases: Iterable[str]) -> list[str]:
    """Cleaned aliases, without the name itself or accent-insensitive repeats."""
    seen = {token_key(name)}
    result: list[str] = []
    for alias in aliases:
        alias = squash_spaces(nfc(alias))
        if alias and token_key(alias) not in seen:
            seen.add(token_key(alias))
            result.append(clean_name(alias))
    return result


# --- queries ------------------------------------------------------------------------------------
async def _all_units(session: AsyncSession) -> list[Unit]:
    return list((await session.scalars(select(Unit).order_by(Unit.code))).all())


async def list_units(session: AsyncSession, include_inactive: bool = False) -> list[Unit]:
    stmt = select(Unit).order_by(Unit.code)
    if not include_inactive:
        stmt = stmt.where(Unit.active.is_(True))
    return list((await session.scalars(stmt)).all())


async def load_directory(session: AsyncSession) -> UnitDirectory:
    """Every unit, inactive ones included (active=False), so old duties still resolve."""
    return UnitDirectory(to_ref(unit) for unit in await _all_units(session))


@dataclass(frozen=True)
class UnitLookup:
    """The unit a typed name means, or the close candidates to offer (best first; maybe none)."""

    unit: Unit | None
    candidates: list[Unit]
    exact: bool = False  # by code, name or alias word for word (see Resolution)


async def lookup_unit(session: AsyncSession, text: str) -> UnitLookup:
    """What people type ("BCĐ", "UBND tỉnh", "So KH va DT") to a unit; see bot.domain.unit_lookup."""
    units = await _all_units(session)
    by_code = {u.code: u for u in units}
    found = resolve(UnitDirectory(to_ref(u) for u in units), text)
    if found.unit is not None:
        return UnitLookup(by_code[found.unit.code], [], exact=found.exact)
    candidates = [by_code[u.code] for u in found.candidates]
    if not candidates:
        candidates = [by_code[u.code] for u in _codes_like(units, text)]
    return UnitLookup(None, candidates)


async def resolve_unit(session: AsyncSession, text: str) -> Unit | None:
    """The one unit `text` means (code, name, alias, abbreviation, near spelling), or None."""
    return (await lookup_unit(session, text)).unit


async def _require(session: AsyncSession, ref: str) -> Unit:
    unit = await resolve_unit(session, ref)
    if unit is None:
        raise UnitError(texts.UNIT_NOT_FOUND, ref=ref)
    return unit


# --- changes ------------------------------------------------------------------------------------
async def _changed(
    session: AsyncSession, unit: Unit, action: str, before: dict[str, Any] | None, actor: int | None, now: datetime
) -> None:
    unit.updated_at = now
    await session.flush()  # assigns the id of a new unit, and surfaces constraint errors here
    await audit(
        session,
        at=now,
        actor=actor,
        action=action,
        entity="unit",
        entity_id=unit.code,
        unit_id=unit.id,
        before=before,
        after=snapshot(unit),
    )


async def sync_from_config(session: AsyncSession, units: Sequence[UnitConfig], now: datetime) -> int:
    """Insert the configured units whose code the database does not know yet; returns how many.

    Existing codes are left alone, whatever config.yaml says now: the admin's edits win.
    """
    known = set((await session.scalars(select(Unit.code))).all())
    added = 0
    for cfg in units:
        if cfg.code in known:
            continue
        name = " ".join(nfc(cfg.name).split()) or cfg.code  # config is trusted: never fail startup
        unit = Unit(
            code=cfg.code,
            name=name,
            kind=cfg.kind,
            aliases=_unique_aliases(name, cfg.aliases),
            members=list(cfg.members),
            active=True,
            created_at=now,
            updated_at=now,
        )
        session.add(unit)
        known.add(cfg.code)
        await _changed(session, unit, "unit.seed", None, None, now)
        added += 1
    return added


async def add_unit(
    session: AsyncSession,
    *,
    code: str,
    name: str,
    kind: str = "unit",
    aliases: Iterable[str] = (),
    members: Iterable[str] = (),
    actor: int | None,
    now: datetime,
) -> Unit:
    """A new active unit. Refuses a bad or taken code, and a name or alias another active unit uses."""
    code = check_code(code)
    name = clean_name(name)
    kind = check_kind(kind)
    alias_list = _unique_aliases(name, aliases)
    member_list = check_members(members)
    units = await _all_units(session)
    if taken := next((u for u in units if u.code == code), None):
        raise UnitError(texts.UNIT_CODE_TAKEN, code=code, name=taken.name)
    _refuse_clashes(units, [name, *alias_list], exclude=None)
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        aliases=alias_list,
        members=member_list,
        active=True,
        created_at=now,
        updated_at=now,
    )
    session.add(unit)
    await _changed(session, unit, "unit.add", None, actor, now)
    return unit


async def rename_unit(session: AsyncSession, code: str, new_name: str, actor: int | None, now: datetime) -> Unit:
    """Give a unit its new official name; the old one stays as an alias, so old documents still resolve."""
    unit = await _require(session, code)
    new_name = clean_name(new_name)
    if new_name == unit.name:
        return unit
    _refuse_clashes(await _all_units(session), [new_name], exclude=unit)
    before = snapshot(unit)
    aliases = [a for a in unit.aliases if token_key(a) != token_key(new_name)]
    if token_key(unit.name) != token_key(new_name) and token_key(unit.name) not in {token_key(a) for a in aliases}:
        aliases.append(unit.name)
    unit.name = new_name
    unit.aliases = aliases  # a new list: the JSON column does not track in-place changes
    await _changed(session, unit, "unit.rename", before, actor, now)
    return unit


async def add_alias(session: AsyncSession, code: str, alias: str, actor: int | None, now: datetime) -> Unit:
    unit = await _require(session, code)
    alias = clean_name(alias)
    if token_key(alias) in unit_keys(unit):
        raise UnitError(texts.UNIT_ALIAS_EXISTS, alias=alias, name=unit.name)
    _refuse_clashes(await _all_units(session), [alias], exclude=unit)
    before = snapshot(unit)
    unit.aliases = [*unit.aliases, alias]
    await _changed(session, unit, "unit.alias_add", before, actor, now)
    return unit


async def remove_alias(session: AsyncSession, code: str, alias: str, actor: int | None, now: datetime) -> Unit:
    unit = await _require(session, code)
    key = token_key(alias)
    kept = [a for a in unit.aliases if token_key(a) != key]
    if len(kept) == len(unit.aliases):
        raise UnitError(texts.UNIT_ALIAS_MISSING, name=unit.name, alias=squash_spaces(nfc(alias)))
    before = snapshot(unit)
    unit.aliases = kept
    await _changed(session, unit, "unit.alias_remove", before, actor, now)
    return unit


async def update_unit(
    session: AsyncSession,
    code: str,
    *,
    kind: str | None = None,
    members: Iterable[str] | None = None,
    actor: int | None,
    now: datetime,
) -> Unit:
    """Change a unit's kind and/or members (collective units); audited only if something changed."""
    unit = await _require(session, code)
    before = snapshot(unit)
    if kind is not None:
        unit.kind = check_kind(kind)
    if members is not None:
        unit.members = check_members(members)
    if snapshot(unit) != before:
        await _changed(session, unit, "unit.update", before, actor, now)
    return unit


async def deactivate_unit(session: AsyncSession, code: str, actor: int | None, now: datetime) -> Unit:
    """Stop offering the unit for new duties; it stays in the directory so old duties still resolve."""
    unit = await _require(session, code)
    if not unit.active:
        raise UnitError(texts.UNIT_ALREADY_INACTIVE, name=unit.name)
    before = snapshot(unit)
    unit.active = False
    await _changed(session, unit, "unit.deactivate", before, actor, now)
    return unit


async def reactivate_unit(session: AsyncSession, code: str, actor: int | None, now: datetime) -> Unit:
    """Bring a unit back, unless another active unit has taken its name or an alias meanwhile."""
    unit = await _require(session, code)
    if unit.active:
        raise UnitError(texts.UNIT_ALREADY_ACTIVE, name=unit.name)
    _refuse_clashes(await _all_units(session), [unit.name, *unit.aliases], exclude=unit)
    before = snapshot(unit)
    unit.active = True
    await _changed(session, unit, "unit.reactivate", before, actor, now)
    return unit


async def active_chats_by_unit(
    session: AsyncSession, unit_ids: Sequence[int] | None = None
) -> dict[int, list[UnitChat]]:
    """Active group bindings per unit id, most recently bound first."""
    stmt = select(UnitChat).where(UnitChat.active.is_(True)).order_by(UnitChat.bound_at.desc(), UnitChat.id.desc())
    if unit_ids is not None:
        stmt = stmt.where(UnitChat.unit_id.in_(unit_ids))
    result: dict[int, list[UnitChat]] = {}
    for chat in (await session.scalars(stmt)).all():
        result.setdefault(chat.unit_id, []).append(chat)
    return result


def _codes_like(units: Sequence[Unit], ref: str, limit: int = 3) -> list[Unit]:
    """Active units whose code is a near spelling of `ref` (the name index has no codes)."""
    active = [u for u in units if u.active]
    return [
        active[idx]
        for _code, _score, idx in process.extract(
            ref.lower(), [u.code for u in active], scorer=fuzz.ratio, score_cutoff=_CODE_SUGGEST_CUTOFF, limit=limit
        )
    ]


async def suggest_units(session: AsyncSession, ref: str, limit: int = 3) -> list[UnitRef]:
    """Closest active units by name or alias, then by code (the directory's fuzzy index has no codes)."""
    directory = await load_directory(session)
    found = {u.code: u for u in directory.suggest(ref, limit=limit)}
    for unit in _codes_like(await _all_units(session), ref, limit):
        found.setdefault(unit.code, to_ref(unit))
    return list(found.values())[:limit]
