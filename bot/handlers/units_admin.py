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

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import CommandHandler, filters

from bot import texts
from bot.commands import ADMINS, READERS
from bot.context import BotContext, DondocApp
from bot.domain.enums import Role
from bot.domain.textnorm import nfc, squash_spaces
from bot.handlers.common import current_identity
from bot.services import unit_requests, uow
from bot.services.units import NAME_MAX
from bot.views.units import Answer, render_outcome, units_list_messages, usage_text

# Everything after the command: a few names separated by "|" at most.
ARGS_MAX = 2000
QUERY_MAX = 100
ALL_WORDS = frozenset({"all", "tatca", "tất cả"})


# --- plumbing -------------------------------------------------------------------------------------
def _args_text(message: Message) -> str:
    """The text after "/cmd" (or "/cmd@bot"), NFC-normalised; newlines count as spaces."""
    parts = (message.text or "").split(maxsplit=1)
    return squash_spaces(nfc(parts[1]).replace("\n", " ")) if len(parts) > 1 else ""


async def _reply_all(message: Message, chunks: Sequence[Answer]) -> None:
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
    found = await uow.read(svc.sessions, unit_requests.listing, include_inactive=include_inactive, query=query)
    await _reply_all(message, units_list_messages(found.units, found.chats, svc.config.tz, query=query))


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


async def _run(context: BotContext, request: UnitRequest, *, actor: int) -> Sequence[Answer]:
    """Carry out one request in one unit of work, then word what it did."""
    svc = context.services
    parts, aliases = request.parts, split_aliases(request.parts[2:])
    outcome = await uow.write(
        svc.sessions, unit_requests.run_request, request.action, parts, aliases, actor=actor, now=svc.clock.now()
    )
    return render_outcome(outcome, parts[0], svc.config.tz)


async def show_unit(message: Message, context: BotContext, unit_id: int) -> None:
    """/unit <name> after a tap on one of the units it offered."""
    svc = context.services
    outcome = await uow.read(svc.sessions, unit_requests.detail, unit_id)
    answer = render_outcome(outcome, "", svc.config.tz) if outcome else [texts.UNIT_PICK_GONE]
    await _reply_all(message, answer)


def register(app: DondocApp) -> None:
    """Add /units and /unit (group 0); must come before the catch-all for unknown commands."""
    # New messages only: re-running an edited "/unit rename ..." would apply the change twice.
    only_new = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler("units", units_command, filters=only_new))
    app.add_handler(CommandHandler("unit", unit_command, filters=only_new))
