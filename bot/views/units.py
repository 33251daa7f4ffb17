"""Renderers for the unit directory in chat (/units, /unit): values in, HTML strings out.

Every user-supplied value (names, aliases, group titles) is escaped here; texts.py holds the words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot import texts
from bot.domain import callbacks
from bot.domain.textnorm import fold
from bot.domain.units import UnitRef
from bot.services.bindings import Binding
from bot.services.unit_requests import UnitOutcome
from bot.services.units import to_ref
from bot.textsplit import shorten, split_html
from db.models import Unit, UnitChat

MAX_MESSAGE = MessageLimit.MAX_TEXT_LENGTH
# /units stays one line per unit: a few short aliases are enough to recognise it.
LIST_ALIASES = 3
LIST_ALIAS_CHARS = 40
LIST_TITLE_CHARS = 64


def local_time(when: datetime, tz: ZoneInfo) -> str:
    return when.astimezone(tz).strftime("%d/%m/%Y %H:%M")


def kind_label(kind: str) -> str:
    return texts.UNIT_KIND_NAMES.get(kind, kind)


def split_messages(lines: Iterable[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Join HTML lines into messages of at most `limit`, breaking only between lines."""
    return split_html("\n".join(lines), limit)


# --- /units ---------------------------------------------------------------------------------------
def _chat_summary(chats: Sequence[UnitChat], tz: ZoneInfo) -> str:
    if not chats:
        return texts.UNITS_NO_CHAT
    chat = chats[0]
    title = texts.esc(shorten(chat.chat_title or texts.UNITS_UNTITLED_CHAT, LIST_TITLE_CHARS))
    if chat.last_activity_at is not None:
        out = texts.UNITS_CHAT_ACTIVITY.format(title=title, when=local_time(chat.last_activity_at, tz))
    else:
        out = texts.UNITS_CHAT.format(title=title)
    if len(chats) > 1:
        out += texts.UNITS_MORE_CHATS.format(n=len(chats) - 1)
    return out


def unit_line(unit: Unit, chats: Sequence[UnitChat], tz: ZoneInfo) -> str:
    aliases = ""
    if unit.aliases:
        shown = ", ".join(texts.esc(shorten(a, LIST_ALIAS_CHARS)) for a in unit.aliases[:LIST_ALIASES])
        if len(unit.aliases) > LIST_ALIASES:
            shown += texts.UNITS_MORE.format(n=len(unit.aliases) - LIST_ALIASES)
        aliases = texts.UNITS_LINE_ALIASES.format(aliases=shown)
    return texts.UNITS_LINE.format(
        code=texts.esc(unit.code),
        name=texts.esc(unit.name),
        aliases=aliases,
        inactive="" if unit.active else texts.esc(texts.UNITS_LIST_INACTIVE),
        chat=_chat_summary(chats, tz),
    )


def units_list_messages(
    units: Sequence[Unit],
    chats: Mapping[int, Sequence[UnitChat]],
    tz: ZoneInfo,
    *,
    query: str = "",
    limit: int = MAX_MESSAGE,
) -> list[str]:
    """The directory grouped by kind (groups ordered by their Vietnamese label), split to fit Telegram."""
    if not units:
        if query:
            return [texts.UNITS_NONE_MATCH.format(query=texts.esc(query))]
        return [texts.UNITS_EMPTY]
    header = texts.UNITS_HEADER.format(n=len(units))
    inactive = sum(1 for u in units if not u.active)
    if inactive:
        header += texts.UNITS_HEADER_INACTIVE.format(inactive=inactive)
    if query:
        header += texts.UNITS_HEADER_QUERY.format(query=texts.esc(query))
    groups: dict[str, list[Unit]] = {}
    for unit in units:
        groups.setdefault(unit.kind, []).append(unit)
    lines = [header]
    for kind in sorted(groups, key=lambda k: (fold(kind_label(k)), k)):
        members = sorted(groups[kind], key=lambda u: (not u.active, fold(u.name), u.code))
        lines.append(texts.UNITS_KIND_HEADER.format(label=texts.esc(kind_label(kind)), n=len(members)))
        lines += [unit_line(u, chats.get(u.id, ()), tz) for u in members]
    lines.append(texts.UNITS_FOOTER)
    return split_messages(lines, limit)


# --- /unit <code> ---------------------------------------------------------------------------------
def unit_detail_messages(unit: Unit, chats: Sequence[UnitChat], tz: ZoneInfo, *, limit: int = MAX_MESSAGE) -> list[str]:
    lines = [
        texts.UNIT_DETAIL_TITLE.format(name=texts.esc(unit.name)),
        texts.UNIT_DETAIL_CODE.format(code=texts.esc(unit.code)),
        texts.UNIT_DETAIL_KIND.format(label=texts.esc(kind_label(unit.kind)), kind=texts.esc(unit.kind)),
        texts.UNIT_DETAIL_STATUS.format(status=texts.UNIT_STATUS_ACTIVE if unit.active else texts.UNIT_STATUS_INACTIVE),
        texts.UNIT_DETAIL_ALIASES.format(
            aliases="; ".join(texts.esc(a) for a in unit.aliases) if unit.aliases else texts.UNIT_NONE
        ),
    ]
    if unit.members:
        lines.append(texts.UNIT_DETAIL_MEMBERS.format(members=", ".join(texts.esc(m) for m in unit.members)))
    if not chats:
        lines.append(texts.UNIT_DETAIL_NO_CHAT)
    for chat in chats:
        lines.append(
            texts.UNIT_DETAIL_CHAT.format(
                title=texts.esc(chat.chat_title or texts.UNITS_UNTITLED_CHAT),
                bound=local_time(chat.bound_at, tz),
                activity=local_time(chat.last_activity_at, tz) if chat.last_activity_at else texts.UNIT_NO_ACTIVITY,
            )
        )
    lines.append(texts.UNIT_DETAIL_UPDATED.format(when=local_time(unit.updated_at, tz)))
    return split_messages(lines, limit)


# --- /unit answers --------------------------------------------------------------------------------
def usage_text(command: str | None = None) -> str:
    """The whole guide, or the one line for a subcommand used with the wrong arguments."""
    if command is not None:
        usage = texts.UNIT_USAGE_LINES[command]
        return texts.UNIT_BAD_SYNTAX.format(usage=usage) + "\n" + texts.UNIT_SEE_USAGE
    return "\n".join([texts.UNIT_USAGE_TITLE, *texts.UNIT_USAGE_LINES.values(), "", texts.UNIT_USAGE_FOOTER])


def not_found_text(ref: str, suggestions: Sequence[UnitRef]) -> str:
    lines = [texts.UNIT_NOT_FOUND.format(ref=texts.esc(shorten(ref, 100)))]
    if suggestions:
        lines.append(texts.UNIT_SUGGEST_TITLE)
        lines += [texts.UNIT_SUGGEST_LINE.format(code=texts.esc(u.code), name=texts.esc(u.name)) for u in suggestions]
    lines.append(texts.UNIT_SEE_USAGE)
    return "\n".join(lines)


def added_text(unit: Unit) -> str:
    out = texts.UNIT_ADDED.format(name=texts.esc(unit.name), code=texts.esc(unit.code))
    if unit.aliases:
        out += " " + texts.UNIT_ADDED_ALIASES.format(aliases="; ".join(texts.esc(a) for a in unit.aliases))
    return out


def renamed_text(unit: Unit, old_name: str) -> str:
    code, name = texts.esc(unit.code), texts.esc(unit.name)
    if unit.name == old_name:
        return texts.UNIT_RENAME_SAME.format(code=code, name=name)
    out = texts.UNIT_RENAMED.format(code=code, name=name)
    if old_name in unit.aliases:
        out += " " + texts.UNIT_RENAMED_OLD_KEPT.format(old=texts.esc(old_name))
    return out


def alias_text(template: str, unit: Unit, alias: str) -> str:
    return template.format(alias=texts.esc(alias), name=texts.esc(unit.name), code=texts.esc(unit.code))


def state_text(template: str, unit: Unit) -> str:
    return template.format(name=texts.esc(unit.name), code=texts.esc(unit.code))


# --- choosing between units that fit a typed name ---------------------------------------------------
# One codec for the button: "up|<action>|<unit id>|<extra>"; extra is the person's id for /grant.
PICK_PREFIX = "up"
PICK_ACTIONS = frozenset({"invite", "stats", "unit", "grant"})


@dataclass(frozen=True)
class UnitPick:
    action: str
    unit_id: int
    extra: int | None


def encode_pick(action: str, unit_id: int, extra: int | None = None) -> str:
    data = f"{PICK_PREFIX}|{action}|{unit_id}|{'' if extra is None else extra}"
    assert len(data.encode()) <= callbacks.MAX_DATA_BYTES, data
    return data


def decode_pick(data: str | None) -> UnitPick | None:
    parts = callbacks.fields(data, PICK_PREFIX, 3)
    if parts is None or parts[0] not in PICK_ACTIONS:
        return None
    unit_id = callbacks.row_id(parts[1])
    extra = _user_id(parts[2]) if parts[2] else None
    if unit_id is None or (parts[2] and extra is None):
        return None
    return UnitPick(parts[0], unit_id, extra)


def _user_id(raw: str) -> int | None:
    # Telegram user ids are positive and below 2**52.
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 16 and raw[0] != "0" else None


def unit_choice(
    name: str, candidates: Sequence[Unit], action: str, extra: int | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """ "Which one?" with one line and one button per candidate; plain "not found" when none fit."""
    shown = texts.esc(shorten(name, 100))
    if not candidates:
        return texts.INVITE_UNKNOWN_UNIT.format(name=shown, hints=""), None
    lines = [texts.UNIT_CHOICE_LINE.format(name=texts.esc(u.name)) for u in candidates]
    buttons = [
        [InlineKeyboardButton(shorten(u.name, 60), callback_data=encode_pick(action, u.id, extra))] for u in candidates
    ]
    return "\n".join([texts.UNIT_CHOOSE.format(name=shown), *lines]), InlineKeyboardMarkup(buttons)


Answer = str | tuple[str, InlineKeyboardMarkup | None]


def render_outcome(outcome: UnitOutcome, ref: str, tz: ZoneInfo) -> list[Answer]:
    """The answer to one /unit line, from what the use case did."""
    unit = outcome.unit
    if outcome.kind == "refused":
        return [outcome.refusal_html]
    if outcome.kind == "choice":
        return [unit_choice(ref, outcome.candidates, "unit")]
    if outcome.kind == "not_found" or unit is None:
        return [not_found_text(ref, [to_ref(u) for u in outcome.candidates])]
    if outcome.kind == "detail":
        return list(unit_detail_messages(unit, outcome.chats, tz))
    simple: dict[str, str] = {
        "added": added_text(unit),
        "renamed": renamed_text(unit, outcome.old_name),
        "alias": alias_text(texts.UNIT_ALIAS_ADDED, unit, outcome.alias),
        "unalias": alias_text(texts.UNIT_ALIAS_REMOVED, unit, outcome.alias),
        "off": state_text(texts.UNIT_DEACTIVATED, unit),
        "on": state_text(texts.UNIT_REACTIVATED, unit),
    }
    return [simple[outcome.kind]]


def bind_welcome(binding: Binding) -> str:
    """What a group reads when an invite link bound it to its unit."""
    welcome = texts.BIND_WELCOME.format(unit=texts.esc(binding.unit.name))
    if binding.moved_from_chat is not None:
        welcome += texts.BIND_MOVED
    if binding.restored:
        welcome += texts.BIND_RESTORED
    if binding.taken_from is not None:
        welcome += texts.BIND_TAKEN_OVER.format(unit=texts.esc(binding.taken_from.name))
    return welcome


def bind_refusal(key: str, *, bound: bool) -> str:
    """The one answer to a failed link: why, and (if the group serves no unit) how to get one."""
    return texts.BIND_ERRORS[key] + ("" if bound else "\n\n" + texts.GROUP_NOT_BOUND)
