"""Pure renderers from domain/service values to HTML strings (texts.py holds the words)."""

from __future__ import annotations

from datetime import date

from bot import texts
from bot.commands import visible
from bot.services.people import Identity


def weekday_name(d: date) -> str:
    """'Thứ Hai' ... 'Chủ Nhật'."""
    return texts.WEEKDAY_NAMES[d.weekday()]


def role_name(ident: Identity) -> str:
    return texts.ROLE_NAMES.get(ident.role.value, texts.NO_ROLE) if ident.role else texts.NO_ROLE


def start_text(ident: Identity, full_name: str) -> str:
    out = texts.START_PRIVATE.format(name=texts.esc(full_name), role=texts.esc(role_name(ident)))
    if ident.role is None:
        out += texts.START_NO_ROLE_HINT.format(user_id=ident.user_id)
    return out


def help_text(ident: Identity) -> str:
    lines = [texts.HELP_HEADER_PRIVATE.format(role=texts.esc(role_name(ident)))]
    if ident.role is None:
        lines.append(texts.HELP_NO_ROLE.format(user_id=ident.user_id))
    else:
        lines.append(texts.HELP_ROLE_INTRO[ident.role.value])
    lines.append(texts.HELP_COMMANDS_TITLE)
    lines += [
        texts.HELP_COMMAND_LINE.format(name=c.name, description=texts.esc(c.description))
        for c in visible(ident.role, in_group=False)
    ]
    return "\n".join(lines)
