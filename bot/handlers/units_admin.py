"""/units and /unit: the unit directory in chat.

/units lists the directory (admins, secretaries, leaders); /unit changes it (admins only). Both work
in a private chat only. In a group, someone allowed to use the command gets a one-line pointer to
the private chat and everyone else gets no answer at all: unit groups are busy, and a refusal there
would only be noise (and advertise admin commands to every member).

Each change runs in one transaction through bot.services.units, which validates and audits it;
the actor is the Telegram user id and the time comes from the injected clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import CommandHandler, filters

from bot import texts
from bot.commands import ADMINS, READERS
from bot.context import BotContext, DondocApp
from bot.domain.enums import Role
from bot.domain.textnorm import nfc, squash_spaces
from bot.handlers.common import current_identity
from bot.services.units import (
    NAME_MAX,
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
    to_ref,
)
from bot.views_units import (
    added_text,
    alias_text,
    matches,
    not_found_text,
    renamed_text,
    state_text,
    unit_choice,
    unit_detail_messages,
    units_list_messages,
    usage_text,
)
from db.models import Unit

# Everything after the command: a few names separated by "|" at most.
ARGS_MAX = 2000
QUERY_MAX = 100
ALL_WORDS = frozenset({"all", "tatca", "tất cả"})


# --- plumbing -------------------------------------------------------------------------------------
def _args_text(message: Message) -> str:
    """The text after "/cmd" (or "/cmd@bot"), NFC-normalised; newlines count as spaces."""
    parts = (message.text or "").split(maxsplit=1)
    return squash_spaces(nfc(parts[1]).replace("\n", " ")) if len(parts) > 1 else ""


async def _reply_all(message: Message, chunks: Sequence[str | tuple[str, InlineKeyboardMarkup | None]]) -> None:
    for chunk in chunks:
        html, markup = chunk if isinstance(chunk, tuple) else (chunk, None)
        await message.reply_html(html, reply_markup=markup)


async def _gate(update: Update, context: BotContext, command: str, roles: frozenset[Role | None]) -> Message | None:
    """The message to answer when the user may run `command` here; otherwise answers (or not) itself."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return None
    ident = await current_identity(context, user.id)
    allowed = ident.role in roles
    if message.chat.type != ChatType.PRIVATE:
        if allowed:
            await message.reply_html(texts.UNITS_USE_PRIVATE.format(command=command))
        return None
    if not allowed:
        await message.reply_html(texts.UNIT_ADMIN_ONLY if roles == ADMINS else texts.UNITS_READERS_ONLY)
        return None
    args = _args_text(message)
    if len(args) > ARGS_MAX:
        await message.reply_html(texts.UNITS_ARG_TOO_LONG.format(size=len(args), limit=ARGS_MAX))
        return None
    return message


async def _read_only(session: AsyncSession) -> None:
    # SQLite: a plain BEGIN, so a listing never takes the write lock (see db/session.py).
    await session.connection(execution_options={"sqlite_deferred": True})


# --- /units ---------------------------------------------------------------------------------------
def parse_units_args(args: str) -> tuple[bool, str]:
    """(include inactive units, filter text) from "/units [all] [text]"."""
    words = args.split(maxsplit=1)
    if words and words[0].lower() in ALL_WORDS:
        return True, words[1] if len(words) > 1 else ""
    if args.lower() in ALL_WORDS:
        return True, ""
    return False, args


async def units_command(update: Update, context: BotContext) -> None:
    message = await _gate(update, context, "units", READERS)
    if message is None:
        return
    include_inactive, query = parse_units_args(_args_text(message))
    if len(query) > QUERY_MAX:
        await message.reply_html(texts.UNITS_ARG_TOO_LONG.format(size=len(query), limit=QUERY_MAX))
        return
    svc = context.services
    async with svc.sessions() as session:
        await _read_only(session)
        units = await list_units(session, include_inactive=include_inactive)
        if query:
            units = [u for u in units if matches(u, query)]
        chats = await active_chats_by_unit(session)
    await _reply_all(message, units_list_messages(units, chats, svc.config.tz, query=query))


# --- /unit ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitRequest:
    """A parsed /unit line: the subcommand ("show" for a bare reference) and its "|"-separated parts."""

    action: str
    parts: tuple[str, ...]


SUBCOMMANDS = frozenset({"add", "rename", "alias", "unalias", "off", "on"})
# How many "|"-separated parts each subcommand takes (min, max); None: any number.
_ARITY: dict[str, tuple[int, int | None]] = {
    "show": (1, 1),
    "add": (2, None),
    "rename": (2, 2),
    "alias": (2, 2),
    "unalias": (2, 2),
    "off": (1, 1),
    "on": (1, 1),
}


class UsageError(Exception):
    """Wrong arguments; `command` names the usage line to show (None: the whole guide)."""

    def __init__(self, command: str | None) -> None:
        super().__init__(command)
        self.command = command


def parse_unit_args(args: str) -> UnitRequest:
    if not args:
        raise UsageError(None)
    first, _, rest = args.partition(" ")
    action = first.lower()
    if action not in SUBCOMMANDS:
        action, rest = "show", args
    parts = tuple(p.strip() for p in rest.split("|")) if rest.strip() else ()
    low, high = _ARITY[action]
    if len(parts) < low or (high is not None and len(parts) > high) or not all(parts[:low]):
        raise UsageError(action)
    return UnitRequest(action, parts)


def split_aliases(parts: Sequence[str]) -> list[str]:
    """Aliases after the name: comma-separated, or semicolon-separated when one of them has a comma."""
    out: list[str] = []
    for part in parts:
        sep = ";" if ";" in part else ","
        out += [a.strip() for a in part.split(sep) if a.strip()]
    return out


async def unit_command(update: Update, context: BotContext) -> None:
    message = await _gate(update, context, "unit", ADMINS)
    if message is None or message.from_user is None:
        return
    try:
        request = parse_unit_args(_args_text(message))
    except UsageError as exc:
        await message.reply_html(usage_text(exc.command))
        return
    if any(len(p) > NAME_MAX for p in request.parts[:2]):
        longest = max(len(p) for p in request.parts[:2])
        await message.reply_html(texts.UNITS_ARG_TOO_LONG.format(size=longest, limit=NAME_MAX))
        return
    await _reply_all(message, await _run(context, request, actor=message.from_user.id))


async def _run(
    context: BotContext, request: UnitRequest, *, actor: int
) -> Sequence[str | tuple[str, InlineKeyboardMarkup | None]]:
    """Carry out one request in one transaction; the answer is rendered before the session closes."""
    svc = context.services
    now = svc.clock.now()
    parts = request.parts
    async with svc.sessions() as session:
        try:
            if request.action == "add":
                unit = await add_unit(
                    session,
                    code=parts[0].lower(),
                    name=parts[1],
                    aliases=split_aliases(parts[2:]),
                    actor=actor,
                    now=now,
                )
                await session.commit()
                return [added_text(unit)]
            found = await lookup_unit(session, parts[0])
            target, candidates = found.unit, found.candidates
            if found.unit is not None and not found.exact and request.action != "show":
                # A change never acts on a near spelling: "Truyền thôn" is suggested, not switched off.
                target, candidates = None, [found.unit]
            if target is None and candidates and request.action == "show":
                return [unit_choice(parts[0], candidates, "unit")]
            if target is None:
                return [not_found_text(parts[0], [to_ref(u) for u in candidates])]
            if request.action == "show":
                return await _detail(session, target, svc.config.tz)
            answer = await _change(session, request.action, target, parts, actor=actor, now=now)
            await session.commit()
            return [answer]
        except UnitError as exc:
            await session.rollback()
            return [exc.html]


async def _detail(session: AsyncSession, unit: Unit, tz: ZoneInfo) -> list[str]:
    chats = (await active_chats_by_unit(session, [unit.id])).get(unit.id, [])
    return unit_detail_messages(unit, chats, tz)


async def show_unit(message: Message, context: BotContext, unit_id: int) -> None:
    """/unit <name> after a tap on one of the units it offered."""
    async with context.services.sessions() as session:
        await _read_only(session)
        unit = await session.get(Unit, unit_id)
        answer = await _detail(session, unit, context.services.config.tz) if unit else [texts.UNIT_PICK_GONE]
    await _reply_all(message, answer)


async def _change(
    session: AsyncSession, action: str, target: Unit, parts: Sequence[str], *, actor: int, now: datetime
) -> str:
    """Apply a change to an existing unit (the service validates and audits it); returns the answer."""
    code = target.code
    if action == "rename":
        old_name = target.name
        unit = await rename_unit(session, code, parts[1], actor, now)
        return renamed_text(unit, old_name)
    if action == "alias":
        unit = await add_alias(session, code, parts[1], actor, now)
        return alias_text(texts.UNIT_ALIAS_ADDED, unit, unit.aliases[-1])
    if action == "unalias":
        before = list(target.aliases)
        unit = await remove_alias(session, code, parts[1], actor, now)
        removed = [a for a in before if a not in unit.aliases]
        return alias_text(texts.UNIT_ALIAS_REMOVED, unit, removed[0] if removed else parts[1])
    if action == "off":
        return state_text(texts.UNIT_DEACTIVATED, await deactivate_unit(session, code, actor, now))
    if action == "on":
        return state_text(texts.UNIT_REACTIVATED, await reactivate_unit(session, code, actor, now))
    raise AssertionError(action)


def register(app: DondocApp) -> None:
    """Add /units and /unit (group 0); must come before the catch-all for unknown commands."""
    # New messages only: re-running an edited "/unit rename ..." would apply the change twice.
    only_new = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler("units", units_command, filters=only_new))
    app.add_handler(CommandHandler("unit", unit_command, filters=only_new))
